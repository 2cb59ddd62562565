#!/bin/bash
# The module's built-in self-tests (replay window and ESN inference
# tables, compiled only with -DDEBUG) pass when the debug build loads,
# and the production module comes back afterwards.
. "$(dirname "$0")/lib.sh"

debug_ko="$top/build/debug/kmod/ikevti.ko"
ktap_header 3
[ -e "$debug_ko" ] || { ktap_skip "debug module" "not built"; ktap_finish; }
rmmod ikevti 2>/dev/null
dmesg -C
check "the DEBUG build loads (its self-tests gate module init)" insmod "$debug_ko"
check_output_has "dmesg reports the self-tests passed" \
	'replay and ESN self-tests: pass' dmesg
rmmod ikevti
check "the production module loads again" insmod "$top/kmod/ikevti.ko"
ktap_finish
