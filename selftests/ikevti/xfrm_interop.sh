#!/bin/bash
# Interop with the kernel's own ESP: ikevti on one side, plain xfrm
# (policy-based, then an xfrm interface) on the other, same keys. Ping
# both ways for AES-GCM-128 and AES-GCM-256, a bulk TCP transfer, a
# capture showing ESP with the expected SPIs and sequence numbers, equal
# packet counts on both sides and no xfrm error counter. Last, a native
# xfrm tunnel in ikevti's own namespace keeps working beside it.
#
#  ns ikv                                           ns xfm
#  172.16.1.1 ikevti1 - veth0 10.10.0.1 == veth1 10.10.0.2 - xfrm 172.16.2.1
#                       veth2 10.20.0.1 == veth3 10.20.0.2 - ns nat (xfrm
#  172.17.1.1 (lo) ---- native xfrm ------------------------  172.17.2.1)
. "$(dirname "$0")/lib.sh"

A=10.10.0.1 B=10.10.0.2 NA=172.16.1.0/24 NB=172.16.2.0/24
ktap_header 31

modprobe -q esp4; modprobe -q xfrm_interface
add_netns ikv xfm
veth_pair ikv veth0 $A/24 xfm veth1 $B/24
ip netns exec ikv sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip -n ikv link add ikevti1 type ikevti local $A remote $B
ip -n ikv addr add 172.16.1.1/32 dev ikevti1
ip -n ikv link set ikevti1 up
ip -n ikv route add $NB dev ikevti1
ip -n xfm addr add 172.16.2.1/32 dev lo

xfrm() { ip -n xfm xfrm "$@"; }
ikv_sa() { ip netns exec ikv "$IKEVTICTL" sa add dev ikevti1 "$@"; }

# xfrm_states ALG_NAME KEY_AB KEY_BA [extra state args]: both xfrm states.
xfrm_states() {
	local alg=$1 kab=$2 kba=$3
	shift 3
	xfrm state add src $A dst $B proto esp spi $spi_ab reqid 1 mode tunnel \
		replay-window 64 aead "$alg" "$kab" 128 "$@" &&
	xfrm state add src $B dst $A proto esp spi $spi_ba reqid 1 mode tunnel \
		aead "$alg" "$kba" 128 "$@"
}

xfrm_policies() {
	ip -n xfm route replace $NA via $A src 172.16.2.1 &&
	xfrm policy add src $NB dst $NA dir out tmpl src $B dst $A proto esp reqid 1 mode tunnel &&
	xfrm policy add src $NA dst $NB dir in tmpl src $A dst $B proto esp reqid 1 mode tunnel
}

reset_peers() {
	xfrm state flush; xfrm policy flush
	ip -n xfm link del xfrm1 2>/dev/null
	ip netns exec ikv "$IKEVTICTL" sa flush dev ikevti1
}

# The packet counter of an xfrm state: xfrm_packets SRC DST SPI
xfrm_packets() {
	ip -n xfm -s xfrm state get src "$1" dst "$2" proto esp spi "$3" |
		sed -n 's/.* \([0-9]*\)(packets).*/\1/p' | head -n1
}

xfrm_errors() {
	ip netns exec xfm awk '/XfrmInStateProtoError|XfrmInNoStates|XfrmInStateSeqError|XfrmInStateMismatch/ { s += $2 } END { print s + 0 }' /proc/net/xfrm_stat
}

# The ESP sequence numbers of one SPI in a capture, comma separated.
capture_seqs() {
	tcpdump -nr "$1" 2>/dev/null | grep -o "spi=$2,seq=0x[0-9a-f]*" |
		sed 's/.*seq=//' | while read -r s; do printf '%d,' "$s"; done
}

# traffic_checks LABEL: pings, capture, counters, TCP, errors.
traffic_checks() {
	local label=$1 cap
	cap=$(mktemp)
	capture_start xfm veth1 "$cap" esp
	check "$label: ping ikevti -> xfrm" \
		ip netns exec ikv ping -c 3 -i 0.2 -W 2 -I 172.16.1.1 172.16.2.1
	check "$label: ping xfrm -> ikevti" \
		ip netns exec xfm ping -c 3 -i 0.2 -W 2 -I 172.16.2.1 172.16.1.1
	capture_stop
	check_eq "$label: capture shows SPI $spi_ab with seq 1..6 in order" \
		"1,2,3,4,5,6," "$(capture_seqs "$cap" "$spi_ab")"
	check_eq "$label: capture shows SPI $spi_ba with seq 1..6 in order" \
		"1,2,3,4,5,6," "$(capture_seqs "$cap" "$spi_ba")"
	rm -f "$cap" "$cap.log"
	local data got srv
	data=$(mktemp) got=$(mktemp)
	head -c 2M /dev/urandom > "$data"
	timeout 150 ip netns exec xfm socat -u TCP-LISTEN:5001,bind=172.16.2.1,reuseaddr OPEN:"$got",creat,trunc &
	srv=$!
	wait_for 5 sh -c 'ip netns exec xfm ss -ltn | grep -q 5001'
	timeout 120 ip netns exec ikv socat -u OPEN:"$data" TCP:172.16.2.1:5001,bind=172.16.1.1
	wait $srv
	check_eq "$label: 2 MiB TCP transfer ikevti -> xfrm intact" \
		"$(sha256sum < "$data")" "$(sha256sum < "$got")"
	rm -f "$data" "$got"
	check_eq "$label: xfrm decapsulated what ikevti sent" \
		"$(sa_counter ikv ikevti1 out "$spi_ab" packets)" "$(xfrm_packets $A $B "$spi_ab")"
	check_eq "$label: ikevti decapsulated what xfrm sent" \
		"$(xfrm_packets $B $A "$spi_ba")" "$(sa_counter ikv ikevti1 in "$spi_ba" packets)"
	check_eq "$label: no xfrm input errors" 0 "$(xfrm_errors)"
}

