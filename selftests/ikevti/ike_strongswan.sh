#!/bin/bash
# IKEv2 between ikevtid and strongSwan (charon-systemd 5.9, swanctl),
# route-based on both sides. For PSK, RSA and ECDSA certificates, with
# ikevtid as initiator and as responder: the IKE SA is up on both sides,
# the module holds the child SAs strongSwan negotiated, pings cross both
# ways, the capture shows ESP with exactly the module's SPIs and the
# counters agree (parts "psk" and "rsa" here, "ecdsa" run by
# ike_strongswan_ecdsa.sh). With PSK, also (parts "life" and
# "wrong_psk", run by ike_strongswan_life.sh): IKE and child rekeys
# started by strongSwan and a child rekey started by ikevtid (byte
# lifetime) lose no ping; a delete from either side removes the SAs on
# the other; a restarted strongSwan is recognised (INITIAL_CONTACT) and
# the tunnel comes back; a wrong PSK fails with a clear log line and no
# SA; part "reauth": strongSwan reauthenticates make-before-break (a new
# IKE SA next to the old one) and no ping is lost.
# IKE_PARTS="pki psk rsa ecdsa life wrong_psk reauth" runs any of them.
#
#  ns r1: ikevtid                                      ns r2: charon
#  lan0 192.168.100.1/24                               lan0 192.168.200.1/24
#  ikevti1 10.0.0.1/30 - wan 192.168.0.1 === wan 192.168.0.2 - ipsec1 10.0.0.2/30
#                                                       (xfrm interface, if_id 1)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike_lib.sh"
set -u

R1=192.168.0.1 R2=192.168.0.2 LAN1=192.168.100.1 LAN2=192.168.200.1
PSK="ikevti-strongswan-$(hex 8)"
sock=$ike_dir/ikevtid.sock
log=$ike_dir/ikevtid.log
conf=$ike_dir/r1.conf
swdir=$ike_dir/r2

# ECP groups, ECDSA and AES-GCM come from strongSwan's openssl and gcm
# plugins (Debian: libstrongswan-standard-plugins).
if [ ! -x "$IKEVTID" ] || [ ! -x "$CHARON" ] || [ ! -x "$SWANCTL" ] ||
   [ ! -e /usr/lib/ipsec/plugins/libstrongswan-openssl.so ]; then
	echo "1..0 # SKIP needs build/ikevtid, charon-systemd, swanctl and strongSwan's openssl plugin"
	exit $KSFT_SKIP
fi

# The parts of this test: IKE_PARTS, by default "pki psk rsa";
# ike_strongswan_ecdsa.sh and ike_strongswan_life.sh run the others, so
# that each program stays well within the selftest timeout.
IKE_PARTS=${IKE_PARTS:-pki psk rsa}
declare -A part_checks=([pki]=1 [psk]=35 [rsa]=35 [ecdsa]=38 [life]=32
			[wrong_psk]=8 [reauth]=9)
plan=0
for part in $IKE_PARTS; do
	plan=$((plan + ${part_checks[$part]}))
done
ktap_header $plan

# ---------------------------------------------------------------------
# Configurations

