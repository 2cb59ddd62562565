#!/bin/bash
# Forged ICMP errors quoting our own ESP packets, over an IPv4 and an
# IPv6 outer. A path MTU report (fragmentation needed, packet too big)
# quoting a packet the current outbound SA really sent lowers the path
# MTU, and the tunnel then refuses inner packets that no longer fit; for
# tiny values the kernel's rules hold (IPv4 clamps to 552, IPv6 ignores
# anything below 1280). Reports quoting a
# sequence number not sent yet (an off-path forger), other unreachables,
# and a flood of them change nothing and are counted as ignored. Errors
# for SPIs that are not ours are left alone. Counters: icmp_pmtu and
# icmp_ignored of the device (nl_validate --dev-stats).
#
#  ns a: veth0 10.10.0.1 fd00:1::1, ikevti1 (IPv4 outer), ikevti6 (IPv6)
#  ns b: veth1 10.10.0.2 fd00:1::2, the peer, and the forger
. "$(dirname "$0")/lib.sh"

ktap_header 19
ikevti_pair
ip -n a addr add fd00:1::1/64 dev veth0 nodad
ip -n b addr add fd00:1::2/64 dev veth1 nodad
ip netns exec a sysctl -qw net.ipv6.conf.veth0.disable_ipv6=0
ip netns exec b sysctl -qw net.ipv6.conf.veth1.disable_ipv6=0

spi4=$(rand_spi) spi4r=$(rand_spi) spi6=$(rand_spi) spi6r=$(rand_spi)
k1=0x$(hex 20) k2=0x$(hex 20) k3=0x$(hex 20) k4=0x$(hex 20)
sa() { ip netns exec "$1" "$IKEVTICTL" sa add dev "$2" dir "$3" spi "$4" enc aes-gcm-128 key "$5"; }
check "IPv4- and IPv6-outer tunnels with SAs both ways" sh -c "
	$(declare -f sa); IKEVTICTL=$IKEVTICTL
	ip -n a link add ikevti6 type ikevti local fd00:1::1 remote fd00:1::2 &&
	ip -n b link add ikevti6 type ikevti local fd00:1::2 remote fd00:1::1 &&
	ip -n a addr add 172.16.3.1/32 dev ikevti6 && ip -n b addr add 172.16.4.1/32 dev ikevti6 &&
	ip -n a link set ikevti6 up && ip -n b link set ikevti6 up &&
	ip -n a route add 172.16.4.0/24 dev ikevti6 && ip -n b route add 172.16.3.0/24 dev ikevti6 &&
	sa a ikevti1 out $spi4 $k1 && sa b ikevti1 in $spi4 $k1 &&
	sa b ikevti1 out $spi4r $k2 && sa a ikevti1 in $spi4r $k2 &&
	sa a ikevti6 out $spi6 $k3 && sa b ikevti6 in $spi6 $k3 &&
	sa b ikevti6 out $spi6r $k4 && sa a ikevti6 in $spi6r $k4 &&
	ip netns exec a ping -c 3 -i 0.2 -W 2 -I 172.16.1.1 172.16.2.1 &&
	ip netns exec a ping -c 3 -i 0.2 -W 2 -I 172.16.3.1 172.16.4.1"

# icmp FAMILY SPI SEQ TYPE CODE MTU [COUNT]: from b to a, an ICMP error
# quoting the ESP packet a -> b (SPI, SEQ) that a would have sent.
icmp() {
	ip netns exec b python3 - "$@" <<-'EOF'
	import socket, struct, sys
	fam, spi, seq, typ, code, mtu = sys.argv[1], int(sys.argv[2], 0), \
	    int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
	count = int(sys.argv[7]) if len(sys.argv) > 7 else 1
	def csum(b):
	    if len(b) % 2: b += b"\0"
	    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
	    while s >> 16: s = (s & 0xffff) + (s >> 16)
	    return ~s & 0xffff
	esp = struct.pack("!II", spi, seq)
	if fam == "4":
	    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 1400, 1, 0x4000, 64, 50, 0,
	                     socket.inet_aton("10.10.0.1"), socket.inet_aton("10.10.0.2"))
	    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
	    body = struct.pack("!HH", 0, mtu) + ip + esp
	    hdr = struct.pack("!BBH", typ, code, 0) + body
	    pkt = hdr[:2] + struct.pack("!H", csum(hdr)) + hdr[4:]
	    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
	    s.bind(("10.10.0.2", 0))
	    dst = ("10.10.0.1", 0)
	else:
	    ip = struct.pack("!IHBB16s16s", 6 << 28, 1400, 50, 64,
	                     socket.inet_pton(socket.AF_INET6, "fd00:1::1"),
	                     socket.inet_pton(socket.AF_INET6, "fd00:1::2"))
	    pkt = struct.pack("!BBHI", typ, code, 0, mtu) + ip + esp
	    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
	    s.bind(("fd00:1::2", 0))
	    dst = ("fd00:1::1", 0)
	for _ in range(count):
	    s.sendto(pkt, dst)
	EOF
	sleep 0.3
}
stat() { ip netns exec a "$NL_VALIDATE" --dev-stats "$1" | sed -n "s/^$2 //p"; }
route_mtu() { ip -n a $1 route get $2 | sed -n 's/.* mtu \(lock \)\{0,1\}\([0-9]*\).*/\2/p'; }
flush() { ip -n a route flush cache; ip -n a -6 route flush cache; }

