#!/bin/bash
# IKEv1 between ikevtid and strongSwan (charon-systemd 5.9, swanctl with
# version = 1), route-based on both sides, ikevtid configured as an IOS
# router would be (crypto isakmp policy, crypto isakmp key or keyring,
# isakmp profile with set isakmp-profile, transform set, Tunnel1). With
# ikevtid as initiator and as responder: Main Mode with a pre-shared key
# (part "psk"), Main Mode with RSA certificates and PFS (part "rsa"),
# Aggressive Mode with a pre-shared key (part "aggr"): the ISAKMP SA and
# the IPsec SAs are up on both sides, the module holds the SAs strongSwan
# negotiated, pings cross both ways, the capture shows ESP with exactly
# the module's SPIs and the counters agree. Part "life": rekeys of the
# IPsec SAs by either side and of the ISAKMP SA by strongSwan under
# traffic lose no ping, Delete from either side, and a dead strongSwan
# found by ikevtid's DPD.
# IKE_PARTS="pki psk rsa aggr life" runs any of them.
#
#  ns r1: ikevtid                                      ns r2: charon
#  lan0 192.168.100.1/24                               lan0 192.168.200.1/24
#  ikevti1 10.0.0.1/30 - wan 192.168.0.1 === wan 192.168.0.2 - ipsec1 10.0.0.2/30
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike_lib.sh"
set -u

export IKE_SHOW=isakmp	# ike_lib.sh: IKEv1 SAs are in show crypto isakmp sa
R1=192.168.0.1 R2=192.168.0.2 LAN1=192.168.100.1 LAN2=192.168.200.1
PSK="ikevti-v1-$(hex 8)"
sock=$ike_dir/ikevtid.sock
log=$ike_dir/ikevtid.log
conf=$ike_dir/r1.conf
swdir=$ike_dir/r2

if [ ! -x "$IKEVTID" ] || [ ! -x "$CHARON" ] || [ ! -x "$SWANCTL" ] ||
   [ ! -e /usr/lib/ipsec/plugins/libstrongswan-openssl.so ]; then
	echo "1..0 # SKIP needs build/ikevtid, charon-systemd, swanctl and strongSwan's openssl plugin"
	exit $KSFT_SKIP
fi

IKE_PARTS=${IKE_PARTS:-pki psk rsa aggr life}
declare -A part_checks=([pki]=1 [psk]=34 [rsa]=34 [aggr]=34 [life]=21)
plan=0
for part in $IKE_PARTS; do
	plan=$((plan + ${part_checks[$part]}))
done
ktap_header $plan

# ---------------------------------------------------------------------
# Configurations

# ikevtid on R1, IKEv1 as IOS writes it: r1_conf AUTH [extra global]
# psk: crypto isakmp key, no profile (the global policies and keys).
# rsa: a profile with ca trust-point, PFS group 14.
# aggr: a keyring and a profile with initiate mode aggressive.
r1_conf() {
	local auth=$1 extra=${2:-} pki method=pre-share ipsec_extra=${3:-}
	[ "$auth" = rsa ] && method=rsa-sig
	{
	echo "! R1 (ikevtid) to strongSwan on R2, IKEv1 $auth"
	echo "hostname R1"
	echo "ip domain name example.net"
	if [ "$auth" = rsa ]; then
		pki=$(ike_pki rsa)
		cat <<-EOF
		crypto pki trustpoint CA1
		 ca-certificate-file $pki/ca1.pem
		 certificate-file $pki/r1-ca1.pem
		 private-key-file $pki/r1.key
		 revocation-check none
		!
		EOF
	fi
	cat <<-EOF
	crypto isakmp policy 10
	 encr aes 256
	 hash sha256
	 authentication $method
	 group 14
	 lifetime 3600
	!
	EOF
	case $auth in
	psk)
		echo "crypto isakmp key ${R1_PSK:-$PSK} address $R2" ;;
	rsa)
		ipsec_extra=" set pfs group14
 set isakmp-profile PROF
 $ipsec_extra"
		cat <<-EOF
		crypto isakmp profile PROF
		 match identity address $R2 255.255.255.255
		 ca trust-point CA1
		!
		EOF
		;;
	aggr)
		ipsec_extra=" set isakmp-profile PROF
 $ipsec_extra"
		cat <<-EOF
		crypto keyring KR
		 pre-shared-key address $R2 key $PSK
		!
		crypto isakmp profile PROF
		 match identity address $R2 255.255.255.255
		 keyring KR
		 self-identity fqdn
		 initiate mode aggressive
		!
		EOF
		;;
	esac
	[ -n "$extra" ] && echo "$extra"
	cat <<-EOF
	!
	crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
	 mode tunnel
	!
	crypto ipsec profile VTI
	 set transform-set TS
	$ipsec_extra
	!
	interface Tunnel1
	 ip address 10.0.0.1 255.255.255.252
	 tunnel source $R1
	 tunnel destination $R2
	 tunnel mode ipsec ipv4
	 tunnel protection ipsec profile VTI
	EOF
	} > "$conf"
}

