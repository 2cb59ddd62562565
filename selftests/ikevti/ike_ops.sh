#!/bin/bash
# Operating ikevtid as the packages do. r1's daemon runs as
# ikevtid@r1.service would (network namespace r1, socket
# /run/ikevti/r1.sock, a systemd notification socket) with the Wireshark
# key export on; r2's is a plain peer. Checked: READY=1 and STATUS=,
# "ikevtictl -n r1" for daemon and kernel commands, tshark decrypting a
# capture of the tunnel with the exported keys (and not without them),
# every -j output against Documentation/json.rst, IKE SA up/down in
# "ikevtictl monitor" with times, "ikevtictl metrics", a refused reload
# failing with exit status 1 while the tunnel keeps working, usage
# errors exiting 2; ikevtid -T making ikevti2 from an interface block
# and deleting it when the block goes.
#
#  ns r1: ikevtid -K, /run/ikevti/r1.sock              ns r2: ikevtid
#  lan0 192.168.100.1/24                               lan0 192.168.200.1/24
#  ikevti1 10.0.0.1/30 - wan 192.168.0.1 === wan 192.168.0.2 - ikevti1 10.0.0.2/30
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike_lib.sh"
set -u

declare -A addr=([r1]=192.168.0.1 [r2]=192.168.0.2)
declare -A lan=([r1]=192.168.100.1 [r2]=192.168.200.1)
declare -A tun=([r1]=10.0.0.1 [r2]=10.0.0.2)
PSK="ikevti-ops-$(hex 8)"
JSON_CHECK="$top/selftests/ikevti/json_check.py"
r1sock=/run/ikevti/r1.sock

if [ ! -x "$IKEVTID" ] || ! command -v tshark >/dev/null; then
	echo "1..0 # SKIP needs build/ikevtid and tshark"
	exit $KSFT_SKIP
fi
ktap_header 37

notify_pid=
trap '[ -n "$notify_pid" ] && kill "$notify_pid" 2>/dev/null; ike_cleanup' EXIT

gw_conf() {	# gw_conf ME PEER
	local me=$1 peer=$2
	cat > "$ike_dir/$me.conf" <<-EOF
	crypto ikev2 proposal PROP
	 encryption aes-gcm-256
	 prf sha256
	 group 19
	crypto ikev2 policy POL
	 proposal PROP
	crypto ikev2 keyring KR
	 peer ${peer^^}
	  address ${addr[$peer]}
	  pre-shared-key local $PSK
	  pre-shared-key remote $PSK
	crypto ikev2 profile PROF
	 match identity remote address ${addr[$peer]} 255.255.255.255
	 authentication local pre-share
	 authentication remote pre-share
	 keyring local KR
	crypto ipsec transform-set GCM esp-gcm 256
	crypto ipsec profile VTI
	 set transform-set GCM
	 set ikev2-profile PROF
	interface Tunnel1
	 tunnel source ${addr[$me]}
	 tunnel destination ${addr[$peer]}
	 tunnel protection ipsec profile VTI
	EOF
}

add_netns r1 r2
for ns in r1 r2; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	lan_add $ns ${lan[$ns]}/24
done
veth_pair r1 wan ${addr[r1]}/24 r2 wan ${addr[r2]}/24
for ns in r1 r2; do
	peer=r2; [ $ns = r2 ] && peer=r1
	ip -n $ns link add ikevti1 type ikevti local ${addr[$ns]} remote ${addr[$peer]}
	ip -n $ns addr add ${tun[$ns]}/30 dev ikevti1
	ip -n $ns link set ikevti1 up
	ip -n $ns route add ${lan[$peer]%.1}.0/24 dev ikevti1
	gw_conf $ns $peer
done

# systemd's side of sd_notify: every datagram into notify.log.
python3 -S -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a") as f:
    while True:
        f.write(s.recv(4096).decode() + "\n--\n")
        f.flush()
' "$ike_dir/notify.sock" "$ike_dir/notify.log" &
notify_pid=$!
wait_until 5 test -S "$ike_dir/notify.sock"

export NOTIFY_SOCKET="$ike_dir/notify.sock"
check "ikevtid in r1 starts as ikevtid@r1 would (-S $r1sock, -K)" \
	start_ikevtid r1 "$ike_dir/r1.conf" $r1sock "$ike_dir/r1.log" \
	-K "$ike_dir/keys"
