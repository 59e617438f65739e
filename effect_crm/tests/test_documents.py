import base64

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged

from .common import EffectCrmCommon

SECRET_MARK = "root:x:0:0"


@tagged("post_install", "-at_install")
class TestDocuments(EffectCrmCommon):
    def test_files_of_any_type_and_links(self):
        Document = self.env["effect.crm.document"].with_user(self.user_salesman)
        payloads = {
            "hop-dong.docx": b"PK\x03\x04 fake docx body",
            "bang-gia.xlsx": b"PK\x03\x04 fake xlsx body",
            "ban-ve.dwg": b"AC1027 drawing",
            "ghi-am.mp3": b"ID3 audio",
            "video.mp4": b"\x00\x00\x00\x18ftypmp42",
        }
        documents = Document.create(
            [
                {
                    "partner_id": self.customer.id,
                    "file_name": name,
                    "datas": base64.b64encode(body),
                    "category_id": self.category_contract.id,
                    "description": "Uploaded from the customer form",
                }
                for name, body in payloads.items()
            ]
        )
        self.assertEqual(documents.mapped("name"), list(payloads))
        self.assertEqual(documents[0].file_size, len(payloads["hop-dong.docx"]))
        links = Document.create(
            [
                {
                    "name": "UNC",
                    "partner_id": self.customer.id,
                    "document_type": "link",
                    "link": "  \\\\fileserver\\hopdong\\a.docx ",
                },
                {
                    "name": "Drive",
                    "partner_id": self.customer.id,
                    "document_type": "link",
                    "link": "C:\\HopDong\\a.docx",
                },
                {
                    "name": "Web",
                    "partner_id": self.customer.id,
                    "document_type": "link",
                    "link": "https://drive.example.vn/a.pdf",
                },
                {
                    "name": "Script",
                    "partner_id": self.customer.id,
                    "document_type": "link",
                    "link": "javascript:alert(1)",
                },
            ]
        )
        self.assertEqual(links.mapped("link_kind"), ["unc", "path", "url", "url"])
        self.assertEqual(links[0].link, "\\\\fileserver\\hopdong\\a.docx")
        self.assertEqual(
            links.mapped("link_url"), [False, False, "https://drive.example.vn/a.pdf", False]
        )
        # counted on the customer and on its contact persons
        self.assertEqual(self.customer.effect_document_count, 9)
        self.assertEqual(self.customer_contact.effect_document_count, 9)
        found = Document.search(
            [
                ("commercial_partner_id", "=", self.customer.id),
                ("category_id", "=", self.category_contract.id),
            ]
        )
        self.assertEqual(found, documents)

    def test_bad_input_gets_a_clear_message(self):
        Document = self.env["effect.crm.document"].with_user(self.user_salesman)
        with self.assertRaisesRegex(ValidationError, "is not a link"):
            Document.create(
                {
                    "name": "Relative",
                    "partner_id": self.customer.id,
                    "document_type": "link",
                    "link": "hopdong.docx",
                }
            )
        with self.assertRaisesRegex(ValidationError, "upload a file"):
            Document.create({"name": "Empty", "partner_id": self.customer.id})
        link = Document.create(
            {
                "name": "Good",
                "partner_id": self.customer.id,
                "document_type": "link",
                "link": "/srv/share/a.pdf",
            }
        )
        with self.assertRaises(ValidationError):
            link.write({"link": "  "})
        self.assertEqual(link.link, "/srv/share/a.pdf", "the previous link is kept")

    def test_documents_smart_button_opens_the_customer_documents(self):
        action = self.customer_contact.with_user(self.user_salesman).action_effect_documents()
        self.assertEqual(action["res_model"], "effect.crm.document")
        self.assertEqual(action["domain"], [("commercial_partner_id", "=", self.customer.id)])
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)


@tagged("post_install", "-at_install")
class TestDocumentLinksNeverServed(HttpCase, EffectCrmCommon):
    """A link is text: no route reads or serves the file it names."""

    def test_file_links_are_not_served_by_any_route(self):
        Document = self.env["effect.crm.document"]
        documents = Document.create(
            [
                {
                    "name": "passwd",
                    "partner_id": self.customer.id,
                    "document_type": "link",
                    "link": link,
                }
                for link in ("file:///etc/passwd", "/etc/passwd", "//localhost/etc/passwd")
            ]
        )
        self.authenticate(self.user_salesman.login, self.user_salesman.login)
        for document in documents:
            for field in ("link", "link_url", "datas", "name"):
                for url in (
                    f"/web/content/effect.crm.document/{document.id}/{field}",
                    f"/web/content?model=effect.crm.document&id={document.id}&field={field}&download=true",
                    f"/web/image/effect.crm.document/{document.id}/{field}",
                ):
                    with self.subTest(url=url):
                        response = self.url_open(url)
                        self.assertNotIn(SECRET_MARK, response.text)
        # the server never created an attachment that points at the file
        self.assertFalse(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "effect.crm.document"), ("res_id", "in", documents.ids)]
            )
        )
        # and the salesperson still reads the link as text, through JSON-RPC
        data = self.make_jsonrpc_request(
            "/web/dataset/call_kw/effect.crm.document/read",
            {
                "model": "effect.crm.document",
                "method": "read",
                "args": [documents[0].ids, ["link", "link_kind"]],
                "kwargs": {},
            },
        )
        self.assertEqual(data[0]["link"], "file:///etc/passwd")
        self.assertEqual(data[0]["link_kind"], "path")
