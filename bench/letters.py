#!/usr/bin/env python3
"""Letters of a campaign: the Word engine against the raw merge library, same data, same run.

    python3 bench/letters.py [--letters 5000] [--separate 1000] [--json report.json]

A one-page letter (letterhead, address block, 12 merge fields in the text, a
promotion and the questionnaire link) merged for ``--letters`` customers:

* one printable document of every letter: effect_crm's engine
  (``docx_template.render_many``: the template parsed once, each letter in its own
  section) against docx-mailmerge2's ``merge_templates`` (the library alone, with a
  page break and with a section between letters). Target (issue 13): ours at least
  50% of the library's speed (letters per second);
* one file per letter (what the campaign's batches store on each letter's
  interaction): ``docx_template.Template(...).render`` in one process, one core.
  Target: at least 80 letters/s;
* the peak memory (RSS, ``getrusage``) of each case, run in its own child process.
  Target: under 1 GB.

Both combined documents are read back: every letter's customer is in them, in
order. Timings are printed, never asserted in tests.
"""

import argparse
import importlib.util
import io
import json
import multiprocessing
import platform
import resource
import sys
import time
from pathlib import Path

import docx
from mailmerge import MailMerge

sys.path.insert(0, str(Path(__file__).resolve().parent))

from templates import add_field

REPO = Path(__file__).resolve().parent.parent
FIELDS = (
    "company.name", "customer.name", "customer.street", "customer.city",
    "customer.state", "contact.name", "campaign.date", "promotion.name",
    "promotion.discount", "promotion.date_end", "figures.sales", "salesperson.name",
    "survey.url",
)  # fmt: skip
PROVINCES = ("Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ")


