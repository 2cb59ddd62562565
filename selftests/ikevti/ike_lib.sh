#!/bin/bash
# Helpers for the IKE selftests (ike_*.sh), sourced after lib.sh: ikevtid
# and strongSwan's charon in network namespaces, swanctl, a test PKI,
# xfrm interfaces for a route-based strongSwan peer, waits on IKE and
# child SAs, ESP captures. Everything a test writes lives in $ike_dir
# (guest RAM) and every process it starts is stopped at exit.

IKEVTID="$top/build/ikevtid"
MKPKI="$top/tools/pki/mkpki.sh"
CHARON=${CHARON:-/usr/sbin/charon-systemd}
SWANCTL=${SWANCTL:-/usr/sbin/swanctl}
ike_dir=$(mktemp -d /tmp/ikevti-ike.XXXXXX)

declare -A ikevtid_pids=() charon_pids=()

ike_cleanup() {
	local ns
	for ns in "${!ikevtid_pids[@]}"; do
		kill "${ikevtid_pids[$ns]}" 2>/dev/null
	done
	for ns in "${!charon_pids[@]}"; do
		kill "${charon_pids[$ns]}" 2>/dev/null
	done
	[ -n "${capture_pid:-}" ] && kill "$capture_pid" 2>/dev/null
	wait 2>/dev/null
	cleanup_netns
	# IKE_DUMP=N: show the last N lines of every log (debugging a run in
	# the VM, whose files vanish with it).
	if [ -n "${IKE_DUMP:-}" ]; then
		local f
		find "$ike_dir" -name '*.log' -o -name '*.out' |
			while read -r f; do diag_file "$f" "$IKE_DUMP"; done
	fi
	[ -n "${IKE_KEEP:-}" ] || rm -rf "$ike_dir"
}
trap ike_cleanup EXIT
# A test stopped by its timeout still stops its daemons.
trap 'exit 143' TERM INT

# Show a file as KTAP diagnostics (the end of a log after a failure).
diag_file() {	# diag_file FILE [LINES]
	[ -r "$1" ] || return 0
	echo "# --- ${1##*/} (last ${2:-25} lines)"
	tail -n "${2:-25}" "$1" | sed 's/^/# /'
}

# Wait until a command succeeds, bounded in time rather than in tries
# (the status queries cost seconds in a loaded TCG guest):
# wait_until SECONDS command...
wait_until() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# ---------------------------------------------------------------------
# PKI

# A test PKI (tools/pki/mkpki.sh) of a key type, made once per VM boot and
# shared by the tests of that boot (key generation is slow under TCG):
# ike_pki {rsa|ecdsa}  prints its folder.
ike_pki() {
	local d=${IKE_PKI_CACHE:-/run/ikevti-test-pki}/$1
	if [ ! -s "$d/r2-ca2.pem" ]; then
		rm -rf "$d"
		if [ "$1" = ecdsa ]; then
			"$MKPKI" "$d" --ecdsa >/dev/null || return 1
		else
			"$MKPKI" "$d" >/dev/null || return 1
		fi
	fi
	echo "$d"
}

# ---------------------------------------------------------------------
# Topology

# An xfrm interface: xfrmi_add NS NAME UNDERLAY_DEV IF_ID ADDR/PLEN
xfrmi_add() {
	ip -n "$1" link add "$2" type xfrm dev "$3" if_id "$4" &&
	ip -n "$1" addr add "$5" dev "$2" &&
	ip -n "$1" link set "$2" up
}

# A LAN behind a gateway, as a dummy device: lan_add NS ADDR/PLEN
lan_add() {
	ip -n "$1" link add lan0 type dummy &&
	ip -n "$1" addr add "$2" dev lan0 &&
	ip -n "$1" link set lan0 up
}

# ---------------------------------------------------------------------
# ikevtid

# Start ikevtid in a namespace and wait for its ready line:
# start_ikevtid NS CONF SOCK LOG [extra ikevtid arguments]
# The daemon runs in the foreground (-f CONF -S SOCK) with its log on
# stderr; it logs "ikevtid: ready" once its sockets are bound and the
# ikevti devices found (userspace/ikevtid/main.c).
start_ikevtid() {
	local ns=$1 conf=$2 sock=$3 log=$4 end=$((SECONDS + 60))
	shift 4
	: > "$log"
	ip netns exec "$ns" "$IKEVTID" -f "$conf" -S "$sock" "$@" >> "$log" 2>&1 &
	ikevtid_pids[$ns]=$!
	while [ "$SECONDS" -lt "$end" ]; do
		grep -q "ikevtid: ready" "$log" 2>/dev/null && [ -S "$sock" ] &&
			return 0
		kill -0 "${ikevtid_pids[$ns]}" 2>/dev/null || break
		sleep 0.1
	done
	echo "ikevtid in $ns did not become ready:"
	tail -n 20 "$log"
	return 1
}

