from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from ..tools.territory import best_territory
from .common import EffectCrmCommon


class EffectCrmTerritoryCommon(EffectCrmCommon):
    """Three provinces under two regions, with their salespeople."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Territory = cls.env["effect.crm.territory"]
        # the tests own the territory tree (the database may hold demo territories)
        Territory.search([]).active = False
        cls.north = Territory.create(
            {
                "name": "Miền Bắc (test)",
                "manager_id": cls.user_sales_manager.id,
                "country_ids": [Command.link(cls.vn.id)],
                "state_ids": [Command.link(cls.hanoi.id)],
            }
        )
        cls.t_hanoi = Territory.create(
            {
                "name": "Hà Nội (test)",
                "parent_id": cls.north.id,
                "member_ids": [Command.link(cls.user_salesman.id)],
                "state_ids": [Command.link(cls.hanoi.id)],
            }
        )
        cls.t_hcmc = Territory.create(
            {
                "name": "TP HCM (test)",
                "member_ids": [Command.link(cls.user_salesman_2.id)],
                "state_ids": [Command.link(cls.hcmc.id)],
            }
        )
        cls.t_danang = Territory.create(
            {
                "name": "Đà Nẵng (test)",
                "state_ids": [Command.link(cls.danang.id)],
                "city_names": "Hải Châu, Sơn Trà",
            }
        )
        (cls.customer | cls.customer_2)._effect_assign_territories()


@tagged("post_install", "-at_install")
class TestTerritory(EffectCrmTerritoryCommon):
    def test_customers_are_assigned_by_criteria(self):
        self.assertEqual(self.customer.effect_territory_id, self.t_hanoi, "deepest match wins")
        self.assertEqual(self.customer_contact.effect_territory_id, self.t_hanoi)
        self.assertEqual(self.customer_2.effect_territory_id, self.t_hcmc)
        self.assertFalse(self.vendor.effect_territory_id, "not a CRM customer")

    def test_new_and_changed_customers_follow_the_criteria(self):
        prospect = (
            self.env["res.partner"]
            .with_user(self.user_salesman)
            .create(
                {
                    "name": "Khách Sơn Trà",
                    "is_company": True,
                    "effect_stage": "prospect",
                    "state_id": self.danang.id,
                    "city": "sơn trà ",
                }
            )
        )
        self.assertEqual(prospect.effect_territory_id, self.t_danang)
        self.assertEqual(prospect.user_id, self.user_salesman, "a salesperson's prospect is theirs")
        prospect.write({"city": "Liên Chiểu"})
        self.assertFalse(prospect.effect_territory_id, "no territory matches Liên Chiểu")
        prospect.write({"state_id": self.hanoi.id})
        self.assertEqual(prospect.effect_territory_id, self.t_hanoi)
        history = prospect.effect_territory_history_ids.sorted("id")
        self.assertEqual(history.mapped("territory_to_id"), self.t_danang | self.t_hanoi)
        self.assertEqual(set(history.mapped("reason")), {"criteria"})

    def test_manual_override_is_kept_until_cleared(self):
        self.customer.with_user(self.user_sales_manager).effect_territory_id = self.t_hcmc
        self.assertTrue(self.customer.effect_territory_manual)
        self.customer.write({"city": "Hoàn Kiếm"})
        self.assertEqual(self.customer.effect_territory_id, self.t_hcmc, "criteria do not move it")
        self.customer.with_user(self.user_sales_manager).effect_territory_id = False
        self.assertFalse(self.customer.effect_territory_manual)
        self.assertEqual(self.customer.effect_territory_id, self.t_hanoi, "back to the criteria")
        reasons = self.customer.effect_territory_history_ids.sorted("id").mapped("reason")
        self.assertEqual(reasons[-3:], ["manual", "manual", "criteria"])

    def test_explicit_customers_win(self):
        self.t_hcmc.partner_ids = [Command.link(self.customer.id)]
        self.customer._effect_assign_territories()
        self.assertEqual(self.customer.effect_territory_id, self.t_hcmc)

    def test_tree_has_no_cycle(self):
        with self.assertRaises(UserError):  # Odoo's recursion check of parent_store models
            self.north.parent_id = self.t_hanoi

    def test_manager_sees_sub_territories(self):
        self.assertEqual(
            self.user_sales_manager.effect_territory_ids
            & (self.north | self.t_hanoi | self.t_hcmc),
            self.north | self.t_hanoi,
        )
        self.assertEqual(
            self.user_salesman.effect_territory_ids & (self.north | self.t_hanoi), self.t_hanoi
        )

    def test_reassignment_moves_customers_activities_and_opportunities(self):
        activity = self.customer.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.user_salesman.id, summary="Gọi lại"
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Cơ hội thép",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "user_id": self.user_salesman.id,
            }
        )
        job = (
            self.env["effect.crm.reassignment"]
            .with_user(self.user_sales_manager)
            .create(
                {
                    "mode": "move",
                    "from_user_id": self.user_salesman.id,
                    "to_user_id": self.user_salesman_2.id,
                    "to_territory_id": self.t_hcmc.id,
                }
            )
        )
        # Odoo's "<action> assigned to you" message on the customer, for each moved action
        notifications = self.env["mail.message"].search_count(
            [
                ("message_type", "=", "user_notification"),
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("subject", "ilike", "assigned to you"),
            ]
        )
        assigned = self.env["mail.message"].search_count(
            [("model", "=", "res.partner"), ("subject", "ilike", "You have been assigned to")]
        )
        job.action_start()
        self.assertEqual(job.state, "done")
        self.assertEqual(job.moved_count, 1)
        # no "activity assigned to you" message for each moved action
        self.assertEqual(
            self.env["mail.message"].search_count(
                [
                    ("message_type", "=", "user_notification"),
                    ("model", "=", "res.partner"),
                    ("res_id", "=", self.customer.id),
                    ("subject", "ilike", "assigned to you"),
                ]
            ),
            notifications,
        )
        # nor a "You have been assigned to <customer>" for each moved customer
        self.assertEqual(
            self.env["mail.message"].search_count(
                [("model", "=", "res.partner"), ("subject", "ilike", "You have been assigned to")]
            ),
            assigned,
        )
        self.assertEqual(self.customer.user_id, self.user_salesman_2)
        self.assertEqual(self.customer.effect_territory_id, self.t_hcmc)
        self.assertTrue(self.customer.effect_territory_manual)
        self.assertEqual(activity.user_id, self.user_salesman_2)
        self.assertEqual(lead.user_id, self.user_salesman_2)
        [entry] = job.history_ids
        self.assertEqual(
            (entry.partner_id, entry.user_from_id, entry.user_to_id, entry.reason),
            (self.customer, self.user_salesman, self.user_salesman_2, "reassignment"),
        )
        self.assertEqual(entry.author_id, self.user_sales_manager)

    def test_reassignment_needs_a_source_and_a_target(self):
        job = self.env["effect.crm.reassignment"].create({"mode": "move"})
        with self.assertRaises(UserError):
            job.action_start()
        job.from_user_id = self.user_salesman
        with self.assertRaises(UserError):
            job.action_start()

    def _clone_partners(self, template, count, provinces):
        """``count`` copies of ``template`` spread over ``provinces``, inserted in SQL
        (the ORM would take minutes); each row is the template's with a new name,
        province and commercial partner."""
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT column_name FROM information_schema.columns
                WHERE table_name = 'res_partner' AND column_name NOT IN
                      ('id', 'name', 'complete_name', 'state_id', 'commercial_partner_id',
                       'effect_territory_id')"""
        )
        columns = [row[0] for row in self.env.cr.fetchall()]
        column_list = ", ".join(f'"{name}"' for name in columns)
        self.env.cr.execute(
            f"""
            INSERT INTO res_partner (name, complete_name, state_id, {column_list})
            SELECT 'KH ' || n, 'KH ' || n, (%s::int[])[1 + n %% %s], {column_list}
              FROM res_partner, generate_series(1, %s) n
             WHERE res_partner.id = %s
            RETURNING id
            """,
            [[p.id for p in provinces], len(provinces), count, template.id],
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids]
        )
        self.env.invalidate_all()
        return ids

    def test_reassigning_ten_thousand_customers_in_batches(self):
        """10,000 customers change territory when the criteria change, batch by batch."""
        provinces = [self.hanoi, self.hcmc, self.danang]
        ids = self._clone_partners(self.customer_2, 10000, provinces)
        # Đà Nẵng joins the HCMC territory; the Đà Nẵng territory is closed
        self.t_danang.active = False
        self.t_hcmc.state_ids = [Command.link(self.danang.id)]
        job = self.env["effect.crm.reassignment"].create({"mode": "criteria"})
        job.action_start()
        self.assertEqual(job.state, "queued", "large jobs run in the background")
        batches = 0
        while job.state == "queued":
            job._process_batch(1000)
            batches += 1
        self.assertGreaterEqual(batches, 10)
        self.assertEqual(job.done_count, job.total_count)
        partners = self.env["res.partner"].browse(ids)
        by_territory = {
            territory: len(group)
            for territory, group in partners.grouped("effect_territory_id").items()
        }
        self.assertEqual(by_territory, {self.t_hanoi: 3333, self.t_hcmc: 6667})
        # nobody is left outside the territory its criteria match
        snapshot = self.env["effect.crm.territory"].search([])._effect_criteria_snapshot()
        for partner in partners[::97]:
            expected = best_territory(
                snapshot,
                {
                    "id": partner.id,
                    "country_id": partner.country_id.id,
                    "state_id": partner.state_id.id,
                    "industry_id": False,
                    "category_ids": set(),
                    "city": False,
                },
            )
            self.assertEqual(partner.effect_territory_id.id, expected)
        self.assertEqual(
            self.env["effect.crm.territory.history"].search_count(
                [("reassignment_id", "=", job.id)]
            ),
            job.moved_count,
        )
