#!/bin/bash
# Shared helpers for the ikevti selftests: KTAP output, network namespaces
# and the project's tools. Sourced by each test; they run as root inside
# the test VM (tools/vm/run.sh), never on a host with real traffic.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
IKEVTICTL="$top/build/ikevtictl"
ESP_FORGE="$top/build/selftests/esp_forge"
NL_VALIDATE="$top/build/selftests/nl_validate"
export IP_LIB_DIR="$top/build"	# stock ip loads link_ikevti.so from here
KSFT_SKIP=4

ktap_n=0 ktap_pass=0 ktap_fail=0 ktap_skip=0
ktap_log=$(mktemp)

ktap_header() {
	echo "TAP version 13"
	echo "1..$1"
}

ktap_ok() {
	ktap_n=$((ktap_n + 1)) ktap_pass=$((ktap_pass + 1))
	echo "ok $ktap_n - $*"
}

ktap_not_ok() {
	ktap_n=$((ktap_n + 1)) ktap_fail=$((ktap_fail + 1))
	echo "not ok $ktap_n - $*"
}

ktap_skip() {
	ktap_n=$((ktap_n + 1)) ktap_skip=$((ktap_skip + 1))
	echo "ok $ktap_n - $1 # SKIP ${2:-}"
}

# check "description" command...: one result; on failure, the command's
# output is shown as KTAP diagnostics.
check() {
	local desc=$1
	shift
	if "$@" > "$ktap_log" 2>&1; then
		ktap_ok "$desc"
	else
		ktap_not_ok "$desc"
		sed 's/^/# /' "$ktap_log" | tail -n 40
	fi
}

# check_fails "description" command...: passes when the command fails.
check_fails() {
	local desc=$1
	shift
	if "$@" > "$ktap_log" 2>&1; then
		ktap_not_ok "$desc (unexpectedly succeeded)"
		sed 's/^/# /' "$ktap_log" | tail -n 20
	else
		ktap_ok "$desc"
		sed 's/^/# /' "$ktap_log" | tail -n 3
	fi
}

# check_output_has "description" pattern command...: command succeeds and
# its output matches the extended regular expression.
check_output_has() {
	local desc=$1 pattern=$2
	shift 2
	if "$@" > "$ktap_log" 2>&1 && grep -qE -- "$pattern" "$ktap_log"; then
		ktap_ok "$desc"
	else
		ktap_not_ok "$desc"
		echo "# expected /$pattern/ in:"
		sed 's/^/# /' "$ktap_log" | tail -n 30
	fi
}

# check_eq "description" expected actual
check_eq() {
	if [ "$2" = "$3" ]; then
		ktap_ok "$1"
	else
		ktap_not_ok "$1"
		echo "# expected '$2', got '$3'"
	fi
}

ktap_finish() {
	echo "# Totals: pass:$ktap_pass fail:$ktap_fail xfail:0 xpass:0 skip:$ktap_skip error:0"
	rm -f "$ktap_log"
	[ $ktap_fail -eq 0 ]
	exit
}

# Random hex of N bytes, for keys and SPIs that differ on every run.
hex() {
	od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

# A random SPI in 0x1000..0xfffffff0 (never in the reserved 1..255).
rand_spi() {
	printf '0x%08x' $(( (0x$(hex 4) % 0xffffe000) + 0x1000 ))
}

ikevtictl() {
	"$IKEVTICTL" "$@"
}

# Namespaces made by a test are listed here and removed at exit.
test_netns=()
add_netns() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
		test_netns+=("$ns")
	done
}

cleanup_netns() {
	local ns
	for ns in "${test_netns[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	test_netns=()
}
trap cleanup_netns EXIT

# Join two namespaces with a veth pair: veth_pair NS1 IF1 ADDR1 NS2 IF2 ADDR2
veth_pair() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" || return 1
	ip -n "$1" addr add "$3" dev "$2"
	ip -n "$4" addr add "$6" dev "$5"
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}

# The two-ended test bed of the ikevti-to-ikevti tests: namespaces a and
# b joined by veth0/veth1 (10.10.0.1 and .2), IPv6 off so that MLD and
# router solicitations never move a counter, an ikevti1 in each (up, no
# SA yet) with 172.16.1.1 / 172.16.2.1 and a route to the other side.
ikevti_pair() {
	add_netns a b
	veth_pair a veth0 10.10.0.1/24 b veth1 10.10.0.2/24 || return 1
	ip netns exec a sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip netns exec b sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ip -n a link add ikevti1 type ikevti local 10.10.0.1 remote 10.10.0.2 &&
	ip -n b link add ikevti1 type ikevti local 10.10.0.2 remote 10.10.0.1 &&
	ip -n a addr add 172.16.1.1/32 dev ikevti1 &&
	ip -n b addr add 172.16.2.1/32 dev ikevti1 &&
	ip -n a link set ikevti1 up &&
	ip -n b link set ikevti1 up &&
	ip -n a route add 172.16.2.0/24 dev ikevti1 &&
	ip -n b route add 172.16.1.0/24 dev ikevti1
}

# A counter of an SA, from "ikevtictl -j sa show": sa_counter NS DEV DIR SPI NAME
sa_counter() {
	ip netns exec "$1" "$IKEVTICTL" -j sa show dev "$2" dir "$3" spi "$4" |
		python3 -c 'import json,sys; d=json.load(sys.stdin); d=d.get("sas",d) if isinstance(d,dict) else d; d=d[0] if isinstance(d,list) else d; print(d["stats"][sys.argv[1]])' "$5"
}

# The packet counter of an xfrm state: xfrm_state_packets NS SRC DST SPI
xfrm_state_packets() {
	ip -n "$1" -s xfrm state get src "$2" dst "$3" proto esp spi "$4" |
		sed -n 's/.* \([0-9]*\)(packets).*/\1/p' | head -n1
}

# A device counter: dev_counter NS DEV NAME
dev_counter() {
	ip netns exec "$1" "$IKEVTICTL" -j stats dev "$2" |
		python3 -c 'import json,sys; d=json.load(sys.stdin); d=d.get("devices",d) if isinstance(d,dict) else d; d=d[0] if isinstance(d,list) else d; d=d.get("stats",d); print(d[sys.argv[1]])' "$3"
}

# Start tcpdump in a namespace and wait until it listens:
# capture_start NS IFACE FILE FILTER...   (sets capture_pid)
capture_start() {
	local ns=$1 ifc=$2 file=$3
	shift 3
	ip netns exec "$ns" tcpdump -Z root -U --immediate-mode -ni "$ifc" \
		-w "$file" "$@" > "$file.log" 2>&1 &
	capture_pid=$!
	local i
	for i in $(seq 50); do
		grep -q "listening on" "$file.log" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

capture_stop() {
	sleep 0.3
	kill -INT "$capture_pid" 2>/dev/null
	wait "$capture_pid" 2>/dev/null
}

# Wait until a command succeeds: wait_for SECONDS command...
wait_for() {
	local t=$1 i
	shift
	for i in $(seq $((t * 10))); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}
