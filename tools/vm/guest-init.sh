#!/bin/bash
# PID 1 inside the test VM after switch_root. Sets up a private /run and
# the usual pseudo filesystems, loads ikevti.ko, runs the job
# and writes its exit status where the host runner can read it.
. /vmout/job.env
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs -o mode=755 run /run
# /tmp stays the overlay's (writes land in guest RAM): a checkout under
# the host's /tmp, as CI may have, must stay visible.
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs shm /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount --make-rshared /
hostname ikevti-vm
ip link set lo up
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root IKEVTI_VM=1 TERM=dumb
cd "$VM_TOP" || exit 1

# Crypto templates load on demand through request_module; under TCG the
# first load costs seconds, so load what tests use before they start.
for m in $VM_PRELOAD; do modprobe -q "$m" || echo "vm: modprobe $m failed"; done

status=0
if [ -n "$VM_MODULE" ]; then
	insmod "$VM_MODULE" $VM_MODULE_ARGS ||
		{ echo "vm: insmod $VM_MODULE failed"; status=125; }
fi
if [ $status -eq 0 ]; then
	timeout -k 5 "$VM_TIMEOUT" bash -c "$VM_COMMAND" \
		> /vmout/output 2>&1 < /dev/null
	status=$?
fi
dmesg > /vmout/dmesg
echo "$status" > /vmout/status
sync
# PID 1 must outlive the power-off: if it exits first, the kernel panics
# ("Attempted to kill init"). Once the power-off begins, the 9p root may
# no longer load a binary (CI saw /usr/bin/sleep fail with EIO there), so
# the wait uses only bash builtins: read on a FIFO nobody writes to.
mkfifo /run/init-hold && exec 3<> /run/init-hold
echo o > /proc/sysrq-trigger
while :; do
	read -r -t 60 -u 3 _
done
