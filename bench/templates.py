#!/usr/bin/env python3
"""The Word template engine against the raw merge library, on the same template and data.

    python3 bench/templates.py [--repeat 9] [--json report.json]

A 10-page contract with 50 merge fields (Word's complex fields, as Word saves them) and a
30-line table whose row repeats, merged by effect_crm's engine (tools/docx_template.py:
values placed in content controls, so the document can be read back) and by
docx-mailmerge2 (the library that only merges). Target (issue 12): ours at most 2x the
library's time, and under 1 s. Timings are printed, never asserted in tests.
"""

import argparse
import importlib.util
import io
import json
import statistics
import sys
import time
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from mailmerge import MailMerge

REPO = Path(__file__).resolve().parent.parent
FIELDS = 50
LINES = 30
PAGES = 10
ROW_FIELDS = ("line_name", "line_qty", "line_price", "line_total")


def load_engine():
    """effect_crm's tools as a plain package (no Odoo), as tests/conftest.py loads them."""
    init = REPO / "effect_crm" / "tools" / "__init__.py"
    spec = importlib.util.spec_from_file_location(
        "effect_crm_tools", init, submodule_search_locations=[str(init.parent)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["effect_crm_tools"] = module
    spec.loader.exec_module(module)
    return module.docx_template


def add_field(paragraph, name):
    """A MERGEFIELD as Word saves it: begin, instruction, separate, «name», end."""

    def run_with(child):
        run = OxmlElement("w:r")
        run.append(child)
        paragraph._p.append(run)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" MERGEFIELD {name} \\* MERGEFORMAT "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    text = OxmlElement("w:t")
    text.text = f"«{name}»"
    run_with(text)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def make_template():
    document = docx.Document()
    document.add_heading("HỢP ĐỒNG MUA BÁN HÀNG HÓA", 0)
    field = 0
    for page in range(PAGES):
        for line in range(40):
            paragraph = document.add_paragraph(
                f"Điều {page + 1}.{line + 1}: Hai bên thỏa thuận các điều khoản về giao hàng, "
                "thanh toán, bảo hành và giải quyết tranh chấp theo pháp luật Việt Nam. "
            )
            if field < FIELDS and line % 8 == 0:
                add_field(paragraph, f"field_{field:02d}")
                field += 1
        if page == PAGES // 2:
            table = document.add_table(rows=2, cols=len(ROW_FIELDS))
            for cell, title in zip(table.rows[0].cells, ROW_FIELDS, strict=True):
                cell.text = title
            for cell, name in zip(table.rows[1].cells, ROW_FIELDS, strict=True):
                add_field(cell.paragraphs[0], name)
        document.add_page_break()
    assert field == FIELDS, field
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def make_data():
    scalars = {
        f"field_{i:02d}": f"Giá trị số {i} của khách hàng Công ty CP Thép Việt"
        for i in range(FIELDS)
    }
    rows = [
        {"line_name": f"Ống thép D{i}", "line_qty": str(i + 1), "line_price": "1.250.000",
         "line_total": f"{(i + 1) * 1_250_000:,}".replace(",", ".")}
        for i in range(LINES)
    ]  # fmt: skip
    return scalars, rows


def ours(engine, template, scalars, rows):
    return engine.render(template, {**scalars, "lines": rows})


def library(template, scalars, rows):
    with MailMerge(io.BytesIO(template)) as document:
        document.merge(**scalars)
        document.merge_rows("line_name", rows)
        output = io.BytesIO()
        document.write(output)
    return output.getvalue()


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--json", help="write the report here")
    args = parser.parse_args()
    engine = load_engine()
    template = make_template()
    scalars, rows = make_data()
    ours_ms, ours_doc = timed(lambda: ours(engine, template, scalars, rows), args.repeat)
    library_ms, library_doc = timed(lambda: library(template, scalars, rows), args.repeat)
    # the same merge: every value and every line in both documents
    for merged in (ours_doc, library_doc):
        text = engine.extract_text(merged)
        missing = [v for v in [*scalars.values(), *(r["line_name"] for r in rows)] if v not in text]
        if missing:
            sys.exit(f"a merged document misses {missing[:3]}")
    ratio = ours_ms / library_ms
    report = {
        "operation": f"contract of {PAGES} pages, {FIELDS} fields, {LINES}-line table",
        "ms": round(ours_ms, 1),
        "baseline": "docx-mailmerge2, same template and data",
        "baseline_ms": round(library_ms, 1),
        "ratio": round(ratio, 2),
        "target": "<= 2x and < 1000 ms",
        "met": ratio <= 2 and ours_ms < 1000,
        "size_kb": len(ours_doc) // 1024,
    }
    print(
        f"{report['operation']}: ours {report['ms']} ms, {report['baseline']} "
        f"{report['baseline_ms']} ms, {report['ratio']}x (target {report['target']}: "
        f"{'met' if report['met'] else 'NOT met'})"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
