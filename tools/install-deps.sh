#!/bin/bash
# Install the Debian packages ikevti needs to build and test, and extract
# the 6.1 kernel image the test VM boots into a project-local cache.
# Idempotent: does nothing when everything is present. Run as root.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache="${IKEVTI_CACHE:-$top/.cache}"

packages=(
	build-essential pkg-config sparse
	linux-headers-amd64
	qemu-system-x86 busybox-static cpio kmod iproute2 tcpdump
	iperf3 socat procps python3 xz-utils iputils-ping
	libnl-3-dev libnl-genl-3-dev libnl-route-3-dev
	libssl-dev libcmocka-dev
	clang llvm libclang-rt-dev
	linux-source
	charon-systemd strongswan-swanctl strongswan-pki
	libstrongswan-standard-plugins
	wireguard-tools
	nftables conntrack ethtool
	dpkg-dev debhelper dh-dkms dkms lintian fakeroot
	tshark
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# --no-install-recommends: wireguard-tools would otherwise pull in a
	# whole second kernel image (see shared/spec/test-environment.md).
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The headers package decides which kernel image the VM boots.
kver=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1)
kver=${kver#/usr/src/linux-headers-}
[ -n "$kver" ] || { echo "install-deps: no linux-headers found" >&2; exit 1; }

img="$cache/kernel/$kver"
# Re-extract when the tree is incomplete (a module the tests need is gone).
if [ ! -e "$img/.done" ] ||
   [ ! -e "$img/root/lib/modules/$kver/kernel/crypto/gcm.ko" ]; then
	echo "install-deps: extracting linux-image-$kver into $img"
	rm -rf "$img" && mkdir -p "$img/deb"
	(cd "$img/deb" &&
	 (apt-get download -qq "linux-image-$kver-unsigned" 2>/dev/null ||
	  apt-get download -qq "linux-image-$kver"))
	dpkg-deb -x "$img"/deb/*.deb "$img/root"
	rm -rf "$img/deb"
	# The package ships no modules.dep; its postinst would run depmod.
	depmod -b "$img/root" "$kver"
	touch "$img/.done"
fi

# checkpatch.pl comes from linux-source at test time and is never committed.
lsrc=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n1)
if [ -n "$lsrc" ] && [ ! -x "$cache/checkpatch/scripts/checkpatch.pl" ]; then
	mkdir -p "$cache/checkpatch"
	base=$(basename "$lsrc" .tar.xz)
	tar -xJf "$lsrc" -C "$cache/checkpatch" --strip-components=1 \
		"$base/scripts/checkpatch.pl" "$base/scripts/spelling.txt" \
		"$base/scripts/const_structs.checkpatch"
fi
echo "$kver" > "$cache/kver"
