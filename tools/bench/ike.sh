#!/bin/bash
# IKE benchmark: how fast and how lean ikevtid answers as a responder,
# against strongSwan's charon, with the same initiator (ikevtid, one
# ikevti device per tunnel) and the same algorithms, in one VM run.
#
#   tools/bench/ike.sh [-n "100 1000"] [--cases "v2psk v2rsa v1psk"]
#                      [--no-rekey] [--kvm] [--smp N] [--mem M]
#
# Cases: v2psk (IKEv2, PSK), v2rsa (IKEv2, RSA certificates from
# tools/pki/mkpki.sh), v1psk (IKEv1 Main Mode, PSK); all AES-CBC-256,
# SHA-256, group 14 for IKE, AES-CBC-256 + HMAC-SHA-256 for ESP. For each
# N and case it prints the time to bring all N up, handshakes per second,
# the responder's CPU time (utime+stime from /proc/PID/stat) and its RSS
# per established IKE SA (RSS delta / N), and, for v2psk, the time for
# all N IKE SAs to rekey (the initiator's lifetime 120 s: rekeys start at
# 85-90 % of it). It ends with
#   ratio ikevtid/charon handshakes=X.XX rss_per_sa=Y.YY
# over all cases of the largest N (rss: lower is better).
# This is a benchmark, not a test: nothing here passes or fails on speed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
vmargs=(--fast --timeout 3000 --mem 3072) ns="100 1000" cases="v2psk v2rsa v1psk"
rekey=1 accel=tcg
while [ $# -gt 0 ]; do
	case "$1" in
	-n) ns=$2; shift 2 ;;
	--cases) cases=$2; shift 2 ;;
	--no-rekey) rekey=0; shift ;;
	--kvm) vmargs+=(--kvm); accel=kvm; shift ;;
	--smp) vmargs+=(--smp "$2"); shift 2 ;;
	--mem) vmargs+=(--mem "$2"); shift 2 ;;
	*) echo "usage: $0 [-n \"N...\"] [--cases \"v2psk v2rsa v1psk\"] [--no-rekey] [--kvm] [--smp N] [--mem M]" >&2
	   exit 2 ;;
	esac
done
exec "$top/tools/vm/run.sh" "${vmargs[@]}" \
	"BENCH_NS='$ns' BENCH_CASES='$cases' BENCH_REKEY=$rekey BENCH_ACCEL=$accel tools/bench/ike-vm.sh"
