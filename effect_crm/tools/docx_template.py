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
* Switches of a field: ``\\* Upper``, ``\\* Lower``, ``\\* Caps``, ``\\* FirstCap``
  (``\\* MERGEFORMAT`` is ignored), date pictures ``\\@ "dd/MM/yyyy"``, number pictures
  ``\\# "#,##0.00"``, and ``\\b``/``\\f`` (text before/after a value that is not empty);
  see :func:`format_value`.
* ``IF`` fields, nested too: ``{ IF { MERGEFIELD x } = "y" "then" "else" }`` with ``=``,
  ``<>``, ``<``, ``>``, ``<=``, ``>=``, on numbers when both sides are numbers, else on
  texts (case-sensitive; ``*`` and ``?`` wildcards with ``=``/``<>``, as in Word). The
  result is written as plain text (it is no database value to read back).
* Not supported: ``NEXT``/``NEXTIF`` record switching (one document per data dict),
  MERGEFIELD and IF fields that span paragraphs (listed by :func:`fields_of`, refused
  by the template check).

Every merged value is written inside a Word content control (``w:sdt``) whose tag is
the field name, so that :func:`read_back` finds the values in a document that came back
from Word, even after the user edited it.

Public API (plain Python, no Odoo):

* :func:`check_package` – refuses damaged, macro-enabled, oversized and zip-bomb files;
  returns the parsed text parts, which :func:`document_text` and
  :func:`content_controls` read without opening the package again;
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
import datetime
import io
import re
import zipfile
import zlib
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lxml import etree

from .amounts import parse_number
from .vietnamese import parse_date

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

    Returns ``{part name: parsed root}`` of the text parts (body, headers, footers,
    notes): they were parsed to be checked, and are what :func:`document_text` and
    :func:`content_controls` read (one parse for the check and the reading).
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
        return {
            name: _parse(_read_part(package, name, max_inflated))
            for name in sorted(names)
            if TEXT_PARTS.match(name)
        }


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
# a switch and its argument, quoted (quotes inside escaped as \") or one word
_SWITCH_RE = re.compile(r'\\([*@#bfmv])\s*(?:"((?:[^"\\]|\\.)*)"?|([^\s\\"]+))?', re.I | re.S)
_SWITCH_KINDS = {"@": "date", "#": "number", "b": "before", "f": "after"}
_IF_RE = re.compile(r"^\s*IF\s", re.I)


def _switches(text):
    """The formats of the switches in ``text``: text formats by their lower-case name
    (``"upper"``), pictures and texts as ``(kind, argument)``: ``("date", "dd/MM/yyyy")``."""
    formats = []
    for match in _SWITCH_RE.finditer(text or ""):
        switch = match.group(1).lower()
        argument = match.group(2) if match.group(2) is not None else match.group(3)
        argument = re.sub(r'\\(["\\])', r"\1", argument or "")
        if switch == "*":
            if argument and argument.lower() not in ("mergeformat", "charformat"):
                formats.append(argument.lower())
        elif switch in _SWITCH_KINDS:
            formats.append((_SWITCH_KINDS[switch], argument))
    return formats


def parse_instruction(instr):
    """``(name, formats)`` of a MERGEFIELD instruction, or ``None`` for other fields.

    ``' MERGEFIELD "Hello world" \\* Upper '`` → ``("Hello world", ["upper"])``;
    ``' MERGEFIELD d \\@ "dd/MM/yyyy" '`` → ``("d", [("date", "dd/MM/yyyy")])``.
    """
    match = _MERGEFIELD_RE.match(instr or "")
    if not match:
        return None
    name = (match.group(1) if match.group(1) is not None else match.group(2)).strip()
    name = re.sub(r"\s+", " ", name)
    return name, _switches(match.group(3))


