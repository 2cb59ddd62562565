# SPDX-License-Identifier: GPL-2.0
#
# The C helpers of the ikevti selftests, built on the host:
#   make -f selftests/ikevti/tools.mk        (from the top of the checkout)
# puts esp_forge, nl_validate and encap_holder into build/selftests/.
#
# -I include/uapi comes before the system directories, so <linux/ikevti.h>
# is this checkout's copy even where an older one is installed under
# /usr/include/linux; the other <linux/*.h> are not in include/uapi and
# still come from the system.

IKEVTI_TOOLS_MK := $(abspath $(lastword $(MAKEFILE_LIST)))
IKEVTI_TOP := $(abspath $(dir $(IKEVTI_TOOLS_MK))/../..)
IKEVTI_SELFTEST_OUT := $(IKEVTI_TOP)/build/selftests
IKEVTI_SELFTEST_SRC := $(IKEVTI_TOP)/selftests/ikevti

IKEVTI_SELFTEST_CC ?= $(CC)
IKEVTI_SELFTEST_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g \
	-I$(IKEVTI_TOP)/include/uapi
LIBCRYPTO_CFLAGS := $(shell pkg-config --cflags libcrypto 2>/dev/null)
LIBCRYPTO_LIBS := $(or $(shell pkg-config --libs libcrypto 2>/dev/null),-lcrypto)

IKEVTI_SELFTEST_TOOLS := $(IKEVTI_SELFTEST_OUT)/esp_forge \
	$(IKEVTI_SELFTEST_OUT)/nl_validate $(IKEVTI_SELFTEST_OUT)/encap_holder

.PHONY: ikevti-selftest-tools ikevti-selftest-tools-clean
ikevti-selftest-tools: $(IKEVTI_SELFTEST_TOOLS)

$(IKEVTI_SELFTEST_OUT):
	mkdir -p $@

$(IKEVTI_SELFTEST_OUT)/esp_forge: $(IKEVTI_SELFTEST_SRC)/esp_forge.c \
		$(IKEVTI_TOOLS_MK) | $(IKEVTI_SELFTEST_OUT)
	$(IKEVTI_SELFTEST_CC) $(IKEVTI_SELFTEST_CFLAGS) $(LIBCRYPTO_CFLAGS) \
		-o $@ $< $(LIBCRYPTO_LIBS)

$(IKEVTI_SELFTEST_OUT)/nl_validate: $(IKEVTI_SELFTEST_SRC)/nl_validate.c \
		$(IKEVTI_TOP)/include/uapi/linux/ikevti.h \
		$(IKEVTI_TOOLS_MK) | $(IKEVTI_SELFTEST_OUT)
	$(IKEVTI_SELFTEST_CC) $(IKEVTI_SELFTEST_CFLAGS) -o $@ $<

$(IKEVTI_SELFTEST_OUT)/encap_holder: $(IKEVTI_SELFTEST_SRC)/encap_holder.c \
		$(IKEVTI_TOOLS_MK) | $(IKEVTI_SELFTEST_OUT)
	$(IKEVTI_SELFTEST_CC) $(IKEVTI_SELFTEST_CFLAGS) -o $@ $<

ikevti-selftest-tools-clean:
	rm -f $(IKEVTI_SELFTEST_TOOLS)
