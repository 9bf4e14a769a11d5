# SPDX-License-Identifier: GPL-2.0
# segoff: `make` builds, `make check` runs every test, `make demo` the main job.
# Each part keeps its rules in its own fragment: bpf/bpf.mk, user/user.mk,
# selftests/selftests.mk, dist/dist.mk (make install, install-dkms).
# Kbuild builds kmod/segoff.ko.

O	?= $(CURDIR)/build
V	?= 0
CC	?= cc
CLANG	?= clang
BPFTOOL	?= bpftool
# The VM kernel: Debian's linux-image-amd64 and the matching headers.
KVER	?= $(shell ls /lib/modules 2>/dev/null | grep -- '-amd64$$' | sort -V | tail -n 1)
KDIR	?= /lib/modules/$(KVER)/build
# kselftest_harness.h and netdevsim come from Debian's linux-source package.
KSRC_TAR ?= $(firstword $(wildcard /usr/src/linux-source-*.tar.xz))
KSRC	:= $(O)/$(basename $(basename $(notdir $(KSRC_TAR))))

ifeq ($(V),1)
Q	=
msg	= @true
else
Q	= @
msg	= @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

UAPI_CFLAGS := -I$(CURDIR)/include/uapi -I$(CURDIR)/include

.PHONY: all check demo clean kmod
# segoff.ko too, where there are kernel headers to build it against
all: $(if $(wildcard $(KDIR)/Makefile),kmod)

include bpf/bpf.mk
include user/user.mk
include selftests/selftests.mk
include selftests/nfp/nfp.mk
include bench/bench.mk
include dist/dist.mk

# O= because Kbuild would take our O (from `make O=...`) as its output tree.
kmod:
	$(Q)$(MAKE) --no-print-directory -C $(KDIR) M=$(CURDIR) O= $(if $(filter 1,$(V)),V=1) modules

# Only what this tree needs from the kernel source: the harness, netdevsim.
$(KSRC)/.extracted: $(KSRC_TAR)
	$(call msg,UNTAR,$(notdir $(KSRC_TAR)))
	$(Q)mkdir -p $(O)
	$(Q)tar -C $(O) -xf $< $(notdir $(KSRC))/tools/testing/selftests/kselftest_harness.h \
		$(notdir $(KSRC))/tools/testing/selftests/kselftest.h \
		$(notdir $(KSRC))/drivers/net/netdevsim
	$(Q)touch $@

clean:
	$(Q)rm -rf $(O)
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null 2>&1 || true
