#!/usr/bin/env bash
# Runs every fuzz target in turn, one at a time, for a set time each.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET…]     (default: 300 s, every target)
#
# Seeds (committed, small) are in fuzz/seeds/TARGET; what the fuzzer finds goes to
# fuzz/corpus/TARGET (not committed), crashes to fuzz/artifacts/TARGET. A summary line per
# target (executions, time, result) is appended to fuzz/runs.log. cargo-fuzz passes nightly
# -Z flags, hence RUSTC_BOOTSTRAP=1 on a stable toolchain. Needs `cargo install cargo-fuzz`.
set -uo pipefail
cd "$(dirname "$0")/.."

secs=${1:-300}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(read read_xlsx_parts read_ods_content value amount label)
fi

export RUSTC_BOOTSTRAP=1
# 2 GB RSS and single allocations over 1 GB count as crashes (memory blow-ups); 10 s per input
# counts as a hang.
limits=(-rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10)
status=0
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t" "fuzz/seeds/$t" "fuzz/artifacts/$t"
    log="fuzz/artifacts/$t/last-run.log"
    start=$(date +%s)
    cargo fuzz run "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- "${limits[@]}" -max_total_time="$secs" \
        -print_final_stats=1 >"$log" 2>&1
    rc=$?
    took=$(( $(date +%s) - start ))
    execs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    fuzzed=$(grep -aoE '^Done [0-9]+ runs in [0-9]+ second' "$log" | grep -oE '[0-9]+ second' | grep -oE '[0-9]+')
    result=$([ $rc -eq 0 ] && echo ok || echo "FAILED (rc=$rc, see $log)")
    line="$(date -u +%FT%TZ) $t: ${execs:-?} executions in ${fuzzed:-?}s of fuzzing (${took}s with the build): $result"
    echo "$line" | tee -a fuzz/runs.log
    [ $rc -eq 0 ] || status=1
done
exit $status
