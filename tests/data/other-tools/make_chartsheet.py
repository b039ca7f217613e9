"""Makes chartsheet.xlsx: the seed's ten tables (samples/seed-one-per-sheet.xlsx) with a chart
sheet added by openpyxl, as a department adds a chart of its amounts. The reader must skip the
chart sheet and read the ten tables.

Run from the repository root: python3 tests/data/other-tools/make_chartsheet.py
"""

import datetime
import pathlib

import openpyxl
from openpyxl.chart import BarChart, Reference

root = pathlib.Path(__file__).resolve().parents[3]
wb = openpyxl.load_workbook(root / "samples" / "seed-one-per-sheet.xlsx")
first = wb.worksheets[1]  # 网络安全服务 (the first sheet is 填报说明)
chart = BarChart()
chart.title = "年度资金"
chart.add_data(Reference(first, min_col=3, min_row=5, max_row=7))
sheet = wb.create_chartsheet("资金图表", 1)
sheet.add_chart(chart)
wb.properties.created = datetime.datetime(2026, 1, 1)
wb.properties.modified = datetime.datetime(2026, 1, 1)
wb.save(pathlib.Path(__file__).parent / "chartsheet.xlsx")
