#!/usr/bin/env python3
"""python-calamine's bare cell dump: the baseline `jixiao import --json` is held to (issue 18).

Usage:  python3 benches/pycalamine_dump.py DIR_OR_FILE...     (prints the count of rows read)

Opens each workbook (`.xlsx` files found under the directories, sorted by path, as `jixiao
import DIR` orders them) with python-calamine and reads every cell of every sheet into Python
values (`to_python()`): every cell parsed and handed over once, nothing understood, nothing
printed but the count of rows. `benches/side_by_side.py` runs it against `jixiao import
--json --jobs 1` on the same files, by process CPU time; run it with the real interpreter
(`pyenv which python3`), not a version manager's shim, whose own start-up would be counted.
"""
import os
import sys

from python_calamine import CalamineWorkbook


def files(args):
    out = []
    for a in args:
        if os.path.isdir(a):
            for root, _dirs, names in os.walk(a):
                out.extend(os.path.join(root, n) for n in names if n.endswith(".xlsx"))
        else:
            out.append(a)
    return sorted(out)


def main():
    rows = 0
    for path in files(sys.argv[1:]):
        wb = CalamineWorkbook.from_path(path)
        for name in wb.sheet_names:
            rows += len(wb.get_sheet_by_name(name).to_python())
    print(rows, "rows")


if __name__ == "__main__":
    main()
