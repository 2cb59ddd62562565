#!/bin/bash
# "make demo": the lab of the seed documents, keyed by IKEv2 with
# certificates, inside the test VM.
#
#  lan1 192.168.100.10 -- R1 192.168.100.1    R2 192.168.200.1 -- lan2 192.168.200.10
#                         R1 192.168.0.1 ==== R2 192.168.0.2   (the "internet")
#                         R1 Tunnel1 = ikevti1 10.0.0.1 <-> R2 ikevti1 10.0.0.2
#
# On the host it makes a throwaway PKI (tools/pki/mkpki.sh: CA1 and CA2,
# a certificate from each for R1 and R2; RSA key generation is slow in a
# TCG guest) and boots the VM with itself. In the VM: the four namespaces,
# the tunnel devices, ikevtid on both routers with the IOS-style
# configurations tools/demo/r1.conf.in and r2.conf.in (two trustpoints,
# IKEv2 profile, transform set, ipsec profile, tunnel protection), then
# "show crypto ikev2 sa" and "show crypto ipsec sa" of R1 and a ping from
# LAN to LAN. The last line is "DEMO: SUCCESS" or "DEMO: FAILURE: reason".
#
#   tools/demo/demo.sh            host: PKI, then the VM
#   tools/demo/demo.sh --in-vm [PKI_DIR]    what runs in the VM
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)

if [ "${1:-}" != --in-vm ]; then
	pki=$(mktemp -d /tmp/ikevti-demo-pki.XXXXXX) || exit 1
	trap 'rm -rf "$pki"' EXIT
	echo "== making a test PKI (CA1, CA2, R1, R2) in $pki"
	"$top/tools/pki/mkpki.sh" "$pki" ||
		{ echo "DEMO: FAILURE: tools/pki/mkpki.sh failed"; exit 1; }
	"$top/tools/vm/run.sh" --timeout 120 tools/demo/demo.sh --in-vm "$pki"
	rc=$?
	# The VM's output already ends with the DEMO line, except when the VM
	# itself failed.
	[ $rc -eq 0 ] || [ $rc -eq 1 ] || echo "DEMO: FAILURE: the VM run ended with status $rc"
	exit $rc
fi

