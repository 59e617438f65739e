from datetime import timedelta

from odoo import api, fields, models

from ..tools.clock import (
    local_date,
    local_today,
    quarter_end,
    quarter_start,
    tz_name,
    utc_start,
    week_start,
)


class EffectCrmClock(models.AbstractModel):
    """The user's today, the only "today" of EFFECT CRM (see ``tools/clock.py``).

    ``self.env["effect.crm.clock"]._effect_today()`` is today in the time zone of the
    request: the context's (the web client sends the user's), else the user's, else
    the company's, else Vietnam's. Scheduled actions run as a user without a time
    zone: they get the company's today, or Vietnam's. The clock is Python's (frozen
    by tests), never PostgreSQL's ``now()``: SQL views receive today as a parameter.
    """

    _name = "effect.crm.clock"
    _description = "EFFECT CRM Clock"

    @api.model
    def _effect_company_tz(self):
        """The company's time zone (its partner's), else Vietnam's.

        The time zone of users without one, and of scheduled actions: they run as a
        technical user whose time zone means nothing to the sales department.
        """
        return tz_name(self.env.company.partner_id.tz)

    @api.model
    def _effect_tz(self, user=None):
        """The time zone of ``user`` (default: the request's: context, then user)."""
        if user is not None:
            candidates = (user.tz,)
        else:
            candidates = (self.env.context.get("tz"), self.env.user.tz)
        return tz_name(*candidates, fallback=None) or self._effect_company_tz()

    @api.model
    def _effect_now(self):
        """The server's clock, naive UTC (``fields.Datetime.now``, frozen by tests)."""
        return fields.Datetime.now()

    @api.model
    def _effect_today(self, user=None):
        """Today for ``user`` (default: the current request's user and context)."""
        return local_today(self._effect_tz(user), self._effect_now())

    @api.model
    def _effect_local_date(self, moment, user=None):
        """The day of ``moment`` (naive UTC datetime) for ``user``, as ``_effect_today``."""
        return local_date(moment, self._effect_tz(user))

    @api.model
    def _effect_this_week_bounds(self):
        """This week of the user (Monday to Sunday) as naive UTC bounds ``[start, end)``."""
        tz = self._effect_tz()
        monday = week_start(self._effect_today())
        return utc_start(monday, tz), utc_start(monday + timedelta(days=7), tz)

    @api.model
    def _effect_this_quarter(self):
        """The first and last day of the user's current quarter."""
        today = self._effect_today()
        return quarter_start(today), quarter_end(today)
