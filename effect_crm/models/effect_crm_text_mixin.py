"""Text input of EFFECT CRM's records: Vietnamese stored in one Unicode form, NUL refused.

``effect.crm.text.mixin`` is inherited by the customers (``res.partner``) and every
model of EFFECT CRM whose text users type or integrators send; the search side is
a domain optimization registered below, so that every search path (the search box,
``name_search``, ``read_group``, RPC domains, record rules) compares NFC with NFC.
"""

from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.orm.domains import DomainCondition, field_type_optimization

from ..tools.text import has_nul, search_text, to_nfc

TEXT_TYPES = ("char", "text", "html")
# a one-line field with a b-tree index (a name, a reference, a tax code) must fit an
# index row (2,704 bytes; a Vietnamese letter takes up to 3 bytes in UTF-8), with
# room for a contact's full name "Company, Contact"
MAX_INDEXED_CHARS = 400
BTREE = (True, "btree", "btree_not_null")


class EffectCrmTextMixin(models.AbstractModel):
    """Text fields are stored in NFC. Refused with a message naming the field, before
    anything is written (without this check the user gets a database error): a value
    with a NUL character (PostgreSQL cannot store it), and more than
    ``MAX_INDEXED_CHARS`` characters in a one-line field the database indexes. Other
    text (notes, descriptions) has no length limit."""

    _name = "effect.crm.text.mixin"
    _description = "Text Input (Unicode NFC, no NUL)"

    def _effect_clean_text_values(self, vals):
        """``vals`` with its text in NFC; ``ValidationError`` when a value holds NUL."""
        cleaned = dict(vals)
        refused = []
        too_long = []
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or not (
                field.type in (*TEXT_TYPES, "properties") or isinstance(value, str)
            ):
                continue
            if has_nul(value):
                refused.append(field._description_string(self.env))
            elif field.type in TEXT_TYPES:
                cleaned[name] = value = to_nfc(value)
                if (
                    field.type == "char"
                    and field.index in BTREE
                    and isinstance(value, str)
                    and len(value) > MAX_INDEXED_CHARS
                ):
                    too_long.append((field._description_string(self.env), len(value)))
        if too_long:
            label, length = too_long[0]
            raise ValidationError(
                self.env._(
                    "%(field)s is %(length)s characters long; it holds at most %(max)s. "
                    "Shorten it, and put the rest in the notes.",
                    field=label,
                    length=length,
                    max=MAX_INDEXED_CHARS,
                )
            )
        if refused:
            raise ValidationError(
                self.env._(
                    "%(fields)s: the text holds a NUL character (\\x00), which cannot be "
                    "saved; it usually comes from a file pasted or converted by mistake. "
                    "Remove it (retype the text) and save again.",
                    fields=", ".join(refused),
                )
            )
        return cleaned

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._effect_clean_text_values(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._effect_clean_text_values(vals))


@field_type_optimization(TEXT_TYPES)
def _effect_optimize_text_search(condition, model):
    """Search text in NFC (stored text is NFC) and without NUL (none is stored): "Nguyễn"
    typed or pasted in NFD finds the customer saved in NFC; a NUL in a search
    string is dropped instead of raising PostgreSQL's error. Only on the models that
    store their text in NFC (those of the mixin), in databases where EFFECT CRM is
    installed (this module's code is loaded by every database of the server): other
    models keep Odoo's search of text as it was stored."""
    mixin = model.pool.get("effect.crm.text.mixin")
    if mixin is None or not isinstance(model, mixin):
        return condition
    value = search_text(condition.value)
    if value == condition.value:
        return condition
    return DomainCondition(condition.field_expr, condition.operator, value)
