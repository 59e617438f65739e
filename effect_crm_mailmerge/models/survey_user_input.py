from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    effect_mailmerge_recipient_id = fields.Many2one(
        "effect.crm.mailmerge.recipient",
        "Campaign Recipient",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        help="The campaign letter that carried this personal link.",
    )

    def _mark_done(self):
        result = super()._mark_done()
        # sudo: the respondent is the customer (a public visitor with the link's token);
        # the response is recorded on the recipient the token belongs to
        self.sudo().effect_mailmerge_recipient_id._effect_questionnaire_done()
        return result
