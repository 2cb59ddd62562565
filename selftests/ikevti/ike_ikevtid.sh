#!/bin/bash
# IKEv2 between two ikevtid, with PSK and with RSA certificates (two
# trustpoints on each side, as in the seed lab). Both gateways start at
# once and both initiate: the collision must settle to one IKE SA and one
# child SA pair that both sides agree on. Then traffic, the capture, an
# "ikevtictl reload" of the unchanged file (same SPIs), a reload and a
# SIGHUP with a syntax error (refused with FILE:LINE:COL, the tunnel
# keeps working), "ikevtid -t", a child rekey under traffic (byte
# lifetime) without loss, and "clear crypto session".
#
#  ns r1: ikevtid                                      ns r2: ikevtid
#  lan0 192.168.100.1/24                               lan0 192.168.200.1/24
#  ikevti1 10.0.0.1/30 - wan 192.168.0.1 === wan 192.168.0.2 - ikevti1 10.0.0.2/30
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike_lib.sh"
set -u

declare -A addr=([r1]=192.168.0.1 [r2]=192.168.0.2)
declare -A lan=([r1]=192.168.100.1 [r2]=192.168.200.1)
declare -A tun=([r1]=10.0.0.1 [r2]=10.0.0.2)
PSK="ikevti-ikevtid-$(hex 8)"

if [ ! -x "$IKEVTID" ]; then
	echo "1..0 # SKIP needs build/ikevtid"
	exit $KSFT_SKIP
fi
ktap_header 45

# The configuration of one gateway: gw_conf ME PEER AUTH [ipsec profile line]
gw_conf() {
	local me=$1 peer=$2 auth=$3 extra=${4:-} pki up
	up=${me^^}
	{
	echo "! $up: IKEv2 to ${peer^^}, $auth"
	echo "hostname $up"
	if [ "$auth" = rsa ]; then
		pki=$(ike_pki rsa)
		cat <<-EOF
		crypto pki trustpoint CA1
		 ca-certificate-file $pki/ca1.pem
		 certificate-file $pki/$me-ca1.pem
		 private-key-file $pki/$me.key
		 subject-name CN=$up.example.net
		 ip-address ${addr[$me]}
		 revocation-check none
		!
		crypto pki trustpoint CA2
		 ca-certificate-file $pki/ca2.pem
		 certificate-file $pki/$me-ca2.pem
		 private-key-file $pki/$me.key
		 subject-name CN=$up.example.net
		 ip-address ${addr[$me]}
		 revocation-check none
		!
		EOF
	fi
	cat <<-EOF
	crypto ikev2 proposal PROP
	 encryption aes-cbc-256 aes-cbc-128
	 integrity sha256
	 group 19 14
	!
	crypto ikev2 policy POL
	 match fvrf any
	 proposal PROP
	!
	crypto ikev2 keyring KR
	 peer ${peer^^}
	  address ${addr[$peer]}
	  pre-shared-key $PSK
	!
	crypto ikev2 profile PROF
	 match identity remote address ${addr[$peer]} 255.255.255.255
	 identity local address ${addr[$me]}
	EOF
	if [ "$auth" = rsa ]; then
		cat <<-EOF
		 authentication remote rsa-sig
		 authentication local rsa-sig
		 pki trustpoint CA1
		 pki trustpoint CA2
		EOF
	else
		cat <<-EOF
		 authentication remote pre-share
		 authentication local pre-share
		 keyring local KR
		EOF
	fi
	cat <<-EOF
	 dpd 10 2 on-demand
	!
	crypto ipsec transform-set GCM esp-gcm 256
	 mode tunnel
	crypto ipsec transform-set CBC esp-aes 256 esp-sha256-hmac
	 mode tunnel
	!
	crypto ipsec profile VTI
	 set transform-set GCM CBC
	 set ikev2-profile PROF
	 $extra
	!
	interface Tunnel1
	 description to ${peer^^}
	 ip address ${tun[$me]} 255.255.255.252
	 tunnel source ${addr[$me]}
	 tunnel destination ${addr[$peer]}
	 tunnel protection ipsec profile VTI
	end
	EOF
	} > "$ike_dir/$me.conf"
}

sock() { echo "$ike_dir/$1.sock"; }
logf() { echo "$ike_dir/$1.log"; }
gctl() { ctl "$1" "$(sock "$1")" "${@:2}"; }

# Block (or let through again) all IKE between the gateways.
block_ike() {
	local ns
	for ns in r1 r2; do
		tc -n $ns qdisc add dev wan clsact 2>/dev/null
		tc -n $ns filter add dev wan egress protocol ip prio 1 u32 \
			match ip protocol 17 0xff match u16 500 0xffff at 22 action drop
		tc -n $ns filter add dev wan egress protocol ip prio 2 u32 \
			match ip protocol 17 0xff match u16 4500 0xffff at 22 action drop
	done
}
unblock_ike() {
	tc -n r1 qdisc del dev wan clsact 2>/dev/null
	tc -n r2 qdisc del dev wan clsact 2>/dev/null
	return 0
}

