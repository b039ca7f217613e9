#!/usr/bin/env python3
"""Renders the README's pictures of what `convert`, `template`, `summary` and `explain` write,
from the bundled samples and fixtures, with a build of jixiao, through LibreOffice.

    python3 docs/pictures.py [BIN] [--only NAME,...] [--out DIR]

BIN defaults to target/debug/jixiao (built when missing). Each picture is one printed page of a
workbook jixiao wrote, found by words it must hold, a whole page (A4, as printed, 80 dpi), or
trimmed to what is printed on it (120 dpi). The pictures of the self-evaluation forms (typed with
tests/fixtures/fill_selfeval.py first) and of the web page (web/test/page.test.mjs writes its
screenshot, SCREENSHOT=docs/web-page.png) are made elsewhere. Needs soffice, pdftoppm, pdftotext.
"""

import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DPI = 80
# Trimmed pictures are printed larger, to be read on screen.
TRIM_DPI = 120
MARGIN = 8

# name → (command after the binary; {tmp} is a scratch folder), the workbook it writes
# (relative to {tmp}), words every one of which the page holds, whether to trim it.
PICTURES = {
    "convert-page": (
        ["convert", "samples/seed-publication.xlsx", "-o", "{tmp}/c/"],
        "c/seed-publication.xlsx",
        ["升级改造项目尾款支付项目", "年度总体绩效目标", "三级指标"],
        True,
    ),
    "convert-summary-page": (
        ["convert", "samples/seed-publication.xlsx", "-o", "{tmp}/c/"],
        "c/seed-publication.xlsx",
        ["绩效表汇总", "建议等级"],
        False,
    ),
    "issues-page": (
        ["convert", "samples/seed-publication.xlsx", "-o", "{tmp}/c/"],
        "c/seed-publication.xlsx",
        ["序号", "级别", "规则"],
        False,
    ),
    "convert-own-page": (
        ["convert", "tests/fixtures/ezhou.xlsx", "-o", "{tmp}/e/"],
        "e/ezhou.xlsx",
        ["测算", "绩效标准"],
        True,
    ),
    "convert-own-department": (
        ["convert", "tests/fixtures/sichuan-department.xlsx", "-o", "{tmp}/s/"],
        "s/sichuan-department.xlsx",
        ["部门整体支出绩效目标申报表", "年度主要任务"],
        True,
    ),
    "convert-own-types": (
        ["convert", "tests/fixtures/scores-types.xlsx", "-o", "{tmp}/v/"],
        "v/scores-types.xlsx",
        ["指标值类型", "计量单位"],
        True,
    ),
    "template-page": (
        ["template", "--year", "2027", "-o", "{tmp}/t.xlsx"],
        "t.xlsx",
        ["2027", "三级指标"],
        False,
    ),
    "summary-page": (
        [
            "summary",
            "samples/seed-one-per-sheet.xlsx",
            "tests/fixtures/daqing.xlsx",
            "tests/fixtures/hunan.xlsx",
            "tests/fixtures/gansu.xlsx",
            "tests/fixtures/yunnan.xlsx",
            "-o",
            "{tmp}/summary.xlsx",
        ],
        "summary.xlsx",
        ["汇总"],
        False,
    ),
    "explain-map": (
        ["explain", "tests/fixtures/ezhou.xlsx", "-o", "{tmp}/map.xlsx"],
        "map.xlsx",
        ["当年预期实现值", "保障绩效目标实现措施"],
        True,
    ),
}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, **kw)


def pages(pdf):
    info = run(["pdfinfo", pdf], text=True).stdout
    return int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))


def find_page(pdf, words):
    for n in range(1, pages(pdf) + 1):
        text = run(["pdftotext", "-f", str(n), "-l", str(n), pdf, "-"], text=True).stdout
        if all(w in text.replace(" ", "").replace("\n", "") for w in words):
            return n
    raise SystemExit(f"{pdf}: no page holds all of {words}")


def ink_box(pdf, page):
    """The box of what is printed on the page (non-white pixels), in pixels at TRIM_DPI."""
    ppm = run(["pdftoppm", "-gray", "-r", str(TRIM_DPI), "-f", str(page), "-l", str(page), pdf]).stdout
    # PGM (P5): magic, width height, maxval, then one byte per pixel.
    fields, pos = [], 0
    while len(fields) < 4:
        while ppm[pos : pos + 1].isspace():
            pos += 1
        if ppm[pos : pos + 1] == b"#":
            pos = ppm.index(b"\n", pos)
            continue
        end = pos
        while not ppm[end : end + 1].isspace():
            end += 1
        fields.append(ppm[pos:end])
        pos = end
    pos += 1
    w, h = int(fields[1]), int(fields[2])
    px = ppm[pos : pos + w * h]
    rows = [y for y in range(h) if min(px[y * w : (y + 1) * w]) < 200]
    cols = [x for x in range(w) if min(px[x::w]) < 200]
    # The page number in the footer is not part of the picture.
    body = [y for y in rows if y < h - 80] or rows
    x0, x1 = max(cols[0] - MARGIN, 0), min(cols[-1] + MARGIN, w - 1)
    y0, y1 = max(body[0] - MARGIN, 0), min(body[-1] + MARGIN, h - 1)
    return x0, y0, x1 - x0 + 1, y1 - y0 + 1


def render(bin_, name, out, tmp, made):
    cmd, book, words, trim = PICTURES[name]
    if book not in made:
        run([bin_] + [a.format(tmp=tmp) for a in cmd], cwd=ROOT)
        pdf_dir = os.path.join(tmp, "pdf-" + name)
        run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", pdf_dir,
             os.path.join(tmp, book)])
        made[book] = os.path.join(pdf_dir, os.path.splitext(os.path.basename(book))[0] + ".pdf")
    pdf = made[book]
    page = find_page(pdf, words)
    crop, dpi = [], DPI
    if trim:
        dpi = TRIM_DPI
        x, y, w, h = ink_box(pdf, page)
        crop = ["-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h)]
    target = os.path.join(out, name)
    run(["pdftoppm", "-png", "-singlefile", "-r", str(dpi), "-f", str(page), "-l", str(page)]
        + crop + [pdf, target])
    return target + ".png", page


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin", nargs="?", default=os.path.join(ROOT, "target/debug/jixiao"))
    ap.add_argument("--only", default="")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs"))
    args = ap.parse_args()
    if not os.path.exists(args.bin):
        run(["cargo", "build", "--bin", "jixiao"], cwd=ROOT)
    names = [n for n in args.only.split(",") if n] or list(PICTURES)
    os.makedirs(args.out, exist_ok=True)
    made = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            png, page = render(os.path.abspath(args.bin), name, args.out, tmp, made)
            print(f"{png}: page {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
