"""Word templates: upload checks, rendering from the database, versions read back."""

import base64
import io
import zipfile

import docx
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..tools import docx_template, office
from .contract_common import EffectCrmSalesCommon, b64

W = docx_template.W


def add_field(paragraph, name, complex_field=False):
    """A Word merge field: simple, or complex with its instruction split over runs."""
    p = paragraph._p
    if not complex_field:
        field = etree.SubElement(p, W + "fldSimple")
        field.set(W + "instr", f" MERGEFIELD {name} \\* MERGEFORMAT ")
        etree.SubElement(etree.SubElement(field, W + "r"), W + "t").text = f"«{name}»"
        return
    half = len(name) // 2
    pieces = [("fldChar", "begin"), ("instrText", " MERGEFIELD " + name[:half])]
    pieces += [("instrText", name[half:] + " "), ("fldChar", "separate")]
    pieces += [("t", f"«{name}»"), ("fldChar", "end")]
    for tag, value in pieces:
        node = etree.SubElement(etree.SubElement(p, W + "r"), W + tag)
        if tag == "fldChar":
            node.set(W + "fldCharType", value)
        else:
            node.text = value


def contract_template(*extra_fields):
    document = docx.Document()
    document.add_paragraph("HỢP ĐỒNG MUA BÁN")
    for label, name, complex_field in (
        ("Số: ", "contract.number", False),
        ("Bên mua: ", "customer.name", True),
        ("Mã số thuế: ", "customer.tax_code", False),
        ("Giá trị: ", "contract.amount", True),
        ("Bằng chữ: ", "contract.amount_words", False),
        ("Ngày ký: ", "contract.date_signed_words", False),
        ("Quy mô: ", "customer.attr.Số nhân viên", False),
        *((f"{name}: ", name, False) for name in extra_fields),
    ):
        add_field(document.add_paragraph(label), name, complex_field)
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("STT", "Hàng hóa", "Thành tiền"), strict=True):
        cell.text = text
    for cell, name in zip(
        table.rows[1].cells, ("lines.no", "lines.name", "lines.subtotal"), strict=True
    ):
        add_field(cell.paragraphs[0], name)
    document.add_paragraph("Điều 5. Bảo hành 12 tháng.")
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def edit_controls(data, changes):
    """The document as a user would save it after editing the content controls."""
    package = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(package.read("word/document.xml"))
    for sdt in root.iter(W + "sdt"):
        tag = sdt.find(f"{W}sdtPr/{W}tag").get(W + "val")
        if tag in changes:
            texts = list(sdt.iter(W + "t"))
            texts[0].text = changes[tag]
            for extra in texts[1:]:
                extra.text = ""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as out:
        for info in package.infolist():
            content = package.read(info.filename)
            if info.filename == "word/document.xml":
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            out.writestr(info.filename, content)
    return output.getvalue()


