from . import effect_crm_quote_compare
from . import effect_crm_promotion_apply
from . import effect_crm_agenda_postpone
from . import effect_crm_template_render
