#!/bin/bash
# "make check": build everything and run every test, then print one line
# "N passed, N failed". Each stage prints KTAP/TAP lines ("ok N - ...",
# "not ok N - ..."); this script counts them, so a stage that dies early
# is counted as a failure of its own.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
mkdir -p results
log="$top/results/check.log"
: > "$log"
export CMOCKA_MESSAGE_OUTPUT=TAP

stage_fail=0
stage() {
	local name=$1
	shift
	echo "## $name" | tee -a "$log"
	"$@" 2>&1 | tee -a "$log"
	local rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ]; then
		echo "not ok - stage '$name' exited with status $rc" | tee -a "$log"
		stage_fail=$((stage_fail + 1))
	fi
}

build() {
	make -s all 2>&1 && echo "ok 1 - make all"
}

# style.sh builds the module from clean with W=1 and C=1; "make all" then
# only has the userspace left to build.
stage "kernel style (W=1, sparse, checkpatch)" tools/style.sh
stage "build" build
stage "userspace unit tests" make -s -C userspace test
stage "userspace unit tests (ASan+UBSan)" make -s -C userspace test-sanitize
stage "ike unit tests" make -s -C userspace/ike test
stage "ike unit tests (ASan+UBSan)" make -s -C userspace/ike test-sanitize
stage "fuzz targets, 5 s each (libFuzzer, ASan+UBSan)" make -s -C fuzz check
stage "packages (dpkg-buildpackage, lintian, units, man pages, install, DKMS)" \
	tools/check-packages.sh
stage "esp_forge known-answer test" sh -c 'build/selftests/esp_forge --selftest && echo "ok 1 - esp_forge GCM known answer"'
# Four VM boots (two vCPUs each, so parallel crypto is on throughout):
# the datapath tests, the IKEv2 tests (strongSwan and ikevtid), the IKEv1
# and operations tests (strongSwan, Libreswan, ikevtid, the daemon's
# tooling), and the parallel-crypto test alone, because it ends by
# unloading the module under load and loading it again.
datapath_tests="" ike_tests="" ikev1_tests="" parallel_tests=""
for t in $(sed -n 's/^TEST_PROGS *:= *//p' selftests/ikevti/Makefile); do
	case $t in
	ike_*_v1*.sh|ike_libreswan*|ike_ops.sh) ikev1_tests="$ikev1_tests $t" ;;
	ike_*) ike_tests="$ike_tests $t" ;;
	parallel.sh) parallel_tests="$parallel_tests $t" ;;
	*) datapath_tests="$datapath_tests $t" ;;
	esac
done
stage "kernel selftests in the VM" tools/vm/run.sh --timeout 1500 \
	--out results/vm selftests/ikevti/run_all.sh $datapath_tests
stage "IKEv2 selftests in the VM (strongSwan, ikevtid)" tools/vm/run.sh \
	--timeout 1500 --out results/vm-ike selftests/ikevti/run_all.sh $ike_tests
stage "IKEv1 and operations selftests in the VM (strongSwan, Libreswan, ikevtid)" \
	tools/vm/run.sh --timeout 1800 --out results/vm-ikev1 \
	selftests/ikevti/run_all.sh $ikev1_tests
stage "parallel crypto selftest in the VM" tools/vm/run.sh --timeout 600 \
	--out results/vm-parallel selftests/ikevti/run_all.sh $parallel_tests

# Stage failure lines have no number: count them separately.
passed=$(grep -cE '^ok [0-9]+' "$log" | tr -d ' ')
skipped=$(grep -E '^ok [0-9]+' "$log" | grep -c '# SKIP')
failed=$(grep -cE '^not ok [0-9]+' "$log")
passed=$((passed - skipped))
failed=$((failed + stage_fail))
echo
grep -E '^not ok' "$log" | sed 's/^/FAILED: /'
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
