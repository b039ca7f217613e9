#!/usr/bin/env bash
# Benchmarks jixiao import/convert against the read and write floors and openpyxl (issue 6),
# and `jixiao import --json` against python-calamine's bare cell dump (issue 18).
#
#   benches/run.sh                       # everything: N = 10, 100, 1000; best of 3 runs
#   JIXIAO_BENCH_REPEATS=5 benches/run.sh
#   JIXIAO_BENCH_SIZES=10,100 JIXIAO_BENCH_OPENPYXL=none benches/run.sh   # quick
#   JIXIAO_BENCH_CALLGRIND=none benches/run.sh   # skip the instruction counts (default N=10,100)
#   benches/run.sh pycalamine            # quick: only the python-calamine side by side
#   JIXIAO_BENCH_PYCALAMINE=100,1000 benches/run.sh   # its sizes (default 100; none: skip)
#
# Builds the release binary, makes the corpus once (target/bench-corpus, not committed; delete
# it to regenerate), runs the benchmark (benches/corpus.rs) and writes the report to stdout and
# target/bench-report.md. See BENCHMARKS.md for the results and what they mean.
set -euo pipefail
cd "$(dirname "$0")/.."

# The interpreter itself, not a version manager's shim (pyenv's adds its own start-up, which
# would be counted against python-calamine).
real_python=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')
if ! python3 -c 'import openpyxl' 2>/dev/null; then
    pip install openpyxl
fi
if ! "$real_python" -c 'import python_calamine' 2>/dev/null; then
    "$real_python" -m pip install python-calamine
fi
if [ ! -x /usr/bin/time ]; then
    apt-get install -y time
fi

corpus="${JIXIAO_CORPUS:-$PWD/target/bench-corpus}"
export JIXIAO_CORPUS="$corpus"
python3 benches/make_corpus.py "$corpus"

cargo build --release --bin jixiao

# `jixiao import --json --jobs 1` against python-calamine reading every cell of the same files,
# by process CPU time (least of R interleaved runs), and by instructions (callgrind, N = 10).
side_by_side() {
    local sizes="${JIXIAO_BENCH_PYCALAMINE:-100}"
    [ "$sizes" = none ] && return
    echo "## import --json against python-calamine (CPU s of the whole process, jobs 1)"
    echo
    echo "- python: $("$real_python" --version 2>&1) ($real_python), python-calamine $("$real_python" -c 'import importlib.metadata as m; print(m.version("python-calamine"))'); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    local cg=10
    command -v valgrind >/dev/null || cg=0
    [ "${JIXIAO_BENCH_CALLGRIND:-}" = none ] && cg=0
    "$real_python" benches/side_by_side.py --python "$real_python" --corpus "$corpus" \
        --sizes "$sizes" --repeats "${JIXIAO_BENCH_REPEATS:-7}" --callgrind "$cg"
    echo
    echo "- load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
}

if [ "${1:-}" = pycalamine ]; then
    side_by_side | tee target/bench-pycalamine.md
    echo "report written to target/bench-pycalamine.md" >&2
    exit 0
fi

report="target/bench-report.md"
{
    echo "# jixiao benchmark report"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); commit: $(git rev-parse --short HEAD)$(git diff --quiet -- src || echo ' (+ uncommitted src changes)')"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB RAM; load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- rustc: $(rustc --version); python: $(python3 --version 2>&1), openpyxl $(python3 -c 'import openpyxl; print(openpyxl.__version__)')"
    echo "- command: benches/run.sh (JIXIAO_BENCH_REPEATS=${JIXIAO_BENCH_REPEATS:-3} JIXIAO_BENCH_SIZES=${JIXIAO_BENCH_SIZES:-10,100,1000} JIXIAO_BENCH_OPENPYXL=${JIXIAO_BENCH_OPENPYXL:-10,100})"
    echo
    cargo bench --bench corpus

    # Instruction counts: deterministic, so the ratios hold whatever else runs on the machine.
    callgrind_sizes="${JIXIAO_BENCH_CALLGRIND:-10,100}"
    if command -v valgrind >/dev/null && [ "$callgrind_sizes" != none ]; then
        bench=$(cargo bench --bench corpus --no-run 2>&1 | sed -n 's/.*Executable.*(\(.*\)).*/\1/p' | tail -1)
        echo "## Instructions (callgrind, jobs 1, only inside each contestant's per-file function)"
        echo
        echo "| N | read floor | write floor | import | convert | import ÷ read floor | convert ÷ (read + write floors) |"
        echo "|---:|---:|---:|---:|---:|---:|---:|"
        for n in ${callgrind_sizes//,/ }; do
            declare -A ir=()
            for spec in read-floor:corpus::read_floor write-floor:corpus::write_floor \
                import:jixiao::read::read_file convert:jixiao::write::batch::convert_file; do
                what=${spec%%:*}
                ir[$what]=$(JIXIAO_BENCH_ONE="$what:$n" valgrind --tool=callgrind \
                    --toggle-collect="${spec#*:}" --callgrind-out-file=/dev/null "$bench" 2>&1 \
                    | sed -n 's/.*I *refs: *//p' | tr -d ,)
            done
            awk -v n="$n" -v r="${ir[read-floor]}" -v w="${ir[write-floor]}" -v i="${ir[import]}" \
                -v c="${ir[convert]}" 'BEGIN {
                    m = 1e6 * n
                    printf "| %d | %.1f M/file | %.1f M/file | %.1f M/file | %.1f M/file | %.2f× | %.2f× |\n",
                        n, r / m, w / m, i / m, c / m, i / r, c / (r + w)
                }'
        done
        echo
    fi
    side_by_side
} | tee "$report"
echo "report written to $report" >&2
