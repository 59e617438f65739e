"""The access table of effect_crm models, role by role, through the ORM."""

import base64

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import EffectCrmCommon

# model -> role -> operations allowed (r)ead (w)rite (c)reate (u)nlink
ACCESS_TABLE = {
    "effect.crm.business.type": {
        "employee": "r",
        "director": "r",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "rwcu",
    },
    "effect.crm.size": {
        "employee": "r",
        "director": "r",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "rwcu",
    },
    "effect.crm.document.category": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "rwcu",
    },
    "effect.crm.document": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "rwcu",
        "salesman_all": "rwcu",
        "manager": "rwcu",
    },
    "effect.crm.territory": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "rwcu",
    },
    "effect.crm.territory.history": {
        "employee": "",
        "director": "r",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "r",
    },
    "effect.crm.reassignment": {
        "employee": "",
        "director": "",
        "portal": "",
        "salesman": "",
        "salesman_all": "",
        "manager": "rwcu",
    },
    # "Edit in Word" links and Word's locks: nobody reads or changes them but an
    # administrator (see test_webdav_tokens_and_locks); the WebDAV controller uses them
    # under sudo after checking the token's user and that user's rights on the contract
    "effect.crm.webdav.token": {
        "employee": "",
        "director": "",
        "portal": "",
        "salesman": "",
        "salesman_all": "",
        "manager": "",
    },
    "effect.crm.webdav.lock": {
        "employee": "",
        "director": "",
        "portal": "",
        "salesman": "",
        "salesman_all": "",
        "manager": "",
    },
    "res.partner.industry": {
        "employee": "r",
        "director": "r",
        "portal": "",
        "salesman": "r",
        "salesman_all": "r",
        "manager": "rwcu",
    },
}


@tagged("post_install", "-at_install")
class TestAccessTable(EffectCrmCommon):
    def test_model_access_table(self):
        self.assert_access_table(ACCESS_TABLE)

    def test_webdav_tokens_and_locks(self):
        """Only an administrator (Settings) reads, changes or deletes them, through the
        ORM; nobody creates one but the server (a link is issued for a user who may read
        the contract, a lock for the token's user)."""
        admin = self.env.ref("base.user_admin")
        for model in ("effect.crm.webdav.token", "effect.crm.webdav.lock"):
            Model = self.env[model].with_user(admin)
            for operation, allowed in (
                ("read", True),
                ("write", True),
                ("unlink", True),
                ("create", False),
            ):
                with self.subTest(model=model, operation=operation):
                    self.assertEqual(Model.has_access(operation), allowed)
            for user in self.role_users().values():
                with self.subTest(model=model, user=user.login), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])

    def test_document_operations_as_each_role(self):
        values = {
            "name": "Hợp đồng",
            "partner_id": self.customer.id,
            "datas": base64.b64encode(b"contract"),
            "file_name": "hd.txt",
        }
        for role, user in self.role_users().items():
            with self.subTest(role=role):
                Document = self.env["effect.crm.document"].with_user(user)
                if role == "director":
                    # reads every document, creates and changes none
                    with self.assertRaises(AccessError):
                        Document.create(values)
                    document = self.env["effect.crm.document"].create(values)
                    self.assertEqual(document.with_user(user).read(["name"])[0]["name"], "Hợp đồng")
                    with self.assertRaises(AccessError):
                        document.with_user(user).write({"description": "sửa"})
                    continue
                if role in ("employee", "portal"):
                    with self.assertRaises(AccessError):
                        Document.create(values)
                    document = self.env["effect.crm.document"].create(values)
                    with self.assertRaises(AccessError):
                        document.with_user(user).read(["name"])
                    with self.assertRaises(AccessError):
                        self.env["ir.attachment"].with_user(user).search(
                            [
                                ("res_model", "=", "effect.crm.document"),
                                ("res_id", "=", document.id),
                            ]
                        ).read(["datas"])
                    continue
                document = Document.create(values)
                document.write({"description": "sửa"})
                self.assertEqual(document.read(["description"])[0]["description"], "sửa")
                document.unlink()
                self.assertFalse(document.exists())

    def test_document_fields_on_partner_are_for_sales_users_only(self):
        partner = self.customer.with_user(self.user_employee)
        self.assertEqual(partner.read(["name"])[0]["name"], self.customer.name)
        with self.assertRaises(AccessError):
            partner.read(["effect_document_count"])