# Exactly one IKE SA READY and one child ACTIVE on both, one SA pair in
# each module, and r1's outbound SPI is r2's inbound one and back.
settled() {
	local r1in r1out r2in r2out
	ikevtid_up r1 "$(sock r1)" && ikevtid_up r2 "$(sock r2)" || return 1
	r1in=$(module_spis r1 ikevti1 in) r1out=$(module_spis r1 ikevti1 out)
	r2in=$(module_spis r2 ikevti1 in) r2out=$(module_spis r2 ikevti1 out)
	echo "r1 in=[$r1in] out=[$r1out]; r2 in=[$r2in] out=[$r2out]"
	[ -n "$r1in" ] && [ -n "$r1out" ] &&
	[ "$r1in" = "$r2out" ] && [ "$r1out" = "$r2in" ] &&
	[ "$(wc -l <<< "$r1in$r1out")" = 1 ]
}

# What identifies the current SAs: IKE SPIs and module SPIs of both sides.
sa_ids() {
	local ns
	for ns in r1 r2; do
		echo "$ns ike $(ike_json $ns "$(sock $ns)" ike local_spi READY | tr '\n' ' ')"
		echo "$ns in $(module_spis $ns ikevti1 in | tr '\n' ' ')"
		echo "$ns out $(module_spis $ns ikevti1 out | tr '\n' ' ')"
	done
}

spis_gone() {	# spis_gone NS SPI...
	local ns=$1 s all
	shift
	all=$(module_spis $ns ikevti1 in; module_spis $ns ikevti1 out)
	for s in "$@"; do
		grep -qx "$s" <<< "$all" && return 1
	done
	return 0
}

pings() {	# pings LABEL: LAN to LAN both ways, tunnel addresses
	check "$1: ping LAN1 -> LAN2" \
		ip netns exec r1 ping -c 3 -i 0.2 -W 2 -I ${lan[r1]} ${lan[r2]}
	check "$1: ping LAN2 -> LAN1" \
		ip netns exec r2 ping -c 3 -i 0.2 -W 2 -I ${lan[r2]} ${lan[r1]}
	check "$1: ping 10.0.0.2 -> 10.0.0.1" \
		ip netns exec r2 ping -c 2 -i 0.2 -W 2 ${tun[r1]}
}

# Both gateways start at once with IKE blocked, so that each sends its
# own IKE_SA_INIT before it sees the other's: a true collision.
start_both() {	# start_both LABEL [ikevtid args]
	local lbl=$1 ns
	shift
	block_ike
	for ns in r1 r2; do
		check "$lbl: ikevtid on $ns starts" \
			start_ikevtid $ns "$ike_dir/$ns.conf" "$(sock $ns)" "$(logf $ns)" "$@"
	done
	check "$lbl: both initiate (IKE_SA_INIT sent while IKE is blocked)" \
		wait_until 30 eval 'log_has "$(logf r1)" "initiating IKE SA" &&
				  log_has "$(logf r2)" "initiating IKE SA"'
	unblock_ike
	if wait_until 90 settled; then
		ktap_ok "$lbl: simultaneous initiation settles to one IKE SA and one child pair"
	else
		ktap_not_ok "$lbl: simultaneous initiation settles to one IKE SA and one child pair"
		settled | sed 's/^/# /'
		for ns in r1 r2; do
			gctl $ns show crypto ikev2 sa 2>&1 | sed 's/^/# /'
			diag_file "$(logf $ns)" 25
		done
	fi
}

stop_both() {
	stop_ikevtid r1
	stop_ikevtid r2
}

# ---------------------------------------------------------------------
# Topology

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
done

# ---------------------------------------------------------------------
# PSK: collision, traffic, reloads, rekey, clear

gw_conf r1 r2 psk "set security-association lifetime kilobytes 2560"
gw_conf r2 r1 psk
start_both psk -d debug
check_eq "psk: authenticated with pre-shared keys" "PSK PSK" \
	"$(ike_json r1 "$(sock r1)" ike auth_sign READY) $(ike_json r2 "$(sock r2)" ike auth_verify READY)"
check_eq "psk: exactly one side was the initiator" "false true" \
	"$( (ike_json r1 "$(sock r1)" ike initiator READY; ike_json r2 "$(sock r2)" ike initiator READY) | sort | tr '\n' ' ' | sed 's/ $//')"
cap=$ike_dir/psk.pcap
capture_start r2 wan "$cap" esp
pings psk
capture_stop
check_eq "psk: the capture shows ESP with exactly the two modules' SPIs" \
	"$( (module_spis r1 ikevti1 in; module_spis r1 ikevti1 out) | sort | tr '\n' ' ')" \
	"$(capture_spis "$cap" | tr '\n' ' ')"
check_eq "psk: r2 decrypted every packet r1 encrypted" \
	"$(sa_counter r1 ikevti1 out "$(module_spis r1 ikevti1 out)" packets)" \
	"$(sa_counter r2 ikevti1 in "$(module_spis r2 ikevti1 in)" packets)"

