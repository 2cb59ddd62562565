#!/bin/bash
# IKEv2 between ikevtid and strongSwan over an IPv6 outer network, with
# IPv4 and IPv6 inside. Two strongSwan set-ups a peer's administrator
# may well write:
#  - route-based (an xfrm interface, selectors 0.0.0.0/0 and ::/0),
#    strongSwan initiating;
#  - policy-based: no interface, selectors narrowed to the two LANs of
#    each family, ikevtid initiating with 0.0.0.0/0 and ::/0 and
#    accepting the narrowing (the ikevti device stays the policy on its
#    side).
# Each time: IKE and child SAs up on both sides, the module holds
# strongSwan's SPIs, pings of both families cross both ways, the capture
# shows ESP over IPv6 with the module's SPIs, counters agree.
#
#  ns r1: ikevtid                                   ns r2: charon
#  lan0 192.168.100.1/24 fd00:100::1/64             lan0 192.168.200.1/24 fd00:200::1/64
#  ikevti1 - wan fd00:0::1/64 ====================== wan fd00:0::2/64 [- ipsec1]
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike_lib.sh"
set -u

R1=fd00::1 R2=fd00::2 LAN1=192.168.100.1 LAN2=192.168.200.1
LAN1_6=fd00:100::1 LAN2_6=fd00:200::1
PSK="ikevti-v6-$(hex 8)"
sock=$ike_dir/ikevtid.sock
log=$ike_dir/ikevtid.log
conf=$ike_dir/r1.conf
swdir=$ike_dir/r2

if [ ! -x "$IKEVTID" ] || [ ! -x "$CHARON" ] || [ ! -x "$SWANCTL" ]; then
	echo "1..0 # SKIP needs build/ikevtid, charon-systemd and swanctl"
	exit $KSFT_SKIP
fi
ktap_header 25

cat > "$conf" <<EOF
! R1 (ikevtid), strongSwan at $R2, over IPv6
crypto ikev2 proposal PROP
 encryption aes-cbc-256
 integrity sha256
 prf sha256
 group 19 14
!
crypto ikev2 policy POL
 proposal PROP
!
crypto ikev2 keyring KR
 peer R2
  address $R2/128
  pre-shared-key $PSK
!
crypto ikev2 profile PROF
 match identity remote address $R2/128
 authentication remote pre-share
 authentication local pre-share
 keyring local KR
!
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
 mode tunnel
!
crypto ipsec profile VTI
 set transform-set TS
 set ikev2-profile PROF
!
interface Tunnel1
 tunnel source $R1
 tunnel destination $R2
 tunnel protection ipsec profile VTI
EOF

