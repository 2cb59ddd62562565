#!/bin/bash
# IKEv1 between two ikevtid. Part "psk": Main Mode with a pre-shared key,
# both gateways starting at once (the duplicate ISAKMP SAs and IPsec
# pairs settle to one pair both sides agree on), traffic and the capture.
# Part "seed": the seed documents' IKEv1 certificate case. Both routers
# are enrolled in CA1 and CA2, R1 in CA2 last; R1's isakmp profile says
# "ca trust-point CA1", R2's names none. R1 initiating comes up; R2
# initiating fails (R1's MM4 asks for CA2 first, R2 signs with its CA2
# certificate, R1 accepts CA1 only), and R1's log says why; R1 enrolled
# in CA1 last makes R2's initiation work too.
#
#  ns r1: ikevtid                                      ns r2: ikevtid
#  lan0 192.168.100.1/24                               lan0 192.168.200.1/24
#  ikevti1 10.0.0.1/30 - wan 192.168.0.1 === wan 192.168.0.2 - ikevti1 10.0.0.2/30
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike_lib.sh"
set -u
export IKE_SHOW=isakmp

declare -A addr=([r1]=192.168.0.1 [r2]=192.168.0.2)
declare -A lan=([r1]=192.168.100.1 [r2]=192.168.200.1)
PSK="ikevti-v1-$(hex 8)"

if [ ! -x "$IKEVTID" ]; then
	echo "1..0 # SKIP needs build/ikevtid"
	exit $KSFT_SKIP
fi
IKE_PARTS=${IKE_PARTS:-psk seed}
declare -A part_checks=([psk]=8 [seed]=13)
plan=0
for part in $IKE_PARTS; do
	plan=$((plan + ${part_checks[$part]}))
done
ktap_header $plan

# gw_conf ME PEER AUTH: IOS IKEv1, as the seed routers are configured.
gw_conf() {
	local me=$1 peer=$2 auth=$3 pki=$ike_dir/pki-v1 tps=""
	{
	echo "hostname ${me^^}"
	if [ "$auth" = rsa ]; then
		for ca in ca1 ca2; do
			cat <<-EOF
			crypto pki trustpoint ${ca^^}
			 ca-certificate-file $pki/$ca.pem
			 certificate-file $pki/$me-$ca.pem
			 private-key-file $pki/$me.key
			 revocation-check none
			!
			EOF
		done
		[ "$me" = r1 ] && tps=" ca trust-point CA1"
		cat <<-EOF
		crypto isakmp policy 10
		 encr aes 256
		 hash sha256
		 group 14
		!
		crypto isakmp profile PROF
		 match identity address ${addr[$peer]} 255.255.255.255
		$tps
		!
		EOF
	else
		cat <<-EOF
		crypto isakmp policy 10
		 encr aes 256
		 hash sha256
		 authentication pre-share
		 group 14
		crypto isakmp key $PSK address ${addr[$peer]}
		EOF
	fi
	cat <<-EOF
	crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
	 mode tunnel
	crypto ipsec profile VTI
	 set transform-set TS
	EOF
	[ "$auth" = rsa ] && echo " set isakmp-profile PROF"
	cat <<-EOF
	interface Tunnel1
	 tunnel source ${addr[$me]}
	 tunnel destination ${addr[$peer]}
	 tunnel mode ipsec ipv4
	 tunnel protection ipsec profile VTI
	EOF
	} > "$ike_dir/$me.conf"
}

# Enroll R1 under CA again, now: its certificate becomes the newest of
# R1's store, so that CA's trustpoint comes first (cisco-semantics.md).
reenroll_r1() {
	local pki=$ike_dir/pki-v1 ca=$1
	sleep 1.1
	openssl req -new -sha256 -days 30 -key "$pki/r1.key" \
		-subj "/CN=R1.example.net" -CA "$pki/$ca.pem" \
		-CAkey "$pki/$ca.key" \
		-set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" \
		-addext "basicConstraints=critical,CA:FALSE" \
		-addext "keyUsage=critical,digitalSignature,keyEncipherment" \
		-addext "subjectAltName=IP:192.168.0.1,DNS:r1.example.net" \
		-out "$pki/r1-$ca.pem" 2>/dev/null
}

start() {	# start NS [ikevtid args]
	local ns=$1
	shift
	start_ikevtid "$ns" "$ike_dir/$ns.conf" "$ike_dir/$ns.sock" \
		"$ike_dir/$ns.log" -d debug "$@"
}
up() { ikevtid_up "$1" "$ike_dir/$1.sock"; }
no_sas() {
	[ -z "$(module_spis "$1" ikevti1 in; module_spis "$1" ikevti1 out)" ]
}
pair_agrees() {
	[ "$(module_spis r1 ikevti1 in)" = "$(module_spis r2 ikevti1 out)" ] &&
	[ "$(module_spis r1 ikevti1 out)" = "$(module_spis r2 ikevti1 in)" ] &&
	[ -n "$(module_spis r1 ikevti1 in)" ]
}

