#!/usr/bin/env python3
"""Make the benchmark corpus from samples/seed-one-per-sheet.xlsx (openpyxl, not our writer).

Usage:  python3 benches/make_corpus.py [OUT_DIR]      (default: target/bench-corpus)

OUT_DIR/pool/      1000 department workbooks, each the seed's ten tables (plus its 填报说明
                   and 下拉列表 sheets) with the department, unit and project names varied
OUT/n10, n100, n1000/   hard links to the first N workbooks of the pool
OUT/stacked/       stacked-30/100/300/1000.xlsx: one sheet holding K tables stacked
                   vertically (two blank rows apart, as the publication layout does),
                   cycling through the seed's ten tables, each with its own project name

Regenerates only what is missing (a STAMP file records the generator's version): delete
OUT_DIR to start over. Nothing here is committed.
"""
import copy
import multiprocessing
import os
import sys

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEED = os.path.join(ROOT, "samples", "seed-one-per-sheet.xlsx")
SIZES = (10, 100, 1000)
STACKED = (30, 100, 300, 1000)
VERSION = "corpus-v1"


def table_sheets(wb):
    """The sheets of the seed that hold a table (A4 says 项目名称)."""
    return [ws for ws in wb.worksheets if ws["A4"].value == "项目名称"]


SEED_WB = None
SEED_NAMES = None


def load_seed():
    """Loads the seed once per worker process (openpyxl takes ~0.3 s to load it)."""
    global SEED_WB, SEED_NAMES
    SEED_WB = load_workbook(SEED)
    SEED_NAMES = [ws["B4"].value for ws in table_sheets(SEED_WB)]


def make_department(args):
    """Writes department workbook number i: the seed with its names varied."""
    i, path = args
    wb = SEED_WB
    dept = f"自治区第{i:04d}号厅"
    for k, ws in enumerate(table_sheets(wb)):
        ws["B4"] = f"{SEED_NAMES[k]}（{dept}第{k + 1}项）"
        ws["B5"] = dept
        ws["D5"] = f"{dept}本级"
    wb.save(path)


def make_stacked(args):
    """Writes one sheet with `count` tables stacked vertically."""
    count, path = args
    # Built inside the seed workbook, so that cell styles (indices into the workbook's style
    # tables) can be copied as they are; the seed's own sheets are removed before saving.
    out = load_workbook(SEED)
    sources = table_sheets(out)
    ws = out.create_sheet("项目支出预算绩效表")
    for col, dim in sources[0].column_dimensions.items():
        ws.column_dimensions[col].width = dim.width
    row0 = 0
    for k in range(count):
        src = sources[k % len(sources)]
        for row in src.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                d = ws.cell(row=row0 + c.row, column=c.column)
                d.value = c.value
                if c.row == 4 and c.column == 2:
                    d.value = f"{c.value}（第{k + 1}张）"
                if c.has_style:
                    d._style = copy.copy(c._style)
        for r, dim in src.row_dimensions.items():
            if dim.height:
                ws.row_dimensions[row0 + r].height = dim.height
        for m in src.merged_cells.ranges:
            # ws.merge_cells() checks the new range against every existing one (quadratic in
            # merges: hours for 1000 tables); these ranges cannot overlap, so add them directly.
            mcr = MergedCellRange(ws, f"{get_column_letter(m.min_col)}{row0 + m.min_row}:"
                                      f"{get_column_letter(m.max_col)}{row0 + m.max_row}")
            ws.merged_cells.ranges.add(mcr)
            ws._clean_merge_range(mcr)
        row0 += src.max_row + 2
    for other in list(out.worksheets):
        if other is not ws:
            out.remove(other)
    out.save(path)


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "bench-corpus"))
    stamp = os.path.join(out, "STAMP")
    if os.path.exists(stamp) and open(stamp).read().strip() == VERSION:
        print(f"corpus up to date: {out}")
        return
    pool_dir = os.path.join(out, "pool")
    stacked_dir = os.path.join(out, "stacked")
    os.makedirs(pool_dir, exist_ok=True)
    os.makedirs(stacked_dir, exist_ok=True)
    jobs = [
        (i, os.path.join(pool_dir, f"部门{i:04d}.xlsx"))
        for i in range(1, max(SIZES) + 1)
    ]
    stacked = [(k, os.path.join(stacked_dir, f"stacked-{k}.xlsx")) for k in STACKED]
    with multiprocessing.Pool(initializer=load_seed) as p:
        p.map(make_department, [j for j in jobs if not os.path.exists(j[1])], chunksize=16)
        p.map(make_stacked, [s for s in stacked if not os.path.exists(s[1])])
    for n in SIZES:
        d = os.path.join(out, f"n{n}")
        os.makedirs(d, exist_ok=True)
        for _, src in jobs[:n]:
            dst = os.path.join(d, os.path.basename(src))
            if not os.path.exists(dst):
                os.link(src, dst)
    with open(stamp, "w") as f:
        f.write(VERSION + "\n")
    print(f"corpus written: {out}")


if __name__ == "__main__":
    main()
