#!/bin/bash
# IPv6 in the tunnel and under it, against an xfrm interface peer with
# AES-GCM-128: 4in6 and 6in6 on one ikevti device with IPv6 endpoints,
# then 6in4 on one with IPv4 endpoints (4in4 is xfrm_interop.sh's). Pings
# both ways, equal packet counters on both sides, a capture of ESP over
# IPv6 with the expected SPIs, hop limit from the device's ttl and traffic
# class from the inner DSCP, and the path MTU: too big with DF (or IPv6)
# is refused with ICMP, small IPv6 and DF-clear IPv4 are fragmented.
#
#  ns ikv                                              ns xfm
#  172.16.1.1     ikevti6 - veth0 2001:db8:1::1 == veth1 2001:db8:1::2 - xfrm1
#  2001:db8:a::1  ikevti4 - veth0 10.10.0.1     == veth1 10.10.0.2       (if_id 42)
#                                                     172.16.2.1, 2001:db8:b::1 (lo)
. "$(dirname "$0")/lib.sh"

A6=2001:db8:1::1 B6=2001:db8:1::2 A4=10.10.0.1 B4=10.10.0.2
I4=172.16.1.1 R4=172.16.2.1 I6=2001:db8:a::1 R6=2001:db8:b::1
ktap_header 32

modprobe -q esp6; modprobe -q xfrm_interface
add_netns ikv xfm
for ns in ikv xfm; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.accept_dad=0
	ip netns exec $ns sysctl -qw net.ipv6.conf.default.accept_dad=0
done
ip link add veth0 netns ikv type veth peer name veth1 netns xfm
ip -n ikv addr add $A6/64 dev veth0 nodad
ip -n xfm addr add $B6/64 dev veth1 nodad
ip -n ikv addr add $A4/24 dev veth0
ip -n xfm addr add $B4/24 dev veth1
ip -n ikv link set veth0 up
ip -n xfm link set veth1 up
ip -n xfm addr add $R4/32 dev lo
ip -n xfm addr add $R6/128 dev lo nodad
ip -n xfm link add xfrm1 type xfrm dev veth1 if_id 42
ip -n xfm link set xfrm1 up
ip -n xfm route add 172.16.1.0/24 dev xfrm1 src $R4
ip -n xfm route add 2001:db8:a::/64 dev xfrm1 src $R6

xfrm() { ip -n xfm xfrm "$@"; }
ikv_sa() { ip netns exec ikv "$IKEVTICTL" sa add dev "$dev" "$@"; }
ikv() { ip netns exec ikv "$@"; }
xfm() { ip netns exec xfm "$@"; }

# ikevti_dev NAME LOCAL REMOTE [options]: the device, inner addresses, routes.
ikevti_dev() {
	local name=$1 l=$2 r=$3
	shift 3
	ip -n ikv link add "$name" type ikevti local "$l" remote "$r" "$@" &&
	ip -n ikv addr add $I4/32 dev "$name" &&
	ip -n ikv addr add $I6/128 dev "$name" nodad &&
	ip -n ikv link set "$name" up &&
	ip -n ikv route add 172.16.2.0/24 dev "$name" &&
	ip -n ikv route add 2001:db8:b::/64 dev "$name"
}

# peer A B (A ikevti, B xfrm): xfrm states for both inner families
# (flag af-unspec leaves the selector family open, otherwise it would be
# the outer one) and any/any policies for both families, on if_id 42.
peer() {
	local a=$1 b=$2 sel
	xfrm state add src "$a" dst "$b" proto esp spi $spi_ab reqid 1 \
		mode tunnel replay-window 64 aead 'rfc4106(gcm(aes))' $k_ab 128 \
		flag af-unspec if_id 42 || return 1
	xfrm state add src "$b" dst "$a" proto esp spi $spi_ba reqid 1 \
		mode tunnel aead 'rfc4106(gcm(aes))' $k_ba 128 flag af-unspec \
		if_id 42 || return 1
	for sel in "src ::/0 dst ::/0" "src 0.0.0.0/0 dst 0.0.0.0/0"; do
		# shellcheck disable=SC2086
		xfrm policy add $sel dir out if_id 42 tmpl src "$b" dst "$a" \
			proto esp reqid 1 mode tunnel &&
		xfrm policy add $sel dir in if_id 42 tmpl src "$a" dst "$b" \
			proto esp reqid 1 mode tunnel || return 1
	done
}

new_keys() {
	spi_ab=$(rand_spi) spi_ba=$(rand_spi)
	k_ab=0x$(hex 20) k_ba=0x$(hex 20)
}

xfrm_packets() { xfrm_state_packets xfm "$@"; }

# icmp_sent COUNTER: ICMP (two words, /proc/net/snmp) or ICMPv6 counter
# of the ikv namespace.
icmp_sent() {
	if [ $# -eq 2 ]; then
		ip netns exec ikv awk -v f="$2" '$1 == "Icmp:" {
			if (!n) { for (i = 2; i <= NF; i++) c[$i] = i; n = 1 }
			else print $c[f] }' /proc/net/snmp
	else
		ip netns exec ikv awk -v f="$1" '$1 == f { print $2 }' /proc/net/snmp6
	fi
}

ping4() { ip netns exec "$1" ping -c 2 -i 0.2 -W 2 "${@:2}"; }
ping6() { ip netns exec "$1" ping -6 -c 2 -i 0.2 -W 2 "${@:2}"; }

# counters LABEL LOCAL REMOTE: what one side sent, the other decapsulated.
# IPv6 on the tunnel sends MLD reports and router solicitations on its
# own timers, so one may cross between the two reads: read both until
# they agree (a lost packet never does) before comparing.
settled() {	# settled CMD1 CMD2: prints "a b" once equal, or after 3 s
	local a b i
	for i in $(seq 15); do
		a=$(eval "$1") b=$(eval "$2")
		[ "$a" = "$b" ] && break
		sleep 0.2
	done
	echo "$a $b"
}

