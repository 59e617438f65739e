"""Word (.docx) templates with mail-merge fields: plain data in, a .docx out.

A template is an ordinary Word document in which the author inserted Word's own merge
fields (Insert → Quick Parts → Field → MergeField, or Mailings → Insert Merge Field).
Nothing in a template is ever executed: a field is a *name* looked up in a dict.

Conventions a non-programmer can type in Word
---------------------------------------------

* ``customer.name`` – a dotted name is a path in the data: ``data["customer"]["name"]``.
* Repeating rows: a table row that holds a field of a list repeats once per item. A
  field ``lines.name`` in a row makes the row repeat over ``data["lines"]`` and reads
  ``name`` from each item; fields of the row that are not in the list (``contract.number``)
  are read from the whole data. The convention of docx-mailmerge templates (a row whose
  field ``class_code`` is a key of the items of a list) is also understood when the data
  holds such a list.
* ``\\* Upper``, ``\\* Lower``, ``\\* Caps`` and ``\\* FirstCap`` format switches apply.
* Not supported: fields nested inside other fields (``IF`` … ``MERGEFIELD``), the
  ``\\@`` date and ``\\#`` number pictures (the data holds formatted texts instead),
  ``NEXT``/``NEXTIF`` record switching (one document per data dict).

Every merged value is written inside a Word content control (``w:sdt``) whose tag is
the field name, so that :func:`read_back` finds the values in a document that came back
from Word, even after the user edited it.

Public API (plain Python, no Odoo):

* :func:`check_package` – refuses damaged, macro-enabled, oversized and zip-bomb files;
* :func:`fields_of` – the merge fields and the repeating rows a template uses;
* :func:`render` – the merged document;
* :func:`render_many` – one document of many letters, each on its own pages, the
  template parsed once (:class:`Template` also makes one file per letter from it);
* :func:`read_back` – ``{field: value}`` from the content controls of a document;
* :func:`extract_text` – the text of a document, for search and display.

Errors are :class:`DocxTemplateError` (a ``ValueError``) with a ``code`` the caller
translates into a message for the user.
"""

import copy
import io
import re
import zipfile
import zlib

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# error codes
EMPTY = "empty"
TOO_LARGE = "too_large"
DAMAGED = "damaged"
NOT_WORD = "not_word"
MACRO = "macro"
BOMB = "bomb"

DEFAULT_MAX_SIZE = 20 * 1024 * 1024  # bytes of the uploaded file
DEFAULT_MAX_INFLATED = 200 * 1024 * 1024  # bytes once decompressed, all parts together
MAX_PARTS = 2000
MAX_RATIO = 200  # one part may not inflate more than this (a zip bomb does 1000×+)

MACRO_CONTENT_TYPES = (
    "macroEnabled",
    "vbaProject",
    "vbaData",
    "activeX",
)
MACRO_PART_NAMES = re.compile(r"(vbaProject\.bin|vbaData\.xml|/activeX/|\.bin$)", re.I)
# the parts of a document that may hold text and fields
TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False
)


class DocxTemplateError(ValueError):
    """A file that cannot be used; ``code`` says why, ``params`` give details."""

    def __init__(self, code, message=None, **params):
        self.code = code
        self.params = params
        super().__init__(message or code)


# ----------------------------------------------------------------------
# Safety
# ----------------------------------------------------------------------


