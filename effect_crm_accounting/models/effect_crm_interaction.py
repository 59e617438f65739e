from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.misc import format_date


class EffectCrmInteraction(models.Model):
    _inherit = "effect.crm.interaction"

    effect_is_collection = fields.Boolean(related="type_id.effect_is_collection")
    effect_promised_date = fields.Date(
        "Promised Payment Date",
        tracking=True,
        help="Debt collection: the date the customer promised to pay.",
    )
    effect_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    effect_promised_amount = fields.Monetary(
        "Promised Amount",
        currency_field="effect_company_currency_id",
        help="Debt collection: the amount the customer promised to pay on that date.",
    )

    _promised_date_idx = models.Index(
        "(partner_id, date DESC) WHERE effect_promised_date IS NOT NULL"
    )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._effect_link_collection_request(vals) for vals in vals_list]
        interactions = super().create(vals_list)
        interactions._effect_report_collection()
        return interactions

    def _effect_link_collection_request(self, vals):
        """A collection call logged from the customer (not from the agenda) does the
        open collection request of its salesperson on that customer."""
        if vals.get("done_activity_id") or not vals.get("type_id") or not vals.get("partner_id"):
            return vals
        if not self.env["effect.crm.interaction.type"].browse(vals["type_id"]).effect_is_collection:
            return vals
        request_type = self.env.ref(
            "effect_crm_accounting.mail_activity_type_collection", raise_if_not_found=False
        )
        if not request_type:
            return vals
        customer = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id
        request = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", customer.id),
                ("activity_type_id", "=", request_type.id),
                ("user_id", "=", vals.get("user_id") or self.env.uid),
            ],
            order="date_deadline, id",
            limit=1,
        )
        return dict(vals, done_activity_id=request.id) if request else vals

    def _effect_report_collection(self):
        """Tell the accountant who requested a collection call how it went."""
        request_type = self.env.ref(
            "effect_crm_accounting.mail_activity_type_collection", raise_if_not_found=False
        )
        for interaction in self.filtered(
            lambda i: i.done_activity_id and i.done_activity_id.activity_type_id == request_type
        ):
            requester = interaction.done_activity_id.create_uid
            parts = [
                self.env._(
                    "Collection call by %(salesperson)s: %(subject)s.",
                    salesperson=interaction.user_id.name,
                    subject=interaction.name,
                )
            ]
            if interaction.outcome_id:
                parts.append(
                    self.env._("Outcome: %(outcome)s.", outcome=interaction.outcome_id.name)
                )
            if interaction.effect_promised_date:
                promise = self.env._(
                    "Payment promised on %(date)s.",
                    date=format_date(self.env, interaction.effect_promised_date),
                )
                if interaction.effect_promised_amount:
                    promise = self.env._(
                        "Payment of %(amount)s promised on %(date)s.",
                        amount=interaction.effect_company_currency_id.format(
                            interaction.effect_promised_amount
                        ),
                        date=format_date(self.env, interaction.effect_promised_date),
                    )
                parts.append(promise)
            else:
                parts.append(self.env._("No payment date promised."))
            body = Markup("<p>%s</p>") % " ".join(parts)
            # sudo: a report, to the accountant who asked for it, of the call the
            # salesperson was allowed to log on this customer
            interaction.partner_id.sudo().message_post(
                body=body,
                partner_ids=requester.partner_id.ids if requester.active else [],
                subtype_xmlid="mail.mt_note",
                author_id=self.env.user.partner_id.id,
            )
