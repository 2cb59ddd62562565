#!/bin/bash
# Many tunnels on one host, small: 200 ikevti devices created, keyed
# with two manual SAs each and deleted by tools/bench/devices-vm.sh
# (tools/bench/devices.sh runs it with 10000). Every device and SA must
# exist, all must go away, most of the slab and per-CPU memory they took
# must come back (slab caches keep some pages: at least two thirds), and
# the phases must finish in bounded time.
. "$(dirname "$0")/lib.sh"

ktap_header 5
n=200
out=$(BENCH_DEVICES=$n bash "$top/tools/bench/devices-vm.sh" 2>&1)
echo "$out" | sed 's/^/# /'
line=$(echo "$out" | grep '^devices ')
field() { echo "$line" | sed -n "s/.* $1=\([-0-9.]*\).*/\1/p"; }
check_eq "$n devices created" "$n" "$(field created)"
check_eq "$((2 * n)) SAs installed and listed" "$((2 * n))" "$(field keyed_sas)"
check_eq "no device left after deletion" 0 "$(field left)"
taken=$(awk -v p="$(field kmem_per_dev_kib)" -v n=$n 'BEGIN { printf "%d", p * n }')
check "the kernel memory came back (left $(field kmem_left_kib) of $taken KiB)" \
	test "$(field kmem_left_kib)" -le $((taken / 3))
check "create, key and delete each took under 300 s" awk \
	-v c="$(field create_s)" -v k="$(field key_s)" -v d="$(field delete_s)" \
	'BEGIN { exit !(c != "" && c < 300 && k < 300 && d < 300) }'
ktap_finish
