#!/bin/bash
# An unprivileged user owns a user namespace and a network namespace
# (unshare -Urn), and an ikevti device is moved into that namespace. Its
# root administers the device's namespace but not the underlay, where
# the SAs claim their SPIs: every SA command (new, get, dump, del,
# set-tx, flush, SPI_ALLOC) must come back EPERM, DEV_GET must still
# work, and the SAs must be untouched afterwards.
#
#  ns und (underlay, ESP) -- ikvu created here, SAs installed by root
#  ns of "nobody"'s user namespace -- ikvu moved here
. "$(dirname "$0")/lib.sh"

ktap_header 14
add_netns und
spi_in=$(rand_spi) spi_out=$(rand_spi)
k=0x$(hex 20)
check "ikvu with an inbound and an outbound SA in ns und" sh -c "
	ip -n und link add ikvu type ikevti local 10.9.0.1 remote 10.9.0.2 &&
	ip netns exec und $IKEVTICTL sa add dev ikvu dir in spi $spi_in enc aes-gcm-128 key $k &&
	ip netns exec und $IKEVTICTL sa add dev ikvu dir out spi $spi_out enc aes-gcm-128 key $k"

dir=$(mktemp -d)
chmod 755 "$dir"
mkfifo "$dir/go" "$dir/end"
chmod 666 "$dir/go" "$dir/end"
chmod 777 "$dir"
# As nobody where the kernel lets unprivileged users make namespaces,
# else as root: either way its capabilities stop at its user namespace.
as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
"${as_nobody[@]}" unshare -Urn true 2>/dev/null || as_nobody=()
"${as_nobody[@]}" unshare -Urn sh -c \
	"echo \$\$ > $dir/pid.tmp && mv $dir/pid.tmp $dir/pid; read x < $dir/go;
	 $NL_VALIDATE --eperm ikvu $spi_in $spi_out > $dir/out 2>&1;
	 touch $dir/done; read x < $dir/end" &
child=$!
check "a user namespace with its own network namespace starts${as_nobody:+ (as nobody)}" \
	wait_for 10 test -s "$dir/pid"
pid=$(cat "$dir/pid" 2>/dev/null)
check "ikvu moves into its network namespace" \
	ip -n und link set ikvu netns "$pid"
check_output_has "its root sees ikvu" 'ikvu' nsenter -t "$pid" -n ip link show ikvu
echo go > "$dir/go"
wait_for 60 test -e "$dir/done"
# Root of the underlay still sees both SAs, unchanged.
sas=$(nsenter -t "$pid" -n "$IKEVTICTL" sa list dev ikvu 2>&1)
check "both SAs are still there after the refusals" sh -c \
	"echo '$sas' | grep -q $(printf '0x%08x' $spi_in) &&
	 echo '$sas' | grep -q $(printf '0x%08x' $spi_out)"
check_eq "exactly the two SAs" 2 \
	"$(nsenter -t "$pid" -n "$IKEVTICTL" -j sa list dev ikvu | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d if isinstance(d,list) else d.get("sas",[])))')"
echo end > "$dir/end"
wait $child
sed -n 's/^# /#   /p' "$dir/out"
# Re-emit nl_validate's results as ours.
while read -r line; do
	case $line in
	"ok "*) ktap_ok "userns: ${line#ok [0-9]* - }" ;;
	"not ok "*) ktap_not_ok "userns: ${line#not ok [0-9]* - }" ;;
	esac
done < "$dir/out"
rm -rf "$dir"
ktap_finish
