from odoo import api, fields, models


class EffectCrmHandoffWizard(models.TransientModel):
    """The "Won: Customer" dialog: what accounting needs, before the prospect becomes a
    customer. Missing items do not stop the hand-off: it is recorded as incomplete and
    accounting is told what is missing."""

    _name = "effect.crm.handoff.wizard"
    _description = "Hand Off a Customer to Accounting"

    partner_id = fields.Many2one("res.partner", "Customer", required=True, readonly=True)
    checklist_html = fields.Html("Checklist", compute="_compute_checklist", sanitize=False)
    missing_count = fields.Integer(compute="_compute_checklist")
    note = fields.Text("Note to Accounting", help="What sales agreed that accounting should know.")

    @api.depends("partner_id")
    def _compute_checklist(self):
        Handoff = self.env["effect.crm.handoff"]
        for wizard in self:
            items = []
            if wizard.partner_id:
                partner = wizard.partner_id
                items = partner._effect_handoff_checklist()[partner.id]
            wizard.checklist_html = Handoff._effect_checklist_html(items)
            wizard.missing_count = sum(1 for _item, passed in items if not passed)

    def action_confirm(self):
        self.ensure_one()
        # the customer's rules apply: the user must be allowed to change it
        self.partner_id.check_access("write")
        self.partner_id._effect_mark_won("manual", note=self.note or False)
        return {"type": "ir.actions.act_window_close"}
