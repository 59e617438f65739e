"""The record rules now read one definition of the customers a user works
(``res.partner.effect_is_worked``). They are declared with noupdate, so an update
keeps the old domains: load the rules file again as at installation."""

from odoo.addons.effect_crm.tools.migration import reload_noupdate_file


def migrate(cr, version):
    if not version:
        return
    reload_noupdate_file(cr, "effect_crm", "security/effect_crm_security.xml")
