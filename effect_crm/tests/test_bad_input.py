"""Bad input a user or an integrator can send, row by row of readme/USAGE.md
("Bad input"): each gets a clear message in the user's language, and nothing is
written, or is stored cleaned as the table says."""

import unicodedata
from datetime import timedelta

import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .contract_common import EffectCrmSalesCommon


def nfd(text):
    return unicodedata.normalize("NFD", text)


@tagged("post_install", "-at_install")
class TestBadInput(EffectCrmSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(["effect_crm"], ["vi_VN"], overwrite=True)
        cls.user_salesman.lang = "vi_VN"
        cls.user_sales_manager.lang = "vi_VN"
        cls.call = cls.env.ref("effect_crm.interaction_type_call")

    def _as(self, model, user=None):
        return self.env[model].with_user(user or self.user_salesman).with_context(lang="vi_VN")

    def _count(self, model):
        return self.env[model].with_context(active_test=False).search_count([])

    # ------------------------------------------------------------------
    # Control characters
    # ------------------------------------------------------------------

    def test_nul_is_refused_in_the_users_language_and_nothing_is_written(self):
        """PostgreSQL cannot store NUL: without the check the user got a database error.
        Refused before anything is written (no savepoint needed to prove it)."""
        Partner = self._as("res.partner")
        partners = self._count("res.partner")
        with self.assertRaisesRegex(ValidationError, "ký tự NUL"):
            Partner.create({"name": "Công ty\x00 Lỗi", "effect_stage": "prospect"})
        self.assertEqual(self._count("res.partner"), partners)
        customer = self.customer.with_user(self.user_salesman).with_context(lang="vi_VN")
        with self.assertRaisesRegex(ValidationError, "ký tự NUL"):
            customer.write({"name": "Tên mới", "city": "Hà\x00Nội"})
        self.assertEqual(self.customer.name, "Công ty CP Thử Nghiệm Hà Nội", "nothing changed")
        self.assertEqual(self.customer.city, "Hà Nội")
        # a customer attribute (a property: PostgreSQL's jsonb refuses \u0000 too)
        self.env["res.partner"]._effect_define_attributes(
            [{"name": "effect_note", "string": "Ghi chú", "type": "char"}]
        )
        with self.assertRaisesRegex(ValidationError, "ký tự NUL"):
            customer.write({"properties": {"effect_note": "a\x00b"}})
        # records about a customer: an interaction's notes, a contract's title
        interactions = self._count("effect.crm.interaction")
        with self.assertRaisesRegex(ValidationError, "ký tự NUL"):
            self._as("effect.crm.interaction").create(
                {
                    "name": "Gọi điện",
                    "partner_id": self.customer.id,
                    "type_id": self.call.id,
                    "notes": "<p>Khách\x00 hẹn</p>",
                }
            )
        self.assertEqual(self._count("effect.crm.interaction"), interactions)
        contracts = self._count("effect.crm.contract")
        with self.assertRaisesRegex(ValidationError, "^Tiêu đề: .*ký tự NUL"):
            self._as("effect.crm.contract").create(
                {"partner_id": self.customer.id, "title": "Hợp đồng\x00"}
            )
        self.assertEqual(self._count("effect.crm.contract"), contracts)

    def test_nul_in_a_search_is_ignored(self):
        """A search holding NUL finds what the text around it finds (no stored text has a
        NUL), instead of PostgreSQL's error."""
        Partner = self._as("res.partner")
        self.assertEqual(Partner.search([("name", "ilike", "Thử Nghiệm\x00")]), self.customer)
        self.assertIn(self.customer.id, [row[0] for row in Partner.name_search("Thử Nghiệm\x00")])

    def test_other_control_characters_are_kept(self):
        """A tab or Excel's line break (\\x0b) is stored as sent; the Word letters drop the
        characters XML cannot hold (tests/test_tools_docx_template.py)."""
        customer = self.customer.with_user(self.user_salesman)
        customer.write({"street": "Số 1\tPhố Huế\x0bTầng 2"})
        self.assertEqual(self.customer.street, "Số 1\tPhố Huế\x0bTầng 2")

    # ------------------------------------------------------------------
    # Vietnamese in every normalisation form
    # ------------------------------------------------------------------

    def test_vietnamese_in_nfd_is_stored_in_nfc_and_found_in_either_form(self):
        name = "Nguyễn Thị Hồng Nhung"
        self.assertNotEqual(nfd(name), name)  # 'ễ' is 3 code points in NFD
        Partner = self._as("res.partner")
        person = Partner.create({"name": nfd(name), "effect_stage": "prospect", "city": nfd("Huế")})
        self.assertEqual(person.name, name, "stored in NFC")
        self.assertEqual(person.city, "Huế")
        for typed in (name, nfd(name), nfd("nguyễn thị")):
            with self.subTest(typed=typed):
                self.assertIn(person, Partner.search([("name", "ilike", typed)]))
                self.assertIn(person.id, [row[0] for row in Partner.name_search(typed)])
                self.assertIn(person, Partner.search([("complete_name", "ilike", typed)]))
        # a customer saved in NFC found by a name pasted in NFD, exact match and lists too
        self.assertEqual(Partner.search([("name", "=", nfd(self.customer.name))]), self.customer)
        self.assertEqual(Partner.search([("name", "in", [nfd(self.customer.name)])]), self.customer)
        groups = Partner.formatted_read_group(
            [("name", "ilike", nfd("Hồng Nhung"))], ["effect_stage"], ["__count"]
        )
        self.assertEqual(
            [(g["effect_stage"], g["__count"]) for g in groups if g["__count"]], [("prospect", 1)]
        )
        # the same name sent in the other form is the same name: a duplicate is visible
        twin = Partner.create({"name": name, "effect_stage": "prospect"})
        self.assertEqual(Partner.search([("name", "=", nfd(name))]), person | twin)
        # records about the customer too: an interaction's subject
        interaction = self._as("effect.crm.interaction").create(
            {"name": nfd("Gọi điện"), "partner_id": person.id, "type_id": self.call.id}
        )
        self.assertEqual(interaction.name, "Gọi điện")

    def test_a_list_value_in_nfd_is_the_same_value(self):
        """The classification lists keep one entry per name: a name sent in NFD is the
        entry typed in NFC (without NFC the database held both, looking the same)."""
        name = "Tổ hợp tác thử nghiệm"
        Type = self._as("effect.crm.business.type", self.user_sales_manager)
        Type.create({"name": name})
        message = self._sql_refusal(Type, lambda: Type.create({"name": nfd(name)}))
        self.assertEqual(message, "Đã tồn tại loại hình doanh nghiệp với tên này.")
        self.assertEqual(Type.search_count([("name", "=", nfd(name))]), 1)

    # ------------------------------------------------------------------
    # Very long strings
    # ------------------------------------------------------------------

    def test_very_long_strings(self):
        """100,000 characters in a note are kept whole; a name that long is refused with
        a message (it used to fail in the database's index with a technical error)."""
        long_text = "Khách hàng cần báo giá gấp. " * 3600  # 100,800 characters
        customer = self.customer.with_user(self.user_salesman).with_context(lang="vi_VN")
        customer.write({"comment": f"<p>{long_text}</p>"})
        self.assertIn(long_text.strip(), self.customer.comment)
        interaction = self._as("effect.crm.interaction").create(
            {
                "name": "Ghi chú dài",
                "partner_id": self.customer.id,
                "type_id": self.call.id,
                "notes": f"<p>{long_text}</p>",
            }
        )
        self.assertGreater(len(interaction.notes), 100_000)
        partners = self._count("res.partner")
        for name in (long_text, "Đ" * 401):
            with (
                self.subTest(length=len(name)),
                self.assertRaisesRegex(ValidationError, "tối đa 400"),
            ):
                self._as("res.partner").create({"name": name, "effect_stage": "prospect"})
        self.assertEqual(self._count("res.partner"), partners)
        with self.assertRaisesRegex(ValidationError, "tối đa 400"):
            customer.write({"name": long_text})
        self.assertEqual(self.customer.name, "Công ty CP Thử Nghiệm Hà Nội")
        self.assertEqual(
            self._as("res.partner").create({"name": "Đ" * 400}).name, "Đ" * 400, "400 fit"
        )
        # a search for a very long text is an ordinary search
        self.assertFalse(self._as("res.partner").search([("name", "ilike", long_text)]))

    # ------------------------------------------------------------------
    # Dates, amounts, currencies
    # ------------------------------------------------------------------

    def _sql_refusal(self, records, write):
        """The message a client gets when the database refuses ``write``: over RPC, Odoo
        turns the violated constraint into this ValidationError (service/model.py)."""
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError) as caught,
            self.env.cr.savepoint(),
        ):
            write()
            records.env.flush_all()
        records.invalidate_model()
        return records.with_context(lang="vi_VN")._sql_error_to_message(caught.exception)

    def test_a_currency_without_a_rate_is_flagged(self):
        # Odoo converts a currency that has no rate at 1: the form says so
        company = self.env.company
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("rate_ids", "=", False), ("id", "!=", company.currency_id.id)], limit=1)
        )
        currency.active = True
        contract = self._contract(amount=1000, currency_id=currency.id)
        self.assertTrue(contract.effect_rate_missing)
        self.assertEqual(contract.amount_company, 1000, "counted 1 for 1, as the form warns")
        in_company_currency = self._contract(amount=1000)
        self.assertFalse(in_company_currency.effect_rate_missing)
        self.env["res.currency.rate"].create(
            {"currency_id": currency.id, "company_id": company.id, "name": "2020-01-01", "rate": 4}
        )
        contract.invalidate_recordset(["effect_rate_missing"])
        self.assertFalse(contract.effect_rate_missing)

    def test_dates_amounts_and_currencies(self):
        today = self._user_today()
        contract = self._contract(amount=1000)
        # a constraint checked after the write: the request's transaction is rolled back
        # (here: assertRaises' savepoint)
        with self.assertRaises(ValidationError) as caught:
            contract.with_context(lang="vi_VN").write(
                {"date_start": today, "date_end": today - timedelta(days=1)}
            )
        self.assertIn("trước ngày bắt đầu", str(caught.exception))
        self.assertFalse(contract.date_end, "the previous dates are kept")
        message = self._sql_refusal(contract, lambda: contract.write({"amount": -5}))
        self.assertEqual(message, "Giá trị hợp đồng không được âm.")
        self.assertEqual(contract.amount, 1000)
        Contract = self._as("effect.crm.contract")
        for typed, message in (("năm nghìn", "không phải là số tiền"), ("5000 XYZ", "XYZ")):
            with self.subTest(typed=typed), self.assertRaisesRegex(UserError, message):
                Contract.search([("amount_over", "ilike", typed)])
        # a date that is no date, sent by a client: Odoo's own error, nothing written
        with self.assertRaises(ValueError):
            contract.write({"date_start": "2026-13-45"})
        self.assertFalse(contract.date_start)
        Promotion = self._as("effect.crm.promotion", self.user_sales_manager)
        promotions = self._count("effect.crm.promotion")
        for percentage in (150, -1):
            with self.subTest(percentage=percentage):
                message = self._sql_refusal(
                    Promotion,
                    lambda p=percentage: Promotion.create(
                        {"name": "Sai", "discount_percentage": p}
                    ),
                )
                self.assertEqual(message, "Tỷ lệ chiết khấu của khuyến mãi phải từ 0 đến 100.")
        self.assertEqual(self._count("effect.crm.promotion"), promotions)
