#!/bin/bash
# The inside of tools/bench/throughput.sh (runs in the test VM as root).
#
#  ns a                                      ns b
#  veth0 10.10.0.1 ======================== veth1 10.10.0.2
#   ikevti1 172.16.1.1  <- ESP AES-GCM-128 ->  ikevti1 172.16.2.1
#   xfrm1   172.18.1.1  <- ESP AES-GCM-128 ->  xfrm1   172.18.2.1
#   wg0     172.19.1.1  <- WireGuard       ->  wg0     172.19.2.1
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export IP_LIB_DIR="$top/build"
ctl="$top/build/ikevtictl"
secs=${BENCH_SECS:-5}
hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
A=10.10.0.1 B=10.10.0.2

modprobe -q wireguard || echo "# wireguard module missing"
for ns in a b; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add veth0 netns a type veth peer name veth1 netns b
ip -n a addr add $A/24 dev veth0; ip -n b addr add $B/24 dev veth1
ip -n a link set veth0 up; ip -n b link set veth1 up

# xfrm interface, same algorithm, stock transform (ikevti's parallel
# crypto uses a padata instance of its own, invisible to xfrm).
k3=0x$(hex 20) k4=0x$(hex 20)
setup_xfrmi() {		# NS LOCAL REMOTE INNER PEERNET OUTSPI OUTKEY INSPI INKEY DEV
	ip -n $1 link add xfrm1 type xfrm dev ${10} if_id 7
	ip -n $1 addr add $4/32 dev xfrm1
	ip -n $1 link set xfrm1 up
	ip -n $1 route add $5 dev xfrm1
	ip -n $1 xfrm state add src $2 dst $3 proto esp spi $6 reqid 7 mode tunnel if_id 7 \
		aead 'rfc4106(gcm(aes))' $7 128
	ip -n $1 xfrm state add src $3 dst $2 proto esp spi $8 reqid 7 mode tunnel if_id 7 \
		replay-window 64 aead 'rfc4106(gcm(aes))' $9 128
	ip -n $1 xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir out if_id 7 \
		tmpl src $2 dst $3 proto esp reqid 7 mode tunnel
	ip -n $1 xfrm policy add src 0.0.0.0/0 dst 0.0.0.0/0 dir in if_id 7 \
		tmpl src $3 dst $2 proto esp reqid 7 mode tunnel
}
setup_xfrmi a $A $B 172.18.1.1 172.18.2.0/24 0x3001 $k3 0x4001 $k4 veth0
setup_xfrmi b $B $A 172.18.2.1 172.18.1.0/24 0x4001 $k4 0x3001 $k3 veth1

# ikevti
k1=0x$(hex 20) k2=0x$(hex 20)
setup_ikevti() {	# NS LOCAL REMOTE INNER PEERNET OUTSPI OUTKEY INSPI INKEY
	ip -n $1 link add ikevti1 type ikevti local $2 remote $3
	ip -n $1 addr add $4/32 dev ikevti1
	ip -n $1 link set ikevti1 up
	ip -n $1 route add $5 dev ikevti1
	ip netns exec $1 "$ctl" sa add dev ikevti1 dir out spi $6 enc aes-gcm-128 key $7
	ip netns exec $1 "$ctl" sa add dev ikevti1 dir in spi $8 enc aes-gcm-128 key $9
}
setup_ikevti a $A $B 172.16.1.1 172.16.2.0/24 0x1001 $k1 0x2001 $k2
setup_ikevti b $B $A 172.16.2.1 172.16.1.0/24 0x2001 $k2 0x1001 $k1

