"""New record rules: the chatter, activities, followers and attachments of a CRM
customer are for the sales team and "CRM: read all"; "CRM: read all" reads every
quotation and opportunity also when its user is an own-documents salesperson. The
rules are declared with noupdate, so an update would not load them: load the rules
file again as at installation."""

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    convert_file(
        env, "effect_crm", "security/effect_crm_security.xml", {}, mode="init", noupdate=True
    )
