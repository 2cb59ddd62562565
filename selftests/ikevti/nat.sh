#!/bin/bash
# NAT traversal (RFC 3948): ikevti against the kernel's own xfrm with
# "encap espinudp", the xfrm peer behind a masquerading router, over an
# IPv4 and an IPv6 outer network. Pings both ways, a capture of the UDP
# 4500 ESP (zero checksum over IPv4, a valid one over IPv6), equal
# counters, a NAT keepalive while idle, the NAT changing its port over
# either outer (the peer floats and a NEW_MAPPING event is raised), and
# malformed or mismatched UDP-encapsulated packets dropped and counted.
#
#  ns ikv (public)                 ns nat (masquerade)           ns xfm (private)
#  ikevti4 172.16.1.1                                            172.16.2.1 (lo)
#  ikevti6 172.16.3.1                                            172.16.4.1 (lo)
#  veth0 10.10.0.1     == veth1 10.10.0.2   veth2 192.168.0.1 == veth3 192.168.0.2
#        fd00:a::1              fd00:a::2         fd00:b::1            fd00:b::2
#  encap_holder :4500                                          encap_holder :4500
. "$(dirname "$0")/lib.sh"

HOLDER="$top/build/selftests/encap_holder"
ktap_header 42

modprobe -q esp4; modprobe -q esp6
add_netns ikv nat xfm
veth_pair ikv veth0 10.10.0.1/24 nat veth1 10.10.0.2/24
veth_pair nat veth2 192.168.0.1/24 xfm veth3 192.168.0.2/24
ip -n ikv addr add fd00:a::1/64 dev veth0 nodad
ip -n nat addr add fd00:a::2/64 dev veth1 nodad
ip -n nat addr add fd00:b::1/64 dev veth2 nodad
ip -n xfm addr add fd00:b::2/64 dev veth3 nodad
ip netns exec nat sysctl -qw net.ipv4.ip_forward=1
ip netns exec nat sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n xfm route add default via 192.168.0.1
ip -n xfm -6 route add default via fd00:b::1
# No link-local chatter from the tunnels into the captures.
ip netns exec ikv sysctl -qw net.ipv6.conf.default.disable_ipv6=1
# Software UDP checksums on ikevti's side, so the capture shows them.
ip netns exec ikv ethtool -K veth0 tx off >/dev/null 2>&1

# The NAT maps the private peer to one public port at a time:
# nat_port PORT [PORT6], the IPv6 side to PORT6 where given.
nat_port() {
	ip netns exec nat nft -f - <<-EOF
	flush ruleset
	table inet nat {
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "veth1" ip saddr 192.168.0.0/24 udp sport 4500 masquerade to :$1
			oifname "veth1" ip6 saddr fd00:b::/64 udp sport 4500 masquerade to :${2:-$1}
		}
	}
	EOF
}
check "nftables masquerades the private side to port 40001" nat_port 40001

for ns in ikv xfm; do
	ip netns exec $ns "$HOLDER" > "/tmp/holder.$ns.$$" 2>&1 &
done
check "encap holders listen on UDP 4500 in ikv and xfm" \
	wait_for 5 sh -c "grep -q ready /tmp/holder.ikv.$$ && grep -q ready /tmp/holder.xfm.$$"
rm -f /tmp/holder.*.$$

ikv() { ip netns exec ikv "$IKEVTICTL" "$@"; }
xfrm() { ip -n xfm xfrm "$@"; }

# setup_family DEV PUB_IKV PUB_NAT PRIV_XFM NA NB IN_IKV IN_XFM GW
# An ikevti device and the xfrm peer for one outer family; GW, the xfrm
# side's gateway, is unquoted on purpose: it may be "inet6 ADDR".
setup_family() {
	local dev=$1 a=$2 n=$3 b=$4 na=$5 nb=$6 ia=$7 ib=$8
	spi_ab=$(rand_spi) spi_ba=$(rand_spi)
	local k_ab=0x$(hex 20) k_ba=0x$(hex 20)
	ip -n ikv link add $dev type ikevti local $a remote $n &&
	ip -n ikv addr add $ia/32 dev $dev &&
	ip -n ikv link set $dev up &&
	ip -n ikv route add $nb dev $dev &&
	ip -n xfm addr add $ib/32 dev lo &&
	ip -n xfm route add $na via $9 src $ib &&
	xfrm state add src $a dst $b proto esp spi $spi_ab reqid 1 mode tunnel \
		replay-window 64 aead 'rfc4106(gcm(aes))' $k_ab 128 \
		encap espinudp 4500 4500 0.0.0.0 sel src $na dst $nb &&
	xfrm state add src $b dst $a proto esp spi $spi_ba reqid 1 mode tunnel \
		aead 'rfc4106(gcm(aes))' $k_ba 128 encap espinudp 4500 4500 0.0.0.0 \
		sel src $nb dst $na &&
	xfrm policy add src $nb dst $na dir out tmpl src $b dst $a proto esp reqid 1 mode tunnel &&
	xfrm policy add src $na dst $nb dir in tmpl src $a dst $b proto esp reqid 1 mode tunnel &&
	ikv sa add dev $dev dir out spi $spi_ab enc aes-gcm-128 key $k_ab \
		encap 4500 40001 &&
	ikv sa add dev $dev dir in spi $spi_ba enc aes-gcm-128 key $k_ba \
		encap 4500 40001 allow-float
}

