#!/bin/bash
# Rekeying without loss, ikevti to ikevti with manual keys: while a ping
# flood and a TCP stream run, both sides switch to new SA pairs four
# times the way an IKE daemon does (new inbound SAs first, then the new
# outbound SAs, then the atomic TX switch, the old SAs deleted after a
# grace period). Not one ping may be lost, the stream must arrive
# intact, and traffic must have used every generation of SAs.
#
#  ns a                                            ns b
#  172.16.1.1 ikevti1 -- veth0 10.10.0.1 == veth1 10.10.0.2 -- ikevti1 172.16.2.1
. "$(dirname "$0")/lib.sh"

REKEYS=4
ktap_header $((REKEYS + 8))

ikevti_pair

ctl() { ip netns exec "$1" "$IKEVTICTL" "${@:2}"; }

# new_pair: fresh SPIs and keys in spi_ab/spi_ba/k_ab/k_ba.
new_pair() {
	spi_ab=$(rand_spi) spi_ba=$(rand_spi) k_ab=0x$(hex 20) k_ba=0x$(hex 20)
}
add_in() {
	ctl b sa add dev ikevti1 dir in spi $spi_ab enc aes-gcm-128 key $k_ab &&
	ctl a sa add dev ikevti1 dir in spi $spi_ba enc aes-gcm-128 key $k_ba
}
add_out() {
	ctl a sa add dev ikevti1 dir out spi $spi_ab enc aes-gcm-128 key $k_ab &&
	ctl b sa add dev ikevti1 dir out spi $spi_ba enc aes-gcm-128 key $k_ba
}

new_pair
check "initial SA pair installed" eval "add_in && add_out"
old_ab=$spi_ab old_ba=$spi_ba

data=$(mktemp) got=$(mktemp) pinglog=$(mktemp)
head -c 6M /dev/urandom > "$data"
timeout 200 ip netns exec b socat -u TCP-LISTEN:5001,bind=172.16.2.1,reuseaddr OPEN:"$got",creat,trunc &
srv=$!
wait_for 5 sh -c 'ip netns exec b ss -ltn | grep -q 5001'
ip netns exec a ping -c 1500 -i 0.02 -W 3 -I 172.16.1.1 172.16.2.1 > "$pinglog" 2>&1 &
pinger=$!
timeout 180 ip netns exec a socat -u OPEN:"$data" TCP:172.16.2.1:5001,bind=172.16.1.1 &
cli=$!

# rekey: make-before-break, as IKE does it (RFC 7296 2.8).
rekey() {
	new_pair
	add_in && add_out &&
	ctl a sa tx dev ikevti1 spi $spi_ab &&
	ctl b sa tx dev ikevti1 spi $spi_ba || return 1
	sleep 0.5	# packets already encrypted with the old SAs
	gen_packets+=("$(sa_counter a ikevti1 out $old_ab packets)")
	ctl a sa del dev ikevti1 dir out spi $old_ab &&
	ctl b sa del dev ikevti1 dir in spi $old_ab &&
	ctl b sa del dev ikevti1 dir out spi $old_ba &&
	ctl a sa del dev ikevti1 dir in spi $old_ba || return 1
	old_ab=$spi_ab old_ba=$spi_ba
}
gen_packets=()
for i in $(seq $REKEYS); do
	sleep 1
	if rekey > "$ktap_log" 2>&1; then
		ktap_ok "rekey $i: new SAs in, TX switched, old SAs deleted"
	else
		ktap_not_ok "rekey $i: new SAs in, TX switched, old SAs deleted"
		sed 's/^/# /' "$ktap_log"
	fi
done
wait $pinger
wait $cli
wait $srv
sed -n '/packets transmitted/s/^/# /p' "$pinglog"
tx=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$pinglog")
rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$pinglog")
check_eq "all 1500 pings were sent" 1500 "$tx"
check_eq "not one ping lost across $REKEYS rekeys" "$tx" "$rx"
check_eq "the 6 MiB TCP stream arrived intact" "$(sha256sum < "$data")" "$(sha256sum < "$got")"
rm -f "$data" "$got" "$pinglog"
echo "# packets sent by each replaced outbound SA: ${gen_packets[*]}"
check "every replaced SA generation carried traffic" sh -c \
	'for n in "$@"; do [ "$n" -gt 0 ] || exit 1; done; [ $# -eq '$REKEYS' ]' _ "${gen_packets[@]}"
ip netns exec a ping -c 3 -i 0.2 -W 2 -I 172.16.1.1 172.16.2.1 > /dev/null
check_eq "only the last SA pair is left on a" 2 \
	"$(ctl a -j sa list dev ikevti1 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
check "the last outbound SA carried traffic" \
	test "$(sa_counter a ikevti1 out "$spi_ab" packets)" -gt 0
check_eq "b decapsulated every packet of the last SA a sent" \
	"$(sa_counter a ikevti1 out "$spi_ab" packets)" "$(sa_counter b ikevti1 in "$spi_ab" packets)"
ktap_finish
