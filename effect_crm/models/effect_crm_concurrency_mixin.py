from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

# the stored counter of saves; in the values of a write, the count the writer loaded
EDIT_VERSION_FIELD = "effect_edit_version"


class EffectCrmConcurrencyMixin(models.AbstractModel):
    """Two users saving the same record: the first save wins, the second is refused.

    Each write that changes a record counts one more edit (``effect_edit_version``).
    A form loads that count with the record and sends it back with its changes (the
    web client does it for every form that shows the field, see
    static/src/concurrency/); a write whose values carry a count older than the
    record's is refused with the name of who saved in between and when, before
    anything is written. Writes without it (server code: crons, reassignment, actions
    of buttons, chatter; RPC clients that do not send it) are not checked, and count.

    Why a counter and not ``write_date``: the web client receives ``write_date`` to
    the second, and it is the time the writing transaction *started*, so two saves in
    the same second, or a long transaction committing after a short one, would not be
    told apart. Stored computed fields are flushed without a write: they do not
    count, as a form never sends them back.

    Two saves at the same moment: both read the same count, both pass the check, both
    update the row; PostgreSQL lets the first commit and makes the second fail with a
    serialization error, on which Odoo retries the second request from the start: the
    retry reads the new count and is refused. The value the client sends is no
    security decision: a client that omits it only loses the protection for itself.
    """

    _name = "effect.crm.concurrency.mixin"
    _description = "Refuse a save over a change made since the form was opened"
    # writes of only these fields do not count: they are the side effects of the
    # chatter of the open form (the main attachment of a posted message)
    _effect_edit_version_exempt = frozenset({"message_main_attachment_id"})

    # no default: existing rows keep NULL, which the ORM reads as 0 (no table rewrite)
    effect_edit_version = fields.Integer(
        "Edit Count",
        copy=False,
        readonly=True,
        help="How many times the record was changed. A form sends the count it loaded "
        "when it saves: a save over a change made since it was opened is refused.",
    )

    def write(self, vals):
        if EDIT_VERSION_FIELD in vals:
            vals = dict(vals)
            self._effect_check_edit_version(vals.pop(EDIT_VERSION_FIELD))
        if not self or not (vals.keys() - self._effect_edit_version_exempt):
            return super().write(vals)
        # one write per count, so that each record counts one more edit
        for version, records in self.grouped(EDIT_VERSION_FIELD).items():
            super(EffectCrmConcurrencyMixin, records).write(
                {**vals, EDIT_VERSION_FIELD: version + 1}
            )
        return True

    def _effect_check_edit_version(self, loaded):
        """Refuse to write on records changed since their count was ``loaded``."""
        stale = self.filtered(lambda record: record[EDIT_VERSION_FIELD] != (loaded or 0))
        if not stale:
            return
        record = stale[0]
        # sudo: who saved last, on a record the user is saving (users may not read
        # every other user); their name only
        editor = record.sudo().write_uid
        raise UserError(
            self.env._(
                "%(record)s was changed by %(user)s on %(date)s, after you opened it. "
                "Your changes have not been saved, so that theirs are not overwritten; "
                "they are still on your screen. Note them, reload the page to see the "
                "new version, then make them again.",
                record=record.display_name,
                user=editor.name,
                date=format_datetime(self.env, record.write_date),
            )
        )
