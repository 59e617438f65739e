from odoo import models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    # the agenda finds the meetings a salesperson attends from their partner
    _effect_partner_event_idx = models.Index("(partner_id, event_id)")