# Stop it (SIGTERM: it deletes its SAs and tells the peer): stop_ikevtid NS
stop_ikevtid() {
	local pid=${ikevtid_pids[$1]:-}
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	wait_until 5 eval "! kill -0 $pid"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "ikevtid_pids[$1]"
}

# ikevtictl against a daemon: ctl NS SOCK ARGS...
ctl() {
	local ns=$1 sock=$2
	shift 2
	ip netns exec "$ns" "$IKEVTICTL" -S "$sock" "$@"
}

# Query the daemon's JSON status: ike_json NS SOCK {ike|ipsec} FIELD [STATE]
# prints FIELD of every SA ("show crypto ikev2 sa" or "show crypto ipsec
# sa", -j), or of those in STATE only, one line per SA, "-" when an SA
# lacks it.
ike_json() {
	local ns=$1 sock=$2 what=$3 field=$4 state=${5:-} cmd
	case $what in
	ike) cmd="show crypto ikev2 sa" ;;
	isakmp) cmd="show crypto isakmp sa" ;;
	ipsec) cmd="show crypto ipsec sa" ;;
	*) return 2 ;;
	esac
	ctl "$ns" "$sock" -j $cmd | python3 -S -c '
import json, sys
d = json.load(sys.stdin)
def sas(d):
    if isinstance(d, list):
        return d
    for k in ("sas", "ike_sas", "isakmp_sas", "child_sas", "ipsec_sas",
              "tunnels"):
        if isinstance(d.get(k), list):
            return d[k]
    return [d] if d else []
for sa in sas(d):
    if sys.argv[2] and sa.get("state") != sys.argv[2]:
        continue
    v = sa.get(sys.argv[1], "-")
    print(v if not isinstance(v, bool) else str(v).lower())
' "$field" "$state"
}

# How many SAs the daemon shows in a state: ike_count NS SOCK {ike|ipsec} STATE
ike_count() {
	ike_json "$1" "$2" "$3" state | grep -cx "$4"
}

# Wait for exactly one IKE SA READY and one child SA ACTIVE on ikevtid:
# wait_ikevtid_up NS SOCK [SECONDS]
# IKE_SHOW=isakmp for IKEv1 tests ("show crypto isakmp sa").
ikevtid_up() {
	[ "$(ike_count "$1" "$2" "${IKE_SHOW:-ike}" READY)" = 1 ] &&
	[ "$(ike_count "$1" "$2" ipsec ACTIVE)" = 1 ]
}
wait_ikevtid_up() {
	wait_until "${3:-20}" ikevtid_up "$1" "$2"
}

# The module's SPIs of a device: module_spis NS DEV {in|out}
module_spis() {
	ip netns exec "$1" "$IKEVTICTL" -j sa list dev "$2" | python3 -S -c '
import json, sys
d = json.load(sys.stdin)
if isinstance(d, dict):
    d = d.get("sas", [d])
for sa in d:
    if sa.get("dir") == sys.argv[1]:
        s = sa["spi"]
        print(s if isinstance(s, str) else "0x%08x" % s)
' "$3"
}

# Number of SAs the module holds on a device: module_sa_count NS DEV
module_sa_count() {
	module_spis "$1" "$2" in | wc -l
	module_spis "$1" "$2" out | wc -l
}

# ---------------------------------------------------------------------
# strongSwan

# Start charon-systemd in a namespace with its configuration in DIR
# (DIR/strongswan.conf is written here; DIR/swanctl/ holds swanctl.conf
# and the credentials), wait for its control socket, load the
# configuration: start_charon NS DIR
# The folders swanctl expects (it complains about each one missing):
# swan_dirs DIR
swan_dirs() {
	local sub
	for sub in conf.d x509 x509ca x509aa x509ocsp x509crl x509ac pubkey \
		   private rsa ecdsa bliss pkcs8 pkcs12; do
		mkdir -p "$1/swanctl/$sub" || return 1
	done
}

