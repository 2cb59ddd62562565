#!/bin/bash
# NAT mapping changes (RFC 3948, RFC 7296 2.23) follow only the peer's
# newest packet: an authenticated ESP-in-UDP packet from a new port
# moves the peer (allow-float) and raises NEW_MAPPING only when its
# sequence number advanced the replay window. An older one that is
# still new to the window (a capture delayed or resent from elsewhere)
# is delivered, but moves nothing and raises no event.
#
#  ns ikv: veth0 10.10.0.1, ikevti4 172.16.1.1, encap_holder :4500
#  ns pub: veth1 10.10.0.2, esp_forge sends valid ESP-in-UDP
. "$(dirname "$0")/lib.sh"

HOLDER="$top/build/selftests/encap_holder"
ktap_header 12
add_netns ikv pub
veth_pair ikv veth0 10.10.0.1/24 pub veth1 10.10.0.2/24
ip netns exec ikv sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ikv() { ip netns exec ikv "$IKEVTICTL" "$@"; }

spi_in=$(rand_spi) spi_out=$(rand_spi) k=0x$(hex 20)
check "ikevti4 with encapsulated SAs (inbound allow-float) to port 40001" sh -c "
	ip -n ikv link add ikevti4 type ikevti local 10.10.0.1 remote 10.10.0.2 &&
	ip -n ikv addr add 172.16.1.1/32 dev ikevti4 &&
	ip -n ikv link set ikevti4 up &&
	ip -n ikv route add 172.16.2.0/24 dev ikevti4 &&
	ip netns exec ikv $IKEVTICTL sa add dev ikevti4 dir out spi $spi_out enc aes-gcm-128 \
		key 0x$(hex 20) encap 4500 40001 &&
	ip netns exec ikv $IKEVTICTL sa add dev ikevti4 dir in spi $spi_in enc aes-gcm-128 \
		key $k encap 4500 40001 allow-float"
ip netns exec ikv "$HOLDER" > "/tmp/holder.$$" 2>&1 &
check "encap holder listens on UDP 4500" wait_for 5 grep -q ready "/tmp/holder.$$"
rm -f "/tmp/holder.$$"

# forge SPORT SEQ: one valid ESP-in-UDP packet from 10.10.0.2:SPORT.
forge() {
	ip netns exec pub "$ESP_FORGE" --src 10.10.0.2 --dst 10.10.0.1 \
		--spi "$spi_in" --key "$k" --inner-src 172.16.2.1 \
		--inner-dst 172.16.1.1 --seq "$2" --udp "$1:4500" &&
	sleep 0.3
}
counter() { sa_counter ikv ikevti4 in "$spi_in" "$1"; }
# events SECONDS SPORT SEQ: the events raised while forging one packet.
events() {
	local ev
	ev=$(mktemp)
	ip netns exec ikv "$IKEVTICTL" -j monitor count 1 timeout "$1" > "$ev" 2>&1 &
	local mon=$!
	sleep 0.5
	forge "$2" "$3" >/dev/null 2>&1
	wait $mon
	cat "$ev"
	rm -f "$ev"
}

forge 40001 100 > "$ktap_log" 2>&1
check_eq "sequence 100 from the known port 40001 is delivered" 1 "$(counter packets)"

out=$(events 3 4600 50)
check_eq "older sequence 50 (in the window) from port 4600 is delivered" 2 "$(counter packets)"
check "...but raises no NEW_MAPPING" sh -c "! echo '$out' | grep -q new-mapping"
check_output_has "...and the outbound SA still sends to port 40001" \
	'dport 40001' ikv sa show dev ikevti4 dir out spi "$spi_out"
check_output_has "...and the inbound SA's peer port is still 40001" \
	'dport 40001' ikv sa show dev ikevti4 dir in spi "$spi_in"

forge 4600 50 > "$ktap_log" 2>&1
check_eq "sequence 50 again is a replay" 1 "$(counter replay)"

out=$(events 10 4600 101)
check_eq "newer sequence 101 from port 4600 is delivered" 3 "$(counter packets)"
check_output_has "...and raises NEW_MAPPING for port 4600" \
	'"event":"new-mapping".*"dport":4600' echo "$out"
check_output_has "...and the outbound SA floats to port 4600" \
	'dport 4600' ikv sa show dev ikevti4 dir out spi "$spi_out"

# Another old one from yet another port after the float: nothing moves.
out=$(events 3 4700 99)
check "older sequence 99 from port 4700 raises no NEW_MAPPING" sh -c \
	"! echo '$out' | grep -q new-mapping"
check_output_has "...and the peer stays at port 4600" \
	'dport 4600' ikv sa show dev ikevti4 dir out spi "$spi_out"
ktap_finish
