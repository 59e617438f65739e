"""Text of EFFECT CRM's records is now stored in NFC (``effect.crm.text.mixin``) and
searched in NFC. Text saved before in another form (NFD, pasted from macOS or a PDF)
would no longer be found by a search: put it in NFC once, column by column, only the
values that change.

Raw SQL: writing through the ORM would rewrite every customer (hundreds of thousands
of rows, their tracking and recomputations) to change a few; PostgreSQL's own
``normalize`` does the same as Python's ``unicodedata.normalize("NFC")`` on the rows
that need it. Translated and company-dependent fields (jsonb) are left as they are.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

TEXT_TYPES = ("char", "text", "html")


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    mixin = env.registry["effect.crm.text.mixin"]
    for model in env.registry.values():
        if model._abstract or not model._auto or not issubclass(model, mixin):
            continue
        for field in model._fields.values():
            if field.type not in TEXT_TYPES or not field.store or field.translate:
                continue
            if not field.column_type or field.column_type[0] not in ("varchar", "text"):
                continue  # company-dependent values are jsonb, as translations
            if field.inherited:  # stored on the delegated model
                continue
            cr.execute(
                SQL(
                    "UPDATE %(table)s SET %(column)s = normalize(%(column)s, NFC)"
                    " WHERE %(column)s IS NOT NFC NORMALIZED",
                    table=SQL.identifier(model._table),
                    column=SQL.identifier(field.name),
                )
            )
