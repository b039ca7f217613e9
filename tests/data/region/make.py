#!/usr/bin/env python3
"""Fixtures for tests/it/region.rs, made with openpyxl (not with jixiao's writer).

Run from the crate root:  python3 tests/data/region/make.py

changed-amount.xlsx   samples/seed-one-per-sheet.xlsx with one amount changed: on sheet
                      网络安全服务 (宁夏网络安全服务项目), 财政拨款 C9 45 → 50. Nothing else.
renamed-and-more.xlsx the same seed with: sheet 网信研究 project renamed 网信研究项目 →
                      网信研究课题项目 (B4); on sheet 网络安全服务 indicator E14 (网络安全宣传周项目)
                      1项 → 2项; the sheet 升级改造尾款 removed (its project is gone).
"""
import os
from openpyxl import load_workbook

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
SEED = os.path.join(ROOT, "samples", "seed-one-per-sheet.xlsx")

wb = load_workbook(SEED)
ws = wb["网络安全服务"]
assert ws["C9"].value in (45, "45"), ws["C9"].value
ws["C9"] = 50
wb.save(os.path.join(HERE, "changed-amount.xlsx"))

wb = load_workbook(SEED)
ws = wb["网信研究"]
assert ws["B4"].value == "网信研究项目", ws["B4"].value
ws["B4"] = "网信研究课题项目"
ws = wb["网络安全服务"]
assert ws["E14"].value == "1项", ws["E14"].value
ws["E14"] = "2项"
del wb["升级改造尾款"]
wb.save(os.path.join(HERE, "renamed-and-more.xlsx"))