class _Field:
    """A field found in a part: a merge field's name (or an IF) and the elements that make it."""

    __slots__ = ("elements", "formats", "name", "node", "rpr", "simple")

    def __init__(self, name, formats, elements, rpr, simple, node=None):
        self.name = name
        self.formats = formats
        self.elements = elements  # siblings to replace, in order
        self.rpr = rpr
        self.simple = simple
        self.node = node  # an _If for an IF field, None for a merge field

    @property
    def names(self):
        """The merge fields it reads: its own name, or those inside an IF."""
        return self.node.names() if self.node is not None else [self.name]


class _Merge:
    """A MERGEFIELD nested in an IF."""

    __slots__ = ("formats", "name")

    def __init__(self, name, formats):
        self.name = name
        self.formats = formats

    def names(self):
        return [self.name]

    def text(self, lookup, lang):
        return format_value(lookup(self.name), self.formats, lang)


class _Other:
    """Another field nested in an IF (PAGE, DATE…): its last result, as Word shows it."""

    __slots__ = ("result",)

    def __init__(self, result):
        self.result = result

    def names(self):
        return []

    def text(self, lookup, lang):
        return self.result


class _If:
    """``IF left op right "then" "else"``; its pieces are texts and nested fields."""

    __slots__ = ("pieces",)

    def __init__(self, pieces):
        self.pieces = pieces

    def names(self):
        names = []
        for piece in self.pieces:
            if not isinstance(piece, str):
                names.extend(name for name in piece.names() if name not in names)
        return names

    def text(self, lookup, lang):
        return _evaluate_if(self.pieces, lambda node: node.text(lookup, lang), lang)


def _node(pieces, result):
    """The nested field made of ``pieces`` (texts and nested fields)."""
    instr = "".join(piece for piece in pieces if isinstance(piece, str))
    if _IF_RE.match(instr):
        return _If(pieces)
    parsed = parse_instruction(instr)
    if parsed and len(pieces) == 1:
        return _Merge(*parsed)
    return _Other(result)


# ----------------------------------------------------------------------
# IF fields
# ----------------------------------------------------------------------

