#!/usr/bin/env python3
"""Regenerate every sample workbook under samples/ from tests/data/seed-truth.json.

Usage:  python3 samples/make_samples.py          (needs openpyxl, msoffcrypto-tool, soffice)

Every value comes from the seed truth (the ten tables of the published 2026 document);
the layout drifts that the seed text shows are written down by hand below (SEED_*).
openpyxl output is made byte-stable (fixed zip timestamps, fixed core properties).
Files made by LibreOffice or msoffcrypto carry timestamps/random salts: they are only
replaced when their content (as read back) changed.

The end of the script reads every sample back (openpyxl for xlsx, LibreOffice -> csv for
xls/ods/xlsb, pyxlsb for xlsb when installed) and compares it with the truth: it prints a
summary and exits 1 on any mismatch.
"""
import copy
import csv
import datetime
import glob
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
import zlib
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import make_xlsb  # noqa: E402  (samples/make_xlsb.py)

TRUTH_PATH = os.path.join(ROOT, "tests", "data", "seed-truth.json")
TRUTH = json.load(open(TRUTH_PATH, encoding="utf-8"))["tables"]
OUT = HERE
BROKEN = os.path.join(HERE, "broken")

FIXED_DT = datetime.datetime(2026, 1, 1, 0, 0, 0)
ZIP_DT = (2026, 1, 1, 0, 0, 0)
LO_PROFILE = "file:///tmp/jixiao-samples-lo-profile"

# --------------------------------------------------------------------------------------
# Hand-written drift details, copied from the seed text (000_faab6d9f19361de1.txt)
# --------------------------------------------------------------------------------------
# short sheet names, one per table
SHORT = ["网络安全服务", "综合业务培训", "互联网行业党建", "升级改造尾款", "网络法治与数字素养",
         "政务信息化运维", "网络文明大会", "网络行政执法", "网信研究", "网信信息系统运维"]
# the 本级 label is written `其中： 本级资金` (space after the colon) in every seed table
SEED_OWN_LABEL = "其中： 本级资金"
# the transfer label, as each seed table writes it
SEED_TRANSFER_LABEL = [
    "其中： 转移市县 (区)资金", "其中： 转移市县（区） 资金", "其中： 转移市县（区） 资金",
    "其中： 转移市县（区） 资金", "其中： 转移市县 (区) 资金", "其中： 转移市县（区） 资金",
    "其中： 转移市县（区） 资金", "其中： 转移市县（区） 资金", "其中： 转移市县（区） 资金",
    "其中： 转移市县 (区) 资金"]
SEED_REGIONAL_TRUNCATED = {1: "自治区资"}          # table 2: `自治区资` (label cut off)
SEED_GOAL_LABEL = {4: "年度总体 绩效目标"}          # table 5: a space inside the label
SEED_EFFECT_SHIFT = {3, 7}                          # 升级改造…, 网络行政执法: 效益 rows shifted


def seed_goal_with_p(goal):
    """Table 5's goal cell in the seed holds <p>…</p> paragraphs (the truth drops them)."""
    return "<p>" + goal.replace("； 2.", "；</p> <p>2.").replace("； 3.", "；</p> <p>3.") + "</p>"


# column spans (first, last), relative to the table's left column
STD6 = dict(
    width=6,
    name=[(0, 0), (1, 5)],
    dept=[(0, 0), (1, 1), (2, 2), (3, 5)],
    attr=[(0, 0), (1, 1), (2, 2), (3, 5)],
    total=[(0, 0), (1, 1), (2, 2), (3, 5)],
    fund=dict(own_label=(0, 0), own_item=(1, 1), own_amt=(2, 2),
              tr_label=(3, 3), tr_item=(4, 4), tr_amt=(5, 5)),
    goal=[(0, 0), (1, 5)],
    ind=[(0, 0), (1, 1), (2, 3), (4, 5)],
)
# table 2 of the seed: 7 columns (6 tabs per row in the seed text)
SEED_T2_LAYOUT = dict(
    width=7,
    name=[(0, 1), (2, 6)],
    dept=[(0, 1), (2, 2), (3, 4), (5, 6)],
    attr=[(0, 1), (2, 3), (4, 5), (6, 6)],
    total=[(0, 1), (2, 2), (3, 4), (5, 6)],
    fund=dict(own_label=(0, 0), own_item=(1, 1), own_amt=(2, 2),
              tr_label=(3, 3), tr_item=(4, 4), tr_amt=(5, 6)),
    goal=[(0, 1), (2, 6)],
    ind=[(0, 0), (1, 1), (2, 3), (4, 6)],
)
# table 3 of the seed: 10 columns (9 tabs per row)
SEED_T3_LAYOUT = dict(
    width=10,
    name=[(0, 3), (4, 9)],
    dept=[(0, 1), (2, 3), (4, 5), (6, 9)],
    attr=[(0, 1), (2, 3), (4, 5), (6, 9)],
    total=[(0, 1), (2, 3), (4, 5), (6, 9)],
    fund=dict(own_label=(0, 0), own_item=(1, 2), own_amt=(3, 4),
              tr_label=(5, 5), tr_item=(6, 7), tr_amt=(8, 9)),
    goal=[(0, 1), (2, 9)],
    ind=[(0, 0), (1, 1), (2, 5), (6, 9)],
)

AMOUNT_KEYS = ["total", "annual", "own_total", "own_fiscal", "own_other", "own_carry",
               "tr_total", "tr_central", "tr_regional"]


def amounts_of(t):
    f = t["funding"]
    return dict(total=Decimal(f["total"]), annual=Decimal(f["annual_total"]),
                own_total=Decimal(f["own"]["total"]), own_fiscal=Decimal(f["own"]["fiscal"]),
                own_other=Decimal(f["own"]["other"]), own_carry=Decimal(f["own"]["carryover"]),
                tr_total=Decimal(f["transfer"]["total"]), tr_central=Decimal(f["transfer"]["central"]),
                tr_regional=Decimal(f["transfer"]["regional"]))


def num(d):
    """A Decimal amount as the float an Excel cell holds."""
    return float(d)


def plain(d):
    """45.00 -> '45', 165.53 -> '165.53' (as the seed prints amounts)."""
    s = format(d.normalize(), "f")
    return s


# --------------------------------------------------------------------------------------
# A sheet being built: cells, merges, sizes; rendered with openpyxl (or make_xlsb)
# --------------------------------------------------------------------------------------
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
STYLES = {
    "title": (Font(name="宋体", size=16, bold=True), Alignment(horizontal="center", vertical="center"), False),
    "sub": (Font(name="宋体", size=11), Alignment(horizontal="center", vertical="center"), False),
    "unit": (Font(name="宋体", size=10), Alignment(horizontal="right", vertical="center"), False),
    "label": (Font(name="宋体", size=10, bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True), True),
    "cell": (Font(name="宋体", size=10), Alignment(horizontal="left", vertical="center", wrap_text=True), True),
    "center": (Font(name="宋体", size=10), Alignment(horizontal="center", vertical="center", wrap_text=True), True),
    "num": (Font(name="宋体", size=10), Alignment(horizontal="right", vertical="center"), True),
    "goal": (Font(name="宋体", size=10), Alignment(horizontal="left", vertical="top", wrap_text=True), True),
    "text": (Font(name="宋体", size=11), Alignment(horizontal="left", vertical="center"), False),
}


