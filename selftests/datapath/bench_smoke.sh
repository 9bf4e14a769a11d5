#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CI smoke for segoff-bench: one quick run (its own namespaces, removed on
# exit) must succeed and show, for every variant, that each timed
# repetition was a full evaluation (windows_evaluated == iterations). The
# timings themselves are not checked: the benchmark is a tool, not a test.
#
# usage: bench_smoke.sh BUILD_DIR; prints TAP. Needs root.

set -e
O=$(realpath "${1:-build}")
cd "$(dirname "$0")/../.."

if [ "$(id -u)" -ne 0 ]; then
	echo "bench_smoke.sh: needs root (BPF, network namespaces, XDP)" >&2
	exit 4
fi
BENCH=$O/segoff-bench
if [ ! -x "$BENCH" ]; then
	echo "bench_smoke.sh: $BENCH not built" >&2
	exit 1
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "1..4"
if "$BENCH" -j quick >"$out"; then
	echo "ok 1 segoff-bench -j quick exits 0"
else
	echo "not ok 1 segoff-bench -j quick exits 0 (exit $?)"
fi
if python3 - "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bad = [v["name"] for v in r["variants"]
       if v["iterations"] <= 0 or
       v["windows_evaluated"] != v["iterations"] * v["windows_per_frame"]]
for v in r["variants"]:
    print("# %-22s %d windows evaluated in %d iterations of %d"
          % (v["name"], v["windows_evaluated"], v["iterations"], v["windows_per_frame"]))
if len(r["variants"]) != 10 or bad:
    print("# not a full evaluation: %s" % (bad or "variants missing"))
    sys.exit(1)
PY
then
	echo "ok 2 every variant: windows evaluated == iterations x windows per frame"
else
	echo "not ok 2 every variant: windows evaluated == iterations x windows per frame"
fi

# cost: the program alone, a table with every variant and no data path
if "$BENCH" quick cost >"$out" && grep -q '^  double-seed ' "$out" &&
   grep -q '^  segoff_xdp_percpu ' "$out" && ! grep -q '^data-path rate' "$out"; then
	echo "ok 3 segoff-bench quick cost: cost and size, no rate"
else
	echo "not ok 3 segoff-bench quick cost: cost and size, no rate"
	sed 's/^/# /' "$out"
fi
if ! "$BENCH" -j quick cost >"$out" 2>&1 && grep -q 'cost prints a table only' "$out"; then
	echo "ok 4 segoff-bench -j cost is refused with a reason"
else
	echo "not ok 4 segoff-bench -j cost is refused with a reason"
fi