# a nested field stands in the instruction as one character of a private plane
_PLACEHOLDER = 0xF0000
_IF_TOKEN_RE = re.compile(
    r'"((?:[^"\\]|\\.)*)"?|(<=|>=|<>|=|<|>)|(\\[*@#bfmv])|([^\s"<>=]+)', re.S | re.I
)
_OPERATORS = {
    "=": lambda a, b: a == b,
    "<>": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


def _evaluate_if(pieces, text_of, lang=None):
    """The result of an IF field whose instruction is ``pieces``: texts and nested fields.

    ``text_of(field)`` gives the text of a nested field. Word's rules: both sides are
    compared as numbers when both are numbers, else as texts, case-sensitively; with
    ``=`` and ``<>`` a quoted right side may hold the wildcards ``*`` and ``?``.
    Switches after the results (``\\* Upper``…) format the result.
    """
    fields = [piece for piece in pieces if not isinstance(piece, str)]
    instr = "".join(
        piece if isinstance(piece, str) else chr(_PLACEHOLDER + fields.index(piece))
        for piece in pieces
    )
    instr = _IF_RE.sub("", instr, count=1)
    cache = {}

    def expand(text):
        def field_text(match):
            index = ord(match.group(0)) - _PLACEHOLDER
            if index not in cache:
                cache[index] = text_of(fields[index])
            return cache[index]

        return re.sub("[\U000f0000-\U000ffffd]", field_text, text)

    tokens = []  # (kind, text): "value" (quoted or not) / "op" / "switch"
    for match in _IF_TOKEN_RE.finditer(instr):
        quoted, operator, switch, word = match.groups()
        if operator:
            tokens.append(("op", operator))
        elif switch:
            tokens.append(("switch", match.group(0)))
        else:
            tokens.append(("quoted" if word is None else "value", quoted if word is None else word))
    switch_at = next((i for i, (kind, _text) in enumerate(tokens) if kind == "switch"), len(tokens))
    formats = _switches(
        " ".join(f'"{text}"' if kind == "quoted" else text for kind, text in tokens[switch_at:])
    )
    args = tokens[:switch_at]
    if len(args) >= 2 and args[1][0] == "op":
        left, (_kind, operator), right, results = args[0], args[1], args[2:3], args[3:]
        right = right[0] if right else ("value", "")
        condition = _compare(expand(left[1]), operator, expand(right[1]), right[0] == "quoted")
    else:  # IF value "then" "else": true unless empty or zero
        value = expand(args[0][1]).strip() if args else ""
        condition, results = value not in ("", "0"), args[1:]
    chosen = results[0 if condition else 1][1] if len(results) > (0 if condition else 1) else ""
    text = expand(re.sub(r'\\(["\\])', r"\1", chosen))
    return format_value(text, formats, lang)


def _compare(left, operator, right, wildcards):
    left_number, right_number = _as_number(left), _as_number(right)
    if left_number is not None and right_number is not None:
        return _OPERATORS[operator](left_number, right_number)
    if operator in ("=", "<>") and wildcards and ("*" in right or "?" in right):
        pattern = re.escape(right).replace(r"\*", ".*").replace(r"\?", ".")
        matched = re.fullmatch(pattern, left, re.S) is not None
        return matched if operator == "=" else not matched
    return _OPERATORS[operator](left, right)


def _first_rpr(elements):
    for element in elements:
        for rpr in element.iter(W + "rPr"):
            return rpr
    return None


class _Frame:
    """A complex field being read: where it starts, its instruction, its result."""

    __slots__ = ("in_instr", "pieces", "result", "result_rpr", "start")

    def __init__(self, start):
        self.start = start
        self.pieces = []
        self.in_instr = True
        self.result = []
        self.result_rpr = None

    def add(self, piece):
        if isinstance(piece, str) and self.pieces and isinstance(self.pieces[-1], str):
            self.pieces[-1] += piece
        else:
            self.pieces.append(piece)


def _find_fields(root, spanning=None):
    """The merge and IF fields of a part, simple and complex, in document order.

    A complex field is ``w:fldChar begin`` … ``w:instrText`` pieces (the instruction
    may be split across many runs, and hold nested fields) … ``separate`` … result runs
    … ``end``. Only a field whose begin and end lie in the same paragraph (the case
    Word writes for MERGEFIELDs) is replaced; nested fields are read into their IF or
    dropped with the field that holds them. The instructions of the MERGEFIELD and IF
    fields that run on past their paragraph are added to ``spanning`` when given.
    """
    found = []
    nested_simple = set()
    for paragraph in root.iter(W + "p"):
        children = list(paragraph)
        stack = []
        for index, child in enumerate(children):
            if child.tag == W + "fldSimple":
                if stack:
                    nested_simple.add(child)
                    if stack[-1].in_instr:
                        result = "".join(t.text or "" for t in child.iter(W + "t"))
                        stack[-1].add(_node([child.get(W + "instr") or ""], result))
                continue
            if child.tag != W + "r":
                continue
            for node in child:
                if node.tag == W + "fldChar":
                    kind = node.get(W + "fldCharType")
                    if kind == "begin":
                        stack.append(_Frame(index))
                    elif kind == "separate" and stack:
                        stack[-1].in_instr = False
                    elif kind == "end" and stack:
                        frame = stack.pop()
                        field = _node(frame.pieces, "".join(frame.result))
                        if stack:
                            if stack[-1].in_instr:
                                stack[-1].add(field)
                            continue
                        if isinstance(field, _Other):
                            continue
                        elements = children[frame.start : index + 1]
                        rpr = frame.result_rpr
                        if rpr is None:
                            rpr = children[frame.start].find(W + "rPr")
                        if isinstance(field, _If):
                            found.append(_Field("IF", [], elements, rpr, False, field))
                        else:
                            found.append(_Field(field.name, field.formats, elements, rpr, False))
                elif node.tag == W + "instrText" and stack and stack[-1].in_instr:
                    stack[-1].add(node.text or "")
                elif node.tag == W + "t" and stack and not stack[-1].in_instr:
                    stack[-1].result.append(node.text or "")
                    if len(stack) == 1 and stack[0].result_rpr is None:
                        stack[0].result_rpr = child.find(W + "rPr")
        if stack and spanning is not None:
            instr = " ".join(
                (piece if isinstance(piece, str) else " ".join(piece.names()) or "…").strip()
                for piece in stack[0].pieces
            ).strip()
            if _IF_RE.match(instr + " ") or _MERGEFIELD_RE.match(instr):
                spanning.append(re.sub(r"\s+", " ", instr)[:120])
    for simple in root.iter(W + "fldSimple"):
        if simple in nested_simple:
            continue
        parsed = parse_instruction(simple.get(W + "instr"))
        if parsed:
            found.append(_Field(*parsed, [simple], _first_rpr([simple]), True))
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
    return next(element.iterancestors(tag), None)


def fields_of(data):
    """The merge fields a template uses.

    Returns ``{"fields": [names in order, each once], "rows": [[names], ...],
    "spanning": [instructions]}`` where ``rows`` lists, for each table row that holds
    fields, the fields of that row (a row repeats when one of them belongs to a list, see
    :func:`row_groups`), and ``spanning`` the MERGEFIELD and IF fields that begin in one
    paragraph and end in another, which are not merged (Word keeps an IF whose texts
    hold paragraph marks so).
    """
    names = []
    rows = []
    spanning = []
    with _open(data) as package:
        for part in _text_parts(package):
            root = _parse(package.read(part))
            row_fields = {}
            for field in _find_fields(root, spanning):
                row = _ancestor(field.elements[0], W + "tr")
                for name in field.names:
                    if name not in names:
                        names.append(name)
                    if row is not None:
                        row_fields.setdefault(row, [])
                        if name not in row_fields[row]:
                            row_fields[row].append(name)
            rows.extend(row_fields.values())
    return {"fields": names, "rows": rows, "spanning": spanning}


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


def format_value(value, formats=(), lang=None):
    """The text of a plain value with the switches of its field.

    ``None``/``False`` → "", 1200.0 → "1200". ``formats`` come from
    :func:`parse_instruction`: ``"upper"``, ``"lower"``, ``"caps"``, ``"firstcap"``;
    ``("date", picture)`` for ``\\@`` (the value is a date or a text holding one:
    ``2026-11-05``, ``05/11/2026``, ``ngày 05 tháng 11 năm 2026``); ``("number", picture)``
    for ``\\#`` (a number, or a text holding one: ``1.250.000``); ``("before", text)``
    and ``("after", text)`` for ``\\b``/``\\f``, added only when the value is not empty.
    A value a picture cannot read is written as it is. ``lang`` is the language of the
    field in the document (``vi-VN``…): in Vietnamese, names of months and days are
    Vietnamese and numbers are written ``1.250.000,50`` whatever separators the picture
    uses; in other languages the picture's own separators are kept.
    """
    text = None
    for fmt in formats:
        if isinstance(fmt, tuple) and fmt[0] == "date" and text is None:
            text = _format_date(value, fmt[1], lang)
        elif isinstance(fmt, tuple) and fmt[0] == "number" and text is None:
            text = _format_number(value, fmt[1], lang)
    if text is None:
        text = _plain_text(value)
    for fmt in formats:
        if fmt == "upper":
            text = text.upper()
        elif fmt == "lower":
            text = text.lower()
        elif fmt == "caps":
            text = " ".join(word[:1].upper() + word[1:] for word in text.split(" "))
        elif fmt == "firstcap":
            text = text[:1].upper() + text[1:]
    if text:
        before = "".join(fmt[1] for fmt in formats if isinstance(fmt, tuple) and fmt[0] == "before")
        after = "".join(fmt[1] for fmt in formats if isinstance(fmt, tuple) and fmt[0] == "after")
        text = f"{before}{text}{after}"
    return text


def _plain_text(value):
    if value is _MISSING or value is None or value is False:
        return ""
    if value is True:
        return "✓"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(item) for item in value)
    if isinstance(value, dict):
        return ""
    return str(value)