# ikevtid on R1: r1_conf AUTH [extra ipsec profile line]
# AUTH psk: AES-CBC-256/SHA-256/group 14 IKE, AES-GCM-256 ESP.
# AUTH rsa: same IKE, AES-CBC-256 + HMAC-SHA-256 ESP with PFS group 14.
# AUTH ecdsa: AES-GCM-256 IKE with group 19, AES-GCM-128 ESP, and the
# identities strongSwan uses by default with certificates: the subject
# DNs (identity local dn, match identity remote any).
r1_conf() {
	local auth=$1 extra=${2:-} pki method tset prop
	local match="address $R2 255.255.255.255" me="address $R1"
	case $auth in
	psk) method=pre-share; tset="esp-gcm 256" ;;
	rsa) method=rsa-sig; tset="esp-aes 256 esp-sha256-hmac"
	     extra="set pfs group14
 $extra" ;;
	ecdsa) method=ecdsa-sig; tset="esp-gcm 128" match=any me=dn ;;
	esac
	if [ "$auth" = ecdsa ]; then
		prop=" encryption aes-gcm-256
 prf sha256
 group 19"
	else
		prop=" encryption aes-cbc-256
 integrity sha256
 group 14 19"
	fi
	{
	echo "! R1 (ikevtid) to strongSwan on R2, $auth"
	if [ "$auth" != psk ]; then
		pki=$(ike_pki "$auth")
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
	crypto ikev2 proposal PROP
	$prop
	!
	crypto ikev2 policy POL
	 match fvrf any
	 proposal PROP
	!
	EOF
	[ "$auth" = psk ] && cat <<-EOF
	crypto ikev2 keyring KR
	 peer R2
	  address $R2
	  pre-shared-key ${R1_PSK:-$PSK}
	!
	EOF
	cat <<-EOF
	crypto ikev2 profile PROF
	 match identity remote $match
	 identity local $me
	 authentication remote $method
	 authentication local $method
	EOF
	if [ "$auth" = psk ]; then
		echo " keyring local KR"
	else
		echo " pki trustpoint CA1"
	fi
	cat <<-EOF
	!
	crypto ipsec transform-set TS $tset
	 mode tunnel
	!
	crypto ipsec profile VTI
	 set transform-set TS
	 set ikev2-profile PROF
	 $extra
	!
	interface Tunnel1
	 ip address 10.0.0.1 255.255.255.252
	 tunnel source $R1
	 tunnel destination $R2
	 tunnel protection ipsec profile VTI
	EOF
	} > "$conf"
}

