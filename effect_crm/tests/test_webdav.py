"""The WebDAV endpoint, driven by a plain HTTP client replaying what Word sends."""

import base64
import os
import shutil
import subprocess
import tempfile
from datetime import timedelta
from unittest import skipUnless
from unittest.mock import patch

import requests

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME

from .contract_common import EffectCrmSalesCommon, b64, docx_file
from .test_word_templates import contract_template, edit_controls

LOCK_BODY = (
    '<?xml version="1.0" encoding="utf-8"?><D:lockinfo xmlns:D="DAV:">'
    "<D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype>"
    "<D:owner><D:href>{owner}</D:href></D:owner></D:lockinfo>"
)


@tagged("post_install", "-at_install")
class TestWebdav(HttpCase, EffectCrmSalesCommon):
    def setUp(self):
        super().setUp()
        self.contract = self._contract()
        self.v1 = self._upload(self.contract, docx_file("HỢP ĐỒNG MUA BÁN", "Điều 1."), "hd.docx")

    def _link(self, user=None, version=None):
        version = (version or self.v1).with_user(user or self.user_salesman)
        action = version.action_edit_in_word()
        self.assertEqual(action["tag"], "effect_crm.open_location")
        scheme, url = action["params"]["url"].split("|u|")
        return scheme, url

    def _dav(self, method, url, headers=None, data=None):
        # Word sends no session cookie: a fresh client each time, with only the cookie
        # that ties the request to the test's transaction
        self.env.flush_all()
        with self.allow_requests():
            key = self.opener.cookies.get(TEST_CURSOR_COOKIE_NAME)
            return requests.request(
                method,
                url,
                headers=headers or {},
                data=data,
                cookies={TEST_CURSOR_COOKIE_NAME: key},
                timeout=20,
            )

    def test_word_session(self):
        scheme, url = self._link()
        self.assertEqual(scheme, "ms-word:ofe")
        self.assertTrue(url.endswith("/hd.docx"))
        folder = url.rsplit("/", 1)[0] + "/"

        for target in (folder, url):
            response = self._dav("OPTIONS", target)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.headers["MS-Author-Via"], "DAV")
            self.assertIn("2", response.headers["DAV"])
            self.assertIn("PROPFIND", response.headers["Allow"])

        data = base64.b64decode(self.v1.file)
        response = self._dav("HEAD", url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(int(response.headers["Content-Length"]), len(data))

        response = self._dav("PROPFIND", url, {"Depth": "0"})
        self.assertEqual(response.status_code, 207)
        self.assertIn(f"<D:getcontentlength>{len(data)}</D:getcontentlength>", response.text)
        response = self._dav("PROPFIND", folder, {"Depth": "1"})
        self.assertEqual(response.status_code, 207)
        self.assertIn("<D:collection/>", response.text)
        self.assertIn("hd.docx", response.text)

        response = self._dav("GET", url)
        self.assertEqual(response.content, data)

        # Word locks the file; a second writer is refused
        response = self._dav(
            "LOCK", url, {"Timeout": "Second-3600"}, LOCK_BODY.format(owner="nguoi-ban")
        )
        self.assertEqual(response.status_code, 200)
        lock_token = response.headers["Lock-Token"]
        self.assertIn("nguoi-ban", response.text)
        _scheme, other_url = self._link(user=self.user_sales_manager)
        response = self._dav("LOCK", other_url, {}, LOCK_BODY.format(owner="quan-ly"))
        self.assertEqual(response.status_code, 423)

        # a save without the lock token is refused, with it makes version 2
        edited = docx_file("HỢP ĐỒNG MUA BÁN", "Điều 1. Sửa từ Word.")
        self.assertEqual(self._dav("PUT", url, {}, edited).status_code, 423)
        self.assertEqual(self.contract.version_count, 1)
        response = self._dav("PUT", url, {"If": f"({lock_token})"}, edited)
        self.assertIn(response.status_code, (201, 204))
        self.env.invalidate_all()
        self.assertEqual(self.contract.version_count, 2)
        v2 = self.contract.last_version_id
        self.assertEqual(
            (v2.number, v2.file_name, v2.author_id), (2, "hd.docx", self.user_salesman)
        )
        self.assertIn("Sửa từ Word", v2.text_content)
        self.assertEqual(self.v1.file_size, len(data), "version 1 is never overwritten")
        # the same bytes again: no new version
        self._dav("PUT", url, {"If": f"({lock_token})"}, edited)
        self.env.invalidate_all()
        self.assertEqual(self.contract.version_count, 2)

        response = self._dav("PROPFIND", url, {"Depth": "0"})
        self.assertIn(lock_token.strip("<>"), response.text)
        response = self._dav("LOCK", url, {"If": f"({lock_token})", "Timeout": "Second-600"})
        self.assertEqual(response.status_code, 200, "refresh")
        response = self._dav("UNLOCK", url, {"Lock-Token": lock_token})
        self.assertEqual(response.status_code, 204)
        response = self._dav("LOCK", other_url, {}, LOCK_BODY.format(owner="quan-ly"))
        self.assertEqual(response.status_code, 200, "free again")

    def test_a_refused_save_keeps_the_previous_version(self):
        """Word saving a damaged file (or one with macros): 409 with the reason in the
        user's language, no new version, version 1 unchanged (USAGE.md, Bad input)."""
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["effect_crm"], ["vi_VN"], overwrite=True)
        self.user_salesman.lang = "vi_VN"
        _scheme, url = self._link()
        checksum = self.v1.checksum
        for data, reason in (
            (b"PK\x03\x04 not a package", "bị hỏng"),
            (b"", "trống"),
        ):
            with self.subTest(reason=reason):
                response = self._dav("PUT", url, {}, data)
                self.assertEqual(response.status_code, 409)
                self.assertIn(reason, response.content.decode())
                self.env.invalidate_all()
                self.assertEqual(self.contract.version_count, 1)
                self.assertEqual(self.v1.checksum, checksum)

    def test_tokens_are_refused_when_they_should_be(self):
        _scheme, url = self._link()
        self.assertEqual(self._dav("GET", url).status_code, 200)
        # expired
        with patch.object(
            fields.Datetime, "now", return_value=fields.Datetime.now() + timedelta(hours=9)
        ):
            self.assertEqual(self._dav("GET", url).status_code, 403)
        # not a token
        self.assertEqual(self._dav("GET", url.replace("/dav/", "/dav/x")).status_code, 403)
        # revoked
        self.env["effect.crm.webdav.token"].search([("user_id", "=", self.user_salesman.id)]).write(
            {"revoked": True}
        )
        self.assertEqual(self._dav("GET", url).status_code, 403)
        # the customer moved out of the user's reach
        _scheme, url = self._link()
        self.contract.user_id = self.user_salesman_2
        self.customer.write(
            {"effect_salesperson_id": self.user_salesman_2.id, "effect_territory_id": False}
        )
        self.assertFalse(self.contract.with_user(self.user_salesman).has_access("read"))
        self.assertEqual(self._dav("GET", url).status_code, 403)
        # a salesperson who cannot see the contract gets no link
        with self.assertRaises(AccessError):
            self._link(user=self.user_employee)

    def test_only_word_documents_open_in_word(self):
        self._upload(self.contract, b"%PDF-1.4 ban ky", "hd-ky.pdf")
        self.assertFalse(self.contract.last_version_is_word)
        with self.assertRaisesRegex(UserError, "Only a Word document"):
            self.contract.with_user(self.user_salesman).action_edit_in_word()

    def test_final_version_opens_read_only(self):
        self.v1.action_mark_final()
        scheme, url = self._link()
        self.assertEqual(scheme, "ms-word:ofv")
        edited = docx_file("khác")
        self.assertEqual(self._dav("PUT", url, {}, edited).status_code, 403)
        self.assertEqual(self._dav("LOCK", url, {}, LOCK_BODY.format(owner="x")).status_code, 403)
        self.assertEqual(self.contract.version_count, 1)

    @skipUnless(shutil.which("cadaver"), "cadaver (Debian package) is not installed")
    def test_cadaver_session(self):
        """A real WebDAV client: list, download, lock, save, unlock."""
        _scheme, url = self._link()
        folder = url.rsplit("/", 1)[0] + "/"
        edited = docx_file("HỢP ĐỒNG MUA BÁN", "Điều 1. Sửa bằng cadaver.")
        with tempfile.TemporaryDirectory() as tmp:
            source = os.path.join(tmp, "edited.docx")
            with open(source, "wb") as stream:
                stream.write(edited)
            target = os.path.join(tmp, "downloaded.docx")
            commands = "\n".join(
                [
                    "ls",
                    f"get hd.docx {target}",
                    "lock hd.docx",
                    f"put {source} hd.docx",
                    "unlock hd.docx",
                    "quit",
                ]
            )
            self.env.flush_all()
            with self.allow_requests(all_requests=True):
                result = subprocess.run(
                    ["cadaver", folder],
                    input=commands + "\n",
                    capture_output=True,
                    text=True,
                    timeout=120,
                    env=dict(os.environ, HOME=tmp),
                )
            output = result.stdout + result.stderr
            with open(target, "rb") as stream:
                self.assertEqual(stream.read(), base64.b64decode(self.v1.file), output)
        self.assertIn("hd.docx", output)
        self.assertNotIn("423", output)
        self.env.invalidate_all()
        self.assertEqual(self.contract.version_count, 2, output)
        self.assertIn("Sửa bằng cadaver", self.contract.last_version_id.text_content)
        self.assertFalse(self.env["effect.crm.webdav.lock"].search([]), "unlocked")

    def test_mkcol_answers_as_rfc_4918_says(self):
        """No collection is made: 405 on what exists, 403 for a new collection in the
        folder, 409 below a collection that does not exist."""
        _scheme, url = self._link()
        folder = url.rsplit("/", 1)[0] + "/"
        for target in (folder, url):
            response = self._dav("MKCOL", target)
            self.assertEqual(response.status_code, 405, target)
            self.assertNotIn("MKCOL", response.headers["Allow"])
            self.assertIn("PROPFIND", response.headers["Allow"])
        self.assertEqual(self._dav("MKCOL", folder + "litmus/").status_code, 403)
        self.assertEqual(self._dav("MKCOL", folder + "a/b/").status_code, 409)
        self.assertEqual(self._dav("GET", folder + "a/b.docx").status_code, 404)
        self.assertNotIn("MKCOL", self._dav("OPTIONS", folder).headers["Allow"])

    @skipUnless(shutil.which("litmus"), "litmus (Debian package) is not installed")
    def test_litmus(self):
        """litmus, the WebDAV test suite, on the folder of a contract. Every suite first
        makes a scratch collection (MKCOL litmus/): a contract's folder holds its one
        document, so each suite passes its first step (init: OPTIONS) and stops at the
        second, refused with the 403 of RFC 4918 (see readme/USAGE.md)."""
        _scheme, url = self._link()
        folder = url.rsplit("/", 1)[0] + "/"
        self.env.flush_all()
        for suite in ("basic", "copymove", "props", "locks", "http"):
            with self.subTest(suite=suite), tempfile.TemporaryDirectory() as tmp:
                with self.allow_requests(all_requests=True):
                    result = subprocess.run(
                        ["litmus", folder],
                        capture_output=True,
                        text=True,
                        timeout=300,
                        cwd=tmp,
                        env=dict(os.environ, HOME=tmp, TESTS=suite),
                    )
                output = result.stdout + result.stderr
                self.assertRegex(output, r"0\. init\.+ pass", output)
                self.assertIn("403 FORBIDDEN", output)
                self.assertIn(f"summary for `{suite}': of 2 tests run: 1 passed", output)
        self.assertEqual(self.contract.version_count, 1, "litmus changed nothing")

    def test_saved_from_word_the_difference_is_shown(self):
        """The issue's "done when": a template, a contract made from an accepted
        quotation, version 1 from the template, opened in Word, saved by Word (lock, put,
        unlock): version 2, and the contract shows where it differs from the database."""
        template = (
            self.env["effect.crm.template"]
            .with_user(self.user_sales_manager)
            .create(
                {
                    "name": "Hợp đồng mua bán",
                    "file": b64(contract_template()),
                    "file_name": "hop-dong.docx",
                }
            )
        )
        order = self._quotation()
        order.action_quotation_sent()
        order.action_effect_mark_accepted()
        action = order.with_user(self.user_salesman).action_effect_contract_from_template()
        contract = (
            self.env["effect.crm.contract"]
            .with_user(self.user_salesman)
            .browse(action["context"]["default_contract_id"])
        )
        self.env["effect.crm.template.render"].with_user(self.user_salesman).with_context(
            default_mode="version",
            default_contract_id=contract.id,
            default_sale_order_id=order.id,
        ).create({"template_id": template.id}).action_create_version()
        v1 = contract.last_version_id
        self.assertEqual((v1.number, v1.template_id), (1, template))
        self.assertEqual(contract.difference_count, 0)

        _scheme, url = self._link(version=v1)
        edited = edit_controls(base64.b64decode(v1.file), {"contract.amount": "9.999.000"})
        response = self._dav("LOCK", url, {"Timeout": "Second-3600"}, LOCK_BODY.format(owner="x"))
        lock_token = response.headers["Lock-Token"]
        response = self._dav("PUT", url, {"If": f"({lock_token})"}, edited)
        self.assertIn(response.status_code, (201, 204))
        self.assertEqual(self._dav("UNLOCK", url, {"Lock-Token": lock_token}).status_code, 204)

        self.env.invalidate_all()
        self.assertEqual(contract.version_count, 2)
        self.assertEqual(contract.last_version_id.number, 2)
        self.assertEqual(contract.difference_count, 1)
        self.assertIn("9.999.000", contract.difference_html)
        self.assertTrue(contract.difference_applicable)
