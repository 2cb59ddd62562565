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
VERSION := $(shell sed -n 's/^\#define IKEVTI_VERSION "\(.*\)"/\1/p' \
	$(TOP)/include/ikevti_version.h)

# -Werror is for development. WERROR=0 (release and package builds) drops
# it in every userspace part: userspace/ike's Makefile puts CFLAGS last.
WERROR ?= 1
export WERROR
ifneq ($(WERROR),1)
export CFLAGS += -Wno-error
endif

.PHONY: all module module-debug userspace ike ikevtid selftest-tools deps check \
	demo bench style install modules_install dkms-install version clean fuzz

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

# Userspace only (ikevtid, ikevtictl, the ip plugin, systemd units, udev
# rule, man pages, completion; no tests built); DESTDIR and PREFIX as
# usual. The module: "make modules_install" for the kernel of KDIR, or
# DKMS ("make dkms-install") to have it rebuilt for every kernel.
install:
	$(MAKE) -C userspace install

modules_install: module
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_DIR=updates modules_install

# The module's source into /usr/src/ikevti-VERSION, for "dkms add" (the
# ikevti-dkms package does the same through dh_dkms).
DKMS_SRC = $(DESTDIR)/usr/src/ikevti-$(VERSION)
dkms-install:
	install -d $(DKMS_SRC)/kmod/selftest $(DKMS_SRC)/include/uapi/linux
	install -m 0644 Kbuild $(DKMS_SRC)/
	install -m 0644 kmod/Kbuild kmod/*.[ch] $(DKMS_SRC)/kmod/
	install -m 0644 kmod/selftest/*.c $(DKMS_SRC)/kmod/selftest/
	install -m 0644 include/ikevti_version.h $(DKMS_SRC)/include/
	install -m 0644 include/uapi/linux/ikevti.h \
		$(DKMS_SRC)/include/uapi/linux/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf > $(DKMS_SRC)/dkms.conf

version:
	@echo $(VERSION)

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
