#!/bin/bash
# SA lifetimes and events, ikevti to ikevti: soft and hard packet limits
# on an outbound SA, soft and hard byte limits on an inbound SA. Each
# limit raises exactly one SA_EXPIRE event on the "events" group, whose
# counts equal the limit; packets past the hard limit are dropped and
# counted as "expired". Then ACQUIRE: a flood into a device whose
# outbound SA expired raises at most one event per second. Without any
# outbound SA a device has no carrier, so nothing reaches it; "ondemand
# on" keeps its carrier on instead, and a ping through such a device
# (ikevti2, no SA at all) is dropped, counted as no_tx_sa and raises
# ACQUIRE, at most one a second. Switching ondemand at run time moves the carrier.
#
#  ns a                                            ns b
#  172.16.1.1 ikevti1 -- veth0 10.10.0.1 == veth1 10.10.0.2 -- ikevti1 172.16.2.1
#  172.16.3.1 ikevti2 (ondemand on, remote 10.10.0.3: no SA, no peer)
. "$(dirname "$0")/lib.sh"

ktap_header 44

ikevti_pair

sa() { ip netns exec "$1" "$IKEVTICTL" sa add dev ikevti1 "${@:2}"; }
# install OUT_OPTS_A IN_OPTS_A: four fresh SAs, limits on a's side only.
install() {
	spi_ab=$(rand_spi) spi_ba=$(rand_spi)
	local k_ab=0x$(hex 20) k_ba=0x$(hex 20)
	for ns in a b; do
		ip netns exec $ns "$IKEVTICTL" sa flush dev ikevti1
	done
	# shellcheck disable=SC2086
	sa a dir out spi $spi_ab enc aes-gcm-128 key $k_ab $1 &&
	sa b dir in spi $spi_ab enc aes-gcm-128 key $k_ab &&
	sa b dir out spi $spi_ba enc aes-gcm-128 key $k_ba &&
	sa a dir in spi $spi_ba enc aes-gcm-128 key $k_ba $2
}

ev=$(mktemp)
monitor_start() {	# monitor_start COUNT TIMEOUT
	ip netns exec a "$IKEVTICTL" -j monitor count "$1" timeout "$2" > "$ev" 2>&1 &
	mon=$!
	sleep 0.5
}