class Grid:
    def __init__(self, name):
        self.name = name
        self.cells = {}       # (r, c) -> [value, style, number_format]
        self.formulas = {}    # (r, c) -> (formula without '=', cached float)
        self.merges = []      # (r1, c1, r2, c2), 0-based inclusive
        self.heights = {}
        self.widths = {}
        self.state = "visible"
        self.validations = []  # (formula1, [(r, c)])
        self.border_boxes = []  # (r1, c1, r2, c2): every cell inside gets a border

    def put(self, r, c, v, style="cell", fmt=None):
        self.cells[(r, c)] = [v, style, fmt]

    def span(self, r, cs, v, style="cell", fmt=None, merge=True, r2=None):
        c1, c2 = cs
        r2 = r if r2 is None else r2
        self.put(r, c1, v, style, fmt)
        if merge and (c2 > c1 or r2 > r):
            self.merges.append((r, c1, r2, c2))

    def formula(self, r, c, f, cached, style="num", fmt=None):
        self.put(r, c, "=" + f, style, fmt)
        self.formulas[(r, c)] = (f, cached)

    def values(self):
        """(r, c) -> value as a reader would see it (formulas replaced by cached values)."""
        out = {}
        for (r, c), (v, _s, _f) in self.cells.items():
            if (r, c) in self.formulas:
                v = self.formulas[(r, c)][1]
            if v is None or v == "":
                continue
            out[(r, c)] = v
        return out


def addr(r, c):
    return f"{get_column_letter(c + 1)}{r + 1}"


