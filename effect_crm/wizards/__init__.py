from . import effect_crm_quote_compare
from . import effect_crm_promotion_apply
