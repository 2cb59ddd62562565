#!/bin/bash
# Run the selftests of this directory named as arguments, or every one of
# TEST_PROGS (inside the test VM), and print their KTAP output one after
# the other. The overall status is non-zero when any test failed or could
# not run.
dir=$(cd "$(dirname "$0")" && pwd)
tests=${*:-$(sed -n 's/^TEST_PROGS *:= *//p' "$dir/Makefile")}
timeout_s=$(sed -n 's/^timeout=//p' "$dir/settings")
status=0
for t in $tests; do
	echo "# selftest: $t"
	timeout -k 5 "${timeout_s:-300}" bash "$dir/$t"
	rc=$?
	case $rc in
	0) ;;
	4) echo "# $t: skipped" ;;
	*) echo "# $t: exit status $rc"; status=1 ;;
	esac
	# A test must not leave anything behind for the next one.
	for ns in $(ip netns list | cut -d' ' -f1); do ip netns del "$ns"; done
done
exit $status
