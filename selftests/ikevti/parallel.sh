#!/bin/bash
# Parallel crypto (pcrypt, see Documentation/architecture.rst), switched
# on with the module parameter parallel=1: with two or more CPUs one
# tunnel's encryption and decryption are spread over all of them, yet ESP sequence numbers leave in order, inner packets arrive
# in order, nothing is lost and the counters agree. The replay window
# copes with reordered and concurrent duplicate input, and deleting the
# device or unloading the module while traffic flows is clean (the VM
# runner fails the run on any WARN or BUG).
#
#  ns a                                            ns b
#  172.16.1.1 ikevti1 -- veth0 10.10.0.1 == veth1 10.10.0.2 -- ikevti1 172.16.2.1
. "$(dirname "$0")/lib.sh"

N=3000		# datagrams in the ordered burst

if [ "$(nproc)" -lt 2 ]; then
	echo "1..0 # SKIP parallel crypto needs two CPUs (run.sh --smp 2)"
	exit $KSFT_SKIP
fi
ktap_header 28

# Opt-in (pcrypt instances are global, see kmod/parallel.c), so this
# test runs last: xfrm SAs added after it would use pcrypt too.
param=/sys/module/ikevti/parameters/parallel
check_eq "module parameter parallel defaults to 0 (opt-in)" 0 "$(cat $param)"
echo 1 > $param

# The transform each SA gets is logged at debug level.
mount -t debugfs none /sys/kernel/debug 2>/dev/null
dyndbg=/sys/kernel/debug/dynamic_debug/control
echo 'module ikevti func ikevti_parallel_alloc_aead +p' > $dyndbg 2>/dev/null
# Kernel messages since the last mark (dmesg -C would hide them from
# the VM runner's WARN scan).
mark() { mark=$(dmesg | wc -l); }
since_mark() { dmesg | tail -n +$((mark + 1)); }
mark

# Deep queues: this test is about order and loss inside ikevti, not
# about the backlog of a slow emulated CPU.
sysctl -qw net.core.netdev_max_backlog=20000 net.core.rmem_max=16777216

build_tunnel() {
	ikevti_pair || return 1
	spi_ab=$(rand_spi) spi_ba=$(rand_spi) k_ab=0x$(hex 20) k_ba=0x$(hex 20)
	sa a dir out spi $spi_ab enc aes-gcm-128 key $k_ab &&
	sa b dir in  spi $spi_ab enc aes-gcm-128 key $k_ab &&
	sa b dir out spi $spi_ba enc aes-gcm-128 key $k_ba &&
	sa a dir in  spi $spi_ba enc aes-gcm-128 key $k_ba
}
sa() { ip netns exec "$1" "$IKEVTICTL" sa add dev ikevti1 "${@:2}"; }

check "two tunnel ends with four AES-GCM-128 SAs" build_tunnel
check_eq "all four SAs got a pcrypt transform" 4 \
	"$(since_mark | grep -c 'using pcrypt(seqiv(rfc4106')"
check_output_has "pcrypt runs on every CPU" \
	"^$(printf '%x' $(( (1 << $(nproc)) - 1 )))\$" \
	cat /sys/kernel/pcrypt/pencrypt/parallel_cpumask

# The ESP sequence numbers of one SPI in a capture, one per line.
capture_seqs() {
	tcpdump -nr "$1" 2>/dev/null | grep -o "spi=$2,seq=0x[0-9a-f]*" |
		sed 's/.*seq=//' | while read -r s; do printf '%d\n' "$s"; done
}

# Numbers from stdin strictly increase, all above after and at least
# count - dropped of them (tcpdump may drop under load: the receiver's
# checks cover loss, this one order).
increasing() {
	awk -v after="$1" -v count="$2" -v dropped="$3" '
		$1 <= prev || $1 <= after { print "line " NR ": " $1 " after " prev
					    bad = 1; exit }
		{ prev = $1 }
		END { if (!bad && NR + dropped < count)
			print NR " numbers captured, " dropped " dropped, not " count
		      exit bad || NR + dropped < count }'
}

# udp_sink NS ADDR FILE: receive numbered datagrams until 5 s of quiet,
# write "received N" and whether they came in order to FILE.
udp_sink() {
	ip netns exec "$1" python3 -c '
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind((sys.argv[1], 5002))
open(sys.argv[2] + ".ready", "w").close()
s.settimeout(60)
seen = []
try:
    while True:
        seen.append(struct.unpack("!I", s.recv(2048)[:4])[0])
        s.settimeout(5)
except socket.timeout:
    pass
order = "in order" if seen == sorted(seen) else "REORDERED"
print("received %d %s" % (len(seen), order), file=open(sys.argv[2], "w"))
' "$2" "$3"
}

# udp_burst NS SRC DST COUNT: numbered datagrams as fast as they go,
# from one CPU, waiting out ENOBUFS rather than losing a number.
udp_burst() {
	ip netns exec "$1" taskset -c 0 python3 -c '
import errno, socket, struct, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
for i in range(int(sys.argv[3])):
    while True:
        try:
            s.sendto(struct.pack("!I", i) + bytes(200), (sys.argv[2], 5002))
            break
        except OSError as e:
            if e.errno != errno.ENOBUFS:
                raise
            time.sleep(0.001)
' "$2" "$3" "$4"
}

# While a burst runs: the CPUs padata's crypto workers run on, as
# "cpu:workqueue" lines in FILE (a worker's comm names the workqueue it
# last ran, its psr the CPU). Stops when FILE.stop appears.
sample_workers() {
	while [ ! -e "$1.stop" ]; do
		ps -eo psr=,comm= | awk '$2 ~ /p(en|de)crypt_parallel/ {
			sub(".*[-+]", "", $2); print $1 ":" $2 }'
		sleep 0.05
	done | sort -u > "$1"
}

