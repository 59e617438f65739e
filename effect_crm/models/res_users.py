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

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._effect_set_agenda_home()
        return users

    def write(self, vals):
        result = super().write(vals)
        if "group_ids" in vals:
            self._effect_set_agenda_home()
        return result

    def _effect_set_agenda_home(self):
        """A salesperson's day starts in the agenda: make it the home action (the page
        after login) of internal salespeople who have none; a home action chosen for a
        user is kept."""
        agenda = self.env.ref("effect_crm.effect_crm_agenda_action", raise_if_not_found=False)
        if not agenda:  # while the module's data is still loading
            return
        salespeople = self.filtered(
            lambda user: (
                not user.action_id
                and not user.share
                and user.has_group("sales_team.group_sale_salesman")
            )
        )
        if salespeople:
            salespeople.write({"action_id": agenda.id})

    @api.model
    def _effect_agenda_home_for_salespeople(self):
        """At install: the salespeople who already exist land in the agenda too."""
        self.search([("share", "=", False)])._effect_set_agenda_home()

    def _effect_is_restricted(self):
        """True for a salesperson limited to own documents (territory rules apply)."""
        self.ensure_one()
        return self.has_group("sales_team.group_sale_salesman") and not self.has_group(
            "sales_team.group_sale_salesman_all_leads"
        )
