#!/bin/bash
# Run fuzz targets one after the other (the machine's cores are shared)
# and report, per target, libFuzzer's executions and coverage.
#
#   run.sh [--check] --time SECONDS TARGET...
#
# Each target starts from its seed corpus fuzz/corpus/TARGET plus what
# earlier runs found (build/fuzz/corpus/TARGET, where new inputs go) and
# runs for SECONDS. "cov" is libFuzzer's count of covered edges (its
# final "cov:" figure) out of the instrumented edges of the binary.
# Crashes, leaks and UBSan reports are kept in build/fuzz/artifacts/.
# --check prints TAP lines ("ok N - fuzz TARGET: X execs, cov Y", "not
# ok N - ..." on a finding) and exits non-zero when any target failed;
# without it, one summary line per target.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/build/fuzz/bin
check=0 time=60
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=1; shift ;;
	--time) time=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--check] --time S TARGET..." >&2; exit 2; }

# UBSan reports stop the run (the build has -fno-sanitize-recover too).
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1
failed=0 i=0
[ "$check" -eq 1 ] && echo "1..$#"
for t in "$@"; do
	i=$((i + 1))
	work=$top/build/fuzz/corpus/$t art=$top/build/fuzz/artifacts/$t
	log=$top/build/fuzz/logs/$t.log
	mkdir -p "$work" "$art" "$(dirname "$log")"
	cmd=("$bin/$t" -max_total_time="$time" -print_final_stats=1
	     -timeout=30 -rss_limit_mb=4096 -artifact_prefix="$art/"
	     "$work" "$top/fuzz/corpus/$t")
	[ "$check" -eq 1 ] || echo "## ${cmd[*]}"
	"${cmd[@]}" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n1 | cut -d' ' -f2)
	ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -n1 | cut -d' ' -f2)
	edges=$(sed -n 's/.*Loaded 1 modules *(\([0-9]*\) inline 8-bit counters).*/\1/p' "$log" | head -n1)
	corp=$(grep -oE 'corp: [0-9]+' "$log" | tail -n1 | cut -d' ' -f2)
	summary="$t: ${execs:-?} execs (${rate:-?}/s), cov ${cov:-?} of ${edges:-?} edges, ft ${ft:-?}, corpus ${corp:-?}"
	if [ "$rc" -eq 0 ]; then
		if [ "$check" -eq 1 ]; then
			echo "ok $i - fuzz $summary"
		else
			echo "$summary"
		fi
		continue
	fi
	failed=$((failed + 1))
	what=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)[^(]*|runtime error:.*' "$log")
	echo "not ok $i - fuzz $t: exit $rc, ${what:-see $log}"
	grep -E '^(==|SUMMARY|artifact_prefix|Test unit written)|runtime error' "$log" |
		head -n 20 | sed 's/^/# /'
done
exit $((failed > 0))