add_netns r1 r2
for ns in r1 r2; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done
veth_pair r1 wan ${addr[r1]}/24 r2 wan ${addr[r2]}/24
lan_add r1 ${lan[r1]}/24
lan_add r2 ${lan[r2]}/24
ip -n r1 link add ikevti1 type ikevti local ${addr[r1]} remote ${addr[r2]}
ip -n r2 link add ikevti1 type ikevti local ${addr[r2]} remote ${addr[r1]}
ip -n r1 addr add 10.0.0.1/30 dev ikevti1
ip -n r2 addr add 10.0.0.2/30 dev ikevti1
for ns in r1 r2; do
	ip -n $ns link set ikevti1 up
done
ip -n r1 route add 192.168.200.0/24 dev ikevti1
ip -n r2 route add 192.168.100.0/24 dev ikevti1

part_psk() {
	local cap=$ike_dir/v1-psk.pcap
	gw_conf r1 r2 psk
	gw_conf r2 r1 psk
	check "psk: both ikevtid start (both initiate)" eval 'start r1 && start r2'
	check "psk: one ISAKMP SA and one IPsec pair on each side" \
		wait_until 90 eval 'up r1 && up r2'
	check "psk: the module's SAs cross over (in = the peer's out)" \
		wait_until 30 pair_agrees
	capture_start r2 wan "$cap" esp
	check "psk: ping LAN1 -> LAN2" \
		ip netns exec r1 ping -c 3 -i 0.2 -W 2 -I ${lan[r1]} ${lan[r2]}
	check "psk: ping LAN2 -> LAN1" \
		ip netns exec r2 ping -c 3 -i 0.2 -W 2 -I ${lan[r2]} ${lan[r1]}
	capture_stop
	check_eq "psk: the capture shows ESP with exactly the module's SPIs" \
		"$(printf '%s\n' "$(module_spis r1 ikevti1 in)" "$(module_spis r1 ikevti1 out)" | sort | tr '\n' ' ')" \
		"$(capture_spis "$cap" | tr '\n' ' ')"
	check_output_has "psk: show crypto isakmp sa on R1" "QM_IDLE" \
		ctl r1 "$ike_dir/r1.sock" show crypto isakmp sa
	stop_ikevtid r1
	stop_ikevtid r2
	check "psk: no SA left in either module" eval 'no_sas r1 && no_sas r2'
}

part_seed() {
	local pki=$ike_dir/pki-v1
	check "seed: a PKI with CA1 and CA2 (tools/pki/mkpki.sh)" \
		eval "\"$MKPKI\" \"$pki\" >/dev/null"
	check "seed: R1 enrolls in CA2 again, last" reenroll_r1 ca2
	gw_conf r1 r2 rsa
	gw_conf r2 r1 rsa

	# R1 initiates (R2's own first messages are dropped by R2 never
	# starting: it is started after R1 has come up with it).
	block_own_v1_init r2 wan
	check "seed, R1 initiating: ikevtid on R2 starts" start r2
	check "seed, R1 initiating: ikevtid on R1 starts" start r1
	check "seed, R1 initiating: the tunnel comes up" \
		wait_until 60 eval 'up r1 && up r2'
	check "seed, R1 initiating: R1 asked for CA1 only, R2 signed with CA1" \
		log_has "$ike_dir/r2.log" "Choosing trustpoint CA1 as issuer"
	stop_ikevtid r1
	stop_ikevtid r2
	unblock_own_init r2 wan

	# R2 initiates: R1's MM4 asks for CA2 first, R2 signs with CA2, R1
	# validates against CA1 only.
	block_own_v1_init r1 wan
	check "seed, R2 initiating: both start" eval 'start r1 && start r2'
	check "seed, R2 initiating: R1 refuses R2's certificate, and says why" \
		wait_until 60 log_has "$ike_dir/r1.log" "peer certificate refused.*CA1"
	check "seed, R2 initiating: R2 chose CA2, the first CA R1 asked for" \
		log_has "$ike_dir/r2.log" "Choosing trustpoint CA2 as issuer"
	check "seed, R2 initiating: no SA in R1's module" no_sas r1
	stop_ikevtid r1
	stop_ikevtid r2

	# R1 enrolled in CA1 last: its MM4 asks for CA1 first.
	check "seed: R1 enrolls in CA1 again, last" reenroll_r1 ca1
	check "seed, other order, R2 initiating: both start" \
		eval 'start r1 && start r2'
	check "seed, other order, R2 initiating: the tunnel comes up" \
		wait_until 60 eval 'up r1 && up r2'
	unblock_own_init r1 wan
	stop_ikevtid r1
	stop_ikevtid r2
}

for part in $IKE_PARTS; do
	"part_$part"
done
ktap_finish