export IP_LIB_DIR="$top/build"
ctl="$top/build/ikevtictl"
ikevtid="$top/build/ikevtid"
work=$(mktemp -d /tmp/ikevti-demo.XXXXXX)
pki=${2:-$work/pki}
step() { echo; echo "== $*"; }
fail() {
	local r
	for r in r1 r2; do
		if [ -s "$work/$r.log" ]; then
			echo "-- ikevtid log of ${r^^} (last lines):"
			tail -n 15 "$work/$r.log"
		fi
	done
	echo "DEMO: FAILURE: $*"
	exit 1
}
cleanup() {
	local p
	for p in $(jobs -p); do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

[ -x "$ikevtid" ] || fail "build/ikevtid is missing (run make)"
if [ ! -s "$pki/r2-ca2.pem" ]; then
	step "making a test PKI in the VM (tools/pki/mkpki.sh)"
	"$top/tools/pki/mkpki.sh" "$pki" || fail "tools/pki/mkpki.sh failed"
fi

step "building the lab: lan1 - R1 - internet - R2 - lan2"
for ns in lan1 r1 r2 lan2; do
	ip netns add $ns && ip -n $ns link set lo up || fail "netns $ns"
	ip netns exec $ns sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add eth0 netns lan1 type veth peer name lan netns r1
ip link add wan netns r1 type veth peer name wan netns r2
ip link add lan netns r2 type veth peer name eth0 netns lan2
ip -n lan1 addr add 192.168.100.10/24 dev eth0
ip -n r1 addr add 192.168.100.1/24 dev lan
ip -n r1 addr add 192.168.0.1/24 dev wan
ip -n r2 addr add 192.168.0.2/24 dev wan
ip -n r2 addr add 192.168.200.1/24 dev lan
ip -n lan2 addr add 192.168.200.10/24 dev eth0
for l in "lan1 eth0" "r1 lan" "r1 wan" "r2 wan" "r2 lan" "lan2 eth0"; do
	set -- $l; ip -n $1 link set $2 up
done
ip -n lan1 route add default via 192.168.100.1
ip -n lan2 route add default via 192.168.200.1

step "creating the tunnel interfaces (ip link add ... type ikevti)"
ip -n r1 link add ikevti1 type ikevti local 192.168.0.1 remote 192.168.0.2 || fail "ip link add on R1"
ip -n r2 link add ikevti1 type ikevti local 192.168.0.2 remote 192.168.0.1 || fail "ip link add on R2"
ip -n r1 addr add 10.0.0.1/30 dev ikevti1
ip -n r2 addr add 10.0.0.2/30 dev ikevti1
ip -n r1 link set ikevti1 up
ip -n r2 link set ikevti1 up
ip -n r1 route add 192.168.200.0/24 dev ikevti1
ip -n r2 route add 192.168.100.0/24 dev ikevti1

step "starting ikevtid on R1 and R2 (tools/demo/r1.conf.in, r2.conf.in)"
for r in r1 r2; do
	sed "s|@PKI@|$pki|g" "$top/tools/demo/$r.conf.in" > "$work/$r.conf"
	"$ikevtid" -t -f "$work/$r.conf" > "$work/$r.check" 2>&1 ||
		{ cat "$work/$r.check"; fail "configuration of ${r^^} refused"; }
	ip netns exec $r "$ikevtid" -f "$work/$r.conf" -S "$work/$r.sock" \
		> "$work/$r.log" 2>&1 &
done
sed -n '/crypto ikev2 profile/,/^!/p' "$work/r1.conf"
for r in r1 r2; do
	for i in $(seq 100); do
		grep -q "ikevtid: ready" "$work/$r.log" && [ -S "$work/$r.sock" ] && break
		sleep 0.1
	done
	grep -q "ikevtid: ready" "$work/$r.log" || fail "ikevtid on ${r^^} did not start"
done

step "waiting for the IKEv2 SA and the IPsec SAs (certificates, CA1/CA2)"
r1ctl() { ip netns exec r1 "$ctl" -S "$work/r1.sock" "$@"; }
up() {
	r1ctl -j show crypto ikev2 sa 2>/dev/null | grep -q '"state": *"READY"' &&
	r1ctl -j show crypto ipsec sa 2>/dev/null | grep -q '"state": *"ACTIVE"' &&
	ip -n r1 link show ikevti1 | grep -q LOWER_UP
}
for i in $(seq 300); do
	up && break
	sleep 0.1
done
up || fail "no IKEv2 SA between R1 and R2 within 30 s"

step "R1# show crypto ikev2 sa"
r1ctl show crypto ikev2 sa || fail "show crypto ikev2 sa"
step "R1# show crypto ipsec sa"
r1ctl show crypto ipsec sa || fail "show crypto ipsec sa"

step "ping from lan1 (192.168.100.10) to lan2 (192.168.200.10) across the tunnel"
ip netns exec r2 tcpdump -ni wan -c 4 -l esp > "$work/esp" 2> "$work/esp.err" &
dump=$!
for i in $(seq 50); do
	grep -q "listening on" "$work/esp.err" && break
	sleep 0.1
done
ip netns exec lan1 ping -c 4 -i 0.3 -W 2 192.168.200.10 || fail "no reply across the tunnel"
for i in $(seq 30); do
	[ "$(wc -l < "$work/esp")" -ge 4 ] && break
	sleep 0.1
done
kill "$dump" 2>/dev/null
cat "$work/esp"
grep -q "ESP(spi=" "$work/esp" || fail "no ESP seen between R1 and R2"

step "R1: ip -s link show ikevti1"
ip -n r1 -s link show ikevti1
echo
echo "DEMO: SUCCESS"