def _is_vietnamese(lang):
    return (lang or "").lower().startswith("vi")


# -- numbers -------------------------------------------------------------

_NUMBER_TEXT_RE = re.compile(r"^\s*([-+−]?)\s*(\d[\d.,'\s\u00a0]*?)\s*(?:[^\d\s.,]{1,4})?\s*$")


def _as_number(value):
    """A number from a value or a text written with separators (``1.250.000``), or None."""
    if isinstance(value, bool) or value is None or value is _MISSING:
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if not isinstance(value, str):
        return None
    match = _NUMBER_TEXT_RE.match(value)
    if not match:
        return None
    try:
        number = Decimal(str(parse_number(re.sub(r"[\s\u00a0]", "", match.group(2)))))
    except (ValueError, InvalidOperation):
        return None
    return -number if match.group(1) in ("-", "−") else number


_PICTURE_CORE_RE = re.compile(r"[0#x](?:[0#x.,']*[0#x])?")


def _format_number(value, picture, lang):
    """``1250000`` with ``#,##0.00`` → ``1,250,000.00`` (``1.250.000,00`` in Vietnamese).

    The picture may have sections ``positive;negative;zero``; ``0`` is a digit always
    shown, ``#`` a digit shown when there is one; text around the digits is kept (``đ``,
    ``%``, ``$``: Word multiplies nothing). Rounded half away from zero, as Word does.
    """
    number = _as_number(value)
    if number is None:
        if value is None or value is False or value is _MISSING or value == "":
            number = Decimal(0)  # Word shows an empty number as 0 with a picture
        else:
            return None
    sections = picture.split(";")
    section = sections[0]
    negative = number < 0
    if negative and len(sections) > 1 and sections[1]:
        section, number = sections[1], -number
    elif number == 0 and len(sections) > 2 and sections[2]:
        section = sections[2]
    match = _PICTURE_CORE_RE.search(section)
    if not match:
        return section
    core = match.group(0)
    grouping, decimal = _picture_separators(core)
    integer_part, _sep, decimals_part = core.partition(decimal) if decimal else (core, "", "")
    places = len(re.sub(r"[^0#x]", "", decimals_part))
    quantum = Decimal(1).scaleb(-places)
    rounded = abs(number).quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _dot, fraction = f"{rounded:f}".partition(".")
    whole = whole.zfill(integer_part.count("0"))
    if whole.strip("0") == "" and "0" not in integer_part and fraction:
        whole = ""  # "#.00" writes .50
    if _is_vietnamese(lang):
        out_grouping, out_decimal = ".", ","
    else:
        out_grouping, out_decimal = grouping or ",", decimal or "."
    if grouping:
        whole = f"{int(whole or 0):,}".replace(",", out_grouping) if whole else whole
    # "#" places after the decimal separator drop their trailing zeros
    required = len(re.sub(r"[^0]", "", decimals_part))
    while len(fraction) > required and fraction.endswith("0"):
        fraction = fraction[:-1]
    digits = whole + (out_decimal + fraction if fraction else "")
    sign = "-" if negative and section is sections[0] and rounded != 0 else ""
    return section[: match.start()] + sign + digits + section[match.end() :]


