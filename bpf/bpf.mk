# SPDX-License-Identifier: GPL-2.0
# The XDP program and its libbpf skeleton. -mcpu=v3 is the most the nfp JIT takes.

BPF_OBJ  := $(O)/bpf/segoff.bpf.o
BPF_SKEL := $(O)/bpf/segoff.skel.h
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -Wall -Werror $(UAPI_CFLAGS) \
	-I/usr/include/$(shell $(CC) -dumpmachine)

# the object too: tests and `ip link ... obj` load it directly
all: $(BPF_OBJ) $(BPF_SKEL)

$(O)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h include/segoff/*.h include/uapi/linux/*.h)
	$(call msg,CLANG,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(O)/bpf/%.skel.h: $(O)/bpf/%.bpf.o
	$(call msg,GEN,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@
