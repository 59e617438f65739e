from . import effect_crm_agenda_postpone
