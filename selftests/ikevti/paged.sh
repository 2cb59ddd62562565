#!/bin/bash
# Paged packets through the tunnel: with GSO off on a's ikevti1, TCP
# hands the device MSS-sized packets whose data sits in socket pages
# (and, sent with sendfile(), in page-cache pages) and whose clones stay
# in TCP's retransmit queue. The bytes must arrive intact, the file sent
# must be unchanged in the page cache (nothing may encrypt into pages it
# does not own), and the counters must agree, over AES-GCM and
# AES-CBC/HMAC-SHA256.
. "$(dirname "$0")/lib.sh"

ktap_header 10
ikevti_pair
ip netns exec a ethtool -K ikevti1 gso off tso off >/dev/null 2>&1
check_output_has "a's ikevti1: GSO off, scatter-gather on" \
	'generic-segmentation-offload: off' ip netns exec a ethtool -k ikevti1

file=$(mktemp)
head -c 3000000 /dev/urandom > "$file"
sum=$(sha256sum < "$file" | cut -d' ' -f1)
# What b must receive: the file (sendfile), then its first 200000 bytes.
sent=$( { cat "$file"; head -c 200000 "$file"; } | sha256sum | cut -d' ' -f1)

# transfer PORT: send $file from a with sendfile(); print what b hashed.
transfer() {
	ip netns exec b python3 -c '
import hashlib, socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("172.16.2.1", int(sys.argv[1]))); s.listen(1); s.settimeout(120)
c, _ = s.accept(); h = hashlib.sha256(); n = 0
while True:
    b = c.recv(65536)
    if not b: break
    h.update(b); n += len(b)
print(n, h.hexdigest())' "$1" &
	local srv=$!
	wait_for 20 sh -c "ip netns exec b ss -Hltn | grep -q 172.16.2.1:$1"
	ip netns exec a python3 -c '
import socket, sys
s = socket.create_connection(("172.16.2.1", int(sys.argv[1])), timeout=120,
                             source_address=("172.16.1.1", 0))
with open(sys.argv[2], "rb") as f:
    s.sendfile(f)
    f.seek(0); s.sendall(f.read(200000))
s.close()' "$1" "$file"
	wait $srv
}

for alg in "aes-gcm-128 key 0x$(hex 20)" "aes-cbc-128 key 0x$(hex 16) integ hmac-sha256-128 auth-key 0x$(hex 32)"; do
	name=${alg%% *}
	ip netns exec a "$IKEVTICTL" sa flush dev ikevti1
	ip netns exec b "$IKEVTICTL" sa flush dev ikevti1
	spi_ab=$(rand_spi) spi_ba=$(rand_spi)
	check "$name: SAs both ways" sh -c "
		ip netns exec a $IKEVTICTL sa add dev ikevti1 dir out spi $spi_ab enc $alg &&
		ip netns exec b $IKEVTICTL sa add dev ikevti1 dir in spi $spi_ab enc $alg &&
		ip netns exec b $IKEVTICTL sa add dev ikevti1 dir out spi $spi_ba enc $alg &&
		ip netns exec a $IKEVTICTL sa add dev ikevti1 dir in spi $spi_ba enc $alg"
	got=$(transfer 5400)
	check_eq "$name: 3.2 MB sent with sendfile() and write() arrive intact" \
		"3200000 $sent" "$got"
	check_eq "$name: the file sent is unchanged in the page cache" \
		"$sum" "$(sha256sum < "$file" | cut -d' ' -f1)"
	check_eq "$name: b decapsulated every packet a sent" \
		"$(sa_counter a ikevti1 out $spi_ab packets)" \
		"$(sa_counter b ikevti1 in $spi_ab packets)"
done
check_eq "no authentication failures or bad lengths on b" "0 0" \
	"$(dev_counter b ikevti1 auth_fail) $(dev_counter b ikevti1 bad_length)"
rm -f "$file"
ktap_finish
