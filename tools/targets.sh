#!/bin/sh
# targets.sh: the rules engine's performance targets (docs/design.md, "Targets"), each measured
# by its benchmark with the command design.md gives, reported as the median of the runs against
# the target. Exits 1 when a target is missed, so a slower machine or a slower change shows.
# About 4 minutes on a 2-core machine; run it on a quiet one (`make targets`).
set -eu
GO=${GO:-go}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# metric NAME FILE: every value a benchmark line in FILE reports for NAME
metric() { awk -v m="$1" '/^Benchmark/ { for (i = 4; i <= NF; i++) if ($i == m) print $(i - 1) }' "$2"; }
# median of the numbers on standard input
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# list of the numbers on standard input, comma-separated
list() { paste -sd, - | sed 's/,/, /g'; }

missed=0
# check LABEL VALUE OP LIMIT UNIT RUNS
check() {
	if awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { exit !((op == "<=") ? v <= l : v >= l) }'; then verdict=met; else verdict=MISSED; missed=1; fi
	printf '%-34s median %10s %-8s (target %s %s; runs: %s)  %s\n' "$1" "$2" "$5" "$3" "$4" "$6" "$verdict"
}

echo "targets: in-process decisions (4 runs of 5,000)..." >&2
GOGC=400 $GO test -run '^$' -bench 'Decide$/compiled' -benchtime 5000x -count 4 ./policies/ >"$out/decide"
echo "targets: HTTP pre-check against opa run --server (3 runs of 20,000 each)..." >&2
$GO test -run '^$' -bench PrecheckVsOPA -benchtime 20000x -count 3 ./cmd/roadcheck/ >"$out/http"
echo "targets: submissions at 32 clients (3 runs of 4,000)..." >&2
$GO test -run '^$' -bench 'Submit32$' -benchtime 4000x -count 3 ./cmd/roadcheck/ >"$out/submit"
echo "targets: replay (3 runs in memory, 3 from the embedded store)..." >&2
$GO test -run '^$' -bench Replay -count 3 ./service/ >"$out/replay"
$GO test -run '^$' -bench ReplayFromStore -benchtime 3x -count 3 ./cmd/roadcheck/ >"$out/replaystore"

p50=$(metric p50-ns "$out/decide" | median)
p99=$(metric p99-ns "$out/decide" | median)
check "decision p50 (in-process)" "$(echo "$p50" | awk '{ printf "%.1f", $1 / 1000 }')" "<=" 150 µs \
	"$(metric p50-ns "$out/decide" | awk '{ printf "%.1f\n", $1 / 1000 }' | list)"
check "decision p99 (in-process)" "$(echo "$p99" | awk '{ printf "%.1f", $1 / 1000 }')" "<=" 400 µs \
	"$(metric p99-ns "$out/decide" | awk '{ printf "%.1f\n", $1 / 1000 }' | list)"
check "POST /v1/precheck / opa server" "$(metric ratio "$out/http" | median)" ">=" 3 "x" "$(metric ratio "$out/http" | list)"
check "submission p99, 32 clients" "$(metric p99-ms "$out/submit" | median)" "<=" 50 ms "$(metric p99-ms "$out/submit" | list)"
printf '%-34s median %10s %-8s (runs: %s)\n' "replay, in memory" "$(metric applications/s "$out/replay" | median)" "apps/s" \
	"$(metric applications/s "$out/replay" | list)"
printf '%-34s median %10s %-8s (runs: %s)\n' "replay, from the embedded store" "$(metric applications/s "$out/replaystore" | median)" "apps/s" \
	"$(metric applications/s "$out/replaystore" | list)"
printf '%-34s %s allocations, %s bytes a decision\n' "decision allocations" \
	"$(metric allocs/op "$out/decide" | median)" "$(metric B/op "$out/decide" | median)"
exit "$missed"
