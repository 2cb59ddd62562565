#!/bin/bash
# IKEv2 NAT traversal between ikevtid and strongSwan through a
# masquerading router that also changes the source ports.
# strongSwan behind it, with strongSwan initiating (a branch behind NAT)
# and with ikevtid initiating to the router's public address (a port
# forward for UDP 500 and 4500): both sides detect the NAT, IKE moves to
# UDP 4500, the module's SAs are UDP-encapsulated to the port the NAT
# really chose, no plain ESP is on the wire, pings cross both ways and
# the counters agree. A child rekey started by strongSwan keeps the
# encapsulation and loses no ping.
# Then ikevtid behind it (r3, a branch gateway) initiating to strongSwan
# on the public side (r1, ikevtid stopped there): ikevtid knows it is
# behind a NAT, encapsulates, and while the tunnel is idle the module
# sends NAT keepalives at the interval of "crypto ikev2 nat keepalive".
#
#  ns r1: ikevtid / charon     ns nat                    ns r2: charon
#  lan0 192.168.100.1/24                                 lan0 192.168.200.1/24
#  wan 192.168.0.1 ======= pub 192.168.0.2 | in 172.31.0.1 ====== wan 172.31.0.2
#  ikevti1 10.0.0.1/30 (remote 192.168.0.2)              ipsec1 10.0.0.2/30
#  ipsec3 10.0.3.1/30                      | in3 172.31.1.1 ===== wan 172.31.1.2
#                                                        ns r3: ikevtid
#                                                        lan0 192.168.210.1/24
#                                                        ikevti1 10.0.3.2/30
#                  masquerade to ports 31000-31999 on pub, for UDP
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike_lib.sh"
set -u

R1=192.168.0.1 PUB=192.168.0.2 R2=172.31.0.2 R3=172.31.1.2
LAN1=192.168.100.1 LAN2=192.168.200.1 LAN3=192.168.210.1
PSK="ikevti-nat-$(hex 8)"
sock=$ike_dir/ikevtid.sock
log=$ike_dir/ikevtid.log
conf=$ike_dir/r1.conf
swdir=$ike_dir/r2

if [ ! -x "$IKEVTID" ] || [ ! -x "$CHARON" ] || [ ! -x "$SWANCTL" ] ||
   ! command -v nft >/dev/null; then
	echo "1..0 # SKIP needs build/ikevtid, charon-systemd, swanctl and nft"
	exit $KSFT_SKIP
fi
ktap_header 39

# ikevtid on R1. strongSwan's ID is its private address, so the profile
# matches it by FQDN, as a NATed branch is usually matched.
cat > "$conf" <<EOF
! R1 (ikevtid), strongSwan behind a NAT at $PUB
crypto ikev2 keyring KR
 peer BRANCH
  address $PUB
  pre-shared-key $PSK
!
crypto ikev2 profile PROF
 match identity remote fqdn r2.example.net
 identity local address $R1
 authentication remote pre-share
 authentication local pre-share
 keyring local KR
!
crypto ipsec transform-set TS esp-gcm 256
 mode tunnel
!
crypto ipsec profile VTI
 set transform-set TS
 set ikev2-profile PROF
!
interface Tunnel1
 tunnel source $R1
 tunnel destination $PUB
 tunnel protection ipsec profile VTI
EOF

# strongSwan on R2, route-based on an xfrm interface.
r2_conf() {
	rm -rf "$swdir"
	swan_dirs "$swdir"
	cat > "$swdir/swanctl/swanctl.conf" <<-EOF
	connections {
	    r1 {
	        version = 2
	        local_addrs = $R2
	        remote_addrs = $R1
	        proposals = aes256-sha256-modp2048
	        local {
	            auth = psk
	            id = r2.example.net
	        }
	        remote {
	            auth = psk
	            id = $R1
	        }
	        children {
	            vti {
	                local_ts = 0.0.0.0/0
	                remote_ts = 0.0.0.0/0
	                esp_proposals = aes256gcm16
	                if_id_in = 1
	                if_id_out = 1
	            }
	        }
	    }
	}
	secrets {
	    ike-r1 {
	        id-a = $R1
	        id-b = r2.example.net
	        secret = "$PSK"
	    }
	}
	EOF
}

# The router: masquerade UDP to other ports (so that a wrong port in the
# module's SA would show), and with FORWARD set forward UDP 500 and 4500
# arriving at the public address to strongSwan: nat_rules [FORWARD]
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

# The packet counter of an xfrm state in R2: xfrm_packets SRC DST SPI
xfrm_packets() { xfrm_state_packets r2 "$@"; }

# Both SAs of R2 are ESP in UDP: r2_encapsulated
r2_encapsulated() {
	[ "$(ip -n r2 xfrm state | grep -c 'encap type espinudp')" -ge 2 ]
}