def _picture_separators(core):
    """``(grouping, decimal)`` characters of a number picture's digits, each or None.

    With both ``,`` and ``.`` the last one is the decimal separator (``#,##0.00``,
    ``#.##0,00``); one alone groups thousands when it follows ``#`` and groups of three
    places (``#,##0``, ``#.###``), else it is the decimal separator (``0.00``).
    """
    used = [c for c in core if c in ".,'"]
    if not used:
        return None, None
    if "'" in used:
        decimal = next((c for c in reversed(used) if c in ".,"), None)
        return "'", decimal
    if len(set(used)) == 2:
        decimal = used[-1]
        return ("," if decimal == "." else "."), decimal
    separator = used[0]
    groups = core.split(separator)
    if core.startswith("#") and all(len(group) == 3 for group in groups[1:]):
        return separator, None
    return None, separator


# -- dates ---------------------------------------------------------------

_MONTHS_EN = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Word takes these from Windows' Vietnamese (vi-VN) calendar
_MONTHS_VI = [
    "Tháng Một", "Tháng Hai", "Tháng Ba", "Tháng Tư", "Tháng Năm", "Tháng Sáu",
    "Tháng Bảy", "Tháng Tám", "Tháng Chín", "Tháng Mười", "Tháng Mười Một", "Tháng Mười Hai",
]  # fmt: skip
_DAYS_VI = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
_MARKS = {False: ("AM", "PM"), True: ("SA", "CH")}  # before/after noon: sáng, chiều
_DAYS_VI_SHORT = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
_DATE_TOKEN_RE = re.compile(
    r"'[^']*'|AM/PM|am/pm|A/P|a/p|M{1,4}|[dD]{1,4}|[yY]{1,4}|[hH]{1,2}|m{1,2}|s{1,2}"
)


