#!/bin/bash
# Every ESP algorithm ikevti offers, against the kernel's own xfrm (an xfrm
# interface peer) with the same keys: pings both ways and equal packet
# counts. Then extended sequence numbers across the 2^32 boundary, with an
# AEAD (AAD carries seq_hi) and with authencesn (CBC + HMAC).
#
#  ns ikv                                         ns xfm
#  172.16.1.1 ikevti1 - veth0 10.10.0.1 == veth1 10.10.0.2 - xfrm1 172.16.2.1
. "$(dirname "$0")/lib.sh"

A=10.10.0.1 B=10.10.0.2 NA=172.16.1.0/24 NB=172.16.2.0/24
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
ktap_header $((ncases * 3 + 7))

modprobe -q esp4; modprobe -q xfrm_interface
add_netns ikv xfm
veth_pair ikv veth0 $A/24 xfm veth1 $B/24
ip netns exec ikv sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip netns exec xfm sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip -n ikv link add ikevti1 type ikevti local $A remote $B
ip -n ikv addr add 172.16.1.1/32 dev ikevti1
ip -n ikv link set ikevti1 up
ip -n ikv route add $NB dev ikevti1
ip -n xfm link add xfrm1 type xfrm dev veth1 if_id 42
ip -n xfm addr add 172.16.2.1/32 dev xfrm1
ip -n xfm link set xfrm1 up
ip -n xfm route add $NA dev xfrm1
ip -n xfm xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir out if_id 42 \
	tmpl src $B dst $A proto esp reqid 1 mode tunnel
ip -n xfm xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir in if_id 42 \
	tmpl src $A dst $B proto esp reqid 1 mode tunnel

# xfrm_alg XFRM-ENC XFRM-AUTH ICV EKEY AKEY: the algorithm part of a state.
xfrm_alg() {
	if [ -z "$2" ]; then
		echo "aead $1 $4 $3"
	else
		echo "enc $1 $4 auth-trunc $2 $5 $3"
	fi
}

# ikevti_alg ENC INTEG EKEY AKEY: the algorithm part of "ikevtictl sa add".
ikevti_alg() {
	echo "enc $1 key $3${2:+ integ $2 auth-key $4}"
}

# setup CASE-FIELDS [xfrm-both] [ikevti-out] [ikevti-in] [xfrm-out] [xfrm-in]
# (extra arguments for each state)
setup() {
	local name enc eklen integ aklen xenc xauth icv
	IFS=: read -r name enc eklen integ aklen xenc xauth icv <<< "$1"
	spi_ab=$(rand_spi) spi_ba=$(rand_spi)
	local ek1=0x$(hex $eklen) ek2=0x$(hex $eklen) ak1="" ak2=""
	[ -n "$aklen" ] && ak1=0x$(hex $aklen) ak2=0x$(hex $aklen)
	ip -n xfm xfrm state flush
	ip netns exec ikv "$IKEVTICTL" sa flush dev ikevti1
	# shellcheck disable=SC2046
	ip -n xfm xfrm state add src $A dst $B proto esp spi $spi_ab reqid 1 \
		mode tunnel if_id 42 replay-window 64 $(xfrm_alg "$xenc" "$xauth" $icv $ek1 $ak1) $2 $6 &&
	ip -n xfm xfrm state add src $B dst $A proto esp spi $spi_ba reqid 1 \
		mode tunnel if_id 42 $(xfrm_alg "$xenc" "$xauth" $icv $ek2 $ak2) $2 $5 &&
	ip netns exec ikv "$IKEVTICTL" sa add dev ikevti1 dir out spi $spi_ab \
		$(ikevti_alg $enc "$integ" $ek1 $ak1) $3 &&
	ip netns exec ikv "$IKEVTICTL" sa add dev ikevti1 dir in spi $spi_ba \
		$(ikevti_alg $enc "$integ" $ek2 $ak2) $4
}

pings() {
	ip netns exec ikv ping -c 2 -i 0.2 -W 2 -I 172.16.1.1 172.16.2.1 &&
	ip netns exec xfm ping -c 2 -i 0.2 -W 2 -I 172.16.2.1 172.16.1.1 &&
	ip netns exec ikv ping -c 1 -W 2 -s 1300 -I 172.16.1.1 172.16.2.1
}

xfrm_packets() { xfrm_state_packets xfm "$@"; }

for c in $cases; do
	name=${c%%:*}
	check "$name: SAs installed on both sides" setup "$c"
	check "$name: pings both ways, small and large" pings
	check_eq "$name: both sides counted the same packets" \
		"$(xfrm_packets $A $B $spi_ab)/$(xfrm_packets $B $A $spi_ba)" \
		"$(sa_counter ikv ikevti1 out $spi_ab packets)/$(sa_counter ikv ikevti1 in $spi_ba packets)"
done

check_output_has "3DES and HMAC-MD5 are reported as legacy" 'legacy' \
	ip netns exec ikv "$IKEVTICTL" sa list dev ikevti1

# ESN across the 2^32 boundary: both senders start just below it.
esn_case() {
	setup "$1" "flag esn replay-window 128" "esn seq 0xfffffff0" \
		"esn replay-window 128 seq 0xfffffff0" "replay-oseq 0xfffffff0" \
		"replay-seq 0xfffffff0"
}
for c in "gcm128:aes-gcm-128:20:::rfc4106(gcm(aes))::128" \
	 "cbc128-sha256:aes-cbc-128:16:hmac-sha256-128:32:cbc(aes):hmac(sha256):128"; do
	name=${c%%:*}
	check "esn $name: SAs installed, senders at 0xfffffff0" esn_case "$c"
	check "esn $name: 20 pings each way cross the 2^32 boundary" sh -c \
		'ip netns exec ikv ping -c 20 -i 0.05 -W 2 -I 172.16.1.1 172.16.2.1 &&
		 ip netns exec xfm ping -c 20 -i 0.05 -W 2 -I 172.16.2.1 172.16.1.1'
	check_output_has "esn $name: ikevti's sequence number is past 2^32" \
		'seq 0x0000000100000|seq 0x1000000' ip netns exec ikv "$IKEVTICTL" sa show dev ikevti1 dir out spi $spi_ab
done
ktap_finish
