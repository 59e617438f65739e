"""Unit tests of the Word template engine (no database).

Real templates saved by Word versions are in tests/data/word-samples/ (from the test
suite of docx-mailmerge, MIT licence, LICENSE.txt beside them); the others are made
here with python-docx, with fields written the way Word writes them.
"""

import copy
import datetime
import io
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import load_tools
from lxml import etree

tools = load_tools("effect_crm")
engine = tools.docx_template
vietnamese = tools.vietnamese
W = engine.W

SAMPLES = Path(__file__).parent / "data" / "word-samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.docx"))


def sample(name):
    return (SAMPLES / name).read_bytes()


def element_text(element):
    """Text of a python-docx paragraph or cell, content controls included.

    (python-docx's own ``.text`` skips the runs inside content controls.)
    """
    return "".join(node.text or "" for node in element._element.iter(W + "t"))


def opens_with_python_docx(data):
    document = docx.Document(io.BytesIO(data))
    return "\n".join(element_text(p) for p in document.paragraphs)


def table_rows(data, index=0):
    table = docx.Document(io.BytesIO(data)).tables[index]
    return [[element_text(cell) for cell in row.cells] for row in table.rows]


# ----------------------------------------------------------------------
# python-docx documents with Word-style fields
# ----------------------------------------------------------------------


def _run(paragraph, text=None):
    run = paragraph.add_run(text)
    return run._r


def add_simple_field(paragraph, name, bold=False):
    """``<w:fldSimple w:instr=" MERGEFIELD name ">`` as Word writes it."""
    field = etree.SubElement(paragraph._p, W + "fldSimple")
    field.set(W + "instr", f" MERGEFIELD  {name}  \\* MERGEFORMAT ")
    run = etree.SubElement(field, W + "r")
    if bold:
        etree.SubElement(etree.SubElement(run, W + "rPr"), W + "b")
    etree.SubElement(run, W + "t").text = f"«{name}»"


def add_complex_field(paragraph, instruction_pieces, shown="«field»"):
    """begin / instrText in several runs / separate / result / end, as Word splits them."""

    def run_with(tag, **attrs):
        run = etree.SubElement(paragraph._p, W + "r")
        etree.SubElement(etree.SubElement(run, W + "rPr"), W + "i")
        node = etree.SubElement(run, W + tag)
        for key, value in attrs.items():
            node.set(W + key, value)
        return node

    run_with("fldChar", fldCharType="begin")
    for piece in instruction_pieces:
        node = run_with("instrText")
        node.text = piece
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    etree.SubElement(paragraph._p, W + "proofErr").set(W + "type", "spellStart")
    run_with("fldChar", fldCharType="separate")
    run_with("t").text = shown
    run_with("fldChar", fldCharType="end")


def make_contract_template():
    document = docx.Document()
    document.add_heading("HỢP ĐỒNG MUA BÁN", level=1)
    p = document.add_paragraph("Số: ")
    add_simple_field(p, "contract.number", bold=True)
    p = document.add_paragraph("Bên mua: ")
    # the name split as Word does after an edit: "MERGEFIELD cus" + "tomer.na" + "me"
    add_complex_field(p, [" MERGEFIELD cus", "tomer.na", "me \\* Upper ", "\\* MERGEFORMAT "])
    p = document.add_paragraph("Giá trị: ")
    add_simple_field(p, "contract.amount")
    p.add_run(" (")
    add_simple_field(p, "contract.amount_words")
    p.add_run(")")
    p = document.add_paragraph("Ký ")
    add_complex_field(p, [' MERGEFIELD "contract.date_signed_words" '])
    table = document.add_table(rows=2, cols=3)
    table.rows[0].cells[0].text = "Sản phẩm"
    table.rows[0].cells[1].text = "Số lượng"
    table.rows[0].cells[2].text = "Số hợp đồng"
    add_simple_field(table.rows[1].cells[0].paragraphs[0], "lines.name")
    add_complex_field(table.rows[1].cells[1].paragraphs[0], [" MERGEFIELD lines.", "quantity "])
    add_simple_field(table.rows[1].cells[2].paragraphs[0], "contract.number")
    document.add_paragraph("Ghi chú: ")
    add_simple_field(document.paragraphs[-1], "note")
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


CONTRACT_DATA = {
    "contract": {
        "number": "HĐ/2026/0042",
        "amount": "1.250.000",
        "amount_words": "Một triệu hai trăm năm mươi nghìn đồng",
        "date_signed_words": "ngày 05 tháng 11 năm 2026",
    },
    "customer": {"name": "Công ty TNHH Thép Việt"},
    "lines": [
        {"name": "Thép tấm", "quantity": 3},
        {"name": "Ống thép", "quantity": 2.0},
        {"name": "Dây thép", "quantity": 1.5},
    ],
    "note": "dòng 1\ndòng 2",
}


