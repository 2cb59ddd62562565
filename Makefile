# SPDX-License-Identifier: GPL-2.0
#
# ikevti: "make" builds the module and the userspace programs,
# "make check" installs what is missing, builds and runs every test,
# "make demo" boots the test VM and brings up two gateways.
#
# KDIR defaults to the newest kernel build tree present; on the project's
# machines that is Debian's 6.1 headers (the running kernel has none).

KDIR ?= $(lastword $(sort $(wildcard /lib/modules/*/build)))
TOP := $(CURDIR)
BUILD := $(TOP)/build

.PHONY: all module module-debug userspace ike ikevtid selftest-tools deps check \
	demo bench style install clean fuzz

all: module module-debug userspace ike ikevtid selftest-tools

deps:
	@$(TOP)/tools/install-deps.sh

module:
	@test -n "$(KDIR)" || { echo "no kernel build tree: run make deps"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) modules

# The same sources built with -DDEBUG: the module then runs its
# self-tests (replay window, ESN inference) at load. Built out of tree in
# build/debug so it never mixes with the production objects.
module-debug:
	@mkdir -p $(BUILD)/debug/kmod/selftest
	@ln -sfn $(TOP)/include $(BUILD)/debug/include
	@cp -u kmod/Kbuild kmod/*.[ch] $(BUILD)/debug/kmod/
	@cp -u kmod/selftest/*.c $(BUILD)/debug/kmod/selftest/
	$(MAKE) -C $(KDIR) M=$(BUILD)/debug/kmod IKEVTI_DEBUG=1 modules

userspace:
	$(MAKE) -C userspace

ike:
	$(MAKE) -C userspace/ike

# The daemon links userspace/ike's libike.a: built after both.
ikevtid: userspace ike
	$(MAKE) -C userspace ikevtid

# Userspace only (ikevtid, ikevtictl, the ip plugin, systemd unit, udev
# rule); DESTDIR and PREFIX as usual.
install: userspace ikevtid
	$(MAKE) -C userspace install

selftest-tools:
	$(MAKE) -f selftests/ikevti/tools.mk

# Kernel build with W=1 and sparse, and checkpatch: see tools/style.sh.
style:
	@$(TOP)/tools/style.sh

# libFuzzer targets under ASan + UBSan (fuzz/README.md), each run for
# FUZZ_TIME seconds, one after the other.
FUZZ_TIME ?= 60
fuzz: deps
	$(MAKE) -C fuzz run FUZZ_TIME=$(FUZZ_TIME)

check: deps
	@$(TOP)/tools/check.sh

demo: deps all
	@$(TOP)/tools/demo/demo.sh

bench: deps all
	@$(TOP)/tools/bench/throughput.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP)/kmod clean  # M=$(TOP) would also wipe .cache/
	-$(MAKE) -C userspace clean
	-$(MAKE) -C userspace/ike clean
	-$(MAKE) -C fuzz clean
	rm -rf $(BUILD)
