import base64
import binascii
import mimetypes
from urllib.parse import quote as url_quote

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import docx_template, office, vietnamese
from ..tools.contract_files import (
    DAMAGED,
    EMPTY,
    TOO_LARGE,
    FileBytes,
    check_upload,
    extension,
    sha256_hex,
)
from .effect_crm_template_data import APPLICABLE_FIELDS, flatten_values

# Word documents: their text is indexed and their content controls read back
WORD_EXTENSIONS = (".docx", ".docm", ".dotm")
# files LibreOffice turns into a PDF
OFFICE_TO_PDF = (".docx", ".doc", ".odt", ".rtf", ".xlsx", ".ods", ".pptx", ".odp")

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
    # precomputed: written by the version's INSERT, not by an UPDATE after it
    company_id = fields.Many2one(
        related="contract_id.company_id", string="Company", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="contract_id.partner_id",
        string="Customer",
        store=True,
        index=True,
        precompute=True,
    )
    user_id = fields.Many2one(
        related="contract_id.user_id",
        string="Salesperson",
        store=True,
        index=True,
        precompute=True,
    )

    template_id = fields.Many2one(
        "effect.crm.template",
        "Made From Template",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    text_content = fields.Text(
        "Document Text",
        readonly=True,
        copy=False,
        prefetch=False,  # read where shown or searched, not with every version's number
        help="The text of the Word document, for searching contracts by their terms.",
    )
    document_values = fields.Json(
        readonly=True,
        copy=False,
        help="The values found in the content controls of the Word document.",
    )
    pdf_convertible = fields.Boolean(compute="_compute_pdf_convertible")
    difference_count = fields.Integer("Differences", compute="_compute_differences")
    difference_html = fields.Html(
        "Document vs. Database", compute="_compute_differences", sanitize=False
    )
    difference_applicable = fields.Boolean(compute="_compute_differences")

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

    @api.depends("file_name")
    def _compute_pdf_convertible(self):
        for version in self:
            version.pdf_convertible = extension(version.file_name) in OFFICE_TO_PDF

    @api.depends("document_values", "contract_id")
    def _compute_differences(self):
        for version in self:
            differences = version._effect_differences()
            version.difference_count = len(differences)
            version.difference_applicable = any(d["applicable"] for d in differences)
            version.difference_html = version._effect_differences_html(differences)

    # ------------------------------------------------------------------
    # Document read back
    # ------------------------------------------------------------------

    def _effect_differences(self):
        """Where the document's content controls disagree with the database.

        A list of dicts: ``tag``, ``document`` and ``database`` (texts), ``applicable``
        (the contract field can take the document's value).
        """
        self.ensure_one()
        found = self.document_values
        if not found or not isinstance(found, dict) or not self.contract_id:
            return []
        try:
            current = flatten_values(
                self.env["effect.crm.template.data"]._effect_build(contract=self.contract_id)
            )
        except AccessError:
            # a reader who may not see the quotation or the customer's details (an
            # accountant) reads the contract without the comparison
            return []
        differences = []
        for tag, document in found.items():
            if not isinstance(document, str) or not isinstance(current.get(tag), (str, int, float)):
                continue
            database = str(current[tag])
            if _same(tag, document, database):
                continue
            differences.append(
                {
                    "tag": tag,
                    "document": document,
                    "database": database,
                    "applicable": tag in APPLICABLE_FIELDS,
                }
            )
        return differences

    def _effect_differences_html(self, differences):
        if not differences:
            return False
        rows = Markup("").join(
            Markup("<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (
                d["tag"],
                d["document"],
                d["database"],
                self.env._("Yes") if d["applicable"] else "",
            )
            for d in differences
        )
        return Markup(
            '<table class="table table-sm o_effect_differences"><thead><tr>'
            "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>"
        ) % (
            self.env._("Field"),
            self.env._("In the document"),
            self.env._("In the database"),
            self.env._("Can be taken"),
            rows,
        )

    def _effect_document_contract_values(self):
        """The contract values the document holds, for the fields it may change."""
        self.ensure_one()
        values = {}
        problems = []
        for difference in self._effect_differences():
            if not difference["applicable"]:
                continue
            field_name, kind = APPLICABLE_FIELDS[difference["tag"]]
            text = difference["document"].strip()
            try:
                if kind == "amount":
                    value = vietnamese.parse_amount(text)
                elif kind == "date":
                    value = vietnamese.parse_date(text) if text else False
                else:
                    value = text
            except ValueError:
                problems.append(f"{difference['tag']}: {text}")
                continue
            values[field_name] = value
        if problems:
            raise UserError(
                self.env._(
                    "These values of the document could not be read; correct them in Word "
                    "or in the contract:\n%(values)s",
                    values="\n".join(problems),
                )
            )
        return values

    def action_apply_document_values(self):
        """Take the document's values (title, value, dates) into the contract."""
        self.ensure_one()
        values = self._effect_document_contract_values()
        if not values:
            raise UserError(self.env._("The document holds no value the contract can take."))
        contract = self.contract_id
        contract.write(values)
        contract.message_post(
            body=self.env._(
                "Values of version %(number)s taken into the contract: %(fields)s",
                number=self.number,
                fields=", ".join(
                    contract._fields[name].get_description(self.env)["string"] for name in values
                ),
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_regenerate(self):
        """A new version merged again from the template, with the database's values."""
        self.ensure_one()
        template = self.template_id or self.contract_id.version_ids.template_id[:1]
        if not template:
            raise UserError(
                self.env._("No template made this contract's versions: use Create from Template.")
            )
        self.contract_id._effect_version_from_template(template)
        return self.contract_id._effect_form_action()

    # ------------------------------------------------------------------
    # CRUD: a new file is a new version, a final version never changes
    # ------------------------------------------------------------------

    def _effect_file_data(self, value):
        """The bytes of a ``file`` value: as given (``FileBytes``, its checksum with it) or
        decoded from base64."""
        if isinstance(value, FileBytes):
            return value
        return self._effect_decode(value)

    def _effect_decode(self, value):
        """The bytes of an uploaded file (binary fields receive base64)."""
        try:
            return base64.b64decode(value or b"", validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise ValidationError(self.env._("The uploaded file could not be read.")) from None

    @api.model_create_multi
    def create(self, vals_list):
        """Each file is decoded once: its bytes are checked, read and stored as they are
        (the attachment gets ``raw`` and the MIME type of the file's name, not base64
        Odoo would decode twice more, to guess the type and to store it). A caller that
        holds the bytes (a save from Word, a template) gives ``FileBytes``: no base64.
        """
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
        # the bytes of each file, stored below (not through the field)
        datas = [self._effect_file_data(vals.pop("file", None)) for vals in vals_list]
        for vals, data in zip(vals_list, datas, strict=True):
            problem = check_upload(vals.get("file_name"), data, max_size=max_size)
            if problem:
                raise ValidationError(self._effect_upload_message(problem, vals, max_size))
            if extension(vals.get("file_name")) in WORD_EXTENSIONS:
                self._effect_read_word(vals, data, max_size)
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
        # the attachments of the binary field ``file``, as the field would write them
        self.env["ir.attachment"].sudo().create(
            [
                {
                    "name": "file",
                    "res_model": self._name,
                    "res_field": "file",
                    "res_id": version.id,
                    "type": "binary",
                    "raw": data,
                    "mimetype": mimetypes.guess_type(version.file_name or "")[0],
                }
                for version, data in zip(versions, datas, strict=True)
            ]
        )
        versions.invalidate_recordset(["file"])
        author = self.env.user.partner_id
        for version in versions:
            # a note that notifies nobody, logged as Odoo logs one (the user was just
            # checked to write this contract's versions); the author given, not looked up
            version.contract_id._message_log(
                body=self.env._(
                    "Version %(number)s uploaded: %(file)s",
                    number=version.number,
                    file=version.file_name or "",
                ),
                author_id=author.id,
                email_from=author.email_formatted,
            )
        return versions

    def _effect_read_word(self, vals, data, max_size):
        """Refuse an unsafe Word file; keep the text and the content controls of a safe one
        (read from the parts the check parsed: one parse of each)."""
        parts = self.env["effect.crm.template"]._effect_check_docx(
            data, vals.get("file_name"), max_size=max_size
        )
        vals["text_content"] = docx_template.document_text(parts)
        vals["document_values"] = docx_template.content_controls(parts) or False

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

    def _effect_file_bytes(self):
        self.ensure_one()
        return base64.b64decode(self.file or b"")

    def action_edit_in_word(self):
        """Open this version in the installed Word (``ms-word:`` link over WebDAV).

        A final version opens read-only (``ofv``); saving from Word makes a new version.
        """
        self.ensure_one()
        if extension(self.file_name) != ".docx":
            raise UserError(
                self.env._(
                    "Only a Word document (.docx) opens in Word from the browser: "
                    "download this file instead."
                )
            )
        token = self.env["effect.crm.webdav.token"]._effect_issue(self)
        base = self.get_base_url()
        name = (self.file_name or "document.docx").replace("/", "_").replace("\\", "_")
        if not name.lower().endswith(".docx"):
            name = f"{name}.docx"
        url = f"{base}/effect_crm/dav/{token}/{url_quote(name)}"
        scheme = "ofv" if self.state == "final" else "ofe"
        return {
            "type": "ir.actions.client",
            "tag": "effect_crm.open_location",
            "params": {"url": f"ms-word:{scheme}|u|{url}"},
        }

    def action_pdf(self):
        """The PDF of this version, made by LibreOffice on the server."""
        self.ensure_one()
        suffix = extension(self.file_name) or ".docx"
        try:
            pdf = office.to_pdf(self._effect_file_bytes(), suffix=suffix)
        except office.ConversionError:
            raise UserError(
                self.env._(
                    "The PDF could not be made: LibreOffice is not installed on the server "
                    "or could not read this file. Download the file instead."
                )
            ) from None
        name = (self.file_name or "document").rsplit(".", 1)[0] + ".pdf"
        attachment = self.env["ir.attachment"].create(
            {"name": name, "raw": pdf, "res_model": self._name, "res_id": self.id}
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file/{self.file_name or 'file'}"
            "?download=true",
            "target": "self",
        }


def _same(tag, document, database):
    """Whether a document's value says the same as the database's (case, spaces aside)."""
    kind = APPLICABLE_FIELDS.get(tag, (None, "text"))[1]
    try:
        if kind == "amount":
            return vietnamese.parse_amount(document) == vietnamese.parse_amount(database)
        if kind == "date" and document.strip() and database.strip():
            return vietnamese.parse_date(document) == vietnamese.parse_date(database)
    except ValueError:
        return False  # the document's text is no amount/date: it differs
    return " ".join(document.split()).casefold() == " ".join(database.split()).casefold()
