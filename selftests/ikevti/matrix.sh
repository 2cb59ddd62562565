#!/bin/bash
# Interop matrix: every ESP algorithm ikevti offers x {IPv4, IPv6 outer}
# x {plain ESP, UDP-encapsulated (RFC 3948)} against the kernel's own
# xfrm (xfrm interfaces, any/any policies), with fresh random keys and
# SPIs for every case. Each case pings both ways and compares packet
# counts on both sides. An xfrm state with "encap" only accepts
# ESP-in-UDP, so equal counts also prove the encapsulation was used.
#
# The four outer variants run side by side, one ikevti device and one
# xfrm interface each, so an algorithm costs one batch of state changes
# and one round of pings (the VM runs under TCG: processes are dear).
#
#  ns ikv                                             ns xfm
#  172.17.N.1 ikevtiN - veth0 10.10.0.1 == veth1 10.10.0.2 - xfrmN 172.18.N.1
#                             fd00::1            fd00::2
#  encap_holder :4500                                         encap_holder :4500
#  N = 1: IPv4 plain, 2: IPv4 UDP, 3: IPv6 plain, 4: IPv6 UDP
. "$(dirname "$0")/lib.sh"

HOLDER="$top/build/selftests/encap_holder"
# name:ikevti-enc:enc-key-bytes:ikevti-integ:auth-key-bytes:xfrm-enc:xfrm-auth:icv-bits
cases="
gcm128:aes-gcm-128:20:::rfc4106(gcm(aes))::128
gcm192:aes-gcm-192:28:::rfc4106(gcm(aes))::128
gcm256:aes-gcm-256:36:::rfc4106(gcm(aes))::128
chacha:chacha20-poly1305:36:::rfc7539esp(chacha20,poly1305)::128
cbc128-sha1:aes-cbc-128:16:hmac-sha1-96:20:cbc(aes):hmac(sha1):96
cbc128-sha256:aes-cbc-128:16:hmac-sha256-128:32:cbc(aes):hmac(sha256):128
cbc128-sha384:aes-cbc-128:16:hmac-sha384-192:48:cbc(aes):hmac(sha384):192
cbc128-sha512:aes-cbc-128:16:hmac-sha512-256:64:cbc(aes):hmac(sha512):256
cbc128-md5:aes-cbc-128:16:hmac-md5-96:16:cbc(aes):hmac(md5):96
cbc192-sha256:aes-cbc-192:24:hmac-sha256-128:32:cbc(aes):hmac(sha256):128
cbc256-sha1:aes-cbc-256:32:hmac-sha1-96:20:cbc(aes):hmac(sha1):96
cbc256-sha256:aes-cbc-256:32:hmac-sha256-128:32:cbc(aes):hmac(sha256):128
cbc256-sha384:aes-cbc-256:32:hmac-sha384-192:48:cbc(aes):hmac(sha384):192
cbc256-sha512:aes-cbc-256:32:hmac-sha512-256:64:cbc(aes):hmac(sha512):256
3des-sha1:3des-cbc:24:hmac-sha1-96:20:cbc(des3_ede):hmac(sha1):96
"
ncases=$(echo "$cases" | grep -c :)
ktap_header $((ncases * 4 * 2 + 1))

# Per variant N: outer addresses, whether UDP-encapsulated, a label.
A=(- 10.10.0.1 10.10.0.1 fd00::1 fd00::1)
B=(- 10.10.0.2 10.10.0.2 fd00::2 fd00::2)
ENC=(- 0 1 0 1)
LABEL=(- "IPv4 outer, plain ESP" "IPv4 outer, UDP-encapsulated"
       "IPv6 outer, plain ESP" "IPv6 outer, UDP-encapsulated")

modprobe -q esp4; modprobe -q esp6; modprobe -q xfrm_interface
add_netns ikv xfm
veth_pair ikv veth0 10.10.0.1/24 xfm veth1 10.10.0.2/24
ip -n ikv addr add fd00::1/64 dev veth0 nodad
ip -n xfm addr add fd00::2/64 dev veth1 nodad
ip netns exec ikv sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns exec xfm sysctl -qw net.ipv6.conf.default.disable_ipv6=1

topo() {	# topo N
	local n=$1 a=${A[$1]} b=${B[$1]} ifid=$((40 + $1))
	ip -n ikv link add ikevti$n type ikevti local $a remote $b
	ip -n ikv addr add 172.17.$n.1/32 dev ikevti$n
	ip -n ikv link set ikevti$n up
	ip -n ikv route add 172.18.$n.0/24 dev ikevti$n
	ip -n xfm link add xfrm$n type xfrm dev veth1 if_id $ifid
	ip -n xfm addr add 172.18.$n.1/32 dev xfrm$n
	ip -n xfm link set xfrm$n up
	ip -n xfm route add 172.17.$n.0/24 dev xfrm$n
	ip -n xfm xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir out if_id $ifid \
		tmpl src $b dst $a proto esp reqid $ifid mode tunnel
	ip -n xfm xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir in if_id $ifid \
		tmpl src $a dst $b proto esp reqid $ifid mode tunnel
}
for n in 1 2 3 4; do topo $n; done
for ns in ikv xfm; do
	ip netns exec $ns "$HOLDER" > "/tmp/holder.$ns.$$" 2>&1 &