# One direction: burst FROM_NS FROM_ADDR TO_NS TO_ADDR TO_VETH SPI
ordered_burst() {
	local from=$1 src=$2 to=$3 dst=$4 veth=$5 spi=$6
	local cap res out_before in_before
	cap=$(mktemp) res=$(mktemp)
	out_before=$(sa_counter "$from" ikevti1 out "$spi" packets)
	in_before=$(sa_counter "$to" ikevti1 in "$spi" packets)
	capture_start "$to" "$veth" "$cap" -B 16384 esp
	rm -f "$res.ready"
	udp_sink "$to" "$dst" "$res" &
	local sink=$!
	wait_for 10 test -e "$res.ready"
	sample_workers "$res.cpus" &
	local sampler=$!
	check "$N datagrams $from -> $to sent from one CPU" \
		udp_burst "$from" "$src" "$dst" $N
	wait $sink
	touch "$res.cpus.stop"
	wait $sampler
	cat "$res.cpus" >> "$workers_seen"
	echo "# cpu:workqueue seen: $(tr '\n' ' ' < "$res.cpus")"
	capture_stop
	check_eq "$to received all $N datagrams, in order" \
		"received $N in order" "$(cat "$res")"
	local sent=$(( $(sa_counter "$from" ikevti1 out "$spi" packets) - out_before ))
	local got=$(( $(sa_counter "$to" ikevti1 in "$spi" packets) - in_before ))
	check_eq "$to decapsulated every ESP packet $from sent" "$sent" "$got"
	local dropped
	dropped=$(sed -n 's/^\([0-9]*\) packets* dropped by kernel.*/\1/p' "$cap.log")
	check "ESP sequence numbers on the wire $from -> $to are in order" \
		bash -c "$(declare -f capture_seqs increasing); capture_seqs $cap $spi |
		increasing $out_before $N ${dropped:-0}"
	echo "# $(capture_seqs "$cap" "$spi" | wc -l) ESP packets captured," \
		"${dropped:-0} dropped by the capture"
	rm -f "$cap" "$cap.log" "$res" "$res".*
}

workers_seen=$(mktemp)
ordered_burst a 172.16.1.1 b 172.16.2.1 veth1 "$spi_ab"
ordered_burst b 172.16.2.1 a 172.16.1.1 veth0 "$spi_ba"
# padata's parallel workqueue is unbound: which CPU runs a worker is the
# scheduler's choice, and one short burst may happen to stay on one CPU.
# The union over both bursts is the stable fact: the tunnels' crypto was
# not bound to one core.
check_eq "padata crypto workers ran on all $(nproc) CPUs" "$(nproc)" \
	"$(cut -d: -f1 "$workers_seen" | sort -u | wc -l)"

check "ping flood a -> b, 500 packets, none lost" \
	ip netns exec a ping -f -c 500 -W 2 -I 172.16.1.1 172.16.2.1
for c in auth_fail replay too_old; do
	check_eq "no $c on b" 0 "$(sa_counter b ikevti1 in "$spi_ab" $c)"
done
check_eq "no rx_dropped on b's device" 0 \
	"$(ip -n b -j -s link show ikevti1 | python3 -c \
	'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["dropped"])')"

# The replay window with completions racing each other: a's extra inbound
# SA has a key only the forger (in ns b) knows.
spi_f=$(rand_spi) k_f=0x$(hex 20)
sa a dir in spi $spi_f enc aes-gcm-128 key $k_f replay-window 256
forge() {
	ip netns exec b "$ESP_FORGE" --src 10.10.0.2 --dst 10.10.0.1 \
		--spi $spi_f --key "$k_f" --inner-src 172.16.2.1 \
		--inner-dst 172.16.1.1 --seq "$1" --count "$2" --mangle none
}
fcount() { sa_counter a ikevti1 in "$spi_f" "$1"; }
forge 101 100 && forge 1 100
sleep 1
check_eq "200 packets, the later half first, all accepted" 200 "$(fcount packets)"
check_eq "reordered input inside the window is no replay" 0 "$(fcount replay)"
forge 301 200 & forge 301 200
wait
sleep 1
check_eq "two concurrent copies of 200 packets: one copy accepted" 400 \
	"$(fcount packets)"
check_eq "two concurrent copies of 200 packets: the other is replay" 200 \
	"$(fcount replay)"

echo 0 > $param
mark
sa a dir in spi "$(rand_spi)" enc aes-gcm-128 key 0x$(hex 20)
check_output_has "parallel=0 gives the sequential transform" \
	'using seqiv\(rfc4106-gcm' since_mark
echo 1 > $param

# Teardown under load: delete devices, then unload, while floods run.
flood() {
	ip netns exec a ping -f -q -w 8 -I 172.16.1.1 172.16.2.1 >/dev/null 2>&1 &
	ip netns exec b ping -f -q -w 8 -I 172.16.2.1 172.16.1.1 >/dev/null 2>&1 &
	sleep 2
}
flood
check "delete both devices while floods run" \
	sh -c 'ip -n a link del ikevti1 && ip -n b link del ikevti1'
wait
cleanup_netns
build_tunnel >/dev/null 2>&1
flood
check "rmmod ikevti while floods run" rmmod ikevti
wait
cleanup_netns
check_eq "no transform leaked (pcrypt unused after rmmod)" 0 \
	"$(awk '$1 == "pcrypt" { print $3 }' /proc/modules)"
check "no device reference leaked" \
	sh -c '! dmesg | grep -q "waiting for .* to become free"'
check "ikevti loads again" insmod "$top/kmod/ikevti.ko"
ktap_finish
