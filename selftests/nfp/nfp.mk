# SPDX-License-Identifier: GPL-2.0
# nfp_stub.ko for the VM tests: the nfp driver's BPF offload code
# (bpf/verifier.c, bpf/jit.c, bpf/offload.c, nfp_asm.c and the headers they
# include), extracted from linux-source into $(NFP_BUILD)/nfp and compiled
# as the kernel ships it, linked with selftests/nfp/stub.c.

NFP_BUILD := $(O)/nfp_stub
NFP_KO := $(O)/vm/nfp_stub.ko
NFP_TAR_DIR := $(notdir $(KSRC))/drivers/net/ethernet/netronome/nfp

.PHONY: nfp-stub
nfp-stub: $(NFP_KO)
vm-prereqs: $(NFP_KO)

$(NFP_BUILD)/nfp/.extracted: $(KSRC_TAR)
	$(call msg,UNTAR,$(NFP_TAR_DIR))
	$(Q)rm -rf $(NFP_BUILD)/nfp && mkdir -p $(NFP_BUILD)
	$(Q)tar -C $(NFP_BUILD) -xf $< --strip-components=5 $(NFP_TAR_DIR)
	$(Q)touch $@

# Kbuild needs its sources in M: links to ours, next to the driver's.
$(NFP_KO): $(NFP_BUILD)/nfp/.extracted selftests/nfp/stub.c selftests/nfp/Kbuild
	$(call msg,KMOD,$@)
	$(Q)ln -sf $(CURDIR)/selftests/nfp/Kbuild $(CURDIR)/selftests/nfp/stub.c $(NFP_BUILD)/
	$(Q)$(MAKE) -s -C $(KDIR) M=$(NFP_BUILD) O= $(if $(filter 1,$(V)),V=1) modules
	$(Q)mkdir -p $(@D) && cp $(NFP_BUILD)/nfp_stub.ko $@

# The tests' helper (selftests/nfp/nfp_helper.c), built like the others.
NFP_HELPER := $(O)/selftests/nfp/nfp_helper

all: $(NFP_HELPER)

$(NFP_HELPER): selftests/nfp/nfp_helper.c $(LIBSEGOFF) $(USER_HDRS) $(BPF_SKEL)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(TEST_CFLAGS) -o $@ $< $(LIBSEGOFF) $(USER_LIBS)