# One way up through the NAT: nat_case ROLE
# ROLE responder: strongSwan initiates from behind the NAT;
# initiator: ikevtid initiates to the public address (port forward).
nat_case() {
	local role=$1 lbl="NAT, ikevtid $1" cap min mout enc want_dport
	if [ "$role" = initiator ]; then
		nat_rules FORWARD
	else
		nat_rules
	fi
	r2_conf
	check "$lbl: strongSwan starts" start_charon r2 "$swdir"
	check "$lbl: ikevtid starts" start_ikevtid r1 "$conf" "$sock" "$log" -d debug
	[ "$role" = responder ] &&
		check "$lbl: strongSwan initiates from behind the NAT" \
			swan_initiate r2 "$swdir" vti
	check_both_up "$lbl: IKE and child SAs up on both sides" r1 "$sock" "$log" r2 "$swdir"
	check "$lbl: ikevtid logs that the peer is behind a NAT" \
		log_has "$log" "NAT detected: .*the peer is behind a NAT"
	min=$(module_spis r1 ikevti1 in) mout=$(module_spis r1 ikevti1 out)
	# Initiating, ikevtid reaches the forwarded 4500; answering, it
	# must use the port the NAT chose for strongSwan's 4500.
	want_dport=4500
	[ "$role" = responder ] && want_dport=$(nat_port_4500)
	enc=$(sa_encap out "$mout")
	check_eq "$lbl: the module's outbound SA is ESP in UDP 4500 -> the NAT's port ($want_dport)" \
		"4500 $want_dport" "$enc"
	check "$lbl: strongSwan's SAs are ESP in UDP too" r2_encapsulated

	cap=$ike_dir/nat-$role.pcap
	capture_start r1 wan "$cap" esp or udp
	check "$lbl: ping LAN1 -> LAN2" \
		ip netns exec r1 ping -c 3 -i 0.2 -W 2 -I $LAN1 $LAN2
	check "$lbl: ping LAN2 -> LAN1" \
		ip netns exec r2 ping -c 3 -i 0.2 -W 2 -I $LAN2 $LAN1
	capture_stop
	check_eq "$lbl: the capture shows UDP-encapsulated ESP with exactly the module's SPIs" \
		"$(printf '%s\n' "$min" "$mout" | sort | tr '\n' ' ')" \
		"$(tcpdump -nr "$cap" udp 2>/dev/null | grep -o 'ESP(spi=0x[0-9a-f]*' | sed 's/ESP(spi=//' | sort -u | tr '\n' ' ')"
	check_eq "$lbl: no plain ESP on the wire" "0" \
		"$(tcpdump -nr "$cap" 'ip proto 50' 2>/dev/null | wc -l)"
	check_eq "$lbl: 6 packets each way on the module's SAs, as strongSwan counted" \
		"6 6 6 6" \
		"$(sa_counter r1 ikevti1 out "$mout" packets) $(xfrm_packets $R1 $R2 "$mout") $(sa_counter r1 ikevti1 in "$min" packets) $(xfrm_packets $R2 $R1 "$min")"
}

# A child rekey through the NAT, started by strongSwan under traffic:
# new SPIs, encapsulated like the old ones, no ping lost.
nat_rekey() {
	local lbl="NAT, rekey" old_in old_out enc pp tx rx
	old_in=$(module_spis r1 ikevti1 in) old_out=$(module_spis r1 ikevti1 out)
	enc=$(sa_encap out "$old_out")
	ping_count r1 $LAN1 $LAN2 60 > "$ike_dir/rekey-ping" &
	pp=$!
	wait_until 20 eval '[ "$(sa_counter r1 ikevti1 out "$old_out" packets)" -ge 10 ]'
	check "$lbl: strongSwan rekeys the child SA" sw --rekey --child vti
	wait $pp
	read -r tx rx < "$ike_dir/rekey-ping"
	check_eq "$lbl: 60 pings across the rekey, none lost" "60 60" \
		"${tx:-?} ${rx:-?}"
	check "$lbl: the old SAs are replaced by one new pair" \
		wait_until 30 eval '[ "$(module_spis r1 ikevti1 in)" != "$old_in" ] &&
			[ "$(module_spis r1 ikevti1 out)" != "$old_out" ] &&
			[ "$(module_sa_count r1 ikevti1 | tr "\n" " ")" = "1 1 " ]'
	check_eq "$lbl: the new outbound SA is encapsulated like the old one" \
		"$enc" "$(sa_encap out "$(module_spis r1 ikevti1 out)")"
	check "$lbl: ping over the new SAs" \
		ip netns exec r2 ping -c 2 -i 0.2 -W 2 -I $LAN2 $LAN1
}

down() {
	stop_ikevtid r1
	check "$1: ikevtid's shutdown deleted the IKE SA at strongSwan" \
		wait_until 30 eval '[ "$(swan_ike_count r2 "$swdir" ESTABLISHED)" = 0 ]'
	stop_charon r2
}