# strongSwan on R2, what its administrator would write: r2_conf AUTH
r2_conf() {
	local auth=$1 pki proposals esp local_auth remote_auth
	local local_id="id = $R2" remote_id="id = $R1"
	rm -rf "$swdir"
	swan_dirs "$swdir"
	case $auth in
	psk) proposals="aes256-sha256-modp2048,aes256-sha256-ecp256"
	     esp="aes256gcm16" ;;
	rsa) proposals="aes256-sha256-modp2048,aes256-sha256-ecp256"
	     esp="aes256-sha256-modp2048" ;;
	# strongSwan's defaults throughout: its IKE and ESP proposals
	# (x25519 first, so ikevtid answers INVALID_KE_PAYLOAD for group
	# 19; AES-GCM-128 among the ESP ones), its subject DN as its ID,
	# any peer ID.
	ecdsa) proposals="default" esp="default"
	       local_id="" remote_id="" ;;
	esac
	if [ "$auth" = psk ]; then
		local_auth="auth = psk"
		remote_auth="auth = psk"
	else
		pki=$(ike_pki "$auth")
		cp "$pki/ca1.pem" "$swdir/swanctl/x509ca/ca1.pem"
		cp "$pki/r2-ca1.pem" "$swdir/swanctl/x509/r2.pem"
		cp "$pki/r2.key" "$swdir/swanctl/private/r2.key"
		local_auth=$(printf 'auth = pubkey\n%12scerts = r2.pem' '')
		remote_auth=$(printf 'auth = pubkey\n%12scacerts = ca1.pem' '')
	fi
	cat > "$swdir/swanctl/swanctl.conf" <<-EOF
	# R2 (strongSwan) to R1 (ikevtid): a route-based tunnel on the xfrm
	# interface ipsec1 (if_id 1), everything routed into it is protected.
	connections {
	    r1 {
	        version = 2
	        local_addrs = $R2
	        remote_addrs = $R1
	        proposals = $proposals
	        local {
	            $local_auth
	            $local_id
	        }
	        remote {
	            $remote_auth
	            $remote_id
	        }
	        children {
	            vti {
	                local_ts = 0.0.0.0/0,::/0
	                remote_ts = 0.0.0.0/0,::/0
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
	        id = $R1
	        secret = "$PSK"
	    }
	}
	EOF
}

# ---------------------------------------------------------------------
# Helpers

# R1's own IKE_SA_INIT requests dropped, so that strongSwan's makes the SA
block_r1_init() { block_own_init r1 wan 4; }
unblock_r1_init() { unblock_own_init r1 wan; }

sw() { swan r2 "$swdir" "$@"; }
r1ctl() { ctl r1 "$sock" "$@"; }

# The packet counter of an xfrm state in R2: xfrm_packets SRC DST SPI
xfrm_packets() { xfrm_state_packets r2 "$@"; }

both_up() {
	ikevtid_up r1 "$sock" && charon_up r2 "$swdir"
}

# The SAs agree: the module's inbound SPI is strongSwan's outbound one
# and the other way round, one pair each.
sas_agree() {
	local min mout cin cout
	min=$(module_spis r1 ikevti1 in) mout=$(module_spis r1 ikevti1 out)
	cin=$(charon_spis r2 "$swdir" in) cout=$(charon_spis r2 "$swdir" out)
	echo "module in=[$min] out=[$mout]; strongSwan in=[$cin] out=[$cout]"
	[ -n "$min" ] && [ -n "$mout" ] && [ "$min" = "$cout" ] && [ "$mout" = "$cin" ]
}

# No SA with one of these SPIs in the module: spis_gone SPI...
spis_gone() {
	local s all
	all=$(module_spis r1 ikevti1 in; module_spis r1 ikevti1 out)
	for s in "$@"; do
		grep -qx "$s" <<< "$all" && return 1
	done
	return 0
}

# check_agree DESC: sas_agree within 30 s (old SAs linger a moment
# after a rekey), with both views shown on failure.
check_agree() {
	if wait_until 30 sas_agree; then
		ktap_ok "$1"
	else
		ktap_not_ok "$1"
		sas_agree | sed 's/^/# /'
	fi
}

no_module_sas() {
	[ -z "$(module_spis r1 ikevti1 in; module_spis r1 ikevti1 out)" ]
}

# strongSwan has no IKE SA with this initiator SPI: charon_ike_gone SPI
charon_ike_gone() {
	! charon_ike_spis r2 "$swdir" | grep -qi "${1#0x}"
}

# One case from nothing to traffic: up_case AUTH ROLE
# ROLE initiator: ikevtid starts the IKE SA; responder: strongSwan does.
up_case() {
	local auth=$1 role=$2 lbl="$1, ikevtid $2" cap min mout init c_mod c_sw

	r1_conf "$auth"
	r2_conf "$auth"
	check "$lbl: strongSwan starts and loads its configuration" \
		start_charon r2 "$swdir"
	[ "$role" = responder ] && block_r1_init
	check "$lbl: ikevtid starts" start_ikevtid r1 "$conf" "$sock" "$log" -d debug
	if [ "$role" = responder ]; then
		wait_until 30 log_has "$log" "initiating IKE SA"
		check "$lbl: strongSwan initiates" swan_initiate r2 "$swdir" vti
	fi
	check_both_up "$lbl: IKE SA READY + child ACTIVE on ikevtid, ESTABLISHED + INSTALLED on strongSwan" \
		r1 "$sock" "$log" r2 "$swdir"
	init=true
	[ "$role" = responder ] && init=false
	check_eq "$lbl: ikevtid's IKE SA says initiator=$init" \
		"$init" "$(ike_json r1 "$sock" ike initiator READY)"
	check_agree "$lbl: the module holds the child SAs strongSwan installed"
	min=$(module_spis r1 ikevti1 in) mout=$(module_spis r1 ikevti1 out)
	check_eq "$lbl: show crypto ipsec sa names the module's SPIs" \
		"$min $mout" \
		"$(ike_json r1 "$sock" ipsec spi_in ACTIVE) $(ike_json r1 "$sock" ipsec spi_out ACTIVE)"
	check_output_has "$lbl: ikevtictl show crypto ikev2 sa shows the peer READY" \
		"$R2.*READY" r1ctl show crypto ikev2 sa
	[ "$auth" = ecdsa ] &&
		check "$lbl: strongSwan's default ID, its subject DN, selected the profile (match identity remote any)" \
			log_has "$log" "peer CN=R2.example.net matches PROF profile"
	[ "$auth" = ecdsa ] && [ "$role" = responder ] &&
		check "$lbl: strongSwan's default KE (x25519) was answered with INVALID_KE_PAYLOAD for group 19" \
			log_has "$log" "KE is for group 31, we chose group 19: INVALID_KE_PAYLOAD"
	check_output_has "$lbl: the tunnel has carrier" "LOWER_UP" \
		ip -n r1 link show ikevti1

	cap=$ike_dir/$auth-$role.pcap
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
	# With no SA, or no count, both sides would be empty, and equal:
	# the expected side names what is missing.
	c_mod=$(sa_counter r1 ikevti1 out "$mout" packets)
	c_sw=$(xfrm_packets $R1 $R2 "$mout")
	check_eq "$lbl: strongSwan decrypted what the module encrypted" \
		"${mout:-no SA} ${c_mod:-no count}" "$mout $c_sw"
	c_mod=$(sa_counter r1 ikevti1 in "$min" packets)
	c_sw=$(xfrm_packets $R2 $R1 "$min")
	check_eq "$lbl: the module decrypted what strongSwan encrypted" \
		"${min:-no SA} ${c_sw:-no count}" "$min $c_mod"
	check_eq "$lbl: 8 packets each way on the module's SAs" "8 8" \
		"$(sa_counter r1 ikevti1 out "$mout" packets) $(sa_counter r1 ikevti1 in "$min" packets)"
	[ "$role" = responder ] && unblock_r1_init
	return 0
}

# Tear a case down: ikevtid's shutdown deletes the SAs at strongSwan too.
down_case() {
	local lbl="$1, ikevtid $2"
	stop_ikevtid r1
	check "$lbl: ikevtid's shutdown deleted the IKE SA at strongSwan" \
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
# Six ways up: three authentications, ikevtid as initiator and responder

# The PKIs the parts to run need (key generation is slow under TCG).
make_pkis() {
	local k
	for k in "$@"; do
		ike_pki "$k" || return 1
	done
}
part_pki() {
	local kinds=""
	case " $IKE_PARTS " in *" rsa "*) kinds="rsa" ;; esac
	case " $IKE_PARTS " in *" ecdsa "*) kinds="${kinds:+$kinds }ecdsa" ;; esac
	# shellcheck disable=SC2086
	check "test PKI ($kinds) made with tools/pki/mkpki.sh" make_pkis $kinds
}

