#!/bin/bash
# The demo keyed by hand: the lab of the seed documents inside the test VM,
# with SAs installed by ikevtictl instead of IKE (the module alone). "make
# demo" runs tools/demo/demo.sh, the same lab keyed by ikevtid; this one
# runs with: tools/vm/run.sh tools/demo/demo-manual.sh
#
#  lan1 192.168.100.10 -- R1 192.168.100.1    R2 192.168.200.1 -- lan2 192.168.200.10
#                         R1 192.168.0.1 ==== R2 192.168.0.2   (the "internet")
#                         R1 ikevti1 10.0.0.1 <-> R2 ikevti1 10.0.0.2 (ESP)
#
# The gateways are keyed by hand with ikevtictl (random AES-GCM-256 keys);
# the tunnel, routing and ESP are the real thing. Ends with "DEMO: SUCCESS"
# or "DEMO: FAILURE: reason".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export IP_LIB_DIR="$top/build"
ctl="$top/build/ikevtictl"
hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
fail() { echo "DEMO: FAILURE: $*"; exit 1; }
step() { echo; echo "== $*"; }

step "building the lab: lan1 - R1 - internet - R2 - lan2"
for ns in lan1 r1 r2 lan2; do
	ip netns add $ns && ip -n $ns link set lo up || fail "netns $ns"
	ip netns exec $ns sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.default.disable_ipv6=1
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
ip -n r1 -d link show ikevti1

step "keying both gateways by hand (AES-GCM-256, random keys and SPIs)"
s12=$(ip netns exec r2 "$ctl" spi alloc dev ikevti1) || fail "SPI allocation on R2"
s21=$(ip netns exec r1 "$ctl" spi alloc dev ikevti1) || fail "SPI allocation on R1"
k12=0x$(hex 36) k21=0x$(hex 36)
ip netns exec r1 "$ctl" sa add dev ikevti1 dir out spi $s12 enc aes-gcm-256 key $k12 &&
ip netns exec r2 "$ctl" sa add dev ikevti1 dir in spi $s12 enc aes-gcm-256 key $k12 &&
ip netns exec r2 "$ctl" sa add dev ikevti1 dir out spi $s21 enc aes-gcm-256 key $k21 &&
ip netns exec r1 "$ctl" sa add dev ikevti1 dir in spi $s21 enc aes-gcm-256 key $k21 ||
	fail "SA installation"

step "ping from lan1 (192.168.100.10) to lan2 (192.168.200.10) across the tunnel"
ip netns exec r2 tcpdump -ni wan -c 4 esp 2>/dev/null &
dump=$!
sleep 1
ip netns exec lan1 ping -c 4 -i 0.3 -W 2 192.168.200.10 || fail "no reply across the tunnel"
wait $dump

step "R1: ikevtictl sa list"
ip netns exec r1 "$ctl" sa list
step "R1: ip -s link show ikevti1"
ip -n r1 -s link show ikevti1
echo
echo "lan1 reached lan2 through ikevti ESP, SPIs $s12 / $s21"
echo "DEMO: SUCCESS"
