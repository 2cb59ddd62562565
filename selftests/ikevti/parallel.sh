#!/bin/bash
# Parallel crypto (kmod/parallel.c, on by default with two or more CPUs):
# one tunnel's encryption and decryption go through ikevti's padata
# instance, whose workers may run on every CPU, yet ESP sequence numbers
# leave in order, inner packets
# arrive in order, nothing is lost and the counters agree. The replay
# window copes with reordered and concurrent duplicate input, and
# deleting the device or unloading the module while traffic flows is
# clean (the VM runner fails the run on any WARN or BUG).
#
#  ns a                                            ns b
#  172.16.1.1 ikevti1 -- veth0 10.10.0.1 == veth1 10.10.0.2 -- ikevti1 172.16.2.1
. "$(dirname "$0")/lib.sh"

N=3000		# datagrams in the ordered burst

if [ "$(nproc)" -lt 2 ]; then
	echo "1..0 # SKIP parallel crypto needs two CPUs (run.sh --smp 2)"
	exit $KSFT_SKIP
fi
ktap_header 30

param=/sys/module/ikevti/parameters/parallel
check_eq "module parameter parallel defaults to -1 (on with 2+ CPUs)" -1 \
	"$(cat $param)"
# Where each CPU's worker ran how many requests.
mount -t debugfs none /sys/kernel/debug 2>/dev/null
crypt_cpus=/sys/kernel/debug/ikevti/crypt_cpus
# "cpu encrypted decrypted" lines, one per CPU.
cpu_counts() { sed -n 's/^\([0-9][0-9]*\) /\1 /p' $crypt_cpus; }

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
check_output_has "debugfs reports parallel crypto on" '^parallel on$' \
	cat $crypt_cpus
check_eq "one crypto worker counter per CPU" "$(nproc)" "$(cpu_counts | wc -l)"
check_output_has "padata's crypto workers may run on every CPU" \
	"^parallel_cpus 0-$(( $(nproc) - 1 ))\$" cat $crypt_cpus

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

# via_padata BEFORE AFTER MIN: between two cpu_counts snapshots at least
# MIN requests were encrypted and MIN decrypted by padata's workers. Which
# CPU ran them is the scheduler's choice (an unbound workqueue), printed
# for information only.
via_padata() {
	printf '%s\n%s\n' "$1" "$2" | awk -v min="$3" -v n="$(nproc)" '
		NR <= n { e0[$1] = $2; d0[$1] = $3; next }
		{ e = $2 - e0[$1]; d = $3 - d0[$1]; te += e; td += d
		  print "# cpu " $1 ": " e " encrypted, " d " decrypted" }
		END { print "# total: " te " encrypted, " td " decrypted"
		      exit NR != 2 * n || te < min || td < min }'
}

# One direction: burst FROM_NS FROM_ADDR TO_NS TO_ADDR TO_VETH SPI
ordered_burst() {
	local from=$1 src=$2 to=$3 dst=$4 veth=$5 spi=$6
	local cap res out_before in_before cpus_before
	cap=$(mktemp) res=$(mktemp)
	cpus_before=$(cpu_counts)
	out_before=$(sa_counter "$from" ikevti1 out "$spi" packets)
	in_before=$(sa_counter "$to" ikevti1 in "$spi" packets)
	capture_start "$to" "$veth" "$cap" -B 16384 esp
	rm -f "$res.ready"
	udp_sink "$to" "$dst" "$res" &
	local sink=$!
	wait_for 10 test -e "$res.ready"
	check "$N datagrams $from -> $to sent from one CPU" \
		udp_burst "$from" "$src" "$dst" $N
	wait $sink
	check "every packet of the burst was encrypted and decrypted by padata" \
		via_padata "$cpus_before" "$(cpu_counts)" $N
	grep '^# ' "$ktap_log"
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

ordered_burst a 172.16.1.1 b 172.16.2.1 veth1 "$spi_ab"
ordered_burst b 172.16.2.1 a 172.16.1.1 veth0 "$spi_ba"

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
before=$(cpu_counts)
ip netns exec a ping -c 20 -i 0.05 -W 2 -I 172.16.1.1 172.16.2.1 >/dev/null
check_eq "parallel=0: crypto stays where the packets are (no worker ran)" \
	"$before" "$(cpu_counts)"
echo -1 > $param

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
check "the debugfs counters went with the module" test ! -e $crypt_cpus
check "no device reference leaked" \
	sh -c '! dmesg | grep -q "waiting for .* to become free"'
check "ikevti loads again" insmod "$top/kmod/ikevti.ko"
ktap_finish