# ----------------------------------------------------------------------
# The real Word samples
# ----------------------------------------------------------------------

SAMPLE_FIELDS = {
    "test_issue8.docx": ["testfield"],
    "test_macword2011.docx": [
        "first_name",
        "last_name",
        "address_line",
        "postal_code",
        "city",
        "state",
        "country",
        "date",
    ],
    "test_merge_pages.docx": ["fieldname"],
    "test_merge_pages_paged.docx": ["fieldname"],
    "test_merge_table_multipart.docx": [
        "student_name",
        "study_name",
        "class_code",
        "class_name",
        "class_grade",
        "thesis_grade",
    ],
    "test_merge_templates_simple.docx": ["fieldname"],
    "test_spaces.docx": ["Singleword", "Hello world", "More than one space"],
    "test_nested_if_inside.docx": ["fieldname"],
    "test_nested_if_outside.docx": ["fieldname"],
}
# fields inside an IF are merged into its text, which is no content control to read back
IF_SAMPLES = {"test_nested_if_inside.docx"}


def test_every_sample_is_covered():
    assert {path.name for path in SAMPLE_FILES} == set(SAMPLE_FIELDS)


@pytest.mark.parametrize("name", sorted(SAMPLE_FIELDS))
def test_fields_of_real_word_samples(name):
    data = sample(name)
    assert engine.check_package(data)
    found = engine.fields_of(data)["fields"]
    assert sorted(found) == sorted(SAMPLE_FIELDS[name])


@pytest.mark.parametrize("name", sorted(SAMPLE_FIELDS))
def test_render_real_word_samples_fills_every_field(name):
    data = sample(name)
    values = {field: f"Giá trị {i} Việt" for i, field in enumerate(SAMPLE_FIELDS[name])}
    merged = engine.render(data, values)
    # no field is left in the document, the values are there and can be read back
    assert engine.fields_of(merged)["fields"] == []
    back = engine.read_back(merged)
    for field, value in values.items():
        if name in IF_SAMPLES:
            continue
        got = back[field]
        assert (got if isinstance(got, str) else got[0]) == value
    text = engine.extract_text(merged)
    for value in values.values():
        assert value in text
    assert "«" not in text
    opens_with_python_docx(merged)


def test_complex_field_result_replaced_whole_in_word_2016_sample():
    merged = engine.render(sample("test_merge_templates_simple.docx"), {"fieldname": "XYZ"})
    with zipfile.ZipFile(io.BytesIO(merged)) as package:
        xml = package.read("word/document.xml").decode()
    assert "fldChar" not in xml and "instrText" not in xml
    assert "XYZ" in xml and "«fieldname»" not in xml


def test_repeating_rows_of_the_docx_mailmerge_sample():
    data = sample("test_merge_table_multipart.docx")
    info = engine.fields_of(data)
    assert ["class_code", "class_name", "class_grade"] in info["rows"]
    merged = engine.render(
        data,
        {
            "student_name": "Nguyễn Văn An",
            "study_name": "Kinh tế",
            "thesis_grade": "9",
            "classes": [
                {"class_code": "KT1", "class_name": "Kinh tế vĩ mô", "class_grade": "8"},
                {"class_code": "KT2", "class_name": "Kế toán", "class_grade": "7"},
            ],
        },
    )
    assert table_rows(merged) == [
        ["Class Code", "Class Name", "Grade"],
        ["KT1", "Kinh tế vĩ mô", "8"],
        ["KT2", "Kế toán", "7"],
        ["THESIS", "Final thesis", "9"],
    ]
    assert engine.read_back(merged)["class_code"] == ["KT1", "KT2"]


def test_quoted_names_with_spaces():
    merged = engine.render(
        sample("test_spaces.docx"),
        {"Singleword": "một", "Hello world": "hai", "More than one space": "ba"},
    )
    assert engine.read_back(merged) == {
        "Singleword": "một",
        "Hello world": "hai",
        "More than one space": "ba",
    }


def test_mail_merge_data_source_removed_from_settings():
    data = sample("test_macword2011.docx")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        had_source = b"mailMerge" in package.read("word/settings.xml")
    merged = engine.render(data, {})
    with zipfile.ZipFile(io.BytesIO(merged)) as package:
        assert b"mailMerge" not in package.read("word/settings.xml")
    assert had_source


# ----------------------------------------------------------------------
# python-docx templates
# ----------------------------------------------------------------------


