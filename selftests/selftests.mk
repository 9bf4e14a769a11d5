# SPDX-License-Identifier: GPL-2.0
# Host data-path tests (selftests/datapath/) and the module's kselftests
# (selftests/*.c), all built into $(O)/selftests/ against libsegoff.

TEST_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror $(UAPI_CFLAGS) \
	-I$(O)/bpf -I$(CURDIR)/user -I$(KSRC)/tools/testing/selftests \
	$(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
TEST_SRCS := $(wildcard selftests/datapath/*.c selftests/*.c)
TEST_BINS := $(patsubst selftests/%.c,$(O)/selftests/%,$(TEST_SRCS))

all: $(TEST_BINS)

$(O)/selftests/%: selftests/%.c $(LIBSEGOFF) $(USER_HDRS) $(wildcard selftests/*.h selftests/*/*.h) $(BPF_SKEL) \
		$(KSRC)/.extracted
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(TEST_CFLAGS) -o $@ $< $(LIBSEGOFF) $(USER_LIBS) -lpthread

# Helpers the shell tests call: built like the tests, but not run as tests.
TEST_HELPERS := $(patsubst selftests/datapath/helpers/%.c,$(O)/selftests/helpers/%,\
	$(wildcard selftests/datapath/helpers/*.c))

all: $(TEST_HELPERS)

$(O)/selftests/helpers/%: selftests/datapath/helpers/%.c $(LIBSEGOFF) $(USER_HDRS) $(BPF_SKEL)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(TEST_CFLAGS) -o $@ $< $(LIBSEGOFF) $(USER_LIBS)

check: all
	$(Q)selftests/run_check.sh $(O)

# The module's tests run in a VM (selftests/vm/run.sh): Debian's kernel,
# a busybox initramfs, netdevsim built out of tree from linux-source and
# segoff.ko. run.sh asks for vm-prereqs itself, so it works standalone;
# SEGOFF_KMOD=0 leaves the module out (neither built nor loaded).
VM_INITRD := $(O)/vm/initramfs.cpio.gz
NSIM_SRC := $(KSRC)/drivers/net/netdevsim
NSIM_KO := $(O)/vm/netdevsim.ko
SEGOFF_KMOD ?= 1

.PHONY: vm-prereqs vm-check netdevsim
vm-prereqs: $(VM_INITRD) $(NSIM_KO) $(if $(filter-out 0,$(SEGOFF_KMOD)),kmod)
netdevsim: $(NSIM_KO)

$(VM_INITRD): selftests/vm/mkinitramfs.sh selftests/vm/init
	$(call msg,GEN,$@)
	$(Q)selftests/vm/mkinitramfs.sh $@ $(KVER)

# Debian does not ship netdevsim; its Makefile needs CONFIG_NETDEVSIM set.
$(NSIM_KO): $(KSRC)/.extracted
	$(call msg,KMOD,$@)
	$(Q)$(MAKE) -s -C $(KDIR) M=$(NSIM_SRC) O= CONFIG_NETDEVSIM=m \
		$(if $(filter 1,$(V)),V=1) modules
	$(Q)mkdir -p $(@D) && cp $(NSIM_SRC)/netdevsim.ko $@

vm-check: all
	$(Q)selftests/vm/run.sh $(O)

# The main job: the whole chain in the VM (selftests/vm/demo.sh), then the
# picture of its cuts. The guest sees the host read-only, so the host
# draws it, from the reference: inject in the guest has just checked every
# verdict that came back against it, and fails the demo on any difference.
DEMO_SVG := $(O)/demo_cuts.svg
demo: all kmod
	$(Q)SEGOFF_KMOD=0 selftests/vm/run.sh $(O) selftests/vm/demo.sh
	$(call msg,PLOT,$(DEMO_SVG))
	$(Q)$(SEGOFF_NL) segment data/stock_000001SZ.txt plot $(DEMO_SVG) >/dev/null
	@echo "the cuts the data path returned, every one checked by inject: $(DEMO_SVG)"

# Another kernel's tree (VM_KDIR, from check-debug): an initramfs with no
# modules, since that kernel has virtio and 9p built in, and segoff.ko
# built against the tree from a copy of its sources in
# $(O)/vm/KERNELRELEASE/, so that kmod/segoff.ko stays the one for $(KDIR).
.PHONY: vm-prereqs-kdir kmod-kdir
VM_INITRD_BUILTIN := $(O)/vm/initramfs-builtin.cpio.gz
vm-prereqs-kdir: $(VM_INITRD_BUILTIN) $(if $(filter-out 0,$(SEGOFF_KMOD)),kmod-kdir)

$(VM_INITRD_BUILTIN): selftests/vm/mkinitramfs.sh selftests/vm/init
	$(call msg,GEN,$@)
	$(Q)selftests/vm/mkinitramfs.sh $@

KDIR_RELEASE = $(if $(VM_KDIR),$(shell cat $(VM_KDIR)/include/config/kernel.release))
KDIR_KMOD = $(O)/vm/$(KDIR_RELEASE)
kmod-kdir:
	$(if $(VM_KDIR),,$(error kmod-kdir needs VM_KDIR=kernel tree))
	$(Q)mkdir -p $(KDIR_KMOD)/kmod
	$(Q)cp -p Kbuild $(KDIR_KMOD)/ && cp -p kmod/Kbuild kmod/*.[ch] $(KDIR_KMOD)/kmod/
	$(Q)rm -rf $(KDIR_KMOD)/include && cp -pR include $(KDIR_KMOD)/
	$(Q)$(MAKE) --no-print-directory -C $(VM_KDIR) M=$(KDIR_KMOD) O= \
		$(if $(filter 1,$(V)),V=1) modules
	$(Q)cp -p $(KDIR_KMOD)/kmod/segoff.ko $(KDIR_KMOD)/segoff.ko

# The whole VM suite under a debug kernel (KASAN, lockdep, kmemleak...)
# built from linux-source with selftests/vm/debug.config and cached in
# $(DEBUG_KCACHE): see selftests/vm/check-debug.sh. `make check
# CHECK_DEBUG=smoke` adds CI's share of it to everything else.
DEBUG_KCACHE ?= /var/cache/segoff
export DEBUG_KCACHE KSRC_TAR
.PHONY: check-debug debug-kernel
check-debug: all
	$(Q)CHECK_STOCK=0 CHECK_DEBUG=full selftests/run_check.sh $(O)
# Only the kernel: prints its tree.
debug-kernel:
	$(Q)selftests/vm/mkkernel.sh $(DEBUG_KCACHE) $(KSRC_TAR)
