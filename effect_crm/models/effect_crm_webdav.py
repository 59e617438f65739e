import hashlib
import secrets
import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

TOKEN_HOURS = 8  # an "Edit in Word" link works for a working day
LOCK_MAX_SECONDS = 3600


def _hash(token):
    return hashlib.sha256((token or "").encode()).hexdigest()


class EffectCrmWebdavToken(models.Model):
    """The key of an "Edit in Word" link: one user, one contract, for a few hours.

    Word sends no session cookie, so the URL carries the token. Only its SHA-256 is
    stored; it can be revoked, and every request checks the user's rights again.
    """

    _name = "effect.crm.webdav.token"
    _description = "Edit in Word Link"
    _order = "id desc"

    token_hash = fields.Char(required=True, index=True, readonly=True)
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade", readonly=True)
    contract_id = fields.Many2one(
        "effect.crm.contract", required=True, ondelete="cascade", readonly=True, index=True
    )
    version_id = fields.Many2one(
        "effect.crm.contract.version", "Opened Version", ondelete="set null", readonly=True
    )
    expires = fields.Datetime(required=True, readonly=True)
    revoked = fields.Boolean()

    @api.model
    def _effect_issue(self, version):
        """A new plain token for the current user on ``version``'s contract."""
        version.check_access("read")
        token = secrets.token_urlsafe(32)
        # sudo: the table of tokens is not readable by users; the record only ties this
        # user to a contract they were just checked to read
        self.sudo().create(
            {
                "token_hash": _hash(token),
                "user_id": self.env.user.id,
                "contract_id": version.contract_id.id,
                "version_id": version.id,
                "expires": fields.Datetime.now() + timedelta(hours=TOKEN_HOURS),
            }
        )
        return token

    @api.model
    def _effect_resolve(self, token):
        """The contract, as its user, that a valid ``token`` opens; ``None`` otherwise."""
        if not token or len(token) > 128:
            return None
        # sudo: looking a token up by its hash; nothing is disclosed before the checks below
        record = self.sudo().search_fetch(
            [
                ("token_hash", "=", _hash(token)),
                ("revoked", "=", False),
                ("expires", ">", fields.Datetime.now()),
            ],
            ["user_id", "contract_id"],  # in the same query
            limit=1,
        )
        if not record or not record.user_id.active:
            return None
        # Word sends no session: the user's language for the messages of a refusal
        user = record.user_id
        contract = record.contract_id.with_user(user).with_context(lang=user.lang)
        try:
            contract.check_access("read")
        except AccessError:
            return None
        return contract

    def action_revoke(self):
        self.write({"revoked": True})
        return True

    @api.autovacuum
    def _gc_expired(self):
        self.search([("expires", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()


class EffectCrmWebdavLock(models.Model):
    """A WebDAV write lock on a contract's document, shared by every Odoo worker."""

    _name = "effect.crm.webdav.lock"
    _description = "Word Document Lock"

    contract_id = fields.Many2one(
        "effect.crm.contract", required=True, ondelete="cascade", index=True
    )
    lock_token = fields.Char(required=True, index=True)
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    owner = fields.Text()
    expires = fields.Datetime(required=True)

    _lock_token_uniq = models.Constraint("UNIQUE(lock_token)", "Lock tokens are unique.")

    @api.model
    def _effect_current(self, contract):
        """The lock in force on ``contract``, if any (expired locks are dropped)."""
        locks = self.search_fetch(
            [("contract_id", "=", contract.id)], ["lock_token", "owner", "expires", "user_id"]
        )
        now = fields.Datetime.now()
        if not self.env.cr.readonly:  # on a read (PROPFIND), the autovacuum drops them
            locks.filtered(lambda lock: lock.expires <= now).unlink()
        return locks.filtered(lambda lock: lock.expires > now)[:1]

    @api.model
    def _effect_acquire(self, contract, user, owner, seconds):
        # a row lock on the contract serializes two workers locking at once
        self.env.cr.execute(
            "SELECT id FROM effect_crm_contract WHERE id = %s FOR UPDATE", [contract.id]
        )
        if self._effect_current(contract):
            return None
        return self.create(
            {
                "contract_id": contract.id,
                "lock_token": f"opaquelocktoken:{uuid.uuid4()}",
                "user_id": user.id,
                "owner": owner,
                "expires": fields.Datetime.now() + timedelta(seconds=seconds),
            }
        )

    def _effect_refresh(self, seconds):
        self.write({"expires": fields.Datetime.now() + timedelta(seconds=seconds)})

    @api.autovacuum
    def _gc_expired(self):
        self.search([("expires", "<", fields.Datetime.now())]).unlink()