counters() {
	local v
	v=$(settled "sa_counter ikv $dev out $spi_ab packets" "xfrm_packets $2 $3 $spi_ab")
	check_eq "$1: xfrm decapsulated what ikevti sent" "${v% *}" "${v#* }"
	v=$(settled "xfrm_packets $3 $2 $spi_ba" "sa_counter ikv $dev in $spi_ba packets")
	check_eq "$1: ikevti decapsulated what xfrm sent" "${v% *}" "${v#* }"
}

# --- IPv6 outer: 4in6 and 6in6 -------------------------------------------
dev=ikevti6
new_keys
check "create ikevti6 with IPv6 endpoints and ttl 33" \
	ikevti_dev ikevti6 $A6 $B6 ttl 33
# Each receiver's SA before its sender's: a tunnel with IPv6 sends MLD
# reports as soon as it can, and one sent into a missing SA would be
# counted by the sender only.
check "ikevti inbound SA with IPv6 endpoints" \
	ikv_sa dir in spi $spi_ba enc aes-gcm-128 key $k_ba
check "xfrm peer with IPv6 endpoints" peer $A6 $B6
check "ikevti outbound SA with IPv6 endpoints" \
	ikv_sa dir out spi $spi_ab enc aes-gcm-128 key $k_ab
cap=$(mktemp)
capture_start xfm veth1 "$cap" esp
check "4in6: ping ikevti -> xfrm" ping4 ikv -I $I4 $R4
check "4in6: ping xfrm -> ikevti" ping4 xfm -I $R4 $I4
check "6in6: ping ikevti -> xfrm" ping6 ikv -I $I6 $R6
check "6in6: ping xfrm -> ikevti" ping6 xfm -I $R6 $I6
check "6in6: ping with DSCP 0x28" ping6 ikv -Q 0x28 -I $I6 $R6
capture_stop
out=$(tcpdump -vnr "$cap" 2>/dev/null | tr -s '\n ' ' ' | sed 's/IP6 /\nIP6 /g')
check_output_has "capture: ESP over IPv6 $A6 > $B6 with SPI $spi_ab" \
	"$A6 > $B6: ESP\\(spi=$spi_ab," echo "$out"
check_output_has "capture: ESP over IPv6 $B6 > $A6 with SPI $spi_ba" \
	"$B6 > $A6: ESP\\(spi=$spi_ba," echo "$out"
check_output_has "capture: outer hop limit is the device's ttl 33" \
	"hlim 33, next-header ESP.*$A6 > $B6" echo "$out"
check_output_has "capture: outer traffic class carries the inner DSCP 0x28" \
	"class 0x28, .*hlim 33, next-header ESP.*$A6 > $B6" echo "$out"
check_eq "capture: every outer hop limit from ikevti is 33" "" \
	"$(echo "$out" | grep "$A6 > $B6" | grep -v 'hlim 33,')"
rm -f "$cap" "$cap.log"
counters "IPv6 outer" $A6 $B6

# Path MTU: an outer MTU of 1300 leaves 1226 bytes for inner packets.
# Only ikevti's outer route gets it, so the xfrm peer's replies still fit.
ip -n ikv route add $B6/128 dev veth0 mtu lock 1300
ping4 ikv -M do -s 1250 -I $I4 $R4 >/dev/null 2>&1
check_output_has "4in6: DF packet too big gets ICMP frag needed (mtu 1226)" \
	'mtu 1226' ip -n ikv route get $R4
check_output_has "4in6: an ICMP destination unreachable was sent" \
	'^[1-9]' icmp_sent Icmp OutDestUnreachs
check "4in6: DF-clear packet too big is fragmented and gets through" \
	ping4 ikv -M dont -s 1250 -I $I4 $R4
check "6in6: 1248-byte packet (under 1280) is fragmented and gets through" \
	ping6 ikv -M do -s 1200 -I $I6 $R6
ping6 ikv -M do -s 1300 -I $I6 $R6 >/dev/null 2>&1
check_output_has "6in6: packet too big gets ICMPv6 packet too big (mtu 1280)" \
	'mtu 1280' ip -n ikv -6 route get $R6
check_output_has "6in6: an ICMPv6 packet too big was sent" \
	'^[1-9]' icmp_sent Icmp6OutPktTooBigs
ip -n ikv route del $B6/128 dev veth0
counters "IPv6 outer after PMTU" $A6 $B6

# --- IPv4 outer: 6in4 ----------------------------------------------------
xfrm state flush; xfrm policy flush
ip -n ikv link del ikevti6
dev=ikevti4
new_keys
check "create ikevti4 with IPv4 endpoints" ikevti_dev ikevti4 $A4 $B4
# Each receiver's SA before its sender's: a tunnel with IPv6 sends MLD
# reports as soon as it can, and one sent into a missing SA would be
# counted by the sender only.
check "ikevti inbound SA with IPv4 endpoints" \
	ikv_sa dir in spi $spi_ba enc aes-gcm-128 key $k_ba
check "xfrm peer with IPv4 endpoints" peer $A4 $B4
check "ikevti outbound SA with IPv4 endpoints" \
	ikv_sa dir out spi $spi_ab enc aes-gcm-128 key $k_ab
check "6in4: ping ikevti -> xfrm" ping6 ikv -I $I6 $R6
check "6in4: ping xfrm -> ikevti" ping6 xfm -I $R6 $I6
counters "6in4" $A4 $B4
ktap_finish
