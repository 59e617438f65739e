"""New record rules: the chatter, activities, followers and attachments of a CRM
customer are for the sales team and "CRM: read all"; "CRM: read all" reads every
quotation and opportunity also when its user is an own-documents salesperson. The
rules are declared with noupdate, so an update would not load them: load the rules
file again as at installation."""

from odoo.addons.effect_crm.tools.migration import reload_noupdate_file


def migrate(cr, version):
    if not version:
        return
    reload_noupdate_file(cr, "effect_crm", "security/effect_crm_security.xml")
