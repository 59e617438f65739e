import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command

from ..tools import letters

RESPONSES = [
    ("none", "No Answer"),
    ("interested", "Interested"),
    ("not_interested", "Not Interested"),
    ("quotation", "Asked for a Quotation"),
    ("removed", "Asked to Be Removed"),
    ("returned", "Returned Mail"),
    ("other", "Other"),
]
# the interaction outcome a response records on the customer's timeline
RESPONSE_OUTCOMES = {
    "interested": "effect_crm.interaction_outcome_interested",
    "quotation": "effect_crm.interaction_outcome_quote_requested",
    "not_interested": "effect_crm.interaction_outcome_not_interested",
    "removed": "effect_crm.interaction_outcome_not_interested",
    "returned": "effect_crm.interaction_outcome_wrong_contact",
}
RESPONSE_FIELDS = {
    "response_status",
    "response_notes",
    "next_activity_type_id",
    "next_date",
    "next_summary",
}
POSITIVE = ("interested", "quotation")


class EffectCrmMailmergeRecipient(models.Model):
    """One customer of a campaign: its letter, the interaction that logged it, its response.

    A recipient follows its customer: record rules give it to the users who work the
    customer, and a user can only add a customer they work.
    """

    _name = "effect.crm.mailmerge.recipient"
    _inherit = ["effect.crm.customer.mixin", "effect.crm.classification.mixin"]
    _description = "Campaign Recipient"
    # the customer and its contact person: both must be of a customer the user works
    _effect_customer_fields = ("partner_id", "contact_id")
    _order = "campaign_id desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    campaign_id = fields.Many2one(
        "effect.crm.mailmerge.campaign", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    campaign_state = fields.Selection(related="campaign_id.state", string="Campaign Status")
    purpose = fields.Selection(related="campaign_id.purpose", store=True)
    template_name = fields.Char(
        "Template", compute="_compute_template_name", store=True, help="The letter template."
    )
    user_id = fields.Many2one(related="campaign_id.user_id", store=True, string="Salesperson")
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('effect_stage', '!=', False), ('parent_id', '=', False)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        "Contact Person",
        domain="[('parent_id', '=', partner_id)]",
        ondelete="set null",
    )
    email = fields.Char(compute="_compute_email")

    # the customer's classification (effect.crm.classification.mixin) and territory
    partner_territory_id = fields.Many2one(
        related="partner_id.effect_territory_id", store=True, string="Territory"
    )

    # the figures the filter used, frozen at launch (also in the letter)
    sales_amount = fields.Monetary("Sales in the Period", currency_field="currency_id")
    interaction_count = fields.Integer("Interactions")
    days_since_contact = fields.Integer("Days Without Contact")
    open_quotation_count = fields.Integer("Open Quotations at Launch")

    # the letter
    letter_done = fields.Boolean("Letter Made", readonly=True, copy=False, index=True)
    letter_date = fields.Datetime("Letter Made On", readonly=True, copy=False)
    attachment_id = fields.Many2one(
        "ir.attachment", "Letter", readonly=True, copy=False, ondelete="set null"
    )
    letter_file = fields.Binary(related="attachment_id.datas", string="Letter File")
    letter_filename = fields.Char(related="attachment_id.name", string="Letter File Name")
    interaction_id = fields.Many2one(
        "effect.crm.interaction", readonly=True, copy=False, ondelete="set null"
    )
    email_state = fields.Selection(
        [
            ("queued", "Queued"),
            ("no_email", "No E-mail Address"),
            ("opted_out", "Opted Out"),
        ],
        "E-mail",
        readonly=True,
        copy=False,
    )
    mail_id = fields.Many2one("mail.mail", "E-mail Sent", readonly=True, copy=False)

    # the questionnaire
    survey_user_input_id = fields.Many2one(
        "survey.user_input",
        "Questionnaire Answer",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="survey.group_survey_user",
    )
    # the link and its state are shown to the salespeople, who need no survey rights
    survey_url = fields.Char("Questionnaire Link", compute="_compute_survey_url", compute_sudo=True)
    survey_state = fields.Selection(
        related="survey_user_input_id.state", string="Questionnaire Status", store=True
    )

    # the response
    response_status = fields.Selection(
        RESPONSES, "Response", required=True, default="none", index=True, copy=False
    )
    response_date = fields.Date(copy=False)
    response_notes = fields.Text(copy=False)
    next_activity_type_id = fields.Many2one(
        "mail.activity.type",
        "Next Action",
        domain="[('res_model', 'in', [False, 'res.partner'])]",
        copy=False,
    )
    next_date = fields.Date("Next Action Date", copy=False)
    next_summary = fields.Char("Next Action Summary", copy=False)
    response_interaction_id = fields.Many2one("effect.crm.interaction", readonly=True, copy=False)
    next_activity_id = fields.Many2one(related="response_interaction_id.next_activity_id")

    # statistics (sums and averages in the pivot)
    sent = fields.Integer(compute="_compute_statistics", store=True, aggregator="sum")
    answered = fields.Integer(compute="_compute_statistics", store=True, aggregator="sum")
    interested = fields.Integer(compute="_compute_statistics", store=True, aggregator="sum")
    response_rate = fields.Float(
        "Response Rate (%)", compute="_compute_statistics", store=True, aggregator="avg"
    )
    follow_up_quotation_count = fields.Integer("Quotations After", readonly=True, copy=False)
    follow_up_order_count = fields.Integer("Orders After", readonly=True, copy=False)

    _campaign_partner_unique = models.Constraint(
        "UNIQUE (campaign_id, partner_id)", "A customer is a recipient of a campaign only once."
    )
    # the letters still to make of a campaign
    _campaign_pending_idx = models.Index("(campaign_id, id) WHERE letter_done IS NOT TRUE")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("campaign_id.template_id.name", "campaign_id.mail_template_id.name")
    def _compute_template_name(self):
        for recipient in self:
            campaign = recipient.campaign_id
            recipient.template_name = (
                campaign.template_id.name or campaign.mail_template_id.name or False
            )

    @api.depends("partner_id.email", "contact_id.email")
    def _compute_email(self):
        for recipient in self:
            recipient.email = recipient.contact_id.email or recipient.partner_id.email

    @api.depends("survey_user_input_id")
    def _compute_survey_url(self):
        for recipient in self:
            answer = recipient.survey_user_input_id
            recipient.survey_url = (
                answer.get_base_url() + answer.get_start_url() if answer else False
            )

    @api.depends("letter_done", "email_state", "response_status")
    def _compute_statistics(self):
        for recipient in self:
            sent = recipient.letter_done or recipient.email_state == "queued"
            answered = recipient.response_status not in ("none", "returned")
            recipient.sent = int(sent)
            recipient.answered = int(answered)
            recipient.interested = int(recipient.response_status in POSITIVE)
            recipient.response_rate = 100.0 if answered else 0.0

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("partner_id", "contact_id")
    def _check_contact(self):
        for recipient in self:
            if recipient.contact_id and recipient.contact_id.commercial_partner_id != (
                recipient.partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact person of %(customer)s.",
                        contact=recipient.contact_id.display_name,
                        customer=recipient.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _effect_check_customers(self, partners):
        """Only CRM customers receive letters. Whether the user works them is checked by
        effect.crm.customer.mixin on create and write, as for every record about a
        customer."""
        not_customers = partners.exists().sudo().filtered(lambda p: not p.effect_stage)
        if not_customers:
            raise ValidationError(
                self.env._(
                    "%(partner)s is not a CRM customer: only customers receive campaign letters.",
                    partner=not_customers[0].display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        for vals in vals_list:
            if vals.get("partner_id"):
                # sudo: only to name the company of a contact; whether the user works it is
                # checked on that company by the customer mixin, before anything is written
                partner = Partner.sudo().browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
        partners = Partner.browse(
            [vals["partner_id"] for vals in vals_list if vals.get("partner_id")]
        )
        self._effect_check_customers(partners)
        campaigns = self.env["effect.crm.mailmerge.campaign"].browse(
            {vals["campaign_id"] for vals in vals_list if vals.get("campaign_id")}
        )
        if campaigns.filtered(lambda c: c.state not in ("draft", "launching", "launched")):
            raise UserError(
                self.env._("Recipients can only be added before the letters are generated.")
            )
        recipients = super().create(vals_list)
        # added by hand: the customer's figures and contact person, as the filter gives them
        by_hand = recipients.browse(
            [
                recipient.id
                for recipient, vals in zip(recipients, vals_list, strict=True)
                if "sales_amount" not in vals
            ]
        )
        for campaign in by_hand.campaign_id:
            lines = by_hand.filtered(lambda r, c=campaign: r.campaign_id == c)
            figures = campaign._effect_figures(lines.partner_id)
            for line in lines:
                values = campaign._effect_recipient_values(
                    line.partner_id, figures[line.partner_id.id]
                )
                if line.contact_id:
                    values.pop("contact_id")
                values.pop("campaign_id")
                values.pop("partner_id")
                line.write(values)
        return recipients

    def write(self, vals):
        if "partner_id" in vals:
            if self.filtered("letter_done"):
                raise UserError(self.env._("The letter is made: its customer cannot change."))
            self._effect_check_customers(self.env["res.partner"].browse(vals["partner_id"]))
        if "campaign_id" in vals:
            raise UserError(self.env._("A recipient cannot move to another campaign."))
        if vals.get("response_status") and "response_date" not in vals:
            vals = dict(vals, response_date=self.env["effect.crm.clock"]._effect_today())
        result = super().write(vals)
        if RESPONSE_FIELDS.intersection(vals):
            self._effect_log_responses()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_letter_made(self):
        if self.filtered(lambda r: r.letter_done and r.campaign_id.state != "draft"):
            raise UserError(self.env._("A recipient whose letter is made cannot be removed."))

    # ------------------------------------------------------------------
    # Letter data
    # ------------------------------------------------------------------

    @api.model
    def _effect_letter_data_skeleton(self):
        """Every key of a letter's data, for the template check and the help."""
        return self._effect_build_letter_data(None)

    def _effect_letter_data(self):
        self.ensure_one()
        return self._effect_build_letter_data(self)

    @api.model
    def _effect_build_letter_data(self, recipient):
        """Plain data of a letter: the template reaches nothing else.

        The customer, contact, company and promotion come from effect_crm's template data
        (the same names as in contract and quotation templates); a letter adds the
        salesperson, the figures the filter used, the campaign and the questionnaire link.
        """
        env = self.env
        Data = env["effect.crm.template.data"]
        campaign = recipient.campaign_id if recipient else env["effect.crm.mailmerge.campaign"]
        partner = recipient.partner_id if recipient else env["res.partner"]
        contact = recipient.contact_id if recipient else env["res.partner"]
        user = campaign.user_id
        company = campaign.company_id or env.company
        currency = company.currency_id
        letter_date = campaign.letter_date or self.env["effect.crm.clock"]._effect_today()
        return {
            "customer": Data._effect_customer_data(partner),
            "contact": Data._effect_contact_data(contact),
            "company": Data._effect_company_data(company),
            "promotion": Data._effect_promotion_data(campaign.promotion_id),
            "salesperson": {
                "name": user.name or "",
                "email": user.email or "",
                "phone": user.phone or "",
            },
            "figures": {
                "sales": Data._effect_amount(recipient.sales_amount, currency) if recipient else "",
                "interactions": recipient.interaction_count if recipient else 0,
                "days_since_contact": recipient.days_since_contact if recipient else 0,
                "open_quotations": recipient.open_quotation_count if recipient else 0,
            },
            "campaign": {
                "name": campaign.name or "",
                **Data._effect_dates("date", letter_date if recipient else False),
            },
            "survey": {
                "title": campaign.survey_id.title or "",
                "url": (recipient.survey_url or "") if recipient else "",
                # printed as a QR code of the link (see tools.letters.qr_codes)
                "qr": (recipient.survey_url or "") if recipient else "",
            },
            "letter": {"number": recipient.id if recipient else 0},
        }

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------

    def _effect_ensure_survey_answers(self):
        """A personal questionnaire link (``survey.user_input`` with its token) per recipient."""
        # sudo: salespeople need no survey rights to invite the customers they work
        # (the recipients passed the customer check); an answer only holds a token
        missing = self.sudo().filtered(
            lambda r: r.campaign_id.survey_id and not r.survey_user_input_id
        )
        for recipient in missing:
            survey = recipient.campaign_id.survey_id
            answer = survey._create_answer(
                partner=recipient.contact_id or recipient.partner_id,
                check_attempts=False,
                effect_mailmerge_recipient_id=recipient.id,
            )
            recipient.survey_user_input_id = answer.id

    def _effect_make_letters(self):
        """Make the letters of these recipients (those without one): file, interaction, e-mail.

        Runs as the user who launched the campaign: a recipient they may not read fails
        the batch instead of putting another salesperson's customer in a file.
        """
        recipients = self.filtered(lambda r: not r.letter_done)
        if not recipients:
            return
        recipients.check_access("write")
        recipients.partner_id.check_access("read")
        recipients._effect_ensure_survey_answers()
        Interaction = self.env["effect.crm.interaction"]
        letter_type = self.env.ref("effect_crm.interaction_type_letter")
        now = fields.Datetime.now()
        for campaign in recipients.campaign_id:
            batch = recipients.filtered(lambda r, c=campaign: r.campaign_id == c)
            # the template is parsed once for the batch
            template = campaign._effect_letter_template()
            on_letter = campaign._effect_on_letter()
            contents = []
            interaction_vals = []
            for recipient in batch:
                data = recipient._effect_letter_data()
                content = template.render(data, on_letter) if template else None
                contents.append(content)
                vals = {
                    "name": self.env._("Letter: %(campaign)s", campaign=campaign.name),
                    "partner_id": recipient.partner_id.id,
                    "contact_id": recipient.contact_id.id,
                    "user_id": self._effect_acting_user(campaign.launch_user_id).id,
                    "type_id": letter_type.id,
                    "direction": "outgoing",
                    "date": now,
                    "company_id": campaign.company_id.id,
                }
                if campaign.company_id.effect_next_action_mandatory:
                    vals.update(
                        next_activity_type_id=self.env.ref("mail.mail_activity_data_call").id,
                        next_date=self.env["effect.crm.clock"]._effect_today()
                        + datetime.timedelta(days=max(campaign.follow_up_days // 4, 1)),
                        next_summary=self.env._("Follow up the letter"),
                    )
                interaction_vals.append(vals)
            interactions = Interaction.create(interaction_vals)
            attachments = self.env["ir.attachment"].create(
                [
                    {
                        "name": letters.file_name(recipient.id, recipient.partner_id.name),
                        "raw": content,
                        "res_model": "effect.crm.interaction",
                        "res_id": interaction.id,
                        "mimetype": "application/vnd.openxmlformats-officedocument"
                        ".wordprocessingml.document",
                    }
                    for recipient, interaction, content in zip(
                        batch, interactions, contents, strict=True
                    )
                    if content
                ]
            )
            attachment_of = dict.fromkeys(interactions.ids, self.env["ir.attachment"])
            for attachment in attachments:
                attachment_of[attachment.res_id] = attachment
            for recipient, interaction in zip(batch, interactions, strict=True):
                attachment = attachment_of[interaction.id]
                if attachment:
                    interaction.attachment_ids = [Command.link(attachment.id)]
                recipient.write(
                    {
                        "letter_done": True,
                        "letter_date": now,
                        "interaction_id": interaction.id,
                        "attachment_id": attachment.id,
                    }
                )
            if campaign.send_email and campaign.mail_template_id:
                batch._effect_queue_emails()

    def _effect_acting_user(self, fallback):
        """Who logs an interaction: the user at work, who may see its customer.

        Not the campaign's salesperson: a campaign run for a salesperson may reach
        customers they do not work, and an interaction logged in their name would show
        those customers to them. Superuser code (a questionnaire answered through its
        public link) logs in the name of ``fallback`` or the campaign's salesperson.
        """
        if not self.env.su:
            return self.env.user
        return fallback or self.campaign_id[:1].user_id

    def _effect_queue_emails(self):
        """Queue the campaign's e-mail to each recipient, respecting the blacklist and opt-outs."""
        for recipient in self.filtered(lambda r: not r.email_state):
            target = recipient.contact_id if recipient.contact_id.email else recipient.partner_id
            if not target.email:
                recipient.email_state = "no_email"
                continue
            if target.is_blacklisted or recipient.response_status == "removed":
                recipient.email_state = "opted_out"
                continue
            campaign = recipient.campaign_id
            email_values = {"recipient_ids": [Command.link(target.id)], "email_to": False}
            if campaign.attach_letter and recipient.attachment_id:
                email_values["attachment_ids"] = [Command.link(recipient.attachment_id.id)]
            mail_id = campaign.mail_template_id.send_mail(
                recipient.id, force_send=False, email_values=email_values
            )
            recipient.write({"email_state": "queued", "mail_id": mail_id})

    # ------------------------------------------------------------------
    # Responses
    # ------------------------------------------------------------------

    def _effect_log_responses(self):
        """Record each response on the customer's timeline, with its next action."""
        Interaction = self.env["effect.crm.interaction"]
        letter_type = self.env.ref("effect_crm.interaction_type_letter")
        labels = dict(self._fields["response_status"]._description_selection(self.env))
        for recipient in self:
            if recipient.response_status == "none" and not recipient.response_interaction_id:
                continue
            outcome_xmlid = RESPONSE_OUTCOMES.get(recipient.response_status)
            outcome = (
                self.env.ref(outcome_xmlid, raise_if_not_found=False) if outcome_xmlid else None
            ) or self.env["effect.crm.interaction.outcome"]
            vals = {
                "name": self.env._(
                    "Response to %(campaign)s: %(status)s",
                    campaign=recipient.campaign_id.name,
                    status=labels[recipient.response_status],
                ),
                "outcome_id": outcome.id,
                "notes": recipient.response_notes or False,
                "next_activity_type_id": recipient.next_activity_type_id.id,
                "next_date": recipient.next_date,
                "next_summary": recipient.next_summary,
                "next_user_id": recipient._effect_acting_user(recipient.partner_id.user_id).id,
            }
            interaction = recipient.response_interaction_id
            if interaction:
                if interaction.next_activity_id and not interaction.next_activity_id.active:
                    vals = {
                        key: value for key, value in vals.items() if not key.startswith("next_")
                    }
                interaction.write(vals)
                continue
            vals.update(
                partner_id=recipient.partner_id.id,
                contact_id=recipient.contact_id.id,
                user_id=recipient._effect_acting_user(recipient.partner_id.user_id).id,
                type_id=letter_type.id,
                direction="incoming",
                company_id=recipient.company_id.id,
            )
            recipient.response_interaction_id = Interaction.create(vals)

    def _effect_questionnaire_done(self):
        """The customer completed the questionnaire: a response, unless one is recorded."""
        for recipient in self:
            if recipient.response_status == "none":
                recipient.write(
                    {
                        "response_status": "interested",
                        "response_notes": self.env._("Answered the questionnaire."),
                    }
                )

    # ------------------------------------------------------------------
    # Statistics
    # ------------------------------------------------------------------

    def _effect_refresh_follow_up(self):
        """Count the quotations and orders each customer had within the follow-up window."""
        for recipient in self.filtered("letter_date"):
            start = recipient.letter_date
            end = start + datetime.timedelta(days=recipient.campaign_id.follow_up_days or 30)
            domain = [
                ("partner_id", "child_of", recipient.partner_id.id),
                ("date_order", ">=", start),
                ("date_order", "<", end),
            ]
            # sudo: the statistics count every quotation of the customer, not only those
            # the user sees; they show numbers, not the quotations
            Order = self.env["sale.order"].sudo()
            recipient.sudo().write(
                {
                    "follow_up_quotation_count": Order.search_count(domain),
                    "follow_up_order_count": Order.search_count([*domain, ("state", "=", "sale")]),
                }
            )

    @api.model
    def _cron_refresh_follow_up(self):
        since = fields.Datetime.now() - datetime.timedelta(days=120)
        self.search([("letter_date", ">=", since)])._effect_refresh_follow_up()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_set_interested(self):
        self.write({"response_status": "interested"})

    def action_set_not_interested(self):
        self.write({"response_status": "not_interested"})

    def action_set_quotation(self):
        self.write({"response_status": "quotation"})