icmp 4 "$spi4" 2 3 4 1300
check_eq "IPv4: frag-needed (MTU 1300) quoting a sent packet is applied" 1 "$(stat ikevti1 icmp_pmtu)"
check_eq "...the path MTU to the peer is 1300" 1300 "$(route_mtu '' 10.10.0.2)"
check "...a DF inner packet that no longer fits is refused" \
	test "$(ip netns exec a ping -c 1 -W 1 -M do -s 1300 -I 172.16.1.1 172.16.2.1 2>&1 | grep -c 'message too long\|mtu')" -ge 1
check "...one that fits still passes" \
	ip netns exec a ping -c 2 -i 0.2 -W 2 -M do -s 1100 -I 172.16.1.1 172.16.2.1
flush
icmp 4 "$spi4" 1000000 3 4 1000
check_eq "IPv4: frag-needed quoting a number never sent is ignored" "1 1" \
	"$(stat ikevti1 icmp_pmtu) $(stat ikevti1 icmp_ignored)"
check_eq "...and the path MTU is unchanged" "" "$(route_mtu '' 10.10.0.2)"
icmp 4 "$spi4" 2 3 1 0
check_eq "IPv4: host unreachable for our SPI is counted, ignored" "1 2" \
	"$(stat ikevti1 icmp_pmtu) $(stat ikevti1 icmp_ignored)"
icmp 4 "$spi4" 3 3 4 100
check_eq "IPv4: frag-needed with MTU 100 is clamped to the 552 floor" 552 "$(route_mtu '' 10.10.0.2)"
flush
icmp 4 "$(rand_spi)" 2 3 4 1000
check_eq "IPv4: frag-needed for an SPI not ours: not counted, no MTU change" "2 2 " \
	"$(stat ikevti1 icmp_pmtu) $(stat ikevti1 icmp_ignored) $(route_mtu '' 10.10.0.2)"

icmp 6 "$spi6" 2 2 0 1300
check_eq "IPv6: packet too big (1300) quoting a sent packet is applied" 1 "$(stat ikevti6 icmp_pmtu)"
check_eq "...the path MTU to the peer is 1300" 1300 "$(route_mtu -6 fd00:1::2)"
flush
icmp 6 "$spi6" 3 2 0 600
check_eq "IPv6: packet too big (600), below the IPv6 minimum, leaves the MTU alone" "" \
	"$(route_mtu -6 fd00:1::2)"
flush
icmp 6 "$spi6" 999999 2 0 1300
check_eq "IPv6: packet too big quoting a number never sent is ignored" "2 1 " \
	"$(stat ikevti6 icmp_pmtu) $(stat ikevti6 icmp_ignored) $(route_mtu -6 fd00:1::2)"
icmp 6 "$spi6" 2 1 3 0
check_eq "IPv6: address unreachable for our SPI is counted, ignored" "2 2" \
	"$(stat ikevti6 icmp_pmtu) $(stat ikevti6 icmp_ignored)"

icmp 4 "$spi4" 7777777 3 4 576 2000
icmp 6 "$spi6" 7777777 2 0 1280 2000
check "a flood of 2000 forged reports per family: all ignored, MTUs unchanged" \
	test "$(stat ikevti1 icmp_ignored)" -ge 1500 -a "$(stat ikevti6 icmp_ignored)" -ge 1500 \
	-a -z "$(route_mtu '' 10.10.0.2)$(route_mtu -6 fd00:1::2)"
check "both tunnels still pass traffic" sh -c "
	ip netns exec a ping -c 2 -i 0.2 -W 2 -I 172.16.1.1 172.16.2.1 &&
	ip netns exec a ping -c 2 -i 0.2 -W 2 -I 172.16.3.1 172.16.4.1"
ktap_finish
