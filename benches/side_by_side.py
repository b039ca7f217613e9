#!/usr/bin/env python3
"""`jixiao import --json --jobs 1` against python-calamine's bare cell dump, by process CPU time.

Usage:
    python3 benches/side_by_side.py --python REAL_PYTHON [--bin target/release/jixiao]
        [--corpus target/bench-corpus] [--sizes 100] [--repeats 7] [--also NAME=BIN ...]

For each N, every contestant runs on `CORPUS/nN` once per round, R rounds, the order of the
contestants rotated each round (interleaved, so a burst of other work on the shared machine
spoils one run, not one contestant); each run's CPU time is user + sys of the child process
(`os.wait4`), and each contestant's least over the rounds is kept. Outputs go to /dev/null.
Contestants:

- `python-calamine`: `benches/pycalamine_dump.py` under REAL_PYTHON (the interpreter itself, not
  a pyenv shim: the shim's own start-up would be counted against python-calamine);
- `jixiao`: `BIN import --json --jobs 1 DIR`;
- `--also NAME=BIN`: another jixiao binary, same command (an older build, to compare in one run).

The report (markdown, stdout) gives each contestant's least CPU seconds, its ratio to
python-calamine's, wall seconds and peak RSS. Ratios are within one run; see BENCHMARKS.md.

`--callgrind N` (N = 10 by default in run.sh; `0`: skip) also counts each contestant's
instructions with valgrind on 1 file and on N files, whole process: the slope is the
instructions per file, the 1-file count the start-up plus one file. Deterministic, so it
shows what the CPU seconds on a shared machine cannot (a few per cent).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(cmd):
    """Runs cmd with stdout and stderr to /dev/null: (cpu s, wall s, max RSS KiB)."""
    with open(os.devnull, "wb") as null:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=null, stderr=null)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}")
    return ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss


def instructions(cmd):
    """Instructions the whole process of cmd executes (callgrind's I refs)."""
    r = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    m = re.search(r"I\s+refs:\s+([\d,]+)", r.stderr)
    if not m:
        sys.exit(f"no instruction count from valgrind: {' '.join(cmd)}")
    return int(m.group(1).replace(",", ""))


def count_instructions(contestants, corpus, n):
    """Per contestant: instructions on 1 file, on n files, and per file (the slope)."""
    with tempfile.TemporaryDirectory() as one:
        first = sorted(os.listdir(os.path.join(corpus, f"n{n}")))[0]
        os.link(os.path.join(corpus, f"n{n}", first), os.path.join(one, first))
        counts = {}
        for name, cmd in contestants:
            i1 = instructions(cmd(one))
            i_n = instructions(cmd(os.path.join(corpus, f"n{n}")))
            counts[name] = (i1, i_n, (i_n - i1) / (n - 1))
    base = counts["python-calamine"][2]
    print()
    print(f"| contestant | instructions, 1 file | instructions, {n} files | per file "
          f"(slope) | per file × python-calamine's | start-up + 1 file ÷ per file |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (i1, i_n, per) in counts.items():
        print(f"| {name} | {i1 / 1e6:.1f} M | {i_n / 1e6:.1f} M | {per / 1e6:.2f} M | "
              f"{per / base:.2f}× | {i1 / per:.1f} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", required=True, help="the real interpreter (pyenv which python3)")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/jixiao"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "target/bench-corpus"))
    ap.add_argument("--sizes", default="100")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--also", action="append", default=[], metavar="NAME=BIN")
    ap.add_argument("--callgrind", type=int, default=0, metavar="N",
                    help="also count instructions on 1 and N files (valgrind); 0: no")
    a = ap.parse_args()
    if "shims" in a.python.split(os.sep):
        sys.exit(f"{a.python} is a version manager's shim: pass the interpreter itself")

    dump = os.path.join(HERE, "pycalamine_dump.py")
    contestants = [("python-calamine", lambda d: [a.python, dump, d])]
    contestants.append(("jixiao", lambda d: [a.bin, "import", "--json", "--jobs", "1", d]))
    for spec in a.also:
        name, bin_ = spec.split("=", 1)
        contestants.append((name, lambda d, b=bin_: [b, "import", "--json", "--jobs", "1", d]))

    print("| N | contestant | CPU s (least of %d) | × python-calamine | wall s (least) | max RSS MiB |"
          % a.repeats)
    print("|---:|---|---:|---:|---:|---:|")
    for n in [int(s) for s in a.sizes.split(",")]:
        d = os.path.join(a.corpus, f"n{n}")
        for _, cmd in contestants:  # warm the page cache
            run(cmd(d))
        best = {name: (float("inf"), float("inf"), 0) for name, _ in contestants}
        for r in range(a.repeats):
            k = r % len(contestants)
            for name, cmd in contestants[k:] + contestants[:k]:
                cpu, wall, rss = run(cmd(d))
                b = best[name]
                best[name] = (min(b[0], cpu), min(b[1], wall), max(b[2], rss))
        base = best["python-calamine"][0]
        for name, _ in contestants:
            cpu, wall, rss = best[name]
            print(f"| {n} | {name} | {cpu:.3f} | {cpu / base:.2f}× | {wall:.3f} | {rss / 1024:.1f} |")
        sys.stdout.flush()
    if a.callgrind > 1:
        count_instructions(contestants, a.corpus, a.callgrind)


if __name__ == "__main__":
    main()