# strongSwan on R2: r2_conf {route|policy}
r2_conf() {
	local ts="local_ts = 0.0.0.0/0,::/0
	                remote_ts = 0.0.0.0/0,::/0
	                if_id_in = 1
	                if_id_out = 1"
	[ "$1" = policy ] && ts="local_ts = 192.168.200.0/24,fd00:200::/64
	                remote_ts = 192.168.100.0/24,fd00:100::/64"
	rm -rf "$swdir"
	swan_dirs "$swdir"
	cat > "$swdir/swanctl/swanctl.conf" <<-EOF
	connections {
	    r1 {
	        version = 2
	        local_addrs = $R2
	        remote_addrs = $R1
	        proposals = aes256-sha256-ecp256
	        local {
	            auth = psk
	        }
	        remote {
	            auth = psk
	            id = $R1
	        }
	        children {
	            lans {
	                $ts
	                esp_proposals = aes256-sha256
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


# The packet counter of an xfrm state in R2: xfrm_packets SRC DST SPI
xfrm_packets() { xfrm_state_packets r2 "$@"; }

# IPv6 on the tunnels sends MLD reports and router solicitations on its
# own timers, so one may cross between two reads: read both until they
# agree (a lost packet never does), then compare, and count at least the
# 8 pings: counts_agree LABEL SENDER_CMD RECEIVER_CMD
counts_agree() {
	local a b i
	for i in $(seq 15); do
		a=$(eval "$2") b=$(eval "$3")
		[ "$a" = "$b" ] && break
		sleep 0.2
	done
	check "$1 (${a:-none}, ${b:-none}; 8 pings or more)" \
		test -n "$a" -a "$a" = "$b" -a "${a:-0}" -ge 8
}

# One way up: v6_case {route|policy}; route: strongSwan initiates,
# policy: ikevtid does.
v6_case() {
	local kind=$1 lbl="IPv6 outer, strongSwan $1-based" cap min mout
	r2_conf "$kind"
	check "$lbl: strongSwan starts" start_charon r2 "$swdir"
	[ "$kind" = route ] && block_own_init r1 wan 6
	check "$lbl: ikevtid starts" start_ikevtid r1 "$conf" "$sock" "$log" -d debug
	if [ "$kind" = route ]; then
		wait_until 30 log_has "$log" "initiating IKE SA"
		check "$lbl: strongSwan initiates" swan_initiate r2 "$swdir" lans
	fi
	check_both_up "$lbl: IKE and child SAs up on both sides" r1 "$sock" "$log" r2 "$swdir"
	min=$(module_spis r1 ikevti1 in) mout=$(module_spis r1 ikevti1 out)
	check_eq "$lbl: the module holds the SPIs strongSwan installed" \
		"in ${min:-none} out ${mout:-none}" \
		"in $(charon_spis r2 "$swdir" out) out $(charon_spis r2 "$swdir" in)"
	cap=$ike_dir/v6-$kind.pcap
	capture_start r1 wan "$cap" ip6 and esp
	check "$lbl: ping LAN1 -> LAN2 (IPv4 inside)" \
		ip netns exec r1 ping -c 2 -i 0.2 -W 2 -I $LAN1 $LAN2
	check "$lbl: ping LAN2 -> LAN1 (IPv4 inside)" \
		ip netns exec r2 ping -c 2 -i 0.2 -W 2 -I $LAN2 $LAN1
	check "$lbl: ping LAN1 -> LAN2 (IPv6 inside)" \
		ip netns exec r1 ping -6 -c 2 -i 0.2 -W 2 -I $LAN1_6 $LAN2_6
	check "$lbl: ping LAN2 -> LAN1 (IPv6 inside)" \
		ip netns exec r2 ping -6 -c 2 -i 0.2 -W 2 -I $LAN2_6 $LAN1_6
	capture_stop
	check_eq "$lbl: the capture shows ESP over IPv6 with exactly the module's SPIs" \
		"$(printf '%s\n' "${min:-none}" "${mout:-none}" | sort | tr '\n' ' ')" \
		"$(capture_spis "$cap" | tr '\n' ' ')"
	counts_agree "$lbl: strongSwan decrypted what the module sent" \
		"sa_counter r1 ikevti1 out $mout packets" \
		"xfrm_packets $R1 $R2 $mout"
	counts_agree "$lbl: the module decrypted what strongSwan sent" \
		"xfrm_packets $R2 $R1 $min" \
		"sa_counter r1 ikevti1 in $min packets"
	unblock_own_init r1 wan
	stop_ikevtid r1
	check "$lbl: ikevtid's shutdown deleted the IKE SA at strongSwan" \
		wait_until 30 eval '[ "$(swan_ike_count r2 "$swdir" ESTABLISHED)" = 0 ]'
	stop_charon r2
}

# ---------------------------------------------------------------------
# Topology

add_netns r1 r2
for ns in r1 r2; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_dad=0
done
veth_pair r1 wan $R1/64 r2 wan $R2/64
lan_add r1 $LAN1/24
lan_add r2 $LAN2/24
ip -n r1 addr add $LAN1_6/64 dev lan0 nodad
ip -n r2 addr add $LAN2_6/64 dev lan0 nodad
ip -n r1 link add ikevti1 type ikevti local $R1 remote $R2
ip -n r1 link set ikevti1 up
ip -n r1 route add 192.168.200.0/24 dev ikevti1
ip -n r1 route add fd00:200::/64 dev ikevti1
# Policy-based strongSwan routes nothing: its kernel policies catch the
# LAN traffic on the way out of wan.
ip -n r2 route add 192.168.100.0/24 dev wan
ip -n r2 route add fd00:100::/64 dev wan
wait_for 10 ip netns exec r1 ping -6 -c1 -W1 $R2

v6_case policy
# Route-based: LAN1 through the xfrm interface instead.
xfrmi_add r2 ipsec1 wan 1 10.0.0.2/30
ip -n r2 route replace 192.168.100.0/24 dev ipsec1
ip -n r2 route replace fd00:100::/64 dev ipsec1
v6_case route
ktap_finish
