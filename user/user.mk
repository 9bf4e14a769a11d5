# SPDX-License-Identifier: GPL-2.0
# libsegoff.a (what the tool and the tests share) and the segoff-nl tool.

USER_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror $(UAPI_CFLAGS) \
	-I$(O)/bpf -I$(CURDIR)/user $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
USER_LIBS := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null) -lbpf -lelf -lz -lm
LIB_SRCS := user/data.c user/ref.c user/params.c user/frame.c user/loader.c
TOOL_SRCS := $(filter-out $(LIB_SRCS),$(wildcard user/*.c))
LIBSEGOFF := $(O)/libsegoff.a
SEGOFF_NL := $(O)/segoff-nl
USER_HDRS := $(wildcard user/*.h include/segoff/*.h include/uapi/linux/*.h)

all: $(SEGOFF_NL)

$(O)/user/%.o: user/%.c $(USER_HDRS) $(BPF_SKEL)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(LIBSEGOFF): $(patsubst user/%.c,$(O)/user/%.o,$(wildcard $(LIB_SRCS)))
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(SEGOFF_NL): $(patsubst user/%.c,$(O)/user/%.o,$(TOOL_SRCS)) $(LIBSEGOFF)
	$(call msg,LD,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LIBS)