# 15 pings of 84 bytes (inner IPv4) from a; 10 get through.
pings() {
	ip netns exec a ping -c 15 -i 0.1 -W 1 -I 172.16.1.1 172.16.2.1 |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

# expire_line DIR SPI HARD PACKETS BYTES: the JSON monitor prints.
expire_re() {
	printf '"event":"expire".*"dir":"%s","spi":"%s","hard":%s,"packets":%s,"bytes":%s' \
		"$1" "$2" "$3" "$4" "$5"
}

# --- packets, outbound -------------------------------------------------
check "outbound SA with soft-packets 5, hard-packets 10 installed" \
	install "soft-packets 5 hard-packets 10" ""
monitor_start 3 12
got=$(pings)
wait $mon
check_eq "10 of 15 pings pass the hard packet limit" 10 "$got"
check_output_has "one soft SA_EXPIRE for the outbound SA at 5 packets, 420 bytes" \
	"$(expire_re out "$spi_ab" false 5 420)" cat "$ev"
check_output_has "one hard SA_EXPIRE for the outbound SA at 10 packets, 840 bytes" \
	"$(expire_re out "$spi_ab" true 10 840)" cat "$ev"
check_eq "exactly two events (each limit once)" 2 "$(grep -c '"event":"expire"' "$ev")"
check_eq "the SA sent exactly 10 packets" 10 "$(sa_counter a ikevti1 out "$spi_ab" packets)"
check_eq "5 packets past the hard limit were dropped as expired" 5 \
	"$(sa_counter a ikevti1 out "$spi_ab" expired)"
check_eq "b decapsulated exactly those 10" 10 "$(sa_counter b ikevti1 in "$spi_ab" packets)"
check_output_has "sa show reports the limits" 'packets soft 5 hard 10' \
	ip netns exec a "$IKEVTICTL" sa show dev ikevti1 dir out spi "$spi_ab"

# --- bytes, inbound -----------------------------------------------------
check "inbound SA with soft-bytes 420, hard-bytes 840 installed" \
	install "" "soft-bytes 420 hard-bytes 840"
monitor_start 3 12
got=$(pings)
wait $mon
check_eq "10 of 15 replies pass the hard byte limit" 10 "$got"
check_output_has "one soft SA_EXPIRE for the inbound SA at 5 packets, 420 bytes" \
	"$(expire_re in "$spi_ba" false 5 420)" cat "$ev"
check_output_has "one hard SA_EXPIRE for the inbound SA at 10 packets, 840 bytes" \
	"$(expire_re in "$spi_ba" true 10 840)" cat "$ev"
check_eq "exactly two events (each limit once)" 2 "$(grep -c '"event":"expire"' "$ev")"
check_eq "the SA delivered exactly 10 packets" 10 "$(sa_counter a ikevti1 in "$spi_ba" packets)"
check_eq "5 replies past the hard limit were dropped as expired" 5 \
	"$(sa_counter a ikevti1 in "$spi_ba" expired)"

# --- ACQUIRE --------------------------------------------------------------
check "outbound SA with hard-packets 1 installed" install "hard-packets 1" ""
monitor_start 100 5
ip netns exec a ping -q -f -w 3 -I 172.16.1.1 172.16.2.1 >/dev/null 2>&1
wait $mon
n=$(grep -c '"event":"acquire"' "$ev")
echo "# $n ACQUIRE events over a 3 s flood (and 2 s more of waiting)"
check "a flood raises ACQUIRE (at least 2 events in 3 s)" test "$n" -ge 2
check "...but at most one per second (at most 5 events in 5 s)" test "$n" -le 5
check_output_has "ACQUIRE names the device" '"event":"acquire","ifindex":[0-9]+,"ifname":"ikevti1"' cat "$ev"
check "the flood was dropped and counted as expired" \
	test "$(sa_counter a ikevti1 out "$spi_ab" expired)" -gt 100

# --- on demand: carrier without an outbound SA -----------------------------
# The link's carrier: LOWER_UP follows it at once; the operational state
# ("state UP", NO-CARRIER) follows it when linkwatch runs, up to 1 s later.
link_is() {	# link_is DEV PATTERN
	ip -n a link show "$1" | grep -qE -- "$2"
}
tx_dropped() {
	ip -n a -j -s link show "$1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["tx"]["dropped"])'
}
acquires() {	# acquires DEV: ACQUIRE events for DEV in $ev
	grep -c "\"event\":\"acquire\".*\"ifname\":\"$1\"" "$ev"
}
od_ping() {	# od_ping COUNT: pings into ikevti2, nobody answers
	ip netns exec a ping -q -c "$1" -i 0.1 -W 1 -I 172.16.3.1 172.16.4.1 \
		>/dev/null 2>&1
}

check_output_has "a device made without ondemand reports ondemand off" \
	'ondemand off' ip -n a -d link show ikevti1
check "ikevti2 created with ondemand on" \
	ip -n a link add ikevti2 type ikevti local 10.10.0.1 remote 10.10.0.3 ondemand on
ip -n a addr add 172.16.3.1/32 dev ikevti2
ip -n a link set ikevti2 up
ip -n a route add 172.16.4.0/24 dev ikevti2
check_output_has "ip -d link shows ondemand on" 'ondemand on' \
	ip -n a -d link show ikevti2
check_output_has "ip -j -d link shows it as a JSON boolean" '"ondemand":true' \
	ip -n a -j -d link show ikevti2
wait_for 3 link_is ikevti2 'state UP'
check "ondemand, no outbound SA: carrier on and operstate UP" \
	link_is ikevti2 'LOWER_UP.*state UP'
check "...and the route through it is not linkdown" \
	sh -c '! ip -n a route show dev ikevti2 | grep -q linkdown'

# Bursts of 10 pings 0.05 s apart until an ACQUIRE shows up (under load
# the monitor may subscribe late), then the rate limit is judged against
# the time the bursts took, not against a fixed deadline.
ip netns exec a "$IKEVTICTL" -j monitor count 1000 timeout 15 > "$ev" 2>&1 &
mon=$!
sleep 1
pings=0 t0=$EPOCHREALTIME
for _ in 1 2 3 4 5 6 7 8; do
	ip netns exec a ping -q -c 10 -i 0.05 -W 1 -I 172.16.3.1 172.16.4.1 >/dev/null 2>&1
	pings=$((pings + 10))
	[ "$(acquires ikevti2)" -ge 1 ] && break
done
secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", b - a + 0.999 }')
wait $mon
n=$(acquires ikevti2)
echo "# $n ACQUIRE events for $pings pings over about $secs s"
check "pings into ondemand ikevti2 without an SA raise ACQUIRE" test "$n" -ge 1
check "ACQUIRE is rate-limited: at most one a second ($n in ${secs}s, $pings packets)" \
	test "$n" -le $((secs + 1)) -a "$n" -lt "$pings"
check_output_has "ACQUIRE names ikevti2" \
	'"event":"acquire","ifindex":[0-9]+,"ifname":"ikevti2"' cat "$ev"
check_eq "the $pings pings were counted as no_tx_sa" $pings "$(dev_counter a ikevti2 no_tx_sa)"
check_eq "...and as tx_dropped of the device" $pings "$(tx_dropped ikevti2)"

check "an outbound SA installed on ikevti2, then flushed" \
	ip netns exec a sh -c "
	'$IKEVTICTL' sa add dev ikevti2 dir out spi $(rand_spi) enc aes-gcm-128 key 0x$(hex 20) &&
	'$IKEVTICTL' sa flush dev ikevti2"
check "ondemand: carrier stays on after the last SA is gone" \
	link_is ikevti2 LOWER_UP

# Switching at run time.
check "ip link set ikevti2 type ikevti ondemand off" \
	ip -n a link set ikevti2 type ikevti ondemand off
check_output_has "ip -d link shows ondemand off" 'ondemand off' \
	ip -n a -d link show ikevti2
wait_for 3 link_is ikevti2 NO-CARRIER
check "ondemand off, no outbound SA: no carrier, operstate DOWN" \
	link_is ikevti2 'NO-CARRIER.*state DOWN'
check_output_has "...and the route through it is linkdown" 'linkdown' \
	ip -n a route show dev ikevti2
monitor_start 100 2
od_ping 3
wait $mon
check_eq "without carrier, pings reach no ikevti_xmit: no_tx_sa still $pings" $pings \
	"$(dev_counter a ikevti2 no_tx_sa)"
check_eq "...and raise no ACQUIRE" 0 "$(acquires ikevti2)"
check "ip link set ikevti2 type ikevti ondemand on again" \
	ip -n a link set ikevti2 type ikevti ondemand on
wait_for 3 link_is ikevti2 'state UP'
check "carrier and operstate UP again" link_is ikevti2 'LOWER_UP.*state UP'

# The default device: carrier follows the outbound SA.
check "ikevti1 (ondemand off): its SAs flushed" \
	ip netns exec a "$IKEVTICTL" sa flush dev ikevti1
wait_for 3 link_is ikevti1 NO-CARRIER
check "ondemand off, no outbound SA: ikevti1 has no carrier" \
	link_is ikevti1 'NO-CARRIER.*state DOWN'
rm -f "$ev"
ktap_finish
