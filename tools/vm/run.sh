#!/bin/bash
# Run a command inside a throwaway VM booting Debian's 6.1 kernel.
#
#   tools/vm/run.sh [options] COMMAND...
#     --timeout S     limit for the command inside the VM (default 600)
#     --smp N         vCPUs (default 2)
#     --mem M         guest memory in MiB (default 2048)
#     --kvm           use KVM instead of TCG (when /dev/kvm exists)
#     --no-module     do not insmod kmod/ikevti.ko before the command
#     --module-args A parameters for insmod (e.g. dyndbg=+p)
#     --preload "M.." modules to load first (default: the crypto and xfrm
#                     modules the tests use)
#     --out DIR       keep output, dmesg and console log in DIR
#     --fast          no slab debugging (benchmarks)
#
# The host root is the read-only lower layer of an overlay in the guest,
# so every host path (this checkout included) is visible at the same
# place and writes stay in guest RAM. COMMAND runs as root with bash -c in
# the checkout. Its output is streamed; the exit status is COMMAND's, or
# 124 on timeout, or 99 when the kernel log shows a WARN, BUG, oops or
# corruption report (the VM boots with panic_on_warn=1).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
timeout_s=600 smp=2 mem=2048 accel=tcg module="$top/kmod/ikevti.ko"
module_args="" out="" debug_opts="slub_debug=FZPU page_poison=1 init_on_free=1"
preload="gcm ghash_generic ctr seqiv echainiv authenc authencesn cbc
	 hmac sha1_generic sha256_generic sha512_generic aesni_intel
	 jitterentropy_rng drbg esp4 esp6 xfrm_user xfrm_interface veth dummy
	 udp_tunnel ip6_udp_tunnel"

while [ $# -gt 0 ]; do
	case "$1" in
	--timeout) timeout_s=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--kvm) accel=kvm; shift ;;
	--no-module) module=""; shift ;;
	--module-args) module_args=$2; shift 2 ;;
	--preload) preload=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--fast) debug_opts=""; shift ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { sed -n '2,22p' "$0" >&2; exit 2; }

cache="${IKEVTI_CACHE:-$top/.cache}"
[ -s "$cache/kver" ] || "$top/tools/install-deps.sh" || exit 1
kver=$(cat "$cache/kver")
kroot="$cache/kernel/$kver/root"
[ -e "$kroot/boot/vmlinuz-$kver" ] || { echo "run.sh: no kernel image in $kroot" >&2; exit 1; }
if [ -n "$module" ] && [ ! -e "$module" ]; then
	echo "run.sh: $module not built (run make)" >&2; exit 1
fi

initrd="$cache/vm/initramfs-$kver.cpio.gz"
build_initramfs() {
	local d
	d=$(mktemp -d)
	mkdir -p "$d"/{bin,proc,sys,dev,modules}
	cp /bin/busybox "$d/bin/busybox"
	cp "$top/tools/vm/initramfs-init" "$d/init"
	local m path
	for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev \
		 virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay; do
		path=$(find "$kroot/lib/modules/$kver/kernel" -name "$m.ko*" | head -n1)
		case "$path" in
		*.xz) xz -dc "$path" > "$d/modules/$m.ko" ;;
		*) cp "$path" "$d/modules/$m.ko" ;;
		esac
	done
	mkdir -p "$(dirname "$initrd")"
	(cd "$d" && find . | cpio -o -H newc --quiet | gzip -1) > "$initrd.tmp" &&
		mv "$initrd.tmp" "$initrd"
	rm -rf "$d"
}
if [ ! -e "$initrd" ] || [ "$top/tools/vm/initramfs-init" -nt "$initrd" ] ||
   [ "$0" -nt "$initrd" ]; then
	build_initramfs || { echo "run.sh: cannot build initramfs" >&2; exit 1; }
fi

vmout=$(mktemp -d /tmp/ikevti-vm.XXXXXX)
cleanup() {
	[ -n "${tailpid:-}" ] && kill "$tailpid" 2>/dev/null
	if [ -n "$out" ]; then
		mkdir -p "$out" && cp -f "$vmout"/{output,dmesg,console} "$out"/ 2>/dev/null
	fi
	rm -rf "$vmout"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

{
	printf 'VM_TOP=%q\n' "$top"
	printf 'VM_MODULES=%q\n' "$kroot/lib/modules/$kver"
	printf 'VM_MODULE=%q\n' "$module"
	printf 'VM_MODULE_ARGS=%q\n' "$module_args"
	printf 'VM_PRELOAD=%q\n' "$(echo $preload)"
	printf 'VM_TIMEOUT=%q\n' "$timeout_s"
	printf 'VM_COMMAND=%q\n' "$*"
} > "$vmout/job.env"
: > "$vmout/output"

cpu="max"
[ "$accel" = kvm ] && cpu="host"
cmdline="console=ttyS0 loglevel=5 panic_on_warn=1 panic=-1 oops=panic
	 net.ifnames=0 mitigations=off tsc=reliable $debug_opts"

tail -n +1 -f "$vmout/output" 2>/dev/null &
tailpid=$!

# The host-side limit covers boot, the command and shutdown.
timeout -k 10 $((timeout_s + 120)) qemu-system-x86_64 \
	-accel "$accel" -cpu "$cpu" -smp "$smp" -m "$mem" \
	-nodefaults -nographic -no-reboot -display none \
	-kernel "$kroot/boot/vmlinuz-$kver" -initrd "$initrd" \
	-append "$(echo $cmdline)" \
	-serial "file:$vmout/console" \
	-device virtio-rng-pci \
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
	-virtfs "local,path=$vmout,mount_tag=vmout,security_model=none,multidevs=remap" \
	>/dev/null 2>"$vmout/qemu.err"
qemu_rc=$?
sleep 0.3
kill "$tailpid" 2>/dev/null; wait "$tailpid" 2>/dev/null; tailpid=""

# Kernel trouble fails the run whatever the command said. The unsigned
# module taint line is expected and is not trouble.
bad='WARNING:|BUG:|Oops|general protection|Kernel panic|refcount_t:|list_add corruption|list_del corruption|UBSAN:|kernel BUG|Call Trace:'
if grep -aE "$bad" "$vmout/console" "$vmout/dmesg" 2>/dev/null | grep -q .; then
	echo "run.sh: kernel log shows trouble:" >&2
	grep -ahE -B2 -A25 "$bad" "$vmout/console" "$vmout/dmesg" 2>/dev/null | head -n 80 >&2
	exit 99
fi
if [ ! -s "$vmout/status" ]; then
	echo "run.sh: VM ended without a result (qemu rc $qemu_rc)" >&2
	cat "$vmout/qemu.err" >&2
	tail -n 30 "$vmout/console" >&2
	exit 98
fi
exit "$(cat "$vmout/status")"