# IKE_CASES: one role only (debugging; the plan then differs).
ways_up() {	# ways_up AUTH
	local role
	for role in ${IKE_CASES:-initiator responder}; do
		up_case "$1" "$role"
		down_case "$1" "$role"
	done
}
part_psk() { ways_up psk; }
part_rsa() { ways_up rsa; }
part_ecdsa() { ways_up ecdsa; }

# ---------------------------------------------------------------------
# Life of a PSK tunnel: rekeys, deletes, restart

part_life() {
	r1_conf psk "set security-association lifetime kilobytes 2560"
	r2_conf psk
	check "life: strongSwan starts" start_charon r2 "$swdir"
	check "life: ikevtid starts with a 2560 KB child lifetime" \
		start_ikevtid r1 "$conf" "$sock" "$log" -d debug
	check "life: tunnel up" wait_until 60 both_up

	# IKE rekey from strongSwan: new IKE SPIs, the child SA stays.
	old_ike=$(ike_json r1 "$sock" ike local_spi READY)
	old_in=$(module_spis r1 ikevti1 in)
	check "life: strongSwan rekeys the IKE SA" sw --rekey --ike r1
	check "life: ikevtid shows one READY IKE SA with new SPIs" wait_until 30 eval \
		'[ "$(ike_count r1 "$sock" ike READY)" = 1 ] &&
		 [ "$(ike_json r1 "$sock" ike local_spi READY)" != "$old_ike" ]'
	check_eq "life: the child SA survived the IKE rekey" "$old_in" \
		"$(module_spis r1 ikevti1 in)"
	check "life: strongSwan has one IKE SA" \
		eval '[ "$(swan_ike_count r2 "$swdir" ESTABLISHED)" = 1 ]'

	# Child rekey from strongSwan under traffic.
	old_in=$(module_spis r1 ikevti1 in) old_out=$(module_spis r1 ikevti1 out)
	ping_count r1 $LAN1 $LAN2 100 > "$ike_dir/ping1" &
	pp=$!
	wait_until 20 eval '[ "$(sa_counter r1 ikevti1 out "$old_out" packets)" -ge 5 ]'
	check "life: strongSwan rekeys the child SA (swanctl --rekey --child)" \
		sw --rekey --child vti
	wait $pp
	read -r tx rx < "$ike_dir/ping1"
	check_eq "life: no ping lost across strongSwan's child rekey" "100 100" "${tx:-?} ${rx:-?}"
	check "life: the old child SAs are gone from the module" \
		wait_until 30 spis_gone "$old_in" "$old_out"
	check_agree "life: the module holds the new pair strongSwan installed"
	check "life: one child ACTIVE on ikevtid" \
		eval '[ "$(ike_count r1 "$sock" ipsec ACTIVE)" = 1 ]'

	# Child rekey from ikevtid: the byte lifetime expires under traffic
	# (soft expiry at 85-90 % of 2560 KB: about 2.2 MB at ~150 KB/s).
	old_in=$(module_spis r1 ikevti1 in) old_out=$(module_spis r1 ikevti1 out)
	ping_count r1 $LAN1 $LAN2 400 > "$ike_dir/ping2" &
	pp=$!
	ip netns exec r1 ping -q -c 2400 -i 0.005 -s 1200 -W 1 -I $LAN1 $LAN2 \
		> "$ike_dir/ping-bulk" 2>&1 &
	bp=$!
	check "life: ikevtid rekeys on the soft byte lifetime" \
		wait_until 60 spis_gone "$old_in" "$old_out"
	wait $bp
	wait $pp
	read -r tx rx < "$ike_dir/ping2"
	check_eq "life: no ping lost across ikevtid's child rekey" "400 400" "${tx:-?} ${rx:-?}"
	check_output_has "life: no bulk ping lost either" " 0% packet loss" cat "$ike_dir/ping-bulk"
	check_agree "life: the module holds the new pair strongSwan installed"
	check "life: strongSwan shows one installed child" charon_up r2 "$swdir"

	# Delete from strongSwan.
	old_in=$(module_spis r1 ikevti1 in) old_out=$(module_spis r1 ikevti1 out)
	old_ike=$(ike_json r1 "$sock" ike local_spi READY)
	check "life: strongSwan deletes the IKE SA (swanctl --terminate --ike)" \
		sw --terminate --ike r1
	check "life: the SAs are gone from the module" \
		wait_until 30 spis_gone "$old_in" "$old_out"
	check_eq "life: ikevtid has no IKE SA with the deleted SPI" "" \
		"$(ike_json r1 "$sock" ike local_spi | grep -x "$old_ike")"

	# ikevtid sets the tunnel up again by itself (a VTI stays protected).
	check "life: ikevtid brings the tunnel back" wait_until 60 both_up
	check "life: ping after the re-establishment" \
		ip netns exec r1 ping -c 2 -i 0.2 -W 2 -I $LAN1 $LAN2

	# Delete from ikevtid.
	spi=$(ike_json r1 "$sock" ike local_spi READY)
	old_in=$(module_spis r1 ikevti1 in) old_out=$(module_spis r1 ikevti1 out)
	check "life: ikevtictl clear crypto session" r1ctl clear crypto session
	check "life: strongSwan no longer has that IKE SA" \
		wait_until 30 charon_ike_gone "$spi"
	check "life: the cleared SAs are gone from the module" \
		wait_until 30 spis_gone "$old_in" "$old_out"

	# Restart of the peer: charon is killed (no Delete) and comes back; its
	# new IKE SA carries INITIAL_CONTACT and replaces ours.
	wait_until 60 both_up
	old_in=$(module_spis r1 ikevti1 in) old_out=$(module_spis r1 ikevti1 out)
	kill_charon r2
	ip -n r2 xfrm state flush
	ip -n r2 xfrm policy flush
	check "life: strongSwan restarts" start_charon r2 "$swdir"
	check "life: restarted strongSwan initiates" swan_initiate r2 "$swdir" vti
	check "life: the stale SAs are gone from the module" \
		wait_until 30 spis_gone "$old_in" "$old_out"
	check "life: one IKE SA and one child on each side" wait_until 60 both_up
	check_agree "life: the module holds the pair the restarted strongSwan installed"
	check "life: ping after the peer restart" \
		ip netns exec r1 ping -c 3 -i 0.2 -W 2 -I $LAN1 $LAN2
	check_output_has "life: ikevtid logged the peer's INITIAL_CONTACT" \
		"INITIAL_CONTACT from the peer" cat "$log"
	stop_ikevtid r1
	stop_charon r2
}