unset NOTIFY_SOCKET
check "ikevtid in r2 starts" \
	start_ikevtid r2 "$ike_dir/r2.conf" "$ike_dir/r2.sock" "$ike_dir/r2.log"
check "READY=1 with STATUS=1 tunnel on the notification socket" \
	wait_until 10 grep -qz 'READY=1.STATUS=1 tunnel, ' "$ike_dir/notify.log"
check "the key export is announced as a warning" \
	log_has "$ike_dir/r1.log" "Wireshark key export is ON"
if wait_until 90 eval 'ikevtid_up r1 $r1sock && ikevtid_up r2 "$ike_dir/r2.sock"'; then
	ktap_ok "the tunnel comes up"
else
	ktap_not_ok "the tunnel comes up"
	diag_file "$ike_dir/r1.log"
	diag_file "$ike_dir/r2.log"
fi
check "STATUS= follows: 1 tunnel, 1 IKE SA" \
	wait_until 10 grep -q 'STATUS=1 tunnel, 1 IKE SA$' "$ike_dir/notify.log"

# ikevtictl -n: the daemon at /run/ikevti/NETNS.sock, the kernel by setns.
check_output_has "ikevtictl -n r1 show crypto ikev2 sa (socket $r1sock)" \
	"READY" "$IKEVTICTL" -n r1 show crypto ikev2 sa
check_output_has "ikevtictl -n r1 stats dev ikevti1 (inside r1)" \
	"^dev ikevti1" "$IKEVTICTL" -n r1 stats dev ikevti1

# The capture, and what tshark makes of it with and without the keys.
cap="$ike_dir/esp.pcap"
check "capture ESP on r2's wan" capture_start r2 wan "$cap" esp
check "5 pings LAN1 -> LAN2 through the tunnel" \
	ip netns exec r1 ping -c 5 -i 0.2 -W 2 -I ${lan[r1]} ${lan[r2]}
capture_stop
in_spi=$(module_spis r1 ikevti1 in) out_spi=$(module_spis r1 ikevti1 out)
check "esp_sa holds r1's inbound and outbound SA ($in_spi, $out_spi)" \
	eval "grep -q '\"${addr[r2]}\",\"${addr[r1]}\",\"$in_spi\",\"AES-GCM with 16 octet ICV' '$ike_dir/keys/esp_sa' &&
	      grep -q '\"${addr[r1]}\",\"${addr[r2]}\",\"$out_spi\",' '$ike_dir/keys/esp_sa'"
check "the key files are mode 0600" \
	eval "[ \"\$(stat -c %a '$ike_dir/keys/esp_sa')\" = 600 ]"
decrypted() {	# decrypted HOME: echo requests tshark finds inside ESP
	HOME=$1 tshark -n -r "$cap" -o esp.enable_encryption_decode:TRUE \
		-Y "icmp.type == 8 && ip.src == ${lan[r1]}" 2>/dev/null | wc -l
}
mkdir -p "$ike_dir/ws/.config/wireshark" "$ike_dir/nokeys"
cp "$ike_dir/keys/esp_sa" "$ike_dir/ws/.config/wireshark/esp_sa"
n_keys=$(decrypted "$ike_dir/ws") n_none=$(decrypted "$ike_dir/nokeys")
check "tshark decrypts the capture with the exported keys ($n_keys echo requests seen inside)" \
	test "$n_keys" -ge 5
check "without the keys tshark sees no ICMP ($n_none)" test "$n_none" -eq 0

# Every -j output follows Documentation/json.rst.
json_ok() {	# json_ok ARGS...: ikevtictl -n r1 -j ARGS | json_check
	"$IKEVTICTL" -n r1 -j "$@" > "$ike_dir/j.out" &&
		"$JSON_CHECK" < "$ike_dir/j.out" || { cat "$ike_dir/j.out"; false; }
}
for c in "show crypto ikev2 sa" "show crypto ikev2 sa detailed" \
	"show crypto ipsec sa" "show crypto session" status "sa list" \
	"stats dev ikevti1" version; do
	# shellcheck disable=SC2086
	check "JSON schema: -j $c" json_ok $c
done

