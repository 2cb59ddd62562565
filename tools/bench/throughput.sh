#!/bin/bash
# Throughput benchmark: ikevti against the kernel's xfrm (an xfrm
# interface) and WireGuard, on the same veth pair, in one VM run, plus the
# crypto API's raw AEAD speed (tcrypt) as the upper bound.
#
#   tools/bench/throughput.sh [--kvm] [--smp N] [--time S] [--ikevti-args A]
#
# --kvm needs /dev/kvm; --ikevti-args are insmod parameters (parallel=0).
#
# Prints a table and ends with the line
#   ratio ikevti/xfrm 1flow=X.XX 4flow=Y.YY ikevti/wireguard 4flow=Z.ZZ ikevti/tcrypt 1flow=W.WW
# This is a benchmark, not a test: nothing here passes or fails on speed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
vmargs=(--fast --timeout 900) secs=5 accel=tcg
while [ $# -gt 0 ]; do
	case "$1" in
	--kvm) vmargs+=(--kvm); accel=kvm; shift ;;
	--ikevti-args) vmargs+=(--module-args "$2"); shift 2 ;;
	--smp) vmargs+=(--smp "$2"); shift 2 ;;
	--time) secs=$2; shift 2 ;;
	*) echo "usage: $0 [--kvm] [--smp N] [--time S] [--ikevti-args A]" >&2; exit 2 ;;
	esac
done
if [ "$accel" = kvm ] && [ ! -w /dev/kvm ]; then
	echo "throughput.sh: --kvm needs a writable /dev/kvm" >&2
	exit 2
fi
exec "$top/tools/vm/run.sh" "${vmargs[@]}" \
	"BENCH_SECS=$secs BENCH_ACCEL=$accel tools/bench/throughput-vm.sh"
