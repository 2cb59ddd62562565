#!/bin/bash
# The inside of tools/bench/devices.sh (runs in the test VM as root), and
# of the many_devices selftest: N ikevti devices in one namespace, each
# keyed with an inbound and an outbound AES-GCM-128 SA (build/ikevtictl,
# the manual keying path), then all deleted. Prints the time of each
# phase and the kernel memory (slab + per-CPU) each device costs, and
# ends with
#   devices n=N create_s=A key_s=B delete_s=C kmem_per_dev_kib=D kmem_left_kib=E
# where kmem_left_kib is what was not given back after the deletion.
#
#   BENCH_DEVICES=N tools/bench/devices-vm.sh
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export IP_LIB_DIR="$top/build"
ctl="$top/build/ikevtictl"
n=${BENCH_DEVICES:-10000}
ns=devbench
hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# Slab and per-CPU memory in KiB, after letting RCU frees finish.
kmem() {
	sleep 1
	echo 3 > /proc/sys/vm/drop_caches
	awk '/^(Slab|Percpu):/ { s += $2 } END { print s }' /proc/meminfo
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

ip netns add $ns
ip -n $ns link set lo up
ip -n $ns link add dummy0 type dummy
ip -n $ns addr add 10.200.0.1/16 dev dummy0
ip -n $ns link set dummy0 up
# One throwaway SA first, so that loading the crypto templates is not
# charged to the first device.
ip -n $ns link add ikvwarm type ikevti local 10.200.0.1 remote 10.201.0.1
ip netns exec $ns "$ctl" sa add dev ikvwarm dir out spi 0x100 enc aes-gcm-128 key 0x$(hex 20)
ip -n $ns link del ikvwarm

m0=$(kmem)
t0=$(now)
# Devices through one ip process; remote addresses 10.201.x.y, unique.
for i in $(seq 1 "$n"); do
	echo "link add ikv$i type ikevti local 10.200.0.1 remote 10.201.$((i / 250)).$((i % 250 + 1))"
done | ip -n $ns -batch - || echo "# device creation failed"
t1=$(now)
created=$(ip -n $ns -o link show type ikevti | wc -l)
key=0x$(hex 20)
for i in $(seq 1 "$n"); do
	ip netns exec $ns "$ctl" sa add dev ikv$i dir in spi $((0x10000 + 2 * i)) \
		enc aes-gcm-128 key "$key" &&
	ip netns exec $ns "$ctl" sa add dev ikv$i dir out spi $((0x10001 + 2 * i)) \
		enc aes-gcm-128 key "$key" || { echo "# keying ikv$i failed"; break; }
done
t2=$(now)
keyed=$(ip netns exec $ns "$ctl" -j sa list 2>/dev/null |
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d if isinstance(d,list) else d.get("sas",[])))' 2>/dev/null)
m1=$(kmem)
for i in $(seq 1 "$n"); do echo "link del ikv$i"; done | ip -n $ns -batch - ||
	echo "# device deletion failed"
t3=$(now)
left=$(ip -n $ns -o link show type ikevti | wc -l)
m2=$(kmem)
ip netns del $ns

echo "# $n devices: $created created, ${keyed:-?} SAs listed, $left left after deletion"
echo "# kernel memory (slab + per-CPU): before $m0 KiB, keyed $m1 KiB, after deletion $m2 KiB"
echo "# vCPUs: $(nproc); accelerator: ${BENCH_ACCEL:-tcg}"
echo "devices n=$n create_s=$(elapsed "$t0" "$t1") key_s=$(elapsed "$t1" "$t2")" \
	"delete_s=$(elapsed "$t2" "$t3")" \
	"kmem_per_dev_kib=$(awk -v a="$m0" -v b="$m1" -v n="$n" 'BEGIN { printf "%.1f", (b - a) / n }')" \
	"kmem_left_kib=$((m2 - m0))" \
	"created=$created keyed_sas=${keyed:-0} left=$left"