# IKE SA down and up in the monitor, with their times.
ev="$ike_dir/monitor.out"
"$IKEVTICTL" -n r1 -j monitor count 20 timeout 40 > "$ev" 2>/dev/null &
mon=$!
sleep 1
"$IKEVTICTL" -n r1 clear crypto session > /dev/null
wait_until 60 eval 'grep -q "\"event\":\"ike-sa-down\"" "$ev" &&
		    grep -q "\"event\":\"ike-sa-up\"" "$ev"'
kill $mon 2>/dev/null
wait $mon 2>/dev/null
check_output_has "monitor: ike-sa-down and ike-sa-up of ikevti1, with the time" \
	'"time":"20[0-9-]+T[0-9:.]+[+-][0-9]{4}","event":"ike-sa-up","ifindex":[0-9]+,"ifname":"ikevti1"' \
	cat "$ev"
check "monitor lines follow the JSON schema" eval "'$JSON_CHECK' --lines < '$ev'"

check_output_has "metrics: module counters of ikevti1 and ikevtid_up 1" \
	'ikevti_packets_total\{ifname="ikevti1"\} [1-9]' \
	eval "'$IKEVTICTL' -n r1 metrics | tee '$ike_dir/metrics.out' | grep -q '^ikevtid_up 1$' && cat '$ike_dir/metrics.out'"

# A refused reload fails visibly; the tunnel keeps working.
wait_until 60 eval 'ikevtid_up r1 $r1sock'
echo "frobnicate everything" >> "$ike_dir/r1.conf"
"$IKEVTICTL" -n r1 reload > "$ike_dir/reload.out" 2>&1
check_eq "ikevtictl reload of a broken file exits 1 (ExecReload fails)" 1 $?
check "ikevtid -t refuses it too (ExecStartPre)" \
	eval "! '$IKEVTID' -t -f '$ike_dir/r1.conf'"
check "ping still passes after the refused reload" \
	ip netns exec r1 ping -c 2 -i 0.2 -W 2 -I ${lan[r1]} ${lan[r2]}
"$IKEVTICTL" -n r1 sa add dev ikevti1 dir in > /dev/null 2>&1
check_eq "a usage error exits 2" 2 $?

stop_ikevtid r1
check "STOPPING=1 when it stops" grep -q '^STOPPING=1' "$ike_dir/notify.log"

# -T: a Tunnel2 block makes ikevti2 (address, MTU, up); ikevti1, made by
# ip, is left as it is; the block removed, a reload deletes ikevti2.
gw_conf r1 r2
cat >> "$ike_dir/r1.conf" <<EOF
interface Tunnel2
 ip address 10.0.2.1 255.255.255.0
 ip mtu 1300
 tunnel source ${addr[r1]}
 tunnel destination 192.168.0.9
 tunnel protection ipsec profile VTI
EOF
check "ikevtid -T starts with a Tunnel2 block" \
	start_ikevtid r1 "$ike_dir/r1.conf" $r1sock "$ike_dir/r1.log" -T
check_output_has "ikevti2 made from the block: up, mtu 1300, alias, 10.0.2.1/24" \
	'ikevti2.*UP.*mtu 1300.*alias ikevtid: from the configuration.*inet 10\.0\.2\.1/24' \
	eval "ip -n r1 -d addr show ikevti2 | tr '\n' ' '"
check_output_has "ikevti2 has the block's endpoints" \
	'local 192\.168\.0\.1 remote 192\.168\.0\.9' ip -n r1 -d link show ikevti2
check "ikevti1, made by ip, has no alias: not ikevtid's" \
	eval "! ip -n r1 -d link show ikevti1 | grep -q alias"
sed -i 's/^ ip address 10.0.2.1 / ip address 10.0.3.1 /' "$ike_dir/r1.conf"
"$IKEVTICTL" -n r1 reload > /dev/null 2>&1
check_output_has "the address changed in the block: ikevti2 made again with 10.0.3.1/24" \
	'inet 10\.0\.3\.1/24' ip -n r1 addr show ikevti2
gw_conf r1 r2
"$IKEVTICTL" -n r1 reload > /dev/null 2>&1
check "the block removed, the reload deletes ikevti2" \
	wait_until 10 eval "! ip -n r1 link show ikevti2"
check "ikevti1 is still there" ip -n r1 link show ikevti1
ktap_finish