@tagged("post_install", "-at_install")
class TestWordTemplates(EffectCrmSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.partner"]._effect_define_attributes(
            [{"name": "effect_test_staff", "string": "Số nhân viên", "type": "integer"}]
        )
        cls.customer.write({"properties": {"effect_test_staff": 250}})
        cls.template = (
            cls.env["effect.crm.template"]
            .with_user(cls.user_sales_manager)
            .create(
                {
                    "name": "Hợp đồng mua bán",
                    "purpose": "contract",
                    "file": b64(contract_template()),
                    "file_name": "hop-dong.docx",
                }
            )
        )

    def _accepted_order(self):
        order = self._quotation()
        order.action_quotation_sent()
        order.action_effect_mark_accepted()
        return order

    def _generate(self, contract):
        wizard = (
            self.env["effect.crm.template.render"]
            .with_user(contract.env.user)
            .with_context(
                default_mode="version",
                default_contract_id=contract.id,
                default_sale_order_id=contract.sale_order_id.id,
            )
            .create({})
        )
        self.assertEqual(wizard.template_id, self.template, "the contract template is proposed")
        wizard.action_create_version()
        return contract.version_ids.sorted("number")[-1]

    # ------------------------------------------------------------------

    def test_template_check_lists_unknown_fields(self):
        self.assertFalse(self.template.unknown_fields)
        self.assertIn("customer.attr.Số nhân viên", self.template.field_names.split("\n"))
        self.template.write(
            {"file": b64(contract_template("customer.nam", "hop_dong.gia")), "file_name": "v2.docx"}
        )
        self.assertEqual(self.template.unknown_fields.split("\n"), ["customer.nam", "hop_dong.gia"])
        self.assertEqual(self.template.version, 2)
        previous = self.template.message_ids.attachment_ids
        self.assertEqual(
            previous.mapped("name"), ["hop-dong.docx"], "version 1 kept in the chatter"
        )
        self.assertIn("lines.subtotal", self.template.available_fields.split("\n"))

    def test_template_check_knows_switches_and_if_fields(self):
        """Fields inside an IF are checked like the others; an IF that Word let run over
        two paragraphs is refused, named, and the previous file stays."""
        document = docx.Document()
        paragraph = document.add_paragraph("Điều 3. ")

        def run_with(paragraph, tag, value):
            node = etree.SubElement(etree.SubElement(paragraph._p, W + "r"), W + tag)
            if tag == "fldChar":
                node.set(W + "fldCharType", value)
            else:
                node.text = value

        run_with(paragraph, "fldChar", "begin")
        run_with(paragraph, "instrText", " IF ")
        add_field(paragraph, "customer.stage")
        run_with(paragraph, "instrText", ' = "VIP" "Giảm 5% cho ')
        add_field(paragraph, "customer.nam")
        run_with(paragraph, "instrText", '" "" ')
        run_with(paragraph, "fldChar", "separate")
        run_with(paragraph, "fldChar", "end")
        add_field(document.add_paragraph("Ngày: "), 'contract.date_signed \\@ "d MMMM yyyy"')
        output = io.BytesIO()
        document.save(output)
        self.template.write({"file": b64(output.getvalue()), "file_name": "if.docx"})
        self.assertEqual(
            self.template.field_names.split("\n"),
            ["customer.stage", "customer.nam", "contract.date_signed"],
        )
        self.assertEqual(self.template.unknown_fields, "customer.nam")
        merged = self.template._effect_render(partner=self.customer)
        self.assertEqual(docx_template.fields_of(merged)["fields"], [])

        # Enter inside the IF's text: the field now ends in the next paragraph
        ending = document.add_paragraph()
        for node in list(paragraph._p)[-2:]:  # separate and end move to the new paragraph
            ending._p.append(node)
        output = io.BytesIO()
        document.save(output)
        with self.assertRaisesRegex(ValidationError, r"the field \{ IF customer.stage = "):
            self.template.write({"file": b64(output.getvalue()), "file_name": "if-2.docx"})
        self.assertEqual(self.template.file_name, "if.docx")

    def test_unsafe_files_are_refused_and_change_nothing(self):
        good = contract_template()
        with_macros = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(good)) as package,
            zipfile.ZipFile(with_macros, "w") as out,
        ):
            for info in package.infolist():
                out.writestr(info.filename, package.read(info.filename))
            out.writestr("word/vbaProject.bin", b"\x00" * 64)
        bomb = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(good)) as package,
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out,
        ):
            for info in package.infolist():
                out.writestr(info.filename, package.read(info.filename))
            out.writestr("word/media/big.xml", b"0" * (30 * 1024 * 1024))
        Template = self.template.with_user(self.user_sales_manager)
        for data, name, message in (
            (with_macros.getvalue(), "macro.docx", "contains macros"),
            (good, "macro.docm", "contains macros"),
            (bomb.getvalue(), "bomb.docx", "expands to far more data"),
            (b"PK\x03\x04 broken", "broken.docx", "is damaged"),
        ):
            with self.assertRaisesRegex(ValidationError, message):
                Template.write({"file": b64(data), "file_name": name})
            self.assertEqual(self.template.version, 1)
        with self.assertRaisesRegex(UserError, "needs its Word file"):
            Template.write({"file": False})
        contract = self._contract()
        with self.assertRaisesRegex(ValidationError, "contains macros"):
            self._upload(contract, with_macros.getvalue(), "hop-dong.docx")
        self.assertFalse(contract.version_ids)

    def test_only_sales_managers_keep_templates(self):
        as_salesman = self.template.with_user(self.user_salesman)
        self.assertEqual(as_salesman.name, "Hợp đồng mua bán", "salespeople read templates")
        with self.assertRaises(AccessError):
            as_salesman.write({"name": "Sửa"})
        with self.assertRaises(AccessError):
            self.env["effect.crm.template"].with_user(self.user_salesman).create(
                {"name": "X", "file": b64(contract_template()), "file_name": "x.docx"}
            )
        with self.assertRaises(AccessError):
            as_salesman.unlink()
        with self.assertRaises(AccessError):
            self.template.with_user(self.user_employee).read(["name"])

    def test_data_is_plain_and_vietnamese(self):
        order = self._accepted_order()
        contract = self._contract(
            sale_order_id=order.id,
            amount=1250000,
            currency_id=self.vnd.id,
            date_signed="2026-11-05",
        )
        data = (
            self.env["effect.crm.template.data"]
            .with_user(self.user_salesman)
            ._effect_build(contract=contract)
        )
        docx_template._check_plain(data)  # raises on anything but plain data
        self.assertEqual(data["customer"]["name"], self.customer.name)
        self.assertEqual(data["customer"]["attr"]["Số nhân viên"], "250")
        self.assertEqual(data["contract"]["amount"], "1.250.000")
        self.assertEqual(data["contract"]["amount_words"], "Một triệu hai trăm năm mươi nghìn đồng")
        self.assertEqual(data["contract"]["date_signed_words"], "ngày 05 tháng 11 năm 2026")
        self.assertEqual(data["contract"]["date_signed"], "05/11/2026")
        self.assertEqual([line["no"] for line in data["lines"]], [1, 2])
        self.assertEqual(data["lines"][0]["name"], order.order_line[0].name)
        self.assertTrue(data["taxes"] or not order.amount_tax)

    def test_preview_for_a_customer(self):
        wizard = (
            self.env["effect.crm.template.render"]
            .with_user(self.user_salesman)
            .create({"template_id": self.template.id, "partner_id": self.customer.id})
        )
        action = wizard.action_preview()
        self.assertIn("/result_file/", action["url"])
        merged = base64.b64decode(wizard.result_file)
        self.assertEqual(docx_template.read_back(merged)["customer.name"], self.customer.name)
        self.assertEqual(docx_template.fields_of(merged)["fields"], [])

    def test_preview_for_a_hidden_customer_is_refused_before_rendering(self):
        Wizard = self.env["effect.crm.template.render"].with_user(self.user_salesman)
        hidden = "another salesperson or territory"
        with self.assertRaisesRegex(AccessError, hidden):
            Wizard.create({"template_id": self.template.id, "partner_id": self.customer_2.id})
        with self.assertRaisesRegex(AccessError, hidden):
            Wizard.with_context(default_partner_id=self.customer_2.id).create(
                {"template_id": self.template.id}
            )
        # saved for a customer of theirs who then goes to a colleague: the button is
        # refused with the same message and nothing is rendered
        wizard = Wizard.create({"template_id": self.template.id, "partner_id": self.customer.id})
        self.customer.user_id = self.user_salesman_2
        with self.assertRaisesRegex(AccessError, hidden):
            wizard.action_preview()
        self.assertFalse(wizard.sudo().result_file)

    def test_contract_from_template_then_round_trip(self):
        """Quotation → contract → version 1 from the template → edited upload → apply."""
        order = self._accepted_order()
        action = order.with_user(self.user_salesman).action_effect_contract_from_template()
        contract = (
            self.env["effect.crm.contract"]
            .with_user(self.user_salesman)
            .browse(action["context"]["default_contract_id"])
        )
        self.assertEqual(contract.sale_order_id, order)
        contract.write({"date_signed": "2026-11-05", "currency_id": self.vnd.id})
        v1 = self._generate(contract)
        self.assertEqual((v1.number, v1.template_id), (1, self.template))
        self.assertEqual(v1.document_values["customer.name"], self.customer.name)
        self.assertEqual(
            v1.document_values["lines.name"], order.order_line.mapped("name"), "a row per line"
        )
        self.assertIn("Điều 5. Bảo hành 12 tháng.", v1.text_content)
        self.assertEqual(contract.difference_count, 0, "the generated version agrees")

        edited = edit_controls(
            base64.b64decode(v1.file),
            {
                "contract.amount": "9.999.000",
                "contract.date_signed_words": "ngày 20 tháng 12 năm 2026",
                "customer.tax_code": "0101010101",
            },
        )
        v2 = self._upload(contract, edited, "hop-dong-sua.docx")
        self.assertEqual(v2.number, 2)
        self.assertEqual(contract.last_version_id, v2)
        self.assertEqual(contract.difference_count, 3)
        self.assertIn("9.999.000", contract.difference_html)
        self.assertIn("0101010101", contract.difference_html)
        self.assertTrue(contract.difference_applicable)

        contract.action_apply_document_values()
        self.assertEqual(contract.amount, 9999000)
        self.assertEqual(contract.date_signed, fields.Date.to_date("2026-12-20"))
        self.assertEqual(self.customer.vat, "0100109106", "the customer never changes")
        self.env.invalidate_all()
        self.assertEqual(
            {d["tag"] for d in v2._effect_differences()},
            {"customer.tax_code", "contract.amount_words"},
            "the tax code is not the contract's to change; the words still say the old value",
        )
        self.assertIn("Values of version 2 taken", contract.message_ids[0].body)

        # regenerate: version 3 says what the database says
        v2.with_user(self.user_salesman).action_regenerate()
        self.env.invalidate_all()
        self.assertEqual(contract.last_version_id.number, 3)
        self.assertEqual(contract.difference_count, 0)

        # the text of the versions is searchable, the signed text readable
        Contract = self.env["effect.crm.contract"].with_user(self.user_salesman)
        self.assertIn(contract, Contract.search([("version_text", "ilike", "Bảo hành 12 tháng")]))
        self.assertNotIn(contract, Contract.search([("version_text", "ilike", "không có chữ này")]))
        self.assertFalse(contract.signed_text)
        v2.with_user(self.user_salesman).action_mark_final()
        contract.invalidate_recordset()
        self.assertIn("0101010101", contract.signed_text)

    def test_document_values_that_cannot_be_read(self):
        contract = self._contract(currency_id=self.vnd.id, amount=1000)
        v1 = self._generate(contract)
        edited = edit_controls(base64.b64decode(v1.file), {"contract.amount": "một nghìn"})
        self._upload(contract, edited, "sua.docx")
        with self.assertRaisesRegex(UserError, "could not be read"):
            contract.action_apply_document_values()
        self.assertEqual(contract.amount, 1000)

    def test_other_salesperson_cannot_generate_for_a_contract_they_do_not_see(self):
        contract = self._contract()
        with self.assertRaises(AccessError):
            self.env["effect.crm.template.render"].with_user(self.user_salesman_2).create(
                {"mode": "version", "template_id": self.template.id, "contract_id": contract.id}
            ).action_create_version()


@tagged("post_install", "-at_install")
class TestVersionPdf(EffectCrmSalesCommon):
    def test_pdf_of_a_version(self):
        contract = self._contract()
        version = self._upload(contract, contract_template(), "hop-dong.docx")
        if not office.soffice_path():
            with self.assertRaisesRegex(UserError, "LibreOffice is not installed"):
                version.with_user(self.user_salesman).action_pdf()
            self.skipTest("LibreOffice (soffice) is not installed")
        action = version.with_user(self.user_salesman).action_pdf()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        self.assertEqual(attachment.raw[:5], b"%PDF-")
        self.assertEqual(attachment.name, "hop-dong.pdf")