def _as_datetime(value):
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if not isinstance(value, str) or not value.strip():
        return None
    for parse in (datetime.datetime.fromisoformat, parse_date):
        try:
            moment = parse(value.strip())
        except ValueError:
            continue
        return datetime.datetime(moment.year, moment.month, moment.day, *_time_of(moment))
    return None


def _time_of(moment):
    if isinstance(moment, datetime.datetime):
        return moment.hour, moment.minute, moment.second
    return ()


def _format_date(value, picture, lang):
    """``2026-11-05`` with ``dd/MM/yyyy`` → ``05/11/2026``; Word's date-time picture.

    ``d``/``dd`` day, ``ddd``/``dddd`` weekday, ``M``/``MM`` month, ``MMM``/``MMMM`` its
    name, ``yy``/``yyyy`` year, ``h``/``hh`` (12 h) ``H``/``HH`` hour, ``m``/``mm`` minute,
    ``s``/``ss`` second, ``AM/PM``, ``am/pm``, ``A/P``; ``'text'`` is written as is.
    """
    moment = _as_datetime(value)
    if moment is None:
        return None
    vietnamese = _is_vietnamese(lang)
    months = _MONTHS_VI if vietnamese else _MONTHS_EN
    days = _DAYS_VI if vietnamese else _DAYS_EN

    def token(match):
        item = match.group(0)
        kind, size = item[0], len(item)
        if kind == "'":
            return item[1:-1]
        if item.lower() in ("am/pm", "a/p"):
            mark = _MARKS[vietnamese][moment.hour >= 12]
            mark = mark if item in ("AM/PM", "A/P") else mark.lower()
            return mark[0] if "/" in item and len(item) == 3 else mark
        if kind == "M":
            if size <= 2:
                return f"{moment.month:0{size}d}"
            name = months[moment.month - 1]
            return name if size == 4 else (f"Thg {moment.month}" if vietnamese else name[:3])
        if kind in "dD":
            if size <= 2:
                return f"{moment.day:0{size}d}"
            weekday = moment.weekday()
            if size == 4:
                return days[weekday]
            return _DAYS_VI_SHORT[weekday] if vietnamese else days[weekday][:3]
        if kind in "yY":
            return f"{moment.year % 100:02d}" if size <= 2 else f"{moment.year:04d}"
        if kind == "h":
            return f"{(moment.hour % 12) or 12:0{size}d}"
        if kind == "H":
            return f"{moment.hour:0{size}d}"
        if kind == "m":
            return f"{moment.minute:0{size}d}"
        return f"{moment.second:0{size}d}"

    return _DATE_TOKEN_RE.sub(token, picture)


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


def _run(text, rpr):
    """A run holding ``text`` (lines kept) with the character formatting ``rpr``."""
    run = etree.Element(W + "r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    for index, line in enumerate(text.split("\n")):
        if index:
            etree.SubElement(run, W + "br")
        t = etree.SubElement(run, W + "t")
        t.text = _xml_safe(line)
        t.set(XML_SPACE, "preserve")
    return run


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
    content.append(_run(text, rpr))
    return sdt


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text):
    return _XML_INVALID.sub("", text)