def check_package(data, max_size=DEFAULT_MAX_SIZE, max_inflated=DEFAULT_MAX_INFLATED):
    """Raise :class:`DocxTemplateError` unless ``data`` is a safe Word .docx package.

    Refused: no data (``EMPTY``), more than ``max_size`` bytes (``TOO_LARGE``), not a
    readable zip (``DAMAGED``), a zip that is no Word document (``NOT_WORD``), macros or
    ActiveX (``MACRO``: .docm, vbaProject.bin), a package that inflates beyond
    ``max_inflated`` bytes or with an abnormal compression ratio (``BOMB``).
    """
    if not data:
        raise DocxTemplateError(EMPTY, "The file is empty.")
    if max_size and len(data) > max_size:
        raise DocxTemplateError(TOO_LARGE, "The file is too large.", max_size=max_size)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise DocxTemplateError(DAMAGED, "The file is not a readable Word document.") from None
    with package:
        if len(infos) > MAX_PARTS:
            raise DocxTemplateError(BOMB, "The package holds too many parts.")
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise DocxTemplateError(NOT_WORD, "The file is not a Word document.")
        total = 0
        for info in infos:
            total += info.file_size
            if total > max_inflated:
                raise DocxTemplateError(BOMB, "The package inflates beyond the limit.")
            if (
                info.compress_size
                and info.file_size > 1024 * 1024
                and info.file_size / info.compress_size > MAX_RATIO
            ):
                raise DocxTemplateError(BOMB, "A part of the package inflates abnormally.")
            if MACRO_PART_NAMES.search(info.filename) and not info.filename.startswith(
                "word/embeddings/"
            ):
                raise DocxTemplateError(MACRO, "The document contains macros.")
        content_types = _read_part(package, "[Content_Types].xml", max_inflated).decode(
            "utf-8", "replace"
        )
        if any(marker.lower() in content_types.lower() for marker in MACRO_CONTENT_TYPES):
            raise DocxTemplateError(MACRO, "The document contains macros.")
        # every XML part must really inflate to what it declares and parse
        for name in names:
            if TEXT_PARTS.match(name):
                _parse(_read_part(package, name, max_inflated))
    return True


def _read_part(package, name, limit):
    """The bytes of a part, never more than ``limit`` whatever its header declares."""
    try:
        with package.open(name) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError):
        raise DocxTemplateError(DAMAGED, "The file is not a readable Word document.") from None
    if len(data) > limit:
        raise DocxTemplateError(BOMB, "The package inflates beyond the limit.")
    return data


def _parse(xml):
    try:
        return etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError:
        raise DocxTemplateError(DAMAGED, "The file is not a readable Word document.") from None


# ----------------------------------------------------------------------
# Fields
# ----------------------------------------------------------------------

# the name is quoted ("Hello world"), or runs up to the first switch (\* \b \f …):
# Word quotes names with spaces itself, a name typed by hand may not be quoted
_MERGEFIELD_RE = re.compile(r'^\s*MERGEFIELD\s+(?:"([^"]*)"|([^\\"]+))(.*)$', re.I | re.S)
_FORMAT_RE = re.compile(r'\\\*\s*"?(\w+)"?', re.I)


def parse_instruction(instr):
    """``(name, formats)`` of a MERGEFIELD instruction, or ``None`` for other fields.

    ``' MERGEFIELD "Hello world" \\* Upper '`` → ``("Hello world", ["upper"])``.
    """
    match = _MERGEFIELD_RE.match(instr or "")
    if not match:
        return None
    name = (match.group(1) if match.group(1) is not None else match.group(2)).strip()
    name = re.sub(r"\s+", " ", name)
    formats = [f.lower() for f in _FORMAT_RE.findall(match.group(3) or "")]
    return name, [f for f in formats if f != "mergeformat"]


class _Field:
    """A merge field found in a part: its name and the elements that make it."""

    __slots__ = ("elements", "formats", "name", "rpr", "simple")

    def __init__(self, name, formats, elements, rpr, simple):
        self.name = name
        self.formats = formats
        self.elements = elements  # siblings to replace, in order
        self.rpr = rpr
        self.simple = simple


def _first_rpr(elements):
    for element in elements:
        for rpr in element.iter(W + "rPr"):
            return rpr
    return None