# ---------------------------------------------------------------------
# A wrong pre-shared key

part_wrong_psk() {
	R1_PSK="not-the-$PSK" r1_conf psk
	r2_conf psk
	check "wrong PSK: strongSwan starts" start_charon r2 "$swdir"
	check "wrong PSK: ikevtid starts" start_ikevtid r1 "$conf" "$sock" "$log" -d info
	check "wrong PSK: ikevtid logs strongSwan's AUTHENTICATION_FAILED" \
		wait_until 30 log_has "$log" "peer answered AUTHENTICATION_FAILED"
	check_fails "wrong PSK: strongSwan's own initiation fails" \
		swan_initiate r2 "$swdir" vti
	check "wrong PSK: ikevtid logs why it refused strongSwan's AUTH" \
		log_has "$log" "AUTHENTICATION_FAILED: pre-shared key AUTH does not verify"
	check_eq "wrong PSK: no IKE SA READY on ikevtid" 0 "$(ike_count r1 "$sock" ike READY)"
	check "wrong PSK: no SA in the module" no_module_sas
	check_eq "wrong PSK: no IKE SA on strongSwan" 0 "$(swan_ike_count r2 "$swdir" ESTABLISHED)"
	stop_ikevtid r1
	stop_charon r2
}

# ---------------------------------------------------------------------
# Reauthentication by strongSwan (RFC 7296 2.8.3) made before it breaks:
# a whole new IKE SA and child pair from scratch while the old ones still
# carry traffic, then the old IKE SA deleted with its children.
# (strongSwan 5.9's default is to break first, which loses the packets
# sent in between whatever the peer does.) A new IKE SA within 30 s of
# the old one is taken for a collision of two initiations (settled by
# the nonces), so the reauthentication waits until the SA is older, as
# any real reauth_time makes it.

