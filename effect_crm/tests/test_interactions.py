"""Interactions and the next actions they plan, as a salesperson uses them."""

import base64
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from ..tools.clock import local_today
from .common import EVENING_IN_UTC, EffectCrmCommon


class EffectCrmInteractionCommon(EffectCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_call = cls.env.ref("effect_crm.interaction_type_call")
        cls.type_visit = cls.env.ref("effect_crm.interaction_type_visit")
        cls.type_meeting = cls.env.ref("effect_crm.interaction_type_meeting")
        cls.activity_call = cls.env.ref("mail.mail_activity_data_call")
        cls.activity_visit = cls.env.ref("effect_crm.mail_activity_type_visit")
        cls.activity_quote = cls.env.ref("effect_crm.mail_activity_type_send_quote")
        cls.outcome_interested = cls.env.ref("effect_crm.interaction_outcome_interested")
        cls.outcome_quote = cls.env.ref("effect_crm.interaction_outcome_quote_requested")

    def _today(self, user=None, tz=None):
        """Today in the user's (or ``tz``'s) time zone, by the clock of the code."""
        if tz:
            return local_today(tz, fields.Datetime.now())
        return self._user_today(user or self.user_salesman)

    def _log(self, user=None, **values):
        values = {
            "name": "Gọi giới thiệu sản phẩm",
            "partner_id": self.customer.id,
            "type_id": self.type_call.id,
            **values,
        }
        return (
            self.env["effect.crm.interaction"].with_user(user or self.user_salesman).create(values)
        )


@freeze_time(EVENING_IN_UTC)
@tagged("post_install", "-at_install")
class TestInteractions(EffectCrmInteractionCommon):
    def test_salesman_logs_a_call_and_plans_a_visit_a_year_ahead(self):
        in_a_year = self._today() + relativedelta(years=1)
        interaction = self._log(
            outcome_id=self.outcome_interested.id,
            duration=0.25,
            notes="<p>Khách cần báo giá 50 bộ.</p>",
            next_activity_type_id=self.activity_visit.id,
            next_date=in_a_year,
            next_summary="Thăm văn phòng khách hàng",
        )
        activity = interaction.next_activity_id
        self.assertTrue(activity)
        self.assertEqual(activity.res_model, "res.partner")
        self.assertEqual(activity.res_id, self.customer.id)
        self.assertEqual(activity.activity_type_id, self.activity_visit)
        self.assertEqual(activity.date_deadline, in_a_year)
        self.assertEqual(activity.user_id, self.user_salesman, "default: the one logging")
        self.assertEqual(activity.summary, "Thăm văn phòng khách hàng")
        self.assertEqual(activity.effect_first_deadline, in_a_year)
        # Odoo's "my activities" and the customer's activities see it
        my_activities = (
            self.env["mail.activity"]
            .with_user(self.user_salesman)
            .search([("user_id", "=", self.user_salesman.id)])
        )
        self.assertIn(activity, my_activities)
        self.assertIn(activity, self.customer.activity_ids)
        # the customer keeps the last interaction and the next action, stored
        customer = self.customer.with_user(self.user_salesman)
        self.assertEqual(customer.effect_last_interaction_date, interaction.date)
        self.assertEqual(customer.effect_next_action_date, in_a_year)
        self.assertEqual(customer.effect_interaction_count, 1)
        self.assertEqual(interaction.user_id, self.user_salesman)
        self.assertEqual(interaction.company_id, self.env.company)

    def test_customer_fields_are_stored_and_searchable(self):
        old = self._log(date=fields.Datetime.now() - timedelta(days=45))
        recent_customer = self.customer_2
        self._log(user=self.user_salesman_2, partner_id=recent_customer.id)
        # an all-documents salesperson sees both customers (territory rules hide
        # customer_2 from user_salesman)
        Partner = self.env["res.partner"].with_user(self.user_salesman_all)
        limit = fields.Datetime.now() - timedelta(days=30)
        not_contacted = Partner.search(
            [
                ("id", "in", (self.customer | recent_customer).ids),
                "|",
                ("effect_last_interaction_date", "=", False),
                ("effect_last_interaction_date", "<", limit),
            ]
        )
        self.assertEqual(not_contacted, self.customer)
        self.assertEqual(self.customer.effect_last_interaction_date, old.date)
        self.assertEqual(self.customer.with_user(self.user_salesman).effect_days_since_contact, 45)
        without_next = Partner.search(
            [
                ("id", "in", (self.customer | recent_customer).ids),
                ("effect_next_action_date", "=", False),
            ]
        )
        self.assertEqual(without_next, self.customer | recent_customer)
        # the columns are indexed: the lists sort and filter on them at scale
        for column in ("effect_last_interaction_date", "effect_next_action_date"):
            self.env.cr.execute(
                "SELECT 1 FROM pg_indexes WHERE tablename = 'res_partner' AND indexdef LIKE %s",
                [f"%({column})%"],
            )
            self.assertTrue(self.env.cr.fetchone(), f"{column} has no index")

    def test_a_contact_person_is_logged_on_the_company(self):
        interaction = self._log(partner_id=self.customer_contact.id)
        self.assertEqual(interaction.partner_id, self.customer)
        self.assertEqual(interaction.contact_id, self.customer_contact)
        self.assertEqual(self.customer.effect_interaction_count, 1)

    def test_contact_person_of_another_customer_is_refused(self):
        # (a contact of a customer the salesperson does not work is refused earlier:
        # see test_access_paths)
        other_contact = self.env["res.partner"].create(
            {"name": "Người ngoài", "parent_id": self.vendor.id}
        )
        with self.assertRaisesRegex(ValidationError, "is not a contact person of"):
            self._log(contact_id=other_contact.id)

    def test_other_salespeople_interactions_count_for_the_customer(self):
        self._log(date=fields.Datetime.now() - timedelta(days=3))
        # another salesperson calls the same customer: record rules hide it from the owner
        # of neither, but the customer's summary covers every interaction
        latest = self._log(user=self.user_sales_manager, user_id=self.user_salesman_2.id)
        customer = self.customer.with_user(self.user_salesman)
        self.assertEqual(customer.effect_interaction_count, 2)
        self.assertEqual(customer.effect_last_interaction_date, latest.date)

    def test_the_loop_log_plan_do_plan_again(self):
        """Log a call planning a visit; do the visit from the agenda; plan the next one."""
        first = self._log(
            next_activity_type_id=self.activity_visit.id,
            next_date=self._today() + timedelta(days=2),
            next_summary="Thăm nhà máy",
        )
        visit = first.next_activity_id
        item = (
            self.env["effect.crm.agenda"]
            .with_user(self.user_salesman)
            .search([("activity_id", "=", visit.id)])
        )
        self.assertEqual(len(item), 1)
        action = item.action_effect_do()
        self.assertEqual(action["res_model"], "effect.crm.interaction")
        self.assertEqual(action["target"], "new")
        Interaction = self.env["effect.crm.interaction"].with_user(self.user_salesman)
        form = Form(
            Interaction.with_context(**action["context"]),
            view="effect_crm.effect_crm_interaction_view_form_log",
        )
        # prefilled from the planned action
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.type_id, self.type_visit)
        self.assertEqual(form.name, "Thăm nhà máy")
        self.assertEqual(form.user_id, self.user_salesman)
        form.outcome_id = self.outcome_quote
        form.notes = "<p>Khách yêu cầu báo giá dây chuyền.</p>"
        second = form.save()
        # saved: the visit is done (kept, archived) and both are linked
        self.assertFalse(visit.active)
        self.assertEqual(visit.state, "done")
        self.assertEqual(second.done_activity_id, visit)
        self.assertEqual(second.previous_interaction_id, first)
        self.assertEqual(second.done_activity_deadline, self._today() + timedelta(days=2))
        self.assertEqual(first.next_activity_id, visit)
        done_message = self.customer.message_ids.filtered(
            lambda message: message.mail_activity_type_id == self.activity_visit
        )
        self.assertIn("Quote requested", done_message.body)
        # the Log button asks for the next action, none being planned yet
        ask = second.action_effect_logged()
        self.assertEqual(ask["res_id"], second.id)
        self.assertEqual(
            ask["views"][0][0], self.env.ref("effect_crm.effect_crm_interaction_view_form_next").id
        )
        with self.assertRaisesRegex(UserError, "Set the date of the next action"):
            second.action_effect_confirm_next()
        with Form(second, view="effect_crm.effect_crm_interaction_view_form_next") as plan:
            plan.next_activity_type_id = self.activity_quote
            plan.next_date = self._today() + timedelta(days=5)
        done = second.action_effect_confirm_next()
        self.assertEqual(done["params"]["next"], {"type": "ir.actions.act_window_close"})
        quote = second.next_activity_id
        self.assertTrue(quote.active)
        self.assertEqual(quote.activity_type_id, self.activity_quote)
        self.assertEqual(self.customer.effect_next_action_date, self._today() + timedelta(days=5))
        self.assertEqual(self.customer.effect_interaction_count, 2)

    def test_an_action_cannot_be_done_twice(self):
        first = self._log(next_activity_type_id=self.activity_call.id, next_date=self._today())
        activity = first.next_activity_id
        self._log(done_activity_id=activity.id)
        with self.assertRaisesRegex(UserError, "already done or cancelled"):
            self._log(done_activity_id=activity.id)

    def test_changing_the_next_date_reschedules_and_keeps_history(self):
        interaction = self._log(
            next_activity_type_id=self.activity_call.id,
            next_date=self._today() + timedelta(days=1),
        )
        activity = interaction.next_activity_id
        new_date = self._today() + timedelta(days=8)
        interaction.write({"next_date": new_date})
        self.assertEqual(interaction.next_activity_id, activity, "the same action, moved")
        self.assertEqual(activity.date_deadline, new_date)
        self.assertEqual(activity.effect_reschedule_count, 1)
        self.assertEqual(activity.effect_first_deadline, self._today() + timedelta(days=1))
        self.assertEqual(self.customer.effect_next_action_date, new_date)
        note = self.customer.message_ids[0]
        self.assertIn("rescheduled", note.body)
        self.assertEqual(note.author_id, self.user_salesman.partner_id)

    def test_removing_the_next_date_cancels_the_action(self):
        interaction = self._log(
            next_activity_type_id=self.activity_call.id, next_date=self._today()
        )
        activity = interaction.next_activity_id
        interaction.write({"next_date": False})
        self.assertFalse(activity.exists())
        self.assertFalse(interaction.next_activity_id)
        self.assertFalse(self.customer.effect_next_action_date)

    def test_a_done_next_action_cannot_be_changed(self):
        first = self._log(next_activity_type_id=self.activity_call.id, next_date=self._today())
        self._log(done_activity_id=first.next_activity_id.id)
        with self.assertRaisesRegex(UserError, "already done"):
            first.write({"next_date": self._today() + timedelta(days=3)})

    def test_log_from_the_customer_and_from_an_opportunity(self):
        action = self.customer_contact.with_user(self.user_salesman).action_effect_log_interaction()
        form = Form(
            self.env["effect.crm.interaction"]
            .with_user(self.user_salesman)
            .with_context(**action["context"]),
            view="effect_crm.effect_crm_interaction_view_form_log",
        )
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.contact_id, self.customer_contact)
        form.type_id = self.type_call
        self.assertEqual(form.name, "Phone Call", "the subject defaults to the type")
        form.save()
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_salesman)
            .create(
                {"name": "Dự án nhà xưởng", "partner_id": self.customer.id, "type": "opportunity"}
            )
        )
        action = lead.action_effect_log_interaction()
        form = Form(
            self.env["effect.crm.interaction"]
            .with_user(self.user_salesman)
            .with_context(**action["context"]),
            view="effect_crm.effect_crm_interaction_view_form_log",
        )
        self.assertEqual(form.lead_id, lead)
        self.assertEqual(form.partner_id, self.customer)
        form.type_id = self.type_meeting
        interaction = form.save()
        self.assertEqual(lead.effect_interaction_count, 1)
        self.assertEqual(lead.action_effect_interactions()["domain"], [("lead_id", "=", lead.id)])
        listed = self.customer.with_user(self.user_salesman).action_effect_interactions()
        found = (
            self.env["effect.crm.interaction"]
            .with_user(self.user_salesman)
            .search(listed["domain"])
        )
        self.assertEqual(len(found), 2)
        self.assertIn(interaction, found)
        # the customer form's timeline shows both, newest first
        self.assertEqual(self.customer.effect_interaction_ids[0], interaction)

    def test_attachments_belong_to_the_interaction(self):
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.user_salesman)
            .create(
                {
                    "name": "bien-ban.txt",
                    "datas": base64.b64encode(b"bien ban"),
                    "res_model": "effect.crm.interaction",
                    "res_id": 0,
                }
            )
        )
        interaction = self._log(attachment_ids=[fields.Command.set(attachment.ids)])
        self.assertEqual(attachment.res_id, interaction.id)
        # the customer's owner reads it through the interaction
        self.assertEqual(
            attachment.with_user(self.user_salesman).read(["name"])[0]["name"], "bien-ban.txt"
        )

    def test_a_negative_duration_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._log(duration=-1)


