from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.territory import parse_cities

# fields that decide who sees the territory's customers
MEMBERSHIP_FIELDS = ("member_ids", "manager_id", "parent_id", "active")


class EffectCrmTerritory(models.Model):
    """A sales territory: a node of a tree (region > province > district, or any
    tree), its salespeople, its manager and the criteria that assign customers."""

    _name = "effect.crm.territory"
    _description = "Sales Territory"
    _inherit = ["mail.thread", "effect.crm.text.mixin"]
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char()
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True, index=True
    )
    sequence = fields.Integer(
        default=10, help="When two territories of the same level match, the lower one wins."
    )
    active = fields.Boolean(default=True, tracking=True)
    parent_id = fields.Many2one(
        "effect.crm.territory", "Parent Territory", index=True, ondelete="restrict", tracking=True
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("effect.crm.territory", "parent_id", "Sub-territories")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    manager_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="Sees the customers of this territory and of all its sub-territories.",
    )
    member_ids = fields.Many2many(
        "res.users",
        "effect_crm_territory_member_rel",
        "territory_id",
        "user_id",
        "Salespeople",
        domain=[("share", "=", False)],
    )
    # assignment criteria
    country_ids = fields.Many2many("res.country", string="Countries")
    state_ids = fields.Many2many("res.country.state", string="Provinces / States")
    industry_ids = fields.Many2many("res.partner.industry", string="Industries")
    category_ids = fields.Many2many("res.partner.category", string="Tags")
    city_names = fields.Text(
        "Cities / Districts", help="City or district names, separated by commas or lines."
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "effect_crm_territory_partner_rel",
        "territory_id",
        "partner_id",
        "Explicit Customers",
        domain=[("effect_stage", "!=", False), ("parent_id", "=", False)],
        help="Customers that belong here whatever the other criteria say.",
    )
    customer_ids = fields.One2many(
        "res.partner",
        "effect_territory_id",
        "Customers",
        domain=[("parent_id", "=", False)],
    )
    customer_count = fields.Integer(compute="_compute_customer_count")
    description = fields.Text()

    _code_company_uniq = models.Constraint(
        "UNIQUE(code, company_id)",
        "A territory with this code already exists in this company.",
    )

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for territory in self:
            if territory.parent_id:
                territory.complete_name = f"{territory.parent_id.complete_name} / {territory.name}"
            else:
                territory.complete_name = territory.name

    def _compute_customer_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("effect_territory_id", "in", self.ids), ("parent_id", "=", False)],
                ["effect_territory_id"],
                ["__count"],
            )
        )
        for territory in self:
            territory.customer_count = counts.get(territory, 0)

    @api.constrains("parent_id", "company_id")
    def _check_company(self):
        for territory in self:
            if territory.parent_id and territory.parent_id.company_id != territory.company_id:
                raise ValidationError(
                    self.env._(
                        "Territory %(name)s must belong to the company of its parent.",
                        name=territory.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: who sees what changes with the tree and its members
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        territories = super().create(vals_list)
        self._effect_membership_changed()
        return territories

    def write(self, vals):
        result = super().write(vals)
        if any(name in vals for name in MEMBERSHIP_FIELDS):
            self._effect_membership_changed()
        return result

    def unlink(self):
        result = super().unlink()
        self._effect_membership_changed()
        return result

    def _effect_membership_changed(self):
        """Record rules read the territories of a user: recompute them and the rules."""
        self.env["res.users"].invalidate_model(["effect_territory_ids"])
        self.env.registry.clear_cache()

    # ------------------------------------------------------------------
    # Assignment
    # ------------------------------------------------------------------

    def _effect_criteria_snapshot(self):
        """Plain data of the territories, for :mod:`..tools.territory`."""
        return [
            {
                "id": territory.id,
                "depth": territory.parent_path.count("/") - 1 if territory.parent_path else 0,
                "sequence": territory.sequence,
                "partner_ids": set(territory.partner_ids.ids),
                "country_ids": set(territory.country_ids.ids),
                "state_ids": set(territory.state_ids.ids),
                "industry_ids": set(territory.industry_ids.ids),
                "category_ids": set(territory.category_ids.ids),
                "cities": parse_cities(territory.city_names),
            }
            for territory in self
        ]

    def action_open_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "effect_crm.action_effect_crm_customers"
        )
        action["domain"] = [
            ("effect_territory_id", "child_of", self.id),
            ("parent_id", "=", False),
        ]
        action["context"] = {"default_effect_territory_id": self.id}
        return action

    def action_reapply_criteria(self):
        """Reassign every customer of the companies of these territories by the criteria."""
        job = self.env["effect.crm.reassignment"].create(
            {
                "mode": "criteria",
                "company_id": self[:1].company_id.id or self.env.company.id,
            }
        )
        return job.action_start()
