#!/bin/bash
# Bad input: ESP packets forged with a known key (esp_forge) that are
# truncated, carry a wrong ICV, are replayed or too old, use an unknown
# SPI, or decrypt to bad padding / a bad next header. Each is dropped and
# counted in its own counter, nothing warns in dmesg (the VM runner checks
# that), and the tunnel keeps passing traffic afterwards.
#
#  ns ikv                                          ns xfm (xfrm peer + forger)
#  172.16.1.1 ikevti1 - veth0 10.10.0.1 == veth1 10.10.0.2 - 172.16.2.1
. "$(dirname "$0")/lib.sh"

A=10.10.0.1 B=10.10.0.2 NA=172.16.1.0/24 NB=172.16.2.0/24
ktap_header 16

modprobe -q esp4
add_netns ikv xfm
veth_pair ikv veth0 $A/24 xfm veth1 $B/24
ip netns exec ikv sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip -n ikv link add ikevti1 type ikevti local $A remote $B
ip -n ikv addr add 172.16.1.1/32 dev ikevti1
ip -n ikv link set ikevti1 up
ip -n ikv route add $NB dev ikevti1
ip -n xfm addr add 172.16.2.1/32 dev lo
ip -n xfm route add $NA via $A src 172.16.2.1

# A working tunnel to an xfrm peer, and one more inbound SA on ikevti
# whose key only the forger knows.
spi_ab=$(rand_spi) spi_ba=$(rand_spi) spi_f=$(rand_spi)
k_ab=0x$(hex 20) k_ba=0x$(hex 20) k_f=0x$(hex 20)
xfrm() { ip -n xfm xfrm "$@"; }
xfrm state add src $A dst $B proto esp spi $spi_ab reqid 1 mode tunnel replay-window 64 \
	aead 'rfc4106(gcm(aes))' $k_ab 128
xfrm state add src $B dst $A proto esp spi $spi_ba reqid 1 mode tunnel \
	aead 'rfc4106(gcm(aes))' $k_ba 128
xfrm policy add src $NB dst $NA dir out tmpl src $B dst $A proto esp reqid 1 mode tunnel
xfrm policy add src $NA dst $NB dir in tmpl src $A dst $B proto esp reqid 1 mode tunnel
ikv() { ip netns exec ikv "$IKEVTICTL" "$@"; }
ikv sa add dev ikevti1 dir out spi $spi_ab enc aes-gcm-128 key $k_ab
ikv sa add dev ikevti1 dir in spi $spi_ba enc aes-gcm-128 key $k_ba
ikv sa add dev ikevti1 dir in spi $spi_f enc aes-gcm-128 key $k_f replay-window 64

check "tunnel passes traffic before the bad input" \
	ip netns exec ikv ping -c 2 -i 0.2 -W 2 -I 172.16.1.1 172.16.2.1

# forge SEQ MANGLE [more esp_forge options]: send one forged packet.
forge() {
	ip netns exec xfm "$ESP_FORGE" --src $B --dst $A --spi "${spi:-$spi_f}" \
		--key "$k_f" --inner-src 172.16.2.1 --inner-dst 172.16.1.1 \
		--seq "$1" --mangle "$2" "${@:3}" && sleep 0.2
}
count() { sa_counter ikv ikevti1 in "$spi_f" "$1"; }

# expect_counter DESC COUNTER DELTA forge-args...: the counter of the
# forger's SA moves by exactly DELTA.
expect_counter() {
	local desc=$1 name=$2 delta=$3 before after
	shift 3
	before=$(count "$name")
	forge "$@" > "$ktap_log" 2>&1
	after=$(count "$name")
	check_eq "$desc ($name +$delta)" "$delta" "$(( ${after:-0} - ${before:-0} ))"
}

expect_counter "a valid forged packet is decapsulated" packets 1 1 none
expect_counter "the same sequence number again is a replay" replay 1 1 none
expect_counter "a valid packet far ahead moves the window" packets 1 100 none
expect_counter "a packet left of the 64-packet window is too old" too_old 1 10 none
expect_counter "a flipped ICV bit fails authentication" auth_fail 1 101 icv
expect_counter "a flipped ciphertext bit fails authentication" auth_fail 1 102 ciphertext
expect_counter "a truncated ESP packet is counted" bad_length 1 103 truncate --truncate-len 12
expect_counter "non-monotonic padding is counted" bad_pad 1 104 bad-pad
expect_counter "a pad length beyond the payload is counted" bad_pad 1 105 pad-too-long
expect_counter "next header 17 in tunnel mode is counted" bad_nexthdr 1 106 bad-nexthdr
expect_counter "a dummy packet (next header 59) is not an error" auth_fail 0 107 nexthdr-59
expect_counter "sequence number 0 is never accepted" packets 0 0 zero-seq

before=$(dev_counter ikv ikevti1 no_sa)
spi=0x0badf00d forge 108 none >/dev/null 2>&1
check_eq "an unknown SPI to our address is counted on the device" 1 \
	"$(( $(dev_counter ikv ikevti1 no_sa) - before ))"

expect_counter "a valid packet after all that is still decapsulated" packets 1 109 none
check "the tunnel still passes traffic" \
	ip netns exec ikv ping -c 3 -i 0.2 -W 2 -I 172.16.1.1 172.16.2.1
ktap_finish
