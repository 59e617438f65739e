import hashlib
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import EVENING_IN_UTC
from .contract_common import EffectCrmSalesCommon, b64, docx_file


@freeze_time(EVENING_IN_UTC)
@tagged("post_install", "-at_install")
class TestContracts(EffectCrmSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls._user_today(cls.user_salesman)

    def test_contract_from_an_accepted_quotation(self):
        order = self._quotation(partner=self.customer_contact)
        order.action_quotation_sent()
        with self.assertRaisesRegex(UserError, "has not been accepted"):
            order.action_effect_create_contract()
        order.action_effect_mark_accepted()
        action = order.action_effect_create_contract()
        contract = self.env["effect.crm.contract"].browse(action["res_id"])
        self.assertEqual(contract.partner_id, self.customer, "the company, not the contact")
        self.assertEqual(contract.sale_order_id, order)
        self.assertEqual(contract.user_id, self.user_salesman)
        self.assertEqual(contract.currency_id, order.currency_id)
        self.assertEqual(contract.amount, order.amount_total)
        self.assertEqual(contract.state, "draft")
        self.assertRegex(contract.name, r"^HD/\d{4}/\d{4}$")
        self.assertEqual(order.effect_contract_count, 1)
        self.assertEqual(order.action_effect_contracts()["res_id"], contract.id)

    def test_versions_of_real_word_files(self):
        contract = self._contract()
        v1_bytes = docx_file("HỢP ĐỒNG MUA BÁN", "Điều 1. Hàng hóa: thép tấm.")
        v2_bytes = docx_file("HỢP ĐỒNG MUA BÁN", "Điều 1. Hàng hóa: thép tấm và ống thép.")
        v1 = self._upload(contract, v1_bytes, "hop-dong-v1.docx", "Bản nháp đầu")
        v2 = self._upload(contract, v2_bytes, "hop-dong-v2.docx", "Khách sửa điều 1")
        self.assertEqual((v1.number, v2.number), (1, 2))
        self.assertEqual(v1.checksum, hashlib.sha256(v1_bytes).hexdigest())
        self.assertEqual(v2.file_size, len(v2_bytes))
        self.assertEqual(v2.author_id, self.user_salesman)
        self.assertEqual(contract.version_ids, v1 | v2, "the previous version stays")
        self.assertEqual(contract.version_count, 2)
        # the customer, company and salesperson of the contract, written with the version
        self.assertEqual(
            (v2.partner_id, v2.company_id, v2.user_id),
            (contract.partner_id, contract.company_id, self.user_salesman),
        )
        # an internal note by the uploader that notifies nobody
        note = contract.message_ids[0]
        self.assertIn("Version 2 uploaded", note.body)
        self.assertIn("hop-dong-v2.docx", note.body)
        self.assertEqual(note.author_id, self.user_salesman.partner_id)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(note.message_type, "notification")
        self.assertTrue(note.is_internal)
        self.assertFalse(note.notification_ids)

        # rejected uploads leave the versions as they were
        for data, name, message in (
            (b"not a word file", "hop-dong-v3.docx", "is damaged"),
            (b"", "hop-dong-v3.docx", "is empty"),
            (v2_bytes, "copy.docx", "identical to version 2"),
        ):
            with self.assertRaisesRegex(ValidationError, message):
                self._upload(contract, data, name)
        with self.assertRaisesRegex(UserError, "never changes"):
            v1.write({"file": b64(v2_bytes)})
        contract.invalidate_recordset()
        self.assertEqual(contract.version_ids, v1 | v2)
        self.assertEqual(v1.checksum, hashlib.sha256(v1_bytes).hexdigest())
        # any kind of file can be a version
        v3 = self._upload(contract, b"%PDF-1.7 signed scan", "hop-dong-da-ky.pdf")
        self.assertEqual(v3.number, 3)

    def test_final_version_is_locked_for_everybody_until_a_manager_unlocks_it(self):
        contract = self._contract()
        self._upload(contract, docx_file("v1"), "v1.docx")
        v2 = self._upload(contract, docx_file("v2"), "v2.docx")
        v2.action_mark_final()
        self.assertEqual(v2.state, "final")
        self.assertEqual(contract.final_version_id, v2)
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", v2._name), ("res_id", "=", v2.id), ("res_field", "=", "file")]
            )
        )
        self.assertTrue(attachment)
        for who in (v2, v2.with_user(self.user_sales_manager), v2.sudo()):
            with self.assertRaisesRegex(UserError, "is final"):
                who.write({"note": "sửa"})
            with self.assertRaisesRegex(UserError, "is final"):
                who.unlink()
        with self.assertRaisesRegex(UserError, "is final"):
            attachment.write({"raw": b"tampered"})
        with self.assertRaisesRegex(UserError, "is final"):
            attachment.unlink()
        with self.assertRaisesRegex(UserError, "final version"):
            contract.sudo().unlink()
        with self.assertRaisesRegex(UserError, "already final"):
            contract.version_ids.filtered(lambda v: v.number == 1).action_mark_final()
        # a new version can still be uploaded (an amendment), as a draft
        v3 = self._upload(contract, docx_file("v3"), "v3.docx")
        self.assertEqual(v3.state, "draft")
        # only a sales manager unlocks, and the unlock is logged
        with self.assertRaises(AccessError):
            v2.with_user(self.user_salesman).action_unlock()
        self.assertEqual(v2.state, "final")
        v2.with_user(self.user_sales_manager).action_unlock()
        self.assertEqual(v2.state, "draft")
        self.assertIn("unlocked", contract.message_ids[0].body)
        self.assertIn(self.user_sales_manager.name, contract.message_ids[0].body)
        v2.with_user(self.user_salesman).write({"note": "đã mở khóa"})

    def test_states_dates_and_bad_transitions(self):
        contract = self._contract(partner_id=self.customer_contact.id, amount=1000)
        self.assertEqual(contract.partner_id, self.customer)
        with self.assertRaisesRegex(UserError, "cannot become Active"):
            contract.action_activate()
        self.env.cr.precommit.run()  # tracking, as at the end of each request
        for action in (contract.action_send, contract.action_sign, contract.action_activate):
            action()
            self.env.cr.precommit.run()
        contract.invalidate_recordset()
        tracked = contract.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertEqual(len(tracked), 3, contract.sudo().message_ids.mapped("body"))
        self.assertEqual(contract.state, "active")
        self.assertEqual(
            (contract.date_sent, contract.date_signed, contract.date_activated), (self.today,) * 3
        )
        self.assertEqual(contract.date_start, self.today)
        contract.action_done()
        self.assertEqual(contract.date_done, self.today)
        with self.assertRaisesRegex(UserError, "cannot become Cancelled"):
            contract.action_cancel()
        with self.assertRaisesRegex(UserError, "cancel it before deleting"):
            contract.unlink()
        self.assertIn(f"Contract {contract.name}: Signed", self._customer_timeline())
        # the salesperson's mandatory next action does not apply to recorded events
        self.env.company.effect_next_action_mandatory = True
        signed = self._contract(amount=10)
        signed.action_send()
        event = self.env["effect.crm.interaction"].search([("contract_id", "=", signed.id)])
        self.assertEqual(event.type_id, self.env.ref("effect_crm.interaction_type_contract"))
        self.assertFalse(event.next_action_required)
        with self.assertRaisesRegex(ValidationError, "before it starts"):
            self._contract(date_start=self.today, date_end=self.today - timedelta(days=1))

    def test_amount_filters_compare_in_company_currency(self):
        """“Signed contracts over 5,000 USD”, whatever their currency."""
        company_currency = self.company.currency_id
        usd_in_company = self.usd._convert(1.0, company_currency, self.company, self.today)
        signed = self.today
        contracts = {
            key: self._contract(currency_id=currency.id, amount=amount, date_signed=signed)
            for key, currency, amount in (
                ("vnd_big", self.vnd, 150_000_000),  # 6,000 USD
                ("vnd_small", self.vnd, 100_000_000),  # 4,000 USD
                ("eur_big", self.eur, 5_000),  # 5,500 USD
                ("eur_small", self.eur, 4_000),  # 4,400 USD
                ("usd_exact", self.usd, 5_000),
                ("usd_small", self.usd, 4_999),
            )
        }
        self.assertAlmostEqual(
            contracts["vnd_big"].amount_company, 6000 * usd_in_company, delta=0.02 * usd_in_company
        )
        Contract = self.env["effect.crm.contract"].with_user(self.user_sales_manager)
        ids = [c.id for c in contracts.values()]
        for query in ("5000 USD", "5,000 usd", "$5000"):
            found = Contract.search([("amount_over", "ilike", query), ("id", "in", ids)])
            self.assertEqual(
                found, contracts["vnd_big"] | contracts["eur_big"] | contracts["usd_exact"], query
            )
        # 120 million dong is 4,800 USD
        found = Contract.search([("amount_over", "ilike", "120 triệu VND"), ("id", "in", ids)])
        self.assertEqual(
            found, Contract.browse(ids) - contracts["vnd_small"] - contracts["eur_small"]
        )
        with self.assertRaisesRegex(UserError, "is not an amount"):
            Contract.search([("amount_over", "ilike", "nhiều tiền")])
        with self.assertRaisesRegex(UserError, "not a known currency"):
            Contract.search([("amount_over", "ilike", "5000 XYZ")])
        # the value in company currency is kept at the signature date's rate
        self.env["res.currency.rate"].create(
            {
                "currency_id": self.vnd.id,
                "name": self.today + timedelta(days=1),
                "rate": self.vnd.rate * 2,
                "company_id": self.company.id,
            }
        )
        before = contracts["vnd_big"].amount_company
        contracts["vnd_big"].invalidate_recordset()
        self.assertEqual(contracts["vnd_big"].amount_company, before)

    def test_signed_this_quarter(self):
        quarter_start = self.today.replace(month=(self.today.month - 1) // 3 * 3 + 1, day=1)
        this_quarter = self._contract(amount=9000, currency_id=self.usd.id)
        this_quarter.action_sign()
        last_quarter = self._contract(
            amount=9000, currency_id=self.usd.id, date_signed=quarter_start - timedelta(days=1)
        )
        last_quarter.action_sign()
        self.assertEqual(last_quarter.date_signed, quarter_start - timedelta(days=1))
        found = self.env["effect.crm.contract"].search(
            [
                ("state", "in", ("signed", "active", "done", "expired")),
                ("is_signed_this_quarter", "=", True),
                ("amount_over", "ilike", "5000 USD"),
            ]
        )
        self.assertIn(this_quarter, found)
        self.assertNotIn(last_quarter, found)

    def test_expiry_job_and_renewal_activity(self):
        self.company.effect_contract_renewal_days = 30
        ended = self._contract(date_end=self.today - timedelta(days=1))
        ended.action_sign()
        ending = self._contract(date_end=self.today + timedelta(days=20))
        ending.action_sign()
        ending.action_activate()
        later = self._contract(date_end=self.today + timedelta(days=45))
        later.action_sign()
        draft = self._contract(date_end=self.today - timedelta(days=10))
        Contract = self.env["effect.crm.contract"]
        Contract._cron_effect_contract_expiry()
        self.assertEqual(ended.state, "expired")
        self.assertEqual(ended.date_expired, self.today)
        self.assertEqual(draft.state, "draft")
        self.assertEqual(ending.state, "active")
        renewal_type = self.env.ref("effect_crm.mail_activity_type_contract_renewal")
        activity = ending.activity_ids
        self.assertEqual(activity.activity_type_id, renewal_type)
        self.assertEqual(activity.user_id, self.user_salesman)
        self.assertEqual(activity.date_deadline, self.today, "30 days before the end is past")
        self.assertTrue(ending.renewal_planned)
        self.assertFalse(later.activity_ids)
        # a longer notice (company setting) reaches the later contract; nothing twice
        self.company.effect_contract_renewal_days = 60
        Contract._cron_effect_contract_expiry()
        self.assertEqual(len(ending.activity_ids), 1)
        self.assertEqual(later.activity_ids.date_deadline, self.today)
        self.company.effect_contract_renewal_days = 30
        far = self._contract(date_end=self.today + timedelta(days=25))
        far.action_sign()
        Contract._cron_effect_contract_expiry()
        self.assertEqual(far.activity_ids.date_deadline, self.today)
