#!/usr/bin/env bash
# `make fuzz-long`: every fuzz target until 10 million executions or
# FUZZ_LONG_SECONDS (default 3600) have passed, whichever comes first,
# without a sanitizer (3-9x the executions per second; `make fuzz-smoke`
# runs them with AddressSanitizer), then its corpus minimised (cargo fuzz
# cmin) and, when the minimised corpus is small (under 512 KiB), copied to
# fuzz/corpora/<target>/ to be committed (fuzz-smoke replays it). Writes
# the results table to fuzz/long-run.md: executions, seconds, coverage
# (libFuzzer's cov and ft), corpus size, crashes.
#
# Environment: FUZZ_LONG_SECONDS, FUZZ_LONG_RUNS (default 10000000),
# FUZZ_TARGETS (a subset, in the order to run), FUZZ_JOBS (default 1: targets
# run one by one; 2 runs two at a time).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
FUZZ_DIR="$ROOT/fuzz"
SECONDS_CAP="${FUZZ_LONG_SECONDS:-3600}"
RUNS="${FUZZ_LONG_RUNS:-10000000}"
LOG_DIR="$FUZZ_DIR/target/fuzz-long-logs"
log() { printf 'fuzz-long: %s\n' "$*" >&2; }

# Build (with and without the sanitizer) and seed the corpora: the smoke
# script does both; one second per target.
FUZZ_SECONDS=1 FUZZ_TARGETS="${FUZZ_TARGETS:-}" scripts/fuzz-smoke.sh >/dev/null
CARGO=(cargo +nightly)
FLAGS=(--fuzz-dir "$FUZZ_DIR" -a -s none)
if [[ -n "${FUZZ_TARGETS:-}" ]]; then
    read -r -a TARGETS <<<"$FUZZ_TARGETS"
else
    mapfile -t TARGETS < <("${CARGO[@]}" fuzz list --fuzz-dir "$FUZZ_DIR")
fi
"${CARGO[@]}" fuzz build "${FLAGS[@]}" >/dev/null 2>&1
mkdir -p "$LOG_DIR" "$FUZZ_DIR/corpora"

# One target: run, minimise, keep the corpus when small; its table row goes
# to $LOG_DIR/<target>.row (rows are assembled when every target is done).
run_target() {
    local t="$1" logf="$LOG_DIR/$1.log" start took rc execs last cov ft result files bytes kept
    local dirs=("$FUZZ_DIR/corpus/$t")
    [[ -d "$FUZZ_DIR/corpora/$t" ]] && dirs+=("$FUZZ_DIR/corpora/$t")
    [[ -d "$FUZZ_DIR/regressions/$t" ]] && dirs+=("$FUZZ_DIR/regressions/$t")
    log "$t: up to $RUNS executions or ${SECONDS_CAP}s"
    start=$(date +%s)
    set +e
    "${CARGO[@]}" fuzz run "${FLAGS[@]}" "$t" "${dirs[@]}" -- -runs="$RUNS" -max_total_time="$SECONDS_CAP" \
        -timeout=30 -print_final_stats=1 >"$logf" 2>&1
    rc=$?
    set -e
    took=$(($(date +%s) - start))
    execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logf" | grep -o '[0-9]*$' | tail -n1 || true)"
    last="$(grep -E '^#[0-9]+' "$logf" | tail -n1 || true)"
    cov="$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)"
    ft="$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)"
    if [[ $rc -ne 0 ]]; then
        result="CRASH (exit $rc; log $logf)"
    else
        result="0"
    fi
    # Minimise the corpus; keep it in the repository when it is small.
    "${CARGO[@]}" fuzz cmin "${FLAGS[@]}" "$t" "$FUZZ_DIR/corpus/$t" >"$LOG_DIR/$t.cmin.log" 2>&1 || true
    files=$(find "$FUZZ_DIR/corpus/$t" -type f | wc -l)
    bytes=$(du -sb "$FUZZ_DIR/corpus/$t" | cut -f1)
    kept="no (over 512 KiB)"
    if [[ $bytes -lt 524288 ]]; then
        rm -rf "$FUZZ_DIR/corpora/$t"
        cp -r "$FUZZ_DIR/corpus/$t" "$FUZZ_DIR/corpora/$t"
        kept="fuzz/corpora/$t"
    fi
    # shellcheck disable=SC2016 # the backquotes are Markdown, not a command
    printf '| `%s` | %s | %s | %s | %s | %s files, %s bytes | %s | %s | %s |\n' "$t" "${execs:-?}" "$took" \
        "${cov:-?}" "${ft:-?}" "$files" "$bytes" "$kept" "$(date -u +%Y-%m-%d)" "$result" >"$LOG_DIR/$t.row"
    log "$t: ${execs:-?} executions in ${took}s, cov ${cov:-?}, ft ${ft:-?}, crashes: $result"
}

# FUZZ_JOBS targets at a time, in the order given (put the slow ones first).
JOBS="${FUZZ_JOBS:-1}"
for t in "${TARGETS[@]}"; do
    rm -f "$LOG_DIR/$t.row"
    while [[ $(jobs -rp | wc -l) -ge $JOBS ]]; do wait -n || true; done
    run_target "$t" &
done
wait

# The table: this run's rows, and the previous table's rows of targets this
# run left out (FUZZ_TARGETS), each with the date it ran.
OUT="$FUZZ_DIR/long-run.md"
crashed=0
rows=()
mapfile -t all < <("${CARGO[@]}" fuzz list --fuzz-dir "$FUZZ_DIR")
for t in "${all[@]}"; do
    if [[ -f "$LOG_DIR/$t.row" ]] && printf '%s\n' "${TARGETS[@]}" | grep -qx "$t"; then
        row="$(cat "$LOG_DIR/$t.row")"
        [[ "$row" == *"| 0 |" ]] || crashed=$((crashed + 1))
    else
        row="$(grep -F "| \`$t\` |" "$OUT" 2>/dev/null || true)"
        [[ -n "$row" ]] || row="| \`$t\` | not run | | | | | | | |"
    fi
    rows+=("$row")
done
{
    echo "# Long fuzzing run"
    echo
    echo "Written by \`scripts/fuzz-long.sh\` (\`make fuzz-long\`) on $(nproc) cores,"
    echo "$("${CARGO[@]}" --version), no sanitizer, debug assertions on; each target until"
    echo "$RUNS executions or ${SECONDS_CAP} s (the time cap counts wall time: targets run"
    echo "$JOBS at a time). cov and ft are libFuzzer's coverage counters (edges, features)"
    echo "at the end of the run."
    echo
    echo "| target | executions | seconds | cov | ft | corpus after cmin | committed | run on | crashes |"
    echo "|---|---:|---:|---:|---:|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
} >"$OUT"
# The same table in fuzz/README.md, between its two markers.
awk -v table="$OUT" '
    /<!-- long-run: begin -->/ { print; while ((getline line < table) > 0) if (line ~ /^\|/) print line; skip = 1; next }
    /<!-- long-run: end -->/ { skip = 0 }
    !skip { print }
' "$FUZZ_DIR/README.md" >"$FUZZ_DIR/README.md.tmp" && mv "$FUZZ_DIR/README.md.tmp" "$FUZZ_DIR/README.md"
log "results in fuzz/long-run.md and fuzz/README.md"
[[ $crashed -eq 0 ]]