def auto_heights(g):
    """Row heights for wrapped text (openpyxl/LibreOffice do not grow rows on their own)."""
    span_of = {}
    for (r1, c1, r2, c2) in g.merges:
        span_of[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
    need = {}
    for (r, c), (v, style, _f) in g.cells.items():
        if not isinstance(v, str) or not STYLES[style][1].wrap_text:
            continue
        nrows, ncols = span_of.get((r, c), (1, 1))
        width = sum(g.widths.get(c + k, 9) for k in range(ncols))
        cpl = max(1, int(width / 2.2))         # CJK glyphs are about two width units
        lines = sum(max(1, -(-len(part) // cpl)) for part in v.split("\n"))
        h = min(409, 14 * lines / nrows + 4)
        need[r] = max(need.get(r, 0), h)
    for r, h in need.items():
        if h > g.heights.get(r, 15):
            g.heights[r] = round(h)


def render(wb, g):
    auto_heights(g)
    ws = wb.create_sheet(g.name)
    ws.page_setup.paperSize = 9
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.sheet_state = g.state
    boxed = set()
    for (r1, c1, r2, c2) in g.border_boxes:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                boxed.add((r, c))
    for (r, c) in sorted(boxed):
        if (r, c) not in g.cells:
            cell = ws.cell(row=r + 1, column=c + 1)
            cell.border = BORDER
            cell.font = STYLES["cell"][0]
    for (r, c), (v, style, fmt) in sorted(g.cells.items()):
        cell = ws.cell(row=r + 1, column=c + 1, value=v)
        font, align, border = STYLES[style]
        cell.font = font
        cell.alignment = align
        if border or (r, c) in boxed:
            cell.border = BORDER
        if fmt:
            cell.number_format = fmt
    for (r1, c1, r2, c2) in g.merges:
        ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    for r, h in g.heights.items():
        ws.row_dimensions[r + 1].height = h
    for c, w in g.widths.items():
        ws.column_dimensions[get_column_letter(c + 1)].width = w
    for formula1, cells in g.validations:
        dv = DataValidation(type="list", formula1=formula1, allow_blank=True)
        for (r, c) in cells:
            dv.add(addr(r, c))
        ws.add_data_validation(dv)
    return ws


def save_workbook(grids, path, extra=None):
    """Write grids with openpyxl, then make the file byte-stable and add formula results."""
    wb = Workbook()
    wb.remove(wb.active)
    for g in grids:
        render(wb, g)
    if extra:
        extra(wb)
    wb.properties.creator = "jixiao samples/make_samples.py"
    wb.properties.created = FIXED_DT
    wb.properties.modified = FIXED_DT
    buf = io.BytesIO()
    wb.save(buf)
    sheet_formulas = {}
    sheet_floats = {}
    for i, g in enumerate(grids, start=1):
        if g.formulas:
            sheet_formulas[f"xl/worksheets/sheet{i}.xml"] = g.formulas
        # openpyxl writes numbers with "%.16g": put back the ones that need 17 digits
        # (float noise such as 165.53000000000003)
        sheet_floats[f"xl/worksheets/sheet{i}.xml"] = {
            k: v[0] for k, v in g.cells.items()
            if isinstance(v[0], float) and float("%.16g" % v[0]) != v[0]}

    def patch(name, data):
        if name == "docProps/core.xml":
            data = re.sub(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>",
                          rb"<dcterms:modified\1>2026-01-01T00:00:00Z</dcterms:modified>", data)
        for (r, c), v in sheet_floats.get(name, {}).items():
            pat = re.compile(rb'(<c r="' + addr(r, c).encode() + rb'"[^>]*><v>)[^<]*(</v>)')
            data, n = pat.subn(rb"\g<1>" + repr(v).encode() + rb"\g<2>", data)
            assert n == 1, (name, addr(r, c))
        if name in sheet_formulas:
            for (r, c), (_f, cached) in sheet_formulas[name].items():
                pat = re.compile(rb'(<c r="' + addr(r, c).encode() + rb'"[^>]*><f>[^<]*</f>)<v\s*/>')
                data, n = pat.subn(rb"\1<v>" + repr(float(cached)).encode() + rb"</v>", data)
                assert n == 1, (name, addr(r, c))
        return data

    write_stable_zip(buf.getvalue(), path, patch)


def write_stable_zip(src_bytes, path, patch=None):
    with zipfile.ZipFile(io.BytesIO(src_bytes)) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if patch:
                data = patch(name, data)
            zi = zipfile.ZipInfo(name, ZIP_DT)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


# --------------------------------------------------------------------------------------
# The official (Ningxia) table, placed on a grid
# --------------------------------------------------------------------------------------
DEFAULT_LABELS = dict(
    title=None, sub=None, unit=None,
    name="项目名称", dept="主管部门", impl="实施单位", attr="项目属性", period="项目期",
    total="项目总额", annual="其中：年度资金总额",
    own="其中：本级资金", own_items=["资金总额", "财政拨款", "其他资金", "结余结转资金"],
    tr="其中：转移市县（区）资金", tr_items=["资金总额", "中央资金", "自治区资金"],
    goal="年度总体绩效目标", h1="一级指标", h2="二级指标", h3="三级指标", hv="指标值",
)


def place_table(g, t, top, left, L, **o):
    """Write one table at (top, left). Options (all optional):
    labels: dict overriding DEFAULT_LABELS; dept_value; goal; unit_text;
    amount: fn(key, Decimal) -> cell value; amount_fmt; formulas: set of amount keys;
    merges: 'all' | 'none'; repeat_levels: bool; effect_shift: bool.
    Returns the row after the table."""
    lab = dict(DEFAULT_LABELS)
    lab.update(o.get("labels", {}))
    merge = o.get("merges", "all") != "none"
    W = L["width"]
    A = amounts_of(t)
    amount_fn = o.get("amount", lambda k, d: num(d))
    amount_fmt = o.get("amount_fmt")
    formulas = o.get("formulas", set())

    def S(span):
        return (left + span[0], left + span[1])

    r = top
    g.span(r, S((0, W - 1)), lab["title"] or t["title"], "title", merge=merge)
    g.heights[r] = 30
    r += 1
    g.span(r, S((0, W - 1)), lab["sub"] or f"({t['year']}年)", "sub", merge=merge)
    r += 1
    g.span(r, S((0, W - 1)), lab["unit"] or f"单位：{t['unit']}", "unit", merge=merge)
    r += 1
    box_top = r
    p = t["project"]
    # header block
    sp = L["name"]
    g.span(r, S(sp[0]), lab["name"], "label", merge=merge)
    g.span(r, S(sp[1]), p["name"], "cell", merge=merge)
    r += 1
    pos = {}

    def pair_row(key, l1, v1, l2, v2, numeric=False):
        nonlocal r
        sp = L[key]
        g.span(r, S(sp[0]), l1, "label", merge=merge)
        if numeric:
            put_amount(r, S(sp[1]), v1)
        else:
            g.span(r, S(sp[1]), v1, "cell", merge=merge)
        g.span(r, S(sp[2]), l2, "label", merge=merge)
        if numeric:
            put_amount(r, S(sp[3]), v2)
        else:
            g.span(r, S(sp[3]), v2, "cell", merge=merge)
        r += 1

    def put_amount(row, cs, key):
        pos[key] = (row, cs[0])
        v = amount_fn(key, A[key])
        g.span(row, cs, v, "num", fmt=amount_fmt if isinstance(v, float) else None, merge=merge)

    pair_row("dept", lab["dept"], o.get("dept_value", p["department"]), lab["impl"], p["implementing_unit"])
    pair_row("attr", lab["attr"], p["attribute"], lab["period"], p["period"])
    pos["attr_value"] = (r - 1, left + L["attr"][1][0])
    pair_row("total", lab["total"], "total", lab["annual"], "annual", numeric=True)
    F = L["fund"]
    own_keys = ["own_total", "own_fiscal", "own_other", "own_carry"]
    tr_keys = ["tr_total", "tr_central", "tr_regional", None]
    g.span(r, S(F["own_label"]), lab["own"], "label", merge=merge, r2=r + 3)
    g.span(r, S(F["tr_label"]), lab["tr"], "label", merge=merge, r2=r + 3)
    for i in range(4):
        g.span(r + i, S(F["own_item"]), lab["own_items"][i], "label", merge=merge)
        put_amount(r + i, S(F["own_amt"]), own_keys[i])
        if tr_keys[i]:
            g.span(r + i, S(F["tr_item"]), lab["tr_items"][i], "label", merge=merge)
            put_amount(r + i, S(F["tr_amt"]), tr_keys[i])
        elif merge:
            # the empty 4th row of the transfer side: blank merged cells, as in the template
            for key in ("tr_item", "tr_amt"):
                c1, c2 = S(F[key])
                if c2 > c1:
                    g.merges.append((r + i, c1, r + i, c2))
    r += 4
    # formulas for totals (cached values = the truth amounts)
    fsum = {"own_total": ["own_fiscal", "own_other", "own_carry"],
            "tr_total": ["tr_central", "tr_regional"],
            "annual": ["own_total", "tr_total"], "total": ["annual"]}
    for key in formulas:
        rr, cc = pos[key]
        expr = "+".join(addr(*pos[k]) for k in fsum[key])
        g.formula(rr, cc, expr, o.get("formula_cached", {}).get(key, num(A[key])), fmt=amount_fmt)
    # goal
    goal = o.get("goal", t["goal"])
    sp = L["goal"]
    g.span(r, S(sp[0]), lab["goal"], "label", merge=merge)
    g.span(r, S(sp[1]), goal, "goal", merge=merge)
    r += 1
    # indicator grid
    sp = L["ind"]
    for i, h in enumerate([lab["h1"], lab["h2"], lab["h3"], lab["hv"]]):
        g.span(r, S(sp[i]), h, "label", merge=merge)
    r += 1
    inds = t["indicators"]
    first = r
    shift = o.get("effect_shift", False)
    repeat = o.get("repeat_levels", False)
    level_merge = merge and not repeat
    rows_of = []
    for k, ind in enumerate(inds):
        rr = first + k
        rows_of.append(rr)
        v = o.get("value_override", {}).get(k, ind["value"]["raw"])
        if shift and ind["level1"] == "效益指标":
            if ind["level2"] == "经济效益":
                # seed: `  | 效益指标 | 经济效益 | 无 |  | 无`
                g.put(rr, left + sp[1][0], "效益指标", "label")
                g.put(rr, left + sp[2][0], "经济效益", "label")
                g.put(rr, left + sp[2][0] + 1, ind["name"], "cell")
                g.put(rr, left + sp[3][0] + 1, v, "center")
            else:
                # seed: `社会效益 |  | name |  | value`
                g.put(rr, left + sp[0][0], ind["level2"], "label")
                g.span(rr, S(sp[2]), ind["name"], "cell", merge=merge)
                g.span(rr, S(sp[3]), v, "center", merge=merge)
            continue
        g.span(rr, S(sp[2]), ind["name"], "cell", merge=merge)
        if isinstance(v, tuple):       # (value, number_format) for typed cells
            g.span(rr, S(sp[3]), v[0], "center", fmt=v[1], merge=merge)
        else:
            g.span(rr, S(sp[3]), v, "center", merge=merge)
        if repeat:
            g.put(rr, left + sp[0][0], ind["level1"], "label")
            g.put(rr, left + sp[1][0], ind["level2"], "label")
    if not repeat:
        # level1 / level2 once per group, merged down the group's rows
        def groups(keyf):
            out = []
            for k, ind in enumerate(inds):
                if shift and ind["level1"] == "效益指标":
                    continue
                key = keyf(ind)
                if out and out[-1][0] == key and out[-1][2] == k - 1:
                    out[-1][2] = k
                else:
                    out.append([key, k, k])
            return out
        for key, k1, k2 in groups(lambda i: i["level1"]):
            g.span(first + k1, S(sp[0]), key, "label", merge=level_merge, r2=first + k2)
        for key, k1, k2 in groups(lambda i: (i["level1"], i["level2"])):
            g.span(first + k1, S(sp[1]), key[1], "label", merge=level_merge, r2=first + k2)
    r = first + len(inds)
    g.border_boxes.append((box_top, left, r - 1, left + W - 1))
    pos["first_indicator"] = first
    return r, pos


def widths_for(g, left, W):
    base = {6: [16, 16, 22, 22, 16, 16], 7: [12, 12, 22, 18, 12, 14, 12], 10: [12, 10, 12, 12, 12, 12, 12, 10, 10, 10]}[W]
    for i, w in enumerate(base):
        g.widths[left + i] = max(g.widths.get(left + i, 0), w)


# --------------------------------------------------------------------------------------
# seed-one-per-sheet.xlsx
# --------------------------------------------------------------------------------------
def build_one_per_sheet():
    grids = []
    info = Grid("填报说明")
    lines = [
        "填报说明",
        "1. 每个项目填写一张表（一个工作表），金额单位为万元，保留两位小数。",
        "2. 项目属性从下拉列表中选择；项目期按年填写。",
        "3. 本级资金总额＝财政拨款＋其他资金＋结余结转资金；转移市县（区）资金总额＝中央资金＋自治区资金。",
        "4. 成本指标金额合计应等于年度资金总额。",
        "5. 绩效指标应细化、量化，不能量化的用分级分档的定性表述。",
    ]
    for i, s in enumerate(lines):
        info.put(i, 0, s, "text")
    info.widths[0] = 100
    grids.append(info)
    attr_cells = []
    for i, t in enumerate(TRUTH):
        g = Grid(SHORT[i])
        _r, pos = place_table(g, t, 0, 0, STD6, amount_fmt="0.00")
        widths_for(g, 0, 6)
        g.validations.append(("'下拉列表'!$A$2:$A$3", [pos["attr_value"]]))
        grids.append(g)
    lists = Grid("下拉列表")
    lists.state = "hidden"
    lists.put(0, 0, "项目属性", "text")
    for i, v in enumerate(sorted({t["project"]["attribute"] for t in TRUTH}, key=lambda s: s != "经常性项目")):
        lists.put(1 + i, 0, v, "text")
    lists.put(0, 1, "一级指标", "text")
    lists.put(0, 2, "二级指标", "text")
    l1s, l2s = [], []
    for t in TRUTH:
        for ind in t["indicators"]:
            if ind["level1"] not in l1s:
                l1s.append(ind["level1"])
            if ind["level2"] not in l2s:
                l2s.append(ind["level2"])
    for i, v in enumerate(l1s):
        lists.put(1 + i, 1, v, "text")
    for i, v in enumerate(l2s):
        lists.put(1 + i, 2, v, "text")
    grids.append(lists)
    path = os.path.join(OUT, "seed-one-per-sheet.xlsx")
    save_workbook(grids, path)
    return path


# --------------------------------------------------------------------------------------
# seed-publication.xlsx: the ten tables stacked on one sheet, with the seed's noise
# --------------------------------------------------------------------------------------
def publication_grid():
    g = Grid("项目支出预算绩效表")
    r = 0
    for i, t in enumerate(TRUTH):
        L = {1: SEED_T2_LAYOUT, 2: SEED_T3_LAYOUT}.get(i, STD6)
        labels = dict(own=SEED_OWN_LABEL, tr=SEED_TRANSFER_LABEL[i])
        if i in SEED_REGIONAL_TRUNCATED:
            labels["tr_items"] = ["资金总额", "中央资金", SEED_REGIONAL_TRUNCATED[i]]
        if i in SEED_GOAL_LABEL:
            labels["goal"] = SEED_GOAL_LABEL[i]
        goal = seed_goal_with_p(t["goal"]) if i == 4 else t["goal"]
        r, _pos = place_table(g, t, r, 0, L, labels=labels, goal=goal,
                              effect_shift=i in SEED_EFFECT_SHIFT)
        r += 2  # blank rows between tables
    for c, w in enumerate([14, 14, 18, 18, 14, 14, 12, 10, 10, 10]):
        g.widths[c] = w
    return g


def build_publication():
    path = os.path.join(OUT, "seed-publication.xlsx")
    save_workbook([publication_grid()], path)
    return path


# --------------------------------------------------------------------------------------
# messy.xlsx
# --------------------------------------------------------------------------------------
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")

# which table carries which drift: see samples/README.md ("messy.xlsx, table by table")


def build_messy():
    grids = []
    dept_code = "[812]" + TRUTH[0]["project"]["department"]

    def text_amount(fmt):
        return lambda k, d: fmt(d)

    # sheet 1: tables 0, 1, 2 stacked
    g = Grid("网信办项目(1-3)")
    r = 0
    r, _ = place_table(g, TRUTH[0], r, 0, STD6,
                       labels=dict(name="项 目 名 称", dept="主 管 部 门", attr="项 目 属 性"),
                       amount=lambda k, d: (f"{plain(d)}万元" if k in ("total", "annual", "own_fiscal") else
                                            f" {plain(d)} " if k == "own_total" else f"{plain(d)}万元"))
    r += 2
    r, _ = place_table(g, TRUTH[1], r, 0, STD6,
                       labels=dict(unit="单位:万元", annual="其中:年度资金总额", own="其中:本级资金",
                                   tr="其中:转移市县(区)资金", goal="年度总体\n绩效目标"),
                       amount=lambda k, d: f" {plain(d)} ", repeat_levels=True)
    r += 3
    r, _ = place_table(g, TRUTH[2], r, 0, STD6, merges="none",
                       labels=dict(name="项目支出名称", dept="主管部门及代码"), dept_value=dept_code)
    widths_for(g, 0, 6)
    grids.append(g)

    # table 3 at D5, float noise, one formula, effect shift
    g = Grid(SHORT[3])
    noisy = 165.53000000000003
    assert Decimal(repr(noisy)).quantize(Decimal("0.01")) == amounts_of(TRUTH[3])["total"]
    place_table(g, TRUTH[3], 4, 3, STD6, effect_shift=True, formulas={"own_total"},
                amount=lambda k, d: noisy if k == "total" else num(d))
    widths_for(g, 3, 6)
    grids.append(g)

    g = Grid(SHORT[4])
    place_table(g, TRUTH[4], 0, 0, STD6, labels=dict(goal="年度总体 绩效目标"),
                amount=lambda k, d: plain(d).translate(FULLWIDTH))
    widths_for(g, 0, 6)
    grids.append(g)

    g = Grid(SHORT[5])
    place_table(g, TRUTH[5], 1, 1, STD6, labels=dict(period="项 目 期", impl="实 施 单 位"),
                amount=lambda k, d: f"{d:.2f}")
    widths_for(g, 1, 6)
    grids.append(g)

    g = Grid(SHORT[6])
    place_table(g, TRUTH[6], 0, 0, STD6, formulas={"own_total", "tr_total", "annual", "total"})
    widths_for(g, 0, 6)
    grids.append(g)

    g = Grid(SHORT[7])
    place_table(g, TRUTH[7], 2, 0, STD6, effect_shift=True,
                amount=lambda k, d: f"{plain(d)}万元" if k in ("total", "annual") else num(d))
    widths_for(g, 0, 6)
    grids.append(g)

    g = Grid(SHORT[8])
    place_table(g, TRUTH[8], 0, 0, STD6, labels=dict(name="项目\n名称", dept="主管部门及代码", unit="单位:万元"),
                dept_value=dept_code)
    widths_for(g, 0, 6)
    grids.append(g)

    g = Grid(SHORT[9])
    place_table(g, TRUTH[9], 0, 0, STD6, amount_fmt="#,##0.00", formulas={"tr_total"})
    widths_for(g, 0, 6)
    grids.append(g)

    path = os.path.join(OUT, "messy.xlsx")
    save_workbook(grids, path)
    return path


# --------------------------------------------------------------------------------------
# yuan.xlsx: three tables in 元
# --------------------------------------------------------------------------------------
YUAN_TABLES = [0, 3, 6]


def build_yuan():
    grids = []
    for i in YUAN_TABLES:
        t = TRUTH[i]
        g = Grid(SHORT[i])
        opts = dict(labels=dict(unit="单位：元"))
        if i == 0:
            opts["amount"] = lambda k, d: num(d * 10000)
            opts["amount_fmt"] = "0.00"
        elif i == 3:
            opts["amount"] = lambda k, d: f"{d * 10000:,.2f}"      # text: 1,655,300.00
        else:
            opts["amount"] = lambda k, d: num(d * 10000)
            opts["amount_fmt"] = "#,##0.00"
        place_table(g, t, 0, 0, STD6, **opts)
        widths_for(g, 0, 6)
        grids.append(g)
    path = os.path.join(OUT, "yuan.xlsx")
    save_workbook(grids, path)
    return path


# --------------------------------------------------------------------------------------
# national.xlsx: the newer national layout
# --------------------------------------------------------------------------------------
NATIONAL_L2 = {"经济效益": "经济效益指标", "社会效益": "社会效益指标", "生态效益": "生态效益指标",
               "可持续影响": "可持续影响指标", "服务对象满意度": "服务对象满意度指标"}
VALUE_RE = re.compile(r"^(≥|≤)?(\d+(?:\.\d+)?)([^\d.]+)$")


def split_value(raw):
    """'≥80%' -> ('≥','80','%'); '1项' -> ('＝','1','项'); anything else -> ('定性', raw, '')."""
    m = VALUE_RE.match(raw)
    if not m:
        return "定性", raw, ""
    return (m.group(1) or "＝"), m.group(2), m.group(3)


def national_rows(t):
    rows = []
    for ind in t["indicators"]:
        l1, l2 = ind["level1"], ind["level2"]
        if l2 == "成本指标":
            l1, l2 = "成本指标", "经济成本指标"
        l2 = NATIONAL_L2.get(l2, l2)
        prop, val, unit = split_value(ind["value"]["raw"])
        rows.append([l1, l2, ind["name"], prop, val, unit])
    # weights: 100 shared by the rows that are not the placeholder 无
    real = [k for k, row in enumerate(rows) if row[2] != "无"]
    base, extra = divmod(100, len(real))
    for n, k in enumerate(real):
        rows[k].append(base + (1 if n < extra else 0))
    for row in rows:
        if len(row) == 6:
            row.append(0)
    return rows


def place_national(g, t, i):
    W = 8
    A = amounts_of(t)
    p = t["project"]
    g.span(0, (0, W - 1), "2026年项目支出绩效目标表", "title")
    g.heights[0] = 30
    g.span(1, (0, W - 1), f"({t['year']}年)", "sub")
    g.span(2, (0, W - 1), "单位：万元", "unit")
    r = 3
    g.put(r, 0, "项目名称", "label")
    g.span(r, (1, 7), p["name"], "cell")
    r += 1
    g.put(r, 0, "主管部门及代码", "label")
    g.span(r, (1, 3), "[812]" + p["department"], "cell")
    g.span(r, (4, 4), "实施单位", "label")
    g.span(r, (5, 7), p["implementing_unit"], "cell")
    r += 1
    g.put(r, 0, "项目属性", "label")
    g.span(r, (1, 3), p["attribute"], "cell")
    g.put(r, 4, "项目期", "label")
    g.span(r, (5, 7), p["period"], "cell")
    r += 1
    items = [("项目总额", A["total"]), ("年度资金总额", A["annual"]), ("其中：财政拨款", A["own_fiscal"]),
             ("上年结转资金", A["own_carry"]), ("其他资金", A["own_other"])]
    g.span(r, (0, 0), "项目资金（万元）", "label", r2=r + len(items) - 1)
    for k, (lab, d) in enumerate(items):
        g.span(r + k, (1, 3), lab, "label")
        g.span(r + k, (4, 7), num(d), "num", fmt="0.00")
    r += len(items)
    g.put(r, 0, "年度总体目标", "label")
    g.span(r, (1, 7), t["goal"], "goal")
    r += 1
    for c, h in enumerate(["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重", "备注"]):
        g.put(r, c, h, "label")
    r += 1
    rows = national_rows(t)
    first = r
    for k, row in enumerate(rows):
        g.put(first + k, 2, row[2], "cell")
        g.put(first + k, 3, row[3], "center")
        g.put(first + k, 4, row[4], "center")
        g.put(first + k, 5, row[5], "center")
        g.put(first + k, 6, row[6], "num")
        g.put(first + k, 7, "", "cell")
    for col, keyf in ((0, lambda row: row[0]), (1, lambda row: (row[0], row[1]))):
        k = 0
        while k < len(rows):
            k2 = k
            while k2 + 1 < len(rows) and keyf(rows[k2 + 1]) == keyf(rows[k]):
                k2 += 1
            v = rows[k][0] if col == 0 else rows[k][1]
            g.span(first + k, (col, col), v, "label", r2=first + k2)
            k = k2 + 1
    g.border_boxes.append((3, 0, first + len(rows) - 1, 7))
    for c, w in enumerate([14, 16, 30, 8, 12, 8, 6, 8]):
        g.widths[c] = w


def build_national():
    grids = []
    for i, t in enumerate(TRUTH):
        g = Grid(SHORT[i])
        place_national(g, t, i)
        grids.append(g)
    path = os.path.join(OUT, "national.xlsx")
    save_workbook(grids, path)
    return path


# --------------------------------------------------------------------------------------
# drift-values.xlsx
# --------------------------------------------------------------------------------------
DRIFT_DATE_ROW = 5        # 网络安全应急演练实施时间: '2026年11月前' -> date cell 2026-12-20
DRIFT_PERCENT_ROW = 3     # 自治区级涉及网络安全单位应急演练覆盖率: '≥80%' -> number 0.8, format 0%


def build_drift_values():
    t = TRUTH[0]
    g = Grid(SHORT[0])
    assert t["indicators"][DRIFT_DATE_ROW]["name"] == "网络安全应急演练实施时间"
    assert t["indicators"][DRIFT_PERCENT_ROW]["value"]["raw"] == "≥80%"
    # the date is the seed's own deadline (table 3: 2026年12月20日前)
    place_table(g, t, 0, 0, STD6, formulas={"total"},
                value_override={DRIFT_DATE_ROW: (datetime.datetime(2026, 12, 20), 'yyyy"年"m"月"d"日"'),
                                 DRIFT_PERCENT_ROW: (0.8, "0%")})
    widths_for(g, 0, 6)
    g.put(1048575, 16383, "x", "text")   # stray cell at XFD1048576
    path = os.path.join(OUT, "drift-values.xlsx")
    save_workbook([g], path)
    return path


# --------------------------------------------------------------------------------------
# broken files
# --------------------------------------------------------------------------------------
def build_broken(one_per_sheet):
    os.makedirs(BROKEN, exist_ok=True)
    # a CSV renamed .xlsx
    t = TRUTH[0]
    lines = ["项目名称,主管部门,项目总额"]
    for tt in TRUTH:
        lines.append(f"{tt['project']['name']},{tt['project']['department']},{plain(Decimal(tt['funding']['total']))}")
    with open(os.path.join(BROKEN, "not-a-workbook.xlsx"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    data = open(one_per_sheet, "rb").read()
    with open(os.path.join(BROKEN, "truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) * 6 // 10])
    open(os.path.join(BROKEN, "empty.xlsx"), "wb").close()
    # encrypted: msoffcrypto uses a random salt; keep the old file if it still decrypts to `data`
    enc = os.path.join(BROKEN, "encrypted.xlsx")
    if not decrypts_to(enc, "1234", data):
        import msoffcrypto.format.ooxml as ooxml
        out = io.BytesIO()
        ooxml.OOXMLFile(io.BytesIO(data)).encrypt("1234", out)
        with open(enc, "wb") as f:
            f.write(out.getvalue())
        assert decrypts_to(enc, "1234", data)
    # a valid workbook without any table: a staff list
    g = Grid("工作人员名单")
    for c, h in enumerate(["序号", "姓名", "科室", "联系电话"]):
        g.put(0, c, h, "label")
    for k, (name, office) in enumerate([("张三", "综合处"), ("李四", "网络安全协调处"), ("王五", "网络执法处")]):
        g.put(1 + k, 0, k + 1, "center")
        g.put(1 + k, 1, name, "cell")
        g.put(1 + k, 2, office, "cell")
        g.put(1 + k, 3, "0951-0000000", "cell")
    save_workbook([g], os.path.join(BROKEN, "no-table.xlsx"))
    # an HTML table saved as .xls
    with open(os.path.join(BROKEN, "html-disguised.xls"), "w", encoding="utf-8", newline="\n") as f:
        f.write(html_table(t))
    build_zip_bomb(os.path.join(BROKEN, "zip-bomb.xlsx"))


def decrypts_to(path, password, expected):
    if not os.path.exists(path):
        return False
    try:
        import msoffcrypto
        with open(path, "rb") as f:
            of = msoffcrypto.OfficeFile(f)
            of.load_key(password=password)
            out = io.BytesIO()
            of.decrypt(out)
        return out.getvalue() == expected
    except Exception:
        return False


def html_table(t):
    esc = lambda s: str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    A = amounts_of(t)
    p = t["project"]
    rows = [
        [(t["title"], 6)], [(f"({t['year']}年)", 6)], [("单位：万元", 6)],
        [("项目名称", 1), (p["name"], 5)],
        [("主管部门", 1), (p["department"], 1), ("实施单位", 1), (p["implementing_unit"], 3)],
        [("项目属性", 1), (p["attribute"], 1), ("项目期", 1), (p["period"], 3)],
        [("项目总额", 1), (plain(A["total"]), 1), ("其中：年度资金总额", 1), (plain(A["annual"]), 3)],
        [("其中：本级资金", 1), ("资金总额", 1), (plain(A["own_total"]), 1), ("其中：转移市县（区）资金", 1), ("资金总额", 1), (plain(A["tr_total"]), 1)],
        [("", 1), ("财政拨款", 1), (plain(A["own_fiscal"]), 1), ("", 1), ("中央资金", 1), (plain(A["tr_central"]), 1)],
        [("", 1), ("其他资金", 1), (plain(A["own_other"]), 1), ("", 1), ("自治区资金", 1), (plain(A["tr_regional"]), 1)],
        [("", 1), ("结余结转资金", 1), (plain(A["own_carry"]), 1), ("", 1), ("", 1), ("", 1)],
        [("年度总体绩效目标", 1), (t["goal"], 5)],
        [("一级指标", 1), ("二级指标", 1), ("三级指标", 2), ("指标值", 2)],
    ]
    for ind in t["indicators"]:
        rows.append([(ind["level1"], 1), (ind["level2"], 1), (ind["name"], 2), (ind["value"]["raw"], 2)])
    out = ['<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">',
           '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta name="ProgId" content="Excel.Sheet"></head>',
           '<body><table border="1">']
    for row in rows:
        out.append("<tr>" + "".join(f'<td colspan="{n}">{esc(v)}</td>' if n > 1 else f"<td>{esc(v)}</td>" for v, n in row) + "</tr>")
    out.append("</table></body></html>")
    return "\n".join(out) + "\n"


BOMB_PADDING = 1_500_000_000   # bytes of whitespace inside sheet1.xml (> 1 GiB)


def build_zip_bomb(path):
    """A well-formed xlsx whose xl/worksheets/sheet1.xml inflates to ~1.5 GB of whitespace.
    Written by streaming, so it needs little memory; reused when already there and right."""
    if os.path.exists(path):
        try:
            with zipfile.ZipFile(path) as z:
                if z.getinfo("xl/worksheets/sheet1.xml").file_size > BOMB_PADDING and os.path.getsize(path) < 2_000_000:
                    return
        except Exception:
            pass
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>').encode()
    tail = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    parts = minimal_xlsx_parts()
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in parts:
            zi = zipfile.ZipInfo(name, ZIP_DT)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
        zi = zipfile.ZipInfo("xl/worksheets/sheet1.xml", ZIP_DT)
        zi.compress_type = zipfile.ZIP_DEFLATED
        with z.open(zi, "w", force_zip64=False) as w:
            w.write(head)
            chunk = b" " * (1 << 24)
            left = BOMB_PADDING
            while left > 0:
                n = min(left, len(chunk))
                w.write(chunk[:n])
                left -= n
            w.write(tail)
    os.replace(tmp, path)


def minimal_xlsx_parts():
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
          '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>')
    wb = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
          '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wbrels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
              '</Relationships>')
    return [("[Content_Types].xml", ct.encode()), ("_rels/.rels", rels.encode()),
            ("xl/workbook.xml", wb.encode()), ("xl/_rels/workbook.xml.rels", wbrels.encode())]


# --------------------------------------------------------------------------------------
# LibreOffice
# --------------------------------------------------------------------------------------
def soffice(args, outdir):
    cmd = ["soffice", f"-env:UserInstallation={LO_PROFILE}", "--headless"] + args + ["--outdir", outdir]
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    if res.returncode != 0:
        raise SystemExit(f"soffice failed: {' '.join(cmd)}\n{res.stderr.decode(errors='replace')}")
    return res.stdout.decode(errors="replace")


CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def lo_csv(path):
    """All sheets of a workbook as LibreOffice shows them -> [(sheet, {(r,c): str})]."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, os.path.basename(path))
        shutil.copy(path, src)
        log = soffice(["--convert-to", CSV_FILTER, src], d)
        # "Writing sheet NAME -> FILE" lines give the sheet order
        written = re.findall(r"Writing sheet (.*?) -> (.*\.csv)", log)
        if not written:   # a single sheet: no per-sheet lines
            stem = os.path.splitext(os.path.basename(path))[0]
            written = [("", fn) for fn in glob.glob(os.path.join(d, stem + "*.csv"))]
        out = []
        for sheet, fn in written:
            grid = {}
            with open(fn, encoding="utf-8", newline="") as f:
                for r, row in enumerate(csv.reader(f)):
                    for c, v in enumerate(row):
                        if v != "":
                            grid[(r, c)] = v
            out.append((sheet, grid))
        return out


def lo_convert(src, ext):
    """Re-save src as ext with LibreOffice; keep the old file when nothing visible changed."""
    dst = os.path.splitext(src)[0] + "." + ext
    with tempfile.TemporaryDirectory() as d:
        soffice(["--convert-to", ext, src], d)
        new = os.path.join(d, os.path.splitext(os.path.basename(src))[0] + "." + ext)
        if os.path.exists(dst) and lo_csv(dst) == lo_csv(new):
            return dst
        shutil.copy(new, dst)
    return dst


# --------------------------------------------------------------------------------------
# Verification: read every sample back and compare with the truth
# --------------------------------------------------------------------------------------
FW = str.maketrans("０１２３４５６７８９（）：，．　", "0123456789():,. ")


def norm(s):
    return re.sub(r"\s+", "", str(s).translate(FW))


LABELS = {
    "项目名称": "name", "项目支出名称": "name",
    "主管部门": "department", "主管部门及代码": "department",
    "实施单位": "implementing_unit", "项目属性": "attribute", "项目期": "period",
    "项目总额": "total", "其中:年度资金总额": "annual", "年度资金总额": "annual",
    "资金总额": "fund_total", "财政拨款": "own_fiscal", "其中:财政拨款": "own_fiscal",
    "其他资金": "own_other", "结余结转资金": "own_carry", "上年结转资金": "own_carry",
    "中央资金": "tr_central", "自治区资金": "tr_regional", "自治区资": "tr_regional",
    "年度总体绩效目标": "goal", "年度总体目标": "goal",
}
BLOCK_LABELS = ("本级资金", "转移市县", "项目资金")
LEVEL1 = {"产出指标", "效益指标", "满意度指标", "成本指标"}
LEVEL2 = {"数量指标", "质量指标", "时效指标", "成本指标", "经济效益", "社会效益", "生态效益",
          "可持续影响", "服务对象满意度"}


def is_label(v):
    n = norm(v)
    return n in LABELS or any(b in n for b in BLOCK_LABELS) or n in LEVEL1 or n in LEVEL2 or n.endswith("指标")


def parse_amount(v):
    if isinstance(v, (int, float)):
        return Decimal(repr(float(v))).quantize(Decimal("0.01"))
    s = norm(v).replace(",", "")
    s = re.sub(r"(万元|万|元)$", "", s)
    return Decimal(s).quantize(Decimal("0.01"))


def display(v, fmt=None):
    """A cell value as text, the way the table shows it (for indicator values)."""
    if isinstance(v, datetime.datetime):
        return f"{v.year}年{v.month}月{v.day}日"
    if isinstance(v, float) and fmt and fmt.endswith("%"):
        return f"{round(v * 100)}%"
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return str(v)


def extract_tables(grid):
    """Find the tables on one sheet (a dict (r,c) -> value); returns a list of dicts."""
    rows = {}
    for (r, c), v in grid.items():
        rows.setdefault(r, {})[c] = v
    anchors = sorted(r for (r, c), v in grid.items() if LABELS.get(norm(v)) == "name")
    tables = []
    for n, a in enumerate(anchors):
        end = anchors[n + 1] if n + 1 < len(anchors) else max(rows) + 1
        t = dict(project={}, amounts={}, indicators=[], unit="万元", anchor=a)
        for rr in range(max(0, a - 4), a):
            for c, v in rows.get(rr, {}).items():
                if norm(v).startswith("单位:"):
                    t["unit"] = norm(v)[3:]
        header = None
        fund_seen = 0
        for rr in range(a, end):
            cells = sorted(rows.get(rr, {}).items())
            if any(norm(v) == "三级指标" for _c, v in cells):
                header = rr
                break
            for k, (c, v) in enumerate(cells):
                key = LABELS.get(norm(v))
                if not key:
                    continue
                nxt = cells[k + 1][1] if k + 1 < len(cells) else None
                if nxt is None or is_label(nxt):
                    continue
                if key == "fund_total":
                    key = "own_total" if fund_seen % 2 == 0 else "tr_total"
                    fund_seen += 1
                if key in ("name", "department", "implementing_unit", "attribute", "period"):
                    t["project"][key] = str(nxt)
                elif key == "goal":
                    t["goal"] = str(nxt)
                else:
                    t["amounts"][key] = parse_amount(nxt)
        if header is None:
            continue
        hcells = {norm(v): c for c, v in rows[header].items()}
        national = "指标性质" in hcells
        l1 = l2 = None
        for rr in range(header + 1, end):
            cells = sorted(rows.get(rr, {}).items())
            if not cells:
                break
            texts = [norm(v) for _c, v in cells]
            if any("绩效表" in s or "目标表" in s for s in texts):
                break
            if national:
                get = lambda h: rows[rr].get(hcells[h])
                if get("一级指标") is not None:
                    l1 = norm(get("一级指标"))
                if get("二级指标") is not None:
                    l2 = norm(get("二级指标"))
                prop, val, unit = (str(get("指标性质") or ""), display(get("指标值") or ""), str(get("度量单位") or ""))
                raw = val if prop == "定性" else ("" if prop in ("＝", "=") else prop) + val + unit
                a1, a2 = l1, l2
                if a1 == "成本指标":
                    a1, a2 = "产出指标", "成本指标"
                else:
                    a2 = {v: k for k, v in NATIONAL_L2.items()}.get(a2, a2)
                t["indicators"].append((a1, a2, str(get("三级指标")), raw))
                continue
            rest = []
            for c, v in cells:
                n_ = norm(v)
                if not rest and n_ in LEVEL1 and not (n_ == "成本指标" and l1 == "产出指标"):
                    l1 = n_
                elif not rest and n_ in LEVEL2:
                    l2 = n_
                else:
                    rest.append(v)
            if len(rest) >= 2:
                t["indicators"].append((l1, l2, str(rest[0]), display(rest[1])))
        tables.append(t)
    return tables


def expected_table(t, unit="万元"):
    A = amounts_of(t)
    if unit == "元":
        A = {k: v * 10000 for k, v in A.items()}
    inds = [(i["level1"], i["level2"], i["name"], i["value"]["raw"]) for i in t["indicators"]]
    return dict(project=dict(t["project"]), amounts=A, goal=t["goal"], indicators=inds)


def compare(label, got, exp, errors, national=False, overrides=None):
    p = got["project"]
    for key in ("name", "implementing_unit", "attribute", "period"):
        if norm(p.get(key, "")) != norm(exp["project"][key]):
            errors.append(f"{label}: {key} {p.get(key)!r} != {exp['project'][key]!r}")
    dept = re.sub(r"^\[\d+\]", "", p.get("department", ""))
    if norm(dept) != norm(exp["project"]["department"]):
        errors.append(f"{label}: department {p.get('department')!r}")
    keys = (["total", "annual", "own_fiscal", "own_other", "own_carry"] if national else AMOUNT_KEYS)
    for k in keys:
        if got["amounts"].get(k) != exp["amounts"][k]:
            errors.append(f"{label}: amount {k} {got['amounts'].get(k)} != {exp['amounts'][k]}")
    goal = re.sub(r"</?p>", "", got.get("goal", ""))
    if norm(goal) != norm(exp["goal"]):
        errors.append(f"{label}: goal differs")
    exp_inds = list(exp["indicators"])
    for k, v in (overrides or {}).items():
        exp_inds[k] = exp_inds[k][:3] + (v,)
    if len(got["indicators"]) != len(exp_inds):
        errors.append(f"{label}: {len(got['indicators'])} indicators != {len(exp_inds)}")
    for g_, e_ in zip(got["indicators"], exp_inds):
        if tuple(norm(x) for x in g_) != tuple(norm(x) for x in e_):
            errors.append(f"{label}: indicator {g_} != {e_}")


def openpyxl_sheets(path):
    with open(path, "rb") as f:   # a file object: openpyxl would refuse a .xls name
        wb = load_workbook(io.BytesIO(f.read()), data_only=True)
    out = []
    for ws in wb.worksheets:
        grid = {}
        for (r, c), cell in ws._cells.items():
            v = cell.value
            if v is None or v == "":
                continue
            if isinstance(v, (datetime.datetime, float)) and cell.number_format not in ("General", "0.00", "#,##0.00"):
                v = display(v, cell.number_format)
            grid[(r - 1, c - 1)] = v
        out.append((ws.title, ws.sheet_state, grid))
    return out


def check_file(path, reader, expect, errors, national=False, overrides=None):
    """expect: list of (table index, unit) in reading order."""
    sheets = reader(path)
    found = []
    for sheet in sheets:
        name, grid = sheet[0], sheet[-1]
        if len(sheet) == 3 and sheet[1] != "visible":
            continue
        for t in extract_tables(grid):
            found.append((name, t))
    label = os.path.relpath(path, OUT)
    if len(found) != len(expect):
        errors.append(f"{label}: {len(found)} tables found, {len(expect)} expected")
    total = Decimal(0)
    n_inds = 0
    for (sheet, got), (i, unit) in zip(found, expect):
        if got["unit"] != unit:
            errors.append(f"{label}/{sheet}: unit {got['unit']} != {unit}")
        compare(f"{label}/{sheet}#{i + 1}", got, expected_table(TRUTH[i], unit), errors, national,
                overrides.get(i) if overrides else None)
        a = got["amounts"].get("annual", Decimal(0))
        total += a / 10000 if unit == "元" else a
        n_inds += len(got["indicators"])
    return len(found), n_inds, total


def pyxlsb_sheets(path):
    from pyxlsb import open_workbook
    out = []
    with open_workbook(path) as wb:
        for name in wb.sheets:
            grid = {}
            with wb.get_sheet(name) as ws:
                for row in ws.rows(sparse=True):
                    for cell in row:
                        if cell.v is not None and cell.v != "":
                            grid[(cell.r, cell.c)] = cell.v
            out.append((name, grid))
    return out


def verify(files):
    errors = []
    summary = []
    ALL = [(i, "万元") for i in range(10)]

    def run(name, reader, expect, **kw):
        path = os.path.join(OUT, name)
        before = len(errors)
        n, k, total = check_file(path, reader, expect, errors, **kw)
        summary.append(f"{'OK ' if len(errors) == before else 'BAD'} {name:32s} {reader.__name__:16s} "
                       f"{n:2d} tables {k:3d} indicators {total} 万元")

    run("seed-one-per-sheet.xlsx", openpyxl_sheets, ALL)
    run("seed-one-per-sheet.ods", lo_csv, ALL)
    run("seed-publication.xlsx", openpyxl_sheets, ALL)
    run("seed-publication.xls", lo_csv, ALL)
    run("seed-publication.ods", lo_csv, ALL)
    run("seed-publication.xlsb", lo_csv, ALL)
    try:
        import pyxlsb  # noqa: F401
        run("seed-publication.xlsb", pyxlsb_sheets, ALL)
    except ImportError:
        summary.append("--  seed-publication.xlsb: pyxlsb not installed, skipped")
    run("disguised-xlsx.xls", openpyxl_sheets, ALL)
    run("messy.xlsx", openpyxl_sheets, ALL)
    run("yuan.xlsx", openpyxl_sheets, [(i, "元") for i in YUAN_TABLES])
    run("national.xlsx", openpyxl_sheets, ALL, national=True)
    run("drift-values.xlsx", openpyxl_sheets, [(0, "万元")],
        overrides={0: {DRIFT_DATE_ROW: "2026年12月20日", DRIFT_PERCENT_ROW: "80%"}})
    # specific facts
    wb = load_workbook(os.path.join(OUT, "drift-values.xlsx"), data_only=True)
    ws = wb.active
    if ws["XFD1048576"].value != "x":
        errors.append("drift-values.xlsx: no stray cell at XFD1048576")
    wb = load_workbook(os.path.join(OUT, "messy.xlsx"), data_only=True)
    if not any(c.value == 165.53000000000003 for c in wb[SHORT[3]]._cells.values()):
        errors.append("messy.xlsx: float noise lost")
    wbf = load_workbook(os.path.join(OUT, "messy.xlsx"))
    nformula = sum(1 for ws in wbf.worksheets for c in ws._cells.values()
                   if isinstance(c.value, str) and c.value.startswith("="))
    summary.append(f"    messy.xlsx: {nformula} formula cells, all with cached values")
    wb = load_workbook(os.path.join(OUT, "seed-one-per-sheet.xlsx"))
    states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    if states.get("下拉列表") != "hidden" or "填报说明" not in states:
        errors.append("seed-one-per-sheet.xlsx: extra sheets missing")
    with zipfile.ZipFile(os.path.join(BROKEN, "zip-bomb.xlsx")) as z:
        size = z.getinfo("xl/worksheets/sheet1.xml").file_size
    summary.append(f"    broken/zip-bomb.xlsx: {os.path.getsize(os.path.join(BROKEN, 'zip-bomb.xlsx'))} bytes, "
                   f"sheet1.xml inflates to {size} bytes")
    if size <= 1 << 30 or os.path.getsize(os.path.join(BROKEN, "zip-bomb.xlsx")) >= 2_000_000:
        errors.append("zip-bomb.xlsx: wrong size")
    print("\n".join(summary))
    if errors:
        print(f"\n{len(errors)} MISMATCHES:")
        print("\n".join(errors[:200]))
        raise SystemExit(1)
    print("all samples agree with tests/data/seed-truth.json")


def main():
    assert len(TRUTH) == 10 and sum(len(t["indicators"]) for t in TRUTH) == 131
    assert sum(Decimal(t["funding"]["annual_total"]) for t in TRUTH) == Decimal("920.53")
    only_verify = "--verify" in sys.argv
    if not only_verify:
        one = build_one_per_sheet()
        pub = build_publication()
        build_messy()
        build_yuan()
        build_national()
        build_drift_values()
        shutil.copy(one, os.path.join(OUT, "disguised-xlsx.xls"))
        build_broken(one)
        g = publication_grid()
        make_xlsb.write_xlsb(os.path.join(OUT, "seed-publication.xlsb"), [(g.name, g.values())])
        lo_convert(pub, "xls")
        lo_convert(pub, "ods")
        lo_convert(one, "ods")
    verify(None)


if __name__ == "__main__":
    main()
