from . import effect_crm_handoff_wizard
from . import effect_crm_handoff_complete
