# SPDX-License-Identifier: GPL-2.0
# Host data-path tests (selftests/datapath/) and the module's kselftests
# (selftests/*.c), all built into $(O)/selftests/ against libsegoff.

TEST_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror $(UAPI_CFLAGS) \
	-I$(O)/bpf -I$(CURDIR)/user -I$(KSRC)/tools/testing/selftests \
	$(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
TEST_SRCS := $(wildcard selftests/datapath/*.c selftests/*.c)
TEST_BINS := $(patsubst selftests/%.c,$(O)/selftests/%,$(TEST_SRCS))

all: $(TEST_BINS)

$(O)/selftests/%: selftests/%.c $(LIBSEGOFF) $(USER_HDRS) $(BPF_SKEL) $(KSRC)/.extracted
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(TEST_CFLAGS) -o $@ $< $(LIBSEGOFF) $(USER_LIBS) -lpthread

check: all
	$(Q)selftests/run_check.sh $(O)