def _lang_of(rpr, default=None):
    """The language of a run (``w:lang``), else the document's."""
    lang = rpr.find(W + "lang") if rpr is not None else None
    return (lang.get(W + "val") if lang is not None else None) or default


def _document_lang(package):
    """The default language of a document's text (styles.xml), or None."""
    if "word/styles.xml" not in package.namelist():
        return None
    root = _parse(_read_part(package, "word/styles.xml", DEFAULT_MAX_INFLATED))
    lang = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    return lang.get(W + "val") if lang is not None else None


def _replace(field, lookup, lang=None):
    """Put the value of ``field`` in place of its elements; ``lookup(name)`` reads values."""
    first = field.elements[0]
    parent = first.getparent()
    if parent is None:
        return
    rpr = field.rpr
    if rpr is not None:
        rpr = copy.deepcopy(rpr)
        for proof in rpr.findall(W + "noProof"):
            rpr.remove(proof)
    lang = _lang_of(rpr, lang)
    if field.node is not None:
        # an IF: the text it chooses, no database value to read back
        new = _run(field.node.text(lookup, lang), rpr)
    else:
        text = format_value(lookup(field.name), field.formats, lang)
        new = _content_control(field.name, text, rpr)
    parent.replace(first, new)
    for element in field.elements[1:]:
        if element.getparent() is not None:
            element.getparent().remove(element)


def _render_part(root, data, lang=None):
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
        for name in (name for field in row_fields for name in field.names):
            found = _list_of(data, name)
            if found:
                group = found[0]
                break
        if group is None:
            plain.extend(row_fields)
            continue
        items = resolve(data, group) or []
        prefix = group + "."
        row_names = {name for field in row_fields for name in field.names}
        parent = row.getparent()
        anchor = row
        for item in items:
            clone = copy.deepcopy(row)
            item_data = item if isinstance(item, dict) else {"value": item}

            def lookup(name, item_data=item_data, prefix=prefix, row_names=row_names):
                if name.startswith(prefix):
                    return resolve(item_data, name[len(prefix) :])
                if name in item_data and name in row_names:
                    return item_data[name]
                return resolve(data, name)

            for field in _find_fields(clone):
                _replace(field, lookup, lang)
            anchor.addnext(clone)
            anchor = clone
        parent.remove(row)
    for field in plain:
        _replace(field, lambda name: resolve(data, name), lang)


def render(data, values):
    """The merged document: ``data`` (template bytes) with ``values`` (plain dict).

    ``values`` holds only dicts, lists, strings, numbers, booleans and ``None``; a
    field without a value is left empty. Each merged value sits in a content control
    tagged with the field name; an IF field is replaced by the text it chooses.
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
            self.lang = _document_lang(package)
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
            _render_part(root, values, self.lang)
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
    """``{tag: text}`` of the content controls of a document (see :func:`content_controls`)."""
    return content_controls(check_package(data))


def content_controls(parts):
    """``{tag: text}`` of the content controls in ``parts`` (what :func:`check_package`
    returns).

    A tag met several times (a repeated row) gives the list of its texts in document
    order; a tag met once gives its text.
    """
    values = {}
    for part in sorted(parts):
        for sdt in parts[part].iter(W + "sdt"):
            tag = sdt.find(f"{W}sdtPr/{W}tag")
            content = sdt.find(W + "sdtContent")
            if tag is None or content is None or not tag.get(W + "val"):
                continue
            values.setdefault(tag.get(W + "val"), []).append(_text_of(content))
    return {tag: texts[0] if len(texts) == 1 else texts for tag, texts in values.items()}


def extract_text(data):
    """The text of a document (see :func:`document_text`)."""
    return document_text(check_package(data))


def document_text(parts):
    """The text of ``parts`` (what :func:`check_package` returns): paragraphs on lines,
    table cells separated by tabs.

    Headers and footers follow the body. Deleted revisions and field instructions are
    not text.
    """
    lines = []
    for part in sorted(parts, key=lambda name: (name != "word/document.xml", name)):
        for paragraph in parts[part].iter(W + "p"):
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