def _find_fields(root):
    """The merge fields of a part, simple and complex, in document order.

    A complex field is ``w:fldChar begin`` … ``w:instrText`` pieces (the instruction
    may be split across many runs) … ``separate`` … result runs … ``end``. Only a field
    whose begin and end lie in the same paragraph (the case Word writes for
    MERGEFIELDs) is replaced; nested fields inside it are dropped with it.
    """
    found = []
    for simple in root.iter(W + "fldSimple"):
        parsed = parse_instruction(simple.get(W + "instr"))
        if parsed:
            found.append(_Field(*parsed, [simple], _first_rpr([simple]), True))
    for paragraph in root.iter(W + "p"):
        children = list(paragraph)
        depth = 0
        start = None
        instr = []
        in_instr = False
        result_rpr = None
        for index, child in enumerate(children):
            if child.tag != W + "r":
                continue
            for node in child:
                if node.tag == W + "fldChar":
                    kind = node.get(W + "fldCharType")
                    if kind == "begin":
                        depth += 1
                        if depth == 1:
                            start, instr, in_instr, result_rpr = index, [], True, None
                    elif kind == "separate" and depth == 1:
                        in_instr = False
                    elif kind == "end" and depth:
                        depth -= 1
                        if depth == 0 and start is not None:
                            parsed = parse_instruction("".join(instr))
                            if parsed:
                                elements = children[start : index + 1]
                                rpr = result_rpr if result_rpr is not None else None
                                if rpr is None:
                                    rpr = children[start].find(W + "rPr")
                                found.append(_Field(*parsed, elements, rpr, False))
                            start = None
                elif node.tag == W + "instrText" and depth == 1 and in_instr:
                    instr.append(node.text or "")
            if (
                depth == 1
                and start is not None
                and not in_instr
                and result_rpr is None
                and child.find(W + "t") is not None
            ):
                result_rpr = child.find(W + "rPr")
    # document order, so that repeated rows and read back follow the text
    order = {element: i for i, element in enumerate(root.iter())}
    found.sort(key=lambda field: order.get(field.elements[0], 0))
    return found


def _text_parts(package):
    return sorted(name for name in package.namelist() if TEXT_PARTS.match(name))


def _open(data):
    check_package(data)
    return zipfile.ZipFile(io.BytesIO(data))


def _ancestor(element, tag):
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def fields_of(data):
    """The merge fields a template uses.

    Returns ``{"fields": [names in order, each once], "rows": [[names], ...]}`` where
    ``rows`` lists, for each table row that holds fields, the fields of that row (a row
    repeats when one of them belongs to a list, see :func:`row_groups`).
    """
    names = []
    rows = []
    with _open(data) as package:
        for part in _text_parts(package):
            root = _parse(package.read(part))
            row_fields = {}
            for field in _find_fields(root):
                if field.name not in names:
                    names.append(field.name)
                row = _ancestor(field.elements[0], W + "tr")
                if row is not None:
                    row_fields.setdefault(row, [])
                    if field.name not in row_fields[row]:
                        row_fields[row].append(field.name)
            rows.extend(row_fields.values())
    return {"fields": names, "rows": rows}


def row_groups(fields):
    """The lists a row repeats over, by the dotted convention: ``lines.name`` → ``lines``.

    Used without data (a template check); with data, :func:`render` also resolves
    longer paths and the docx-mailmerge convention.
    """
    return sorted({name.split(".", 1)[0] for name in fields if "." in name})


# ----------------------------------------------------------------------
# Values
# ----------------------------------------------------------------------

_MISSING = object()


def resolve(data, name):
    """The value at a dotted ``name`` of ``data`` (dicts only), or ``_MISSING``.

    Only dict keys are followed: never attributes, never calls, so a template reaches
    nothing but the data it was given.
    """
    if isinstance(data, dict) and name in data:
        return data[name]
    value = data
    for part in name.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return _MISSING
    return value