# strongSwan on R2, IKEv1: r2_conf AUTH [extra connection lines]
r2_conf() {
	local auth=$1 extra=${2:-} pki esp="aes256-sha256"
	local local_auth="auth = psk" remote_auth="auth = psk" aggressive=no
	local remote_id="id = $R1"
	rm -rf "$swdir"
	swan_dirs "$swdir"
	case $auth in
	rsa)
		pki=$(ike_pki rsa)
		esp="aes256-sha256-modp2048"
		cp "$pki/ca1.pem" "$swdir/swanctl/x509ca/ca1.pem"
		cp "$pki/r2-ca1.pem" "$swdir/swanctl/x509/r2.pem"
		cp "$pki/r2.key" "$swdir/swanctl/private/r2.key"
		local_auth=$(printf 'auth = pubkey\n%12scerts = r2.pem' '')
		remote_auth=$(printf 'auth = pubkey\n%12scacerts = ca1.pem' '')
		;;
	aggr)
		aggressive=yes
		remote_id="id = R1.example.net"
		;;
	esac
	cat > "$swdir/swanctl/swanctl.conf" <<-EOF
	# R2 (strongSwan) to R1 (ikevtid) with IKEv1: a route-based tunnel
	# on the xfrm interface ipsec1 (if_id 1).
	connections {
	    r1 {
	        version = 1
	        aggressive = $aggressive
	        local_addrs = $R2
	        remote_addrs = $R1
	        proposals = aes256-sha256-modp2048
	        rekey_time = 3000s
	        $extra
	        local {
	            $local_auth
	            id = $R2
	        }
	        remote {
	            $remote_auth
	            $remote_id
	        }
	        children {
	            vti {
	                local_ts = 0.0.0.0/0
	                remote_ts = 0.0.0.0/0
	                esp_proposals = $esp
	                if_id_in = 1
	                if_id_out = 1
	                mode = tunnel
	            }
	        }
	    }
	}
	secrets {
	    ike-r1 {
	        id-1 = $R1
	        id-2 = R1.example.net
	        secret = "$PSK"
	    }
	}
	EOF
}

# ---------------------------------------------------------------------
# Helpers

# R1's own first Main/Aggressive Mode messages dropped, so that
# strongSwan's make the SA.
block_r1_init() { block_own_v1_init r1 wan; }
unblock_r1_init() { unblock_own_init r1 wan; }

sw() { swan r2 "$swdir" "$@"; }
r1ctl() { ctl r1 "$sock" "$@"; }
xfrm_packets() { xfrm_state_packets r2 "$@"; }
both_up() { ikevtid_up r1 "$sock" && charon_up r2 "$swdir"; }

sas_agree() {
	local min mout cin cout
	min=$(module_spis r1 ikevti1 in) mout=$(module_spis r1 ikevti1 out)
	cin=$(charon_spis r2 "$swdir" in) cout=$(charon_spis r2 "$swdir" out)
	echo "module in=[$min] out=[$mout]; strongSwan in=[$cin] out=[$cout]"
	[ -n "$min" ] && [ -n "$mout" ] && [ "$min" = "$cout" ] && [ "$mout" = "$cin" ]
}
check_agree() {
	if wait_until 30 sas_agree; then
		ktap_ok "$1"
	else
		ktap_not_ok "$1"
		sas_agree | sed 's/^/# /'
	fi
}
spis_gone() {
	local s all
	all=$(module_spis r1 ikevti1 in; module_spis r1 ikevti1 out)
	for s in "$@"; do
		grep -qx "$s" <<< "$all" && return 1
	done
	return 0
}
no_module_sas() {
	[ -z "$(module_spis r1 ikevti1 in; module_spis r1 ikevti1 out)" ]
}

