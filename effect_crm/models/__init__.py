from . import effect_crm_business_type
from . import effect_crm_size
from . import effect_crm_document_category
from . import effect_crm_document
from . import res_partner