def load_engine():
    """effect_crm's tools as a package (plain Python: no Odoo), and its Word engine."""
    tools = REPO / "effect_crm" / "tools"
    spec = importlib.util.spec_from_file_location(
        "effect_crm_tools", tools / "__init__.py", submodule_search_locations=[str(tools)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules["effect_crm_tools"] = package
    spec.loader.exec_module(package)
    return package.docx_template


def make_template():
    """A one-page thank-you letter with Word's complex merge fields, as Word saves them."""
    document = docx.Document()
    header = document.sections[0].header.paragraphs[0]
    header.text = "CÔNG TY CỔ PHẦN THÉP VIỆT – Thư cảm ơn khách hàng"

    def paragraph(*pieces):
        p = document.add_paragraph()
        for piece in pieces:
            if piece.startswith("{") and piece.endswith("}"):
                add_field(p, piece[1:-1])
            else:
                p.add_run(piece)

    paragraph("{company.name}")
    paragraph("Kính gửi: ", "{customer.name}")
    paragraph("Địa chỉ: ", "{customer.street}", ", ", "{customer.city}", ", ", "{customer.state}")
    paragraph("Người nhận: ", "{contact.name}", " – Ngày ", "{campaign.date}")
    for _ in range(4):
        paragraph(
            "Cảm ơn Quý công ty đã đồng hành cùng chúng tôi trong năm qua. Chúng tôi trân "
            "trọng sự tin tưởng của Quý khách và mong tiếp tục được phục vụ với chất lượng "
            "sản phẩm, dịch vụ giao hàng và hỗ trợ kỹ thuật tốt nhất trong thời gian tới."
        )
    paragraph("Doanh số của Quý khách trong tháng: ", "{figures.sales}")
    paragraph(
        "Ưu đãi dành riêng cho Quý khách: ",
        "{promotion.name}",
        ", giảm ",
        "{promotion.discount}",
        " đến hết ngày ",
        "{promotion.date_end}",
        ".",
    )
    paragraph("Xin Quý khách dành một phút trả lời khảo sát: ", "{survey.url}")
    paragraph("Trân trọng,")
    paragraph("{salesperson.name}")
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def make_values(count):
    """The data of ``count`` letters: flat names, the same dicts for both engines."""
    return [
        {
            "company.name": "Công ty Cổ phần Thép Việt",
            "customer.name": f"Công ty TNHH Khách hàng số {number:05d}",
            "customer.street": f"{number % 400 + 1} Đường Lê Lợi",
            "customer.city": "Quận 1",
            "customer.state": PROVINCES[number % len(PROVINCES)],
            "contact.name": f"Ông Nguyễn Văn {number:05d}",
            "campaign.date": "15/11/2026",
            "promotion.name": "Tri ân khách hàng cuối năm",
            "promotion.discount": "12%",
            "promotion.date_end": "31/12/2026",
            "figures.sales": f"{10_000 + number * 7:,} USD",
            "salesperson.name": "Trần Thị Bán Hàng",
            "survey.url": f"https://crm.example.vn/survey/start/abc?answer_token=t{number:05d}",
        }
        for number in range(count)
    ]


# ----------------------------------------------------------------------
# The cases (each in its own process, for its peak memory)
# ----------------------------------------------------------------------


def ours_combined(template, values):
    return load_engine().render_many(template, values)


def library_combined(separator):
    def merge(template, values):
        with MailMerge(io.BytesIO(template)) as document:
            document.merge_templates(values, separator=separator)
            output = io.BytesIO()
            document.write(output)
        return output.getvalue()

    return merge


def ours_separate(template, values):
    engine = load_engine()
    parsed = engine.Template(template)
    return [parsed.render(item) for item in values]


def _child(case, template, values, queue):
    function = CASES[case]
    started = time.perf_counter()
    result = function(template, values)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # what the document holds, read back in the child (not part of the time)
    if isinstance(result, list):
        checked = all(
            item["customer.name"] in load_engine().extract_text(content)
            for item, content in zip(values[:20], result[:20], strict=True)
        )
        size = sum(len(content) for content in result)
    else:
        text = load_engine().extract_text(result)
        positions = [text.find(item["customer.name"]) for item in values]
        checked = all(p >= 0 for p in positions) and positions == sorted(positions)
        size = len(result)
    queue.put({"seconds": seconds, "peak_mb": peak_kb / 1024, "checked": checked, "size": size})


CASES = {
    "ours_combined": ours_combined,
    "library_page_break": library_combined("page_break"),
    "library_section": library_combined("nextPage_section"),
    "ours_separate": ours_separate,
}


def run_case(case, template, values):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_child, args=(case, template, values, queue))
    process.start()
    result = queue.get()
    process.join()
    if not result["checked"]:
        sys.exit(f"{case}: a merged document misses a letter or mixes their order")
    result["letters"] = len(values)
    result["letters_per_s"] = len(values) / result["seconds"]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=5000, help="letters in one document")
    parser.add_argument("--separate", type=int, default=1000, help="letters as separate files")
    parser.add_argument("--json", help="write the report here")
    args = parser.parse_args()
    template = make_template()
    values = make_values(args.letters)
    results = {
        case: run_case(case, template, values[: args.separate] if "separate" in case else values)
        for case in CASES
    }
    ours = results["ours_combined"]["letters_per_s"]
    library = max(
        results["library_page_break"], results["library_section"], key=lambda r: r["letters_per_s"]
    )
    share = ours / library["letters_per_s"]
    separate = results["ours_separate"]["letters_per_s"]
    peak = max(result["peak_mb"] for result in results.values())
    report = {
        "machine": f"{platform.machine()}, {multiprocessing.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "letters": args.letters,
        "cases": {
            case: {
                "letters": r["letters"],
                "seconds": round(r["seconds"], 2),
                "letters_per_s": round(r["letters_per_s"], 1),
                "peak_mb": round(r["peak_mb"]),
                "size_kb": r["size"] // 1024,
            }
            for case, r in results.items()
        },
        "combined_share_of_library": round(share, 2),
        "separate_letters_per_s": round(separate, 1),
        "peak_mb": round(peak),
        "targets": "combined >= 0.5 of the library's faster; separate >= 80/s; peak < 1024 MB",
        "met": share >= 0.5 and separate >= 80 and peak < 1024,
    }
    for case, r in report["cases"].items():
        print(
            f"{case:20} {r['letters']:6} letters {r['seconds']:8.2f} s "
            f"{r['letters_per_s']:8.1f} letters/s  peak {r['peak_mb']:5} MB  {r['size_kb']} KB"
        )
    print(
        f"one document: {share:.2f} of the library's speed; separate files: "
        f"{separate:.0f} letters/s; peak {peak:.0f} MB ({'met' if report['met'] else 'NOT met'})"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
