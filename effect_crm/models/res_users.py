from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    effect_territory_ids = fields.Many2many(
        "effect.crm.territory",
        string="Visible Territories",
        compute="_compute_effect_territory_ids",
        compute_sudo=True,
        help="Territories whose customers this user works: those it is a member of, and those "
        "it manages with all their sub-territories. Record rules read it.",
    )

    @api.depends_context("uid")
    def _compute_effect_territory_ids(self):
        Territory = self.env["effect.crm.territory"].sudo()
        for user in self:
            member_of = Territory.search([("member_ids", "in", user.ids)])
            managed = Territory.search([("manager_id", "=", user.id)])
            if managed:
                managed = Territory.search([("id", "child_of", managed.ids)])
            user.effect_territory_ids = member_of | managed

    def _effect_is_restricted(self):
        """True for a salesperson limited to own documents (territory rules apply)."""
        self.ensure_one()
        return self.has_group("sales_team.group_sale_salesman") and not self.has_group(
            "sales_team.group_sale_salesman_all_leads"
        )
