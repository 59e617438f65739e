from . import effect_crm_mailmerge_campaign
from . import effect_crm_mailmerge_recipient
from . import survey_user_input