start_charon() {
	local ns=$1 dir=$2 end=$((SECONDS + 60)) up=no
	swan_dirs "$dir" || return 1
	cat > "$dir/strongswan.conf" <<-EOF
	# charon-systemd reads the "charon-systemd" section, not "charon".
	charon-systemd {
	    # kdf holds prf+ since 5.9.8: without it key derivation fails.
	    load = random nonce openssl kdf pem pkcs1 pkcs8 pkcs12 x509 revocation constraints pubkey kernel-netlink socket-default vici
	    install_routes = no
	    ${CHARON_EXTRA:-}
	    journal {
	        default = -1
	    }
	    filelog {
	        charon {
	            path = $dir/charon.log
	            time_format = %T
	            ike_name = yes
	            flush_line = yes
	            default = 1
	            ike = 2
	            cfg = 2
	        }
	    }
	    plugins {
	        vici {
	            socket = unix://$dir/charon.vici
	        }
	    }
	}
	swanctl {
	    # Without a short list each swanctl call initialises every plugin.
	    load = pem pkcs1 pkcs8 pkcs12 x509 openssl
	}
	EOF
	rm -f "$dir/charon.vici"
	ip netns exec "$ns" env STRONGSWAN_CONF="$dir/strongswan.conf" \
		"$CHARON" > "$dir/charon.out" 2>&1 &
	charon_pids[$ns]=$!
	while [ "$SECONDS" -lt "$end" ]; do
		if [ -S "$dir/charon.vici" ] &&
		   swan "$ns" "$dir" --stats >/dev/null 2>&1; then
			up=yes
			break
		fi
		kill -0 "${charon_pids[$ns]}" 2>/dev/null || break
		sleep 0.1
	done
	if [ $up = no ]; then
		echo "charon in $ns did not start"
		tail -n 20 "$dir/charon.out" "$dir/charon.log" 2>/dev/null
		return 1
	fi
	swan "$ns" "$dir" --load-all
}

# Kill charon at once (no Delete sent: a crash or power loss): kill_charon NS
kill_charon() {
	local pid=${charon_pids[$1]:-}
	[ -n "$pid" ] || return 0
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "charon_pids[$1]"
}

# Stop charon gracefully: stop_charon NS
stop_charon() {
	local pid=${charon_pids[$1]:-}
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	wait_until 5 eval "! kill -0 $pid"
	kill_charon "$1"
}

# swanctl against one charon: swan NS DIR --COMMAND [ARGS...]
# (swanctl wants the command first, then the socket.)
swan() {
	local ns=$1 dir=$2 cmd=$3
	shift 3
	ip netns exec "$ns" env STRONGSWAN_CONF="$dir/strongswan.conf" \
		SWANCTL_DIR="$dir/swanctl" \
		"$SWANCTL" "$cmd" --uri "unix://$dir/charon.vici" "$@"
}

# Initiate a child SA and wait for the result: swan_initiate NS DIR CHILD
swan_initiate() {
	swan "$1" "$2" --initiate --child "$3" --timeout 60
}

# charon's IKE SAs in a state: swan_ike_count NS DIR STATE
swan_ike_count() {
	swan "$1" "$2" --list-sas --raw 2>/dev/null |
		grep -o "state=$3" | wc -l
}

# Wait until charon has exactly one IKE SA ESTABLISHED with an INSTALLED
# child: wait_charon_up NS DIR [SECONDS]
charon_up() {
	local out
	out=$(swan "$1" "$2" --list-sas --raw 2>/dev/null) || return 1
	[ "$(grep -o 'state=ESTABLISHED' <<< "$out" | wc -l)" = 1 ] &&
	[ "$(grep -o 'state=INSTALLED' <<< "$out" | wc -l)" = 1 ]
}
wait_charon_up() {
	wait_until "${3:-20}" charon_up "$1" "$2"
}

# charon's installed child SPIs: charon_spis NS DIR {in|out}, as 0x%08x
charon_spis() {
	swan "$1" "$2" --list-sas 2>/dev/null |
		sed -n "s/^ *$3  *\([0-9a-f]\{8\}\)[ ,].*/0x\1/p"
}

# charon's IKE SA SPIs "ispi rspi": charon_ike_spis NS DIR
charon_ike_spis() {
	swan "$1" "$2" --list-sas 2>/dev/null |
		sed -n 's/.*IKEv2, \([0-9a-f]*\)_i\*\{0,1\} \([0-9a-f]*\)_r.*/\1 \2/p'
}

