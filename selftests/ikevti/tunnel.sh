#!/bin/bash
# ikevti to ikevti with manual keys: ping and a bulk TCP transfer across
# the tunnel, counters on both sides, with the kernel's own esp4/esp6 not
# loaded (ikevti needs nothing of xfrm's ESP).
#
#  ns a                                            ns b
#  172.16.1.1 ikevti1 -- veth0 10.10.0.1 == veth1 10.10.0.2 -- ikevti1 172.16.2.1
. "$(dirname "$0")/lib.sh"

ktap_header 13

# Unload xfrm's ESP (preloaded by the VM runner) so this runs without it.
rmmod xfrm_interface esp4 esp6 2>/dev/null
check "esp4 and esp6 are not loaded" sh -c '! grep -qE "^esp[46] " /proc/modules'

ikevti_pair

spi_ab=$(rand_spi) spi_ba=$(rand_spi) k_ab=0x$(hex 20) k_ba=0x$(hex 20)
sa() { ip netns exec "$1" "$IKEVTICTL" sa add dev ikevti1 "${@:2}"; }
install_sas() {
	sa a dir out spi $spi_ab enc aes-gcm-128 key $k_ab &&
	sa b dir in  spi $spi_ab enc aes-gcm-128 key $k_ab &&
	sa b dir out spi $spi_ba enc aes-gcm-128 key $k_ba &&
	sa a dir in  spi $spi_ba enc aes-gcm-128 key $k_ba
}
check "install four AES-GCM-128 SAs" install_sas

check "ping a -> b across the tunnel" \
	ip netns exec a ping -c 5 -i 0.2 -W 2 -I 172.16.1.1 172.16.2.1
check "ping b -> a across the tunnel" \
	ip netns exec b ping -c 5 -i 0.2 -W 2 -I 172.16.2.1 172.16.1.1
check "large ping (fragmented inner, 3000 bytes)" \
	ip netns exec a ping -c 3 -i 0.2 -W 2 -s 3000 -I 172.16.1.1 172.16.2.1

# Bulk TCP: 8 MiB one way, checked end to end.
data=$(mktemp) got=$(mktemp)
head -c 8M /dev/urandom > "$data"
timeout 150 ip netns exec b socat -u TCP-LISTEN:5001,bind=172.16.2.1,reuseaddr OPEN:"$got",creat,trunc &
srv=$!
wait_for 5 sh -c 'ip netns exec b ss -ltn | grep -q 5001'
check "bulk TCP transfer of 8 MiB a -> b" \
	timeout 120 ip netns exec a socat -u OPEN:"$data" TCP:172.16.2.1:5001,bind=172.16.1.1
wait $srv
check_eq "transferred data is intact" "$(sha256sum < "$data")" "$(sha256sum < "$got")"
rm -f "$data" "$got"

out_a=$(sa_counter a ikevti1 out "$spi_ab" packets)
in_b=$(sa_counter b ikevti1 in "$spi_ab" packets)
check "a's outbound SA counted packets" test "${out_a:-0}" -gt 1000
check_eq "b decapsulated every packet a encapsulated" "$out_a" "$in_b"
check_eq "no authentication failures on b" 0 "$(sa_counter b ikevti1 in "$spi_ab" auth_fail)"
check_eq "no replay drops on a" 0 "$(sa_counter a ikevti1 in "$spi_ba" replay)"
check_output_has "netdev stats reflect the traffic (ip -s link)" \
	'RX:.*' ip -n a -s link show ikevti1
rx=$(ip -n b -j -s link show ikevti1 | sed -n 's/.*"rx":{"bytes":[0-9]*,"packets":\([0-9]*\).*/\1/p')
check "netdev rx packets on b are counted" test "${rx:-0}" -ge "$in_b"
ktap_finish
