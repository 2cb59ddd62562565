#!/bin/bash
# Module unload while events are being raised: 32 on-demand devices
# without SAs get traffic, so each raises ACQUIRE (once a second), while
# a monitor listens. rmmod must then delete the devices, let the last
# event works finish, and only then unregister the genl family (a work
# multicasting through an unregistered family would use a group id that
# may belong to someone else by then). No WARN or oops (the VM runs
# with panic_on_warn), and the module loads
# and works again. This is a stress test of that order, not a
# deterministic reproducer of the old one.
. "$(dirname "$0")/lib.sh"

ktap_header 7
add_netns unl
n=32
check "$n on-demand devices without SAs" sh -c "
	for i in \$(seq $n); do
		ip -n unl link add ikvd\$i type ikevti local 10.8.0.1 remote 10.8.1.\$i ondemand on &&
		ip -n unl addr add 172.20.\$i.1/32 dev ikvd\$i &&
		ip -n unl link set ikvd\$i up &&
		ip -n unl route add 172.21.\$i.0/24 dev ikvd\$i || exit 1
	done"
ev=$(mktemp)
ip netns exec unl "$IKEVTICTL" -j monitor timeout 30 > "$ev" 2>&1 &
mon=$!
sleep 0.5
ip netns exec unl sh -c "while :; do
	for i in \$(seq $n); do ping -c 1 -W 1 -q 172.21.\$i.1 >/dev/null 2>&1 & done
	wait; sleep 0.2
done" &
load=$!
check "ACQUIRE events arrive" wait_for 10 grep -q '"event":"acquire"' "$ev"
sleep 1
check "rmmod while events are raised" rmmod ikevti
kill $load 2>/dev/null
wait $load 2>/dev/null
kill $mon 2>/dev/null
wait $mon 2>/dev/null
check "at least $n ACQUIRE events were heard before the unload" \
	test "$(grep -c '"event":"acquire"' "$ev")" -ge $n
check "the genl family is gone" sh -c "! genl ctrl list 2>/dev/null | grep -qw ikevti"
rm -f "$ev"
check "ikevti loads again" insmod "$top/kmod/ikevti.ko"
check "and makes devices again" sh -c "
	ip -n unl link add ikvd1 type ikevti local 10.8.0.1 remote 10.8.1.1 &&
	ip -n unl link del ikvd1"
ktap_finish
