from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..tools.revision_diff import diff_revisions

CHANGE_KINDS = [("added", "Added"), ("removed", "Removed"), ("changed", "Changed")]
SCOPES = [("line", "Line"), ("total", "Total"), ("terms", "Terms")]


class EffectCrmQuoteCompare(models.TransientModel):
    """Compare two revisions of a quotation, line by line."""

    _name = "effect.crm.quote.compare"
    _description = "Compare Quotation Revisions"

    order_a_id = fields.Many2one("sale.order", "Revision A", required=True)
    order_b_id = fields.Many2one(
        "sale.order",
        "Revision B",
        required=True,
        domain="[('id', '!=', order_a_id), '|', ('id', 'in', revision_ids), ('id', '=', order_a_id)]",
    )
    revision_ids = fields.Many2many("sale.order", compute="_compute_revision_ids")
    line_ids = fields.One2many(
        "effect.crm.quote.compare.line", "compare_id", "Differences", readonly=True
    )
    change_count = fields.Integer("Differences Found", compute="_compute_change_count")

    @api.depends("order_a_id")
    def _compute_revision_ids(self):
        for wizard in self:
            wizard.revision_ids = wizard.order_a_id.effect_revision_ids

    @api.depends("line_ids")
    def _compute_change_count(self):
        for wizard in self:
            wizard.change_count = len(wizard.line_ids)

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards._effect_compare()
        return wizards

    def write(self, vals):
        result = super().write(vals)
        if "order_a_id" in vals or "order_b_id" in vals:
            self._effect_compare()
        return result

    def _effect_compare(self):
        for wizard in self:
            old, new = wizard.order_a_id, wizard.order_b_id
            root_a = old.effect_root_order_id or old
            root_b = new.effect_root_order_id or new
            if root_a != root_b:
                raise UserError(
                    self.env._(
                        "%(a)s and %(b)s are not revisions of the same quotation.",
                        a=old.name,
                        b=new.name,
                    )
                )
            changes = diff_revisions(
                old._effect_revision_snapshot(), new._effect_revision_snapshot()
            )
            line_labels = {
                "description": self.env._("Description"),
                "quantity": self.env._("Quantity"),
                "uom": self.env._("Unit"),
                "price_unit": self.env._("Unit Price"),
                "discount": self.env._("Discount (%)"),
                "taxes": self.env._("Taxes"),
                "subtotal": self.env._("Amount"),
            }
            wizard.line_ids = [fields.Command.clear()] + [
                fields.Command.create(
                    {
                        "sequence": index,
                        "scope": change.scope,
                        "kind": change.kind,
                        "label": change.label,
                        "field": line_labels.get(change.field, change.field)
                        if change.scope == "line"
                        else "",
                        "value_a": wizard._effect_format(change.field, change.old),
                        "value_b": wizard._effect_format(change.field, change.new),
                    }
                )
                for index, change in enumerate(changes)
            ]

    def _effect_format(self, field, value):
        if value is None or value is False:
            return ""
        if isinstance(value, float):
            if field in ("quantity", "discount"):
                return f"{value:g}"
            return format_amount(self.env, value, self.order_b_id.currency_id)
        return str(value)

    def action_compare(self):
        self._effect_compare()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "name": self.env._("Compare Revisions"),
        }


class EffectCrmQuoteCompareLine(models.TransientModel):
    _name = "effect.crm.quote.compare.line"
    _description = "Difference Between Two Quotation Revisions"
    _order = "sequence, id"

    compare_id = fields.Many2one(
        "effect.crm.quote.compare", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    scope = fields.Selection(SCOPES, "Where", required=True)
    kind = fields.Selection(CHANGE_KINDS, "Change", required=True)
    label = fields.Char("Item")
    field = fields.Char("What")
    value_a = fields.Char("In Revision A")
    value_b = fields.Char("In Revision B")
