#!/bin/bash
# The inside of tools/bench/ike.sh (runs in the test VM as root).
#
#  ns i: the initiator, ikevtid            ns r: the responder
#  veth0 10.0.0.1/8 + 10.1.a.b/32 x N ==== veth1 10.0.0.2/8
#  ikevti1..N (local 10.1.a.b,             ikevtid: ikevti1..N (local 10.0.0.2,
#              remote 10.0.0.2)                      remote 10.1.a.b)
#                                          charon: one connection for
#                                          10.1.0.0/16, SAs with if_id %unique
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export IP_LIB_DIR="$top/build"
IKEVTID="$top/build/ikevtid"
CHARON=${CHARON:-/usr/sbin/charon-systemd}
SWANCTL=${SWANCTL:-/usr/sbin/swanctl}
MKPKI="$top/tools/pki/mkpki.sh"
ns_list=${BENCH_NS:-100 1000}
cases=${BENCH_CASES:-v2psk v2rsa v1psk}
rekey=${BENCH_REKEY:-1}
R=10.0.0.2
PSK="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
work=$(mktemp -d /tmp/ikebench.XXXXXX)
resp_pid="" init_pid=""
tck=$(getconf CLK_TCK)

cleanup() {
	[ -n "$init_pid" ] && kill "$init_pid" 2>/dev/null
	[ -n "$resp_pid" ] && kill "$resp_pid" 2>/dev/null
	wait 2>/dev/null
	ip netns del i 2>/dev/null
	ip netns del r 2>/dev/null
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
iaddr() { echo "10.1.$(($1 / 200)).$(($1 % 200 + 1))"; }
cpu_ms() { awk -v t="$tck" '{ print int(($14 + $15) * 1000 / t) }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
count() { grep -c -- "$2" "$1" 2>/dev/null || true; }

# wait_count FILE PATTERN N SECONDS: until FILE has N lines matching
wait_count() {
	local end=$((SECONDS + $4))
	while [ "$(count "$1" "$2")" -lt "$3" ]; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

net_setup() {	# N
	local n=$1 k
	ip netns add i; ip netns add r
	ip -n i link set lo up; ip -n r link set lo up
	ip link add veth0 netns i type veth peer name veth1 netns r
	ip -n i addr add 10.0.0.1/8 dev veth0
	ip -n r addr add $R/8 dev veth1
	ip -n i link set veth0 up; ip -n r link set veth1 up
	for ((k = 1; k <= n; k++)); do
		echo "addr add $(iaddr $k)/32 dev veth0"
		echo "link add ikevti$k type ikevti local $(iaddr $k) remote $R"
		echo "link set ikevti$k up"
	done | ip -n i -batch -
}

# The responder's devices for ikevtid (charon uses none): resp_devs N add|del
resp_devs() {
	local k
	for ((k = 1; k <= $1; k++)); do
		if [ "$2" = add ]; then
			echo "link add ikevti$k type ikevti local $R remote $(iaddr $k)"
			echo "link set ikevti$k up"
		else
			echo "link del ikevti$k"
		fi
	done | ip -n r -batch -
}

pki_dir() {
	local d=$work/pki
	[ -s "$d/ca1.pem" ] || "$MKPKI" "$d" >/dev/null || return 1
	echo "$d"
}

# ---- ikevtid configurations: ikevtid_conf CASE ROLE N ----
ikevtid_conf() {
	local c=$1 role=$2 n=$3 k pki peer me
	if [ "$role" = i ]; then peer="$R 255.255.255.255" me=r1
	else peer="0.0.0.0 0.0.0.0" me=r2; fi
	echo "! ike bench, $c, $role"
	case $c in
	v2psk|v2rsa)
		if [ "$c" = v2rsa ]; then
			pki=$(pki_dir)
			cat <<-EOT
			crypto pki trustpoint CA1
			 ca-certificate-file $pki/ca1.pem
			 certificate-file $pki/$me-ca1.pem
			 private-key-file $pki/$me.key
			 revocation-check none
			!
			EOT
		fi
		cat <<-EOT
		crypto ikev2 proposal PROP
		 encryption aes-cbc-256
		 integrity sha256
		 group 14
		!
		crypto ikev2 policy POL
		 match fvrf any
		 proposal PROP
		!
		crypto ikev2 keyring KR
		 peer ANY
		  address ${peer% *} ${peer#* }
		  pre-shared-key $PSK
		!
		crypto ikev2 profile PROF
		EOT
		if [ "$c" = v2psk ]; then
			[ "$role" = i ] && echo " match identity remote address $peer" ||
				echo " match identity remote address 0.0.0.0"
			echo " authentication remote pre-share"
			echo " authentication local pre-share"
			echo " keyring local KR"
		else
			echo " match identity remote any"
			echo " identity local dn"
			echo " authentication remote rsa-sig"
			echo " authentication local rsa-sig"
			echo " pki trustpoint CA1"
		fi
		# The initiator's IKE lifetime drives the rekey measurement.
		[ "$role" = i ] && echo " lifetime 120"
		cat <<-EOT
		!
		crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
		 mode tunnel
		!
		crypto ipsec profile VTI
		 set transform-set TS
		 set ikev2-profile PROF
		!
		EOT
		;;
	v1psk)
		cat <<-EOT
		crypto isakmp policy 10
		 encr aes 256
		 hash sha256
		 authentication pre-share
		 group 14
		!
		crypto isakmp key $PSK address $peer
		crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
		 mode tunnel
		!
		crypto ipsec profile VTI
		 set transform-set TS
		!
		EOT
		;;
	esac
	for ((k = 1; k <= n; k++)); do
		if [ "$role" = i ]; then
			echo "interface Tunnel$k"
			echo " tunnel source $(iaddr $k)"
			echo " tunnel destination $R"
		else
			echo "interface Tunnel$k"
			echo " tunnel source $R"
			echo " tunnel destination $(iaddr $k)"
		fi
		echo " tunnel protection ipsec profile VTI"
	done
}

start_ikevtid() {	# NS CONF SOCK LOG -> pid in $started
	local end=$((SECONDS + 120))
	: > "$4"
	ip netns exec "$1" "$IKEVTID" -f "$2" -S "$3" >> "$4" 2>&1 &
	started=$!
	while [ "$SECONDS" -lt "$end" ]; do
		grep -q "ikevtid: ready" "$4" && return 0
		kill -0 "$started" 2>/dev/null || break
		sleep 0.1
	done
	echo "# ikevtid in $1 did not become ready"; tail -n 5 "$4" | sed 's/^/# /'
	return 1
}

stop_pid() {
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# ---- charon ----
charon_conf() {	# CASE DIR
	local c=$1 d=$2 sub pki la ra ver=2
	for sub in conf.d x509 x509ca x509aa x509ocsp x509crl x509ac pubkey \
		   private rsa ecdsa bliss pkcs8 pkcs12; do
		mkdir -p "$d/swanctl/$sub"
	done
	la="auth = psk
            id = $R" ra="auth = psk"
	if [ "$c" = v2rsa ]; then
		pki=$(pki_dir)
		cp "$pki/ca1.pem" "$d/swanctl/x509ca/"
		cp "$pki/r2-ca1.pem" "$d/swanctl/x509/r2.pem"
		cp "$pki/r2.key" "$d/swanctl/private/r2.key"
		la="auth = pubkey
            certs = r2.pem" ra="auth = pubkey
            cacerts = ca1.pem"
	fi
	[ "$c" = v1psk ] && ver=1
	cat > "$d/strongswan.conf" <<-EOT
	charon-systemd {
	    load = random nonce openssl kdf pem pkcs1 pkcs8 pkcs12 x509 revocation constraints pubkey kernel-netlink socket-default vici
	    install_routes = no
	    journal { default = -1 }
	    filelog { charon { path = $d/charon.log
	        default = 0 } }
	    plugins { vici { socket = unix://$d/charon.vici } }
	}
	swanctl { load = pem pkcs1 pkcs8 pkcs12 x509 openssl }
	EOT
	cat > "$d/swanctl/swanctl.conf" <<-EOT
	connections {
	    bench {
	        version = $ver
	        local_addrs = $R
	        remote_addrs = 10.1.0.0/16
	        proposals = aes256-sha256-modp2048
	        local {
	            $la
	        }
	        remote {
	            $ra
	        }
	        children {
	            vti {
	                local_ts = 0.0.0.0/0
	                remote_ts = 0.0.0.0/0
	                esp_proposals = aes256-sha256
	                if_id_in = %unique
	                if_id_out = %unique
	                mode = tunnel
	            }
	        }
	    }
	}
	secrets {
	    ike-any {
	        secret = "$PSK"
	    }
	}
	EOT
}

swan() {	# DIR ARGS...
	local d=$1
	shift
	ip netns exec r env STRONGSWAN_CONF="$d/strongswan.conf" \
		SWANCTL_DIR="$d/swanctl" "$SWANCTL" "$1" --uri "unix://$d/charon.vici" "${@:2}"
}

start_charon() {	# CASE DIR -> pid in $started
	local d=$2 end=$((SECONDS + 60))
	charon_conf "$1" "$d"
	ip netns exec r env STRONGSWAN_CONF="$d/strongswan.conf" "$CHARON" \
		> "$d/charon.out" 2>&1 &
	started=$!
	while [ "$SECONDS" -lt "$end" ]; do
		[ -S "$d/charon.vici" ] && swan "$d" --stats >/dev/null 2>&1 &&
			{ swan "$d" --load-all >/dev/null; return $?; }
		kill -0 "$started" 2>/dev/null || break
		sleep 0.1
	done
	echo "# charon did not start"; tail -n 5 "$d/charon.out" | sed 's/^/# /'
	return 1
}

# ---- one measurement: run_one N CASE RESPONDER ----
declare -A hs rss
run_one() {
	local n=$1 c=$2 who=$3 d=$work/$1-$2-$3 t0 t1 t2 c0 c1 r0 r1 ok=yes
	local up_s rate cpu per rk="-"
	mkdir -p "$d"
	if [ "$who" = ikevtid ]; then
		resp_devs "$n" add
		ikevtid_conf "$c" r "$n" > "$d/r.conf"
		start_ikevtid r "$d/r.conf" "$d/r.sock" "$d/r.log" || return 1
	else
		start_charon "$c" "$d" || return 1
	fi
	resp_pid=$started
	sleep 1
	c0=$(cpu_ms "$resp_pid") r0=$(rss_kb "$resp_pid")
	ikevtid_conf "$c" i "$n" > "$d/i.conf"
	t0=$(now_ms)
	start_ikevtid i "$d/i.conf" "$d/i.sock" "$d/i.log" || ok=no
	init_pid=$started
	if ! wait_count "$d/i.log" "child SA installed" "$n" $((60 + n)); then
		ok=no
		echo "# $c $who N=$n: only $(count "$d/i.log" "child SA installed") of $n tunnels came up"
	fi
	t1=$(now_ms)
	c1=$(cpu_ms "$resp_pid") r1=$(rss_kb "$resp_pid")
	if [ "$rekey" = 1 ] && [ "$c" = v2psk ] && [ $ok = yes ]; then
		if wait_count "$d/i.log" "IKE SA rekeyed" "$n" 240; then
			t2=$(now_ms)
			rk=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
		else
			rk="incomplete($(count "$d/i.log" "IKE SA rekeyed")/$n)"
		fi
	fi
	stop_pid "$init_pid"; init_pid=""
	stop_pid "$resp_pid"; resp_pid=""
	[ "$who" = ikevtid ] && resp_devs "$n" del
	up_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1000 }')
	rate=$(awk -v s="$up_s" -v n="$n" 'BEGIN { printf "%.1f", (s > 0 ? n / s : 0) }')
	cpu=$((c1 - c0))
	per=$(awk -v a="$r0" -v b="$r1" -v n="$n" 'BEGIN { printf "%.1f", (b - a) / n }')
	printf '%-6s %-5s %-8s %8s %9s %9s %11s %8s %8s %s\n' "$n" "$c" "$who" \
		"$up_s" "$rate" "$cpu" \
		"$(awk -v c="$cpu" -v n="$n" 'BEGIN { printf "%.1f", c / n }')" \
		"$((r1 - r0))" "$per" "$rk"
	[ $ok = yes ] || return 1
	hs[$n-$c-$who]=$rate rss[$n-$c-$who]=$per
}

echo "# ike bench: $(nproc) vCPUs, accel ${BENCH_ACCEL:-tcg}, kernel $(uname -r)"
echo "# strongSwan charon-systemd $(dpkg-query -W -f '${Version}' charon-systemd 2>/dev/null); initiator: ikevtid in both runs"
echo "# IKE aes-cbc-256/sha256/modp2048, ESP aes-cbc-256/hmac-sha256; up = all N child SAs installed at the initiator"
printf '%-6s %-5s %-8s %8s %9s %9s %11s %8s %8s %s\n' N case resp \
	"up_s" "hs_per_s" "cpu_ms" "cpu_ms/sa" "rss_kB" "kB/sa" "rekey_all_s"
last=""
for n in $ns_list; do
	net_setup "$n"
	for c in $cases; do
		run_one "$n" "$c" ikevtid
		run_one "$n" "$c" charon
	done
	ip netns del i; ip netns del r
	last=$n
done
awk_ratio() {
	local sh=0 sr=0 k=0 c a b
	for c in $cases; do
		a=${hs[$last-$c-ikevtid]:-} b=${hs[$last-$c-charon]:-}
		[ -n "$a" ] && [ -n "$b" ] || continue
		sh=$(awk -v s="$sh" -v a="$a" -v b="$b" 'BEGIN { print s + (b > 0 ? a / b : 0) }')
		a=${rss[$last-$c-ikevtid]} b=${rss[$last-$c-charon]}
		sr=$(awk -v s="$sr" -v a="$a" -v b="$b" 'BEGIN { print s + (b > 0 ? a / b : 0) }')
		k=$((k + 1))
	done
	[ $k -gt 0 ] || { echo "ratio ikevtid/charon handshakes=n/a rss_per_sa=n/a"; return; }
	awk -v h="$sh" -v r="$sr" -v k="$k" -v n="$last" \
		'BEGIN { printf "# ratios: mean over %d cases at N=%d\nratio ikevtid/charon handshakes=%.2f rss_per_sa=%.2f\n", k, n, h / k, r / k }'
}
awk_ratio