done
check "topology up, encap holders listen on UDP 4500 on both sides" \
	wait_for 5 sh -c "grep -q ready /tmp/holder.ikv.$$ && grep -q ready /tmp/holder.xfm.$$"
rm -f /tmp/holder.*.$$

xfrm_alg() {	# XFRM-ENC XFRM-AUTH ICV EKEY AKEY
	if [ -z "$2" ]; then
		echo "aead $1 $4 $3"
	else
		echo "enc $1 $4 auth-trunc $2 $5 $3"
	fi
}

# setup CASE: fresh SAs for all four variants; SPI_AB[n], SPI_BA[n].
setup() {
	local name enc eklen integ aklen xenc xauth icv n ek1 ek2 ak1 ak2 ie xe
	local batch=""
	IFS=: read -r name enc eklen integ aklen xenc xauth icv <<< "$1"
	for n in 1 2 3 4; do
		SPI_AB[$n]=$(rand_spi) SPI_BA[$n]=$(rand_spi)
		ek1=0x$(hex $eklen) ek2=0x$(hex $eklen) ak1="" ak2="" ie="" xe=""
		[ -n "$aklen" ] && ak1=0x$(hex $aklen) ak2=0x$(hex $aklen)
		if [ "${ENC[$n]}" = 1 ]; then
			ie="encap 4500 4500" xe="encap espinudp 4500 4500 0.0.0.0"
		fi
		# Without "sel" a state over IPv6 matches only IPv6 inner packets.
		batch+="xfrm state add src ${A[$n]} dst ${B[$n]} proto esp spi ${SPI_AB[$n]} reqid $((40 + n)) mode tunnel if_id $((40 + n)) replay-window 64 sel src 0.0.0.0/0 dst 0.0.0.0/0 $(xfrm_alg "$xenc" "$xauth" $icv $ek1 $ak1) $xe
xfrm state add src ${B[$n]} dst ${A[$n]} proto esp spi ${SPI_BA[$n]} reqid $((40 + n)) mode tunnel if_id $((40 + n)) sel src 0.0.0.0/0 dst 0.0.0.0/0 $(xfrm_alg "$xenc" "$xauth" $icv $ek2 $ak2) $xe
"
		ip netns exec ikv "$IKEVTICTL" sa flush dev ikevti$n || return 1
		# shellcheck disable=SC2086
		ip netns exec ikv "$IKEVTICTL" sa add dev ikevti$n dir out \
			spi ${SPI_AB[$n]} enc $enc key $ek1 ${integ:+integ $integ auth-key $ak1} $ie &&
		ip netns exec ikv "$IKEVTICTL" sa add dev ikevti$n dir in \
			spi ${SPI_BA[$n]} enc $enc key $ek2 ${integ:+integ $integ auth-key $ak2} $ie ||
			return 1
	done
	ip -n xfm xfrm state flush &&
	printf '%s' "$batch" | ip -n xfm -batch -
}

# One ping each way for every variant, all at once; the exit status of
# each lands in $res.N.
pings() {
	local n pids=()
	for n in 1 2 3 4; do
		( ip netns exec ikv ping -c 1 -W 3 -I 172.17.$n.1 172.18.$n.1 &&
		  ip netns exec xfm ping -c 1 -W 3 -I 172.18.$n.1 172.17.$n.1
		  echo $? > "$res.$n" ) > /dev/null 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}"
}

# spi -> packets, from one listing on each side.
xfrm_counts() {
	ip -n xfm -s xfrm state | awk '
		$1 == "proto" && $2 == "esp" { split($4, s, "("); spi = s[2]; sub(/\)/, "", spi) }
		$1 ~ /^[0-9]+\(bytes\),$/ && $2 ~ /^[0-9]+\(packets\)$/ {
			n = $2; sub(/\(packets\)/, "", n); print spi, n }'
}
ikv_counts() {
	ip netns exec ikv "$IKEVTICTL" sa list | awk '
		$1 == "dev" { spi = $7; gsub(/[()]/, "", spi) }
		$1 == "packets" { print spi, $2 }'
}
count_of() {	# count_of FILE SPI
	awk -v spi=$(( $2 )) '$1 == spi { print $2 }' "$1"
}

res=$(mktemp) xc=$(mktemp) ic=$(mktemp)
for c in $cases; do
	name=${c%%:*}
	if ! setup "$c" > "$ktap_log" 2>&1; then
		echo "# $name: setup failed:"; sed 's/^/# /' "$ktap_log"
	fi
	rm -f "$res".?
	pings
	xfrm_counts > "$xc"
	ikv_counts > "$ic"
	for n in 1 2 3 4; do
		check_eq "$name, ${LABEL[$n]}: pings both ways" 0 "$(cat "$res.$n" 2>/dev/null)"
		# A ping and a reply each way, counted on both sides.
		check_eq "$name, ${LABEL[$n]}: 2 packets each way, on both sides" "2/2/2/2" \
			"$(count_of "$xc" ${SPI_AB[$n]})/$(count_of "$ic" ${SPI_AB[$n]})/$(count_of "$xc" ${SPI_BA[$n]})/$(count_of "$ic" ${SPI_BA[$n]})"
	done
done
rm -f "$res" "$res".? "$xc" "$ic"
ktap_finish
