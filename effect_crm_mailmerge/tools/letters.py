"""Letters of a campaign: plain Python, no ORM.

The Word engine is effect_crm's :mod:`odoo.addons.effect_crm.tools.docx_template`
(``render`` makes one letter). This module only puts rendered letters together:

* :func:`combine` – one printable document, every letter on its own page, built by
  appending the body of each letter to the first one (one XML tree, one zip written
  once: no per-letter document composition, which slows down as the document grows);
* :func:`zip_letters` – one file per letter in a ZIP;
* :func:`qr_codes` – the value of a merge field printed as a QR code (the questionnaire
  link), once the engine merged the letter;
* :func:`period_bounds` – the dates of a period ("this month") around the user's today.
"""

import calendar
import datetime
import io
import re
import zipfile

from lxml import etree

from odoo.addons.effect_crm.tools import docx_template

W = docx_template.W
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
WP_DOC_PR = f"{{{WP}}}docPr"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
TYPES = "[Content_Types].xml"
# relationship ids of the images this module adds (a QR code per letter)
OWN_RID = "rIdEffect"
QR_SIZE = 1080000  # EMU: 3 cm

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _body(document_xml):
    root = etree.fromstring(document_xml, _PARSER)
    body = root.find(W + "body")
    if body is None:
        raise docx_template.DocxTemplateError(
            docx_template.NOT_WORD, "The file is not a Word document."
        )
    return root, body


def _page_break():
    paragraph = etree.Element(W + "p")
    run = etree.SubElement(paragraph, W + "r")
    etree.SubElement(run, W + "br").set(W + "type", "page")
    return paragraph


def _serialize(root):
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _qr_png(text):
    import qrcode  # noqa: PLC0415 - an Odoo requirement, only needed for letters with a QR code

    image = qrcode.make(text, box_size=6, border=2)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def _inline_picture(rid, number, size=QR_SIZE):
    run = etree.Element(W + "r", nsmap={"wp": WP, "a": A, "pic": PIC, "r": R})
    inline = etree.SubElement(etree.SubElement(run, W + "drawing"), f"{{{WP}}}inline")
    extent = etree.SubElement(inline, f"{{{WP}}}extent")
    extent.set("cx", str(size))
    extent.set("cy", str(size))
    doc_pr = etree.SubElement(inline, WP_DOC_PR)
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


def _add_png_type(parts):
    types = etree.fromstring(parts[TYPES], _PARSER)
    if not any(
        (node.get("Extension") or "").lower() == "png"
        for node in types.iter(f"{{{CONTENT_TYPES}}}Default")
    ):
        default = etree.SubElement(types, f"{{{CONTENT_TYPES}}}Default")
        default.set("Extension", "png")
        default.set("ContentType", "image/png")
        parts[TYPES] = _serialize(types)


def _add_image_rel(rels_root, rid, target):
    rel = etree.SubElement(rels_root, f"{{{PKG_RELS}}}Relationship")
    rel.set("Id", rid)
    rel.set("Type", IMAGE_REL)
    rel.set("Target", target)


def _read_package(content):
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        infos = package.infolist()
        return infos, {info.filename: package.read(info.filename) for info in infos}


def _write_package(infos, parts):
    output = io.BytesIO()
    names = set()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            names.add(info.filename)
            out.writestr(info, parts[info.filename], compress_type=zipfile.ZIP_DEFLATED)
        for name, content in parts.items():
            if name not in names:
                out.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return output.getvalue()


def qr_codes(content, tags):
    """The merged letter ``content`` where the values of the fields ``tags`` are QR codes.

    The engine wrote each merged value in a content control tagged with its field name;
    the control of a field of ``tags`` gets a QR code of its text instead of the text.
    """
    infos, parts = _read_package(content)
    root, _body_element = _body(parts[DOCUMENT])
    controls = [
        sdt
        for sdt in root.iter(W + "sdt")
        if (tag := sdt.find(f"{W}sdtPr/{W}tag")) is not None and tag.get(W + "val") in tags
    ]
    if not controls:
        return content
    rels = etree.fromstring(parts[DOCUMENT_RELS], _PARSER)
    for number, sdt in enumerate(controls, start=1):
        body = sdt.find(W + "sdtContent")
        text = "".join(node.text or "" for node in body.iter(W + "t")).strip()
        if not text:
            continue
        rid = f"{OWN_RID}{number}"
        target = f"media/effect_qr_{number}.png"
        parts[f"word/{target}"] = _qr_png(text)
        _add_image_rel(rels, rid, target)
        for child in list(body):
            body.remove(child)
        body.append(_inline_picture(rid, 900000 + number))
    parts[DOCUMENT_RELS] = _serialize(rels)
    parts[DOCUMENT] = _serialize(root)
    _add_png_type(parts)
    return _write_package(infos, parts)


def combine(letters):
    """One .docx holding every letter of ``letters`` (rendered .docx bytes), each on its own page.

    The first letter gives the package (styles, headers, images, page setup); the
    following letters come from the same template, so their relationships are the same.
    Drawing ids are renumbered so that Word sees each picture once.
    """
    letters = iter(letters)
    first = next(letters, None)
    if first is None:
        raise ValueError("no letter to combine")
    infos, parts = _read_package(first)
    root, body = _body(parts[DOCUMENT])
    rels = etree.fromstring(parts[DOCUMENT_RELS], _PARSER)
    own_images = False
    section = body.find(W + "sectPr")
    for index, letter in enumerate(letters, start=2):
        with zipfile.ZipFile(io.BytesIO(letter)) as package:
            _root, letter_body = _body(package.read(DOCUMENT))
            # the images this module added to a letter (its QR code) are its own: they
            # travel with its body, under new names
            blips = [
                blip
                for blip in letter_body.iter(f"{{{A}}}blip")
                if (blip.get(f"{{{R}}}embed") or "").startswith(OWN_RID)
            ]
            if blips:
                letter_rels = etree.fromstring(package.read(DOCUMENT_RELS), _PARSER)
                targets = {rel.get("Id"): rel.get("Target") for rel in letter_rels}
                for blip in blips:
                    old = blip.get(f"{{{R}}}embed")
                    rid = f"{old}_{index}"
                    target = f"media/effect_{index}_{targets[old].rsplit('/', 1)[-1]}"
                    parts[f"word/{target}"] = package.read(f"word/{targets[old]}")
                    _add_image_rel(rels, rid, target)
                    blip.set(f"{{{R}}}embed", rid)
                own_images = True
        children = [child for child in letter_body if child.tag != W + "sectPr"]
        if section is not None:
            section.addprevious(_page_break())
            for child in children:
                section.addprevious(child)
        else:
            body.append(_page_break())
            body.extend(children)
    for number, doc_pr in enumerate(root.iter(WP_DOC_PR), start=1):
        doc_pr.set("id", str(number))
    parts[DOCUMENT] = _serialize(root)
    if own_images:
        parts[DOCUMENT_RELS] = _serialize(rels)
        _add_png_type(parts)
    return _write_package(infos, parts)


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
