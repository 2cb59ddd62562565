#!/bin/bash
# IKEv1 NAT traversal (RFC 3947) between ikevtid and strongSwan through a
# masquerading router that also changes the source ports: strongSwan
# behind it initiating, and ikevtid initiating to the router's public
# address (a port forward for UDP 500 and 4500). Both sides see the NAT in
# NAT-D, Main Mode moves to UDP 4500 from MM5, the module's SAs are
# UDP-encapsulated to the port the NAT really chose, no plain ESP is on
# the wire, pings cross both ways and the counters agree.
#
#  ns r1: ikevtid            ns nat                         ns r2: charon
#  lan0 192.168.100.1/24                                    lan0 192.168.200.1/24
#  wan 192.168.0.1 ======= pub 192.168.0.2 | in 172.31.0.1 ====== wan 172.31.0.2
#  ikevti1 10.0.0.1/30 (remote 192.168.0.2)                 ipsec1 10.0.0.2/30
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike_lib.sh"
set -u
export IKE_SHOW=isakmp

R1=192.168.0.1 PUB=192.168.0.2 R2=172.31.0.2
LAN1=192.168.100.1 LAN2=192.168.200.1
PSK="ikevti-v1nat-$(hex 8)"
sock=$ike_dir/ikevtid.sock
log=$ike_dir/ikevtid.log
conf=$ike_dir/r1.conf
swdir=$ike_dir/r2

if [ ! -x "$IKEVTID" ] || [ ! -x "$CHARON" ] || [ ! -x "$SWANCTL" ] ||
   ! command -v nft >/dev/null; then
	echo "1..0 # SKIP needs build/ikevtid, charon-systemd, swanctl and nft"
	exit $KSFT_SKIP
fi
ktap_header 24

# ikevtid on R1, IOS IKEv1 with the NAT's public address as the peer.
cat > "$conf" <<EOF
crypto isakmp policy 10
 encr aes 256
 hash sha256
 authentication pre-share
 group 14
crypto isakmp key $PSK address $PUB
crypto isakmp nat keepalive 20
!
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
 mode tunnel
crypto ipsec profile VTI
 set transform-set TS
!
interface Tunnel1
 tunnel source $R1
 tunnel destination $PUB
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile VTI
EOF

r2_conf() {
	rm -rf "$swdir"
	swan_dirs "$swdir"
	cat > "$swdir/swanctl/swanctl.conf" <<-EOF
	connections {
	    r1 {
	        version = 1
	        local_addrs = $R2
	        remote_addrs = $R1
	        proposals = aes256-sha256-modp2048
	        local {
	            auth = psk
	            id = $R2
	        }
	        remote {
	            auth = psk
	            id = $R1
	        }
	        children {
	            vti {
	                local_ts = 0.0.0.0/0
	                remote_ts = 0.0.0.0/0
	                esp_proposals = aes256-sha256
	                if_id_in = 1
	                if_id_out = 1
	            }
	        }
	    }
	}
	secrets {
	    ike-r1 {
	        id-a = $R1
	        id-b = $R2
	        secret = "$PSK"
	    }
	}
	EOF
}

# Masquerade UDP to other ports; with FORWARD, UDP 500 and 4500 to the
# public address go to strongSwan: nat_rules [FORWARD]
nat_rules() {
	local fwd=""
	[ "${1:-}" = FORWARD ] && fwd="iifname \"pub\" udp dport { 500, 4500 } dnat ip to $R2"
	ip netns exec nat conntrack -F >/dev/null 2>&1
	ip netns exec nat nft -f - <<-EOF
	flush ruleset
	table ip nat {
		chain pre {
			type nat hook prerouting priority dstnat;
			$fwd
		}
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "pub" udp sport { 500, 4500 } masquerade to :31000-31999
			oifname "pub" masquerade
		}
	}
	EOF
}

sw() { swan r2 "$swdir" "$@"; }
xfrm_packets() { xfrm_state_packets r2 "$@"; }
r2_encapsulated() {
	[ "$(ip -n r2 xfrm state | grep -c 'encap type espinudp')" -ge 2 ]
}

nat_case() {
	local role=$1 lbl="IKEv1 NAT, ikevtid $1" cap min mout want_dport
	if [ "$role" = initiator ]; then
		nat_rules FORWARD
	else
		nat_rules
	fi
	r2_conf
	check "$lbl: strongSwan starts" start_charon r2 "$swdir"
	[ "$role" = responder ] && block_own_v1_init r1 wan
	check "$lbl: ikevtid starts" start_ikevtid r1 "$conf" "$sock" "$log" -d debug
	[ "$role" = responder ] &&
		check "$lbl: strongSwan initiates from behind the NAT" \
			swan_initiate r2 "$swdir" vti
	[ "$role" = initiator ] && ktap_ok "$lbl: ikevtid initiates by itself"
	check_both_up "$lbl: SAs up on both sides" r1 "$sock" "$log" r2 "$swdir"
	check "$lbl: ikevtid's NAT-D shows the peer behind a NAT" \
		log_has "$log" "NAT-D: the peer is behind a NAT"
	check "$lbl: ikevtid moved to UDP 4500" \
		log_has "$log" "moving to UDP port 4500|4500"
	min=$(module_spis r1 ikevti1 in) mout=$(module_spis r1 ikevti1 out)
	want_dport=4500
	[ "$role" = responder ] && want_dport=$(nat_port_4500 $R2)
	check_eq "$lbl: the module's outbound SA is ESP in UDP 4500 -> the NAT's port ($want_dport)" \
		"4500 $want_dport" "$(sa_encap out "$mout")"
	check "$lbl: strongSwan's SAs are ESP in UDP too" r2_encapsulated
	cap=$ike_dir/v1nat-$role.pcap
	capture_start r1 wan "$cap" esp or udp
	check "$lbl: ping LAN1 -> LAN2" \
		ip netns exec r1 ping -c 3 -i 0.2 -W 2 -I $LAN1 $LAN2
	check "$lbl: ping LAN2 -> LAN1" \
		ip netns exec r2 ping -c 3 -i 0.2 -W 2 -I $LAN2 $LAN1
	capture_stop
	check_eq "$lbl: no plain ESP on the wire" "0" \
		"$(tcpdump -nr "$cap" 'ip proto 50' 2>/dev/null | wc -l)"
	check_eq "$lbl: 6 packets each way on the module's SAs, as strongSwan counted" \
		"6 6 6 6" \
		"$(sa_counter r1 ikevti1 out "$mout" packets) $(xfrm_packets $R1 $R2 "$mout") $(sa_counter r1 ikevti1 in "$min" packets) $(xfrm_packets $R2 $R1 "$min")"
	stop_ikevtid r1
	unblock_own_init r1 wan
	stop_charon r2
}

add_netns r1 nat r2
for ns in r1 nat r2; do
	ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done
veth_pair r1 wan $R1/24 nat pub $PUB/24
veth_pair nat in 172.31.0.1/24 r2 wan $R2/24
ip netns exec nat sysctl -qw net.ipv4.ip_forward=1
ip -n r2 route add default via 172.31.0.1
lan_add r1 $LAN1/24
lan_add r2 $LAN2/24
ip -n r1 link add ikevti1 type ikevti local $R1 remote $PUB
ip -n r1 addr add 10.0.0.1/30 dev ikevti1
ip -n r1 link set ikevti1 up
ip -n r1 route add 192.168.200.0/24 dev ikevti1
xfrmi_add r2 ipsec1 wan 1 10.0.0.2/30
ip -n r2 route add 192.168.100.0/24 dev ipsec1

nat_case responder
nat_case initiator
ktap_finish