# From nothing to traffic: up_case AUTH ROLE
up_case() {
	local auth=$1 role=$2 lbl="IKEv1 $1, ikevtid $2" cap min mout c_mod c_sw
	local mode=Main

	[ "$auth" = aggr ] && mode=Aggressive
	r1_conf "$auth"
	r2_conf "$auth"
	[ "$auth" = aggr ] &&
		export CHARON_EXTRA="i_dont_care_about_security_and_use_aggressive_mode_psk = yes"
	check "$lbl: strongSwan starts and loads its configuration" \
		start_charon r2 "$swdir"
	unset CHARON_EXTRA
	[ "$role" = responder ] && block_r1_init
	check "$lbl: ikevtid starts" start_ikevtid r1 "$conf" "$sock" "$log" -d debug
	if [ "$role" = responder ]; then
		wait_until 30 log_has "$log" "beginning $mode Mode"
		check "$lbl: strongSwan initiates" swan_initiate r2 "$swdir" vti
	else
		ktap_ok "$lbl: ikevtid initiates by itself"
	fi
	check_both_up "$lbl: SAs up on ikevtid, ESTABLISHED + INSTALLED on strongSwan" \
		r1 "$sock" "$log" r2 "$swdir"
	check "$lbl: ikevtid logged IKEv1 phase 1 complete ($mode Mode)" \
		log_has "$log" "IKEv1 phase 1 complete .$mode Mode"
	check "$lbl: strongSwan's SA is IKEv1" eval \
		'sw --list-sas 2>/dev/null | grep -q "IKEv1"'
	check_output_has "$lbl: show crypto isakmp sa shows the peer in QM_IDLE" \
		"QM_IDLE" r1ctl show crypto isakmp sa
	check_agree "$lbl: the module holds the IPsec SAs strongSwan installed"
	min=$(module_spis r1 ikevti1 in) mout=$(module_spis r1 ikevti1 out)
	check_output_has "$lbl: the tunnel has carrier" "LOWER_UP" \
		ip -n r1 link show ikevti1
	cap=$ike_dir/v1-$auth-$role.pcap
	capture_start r2 wan "$cap" esp
	check "$lbl: ping LAN1 -> LAN2" \
		ip netns exec r1 ping -c 3 -i 0.2 -W 2 -I $LAN1 $LAN2
	check "$lbl: ping LAN2 -> LAN1" \
		ip netns exec r2 ping -c 3 -i 0.2 -W 2 -I $LAN2 $LAN1
	check "$lbl: ping tunnel 10.0.0.1 -> 10.0.0.2" \
		ip netns exec r1 ping -c 2 -i 0.2 -W 2 10.0.0.2
	capture_stop
	check_eq "$lbl: the capture shows ESP with exactly the module's SPIs" \
		"$(printf '%s\n' "$min" "$mout" | sort | tr '\n' ' ')" \
		"$(capture_spis "$cap" | tr '\n' ' ')"
	c_mod=$(sa_counter r1 ikevti1 out "$mout" packets)
	c_sw=$(xfrm_packets $R1 $R2 "$mout")
	check_eq "$lbl: strongSwan decrypted what the module encrypted" \
		"${mout:-no SA} ${c_mod:-no count}" "$mout $c_sw"
	c_mod=$(sa_counter r1 ikevti1 in "$min" packets)
	c_sw=$(xfrm_packets $R2 $R1 "$min")
	check_eq "$lbl: the module decrypted what strongSwan encrypted" \
		"${min:-no SA} ${c_sw:-no count}" "$min $c_mod"
	[ "$role" = responder ] && unblock_r1_init
	return 0
}

down_case() {
	local lbl="IKEv1 $1, ikevtid $2"
	stop_ikevtid r1
	check "$lbl: ikevtid's shutdown deleted the SAs at strongSwan" \
		wait_until 30 eval '[ "$(swan_ike_count r2 "$swdir" ESTABLISHED)" = 0 ]'
	check "$lbl: no SA left in the module" no_module_sas
	stop_charon r2
	unblock_r1_init
}

# ---------------------------------------------------------------------
# Topology

add_netns r1 r2
for ns in r1 r2; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done
veth_pair r1 wan $R1/24 r2 wan $R2/24
lan_add r1 $LAN1/24
lan_add r2 $LAN2/24
ip -n r1 link add ikevti1 type ikevti local $R1 remote $R2
ip -n r1 addr add 10.0.0.1/30 dev ikevti1
ip -n r1 link set ikevti1 up
ip -n r1 route add 192.168.200.0/24 dev ikevti1
xfrmi_add r2 ipsec1 wan 1 10.0.0.2/30
ip -n r2 route add 192.168.100.0/24 dev ipsec1

# ---------------------------------------------------------------------
# Parts

part_pki() { check "test PKI (rsa) made with tools/pki/mkpki.sh" ike_pki rsa; }

ways_up() {
	local role
	for role in ${IKE_CASES:-initiator responder}; do
		up_case "$1" "$role"
		down_case "$1" "$role"
	done
}
part_psk() { ways_up psk; }
part_rsa() { ways_up rsa; }
part_aggr() { ways_up aggr; }