part_reauth() {
	local old_ike old_in old_out pp tx rx
	r1_conf psk
	r2_conf psk
	CHARON_EXTRA="make_before_break = yes" \
		check "reauth: strongSwan starts (make_before_break = yes)" \
		start_charon r2 "$swdir"
	check "reauth: ikevtid starts" \
		start_ikevtid r1 "$conf" "$sock" "$log" -d debug
	check "reauth: tunnel up" wait_until 60 both_up
	sleep 32
	old_ike=$(ike_json r1 "$sock" ike local_spi READY)
	old_in=$(module_spis r1 ikevti1 in) old_out=$(module_spis r1 ikevti1 out)
	ping_count r1 $LAN1 $LAN2 100 > "$ike_dir/ping-reauth" &
	pp=$!
	wait_until 20 eval '[ "$(sa_counter r1 ikevti1 out "$old_out" packets)" -ge 5 ]'
	check "reauth: strongSwan reauthenticates (swanctl --rekey --ike --reauth)" \
		sw --rekey --ike r1 --reauth
	wait $pp
	read -r tx rx < "$ike_dir/ping-reauth"
	check_eq "reauth: no ping lost across the reauthentication" "100 100" \
		"${tx:-?} ${rx:-?}"
	check "reauth: ikevtid shows one READY IKE SA, with new SPIs" \
		wait_until 30 eval '[ "$(ike_count r1 "$sock" ike READY)" = 1 ] &&
		[ "$(ike_json r1 "$sock" ike local_spi READY)" != "$old_ike" ]'
	check "reauth: the old child SAs are gone from the module" \
		wait_until 30 spis_gone "$old_in" "$old_out"
	check_agree "reauth: the module holds the new pair strongSwan installed"
	check "reauth: one IKE SA and one child on each side" \
		wait_until 30 both_up
	stop_ikevtid r1
	stop_charon r2
}

for part in $IKE_PARTS; do
	"part_$part"
done
ktap_finish