# Reload of the unchanged file: nothing is renegotiated.
before=$(sa_ids)
check "psk: ikevtictl reload of the unchanged configuration" gctl r1 reload
check_eq "psk: same IKE and child SPIs after the reload" "$before" "$(sa_ids)"

# Reload with a syntax error: refused, the old configuration stays.
cp "$ike_dir/r1.conf" "$ike_dir/r1.good"
sed -i 's/^ integrity sha256$/ integrity sha265/' "$ike_dir/r1.conf"
line=$(grep -n '^ integrity sha265$' "$ike_dir/r1.conf" | cut -d: -f1)
check_output_has "psk: ikevtid -t names FILE:LINE:COL of the error" \
	"^$ike_dir/r1.conf:$line:12: error" \
	eval '! "$IKEVTID" -t -f "$ike_dir/r1.conf"'
check_output_has "psk: ikevtictl reload is refused with FILE:LINE:COL" \
	"$ike_dir/r1.conf:$line:12: error" \
	eval '! gctl r1 reload'
# SIGHUP: one more error line in the log, and the daemon still runs.
errs_logged() { grep -c "r1.conf:$line:12: error" "$(logf r1)"; }
hup_refused() {
	local n
	n=$(errs_logged)
	kill -HUP "${ikevtid_pids[r1]}" &&
	wait_until 20 eval '[ "$(errs_logged)" -gt "$n" ]' &&
	kill -0 "${ikevtid_pids[r1]}"
}
check "psk: SIGHUP with the same error: ikevtid logs it and keeps running" hup_refused
check_eq "psk: same SPIs after the refused reloads" "$before" "$(sa_ids)"
pings "psk, after the refused reload"
cp "$ike_dir/r1.good" "$ike_dir/r1.conf"

# Child rekey under traffic: r1's byte lifetime (2560 KB) runs out.
old_in=$(module_spis r1 ikevti1 in) old_out=$(module_spis r1 ikevti1 out)
ping_count r1 ${lan[r1]} ${lan[r2]} 400 > "$ike_dir/ping" &
pp=$!
ip netns exec r1 ping -q -c 2400 -i 0.005 -s 1200 -W 1 -I ${lan[r1]} ${lan[r2]} \
	> "$ike_dir/ping-bulk" 2>&1 &
bp=$!
check "psk: r1 rekeys the child SA on its soft byte lifetime" \
	wait_until 60 spis_gone r1 "$old_in" "$old_out"
wait $bp
wait $pp
read -r tx rx < "$ike_dir/ping"
check_eq "psk: no ping lost across the rekey" "400 400" "${tx:-?} ${rx:-?}"
check_output_has "psk: no bulk ping lost either" " 0% packet loss" cat "$ike_dir/ping-bulk"
check "psk: both sides agree on the new pair, old SAs gone on r2 too" \
	wait_until 30 eval 'settled && spis_gone r2 "$old_in" "$old_out"'

# clear crypto session on r1: r2 loses the SA, the tunnel comes back.
old_ike=$(ike_json r2 "$(sock r2)" ike local_spi READY)
old_in=$(module_spis r2 ikevti1 in)
check "psk: ikevtictl clear crypto session on r1" gctl r1 clear crypto session
check "psk: r2 deleted its SAs too" wait_until 30 spis_gone r2 "$old_in"
check "psk: the tunnel comes back" wait_until 90 settled
check "psk: r2's IKE SA is a new one" \
	eval '[ "$(ike_json r2 "$(sock r2)" ike local_spi READY)" != "$old_ike" ]'
pings "psk, after clear"
stop_both
check_eq "psk: no SA left in either module after both stopped" "" \
	"$(module_spis r1 ikevti1 in; module_spis r1 ikevti1 out; module_spis r2 ikevti1 in)"

# ---------------------------------------------------------------------
# RSA certificates, two trustpoints on each side

gw_conf r1 r2 rsa
gw_conf r2 r1 rsa
start_both rsa -d debug
check_output_has "rsa: r1 authenticated r2 with a certificate" "RSA|SIG" \
	ike_json r1 "$(sock r1)" ike auth_verify READY
check_output_has "rsa: r2 authenticated r1 with a certificate" "RSA|SIG" \
	ike_json r2 "$(sock r2)" ike auth_verify READY
check_output_has "rsa: r1 logged the trustpoint it chose" "[Tt]rustpoint" cat "$(logf r1)"
cap=$ike_dir/rsa.pcap
capture_start r2 wan "$cap" esp
pings rsa
capture_stop
check_eq "rsa: the capture shows ESP with exactly the two modules' SPIs" \
	"$( (module_spis r1 ikevti1 in; module_spis r1 ikevti1 out) | sort | tr '\n' ' ')" \
	"$(capture_spis "$cap" | tr '\n' ' ')"
before=$(sa_ids)
check "rsa: ikevtictl reload of the unchanged configuration" gctl r2 reload
check_eq "rsa: same IKE and child SPIs after the reload" "$before" "$(sa_ids)"
stop_both

ktap_finish
