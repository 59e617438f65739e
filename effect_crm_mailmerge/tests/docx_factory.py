"""Word templates for the tests and the demo, written with python-docx."""

import io

import docx
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement


def add_field(paragraph, name):
    """A Word MERGEFIELD ``name`` (a simple field, as Word writes it)."""
    field = OxmlElement("w:fldSimple")
    quoted = f'"{name}"' if " " in name else name
    field.set(qn("w:instr"), f" MERGEFIELD {quoted} \\* MERGEFORMAT ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = f"«{name}»"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def letter_template(lines=None):
    """A one-page letter: each line is a list of text and ``{field}`` parts."""
    lines = lines or [
        ["Kính gửi: ", "{contact.name}", " – ", "{customer.name}"],
        ["Địa chỉ: ", "{customer.address}"],
        [
            "Loại hình: ",
            "{customer.business_type}",
            "; nguồn: ",
            "{customer.attr.Lead Source}",
        ],
        ["Doanh số: ", "{figures.sales}"],
        [
            "Ưu đãi: ",
            "{promotion.name}",
            " giảm ",
            "{promotion.discount}",
            " đến ",
            "{promotion.date_end}",
        ],
        ["Khảo sát: ", "{survey.url}"],
        ["Quét mã: ", "{survey.qr}"],
        ["Trân trọng, ", "{salesperson.name}"],
    ]
    document = docx.Document()
    for parts in lines:
        paragraph = document.add_paragraph()
        for part in parts:
            if part.startswith("{") and part.endswith("}"):
                add_field(paragraph, part[1:-1])
            else:
                paragraph.add_run(part)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
