from odoo import api, fields, models, tools
from odoo.tools import SQL


class ResUsers(models.Model):
    _inherit = "res.users"

    effect_territory_ids = fields.Many2many(
        "effect.crm.territory",
        string="Visible Territories",
        compute="_compute_effect_territory_ids",
        compute_sudo=True,
        groups="sales_team.group_sale_salesman,effect_crm.group_crm_read_all",
        help="Territories whose customers this user works: those it is a member of, and those "
        "it manages with all their sub-territories.",
    )

    @api.depends_context("uid")
    def _compute_effect_territory_ids(self):
        Territory = self.env["effect.crm.territory"]
        for user in self:
            user.effect_territory_ids = Territory.browse(self._effect_worked_territory_ids(user.id))

    @api.model
    @tools.ormcache("user_id")
    def _effect_worked_territory_ids(self, user_id):
        """The active territories whose customers ``user_id`` works, in one query.

        Those it is a member of, and those it manages with all their sub-territories.
        Cached with the record rules: a change of membership, manager, parent or
        active clears both (see ``effect.crm.territory._effect_membership_changed``).
        """
        rows = self.env.execute_query(
            SQL(
                """
                SELECT t.id FROM effect_crm_territory t
                 WHERE t.active AND (
                       EXISTS (SELECT 1 FROM effect_crm_territory_member_rel m
                                WHERE m.territory_id = t.id AND m.user_id = %(uid)s)
                    OR EXISTS (SELECT 1 FROM effect_crm_territory p
                                WHERE p.manager_id = %(uid)s AND p.active
                                  AND t.parent_path LIKE p.parent_path || '%%'))
                 ORDER BY t.id
                """,
                uid=user_id,
            )
        )
        return tuple(row[0] for row in rows)

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

    def _effect_reads_crm_data(self):
        """True for the users who read CRM data: the sales team (any Sales group) and
        "CRM: read all" (directors; accountants through EFFECT CRM Accounting). Other
        employees and portal users see a customer as Odoo shows it (name, address), not
        its CRM fields, chatter, activities, followers or attachments."""
        self.ensure_one()
        return self.has_group("sales_team.group_sale_salesman") or self.has_group(
            "effect_crm.group_crm_read_all"
        )

    def _effect_is_restricted(self):
        """True for a salesperson limited to own documents: the territory rules apply.

        Every other user's reach comes from the access rights of their groups: all-documents
        salespeople and sales managers work every customer; employees without sales
        rights, accountants and "CRM: read all" users have no right to change CRM data
        (or, for accountants, only to what accounting owns).
        """
        self.ensure_one()
        return self.has_group("sales_team.group_sale_salesman") and not self.has_group(
            "sales_team.group_sale_salesman_all_leads"
        )

    def _effect_automation_user(self, salesperson):
        """The user an automation rule acts as, with ``with_user()``.

        Odoo runs automation rules as superuser; EFFECT CRM's rules act with the rights of
        the user who triggered them, or, when a customer triggered one on the portal (a
        portal or public user), with those of the document's ``salesperson`` (empty:
        the rule does nothing).
        """
        self.ensure_one()
        return salesperson if self.share else self
