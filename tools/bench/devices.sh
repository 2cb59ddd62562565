#!/bin/bash
# Scale benchmark: create, key (two manual SAs each) and delete N ikevti
# devices in one VM run, with the time of each phase and the kernel
# memory per device (see tools/bench/devices-vm.sh for the output).
#
#   tools/bench/devices.sh [--count N] [--kvm] [--mem MIB]
#
# N defaults to 10000. This is a benchmark, not a test; the selftest
# many_devices.sh runs the same script with 200 devices.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
vmargs=(--fast --timeout 3000) count=10000 accel=tcg mem=4096
while [ $# -gt 0 ]; do
	case "$1" in
	--count) count=$2; shift 2 ;;
	--kvm) vmargs+=(--kvm); accel=kvm; shift ;;
	--mem) mem=$2; shift 2 ;;
	*) echo "usage: $0 [--count N] [--kvm] [--mem MIB]" >&2; exit 2 ;;
	esac
done
if [ "$accel" = kvm ] && [ ! -w /dev/kvm ]; then
	echo "devices.sh: --kvm needs a writable /dev/kvm" >&2
	exit 2
fi
exec "$top/tools/vm/run.sh" "${vmargs[@]}" --mem "$mem" \
	"BENCH_DEVICES=$count BENCH_ACCEL=$accel tools/bench/devices-vm.sh"