# WireGuard
wgk_a=$(wg genkey) wgk_b=$(wg genkey)
setup_wg() {		# NS PORT INNER PEERNET PRIV PEERPUB PEERADDR
	ip -n $1 link add wg0 type wireguard
	printf '%s' "$5" > /tmp/wg.$1
	ip netns exec $1 wg set wg0 listen-port $2 private-key /tmp/wg.$1 \
		peer "$6" allowed-ips $4 endpoint $7
	ip -n $1 addr add $3/32 dev wg0
	ip -n $1 link set wg0 up
	ip -n $1 route add $4 dev wg0
}
setup_wg a 51820 172.19.1.1 172.19.2.0/24 "$wgk_a" "$(echo "$wgk_b" | wg pubkey)" $B:51821
setup_wg b 51821 172.19.2.1 172.19.1.0/24 "$wgk_b" "$(echo "$wgk_a" | wg pubkey)" $A:51820

# Warm up each path (crypto templates, neighbours, handshakes).
for dst in 172.16.2.1 172.18.2.1 172.19.2.1; do
	ip netns exec a ping -c 2 -W 3 $dst > /dev/null || echo "# warm-up ping to $dst failed"
done

ip netns exec b iperf3 -s -D -p 5201 > /dev/null
sleep 0.5

# iperf MODE FLOWS SRC DST -> Mbit/s received
iperf() {
	local mode=$1 flows=$2 src=$3 dst=$4 args=()
	case $mode in
	large) args=() ;;
	small) args=(-u -b 0 -l 64) ;;
	esac
	ip netns exec a iperf3 -c "$dst" -B "$src" -p 5201 -t "$secs" -P "$flows" \
		-J "${args[@]}" 2>/dev/null |
		python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)["end"]
    s = d.get("sum_received") or d.get("sum")
    print("%.1f" % (s["bits_per_second"] / 1e6))
except Exception:
    print("0.0")'
}

declare -A res
printf '%-10s %-6s %6s %12s\n' tunnel size flows "Mbit/s"
for t in ikevti:172.16.1.1:172.16.2.1 xfrm:172.18.1.1:172.18.2.1 wireguard:172.19.1.1:172.19.2.1; do
	IFS=: read -r name src dst <<< "$t"
	for size in large small; do
		for flows in 1 4; do
			r=$(iperf $size $flows $src $dst)
			res[$name.$size.$flows]=$r
			printf '%-10s %-6s %6s %12s\n' $name $size $flows $r
		done
	done
done

# Raw AEAD speed of the crypto API: tcrypt mode 211 (rfc4106(gcm(aes))
# and gcm(aes) speed), 1420-byte blocks, AES-128, encryption.
modprobe -q aesni_intel
dmesg -C
modprobe tcrypt mode=211 sec=1 2>/dev/null
tc=$(dmesg | awk '
	/testing speed of rfc4106\(gcm\(aes\)\)/ && /encryption/ { on = 1; next }
	/testing speed/ { on = 0 }
	on && /160 bit key, 1420 byte blocks/ && /operations in/ {
		for (i = 2; i <= NF; i++) if ($i == "bytes)") { gsub(/[(]/, "", $(i - 1)); print $(i - 1) * 8 / 1e6; exit }
	}')
tc=${tc:-0}
printf '%-10s %-6s %6s %12s\n' tcrypt 1420B 1 "$tc"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "0.00" }'; }
echo "# vCPUs: $(nproc); accelerator: ${BENCH_ACCEL:-tcg}; $secs s per run"
mount -t debugfs none /sys/kernel/debug 2>/dev/null
echo "# ikevti parallel=$(cat /sys/module/ikevti/parameters/parallel):" \
	"$(head -n 2 /sys/kernel/debug/ikevti/crypt_cpus 2>/dev/null | tr '\n' ' ')"
echo "ratio ikevti/xfrm 1flow=$(ratio "${res[ikevti.large.1]}" "${res[xfrm.large.1]}")" \
	"4flow=$(ratio "${res[ikevti.large.4]}" "${res[xfrm.large.4]}")" \
	"ikevti/wireguard 4flow=$(ratio "${res[ikevti.large.4]}" "${res[wireguard.large.4]}")" \
	"ikevti/tcrypt 1flow=$(ratio "${res[ikevti.large.1]}" "$tc")"
