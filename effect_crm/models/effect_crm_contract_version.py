import base64
import binascii

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.contract_files import DAMAGED, EMPTY, TOO_LARGE, check_upload, sha256_hex

# fields that describe the uploaded file: set once, at upload
FILE_FIELDS = ("file", "file_name", "checksum", "file_size", "number", "contract_id")


class EffectCrmContractVersion(models.Model):
    """One uploaded text of a contract. A new file is a new version; a final one is locked."""

    _name = "effect.crm.contract.version"
    _description = "Contract Version"
    _order = "contract_id, number desc, id desc"
    _rec_name = "display_label"
    _inherit = ["effect.crm.customer.mixin"]
    _effect_customer_fields = ("contract_id",)

    contract_id = fields.Many2one(
        "effect.crm.contract", required=True, index=True, ondelete="cascade"
    )
    number = fields.Integer("Version", required=True, default=0, readonly=True, copy=False)
    display_label = fields.Char("Label", compute="_compute_display_label")
    file = fields.Binary(attachment=True, required=True, copy=False)
    file_name = fields.Char()
    file_size = fields.Integer("Size (bytes)", readonly=True)
    checksum = fields.Char(
        "Checksum (SHA-256)",
        size=64,
        readonly=True,
        index=True,
        help="Fingerprint of the file: two versions with the same checksum are the same file.",
    )
    author_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True, index=True
    )
    date = fields.Datetime("Uploaded On", default=fields.Datetime.now, readonly=True)
    note = fields.Text()
    state = fields.Selection(
        [("draft", "Draft"), ("final", "Final")],
        "Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
    )
    company_id = fields.Many2one(
        related="contract_id.company_id", string="Company", store=True, index=True
    )
    partner_id = fields.Many2one(
        related="contract_id.partner_id", string="Customer", store=True, index=True
    )
    user_id = fields.Many2one(
        related="contract_id.user_id", string="Salesperson", store=True, index=True
    )

    _number_uniq = models.Constraint(
        "UNIQUE(contract_id, number)",
        "Two versions of a contract cannot have the same number.",
    )
    _one_final_per_contract = models.UniqueIndex("(contract_id) WHERE state = 'final'")

    @api.depends("number", "file_name")
    def _compute_display_label(self):
        for version in self:
            version.display_label = self.env._(
                "v%(number)s %(file)s", number=version.number or "", file=version.file_name or ""
            ).strip()

    # ------------------------------------------------------------------
    # CRUD: a new file is a new version, a final version never changes
    # ------------------------------------------------------------------

    def _effect_decode(self, value):
        """The bytes of an uploaded file (binary fields receive base64)."""
        try:
            return base64.b64decode(value or b"", validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise ValidationError(self.env._("The uploaded file could not be read.")) from None

    @api.model_create_multi
    def create(self, vals_list):
        # first: a version of a contract of a customer the user does not work is refused
        self._effect_check_customer_create(vals_list)
        # a size limit set by the administrator; reading it discloses nothing
        config = self.env["ir.config_parameter"].sudo()
        max_size = int(config.get_param("effect_crm.contract_max_upload_mb", 50)) * 1024 * 1024
        default_contract = self.default_get(["contract_id"]).get("contract_id")
        for vals in vals_list:
            if default_contract:
                vals.setdefault("contract_id", default_contract)
        contracts = self.env["effect.crm.contract"].browse(
            {vals.get("contract_id") for vals in vals_list if vals.get("contract_id")}
        )
        latest = {
            contract.id: contract.version_ids.sorted("number", reverse=True)[:1]
            for contract in contracts
        }
        next_number = {
            contract.id: max(contract.version_ids.mapped("number") or [0]) + 1
            for contract in contracts
        }
        for vals in vals_list:
            data = self._effect_decode(vals.get("file"))
            problem = check_upload(vals.get("file_name"), data, max_size=max_size)
            if problem:
                raise ValidationError(self._effect_upload_message(problem, vals, max_size))
            vals["checksum"] = sha256_hex(data)
            vals["file_size"] = len(data)
            contract_id = vals.get("contract_id")
            previous = latest.get(contract_id)
            if previous and previous.checksum == vals["checksum"]:
                raise ValidationError(
                    self.env._(
                        "This file is identical to version %(number)s of %(contract)s: "
                        "no new version was made.",
                        number=previous.number,
                        contract=previous.contract_id.name,
                    )
                )
            if contract_id:
                vals["number"] = next_number[contract_id]
                next_number[contract_id] += 1
            if vals.get("state") == "final":
                raise UserError(self.env._("Upload the version first, then mark it final."))
        versions = super().create(vals_list)
        for version in versions:
            version.contract_id.message_post(
                body=self.env._(
                    "Version %(number)s uploaded: %(file)s",
                    number=version.number,
                    file=version.file_name or "",
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        return versions

    def _effect_upload_message(self, problem, vals, max_size):
        name = vals.get("file_name") or self.env._("the file")
        if problem == EMPTY:
            return self.env._("%(file)s is empty: choose the file to upload.", file=name)
        if problem == TOO_LARGE:
            return self.env._(
                "%(file)s is larger than %(size)s MB: it was not uploaded.",
                file=name,
                size=max_size // (1024 * 1024),
            )
        if problem == DAMAGED:
            return self.env._(
                "%(file)s is damaged or is not really an Office document: it was not "
                "uploaded. Save it again from Word (or Excel) and upload it.",
                file=name,
            )
        return problem

    def _effect_check_unlocked(self):
        """A final version never changes; only its unlock (by a sales manager) is allowed."""
        final = self.filtered(lambda v: v.state == "final")
        if final:
            version = final[0]
            raise UserError(
                self.env._(
                    "Version %(number)s of %(contract)s is final: it cannot be changed or "
                    "deleted. Upload a new version, or ask a sales manager to unlock it.",
                    number=version.number,
                    contract=version.contract_id.name,
                )
            )

    def write(self, vals):
        self._effect_check_customer_write(vals)
        changed = [name for name in FILE_FIELDS if name in vals]
        if changed:
            raise UserError(
                self.env._("A version's file never changes: upload the new file as a new version.")
            )
        if vals == {"state": "draft"}:
            # the unlock: decided by the user's group, and always in the contract's chatter
            unlocked = self.filtered(lambda v: v.state == "final")
            if unlocked:
                self._effect_check_unlock_rights()
            result = super().write(vals)
            unlocked._effect_log_unlock()
            return result
        self._effect_check_unlocked()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_final(self):
        self._effect_check_unlocked()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_mark_final(self):
        for version in self:
            if version.state == "final":
                continue
            other = version.contract_id.final_version_id
            if other and other != version:
                raise UserError(
                    self.env._(
                        "Version %(number)s of %(contract)s is already final. A sales "
                        "manager must unlock it before another version becomes final.",
                        number=other.number,
                        contract=version.contract_id.name,
                    )
                )
            version.write({"state": "final"})
            version.contract_id.message_post(
                body=self.env._(
                    "Version %(number)s (%(file)s) marked final: it is now locked.",
                    number=version.number,
                    file=version.file_name or "",
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _effect_check_unlock_rights(self):
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only a sales manager can unlock a final version."))

    def action_unlock(self):
        """A sales manager reopens a final version; the unlock is logged on the contract."""
        self._effect_check_unlock_rights()
        self.filtered(lambda v: v.state == "final").write({"state": "draft"})
        return True

    def _effect_log_unlock(self):
        for version in self:
            version.contract_id.message_post(
                body=Markup(
                    self.env._("Version %(number)s (%(file)s) <b>unlocked</b> by %(user)s.")
                )
                % {
                    "number": version.number,
                    "file": version.file_name or "",
                    "user": self.env.user.name,
                },
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file/{self.file_name or 'file'}"
            "?download=true",
            "target": "self",
        }
