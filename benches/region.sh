#!/usr/bin/env bash
# Peak memory and time of import / convert / summary / export at N = 10, 100, 1000, 10000
# files (issue 14): one run each through /usr/bin/time -v, on the corpus of make_corpus.py.
#
#   benches/region.sh                         # N = 10,100,1000,10000
#   JIXIAO_REGION_SIZES=10,100 benches/region.sh
#
# N = 10000 is the 1000 corpus files hard-linked ten times into n10000/k/ (k = 0…9): the same
# bytes read ten times, so the time per file is that of the 1000 files. Release binary only.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${JIXIAO_CORPUS:-$PWD/target/bench-corpus}"
python3 benches/make_corpus.py "$corpus" >/dev/null
if [ ! -d "$corpus/n10000" ]; then
    for k in 0 1 2 3 4 5 6 7 8 9; do
        mkdir -p "$corpus/n10000/$k"
        for f in "$corpus"/n1000/*.xlsx; do ln -f "$f" "$corpus/n10000/$k/"; done
    done
fi
cargo build --release --bin jixiao >/dev/null 2>&1
bin="$PWD/target/release/jixiao"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
sizes="${JIXIAO_REGION_SIZES:-10,100,1000,10000}"
echo "| command | N | wall s | CPU s (user+sys) | CPU ÷ wall | max RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|"
measure() {
    local name="$1" n="$2"
    shift 2
    /usr/bin/time -v -o "$out/time" "$@" >/dev/null 2>"$out/stderr" || true
    awk -v name="$name" -v n="$n" -F': ' '
        /User time/ {u=$2} /System time/ {s=$2} /Maximum resident/ {m=$2}
        /Elapsed \(wall clock\)/ { split($2, p, ":"); w = (length(p) == 3) ? p[1]*3600+p[2]*60+p[3] : p[1]*60+p[2] }
        END { printf "| %s | %d | %.2f | %.2f | %.2f | %.1f |\n", name, n, w, u+s, (u+s)/(w>0?w:1), m/1024 }' "$out/time"
}
for n in ${sizes//,/ }; do
    dir="$corpus/n$n"
    measure "import --json" "$n" sh -c "'$bin' import --json '$dir' > /dev/null"
    measure "import --jsonl" "$n" sh -c "'$bin' import --jsonl '$dir' > /dev/null"
    measure "check --json" "$n" sh -c "'$bin' check --json '$dir' > /dev/null"
    rm -rf "$out/conv"
    measure "convert" "$n" "$bin" convert "$dir" -o "$out/conv"
    rm -rf "$out/conv"
    measure "summary" "$n" "$bin" summary "$dir" -o "$out/汇总.xlsx"
    measure "export" "$n" "$bin" export "$dir" -o "$out/数据.sqlite"
done