def test_fields_and_rows_of_a_python_docx_template():
    info = engine.fields_of(make_contract_template())
    assert info["fields"] == [
        "contract.number",
        "customer.name",
        "contract.amount",
        "contract.amount_words",
        "contract.date_signed_words",
        "lines.name",
        "lines.quantity",
        "note",
    ]
    assert info["rows"] == [["lines.name", "lines.quantity", "contract.number"]]
    assert engine.row_groups(info["rows"][0]) == ["contract", "lines"]


def test_render_python_docx_template():
    merged = engine.render(make_contract_template(), CONTRACT_DATA)
    text = opens_with_python_docx(merged)
    assert "Số: HĐ/2026/0042" in text
    # the \* Upper switch and the name split over three runs
    assert "Bên mua: CÔNG TY TNHH THÉP VIỆT" in text
    assert "Giá trị: 1.250.000 (Một triệu hai trăm năm mươi nghìn đồng)" in text
    assert "Ký ngày 05 tháng 11 năm 2026" in text
    assert table_rows(merged) == [
        ["Sản phẩm", "Số lượng", "Số hợp đồng"],
        ["Thép tấm", "3", "HĐ/2026/0042"],
        ["Ống thép", "2", "HĐ/2026/0042"],
        ["Dây thép", "1.5", "HĐ/2026/0042"],
    ]
    back = engine.read_back(merged)
    assert back["customer.name"] == "CÔNG TY TNHH THÉP VIỆT"
    assert back["lines.name"] == ["Thép tấm", "Ống thép", "Dây thép"]
    assert back["note"] == "dòng 1\ndòng 2"
    # the bold of the simple field is kept around the value
    with zipfile.ZipFile(io.BytesIO(merged)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    sdt = next(
        s
        for s in root.iter(W + "sdt")
        if s.find(f"{W}sdtPr/{W}tag").get(W + "val") == "contract.number"
    )
    assert sdt.find(f"{W}sdtContent/{W}r/{W}rPr/{W}b") is not None


def test_empty_list_removes_the_row_and_missing_values_are_empty():
    merged = engine.render(make_contract_template(), {"lines": []})
    assert len(table_rows(merged)) == 1
    back = engine.read_back(merged)
    assert back["contract.number"] == ""
    assert "lines.name" not in back


def test_read_back_after_a_user_edit():
    merged = engine.render(make_contract_template(), CONTRACT_DATA)
    package = zipfile.ZipFile(io.BytesIO(merged))
    root = etree.fromstring(package.read("word/document.xml"))
    for sdt in root.iter(W + "sdt"):
        if sdt.find(f"{W}sdtPr/{W}tag").get(W + "val") == "contract.amount":
            # the user retyped the value in two runs
            content = sdt.find(W + "sdtContent")
            run = content.find(W + "r")
            run.find(W + "t").text = "1.500"
            second = copy.deepcopy(run)
            second.find(W + "t").text = ".000"
            run.addnext(second)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as out:
        for info in package.infolist():
            content = package.read(info.filename)
            if info.filename == "word/document.xml":
                content = etree.tostring(root)
            out.writestr(info, content)
    assert engine.read_back(output.getvalue())["contract.amount"] == "1.500.000"


def test_plain_python_docx_document_has_no_fields():
    document = docx.Document()
    document.add_paragraph("Không có trường trộn")
    output = io.BytesIO()
    document.save(output)
    data = output.getvalue()
    assert engine.fields_of(data) == {"fields": [], "rows": [], "spanning": []}
    assert engine.read_back(data) == {}
    assert engine.extract_text(data) == "Không có trường trộn"


def test_extract_text_of_tables_and_headers():
    text = engine.extract_text(engine.render(make_contract_template(), CONTRACT_DATA))
    assert "Sản phẩm\tSố lượng\tSố hợp đồng" in text
    assert "Thép tấm\t3\tHĐ/2026/0042" in text
    assert text.startswith("HỢP ĐỒNG MUA BÁN")


# ----------------------------------------------------------------------
# Nothing from the template runs; only plain data goes in
# ----------------------------------------------------------------------

ESCAPES = [
    "cycler.__init__.__globals__",
    "''.__class__.__mro__",
    "rec.unlink()",
    "__import__('os').system('id')",
    "{{ 7*7 }}",
    "customer.__class__",
    "lines.0.__class__",
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_template_expressions_are_names_never_code(escape):
    document = docx.Document()
    add_complex_field(document.add_paragraph(), [f' MERGEFIELD "{escape}" '])
    output = io.BytesIO()
    document.save(output)
    merged = engine.render(output.getvalue(), {"customer": {"name": "A"}, "lines": [{"x": 1}]})
    back = engine.read_back(merged)
    assert back == {escape: ""}
    assert "49" not in engine.extract_text(merged)


def test_only_plain_data_is_accepted():
    class Record:
        def unlink(self):  # pragma: no cover - must never be reached
            raise AssertionError("called")

    template = make_contract_template()
    with pytest.raises(TypeError):
        engine.render(template, {"customer": Record()})
    with pytest.raises(TypeError):
        engine.render(template, {"lines": [{"name": datetime.date(2026, 1, 1)}]})
    with pytest.raises(TypeError):
        engine.render(template, [("customer", "x")])


def test_resolve_follows_dict_keys_only():
    data = {"customer": {"name": "A"}, "text": "abc"}
    assert engine.resolve(data, "customer.name") == "A"
    assert engine.resolve(data, "text.upper") is engine._MISSING
    assert engine.resolve(data, "customer.items") is engine._MISSING


# ----------------------------------------------------------------------
# Damaged, macro-enabled, oversized packages and zip bombs
# ----------------------------------------------------------------------


def _repack(data, extra=None, drop=(), replace=None):
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as package,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in package.infolist():
            if info.filename in drop:
                continue
            content = package.read(info.filename)
            if replace and info.filename in replace:
                content = replace[info.filename](content)
            out.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            out.writestr(name, content)
    return output.getvalue()


def _code(data, **kwargs):
    with pytest.raises(engine.DocxTemplateError) as error:
        engine.check_package(data, **kwargs)
    assert isinstance(error.value, ValueError)
    return error.value.code


def test_bad_packages_are_refused_with_a_reason():
    good = sample("test_issue8.docx")
    assert _code(b"") == engine.EMPTY
    assert _code(b"not a zip at all") == engine.DAMAGED
    assert _code(good[: len(good) // 2]) == engine.DAMAGED
    assert _code(good, max_size=1000) == engine.TOO_LARGE
    assert _code(_repack(good, drop={"word/document.xml"})) == engine.NOT_WORD
    broken_xml = _repack(good, replace={"word/document.xml": lambda c: c[:-20]})
    assert _code(broken_xml) == engine.DAMAGED


def test_corrupted_part_is_refused():
    good = bytearray(sample("test_issue8.docx"))
    with zipfile.ZipFile(io.BytesIO(bytes(good))) as package:
        info = package.getinfo("word/document.xml")
    # flip bytes inside the compressed document part: the CRC check fails
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    for offset in range(start, start + 20):
        good[offset] ^= 0xFF
    assert _code(bytes(good)) == engine.DAMAGED


def test_macro_enabled_documents_are_refused():
    good = sample("test_issue8.docx")
    with_vba = _repack(good, extra={"word/vbaProject.bin": b"\x00" * 100})
    assert _code(with_vba) == engine.MACRO
    docm = _repack(
        good,
        replace={
            "[Content_Types].xml": lambda c: c.replace(
                b"document.main+xml", b"document.macroEnabled.main+xml"
            )
        },
    )
    assert _code(docm) == engine.MACRO


def test_zip_bombs_are_refused():
    good = sample("test_issue8.docx")
    bomb = _repack(good, extra={"word/media/huge.xml": b"0" * (30 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    assert _code(bomb) == engine.BOMB
    assert _code(good, max_inflated=10_000) == engine.BOMB


def test_lying_header_cannot_inflate_beyond_the_limit():
    """A part whose header declares a small size but inflates to much more."""
    good = sample("test_issue8.docx")
    big = _repack(
        good,
        replace={
            "word/document.xml": lambda c: c.replace(b"</w:body>", b" " * 500_000 + b"</w:body>")
        },
    )
    with zipfile.ZipFile(io.BytesIO(big)) as package:
        info = package.getinfo("word/document.xml")
    with pytest.raises(engine.DocxTemplateError) as error:
        engine._read_part(zipfile.ZipFile(io.BytesIO(big)), "word/document.xml", 100_000)
    assert error.value.code == engine.BOMB
    assert info.file_size > 100_000


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    good = sample("test_issue8.docx")
    xxe = _repack(
        good,
        replace={
            "word/document.xml": lambda c: c.replace(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
                f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'.encode(),
            ).replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>", 1)
        },
    )
    try:
        text = engine.extract_text(xxe)
    except engine.DocxTemplateError:
        return
    assert "TOP-SECRET" not in text


# ----------------------------------------------------------------------
# Vietnamese amounts and dates
# ----------------------------------------------------------------------


def test_amount_in_vietnamese_words():
    assert vietnamese.amount_in_words(1250000, "VND") == "Một triệu hai trăm năm mươi nghìn đồng"
    assert vietnamese.amount_in_words(105, "VND") == "Một trăm lẻ năm đồng"
    assert vietnamese.amount_in_words(1000000000) == "Một tỷ đồng"
    assert vietnamese.amount_in_words(12.5, "USD") == "Mười hai đô la Mỹ và năm mươi xu"
    assert vietnamese.amount_in_words(0.4, "VND") == "Không đồng"
    assert vietnamese.amount_in_words(None) == ""


def test_vietnamese_dates_and_numbers():
    assert vietnamese.date_in_words(datetime.date(2026, 11, 5)) == "ngày 05 tháng 11 năm 2026"
    assert vietnamese.date_in_words("2027-01-31") == "ngày 31 tháng 01 năm 2027"
    assert vietnamese.date_in_words(False) == ""
    assert vietnamese.date_short(datetime.date(2026, 11, 5)) == "05/11/2026"
    assert vietnamese.format_amount(1250000) == "1.250.000"
    assert vietnamese.format_amount(1234.5, 2) == "1.234,50"


# ----------------------------------------------------------------------
# LibreOffice opens the result (only where it is installed)
# ----------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_merged_document(tmp_path):
    merged = engine.render(make_contract_template(), CONTRACT_DATA)
    source = tmp_path / "hop_dong.docx"
    source.write_bytes(merged)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    text = (tmp_path / "hop_dong.txt").read_text(encoding="utf-8-sig")
    assert "CÔNG TY TNHH THÉP VIỆT" in text
    assert "Thép tấm" in text


def test_parse_instruction():
    assert engine.parse_instruction(' MERGEFIELD "Hello world" \\* Upper ') == (
        "Hello world",
        ["upper"],
    )
    assert engine.parse_instruction(" MERGEFIELD  customer.name  \\* MERGEFORMAT ") == (
        "customer.name",
        [],
    )
    # typed by hand without quotes: the name runs up to the first switch
    assert engine.parse_instruction(" MERGEFIELD customer.attr.Số nhân viên \\* Caps") == (
        "customer.attr.Số nhân viên",
        ["caps"],
    )
    assert engine.parse_instruction(" PAGE \\* MERGEFORMAT ") is None
    assert engine.parse_instruction(' HYPERLINK "http://x" ') is None


def test_a_ten_page_contract_renders_every_field_and_row():
    """The benchmark's document (10 pages, 50 fields, a 30-line table) merges completely;
    its time is measured in bench/templates.py, not here."""
    document = docx.Document()
    for page in range(10):
        for i in range(5):
            paragraph = document.add_paragraph("Điều khoản của hợp đồng. " * 30)
            name = f"field{page * 5 + i}"
            if i % 2:
                add_simple_field(paragraph, name)
            else:
                add_complex_field(paragraph, [f" MERGEFIELD {name[:3]}", f"{name[3:]} "])
        document.add_page_break()
    table = document.add_table(rows=2, cols=3)
    names = ("lines.no", "lines.name", "lines.subtotal")
    for cell, name in zip(table.rows[1].cells, names, strict=True):
        add_simple_field(cell.paragraphs[0], name)
    output = io.BytesIO()
    document.save(output)
    values = {f"field{i}": f"giá trị {i}" for i in range(50)}
    values["lines"] = [{"no": i, "name": f"Hàng {i}", "subtotal": "1.000"} for i in range(30)]
    merged = engine.render(output.getvalue(), values)
    assert len(table_rows(merged)) == 31
    read = engine.read_back(merged)
    assert all(read[f"field{i}"] == f"giá trị {i}" for i in range(50))


# ----------------------------------------------------------------------
# Field switches: \@ dates, \# numbers, \* text formats, \b and \f
# ----------------------------------------------------------------------


def test_parse_instruction_switches():
    assert engine.parse_instruction(' MERGEFIELD d \\@ "dd/MM/yyyy" \\* MERGEFORMAT ') == (
        "d",
        [("date", "dd/MM/yyyy")],
    )
    assert engine.parse_instruction(
        ' MERGEFIELD contract.amount \\# "#,##0" \\b "Giá trị: " \\f " đồng" \\* Upper'
    ) == (
        "contract.amount",
        [("number", "#,##0"), ("before", "Giá trị: "), ("after", " đồng"), "upper"],
    )
    # a picture without spaces may be typed without quotes; \\" is a quote inside
    assert engine.parse_instruction(' MERGEFIELD n \\# 0.00 \\f "\\"x\\""') == (
        "n",
        [("number", "0.00"), ("after", '"x"')],
    )


@pytest.mark.parametrize(
    ("value", "picture", "lang", "expected"),
    [
        (1250000, "#,##0", "en-US", "1,250,000"),
        (1250000, "#,##0", "vi-VN", "1.250.000"),
        # the data's amounts are texts written the Vietnamese way
        ("1.250.000", "#,##0.00", "en-US", "1,250,000.00"),
        ("1.250.000", "#,##0.00", "vi-VN", "1.250.000,00"),
        # a picture typed on a Vietnamese Windows (dots for thousands) reads the same
        ("1.250.000,5", "#.##0,00", "vi-VN", "1.250.000,50"),
        ("1.250.000,5", "#.##0,00", "de-DE", "1.250.000,50"),
        (1234.565, "0.00", None, "1234.57"),
        (2.5, "0", None, "3"),
        (-5, "#,##0", None, "-5"),
        (-5, "#,##0;(#,##0)", None, "(5)"),
        (0, "#,##0;(#,##0);-", None, "-"),
        (7, "00", None, "07"),
        (None, "0.00", None, "0.00"),
        (12.3, "#,##0.##", None, "12.3"),
        ("1.250.000 ₫", "#,##0 ₫", "vi-VN", "1.250.000 ₫"),
        (33, "##%", None, "33%"),
        ("HĐ/2026/0042", "#,##0", None, "HĐ/2026/0042"),  # no number: as it is
    ],
)
def test_number_pictures(value, picture, lang, expected):
    assert engine.format_value(value, [("number", picture)], lang) == expected


@pytest.mark.parametrize(
    ("value", "picture", "lang", "expected"),
    [
        # the data's dates are texts: 05/11/2026, ngày 05 tháng 11 năm 2026, or ISO
        ("05/11/2026", "dd/MM/yyyy", None, "05/11/2026"),
        ("2026-11-05", "d/M/yy", None, "5/11/26"),
        ("ngày 05 tháng 11 năm 2026", "yyyy-MM-dd", None, "2026-11-05"),
        (datetime.date(2026, 11, 5), "d MMMM yyyy", "en-US", "5 November 2026"),
        ("2026-11-05", "dddd, MMM d", "en-GB", "Thursday, Nov 5"),
        ("2026-11-05", "dddd, dd MMMM yyyy", "vi-VN", "Thứ Năm, 05 Tháng Mười Một 2026"),
        ("2026-11-05", "ddd dd/MM", "vi-VN", "T5 05/11"),
        ("05/11/2026", "'ngày' dd 'tháng' MM 'năm' yyyy", "vi-VN", "ngày 05 tháng 11 năm 2026"),
        ("2026-03-09 17:07:08", "h:mm AM/PM", "en-US", "5:07 PM"),
        ("2026-03-09 17:07:08", "HH:mm:ss", None, "17:07:08"),
        ("2026-03-09 09:05", "h:mm am/pm", "vi-VN", "9:05 sa"),
        ("chưa ký", "dd/MM/yyyy", None, "chưa ký"),  # no date: as it is
        ("", "dd/MM/yyyy", None, ""),
    ],
)
def test_date_pictures(value, picture, lang, expected):
    assert engine.format_value(value, [("date", picture)], lang) == expected


def test_text_formats_and_texts_around_a_value():
    assert engine.format_value("công ty thép việt", ["caps"]) == "Công Ty Thép Việt"
    assert engine.format_value("công ty thép việt", ["firstcap"]) == "Công ty thép việt"
    assert engine.format_value("Thép Việt", ["upper"]) == "THÉP VIỆT"
    assert engine.format_value("THÉP", ["lower"]) == "thép"
    around = [("before", "Mã số thuế: "), ("after", ".")]
    assert engine.format_value("0101010101", around) == "Mã số thuế: 0101010101."
    assert engine.format_value("", around) == ""
    assert engine.format_value(None, around) == ""


def _set_document_lang(document, lang):
    """The default language of a python-docx document, as Word's Language dialog sets it."""
    styles = document.styles.element
    rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    node = rpr.find(W + "lang")
    if node is None:
        node = etree.SubElement(rpr, W + "lang")
    node.set(W + "val", lang)


@pytest.mark.parametrize(
    ("lang", "amount", "date"),
    [
        ("vi-VN", "Giá trị: 1.250.000,00 đồng", "Ký ngày: Thứ Năm, 05 Tháng Mười Một 2026"),
        ("en-US", "Giá trị: 1,250,000.00 đồng", "Ký ngày: Thursday, 05 November 2026"),
    ],
)
def test_switches_in_a_python_docx_template(lang, amount, date):
    document = docx.Document()
    _set_document_lang(document, lang)
    p = document.add_paragraph()
    add_complex_field(
        p, [" MERGEFIELD contract.amount ", '\\# "#,##0.00" \\b "Giá trị: " \\f " đồng" ']
    )
    p = document.add_paragraph("Ký ngày: ")
    add_complex_field(p, [' MERGEFIELD contract.date_signed \\@ "dddd, dd MMMM yyyy" '])
    p = document.add_paragraph()
    add_simple_field(p, 'customer.name \\* Caps \\b "Bên mua: "')
    p = document.add_paragraph("Ghi chú:")
    add_simple_field(p, 'note \\b " — "')
    output = io.BytesIO()
    document.save(output)
    template = output.getvalue()
    assert engine.fields_of(template)["fields"] == [
        "contract.amount",
        "contract.date_signed",
        "customer.name",
        "note",
    ]
    values = {
        "contract": {"amount": "1.250.000", "date_signed": "05/11/2026"},
        "customer": {"name": "công ty thép việt"},
        "note": "",
    }
    lines = opens_with_python_docx(engine.render(template, values)).split("\n")
    assert lines == [amount, date, "Bên mua: Công Ty Thép Việt", "Ghi chú:"]
    # the formatted value is what the content control holds: it reads back as written
    back = engine.read_back(engine.render(template, values))
    assert back["contract.amount"] == amount


# ----------------------------------------------------------------------
# IF fields
# ----------------------------------------------------------------------


def add_field_tree(paragraph, pieces, shown="«»"):
    """A complex field whose instruction holds texts and nested fields (lists)."""

    def run_with(tag, text=None, **attrs):
        run = etree.SubElement(paragraph._p, W + "r")
        node = etree.SubElement(run, W + tag)
        for key, value in attrs.items():
            node.set(W + key, value)
        if text is not None:
            node.text = text
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    run_with("fldChar", fldCharType="begin")
    for piece in pieces:
        if isinstance(piece, list):
            add_field_tree(paragraph, piece)
        else:
            run_with("instrText", piece)
    run_with("fldChar", fldCharType="separate")
    run_with("t", shown)
    run_with("fldChar", fldCharType="end")


def test_if_fields_of_a_template_saved_by_word():
    """Word 2016: IF {fieldname} <> "one" "{IF {fieldname} = "two" "two" "more: {fieldname}"}"
    "- one -", the inner fields complex and simple."""
    data = sample("test_nested_if_inside.docx")
    assert engine.fields_of(data)["fields"] == ["fieldname"]
    for value, expected in [
        ("one", "- one -"),
        ("two", "two"),
        ("Thép Việt", "more: Thép Việt"),
    ]:
        merged = engine.render(data, {"fieldname": value})
        assert engine.extract_text(merged) == expected
        with zipfile.ZipFile(io.BytesIO(merged)) as package:
            xml = package.read("word/document.xml").decode()
        assert "fldChar" not in xml and "instrText" not in xml and "fldSimple" not in xml


def test_if_without_fields_beside_a_merge_field_saved_by_word():
    merged = engine.render(sample("test_nested_if_outside.docx"), {"fieldname": "Hà Nội"})
    assert engine.extract_text(merged) == "trueHà Nội"
    assert engine.read_back(merged) == {"fieldname": "Hà Nội"}


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ([["MERGEFIELD customer.province"], ' = "Hà Nội" '], {"province": "Hà Nội"}, "yes"),
        ([["MERGEFIELD customer.province"], ' = "Hà Nội" '], {"province": "hà nội"}, "no"),
        ([["MERGEFIELD customer.province"], ' = "Hà*" '], {"province": "Hà Nam"}, "yes"),
        ([["MERGEFIELD customer.province"], ' <> "" '], {"province": ""}, "no"),
        # numbers compare as numbers, written the Vietnamese way or not
        ([["MERGEFIELD customer.amount"], " > 1000000 "], {"amount": "1.250.000"}, "yes"),
        ([["MERGEFIELD customer.amount"], " >= 1250000 "], {"amount": "1.250.000"}, "yes"),
        ([["MERGEFIELD customer.amount"], " < 9.5 "], {"amount": "10"}, "no"),
        ([["MERGEFIELD customer.amount"], " <= 10 "], {"amount": 10}, "yes"),
        (['"abc" < "abd" '], {}, "yes"),
    ],
)
def test_if_operators(condition, values, expected):
    document = docx.Document()
    add_field_tree(document.add_paragraph(), [" IF ", *condition, '"yes" "no" '])
    output = io.BytesIO()
    document.save(output)
    merged = engine.render(output.getvalue(), {"customer": values})
    assert engine.extract_text(merged) == expected


def test_nested_if_with_switches_in_a_repeating_row():
    document = docx.Document()
    p = document.add_paragraph("Khách: ")
    add_field_tree(
        p,
        [
            " IF ",
            [" MERGEFIELD customer.stage "],
            ' = "VIP" "',
            [" MERGEFIELD customer.name \\* Upper "],
            ' (VIP)" "',
            [" IF ", [" MERGEFIELD customer.size "], ' = "" "', [" MERGEFIELD customer.name "], '" "',
             [" MERGEFIELD customer.name "], " - ", [" MERGEFIELD customer.size "], '"'],
            '" \\* MERGEFORMAT ',
        ],
    )  # fmt: skip
    table = document.add_table(rows=1, cols=2)
    add_simple_field(table.rows[0].cells[0].paragraphs[0], "lines.name")
    add_field_tree(
        table.rows[0].cells[1].paragraphs[0],
        [
            " IF ",
            [" MERGEFIELD lines.quantity "],
            ' > 1 "',
            [' MERGEFIELD lines.quantity \\# "#,##0" '],
            ' cái" "một cái" ',
        ],
    )
    output = io.BytesIO()
    document.save(output)
    template = output.getvalue()
    info = engine.fields_of(template)
    assert info["fields"] == [
        "customer.stage",
        "customer.name",
        "customer.size",
        "lines.name",
        "lines.quantity",
    ]
    assert ["lines.name", "lines.quantity"] in info["rows"]
    lines = [{"name": "Thép tấm", "quantity": 1200}, {"name": "Ống thép", "quantity": 1}]
    for customer, expected in [
        ({"stage": "VIP", "name": "Thép Việt", "size": "Lớn"}, "Khách: THÉP VIỆT (VIP)"),
        ({"stage": "", "name": "Thép Việt", "size": "Lớn"}, "Khách: Thép Việt - Lớn"),
        ({"stage": "", "name": "Thép Việt", "size": ""}, "Khách: Thép Việt"),
    ]:
        merged = engine.render(template, {"customer": customer, "lines": lines})
        assert opens_with_python_docx(merged) == expected
        assert table_rows(merged) == [["Thép tấm", "1,200 cái"], ["Ống thép", "một cái"]]
        assert engine.read_back(merged) == {"lines.name": ["Thép tấm", "Ống thép"]}


def test_an_if_that_spans_paragraphs_is_listed_not_merged():
    """Word lets an IF's text hold paragraph marks: begin in one paragraph, end in the
    next. Such a field is listed (the template check refuses it), never half merged."""
    document = docx.Document()

    def run_with(paragraph, tag, value):
        node = etree.SubElement(etree.SubElement(paragraph._p, W + "r"), W + tag)
        if tag == "fldChar":
            node.set(W + "fldCharType", value)
        else:
            node.text = value

    first = document.add_paragraph("Điều 3. ")
    run_with(first, "fldChar", "begin")
    run_with(first, "instrText", " IF ")
    add_field_tree(first, [" MERGEFIELD customer.stage "])
    run_with(first, "instrText", ' = "VIP" "Giảm 5%')
    second = document.add_paragraph()  # Enter inside the IF's text
    run_with(second, "instrText", ' cho khách VIP" "" ')
    run_with(second, "fldChar", "separate")
    run_with(second, "t", "Giảm 5% cho khách VIP")
    run_with(second, "fldChar", "end")
    add_simple_field(document.add_paragraph("Bên mua: "), "customer.name")
    output = io.BytesIO()
    document.save(output)
    info = engine.fields_of(output.getvalue())
    assert info["spanning"] == ['IF customer.stage = "VIP" "Giảm 5%']
    assert info["fields"] == ["customer.name"]


def test_control_characters_and_nfd_in_values_give_a_valid_document():
    """A value holding control characters (a tab, Excel's line break \\x0b, a NUL) or
    Vietnamese in NFD still makes a document Word opens (USAGE.md, Bad input): the
    characters XML cannot hold are dropped, the rest is kept."""
    data = copy.deepcopy(CONTRACT_DATA)
    data["customer"]["name"] = "Công ty\x0bThép\x00 Việt\x01"
    data["note"] = unicodedata.normalize("NFD", "Ghi chú\tđã duyệt")
    merged = engine.render(make_contract_template(), data)
    text = opens_with_python_docx(merged)
    assert "Bên mua: CÔNG TYTHÉP VIỆT" in text
    back = engine.read_back(merged)
    assert unicodedata.normalize("NFC", back["note"]) == "Ghi chú\tđã duyệt"