part_life() {
	local old_in old_out pp tx rx old_ike
	r1_conf psk "crypto isakmp keepalive 10 2" \
		" set security-association lifetime kilobytes 2560"
	r2_conf psk "dpd_delay = 10s"
	check "life: strongSwan starts" start_charon r2 "$swdir"
	check "life: ikevtid starts" start_ikevtid r1 "$conf" "$sock" "$log" -d debug
	check "life: tunnel up" wait_until 60 both_up

	# IPsec SA rekey by strongSwan under traffic.
	old_in=$(module_spis r1 ikevti1 in) old_out=$(module_spis r1 ikevti1 out)
	ping_count r1 $LAN1 $LAN2 100 > "$ike_dir/ping1" &
	pp=$!
	wait_until 20 eval '[ "$(sa_counter r1 ikevti1 out "$old_out" packets)" -ge 5 ]'
	check "life: strongSwan rekeys the IPsec SAs (swanctl --rekey --child)" \
		sw --rekey --child vti
	wait $pp
	read -r tx rx < "$ike_dir/ping1"
	check_eq "life: no ping lost across strongSwan's Quick Mode rekey" \
		"100 100" "${tx:-?} ${rx:-?}"
	check "life: the module transmits on a new outbound SA" \
		wait_until 30 eval '[ -n "$(module_spis r1 ikevti1 out | grep -vx "$old_out")" ]'

	# IPsec SA rekey by ikevtid: the soft byte lifetime (85-90 % of
	# 2560 KB) runs out under traffic and ikevtid runs a Quick Mode.
	old_out=$(module_spis r1 ikevti1 out | tail -n1)
	ping_count r1 $LAN1 $LAN2 400 > "$ike_dir/ping2" &
	pp=$!
	ip netns exec r1 ping -q -c 2400 -i 0.005 -s 1200 -W 1 -I $LAN1 $LAN2 \
		> "$ike_dir/ping-bulk" 2>&1 &
	bp=$!
	check "life: ikevtid rekeys on the soft byte lifetime" \
		wait_until 60 spis_gone "$old_out"
	wait $bp
	wait $pp
	read -r tx rx < "$ike_dir/ping2"
	check_eq "life: no ping lost across ikevtid's Quick Mode rekey" \
		"400 400" "${tx:-?} ${rx:-?}"
	check_agree "life: the module holds the pair strongSwan has now"

	# ISAKMP SA rekey by strongSwan (IKEv1: a new Main Mode) under traffic.
	old_ike=$(ike_json r1 "$sock" isakmp local_spi READY | head -n1)
	ping_count r1 $LAN1 $LAN2 100 > "$ike_dir/ping3" &
	pp=$!
	sleep 2
	check "life: strongSwan renews the ISAKMP SA (swanctl --rekey --ike)" \
		sw --rekey --ike r1
	wait $pp
	read -r tx rx < "$ike_dir/ping3"
	check_eq "life: no ping lost across the ISAKMP rekey" "100 100" \
		"${tx:-?} ${rx:-?}"
	check "life: one ISAKMP SA left, a new one" wait_until 40 eval \
		'[ "$(ike_count r1 "$sock" isakmp READY)" = 1 ] &&
		 [ "$(ike_json r1 "$sock" isakmp local_spi READY)" != "$old_ike" ]'
	check_agree "life: the IPsec SAs survived the ISAKMP rekey"

	# Delete by strongSwan.
	old_in=$(module_spis r1 ikevti1 in) old_out=$(module_spis r1 ikevti1 out)
	check "life: strongSwan deletes the SAs (swanctl --terminate --ike)" \
		sw --terminate --ike r1
	check "life: the SAs are gone from the module" \
		wait_until 30 spis_gone "$old_in" "$old_out"
	check "life: ikevtid brings the tunnel back" wait_until 60 both_up

	# Delete by ikevtid.
	old_in=$(module_spis r1 ikevti1 in) old_out=$(module_spis r1 ikevti1 out)
	check "life: ikevtictl clear crypto session" r1ctl clear crypto session
	check "life: strongSwan deleted the cleared IPsec SAs" wait_until 30 eval \
		'! sw --list-sas 2>/dev/null | grep -q "${old_in#0x}"'
	check "life: the tunnel comes back" wait_until 60 both_up

	# A dead peer: strongSwan stops answering; ikevtid's DPD notices.
	ip -n r2 link set wan down
	check "life: ikevtid's DPD declares strongSwan dead" \
		wait_until 90 log_has "$log" "is dead"
	check "life: the SAs of the dead peer are gone from the module" \
		wait_until 10 no_module_sas
	ip -n r2 link set wan up
	stop_ikevtid r1
	stop_charon r2
}

for part in $IKE_PARTS; do
	"part_$part"
done
ktap_finish