xfrm_packets() {
	ip -n xfm -s xfrm state get src "$1" dst "$2" proto esp spi "$3" |
		sed -n 's/.* \([0-9]*\)(packets).*/\1/p' | head -n1
}

xfrm_errors() {
	ip netns exec xfm awk '/XfrmInStateProtoError|XfrmInNoStates|XfrmInStateSeqError|XfrmInStateMismatch/ { s += $2 } END { print s + 0 }' /proc/net/xfrm_stat
}

# family_checks LABEL DEV A N B IA IB CSUM_RE: traffic, capture, counters.
family_checks() {
	local label=$1 dev=$2 a=$3 n=$4 b=$5 ia=$6 ib=$7 csum=$8 cap
	cap=$(mktemp)
	capture_start ikv veth0 "$cap" udp port 4500 or udp port 40001
	# The private side speaks first: that creates the NAT mapping.
	check "$label: ping xfrm (behind NAT) -> ikevti" \
		ip netns exec xfm ping -c 3 -i 0.2 -W 2 -I $ib $ia
	check "$label: ping ikevti -> xfrm (behind NAT)" \
		ip netns exec ikv ping -c 3 -i 0.2 -W 2 -I $ia $ib
	capture_stop
	tcpdump -vvnr "$cap" 2>/dev/null > "$cap.txt"
	check_eq "$label: 6 ESP-in-UDP packets sent from $a.4500 to $n.40001" 6 \
		"$(grep -A1 "$a.4500 > $n.40001" "$cap.txt" | grep -c "UDP-encap: ESP(spi=$spi_ab")"
	check_eq "$label: 6 ESP-in-UDP packets received from $n.40001" 6 \
		"$(grep -A1 "$n.40001 > $a.4500" "$cap.txt" | grep -c "UDP-encap: ESP(spi=$spi_ba")"
	check_eq "$label: ikevti's UDP checksum: $csum" 6 \
		"$(grep "$a.4500 > $n.40001" "$cap.txt" | grep -c -- "$csum")"
	rm -f "$cap" "$cap.log" "$cap.txt"
	check_eq "$label: xfrm decapsulated what ikevti sent" \
		"$(ikv_counter $dev out $spi_ab packets)" "$(xfrm_packets $a $b $spi_ab)"
	check_eq "$label: ikevti decapsulated what xfrm sent" \
		"$(xfrm_packets $b $a $spi_ba)" "$(ikv_counter $dev in $spi_ba packets)"
	check_eq "$label: no xfrm input errors" 0 "$(xfrm_errors)"
}
ikv_counter() { sa_counter ikv "$1" "$2" "$3" "$4"; }

check "IPv4 outer: ikevti and xfrm SAs with UDP encapsulation installed" \
	setup_family ikevti4 10.10.0.1 10.10.0.2 192.168.0.2 172.16.1.0/24 \
		172.16.2.0/24 172.16.1.1 172.16.2.1 192.168.0.1
spi4_ab=$spi_ab spi4_ba=$spi_ba
check_output_has "sa show reports the encap ports" \
	'encap udp sport 4500 dport 40001' \
	ikv sa show dev ikevti4 dir out spi $spi_ab
family_checks "IPv4 outer" ikevti4 10.10.0.1 10.10.0.2 192.168.0.2 \
	172.16.1.1 172.16.2.1 "no cksum"

check "IPv6 outer: ikevti and xfrm SAs with UDP encapsulation installed" \
	setup_family ikevti6 fd00:a::1 fd00:a::2 fd00:b::2 172.16.3.0/24 \
		172.16.4.0/24 172.16.3.1 172.16.4.1 "inet6 fd00:b::1"
spi6_ab=$spi_ab spi6_ba=$spi_ba
family_checks "IPv6 outer" ikevti6 fd00:a::1 fd00:a::2 fd00:b::2 \
	172.16.3.1 172.16.4.1 "udp sum ok"

# Keepalives: a new outbound SA that asks for one after 5 idle seconds.
# Only now: a keepalive reaching the NAT before the private side spoke
# would take the public port the NAT wants to map the peer to.
spi_k=$(rand_spi)
check "an outbound SA with nat-keepalive 5 becomes TX" sh -c \
	"ip netns exec ikv $IKEVTICTL sa add dev ikevti4 dir out spi $spi_k \
		enc aes-gcm-128 key 0x$(hex 20) encap 4500 40001 nat-keepalive 5 &&
	 ip netns exec ikv $IKEVTICTL sa tx dev ikevti4 spi $spi_k"
check_output_has "sa show -j reports nat_keepalive 5" '"nat_keepalive":5' \
	ikv -j sa show dev ikevti4 dir out spi $spi_k
cap=$(mktemp)
capture_start ikv veth0 "$cap" "ip and udp src port 4500 and udp[8] = 0xff and udp[4:2] = 9"
sleep 7
capture_stop
check "a 1-byte 0xFF NAT keepalive went out while the tunnel was idle" \
	test "$(tcpdump -nr "$cap" 2>/dev/null | grep -c '10.10.0.1.4500 > 10.10.0.2.40001')" -ge 1
rm -f "$cap" "$cap.log"
ikv sa tx dev ikevti4 spi $spi4_ab

# The NAT forgets its mapping and picks another port: the peer floats.
spi_ab=$spi4_ab spi_ba=$spi4_ba
ev=$(mktemp)
ip netns exec ikv "$IKEVTICTL" -j monitor count 1 timeout 20 > "$ev" 2>&1 &
mon=$!
sleep 0.5
nat_port 40002
ip netns exec nat conntrack -F >/dev/null 2>&1
ip netns exec xfm ping -c 2 -i 0.3 -W 1 -I 172.16.2.1 172.16.1.1 >/dev/null 2>&1
wait $mon
check_output_has "NEW_MAPPING event names the new port 40002" \
	"\"event\":\"new-mapping\".*\"spi\":\"$(printf '0x%08x' $spi4_ba)\".*\"remote\":\"10.10.0.2\",\"sport\":4500,\"dport\":40002" \
	cat "$ev"
rm -f "$ev"
check_output_has "ikevti's outbound SA now sends to port 40002" \
	'dport 40002' ikv sa show dev ikevti4 dir out spi $spi4_ab
check "traffic continues both ways after the float" sh -c \
	'ip netns exec xfm ping -c 3 -i 0.2 -W 2 -I 172.16.2.1 172.16.1.1 &&
	 ip netns exec ikv ping -c 3 -i 0.2 -W 2 -I 172.16.1.1 172.16.2.1'

# The same over the IPv6 outer: the NAT66 mapping goes (only IPv6's
# conntrack entries, so IPv4 stays on 40002) and the next one is 40003.
ev=$(mktemp)
ip netns exec ikv "$IKEVTICTL" -j monitor count 1 timeout 20 > "$ev" 2>&1 &
mon=$!
sleep 0.5
nat_port 40002 40003
ip netns exec nat conntrack -D -f ipv6 >/dev/null 2>&1
ip netns exec xfm ping -c 2 -i 0.3 -W 1 -I 172.16.4.1 172.16.3.1 >/dev/null 2>&1
wait $mon
check_output_has "IPv6 outer: NEW_MAPPING event names fd00:a::2 port 40003" \
	"\"event\":\"new-mapping\".*\"ifname\":\"ikevti6\".*\"spi\":\"$(printf '0x%08x' $spi6_ba)\".*\"remote\":\"fd00:a::2\",\"sport\":4500,\"dport\":40003" \
	cat "$ev"
rm -f "$ev"
check_output_has "IPv6 outer: ikevti's outbound SA now sends to port 40003" \
	'dport 40003' ikv sa show dev ikevti6 dir out spi $spi6_ab
cap=$(mktemp)
capture_start ikv veth0 "$cap" ip6 and udp port 4500
check "IPv6 outer: traffic continues both ways after the float" sh -c \
	'ip netns exec xfm ping -c 3 -i 0.2 -W 2 -I 172.16.4.1 172.16.3.1 &&
	 ip netns exec ikv ping -c 3 -i 0.2 -W 2 -I 172.16.3.1 172.16.4.1'
capture_stop
tcpdump -vvnr "$cap" 2>/dev/null > "$cap.txt"
check_eq "IPv6 outer: 6 ESP-in-UDP packets sent to fd00:a::2.40003, none to 40001" "6 0" \
	"$(grep -A1 "fd00:a::1.4500 > fd00:a::2.40003" "$cap.txt" | grep -c "UDP-encap: ESP(spi=$spi6_ab") $(grep -c "fd00:a::1.4500 > fd00:a::2.40001" "$cap.txt")"
check_eq "IPv6 outer: ikevti's UDP checksum after the float: udp sum ok" 6 \
	"$(grep "fd00:a::1.4500 > fd00:a::2.40003" "$cap.txt" | grep -c "udp sum ok")"
rm -f "$cap" "$cap.log" "$cap.txt"

# Malformed and mismatched UDP-encapsulated ESP, forged from the NAT's
# public address to two more inbound SAs of ikevti4: an encapsulated one
# (no float) and a plain one.
spi_e=$(rand_spi) spi_p=$(rand_spi) k_f=0x$(hex 20)
ikv sa add dev ikevti4 dir in spi $spi_e enc aes-gcm-128 key $k_f encap 4500 40001
ikv sa add dev ikevti4 dir in spi $spi_p enc aes-gcm-128 key $k_f
forge() {	# forge SPI SEQ MANGLE [options]
	ip netns exec nat "$ESP_FORGE" --src 10.10.0.2 --dst 10.10.0.1 \
		--spi "$1" --key "$k_f" --inner-src 172.16.2.1 \
		--inner-dst 172.16.1.1 --seq "$2" --mangle "$3" "${@:4}" &&
	sleep 0.3
}
# expect SPI COUNTER DELTA DESC forge-args...
expect() {
	local spi=$1 name=$2 delta=$3 desc=$4 before after
	shift 4
	before=$(ikv_counter ikevti4 in "$spi" "$name")
	forge "$spi" "$@" > "$ktap_log" 2>&1
	after=$(ikv_counter ikevti4 in "$spi" "$name")
	check_eq "$desc ($name +$delta)" "$delta" "$(( ${after:-0} - ${before:-0} ))"
}
ev=$(mktemp)
ip netns exec ikv "$IKEVTICTL" -j monitor count 1 timeout 10 > "$ev" 2>&1 &
mon=$!
sleep 0.5
expect $spi_e packets 1 "a valid forged ESP-in-UDP packet is decapsulated" 1 none --udp 4600:4500
wait $mon
check_output_has "...and, from another port, raises NEW_MAPPING (port 4600)" \
	"\"event\":\"new-mapping\".*\"dport\":4600" cat "$ev"
rm -f "$ev"
check_output_has "without allow-float the SA keeps its peer port" \
	'dport 40001' ikv sa show dev ikevti4 dir in spi $spi_e
# xfrm4_udp_encap_rcv() itself drops UDP payloads shorter than an IP
# header: 24 bytes reach ikevti, and are still too short for ESP.
expect $spi_e bad_length 1 "a truncated ESP-in-UDP packet is counted" 2 truncate --truncate-len 24 --udp 4600:4500
expect $spi_e auth_fail 1 "a bad ICV in UDP fails authentication" 3 icv --udp 4600:4500
expect $spi_e encap_mismatch 1 "plain ESP to an encapsulated SA is a mismatch" 4 none
expect $spi_p encap_mismatch 1 "ESP-in-UDP to a plain SA is a mismatch" 1 none --udp 4600:4500
expect $spi_p packets 1 "plain ESP to the plain SA still works" 2 none
check "the tunnel still passes traffic after the bad input" sh -c \
	'ip netns exec xfm ping -c 2 -i 0.2 -W 2 -I 172.16.2.1 172.16.1.1 &&
	 ip netns exec ikv ping -c 2 -i 0.2 -W 2 -I 172.16.1.1 172.16.2.1'
check_fails "nat-keepalive is refused on an inbound SA" \
	ikv sa add dev ikevti4 dir in spi $(rand_spi) enc aes-gcm-128 key $k_f encap 4500 4500 nat-keepalive 10
ktap_finish
