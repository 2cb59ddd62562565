#!/bin/bash
# Kernel code hygiene, printed as KTAP results:
#  - the module builds with W=1 and sparse (C=1) without a single warning;
#  - checkpatch.pl (from Debian's linux-source, fetched into .cache at test
#    time, never committed) finds no error or warning.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=${KDIR:-$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n1)}
checkpatch="$top/.cache/checkpatch/scripts/checkpatch.pl"
log=$(mktemp)
n=0 fails=0
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}

echo "TAP version 13"
echo "1..2"
# Clean with M=kmod: kbuild's clean with M=<top> would delete every
# .ko below the checkout, the extracted kernel image in .cache/ included.
make -s -C "$kdir" M="$top/kmod" clean >/dev/null 2>&1
make -C "$kdir" M="$top" W=1 C=1 modules > "$log" 2>&1
rc=$?
warnings=$(grep -cE 'warning:|error:' "$log")
[ $rc -eq 0 ] && [ "$warnings" -eq 0 ]
result $? "kmod builds with W=1 and C=1 (sparse) without warnings"
[ $rc -eq 0 ] && [ "$warnings" -eq 0 ] || grep -E 'warning:|error:' "$log" | head -n 40 | sed 's/^/# /'

if [ -x "$checkpatch" ]; then
	# Sources only: kbuild's generated ikevti.mod.c is not ours.
	srcs=$(ls "$top"/kmod/*.[ch] "$top"/kmod/selftest/*.c | grep -v '\.mod\.c$')
	# shellcheck disable=SC2086
	"$checkpatch" --no-tree --strict --terse --show-types -f \
		$srcs "$top"/include/uapi/linux/ikevti.h > "$log" 2>&1
	bad=$(grep -cE ': (ERROR|WARNING):' "$log")
	[ "$bad" -eq 0 ]
	result $? "checkpatch --strict: no errors or warnings in kmod/ and the uapi header"
	grep -E ': (ERROR|WARNING):' "$log" | head -n 40 | sed 's/^/# /'
	echo "# checkpatch --strict CHECKs (advice, not failures): $(grep -c ': CHECK:' "$log")"
else
	echo "ok $((n + 1)) - checkpatch # SKIP checkpatch.pl not available"
fi
rm -f "$log"
[ $fails -eq 0 ]
