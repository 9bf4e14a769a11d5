# SPDX-License-Identifier: GPL-2.0
# nfp_stub.ko for the VM tests: the nfp driver's BPF offload code
# (bpf/verifier.c, bpf/jit.c, bpf/offload.c, nfp_asm.c and the headers they
# include), extracted from linux-source into $(NFP_SRC) and compiled as the
# kernel ships it, linked with selftests/nfp/stub.c. Built for the stock
# kernel by vm-prereqs, for another tree (VM_KDIR) by vm-prereqs-kdir.

NFP_SRC := $(O)/nfp_src
NFP_BUILD := $(O)/nfp_stub
NFP_KO := $(O)/vm/nfp_stub.ko
NFP_TAR_DIR := $(notdir $(KSRC))/drivers/net/ethernet/netronome/nfp

.PHONY: nfp-stub nfp-stub-kdir
nfp-stub: $(NFP_KO)
vm-prereqs: $(NFP_KO)
vm-prereqs-kdir: nfp-stub-kdir

$(NFP_SRC)/.extracted: $(KSRC_TAR)
	$(call msg,UNTAR,$(NFP_TAR_DIR))
	$(Q)rm -rf $(NFP_SRC) && mkdir -p $(NFP_SRC)
	$(Q)tar -C $(NFP_SRC) -xf $< --strip-components=5 $(NFP_TAR_DIR)
	$(Q)touch $@

# nfp_stub_build DIR KDIR: Kbuild wants every source under M, so DIR gets a
# copy of the driver's files (once: Kbuild then tracks them) and links to
# ours; the module ends up as DIR/nfp_stub.ko.
define nfp_stub_build
	$(Q)mkdir -p $(1)
	$(Q)[ -f $(1)/nfp/.copied ] || { rm -rf $(1)/nfp && cp -pR $(NFP_SRC)/nfp $(1)/ && \
		touch $(1)/nfp/.copied; }
	$(Q)ln -sf $(CURDIR)/selftests/nfp/Kbuild $(CURDIR)/selftests/nfp/stub.c $(1)/
	$(Q)$(MAKE) -s -C $(2) M=$(1) O= $(if $(filter 1,$(V)),V=1) modules
endef

$(NFP_KO): $(NFP_SRC)/.extracted selftests/nfp/stub.c selftests/nfp/Kbuild
	$(call msg,KMOD,$@)
	$(call nfp_stub_build,$(NFP_BUILD),$(KDIR))
	$(Q)mkdir -p $(@D) && cp $(NFP_BUILD)/nfp_stub.ko $@

# where guest.sh looks for it under that kernel: $(KDIR_KMOD)/nfp_stub.ko
nfp-stub-kdir: $(NFP_SRC)/.extracted
	$(if $(VM_KDIR),,$(error nfp-stub-kdir needs VM_KDIR=kernel tree))
	$(call nfp_stub_build,$(KDIR_KMOD)/nfp_stub,$(VM_KDIR))
	$(Q)cp -p $(KDIR_KMOD)/nfp_stub/nfp_stub.ko $(KDIR_KMOD)/nfp_stub.ko

# The tests' helper (selftests/nfp/nfp_helper.c), built like the others.
NFP_HELPER := $(O)/selftests/nfp/nfp_helper

all: $(NFP_HELPER)

$(NFP_HELPER): selftests/nfp/nfp_helper.c $(LIBSEGOFF) $(USER_HDRS) $(BPF_SKEL)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(TEST_CFLAGS) -o $@ $< $(LIBSEGOFF) $(USER_LIBS)