@freeze_time(EVENING_IN_UTC)
@tagged("post_install", "-at_install")
class TestMandatoryNextAction(EffectCrmInteractionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's settings page is for administrators
        cls.env["res.config.settings"].create({"effect_next_action_mandatory": True}).execute()

    def test_setting_is_saved_on_the_company(self):
        self.assertTrue(self.env.company.effect_next_action_mandatory)

    def test_logging_without_a_next_action_is_refused(self):
        with (
            self.assertRaisesRegex(ValidationError, "Plan the next action with"),
            self.env.cr.savepoint(),
        ):
            self._log()
        saved = self.env["effect.crm.interaction"].search([("partner_id", "=", self.customer.id)])
        self.assertFalse(saved, "nothing half-saved")
        interaction = self._log(
            next_activity_type_id=self.activity_call.id, next_date=self._today()
        )
        self.assertTrue(interaction.next_activity_id)
        self.assertTrue(interaction.next_action_required)

    def test_the_next_action_cannot_be_removed_afterwards(self):
        interaction = self._log(
            next_activity_type_id=self.activity_call.id, next_date=self._today()
        )
        with self.assertRaisesRegex(ValidationError, "Plan the next action with"):
            interaction.write({"next_date": False})

    def test_inactive_customer_needs_no_next_action(self):
        self.customer.effect_stage = "inactive"
        interaction = self._log(name="Khách báo ngừng mua")
        self.assertFalse(interaction.next_action_required)
        self.assertFalse(interaction.next_activity_id)

    def test_lost_opportunity_needs_no_next_action(self):
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_salesman)
            .create({"name": "Dự án thua", "partner_id": self.customer.id, "type": "opportunity"})
        )
        with self.assertRaisesRegex(ValidationError, "Plan the next action with"):
            self._log(lead_id=lead.id)
        lead.action_set_lost()
        self.assertEqual(lead.won_status, "lost")
        interaction = self._log(lead_id=lead.id, name="Khách chọn nhà cung cấp khác")
        self.assertEqual(interaction.lead_id, lead)

    def test_the_form_marks_the_next_action_required(self):
        form = Form(
            self.env["effect.crm.interaction"].with_user(self.user_salesman),
            view="effect_crm.effect_crm_interaction_view_form_log",
        )
        form.partner_id = self.customer
        form.type_id = self.type_call
        self.assertTrue(form.next_action_required)
        with self.assertRaises(AssertionError):  # the form refuses to save an empty required field
            form.save()

    def test_other_company_keeps_its_own_setting(self):
        other = self.env["res.company"].create({"name": "Chi nhánh Đà Nẵng"})
        self.assertFalse(other.effect_next_action_mandatory)
