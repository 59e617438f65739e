"""The record rules now read one definition of the customers a user works
(``res.partner.effect_is_worked``). They are declared with noupdate, so an update
keeps the old domains: load the rules file again as at installation."""

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    convert_file(
        env,
        "effect_crm_accounting",
        "security/effect_crm_accounting_security.xml",
        {},
        mode="init",
        noupdate=True,
    )
