from . import effect_crm_handoff_wizard
