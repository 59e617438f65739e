"""Letters of a campaign: plain Python, no ORM.

The Word engine is effect_crm's :mod:`odoo.addons.effect_crm.tools.docx_template`
(``render`` makes one letter). This module only puts rendered letters together:

* :func:`combine` – one printable document, every letter on its own page, built by
  appending the body of each letter to the first one (one XML tree, one zip written
  once: no per-letter document composition, which slows down as the document grows);
* :func:`zip_letters` – one file per letter in a ZIP;
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
WP_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
DOCUMENT = "word/document.xml"

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
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        infos = package.infolist()
        parts = {info.filename: package.read(info.filename) for info in infos}
    root, body = _body(parts[DOCUMENT])
    section = body.find(W + "sectPr")
    for letter in letters:
        with zipfile.ZipFile(io.BytesIO(letter)) as package:
            _root, letter_body = _body(package.read(DOCUMENT))
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
    parts[DOCUMENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info, parts[info.filename], compress_type=zipfile.ZIP_DEFLATED)
    return output.getvalue()


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
