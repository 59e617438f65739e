from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.misc import format_date


class MailActivity(models.Model):
    # what is planned on a CRM customer is CRM data (see the mixin and its record rules)
    _name = "mail.activity"
    _inherit = ["mail.activity", "effect.crm.customer.chatter.mixin"]

    effect_first_deadline = fields.Date(
        "First Due Date",
        readonly=True,
        copy=False,
        help="The due date the action had when it was planned.",
    )
    effect_reschedule_count = fields.Integer("Times Rescheduled", readonly=True, copy=False)

    # The agenda's hot queries: a salesperson's open actions, counted per bucket and
    # sorted by day (kanban columns, the menu's counts), read from the index alone
    # (the id and the meeting are what the agenda sorts on besides the day); also
    # the shape of Odoo's activity systray query.
    _effect_user_deadline_idx = models.Index(
        "(user_id, date_deadline) INCLUDE (id, calendar_event_id) WHERE active"
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._effect_check_documents_worked(
            [
                (vals.get("res_model"), vals.get("res_model_id"), vals.get("res_id"))
                for vals in vals_list
            ]
        )
        for vals in vals_list:
            if vals.get("date_deadline"):
                vals.setdefault("effect_first_deadline", vals["date_deadline"])
        activities = super().create(vals_list)
        for activity in activities.filtered(lambda activity: not activity.effect_first_deadline):
            activity.effect_first_deadline = activity.date_deadline  # the default deadline
        activities._effect_customers()._effect_refresh_next_action()
        return activities

    def write(self, vals):
        self._effect_check_crm_data_readable()
        if {"res_model", "res_model_id", "res_id"} & vals.keys():
            self._effect_check_documents_worked(
                [
                    (
                        vals.get("res_model", activity.res_model),
                        vals.get("res_model_id"),
                        vals.get("res_id", activity.res_id),
                    )
                    for activity in self.sudo()
                ]
            )
        refresh = any(
            name in vals for name in ("date_deadline", "active", "res_id", "res_model_id")
        )
        customers = self._effect_customers() if refresh else None
        previous = {}
        if "date_deadline" in vals:
            previous = {activity.id: activity.date_deadline for activity in self if activity.active}
        result = super().write(vals)
        if previous:
            self._effect_log_reschedule(previous)
        if refresh:
            (customers | self._effect_customers())._effect_refresh_next_action()
        return result

    def unlink(self):
        self._effect_check_crm_data_readable()
        customers = self._effect_customers()
        result = super().unlink()
        customers._effect_refresh_next_action()
        return result

    def _effect_check_crm_data_readable(self):
        """Who may not read a CRM customer's activities (other employees) changes none of
        them, except an action assigned to them. Odoo would let an employee who may edit
        the partner change any activity of it; reading is kept by the record rules."""
        if self.env.su or self.env.user._effect_reads_crm_data():
            return
        # sudo: to find, among these activities, those the user may not read
        forbidden = (
            self.sudo()
            .with_context(active_test=False)
            .search_count(
                [
                    ("id", "in", self.ids),
                    ("user_id", "!=", self.env.uid),
                    ("effect_crm_hidden", "=", True),
                ]
            )
        )
        if forbidden:
            raise AccessError(
                self.env._("Only the sales team changes the actions planned on a customer.")
            )

    @api.model
    def _effect_check_documents_worked(self, targets):
        """Refuse activities planned on a customer the user does not work, or on a record
        about one (``targets``: (model name, model id, record id) triples)."""
        if self.env.su or not self.env.user._effect_is_restricted():
            return
        ids_by_model = {}
        for res_model, res_model_id, res_id in targets:
            if not res_model and res_model_id:
                res_model = self.env["ir.model"].sudo().browse(res_model_id).model
            if res_model and res_id:
                ids_by_model.setdefault(res_model, set()).add(res_id)
        customers = self.env["res.partner"].sudo()
        for res_model, ids in ids_by_model.items():
            if res_model not in self.env:
                continue
            records = self.env[res_model].sudo().browse(ids).exists()
            if res_model == "res.partner":
                customers |= records
            elif isinstance(records, self.env.registry["effect.crm.customer.mixin"]):
                customers |= records._effect_customers()
        customers._effect_check_worked()

    def _effect_customers(self):
        """The customers (commercial partners) these activities are planned on."""
        # sudo: only to read which partner an activity is on; the result is used
        # to refresh a date computed from all the customer's activities
        partner_ids = {
            activity.res_id
            for activity in self.sudo()
            if activity.res_model == "res.partner" and activity.res_id
        }
        partners = self.env["res.partner"].sudo().browse(partner_ids).exists()
        return partners.commercial_partner_id

    def _effect_log_reschedule(self, previous):
        """Keep the history of a rescheduled action on its document's chatter."""
        moved = self.filtered(
            lambda activity: (
                activity.id in previous and activity.date_deadline != previous[activity.id]
            )
        )
        if not moved:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE mail_activity SET effect_reschedule_count = "
                "COALESCE(effect_reschedule_count, 0) + 1 WHERE id IN %s",
                tuple(moved.ids),
            )
        )
        moved.invalidate_recordset(["effect_reschedule_count"])
        reason = self.env.context.get("effect_reschedule_reason")
        for activity in moved.sudo():
            if not activity.res_model or activity.res_model not in self.env:
                continue
            document = self.env[activity.res_model].sudo().browse(activity.res_id).exists()
            if not document or not hasattr(document, "_message_log"):
                continue
            body = self.env._(
                "%(action)s (%(user)s) rescheduled from %(old)s to %(new)s.",
                action=activity.summary or activity.activity_type_id.name,
                user=activity.user_id.name or "",
                old=format_date(self.env, previous[activity.id]),
                new=format_date(self.env, activity.date_deadline),
            )
            if reason:
                body = self.env._("%(change)s Reason: %(reason)s", change=body, reason=reason)
            # sudo: a note about an action the user was allowed to reschedule
            document._message_log(
                body=Markup("<p>%s</p>") % body, author_id=self.env.user.partner_id.id
            )
