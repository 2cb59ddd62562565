#!/bin/bash
# Path MTU over an IPv4 outer network, ikevti to ikevti with AES-GCM-128
# (ESP overhead 20 + 8 + 8 + 16 bytes, 4-byte alignment, 2 trailer
# bytes). A host behind gateway a pings through the tunnel:
#  - a DF inner packet that fits the outer MTU after ESP passes;
#  - one byte more is refused with ICMP frag-needed carrying the MTU the
#    tunnel can take (1446 for a 1500-byte outer path);
#  - without DF it passes, and the outer ESP packet is fragmented;
#  - after "ip route add ... mtu 1300" for the peer, the tunnel follows
#    (1246).
#
#  ns c                  ns a                                      ns b
#  192.168.1.2 == 192.168.1.1  ikevti1 - veth0 10.10.0.1 == veth1 10.10.0.2 - ikevti1 172.16.2.1
. "$(dirname "$0")/lib.sh"

ktap_header 10

add_netns a b c
veth_pair a veth0 10.10.0.1/24 b veth1 10.10.0.2/24
veth_pair c veth2 192.168.1.2/24 a veth3 192.168.1.1/24
for ns in a b c; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.default.disable_ipv6=1
done
ip netns exec a sysctl -qw net.ipv4.ip_forward=1
ip -n c route add default via 192.168.1.1
ip -n a link add ikevti1 type ikevti local 10.10.0.1 remote 10.10.0.2
ip -n b link add ikevti1 type ikevti local 10.10.0.2 remote 10.10.0.1
ip -n b addr add 172.16.2.1/32 dev ikevti1
# The device MTU assumes the worst case (UDP, CBC, SHA-512); raise it so
# that the tunnel's own path MTU logic decides.
for ns in a b; do
	ip -n $ns link set ikevti1 mtu 1500 up
done
ip -n a route add 172.16.2.0/24 dev ikevti1
ip -n b route add 192.168.1.0/24 dev ikevti1

spi_ab=$(rand_spi) spi_ba=$(rand_spi) k_ab=0x$(hex 20) k_ba=0x$(hex 20)
sa() { ip netns exec "$1" "$IKEVTICTL" sa add dev ikevti1 "${@:2}"; }
check "four AES-GCM-128 SAs installed" eval "
	sa a dir out spi $spi_ab enc aes-gcm-128 key $k_ab &&
	sa b dir in  spi $spi_ab enc aes-gcm-128 key $k_ab &&
	sa b dir out spi $spi_ba enc aes-gcm-128 key $k_ba &&
	sa a dir in  spi $spi_ba enc aes-gcm-128 key $k_ba"

# ping_c DF SIZE: one ping from c with DF (do) or without (dont);
# SIZE is the ICMP payload, the IP packet is 28 bytes more.
ping_c() {
	ip netns exec c ping -c 1 -W 2 -M "$1" -s "$2" 172.16.2.1
}

check "DF, 1446-byte inner packet (exactly the tunnel MTU) passes" ping_c do 1418
check_output_has "DF, 1447 bytes: ICMP frag-needed with mtu 1446" \
	'mtu = 1446' sh -c "$(declare -f ping_c); ping_c do 1419; true"
cap=$(mktemp)
capture_start a veth0 "$cap" esp
check "no DF, 1447 bytes passes" ping_c dont 1419
capture_stop
check "the outer ESP packet was fragmented (MF set)" \
	test "$(tcpdump -vnr "$cap" 2>/dev/null | grep -c 'flags \[+\].*proto ESP')" -ge 1
check_eq "no outer ESP packet had DF set" 0 \
	"$(tcpdump -vnr "$cap" 2>/dev/null | grep 'proto ESP' | grep -c 'flags \[DF')"
rm -f "$cap" "$cap.log"

check "outer route to the peer gets mtu 1300" \
	ip -n a route add 10.10.0.2/32 dev veth0 mtu 1300
check "DF, 1246 bytes passes the smaller outer MTU" ping_c do 1218
check_output_has "DF, 1247 bytes: ICMP frag-needed with mtu 1246" \
	'mtu = 1246' sh -c "$(declare -f ping_c); ping_c do 1219; true"
check "no DF, 1447 bytes still passes, fragmented on the outer side" \
	ping_c dont 1419
ktap_finish