def format_value(value, formats=()):
    """The text of a plain value: ``None``/``False`` → "", 1200.0 → "1200"."""
    if value is _MISSING or value is None or value is False:
        text = ""
    elif value is True:
        text = "✓"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, (str, int, float)):
        text = str(value)
    elif isinstance(value, (list, tuple)):
        text = ", ".join(format_value(item) for item in value)
    elif isinstance(value, dict):
        text = ""
    else:
        text = str(value)
    for fmt in formats:
        if fmt == "upper":
            text = text.upper()
        elif fmt == "lower":
            text = text.lower()
        elif fmt == "caps":
            text = " ".join(word[:1].upper() + word[1:] for word in text.split(" "))
        elif fmt == "firstcap":
            text = text[:1].upper() + text[1:]
    return text


def _list_of(data, name):
    """``(list_path, rest)`` when ``name`` reads from a list of ``data``, else ``None``."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        value = resolve(data, ".".join(parts[:cut]))
        if isinstance(value, (list, tuple)):
            return ".".join(parts[:cut]), ".".join(parts[cut:])
    if "." not in name and resolve(data, name) is _MISSING:
        # docx-mailmerge convention: the field is a key of the items of a top-level list
        for key, value in data.items():
            if (
                isinstance(value, (list, tuple))
                and value
                and isinstance(value[0], dict)
                and name in value[0]
            ):
                return key, name
    return None


# ----------------------------------------------------------------------
# Rendering
# ----------------------------------------------------------------------


def _content_control(name, text, rpr):
    """An inline content control tagged ``name`` holding ``text`` (lines kept)."""
    sdt = etree.Element(W + "sdt")
    sdt_pr = etree.SubElement(sdt, W + "sdtPr")
    if rpr is not None:
        sdt_pr.append(copy.deepcopy(rpr))
    etree.SubElement(sdt_pr, W + "alias").set(W + "val", name[:255])
    etree.SubElement(sdt_pr, W + "tag").set(W + "val", name[:255])
    etree.SubElement(sdt_pr, W + "text").set(W + "multiLine", "1")
    content = etree.SubElement(sdt, W + "sdtContent")
    run = etree.SubElement(content, W + "r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    for index, line in enumerate(text.split("\n")):
        if index:
            etree.SubElement(run, W + "br")
        t = etree.SubElement(run, W + "t")
        t.text = _xml_safe(line)
        t.set(XML_SPACE, "preserve")
    return sdt


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text):
    return _XML_INVALID.sub("", text)


def _replace(field, data):
    text = format_value(resolve(data, field.name), field.formats)
    first = field.elements[0]
    parent = first.getparent()
    if parent is None:
        return
    rpr = field.rpr
    if rpr is not None:
        rpr = copy.deepcopy(rpr)
        for proof in rpr.findall(W + "noProof"):
            rpr.remove(proof)
    parent.replace(first, _content_control(field.name, text, rpr))
    for element in field.elements[1:]:
        if element.getparent() is not None:
            element.getparent().remove(element)


def _render_part(root, data):
    fields = _find_fields(root)
    by_row = {}
    plain = []
    for field in fields:
        row = _ancestor(field.elements[0], W + "tr")
        if row is not None:
            by_row.setdefault(row, []).append(field)
        else:
            plain.append(field)
    for row, row_fields in by_row.items():
        group = None
        for field in row_fields:
            found = _list_of(data, field.name)
            if found:
                group = found[0]
                break
        if group is None:
            plain.extend(row_fields)
            continue
        items = resolve(data, group) or []
        prefix = group + "."
        row_names = [field.name for field in row_fields]
        parent = row.getparent()
        anchor = row
        for item in items:
            clone = copy.deepcopy(row)
            item_data = item if isinstance(item, dict) else {"value": item}
            for field in _find_fields(clone):
                if field.name.startswith(prefix):
                    value_data = {field.name: resolve(item_data, field.name[len(prefix) :])}
                elif field.name in item_data and field.name in row_names:
                    value_data = {field.name: item_data[field.name]}
                else:
                    value_data = data
                _replace(field, value_data)
            anchor.addnext(clone)
            anchor = clone
        parent.remove(row)
    for field in plain:
        _replace(field, data)


def render(data, values):
    """The merged document: ``data`` (template bytes) with ``values`` (plain dict).

    ``values`` holds only dicts, lists, strings, numbers, booleans and ``None``; a
    field without a value is left empty. Each merged value sits in a content control
    tagged with the field name.
    """
    return Template(data).render(values)


# ----------------------------------------------------------------------
# Many documents from one template
# ----------------------------------------------------------------------

DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
WP_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
# the children of w:sectPr that come after w:pgNumType (the schema's order)
_AFTER_PG_NUM_TYPE = {
    W + name
    for name in (
        "cols",
        "formProt",
        "vAlign",
        "noEndnote",
        "titlePg",
        "textDirection",
        "bidi",
        "rtlGutter",
        "docGrid",
        "printerSettings",
        "sectPrChange",
    )
}


def _serialize(root):
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class Package:
    """The parts of the document being written: what a letter's ``on_letter`` may add to.

    :meth:`add_image` adds a picture part and its relationship from the main
    document; the relationships and content types are written once, at the end.
    """

    def __init__(self, parts):
        self.parts = dict(parts)
        self._rels = None
        self._types = None
        self._images = 0

    def add_image(self, content, extension="png", content_type="image/png"):
        """Add a picture; its relationship id, for ``a:blip r:embed``."""
        if self._rels is None:
            self._rels = _parse(self.parts[DOCUMENT_RELS])
            self._types = _parse(self.parts[CONTENT_TYPES])
        self._images += 1
        rid = f"rIdEffectImage{self._images}"
        target = f"media/effect_image_{self._images}.{extension}"
        self.parts[f"word/{target}"] = content
        rel = etree.SubElement(self._rels, f"{{{PKG_RELS_NS}}}Relationship")
        rel.set("Id", rid)
        rel.set("Type", IMAGE_REL)
        rel.set("Target", target)
        if not any(
            (node.get("Extension") or "").lower() == extension
            for node in self._types.iter(f"{{{TYPES_NS}}}Default")
        ):
            default = etree.SubElement(self._types, f"{{{TYPES_NS}}}Default")
            default.set("Extension", extension)
            default.set("ContentType", content_type)
        return rid

    def to_docx(self, infos, trees, base=None):
        """The .docx: the template's parts in their order, ``trees`` merged, added parts.

        ``base``: a .docx holding some of the parts already (compressed once for many
        documents); the other parts are added to a copy of it.
        """
        if self._rels is not None:
            self.parts[DOCUMENT_RELS] = _serialize(self._rels)
            self.parts[CONTENT_TYPES] = _serialize(self._types)
        output = io.BytesIO(base or b"")
        with zipfile.ZipFile(output, "a" if base else "w", zipfile.ZIP_DEFLATED) as out:
            names = set(out.namelist())
            for info in infos:
                if info.filename in names:
                    continue
                names.add(info.filename)
                tree = trees.get(info.filename)
                content = _serialize(tree) if tree is not None else self.parts[info.filename]
                out.writestr(copy.copy(info), content, compress_type=zipfile.ZIP_DEFLATED)
            for name, content in self.parts.items():
                if name not in names:
                    out.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
        return output.getvalue()


class Template:
    """A template checked, read and parsed once, to merge many documents from it.

    :meth:`render` makes one document (what :func:`render` does), :meth:`render_many`
    one document holding them all (:func:`render_many`). The merging is the same:
    each document's parts are copies of the parsed parts, merged by the same code.

    ``on_letter(root, package)``, when given, is called with the merged tree of each
    document's ``word/document.xml`` and the :class:`Package` being written, to change
    the letter before it is written (e.g. print a value as a QR code picture).
    """

    def __init__(self, data):
        with _open(data) as package:
            self.infos = package.infolist()
            self.parts = {info.filename: package.read(info.filename) for info in self.infos}
        # the parts that hold fields, parsed once; the others are copied as they are
        self.trees = {}
        for name, content in self.parts.items():
            if TEXT_PARTS.match(name):
                root = _parse(content)
                if name == DOCUMENT or _has_fields(root):
                    self.trees[name] = root
        if "word/settings.xml" in self.parts:
            self.parts["word/settings.xml"] = _without_mail_merge(self.parts["word/settings.xml"])
        self._base = None

    def _fixed_parts(self):
        """The parts every document of the template shares, compressed once (a .docx
        without its merged parts and those a letter may change: relationships and types
        get a picture's entries)."""
        if self._base is None:
            variable = {DOCUMENT_RELS, CONTENT_TYPES, *self.trees}
            fixed = [info for info in self.infos if info.filename not in variable]
            parts = {info.filename: self.parts[info.filename] for info in fixed}
            self._base = Package(parts).to_docx(fixed, {})
        return self._base

    def _merged(self, values, names):
        if not isinstance(values, dict):
            raise TypeError("values must be a dict of plain data")
        _check_plain(values)
        trees = {}
        for name in names:
            root = copy.deepcopy(self.trees[name])
            _render_part(root, values)
            trees[name] = root
        return trees

    def render(self, values, on_letter=None):
        """One merged document (bytes) of ``values``."""
        trees = self._merged(values, self.trees)
        package = Package(self.parts)
        if on_letter is not None and DOCUMENT in trees:
            on_letter(trees[DOCUMENT], package)
        return package.to_docx(self.infos, trees, self._fixed_parts())

    def render_many(self, values_list, on_letter=None):
        """One document: a letter per item of ``values_list``, each in its own section.

        Each letter starts on a new page and numbers its pages from 1. The body of
        each letter is merged from the parsed template; headers and footers are
        merged once, with the first letter's values (put what differs per letter in
        the body). Drawing ids are renumbered so that each picture is unique.
        """
        package = Package(self.parts)
        trees = None
        body = section = None
        for values in values_list:
            if trees is None:
                trees = self._merged(values, self.trees)
                root = trees[DOCUMENT]
                if on_letter is not None:
                    on_letter(root, package)
                body = root.find(W + "body")
                if body is None:
                    raise DocxTemplateError(NOT_WORD, "The file is not a Word document.")
                section = body.find(W + "sectPr")
                if section is None:
                    section = etree.SubElement(body, W + "sectPr")
                _restart_numbering(section)
                continue
            root = self._merged(values, [DOCUMENT])[DOCUMENT]
            if on_letter is not None:
                on_letter(root, package)
            _end_section(section)
            for child in root.find(W + "body"):
                if child.tag != W + "sectPr":
                    section.addprevious(child)
        if trees is None:
            raise ValueError("no values to merge")
        for number, doc_pr in enumerate(trees[DOCUMENT].iter(WP_DOC_PR), start=1):
            doc_pr.set("id", str(number))
        return package.to_docx(self.infos, trees)


def _has_fields(root):
    return root.find(f".//{W}fldSimple") is not None or root.find(f".//{W}fldChar") is not None


def render_many(data, values_list, on_letter=None):
    """One document of a letter per item of ``values_list`` (see :meth:`Template.render_many`).

    The template is parsed once: merging 5,000 one-page letters into one document takes
    seconds, not the minutes of composing 5,000 merged documents.
    """
    return Template(data).render_many(values_list, on_letter)


def _restart_numbering(section):
    """Page numbers of the section start at 1 (each letter's pages are its own)."""
    numbering = section.find(W + "pgNumType")
    if numbering is None:
        numbering = etree.Element(W + "pgNumType")
        after = next((child for child in section if child.tag in _AFTER_PG_NUM_TYPE), None)
        if after is not None:
            after.addprevious(numbering)
        else:
            section.append(numbering)
    numbering.set(W + "start", "1")


def _end_section(section):
    """End the letter before ``section`` (the body's last) with a copy of it.

    The copy goes into the properties of the letter's last paragraph (a section break
    where the letter ends, no empty line added); after a table, into a new paragraph.
    """
    last = section.getprevious()
    if last is None or last.tag != W + "p" or last.find(f"{W}pPr/{W}sectPr") is not None:
        last = etree.Element(W + "p")
        section.addprevious(last)
    properties = last.find(W + "pPr")
    if properties is None:
        properties = etree.Element(W + "pPr")
        last.insert(0, properties)
    change = properties.find(W + "pPrChange")
    if change is not None:
        change.addprevious(copy.deepcopy(section))
    else:
        properties.append(copy.deepcopy(section))


PLAIN_TYPES = (str, int, float, bool, type(None))


def _check_plain(value, depth=0):
    """Refuse anything but plain data: a template must never reach a live object."""
    if depth > 20:
        raise TypeError("values are nested too deeply")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("keys of the values must be strings")
            _check_plain(item, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_plain(item, depth + 1)
    elif not isinstance(value, PLAIN_TYPES):
        raise TypeError(f"values must be plain data, not {type(value).__name__}")


def _without_mail_merge(content):
    """Settings without the data source of a Word mail-merge main document.

    Word asks to run an SQL query against that source when such a document opens; the
    merged document has its values already.
    """
    root = _parse(content)
    for element in root.findall(W + "mailMerge"):
        root.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ----------------------------------------------------------------------
# Reading back
# ----------------------------------------------------------------------


def _text_of(element):
    parts = []
    for node in element.iter(W + "t", W + "tab", W + "br", W + "cr", W + "p"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "tab":
            parts.append("\t")
        elif node.tag != W + "p" or parts:
            parts.append("\n")
    return "".join(parts)


def read_back(data):
    """``{tag: text}`` of the content controls of a document.

    A tag met several times (a repeated row) gives the list of its texts in document
    order; a tag met once gives its text.
    """
    values = {}
    with _open(data) as package:
        for part in _text_parts(package):
            root = _parse(package.read(part))
            for sdt in root.iter(W + "sdt"):
                tag = sdt.find(f"{W}sdtPr/{W}tag")
                content = sdt.find(W + "sdtContent")
                if tag is None or content is None or not tag.get(W + "val"):
                    continue
                values.setdefault(tag.get(W + "val"), []).append(_text_of(content))
    return {tag: texts[0] if len(texts) == 1 else texts for tag, texts in values.items()}


def extract_text(data):
    """The text of a document: paragraphs on lines, table cells separated by tabs.

    Headers and footers follow the body. Deleted revisions and field instructions are
    not text.
    """
    lines = []
    with _open(data) as package:
        parts = _text_parts(package)
        parts.sort(key=lambda name: (name != "word/document.xml", name))
        for part in parts:
            root = _parse(package.read(part))
            for paragraph in root.iter(W + "p"):
                if _ancestor(paragraph, W + "p") is not None:
                    continue  # a text box inside a paragraph: read with it
                text = "".join(
                    (node.text or "")
                    if node.tag == W + "t"
                    else ("\t" if node.tag == W + "tab" else "\n")
                    for node in paragraph.iter(W + "t", W + "tab", W + "br", W + "cr")
                )
                cell = _ancestor(paragraph, W + "tc")
                if cell is not None and paragraph is not cell.findall(W + "p")[0]:
                    lines.append(text)
                elif (
                    cell is not None
                    and lines
                    and cell.getprevious() is not None
                    and cell.getprevious().tag == W + "tc"
                ):
                    lines[-1] += "\t" + text
                else:
                    lines.append(text)
    return "\n".join(lines).strip()
