#!/usr/bin/env python3
"""The baseline a user would otherwise script: openpyxl merely loading every workbook.

Usage:  python3 benches/openpyxl_load.py FILE...

Prints one line: the wall and the CPU seconds spent in load_workbook() over all files
(interpreter start-up and `import openpyxl` are left out, which favours openpyxl).
"""
import sys
import time

from openpyxl import load_workbook

files = sys.argv[1:]
start, cpu = time.perf_counter(), time.process_time()
for f in files:
    load_workbook(f)
print(f"{time.perf_counter() - start:.6f} {time.process_time() - cpu:.6f}")