# ikevtid behind the NAT (r3) initiating to strongSwan on the public
# side (r1): nat_branch
nat_branch() {
	local lbl="NAT, ikevtid behind it" sock3=$ike_dir/r3.sock
	local log3=$ike_dir/r3.log conf3=$ike_dir/r3.conf sw3=$ike_dir/r1sw
	local mout cap n
	cat > "$conf3" <<-EOF
	! R3 (ikevtid) behind a NAT, to strongSwan at $R1
	crypto ikev2 nat keepalive 5
	crypto ikev2 keyring KR
	 peer HUB
	  address $R1
	  pre-shared-key $PSK
	!
	crypto ikev2 profile PROF
	 match identity remote address $R1 255.255.255.255
	 identity local fqdn r3.example.net
	 authentication remote pre-share
	 authentication local pre-share
	 keyring local KR
	!
	crypto ipsec transform-set TS esp-gcm 256
	!
	crypto ipsec profile VTI
	 set transform-set TS
	 set ikev2-profile PROF
	!
	interface Tunnel1
	 tunnel source $R3
	 tunnel destination $R1
	 tunnel protection ipsec profile VTI
	EOF
	rm -rf "$sw3"
	swan_dirs "$sw3"
	cat > "$sw3/swanctl/swanctl.conf" <<-EOF
	connections {
	    r3 {
	        version = 2
	        local_addrs = $R1
	        proposals = aes256-sha256-modp2048
	        local {
	            auth = psk
	            id = $R1
	        }
	        remote {
	            auth = psk
	            id = r3.example.net
	        }
	        children {
	            vti {
	                local_ts = 0.0.0.0/0
	                remote_ts = 0.0.0.0/0
	                esp_proposals = aes256gcm16
	                if_id_in = 3
	                if_id_out = 3
	            }
	        }
	    }
	}
	secrets {
	    ike-r3 {
	        id-a = $R1
	        id-b = r3.example.net
	        secret = "$PSK"
	    }
	}
	EOF
	nat_rules
	check "$lbl: strongSwan starts on the public side" start_charon r1 "$sw3"
	check "$lbl: ikevtid starts behind the NAT" \
		start_ikevtid r3 "$conf3" "$sock3" "$log3" -d debug
	check_both_up "$lbl: IKE and child SAs up on both sides" \
		r3 "$sock3" "$log3" r1 "$sw3"
	check "$lbl: ikevtid logs that it is behind a NAT" \
		log_has "$log3" "NAT detected: we are behind a NAT"
	mout=$(module_spis r3 ikevti1 out)
	check_eq "$lbl: the module's outbound SA is ESP in UDP 4500 -> 4500" \
		"4500 4500" "$(sa_encap r3 out "$mout")"
	check "$lbl: ping LAN3 -> LAN1" \
		ip netns exec r3 ping -c 3 -i 0.2 -W 2 -I $LAN3 $LAN1
	check "$lbl: ping LAN1 -> LAN3" \
		ip netns exec r1 ping -c 3 -i 0.2 -W 2 -I $LAN1 $LAN3
	# Idle now: the module keeps the NAT mapping with 0xFF keepalives.
	cap=$ike_dir/nat-branch.pcap
	capture_start r3 wan "$cap" udp port 4500
	sleep 14
	capture_stop
	# RFC 3948 2.3: a UDP payload of the single byte 0xFF.
	n=$(tcpdump -nr "$cap" "src host $R3 and udp[4:2] = 9 and udp[8] = 0xff" 2>/dev/null | wc -l)
	# With the default of 20 s none would come in these 14 s.
	check "$lbl: NAT keepalives from ikevtid's side while idle, at the configured 5 s ($n in 14 s)" \
		test "$n" -ge 1
	stop_ikevtid r3
	check "$lbl: ikevtid's shutdown deleted the IKE SA at strongSwan" \
		wait_until 30 eval '[ "$(swan_ike_count r1 "$sw3" ESTABLISHED)" = 0 ]'
	stop_charon r1
}

# ---------------------------------------------------------------------
# Topology

add_netns r1 nat r2 r3
for ns in r1 nat r2 r3; do
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
# The branch behind the same NAT, and its route-based hub on r1.
veth_pair nat in3 172.31.1.1/24 r3 wan $R3/24
ip -n r3 route add default via 172.31.1.1
lan_add r3 $LAN3/24
ip -n r3 link add ikevti1 type ikevti local $R3 remote $R1
ip -n r3 addr add 10.0.3.2/30 dev ikevti1
ip -n r3 link set ikevti1 up
ip -n r3 route add 192.168.100.0/24 dev ikevti1
xfrmi_add r1 ipsec3 wan 3 10.0.3.1/30
ip -n r1 route add 192.168.210.0/24 dev ipsec3

nat_case responder
nat_rekey
down "NAT, ikevtid responder"
nat_case initiator
down "NAT, ikevtid initiator"
nat_branch
ktap_finish
