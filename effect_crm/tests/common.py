"""Shared fixtures of EFFECT CRM tests: one user per role and a few customers.

Other addons' tests (effect_crm_accounting, effect_crm_mailmerge) inherit
:class:`EffectCrmCommon`.
"""

from odoo.fields import Command
from odoo.tests import TransactionCase

from odoo.addons.mail.tests.common import mail_new_test_user

OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}

SALESMAN = "sales_team.group_sale_salesman"
SALESMAN_ALL = "sales_team.group_sale_salesman_all_leads"
SALES_MANAGER = "sales_team.group_sale_manager"
HCMC = "Asia/Ho_Chi_Minh"
# the frozen clock of the date-dependent test classes: 18:30 UTC on Wednesday is 01:30
# on Thursday in Vietnam, the hours when today in UTC is not the users' today
# (test_clock covers the edges of the day)
EVENING_IN_UTC = "2026-03-18 18:30:00"
READ_ALL = "effect_crm.group_crm_read_all"


class EffectCrmCommon(TransactionCase):
    @classmethod
    def _new_user(cls, login, groups, name):
        """A test user of ``groups`` (comma-separated xml ids) in Vietnam's time zone."""
        return mail_new_test_user(
            cls.env,
            login=login,
            groups=groups,
            name=name,
            tz=HCMC,
            notification_type="inbox",
        )

    @classmethod
    def _user_today(cls, user=None):
        """Today for ``user`` (default: the tests' requests), as the code computes it."""
        return cls.env["effect.crm.clock"]._effect_today(user)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the web client sends the user's time zone with every request: the tests' own
        # requests (as superuser) are made from Vietnam too, so "today" is the users'
        cls.env = cls.env(context=dict(cls.env.context, tz=HCMC))
        cls.vn = cls.env.ref("base.vn")
        cls.hanoi = cls.env.ref("base.state_vn_VN-HN")
        cls.hcmc = cls.env.ref("base.state_vn_VN-SG")
        cls.danang = cls.env.ref("base.state_vn_VN-DN")

        user = cls._new_user
        cls.user_salesman = user("effect_salesman", SALESMAN, "Salesperson Own")
        cls.user_salesman_2 = user("effect_salesman_2", SALESMAN, "Salesperson Other")
        cls.user_salesman_all = user("effect_salesman_all", SALESMAN_ALL, "Salesperson All")
        cls.user_sales_manager = user("effect_sales_manager", SALES_MANAGER, "Sales Manager")
        cls.user_employee = user("effect_employee", "base.group_user", "Employee")
        # a director: reads all CRM data, changes none
        cls.user_director = user("effect_director", READ_ALL, "Director Read All")
        # a customer's contact with a portal account (portal users get their mail by email)
        cls.user_portal = mail_new_test_user(
            cls.env,
            login="effect_portal",
            groups="base.group_portal",
            name="Portal Customer",
            notification_type="email",
        )

        cls.business_type_jsc = cls.env.ref("effect_crm.business_type_jsc")
        cls.size_small = cls.env.ref("effect_crm.size_small")
        cls.category_contract = cls.env.ref("effect_crm.document_category_contract")

        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {
                "name": "Công ty CP Thử Nghiệm Hà Nội",
                "is_company": True,
                "effect_stage": "prospect",
                "country_id": cls.vn.id,
                "state_id": cls.hanoi.id,
                "city": "Hà Nội",
                "vat": "0100109106",
                "user_id": cls.user_salesman.id,
                "effect_business_type_id": cls.business_type_jsc.id,
                "effect_size_id": cls.size_small.id,
                "child_ids": [Command.create({"name": "Nguyễn Văn Liên Hệ"})],
            }
        )
        cls.customer_contact = cls.customer.child_ids
        cls.customer_2 = Partner.create(
            {
                "name": "Công ty TNHH Khác Sài Gòn",
                "is_company": True,
                "effect_stage": "customer",
                "country_id": cls.vn.id,
                "state_id": cls.hcmc.id,
                "user_id": cls.user_salesman_2.id,
            }
        )
        # a partner that is not a CRM customer (a vendor): Odoo's visibility applies
        cls.vendor = Partner.create({"name": "Nhà cung cấp Văn Phòng Phẩm", "is_company": True})

    def role_users(self):
        """The users of each role of an access table."""
        return {
            "employee": self.user_employee,
            "director": self.user_director,
            "portal": self.user_portal,
            "salesman": self.user_salesman,
            "salesman_all": self.user_salesman_all,
            "manager": self.user_sales_manager,
        }

    def assert_access_table(self, table):
        """``table``: model -> role -> the operations allowed ("rwcu" letters)."""
        for model, rights in table.items():
            for role, user in self.role_users().items():
                for letter, operation in OPERATIONS.items():
                    with self.subTest(model=model, role=role, operation=operation):
                        allowed = self.env[model].with_user(user).has_access(operation)
                        self.assertEqual(allowed, letter in rights[role])

    @classmethod
    def _fixed_rate(cls, day="2026-01-01"):
        """A currency other than the company's at a known rate from ``day``: 0.5 of it per
        unit of the company currency (whose own rate is set to 1, whatever the demo
        data holds, so that conversions are exact). Returns the currency."""
        env = cls.env
        company = env.company
        foreign = env.ref("base.EUR")
        if foreign == company.currency_id:
            foreign = env.ref("base.USD")
        foreign.active = True
        currencies = foreign | company.currency_id
        env["res.currency.rate"].search(
            [("currency_id", "in", currencies.ids), ("company_id", "in", [company.id, False])]
        ).unlink()
        for currency, rate in ((company.currency_id, 1.0), (foreign, 0.5)):
            env["res.currency.rate"].create(
                {"currency_id": currency.id, "name": day, "rate": rate, "company_id": company.id}
            )
        return foreign
