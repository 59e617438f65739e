from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import SALES_MANAGER, SALESMAN


@tagged("post_install", "-at_install")
class TestConcurrencyUi(HttpCase):
    def test_form_save_over_another_users_change_is_refused(self):
        """The web client's form sends the count it loaded: a salesperson's save after
        another user's is refused in the browser, and the other user's phone stays."""
        salesman = mail_new_test_user(
            self.env, login="tour_concur_seller", groups=SALESMAN, name="Tour Seller"
        )
        mail_new_test_user(
            self.env, login="tour_concur_other", groups=SALES_MANAGER, name="Tour Other User"
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Khách Đồng Thời",
                "is_company": True,
                "effect_stage": "prospect",
                "user_id": salesman.id,
                "phone": "0900 000 000",
            }
        )
        self.start_tour(
            f"/odoo/res.partner/{customer.id}",
            "effect_crm_concurrency_tour",
            login=salesman.login,
        )
        customer.invalidate_recordset()
        self.assertEqual(customer.phone, "0902 222 222")
        self.assertEqual(customer.write_uid.login, "tour_concur_other")