# Case 1 and 2: policy-based xfrm peer, AES-GCM-128 and AES-GCM-256.
for bits in 128 256; do
	reset_peers
	spi_ab=$(rand_spi) spi_ba=$(rand_spi)
	klen=$((bits / 8 + 4))
	k_ab=0x$(hex $klen) k_ba=0x$(hex $klen)
	check "gcm-$bits: install xfrm states and policies" \
		eval "xfrm_states 'rfc4106(gcm(aes))' $k_ab $k_ba && xfrm_policies"
	check "gcm-$bits: install ikevti SAs with the same keys" \
		eval "ikv_sa dir out spi $spi_ab enc aes-gcm-$bits key $k_ab &&
		      ikv_sa dir in spi $spi_ba enc aes-gcm-$bits key $k_ba"
	traffic_checks "gcm-$bits"
done

# Case 3: an xfrm interface (any/any selectors, like an IOS VTI).
reset_peers
spi_ab=$(rand_spi) spi_ba=$(rand_spi) k_ab=0x$(hex 20) k_ba=0x$(hex 20)
ip -n xfm route del $NA 2>/dev/null
ip -n xfm link add xfrm1 type xfrm dev veth1 if_id 42
ip -n xfm link set xfrm1 up
ip -n xfm route add $NA dev xfrm1 src 172.16.2.1
xfrm_states 'rfc4106(gcm(aes))' $k_ab $k_ba if_id 42
xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir out if_id 42 tmpl src $B dst $A proto esp reqid 1 mode tunnel
xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir in if_id 42 tmpl src $A dst $B proto esp reqid 1 mode tunnel
ikv_sa dir out spi $spi_ab enc aes-gcm-128 key $k_ab
ikv_sa dir in spi $spi_ba enc aes-gcm-128 key $k_ba
traffic_checks "xfrm interface"

# Coexistence: a native xfrm tunnel in ikevti's own namespace.
add_netns nat
veth_pair ikv veth2 10.20.0.1/24 nat veth3 10.20.0.2/24
ip -n ikv addr add 172.17.1.1/32 dev lo
ip -n nat addr add 172.17.2.1/32 dev lo
k1=0x$(hex 20) k2=0x$(hex 20) s1=$(rand_spi) s2=$(rand_spi)
native() {	# native NS LOCAL REMOTE LNET RNET OUTSPI OUTKEY INSPI INKEY
	ip -n $1 route add $5 via $3 src ${4%.0/24}.1
	ip -n $1 xfrm state add src $2 dst $3 proto esp spi $6 reqid 9 mode tunnel aead 'rfc4106(gcm(aes))' $7 128
	ip -n $1 xfrm state add src $3 dst $2 proto esp spi $8 reqid 9 mode tunnel replay-window 64 aead 'rfc4106(gcm(aes))' $9 128
	ip -n $1 xfrm policy add src $4 dst $5 dir out tmpl src $2 dst $3 proto esp reqid 9 mode tunnel
	ip -n $1 xfrm policy add src $5 dst $4 dir in tmpl src $3 dst $2 proto esp reqid 9 mode tunnel
}
native ikv 10.20.0.1 10.20.0.2 172.17.1.0/24 172.17.2.0/24 $s1 $k1 $s2 $k2
native nat 10.20.0.2 10.20.0.1 172.17.2.0/24 172.17.1.0/24 $s2 $k2 $s1 $k1
check "native xfrm tunnel in ikevti's namespace passes traffic" \
	ip netns exec ikv ping -c 3 -i 0.2 -W 2 -I 172.17.1.1 172.17.2.1
check "ikevti tunnel still passes traffic beside it" \
	ip netns exec ikv ping -c 3 -i 0.2 -W 2 -I 172.16.1.1 172.16.2.1
check_eq "native ESP was decapsulated by xfrm, not claimed by ikevti" 3 \
	"$(ip -n ikv -s xfrm state get src 10.20.0.2 dst 10.20.0.1 proto esp spi $s2 |
	   sed -n 's/.* \([0-9]*\)(packets).*/\1/p' | head -n1)"
ktap_finish
