# SPDX-License-Identifier: GPL-2.0
# segoff-bench and its BPF object. `make bench` runs the full benchmark and
# rewrites BENCHMARKS.md and bench/benchmarks.svg; the CI smoke
# (selftests/datapath/bench_smoke.sh) runs it in quick mode.

BENCH_OBJ := $(O)/bench/bench.bpf.o
SEGOFF_BENCH := $(O)/segoff-bench
BENCH_SRCS := $(filter-out %.bpf.c,$(wildcard bench/*.c))

all: $(SEGOFF_BENCH) $(BENCH_OBJ)

$(BENCH_OBJ): bench/bench.bpf.c bench/samples.h bpf/segoff.bpf.c $(wildcard bpf/*.h) $(USER_HDRS)
	$(call msg,CLANG,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(O)/bench/%.o: bench/%.c $(wildcard bench/*.h) $(USER_HDRS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -DBENCH_DATA='"$(CURDIR)/data/stock_000001SZ.txt"' -c $< -o $@

$(SEGOFF_BENCH): $(patsubst bench/%.c,$(O)/bench/%.o,$(BENCH_SRCS)) $(LIBSEGOFF)
	$(call msg,LD,$@)
	$(Q)$(CC) -o $@ $^ $(USER_LIBS)

.PHONY: bench
bench: $(SEGOFF_BENCH) $(BENCH_OBJ) $(BPF_OBJ)
	$(SEGOFF_BENCH) -o BENCHMARKS.md -g bench/benchmarks.svg -a bench/analysis.md
