#!/bin/bash
# Device lifecycle: create with the stock ip and our link plugin, show,
# refuse bad attributes with a clear error, change, move between
# namespaces, carrier follows the outbound SA, namespace teardown, and
# module unload with live devices.
#
#   ns "dev1" (underlay) --- ikevti devices, some moved to ns "dev2"
. "$(dirname "$0")/lib.sh"

ktap_header 25
add_netns dev1 dev2
n1() { ip -n dev1 "$@"; }

check "create ikevti1 with IPv4 endpoints" \
	n1 link add ikevti1 type ikevti local 192.168.0.1 remote 192.168.0.2
check_output_has "ip -d link shows kind and endpoints" \
	'ikevti local 192\.168\.0\.1 remote 192\.168\.0\.2' n1 -d link show ikevti1
check_output_has "ip -j -d link shows the endpoints in JSON" \
	'"remote":"192\.168\.0\.2"' n1 -j -d link show ikevti1
check_output_has "device is point-to-point, no ARP" \
	'POINTOPOINT,NOARP' n1 link show ikevti1
check "create ikevti6 with IPv6 endpoints" \
	n1 link add ikevti6 type ikevti local 2001:db8::1 remote 2001:db8::2
check_output_has "IPv6 endpoints are shown" \
	'local 2001:db8::1 remote 2001:db8::2' n1 -d link show ikevti6
check "create with options fwmark, ttl, df" \
	n1 link add ikevti2 type ikevti local 10.9.0.1 remote 10.9.0.2 fwmark 7 ttl 32 df set
check_output_has "options are shown" 'fwmark 0x7.*ttl 32.*df set|ttl 32.*fwmark' \
	n1 -d link show ikevti2

# Bad attributes are refused, with the kernel's reason on stderr.
check_output_has "mixed address families refused with a message" \
	'family|Family' sh -c '! ip -n dev1 link add bad1 type ikevti local 10.0.0.1 remote 2001:db8::2 2>&1'
check_output_has "multicast remote refused with a message" \
	'unicast|multicast|Multicast' sh -c '! ip -n dev1 link add bad2 type ikevti local 10.0.0.1 remote 224.0.0.5 2>&1'
check_output_has "plugin refuses a malformed address" \
	'invalid|Invalid|Error' sh -c '! ip -n dev1 link add bad3 type ikevti local 10.0.0.300 remote 10.0.0.2 2>&1'
check "no half-created device after refusals" \
	sh -c '! ip -n dev1 link show bad1 && ! ip -n dev1 link show bad2 && ! ip -n dev1 link show bad3' 

# Carrier: the line protocol is up only while an outbound SA exists.
n1 addr add 10.99.0.1/32 dev ikevti1
n1 link set ikevti1 up
check_output_has "no carrier without an outbound SA" 'NO-CARRIER' n1 link show ikevti1
spi=$(rand_spi)
check "add an outbound SA" ip netns exec dev1 "$IKEVTICTL" sa add dev ikevti1 dir out \
	spi "$spi" enc aes-gcm-128 key 0x$(hex 20)
check_output_has "carrier on with an outbound SA" 'LOWER_UP' n1 link show ikevti1
check_output_has "endpoints cannot change while SAs exist" 'flush|SA' \
	sh -c '! ip -n dev1 link set ikevti1 type ikevti local 192.168.0.9 remote 192.168.0.2 2>&1'
check "flush SAs" ip netns exec dev1 "$IKEVTICTL" sa flush dev ikevti1
# NO-CARRIER follows the operational state, which linkwatch updates a
# moment after the carrier change itself.
wait_for 3 sh -c 'ip -n dev1 link show ikevti1 | grep -q NO-CARRIER'
check_output_has "carrier off again after the flush" 'NO-CARRIER' n1 link show ikevti1

# Namespaces: the device moves, the underlay stays where it was created.
check "move ikevti2 to another namespace" n1 link set ikevti2 netns dev2
check_output_has "ikevti2 lives in dev2 now" 'ikevti2' ip -n dev2 link show ikevti2
check "create a device in dev2 whose underlay is dev1" \
	ip -n dev1 link add ikevti3 netns dev2 type ikevti local 10.8.0.1 remote 10.8.0.2
check "deleting the device's namespace removes it cleanly" ip netns del dev2
check "deleting a device" n1 link del ikevti6

# Unload with live devices in several namespaces, then load again.
add_netns dev3
ip -n dev3 link add ikevti9 type ikevti local 10.7.0.1 remote 10.7.0.2
check "rmmod with live devices in two namespaces" rmmod ikevti
check "insmod again" insmod "$top/kmod/ikevti.ko"
ktap_finish
