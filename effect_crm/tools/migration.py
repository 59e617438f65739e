"""What the migration scripts of the EFFECT CRM addons share."""

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file


def reload_noupdate_file(cr, module, path):
    """Load a data file declared ``noupdate`` again, as at installation.

    Record rules and other security records are declared with noupdate, so an update
    (``-u``) keeps what the database has; a migration that changes them loads the file
    again so the new domains replace the old ones.
    """
    env = api.Environment(cr, SUPERUSER_ID, {})
    convert_file(env, module, path, {}, mode="init", noupdate=True)
