from odoo import api, fields, models

from ..tools.tax_code import format_vn_tax_code, is_valid_vn_tax_code

EFFECT_STAGES = [
    ("prospect", "Prospect"),
    ("customer", "Customer"),
    ("inactive", "Inactive"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # A partner is a CRM customer (prospect, customer or inactive) when it has a stage.
    # Partners without one (users, vendors, employees, ...) are left as Odoo has them.
    effect_stage = fields.Selection(
        EFFECT_STAGES,
        "Lifecycle Stage",
        index=True,
        tracking=True,
        help="Prospect: not yet bought. Customer: has bought. Inactive: no longer "
        "followed. Empty: not a CRM customer.",
    )
    effect_stage_date = fields.Date(
        "Stage Since", readonly=True, copy=False, help="When the stage last changed."
    )
    effect_business_type_id = fields.Many2one(
        "effect.crm.business.type", "Business Type", index=True, tracking=True
    )
    effect_size_id = fields.Many2one("effect.crm.size", "Size", index=True, tracking=True)
    effect_director_name = fields.Char("Director", tracking=True)
    effect_document_ids = fields.One2many(
        "effect.crm.document",
        "partner_id",
        "Documents",
        groups="sales_team.group_sale_salesman",
    )
    effect_document_count = fields.Integer(
        "Document Count",
        compute="_compute_effect_document_count",
        groups="sales_team.group_sale_salesman",
    )

    @api.model
    def _commercial_fields(self):
        # contact persons share their company's CRM classification
        return [
            *super()._commercial_fields(),
            "effect_stage",
            "effect_business_type_id",
            "effect_size_id",
        ]

    def _compute_effect_document_count(self):
        counts = dict(
            self.env["effect.crm.document"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.effect_document_count = counts.get(partner.commercial_partner_id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            if vals.get("effect_stage"):
                vals.setdefault("effect_stage_date", today)
        return super().create(vals_list)

    def write(self, vals):
        if "effect_stage" in vals:
            vals = dict(vals, effect_stage_date=fields.Date.context_today(self))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Tax code (base_vat hooks)
    # ------------------------------------------------------------------

    def check_vat_vn(self, vat):
        """Vietnamese MST with its check digit (Odoo checks the form only)."""
        return is_valid_vn_tax_code(vat)

    def format_vat_vn(self, vat):
        return format_vn_tax_code(vat)

    # ------------------------------------------------------------------
    # Customer attributes (Odoo's partner properties)
    # ------------------------------------------------------------------

    @api.model
    def _effect_define_attributes(self, definitions):
        """Add customer attributes, or update those of the same technical name.

        Runs with the caller's rights: only a sales manager or an administrator may
        change the attribute definitions. Values of other attributes are kept.
        """
        container = self.env["properties.base.definition"]._get_definition_for_property_field(
            self._name, "properties"
        )
        current = [dict(item) for item in container.properties_definition or []]
        by_name = {item["name"]: item for item in current}
        for definition in definitions:
            if definition["name"] in by_name:
                by_name[definition["name"]].update(definition)
            else:
                current.append(dict(definition))
        container.properties_definition = current
        return True

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_effect_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "effect_crm.effect_crm_document_action"
        )
        partner = self.commercial_partner_id
        action["domain"] = [("commercial_partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    def action_effect_set_stage(self):
        """Buttons on the customer form: ``effect_stage`` comes from the context."""
        stage = self.env.context.get("effect_stage")
        if stage in dict(EFFECT_STAGES):
            self.commercial_partner_id.write({"effect_stage": stage})
        return True
