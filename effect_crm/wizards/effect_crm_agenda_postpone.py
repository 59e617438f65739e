from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context

from ..tools.agenda import local_date


class EffectCrmAgendaPostpone(models.TransientModel):
    """Move agenda items to another day, with a reason kept in the history."""

    _name = "effect.crm.agenda.postpone"
    _description = "Postpone Agenda Items"

    activity_ids = fields.Many2many("mail.activity", string="Actions")
    event_ids = fields.Many2many("calendar.event", string="Meetings")
    date = fields.Date("New Day", required=True)
    reason = fields.Char(help="Kept in the history of the customer or the meeting.")
    item_count = fields.Integer(compute="_compute_item_count")

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        if self.env.context.get("active_model") != "effect.crm.agenda":
            return defaults
        items = self.env["effect.crm.agenda"].browse(self.env.context.get("active_ids") or [])
        plain_activities = items.filtered(lambda item: not item.event_id).activity_id
        defaults["activity_ids"] = [fields.Command.set(plain_activities.ids)]
        defaults["event_ids"] = [fields.Command.set(items.event_id.ids)]
        today = self.env["effect.crm.clock"]._effect_today(self.env.user)
        latest = max([today, *items.mapped("date")])
        defaults["date"] = latest + timedelta(days=1)
        return defaults

    @api.depends("activity_ids", "event_ids")
    def _compute_item_count(self):
        for wizard in self:
            wizard.item_count = len(wizard.activity_ids) + len(wizard.event_ids)

    def action_postpone(self):
        self.ensure_one()
        if not self.activity_ids and not self.event_ids:
            raise UserError(self.env._("Choose at least one action or meeting to postpone."))
        # the dialog's default_* keys must not reach the records written below
        wizard = self.with_env(self.env(context=clean_context(self.env.context)))
        tz = self.env["effect.crm.clock"]._effect_tz(self.env.user)
        activities = wizard.activity_ids.filtered("active")
        activities.with_context(effect_reschedule_reason=self.reason or False).write(
            {"date_deadline": self.date}
        )
        Agenda = self.env["effect.crm.agenda"]
        for event in wizard.event_ids:
            old_day = event.start_date if event.allday else local_date(event.start, tz)
            if old_day == self.date:
                continue
            Agenda._effect_move_event(event, self.date, event.allday, None, None, tz)
            if self.reason:
                event._message_log(
                    body=self.env._(
                        "Postponed from %(old)s to %(new)s. Reason: %(reason)s",
                        old=fields.Date.to_string(old_day),
                        new=fields.Date.to_string(self.date),
                        reason=self.reason,
                    )
                )
        return {"type": "ir.actions.act_window_close"}
