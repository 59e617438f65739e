from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.links import classify_link, clickable_url, normalize_link


class EffectCrmDocument(models.Model):
    """A document held about a customer: an uploaded file or a link to one.

    Links (file paths, UNC paths, URLs) are kept as text only: the server never
    opens, reads or serves what they point at.
    """

    _name = "effect.crm.document"
    _description = "Customer Document"
    _inherit = ["mail.thread", "effect.crm.customer.mixin"]
    _order = "create_date desc, id desc"

    name = fields.Char("Title", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    company_id = fields.Many2one(
        "res.company",
        related="partner_id.company_id",
        store=True,
        index=True,
    )
    category_id = fields.Many2one("effect.crm.document.category", index=True, tracking=True)
    description = fields.Text()
    document_type = fields.Selection(
        [("file", "File"), ("link", "Link")],
        "Kind",
        required=True,
        default="file",
    )
    datas = fields.Binary("File", attachment=True)
    file_name = fields.Char()
    mimetype = fields.Char(compute="_compute_file_info")
    file_size = fields.Integer("Size (bytes)", compute="_compute_file_info")
    link = fields.Char(
        help="A file path (C:\\Contracts\\a.docx, /srv/share/a.pdf), a network path "
        "(\\\\server\\share\\a.xlsx) or a web address. Kept as text: the server never "
        "opens it."
    )
    link_kind = fields.Selection(
        [("url", "Web address"), ("unc", "Network path"), ("path", "File path")],
        compute="_compute_link_kind",
        store=True,
    )
    link_url = fields.Char("Open Link", compute="_compute_link_url")
    user_id = fields.Many2one(
        "res.users", "Added by", default=lambda self: self.env.user, index=True
    )
    active = fields.Boolean(default=True)

    @api.depends("link")
    def _compute_link_kind(self):
        for document in self:
            document.link_kind = classify_link(document.link)

    @api.depends("link")
    def _compute_link_url(self):
        for document in self:
            document.link_url = clickable_url(document.link)

    @api.depends("datas")
    def _compute_file_info(self):
        attachments = (
            self.env["ir.attachment"]
            .sudo()  # read size and type only, of attachments of records we can read
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_field", "=", "datas"),
                    ("res_id", "in", self.ids),
                ]
            )
        )
        by_document = {attachment.res_id: attachment for attachment in attachments}
        for document in self:
            attachment = by_document.get(document.id)
            document.mimetype = attachment.mimetype if attachment else False
            document.file_size = attachment.file_size if attachment else 0

    @api.constrains("document_type", "datas", "link")
    def _check_content(self):
        for document in self:
            if document.document_type == "file" and not document.datas:
                raise ValidationError(self.env._("Document %s: upload a file.", document.name))
            if document.document_type == "link" and not classify_link(document.link):
                raise ValidationError(
                    self.env._(
                        "Document %(name)s: %(link)r is not a link. Enter a web "
                        "address (https://…), a network path (\\\\server\\share\\"
                        "file) or a full file path (C:\\folder\\file or "
                        "/folder/file).",
                        name=document.name,
                        link=document.link or "",
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "link" in vals:
                vals["link"] = normalize_link(vals["link"]) or False
            if vals.get("datas") and not vals.get("name") and vals.get("file_name"):
                vals["name"] = vals["file_name"]
        return super().create(vals_list)

    def write(self, vals):
        if "link" in vals:
            vals["link"] = normalize_link(vals["link"]) or False
        return super().write(vals)

    @api.onchange("file_name")
    def _onchange_file_name(self):
        if self.file_name and not self.name:
            self.name = self.file_name
