"""Letters of a campaign: plain Python, no ORM.

The Word engine is effect_crm's :mod:`odoo.addons.effect_crm.tools.docx_template`:
``Template(template).render(values)`` makes one letter, ``render_many`` the printable
document of every letter, each on its own pages, from the template parsed once. This
module adds what is particular to letters:

* :func:`qr_codes` – print the value of a merge field as a QR code (the questionnaire
  link), as the engine merges each letter;
* :func:`zip_letters` – one file per letter in a ZIP;
* :func:`period_bounds` – the dates of a period ("this month") around the user's today.
"""

import calendar
import datetime
import functools
import io
import itertools
import re
import zipfile

from lxml import etree

from odoo.addons.effect_crm.tools import docx_template

W = docx_template.W
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
QR_SIZE = 1080000  # EMU: 3 cm


@functools.lru_cache(maxsize=8192)
def _qr_png(text):
    """A QR code of ``text`` (PNG bytes).

    One mask pattern instead of the best of eight (any mask scans; choosing costs 3/4 of
    the time), and the last codes kept: the printable document of a campaign prints again
    the codes its batches just made.
    """
    import qrcode  # noqa: PLC0415 - an Odoo requirement, only needed for letters with a QR code

    code = qrcode.QRCode(box_size=6, border=2, mask_pattern=0)
    code.add_data(text)
    code.make(fit=True)
    output = io.BytesIO()
    code.make_image().save(output, format="PNG")
    return output.getvalue()


def _inline_picture(rid, number, size=QR_SIZE):
    run = etree.Element(W + "r", nsmap={"wp": WP, "a": A, "pic": PIC, "r": R})
    inline = etree.SubElement(etree.SubElement(run, W + "drawing"), f"{{{WP}}}inline")
    extent = etree.SubElement(inline, f"{{{WP}}}extent")
    extent.set("cx", str(size))
    extent.set("cy", str(size))
    doc_pr = etree.SubElement(inline, docx_template.WP_DOC_PR)
    doc_pr.set("id", str(number))
    doc_pr.set("name", f"QR {number}")
    graphic = etree.SubElement(inline, f"{{{A}}}graphic")
    data = etree.SubElement(graphic, f"{{{A}}}graphicData")
    data.set("uri", PIC)
    pic = etree.SubElement(data, f"{{{PIC}}}pic")
    nv = etree.SubElement(pic, f"{{{PIC}}}nvPicPr")
    c_nv = etree.SubElement(nv, f"{{{PIC}}}cNvPr")
    c_nv.set("id", "0")
    c_nv.set("name", f"qr{number}.png")
    etree.SubElement(nv, f"{{{PIC}}}cNvPicPr")
    fill = etree.SubElement(pic, f"{{{PIC}}}blipFill")
    etree.SubElement(fill, f"{{{A}}}blip").set(f"{{{R}}}embed", rid)
    etree.SubElement(etree.SubElement(fill, f"{{{A}}}stretch"), f"{{{A}}}fillRect")
    sp_pr = etree.SubElement(pic, f"{{{PIC}}}spPr")
    xfrm = etree.SubElement(sp_pr, f"{{{A}}}xfrm")
    off = etree.SubElement(xfrm, f"{{{A}}}off")
    off.set("x", "0")
    off.set("y", "0")
    ext = etree.SubElement(xfrm, f"{{{A}}}ext")
    ext.set("cx", str(size))
    ext.set("cy", str(size))
    geometry = etree.SubElement(sp_pr, f"{{{A}}}prstGeom")
    geometry.set("prst", "rect")
    etree.SubElement(geometry, f"{{{A}}}avLst")
    return run


def qr_codes(tags):
    """An ``on_letter`` for the engine: the values of the fields ``tags`` as QR codes.

    The engine wrote each merged value in a content control tagged with its field
    name; the control of a field of ``tags`` gets a QR code of its text instead of
    the text (the picture is added to the document being written).
    """

    numbers = itertools.count(900001)  # drawing ids apart from the template's

    def on_letter(root, package):
        for sdt in root.iter(W + "sdt"):
            tag = sdt.find(f"{W}sdtPr/{W}tag")
            if tag is None or tag.get(W + "val") not in tags:
                continue
            body = sdt.find(W + "sdtContent")
            text = "".join(node.text or "" for node in body.iter(W + "t")).strip()
            if not text:
                continue
            rid = package.add_image(_qr_png(text))
            for child in list(body):
                body.remove(child)
            body.append(_inline_picture(rid, next(numbers)))

    return on_letter


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_name(number, name, extension="docx"):
    """A file name safe on every system: ``0007 - Công ty ABC.docx``."""
    clean = _UNSAFE.sub(" ", name or "").strip()[:80] or "letter"
    return f"{number:04d} - {clean}.{extension}"


def zip_letters(named_letters):
    """A ZIP of ``(file name, bytes)`` pairs; repeated names get a suffix."""
    output = io.BytesIO()
    seen = set()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in named_letters:
            stem, dot, extension = name.rpartition(".")
            candidate, suffix = name, 1
            while candidate in seen:
                suffix += 1
                candidate = f"{stem} ({suffix}){dot}{extension}"
            seen.add(candidate)
            out.writestr(candidate, content)
    return output.getvalue()


PERIODS = ("this_month", "last_month", "this_quarter", "this_year", "last_year", "custom")


def period_bounds(kind, today, date_from=None, date_to=None):
    """``(first day, day after the last)`` of a period around ``today`` (the user's date).

    ``custom`` uses ``date_from`` / ``date_to`` (both included; either may be open: None).
    """
    if kind == "this_month":
        start = today.replace(day=1)
        return start, start + datetime.timedelta(
            days=calendar.monthrange(today.year, today.month)[1]
        )
    if kind == "last_month":
        end = today.replace(day=1)
        start = (end - datetime.timedelta(days=1)).replace(day=1)
        return start, end
    if kind == "this_quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        start = today.replace(month=first_month, day=1)
        end_year, end_month = (
            (start.year + 1, 1) if first_month == 10 else (start.year, first_month + 3)
        )
        return start, datetime.date(end_year, end_month, 1)
    if kind == "this_year":
        return datetime.date(today.year, 1, 1), datetime.date(today.year + 1, 1, 1)
    if kind == "last_year":
        return datetime.date(today.year - 1, 1, 1), datetime.date(today.year, 1, 1)
    if kind == "custom":
        return date_from, (date_to + datetime.timedelta(days=1)) if date_to else None
    raise ValueError(f"unknown period {kind!r}")


def unknown_fields(names, known, open_prefixes=()):
    """The merge fields of a template that no letter data provides."""
    return [
        name
        for name in names
        if name not in known and not any(name.startswith(prefix) for prefix in open_prefixes)
    ]


def flatten(data, prefix=""):
    """The dotted names of the leaves of a nested dict: ``{"a": {"b": 1}}`` → ``["a.b"]``."""
    names = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            names.extend(flatten(value, name + "."))
        else:
            names.append(name)
    return names
