import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import docx_template

TEMPLATE_PURPOSES = [
    ("contract", "Contract"),
    ("quotation", "Quotation"),
    ("letter", "Letter"),
]


class EffectCrmTemplate(models.Model):
    """A Word document with merge fields, kept by sales managers.

    Replacing the file makes a new version of the template: its number goes up and the
    previous file stays in the chatter.
    """

    _name = "effect.crm.template"
    _description = "Word Template"
    _inherit = ["mail.thread", "effect.crm.text.mixin"]
    _order = "purpose, sequence, name, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    purpose = fields.Selection(TEMPLATE_PURPOSES, required=True, default="contract", tracking=True)
    contract_type_id = fields.Many2one(
        "effect.crm.contract.type",
        index=True,
        tracking=True,
        help="Offered first for contracts of this type; leave empty for every type.",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to share the template between companies.",
    )
    file = fields.Binary("Word File", attachment=True, required=True, copy=False)
    file_name = fields.Char()
    version = fields.Integer(readonly=True, default=1, copy=False, tracking=True)
    active = fields.Boolean(default=True)
    description = fields.Text()
    field_names = fields.Text(
        "Fields Used",
        readonly=True,
        copy=False,
        help="The merge fields the Word file uses, one per line.",
    )
    unknown_fields = fields.Text(
        readonly=True,
        copy=False,
        help="Merge fields of the Word file that EFFECT CRM does not know: they stay "
        "empty in the documents. Correct their names in Word and upload the file again.",
    )
    available_fields = fields.Text(
        compute="_compute_available_fields",
        help="The merge fields a template may use.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    def _compute_available_fields(self):
        names = "\n".join(self.env["effect.crm.template.data"]._effect_available_fields())
        for template in self:
            template.available_fields = names

    # ------------------------------------------------------------------
    # File checks
    # ------------------------------------------------------------------

    @api.model
    def _effect_max_upload(self):
        # a size limit set by the administrator; reading it discloses nothing
        config = self.env["ir.config_parameter"].sudo()
        return int(config.get_param("effect_crm.template_max_upload_mb", 20)) * 1024 * 1024

    @api.model
    def _effect_check_docx(self, data, file_name=None, max_size=None):
        """Raise a translated ``ValidationError`` unless ``data`` is a safe .docx; return
        its parsed text parts (see ``docx_template.check_package``)."""
        name = file_name or self.env._("the file")
        max_size = max_size or self._effect_max_upload()
        if (file_name or "").lower().endswith((".docm", ".dotm")):
            raise ValidationError(self._effect_error_message(docx_template.MACRO, name, max_size))
        try:
            return docx_template.check_package(data, max_size=max_size)
        except docx_template.DocxTemplateError as error:
            raise ValidationError(self._effect_error_message(error.code, name, max_size)) from None

    @api.model
    def _effect_error_message(self, code, name, max_size):
        messages = {
            docx_template.EMPTY: self.env._("%(file)s is empty: choose the Word file.", file=name),
            docx_template.TOO_LARGE: self.env._(
                "%(file)s is larger than %(size)s MB: it was not accepted.",
                file=name,
                size=max_size // (1024 * 1024),
            ),
            docx_template.DAMAGED: self.env._(
                "%(file)s is damaged or is not a Word document: save it again from Word "
                "as a .docx file and upload it.",
                file=name,
            ),
            docx_template.NOT_WORD: self.env._(
                "%(file)s is not a Word document (.docx).",
                file=name,
            ),
            docx_template.MACRO: self.env._(
                "%(file)s contains macros: macro-enabled documents (.docm) are refused. "
                "Save it from Word as a plain Word document (.docx).",
                file=name,
            ),
            docx_template.BOMB: self.env._(
                "%(file)s expands to far more data than a Word document holds: it was refused.",
                file=name,
            ),
        }
        return messages.get(code, messages[docx_template.DAMAGED])

    @api.model
    def _effect_decode(self, value):
        try:
            return base64.b64decode(value or b"", validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise ValidationError(self.env._("The uploaded file could not be read.")) from None

    @api.model
    def _effect_file_values(self, vals):
        """Check the new file and list its fields; ``vals`` gains what the check found."""
        data = self._effect_decode(vals.get("file"))
        self._effect_check_docx(data, vals.get("file_name"))
        info = docx_template.fields_of(data)
        if info["spanning"]:
            raise ValidationError(
                self.env._(
                    "%(file)s: the field { %(field)s } begins in one paragraph and ends in "
                    "another, which EFFECT CRM cannot merge. In Word, keep each merge or IF "
                    "field inside one paragraph (Shift+Enter makes a new line inside it) and "
                    "upload the file again.",
                    file=vals.get("file_name") or self.env._("the file"),
                    field=info["spanning"][0],
                )
            )
        known = set(self.env["effect.crm.template.data"]._effect_available_fields())
        unknown = [name for name in info["fields"] if name not in known]
        vals["field_names"] = "\n".join(info["fields"])
        vals["unknown_fields"] = "\n".join(unknown)
        return vals

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("file"):
                self._effect_file_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        if "file" not in vals:
            return super().write(vals)
        if not vals.get("file"):
            raise UserError(self.env._("A template needs its Word file."))
        vals = self._effect_file_values(dict(vals))
        for template in self:
            previous = template.file
            template_vals = dict(vals, version=template.version + 1)
            if previous:
                template.message_post(
                    body=self.env._(
                        "Version %(number)s replaced by a new file.", number=template.version
                    ),
                    attachments=[
                        (
                            template.file_name or f"{template.name}.docx",
                            base64.b64decode(previous),
                        )
                    ],
                    message_type="notification",
                    subtype_xmlid="mail.mt_note",
                )
            super(EffectCrmTemplate, template).write(template_vals)
        return True

    # ------------------------------------------------------------------
    # Rendering
    # ------------------------------------------------------------------

    def _effect_render(self, partner=None, contract=None, order=None):
        """The merged .docx bytes of this template for the given records."""
        self.ensure_one()
        values = self.env["effect.crm.template.data"]._effect_build(
            partner=partner, contract=contract, order=order
        )
        data = base64.b64decode(self.file or b"")
        try:
            return docx_template.render(data, values)
        except docx_template.DocxTemplateError as error:
            raise UserError(
                self._effect_error_message(error.code, self.file_name, self._effect_max_upload())
            ) from None

    def _effect_output_name(self, record_name):
        self.ensure_one()
        safe = "".join(c if c.isalnum() or c in "-_ " else "_" for c in record_name or "")
        return f"{safe.strip() or 'document'} - {self.name}.docx"

    def action_preview(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview Template"),
            "res_model": "effect.crm.template.render",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_template_id": self.id, "default_mode": "preview"},
        }