# Both ends up within 60 s, else both views and the ends of both logs as
# diagnostics: check_both_up LABEL NS1 SOCK LOG NS2 SWDIR
check_both_up() {
	local lbl=$1 ns1=$2 sock=$3 log=$4 ns2=$5 dir=$6
	if wait_until 60 eval 'ikevtid_up "$ns1" "$sock" &&
				charon_up "$ns2" "$dir"'; then
		ktap_ok "$lbl"
		return 0
	fi
	ktap_not_ok "$lbl"
	ctl "$ns1" "$sock" show crypto "$([ "${IKE_SHOW:-ike}" = isakmp ] && echo isakmp || echo ikev2)" sa 2>&1 | sed 's/^/# /'
	swan "$ns2" "$dir" --list-sas 2>&1 | sed 's/^/# /'
	diag_file "$log" 30
	diag_file "$dir/charon.log" 30
	return 1
}

# Drop a gateway's own IKE_SA_INIT requests (exchange 34 without the
# Response flag, 26 and 27 bytes into the UDP payload) on their way out
# of DEV, so that the peer's request is the one that makes the SA:
# block_own_init NS DEV {4|6} / unblock_own_init NS DEV
block_own_init() {
	local l3=20 proto=ip udp="match ip protocol 17 0xff"
	if [ "$3" = 6 ]; then
		l3=40 proto=ipv6 udp="match u8 17 0xff at 6"
	fi
	tc -n "$1" qdisc add dev "$2" clsact 2>/dev/null
	# shellcheck disable=SC2086
	tc -n "$1" filter add dev "$2" egress protocol $proto prio 1 u32 \
		$udp match u16 500 0xffff at $((l3 + 2)) \
		match u8 34 0xff at $((l3 + 26)) \
		match u8 0 0x20 at $((l3 + 27)) action drop
}
# The same for IKEv1 over IPv4: the first Main or Aggressive Mode
# message (responder cookie zero, exchange 2 or 4) NS sends on DEV.
block_own_v1_init() {
	local ex
	tc -n "$1" qdisc add dev "$2" clsact 2>/dev/null
	for ex in 2 4; do
		tc -n "$1" filter add dev "$2" egress protocol ip prio 1 u32 \
			match ip protocol 17 0xff match u16 500 0xffff at 22 \
			match u32 0 0xffffffff at 36 match u32 0 0xffffffff at 40 \
			match u8 $ex 0xff at 46 action drop
	done
}
unblock_own_init() {
	tc -n "$1" qdisc del dev "$2" clsact 2>/dev/null
	return 0
}

# ---------------------------------------------------------------------
# Traffic and captures

# The ESP SPIs seen in a capture, one per line, sorted: capture_spis FILE
capture_spis() {
	tcpdump -nr "$1" 2>/dev/null | grep -o 'ESP(spi=0x[0-9a-f]*' |
		sed 's/ESP(spi=//' | sort -u
}

# Ping many packets and report "transmitted received":
# ping_count NS SRC DST COUNT [INTERVAL]
ping_count() {
	ip netns exec "$1" ping -q -n -c "$4" -i "${5:-0.05}" -W 2 -I "$2" "$3" 2>&1 |
		sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p'
}

# Succeeds when a file has a line matching an extended regex: log_has FILE RE
log_has() {
	grep -qE -- "$2" "$1"
}

# ---------------------------------------------------------------------
# NAT

# The UDP encapsulation of a module SA, "SPORT DPORT": sa_encap [NS] DIR SPI
sa_encap() {
	local ns=r1
	[ $# = 3 ] && { ns=$1; shift; }
	ip netns exec "$ns" "$IKEVTICTL" -j sa show dev ikevti1 dir "$1" spi "$2" |
		python3 -S -c 'import json,sys
d = json.load(sys.stdin)
d = d["sas"][0] if isinstance(d, dict) and "sas" in d else d
d = d[0] if isinstance(d, list) else d
e = d.get("encap", {})
print(e.get("sport", "-"), e.get("dport", "-"))'
}

# The public port the NAT (netns "nat") gave the private host's UDP 4500
# (the destination port of the reply direction): nat_port_4500 [PRIVATE]
nat_port_4500() {
	ip netns exec nat conntrack -L -p udp --orig-src "${1:-$R2}" \
		--orig-port-src 4500 2>/dev/null |
		grep -o 'dport=[0-9]*' | sed -n '2s/dport=//p'
}
