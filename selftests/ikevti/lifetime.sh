#!/bin/bash
# SA lifetimes and events, ikevti to ikevti: soft and hard packet limits
# on an outbound SA, soft and hard byte limits on an inbound SA. Each
# limit raises exactly one SA_EXPIRE event on the "events" group, whose
# counts equal the limit; packets past the hard limit are dropped and
# counted as "expired". Then ACQUIRE: a flood into a device whose
# outbound SA expired raises at most one event per second. (Without any
# outbound SA the device has no carrier, so nothing reaches it.)
#
#  ns a                                            ns b
#  172.16.1.1 ikevti1 -- veth0 10.10.0.1 == veth1 10.10.0.2 -- ikevti1 172.16.2.1
. "$(dirname "$0")/lib.sh"

ktap_header 21

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
rm -f "$ev"
ktap_finish
