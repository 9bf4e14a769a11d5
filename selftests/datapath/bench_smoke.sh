#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# CI smoke for segoff-bench: one quick run (its own namespaces, removed on
# exit) must succeed and show, for every variant, that each timed
# repetition was a full evaluation (windows_evaluated == iterations, the
# seed's programs' verdict, every frame counted by a part variant); on
# every data-path path (reply pass with the reflector, reply tx, stream
# frames) frames went through, windows were answered and came back, none
# of them wrong; every latency path was probed. The timings themselves
# are not checked: the benchmark is a tool, not a test.
#
# usage: bench_smoke.sh BUILD_DIR; prints TAP. Needs root.

set -e
O=$(realpath "${1:-build}")
cd "$(dirname "$0")/../.."
source selftests/datapath/tap.sh

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

if "$BENCH" -j quick >"$out"; then
	ok "segoff-bench -j quick exits 0"
else
	not_ok "segoff-bench -j quick exits 0 (exit $?)"
fi
check "every variant evaluated every repetition (counters, or the seed's verdict)" \
	python3 - "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
def full(v):
    if v["iterations"] <= 0:
        return False
    if v["seed_prog"]:
        return v["wrong_tag_runs"] == 0
    if v["part"]:
        return v["frames"] == v["iterations"] and v["windows_evaluated"] == 0
    return v["windows_evaluated"] == v["iterations"] * v["windows_per_frame"]
bad = [v["name"] for v in r["variants"] if not full(v)]
for v in r["variants"]:
    print("# %-24s %d windows, %d frames in %d iterations of %d, %d runs with a wrong verdict"
          % (v["name"], v["windows_evaluated"], v["frames"], v["iterations"],
             v["windows_per_frame"], v["wrong_tag_runs"]))
if len(r["variants"]) != 22 or bad:
    print("# not a full evaluation: %s" % (bad or "variants missing"))
    sys.exit(1)
PY
check "every data-path path: frames in, windows answered and back, 0 mismatched" \
	python3 - "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["rate"]
ids = [p["id"] for p in r["paths"]]
bad = []
for p in r["paths"]:
    print("# %-13s %9d sent/s %9d in/s %10d windows/s %10d back/s %d mismatched"
          % (p["id"], p["sent_pps"], p["rx_pps"], p["windows_pps"], p["verdicts_pps"],
             p["mismatched"]))
    if min(p["sent_pps"], p["rx_pps"], p["verdicts_pps"]) <= 0 or p["mismatched"] or \
       (p["id"] != "baseline" and p["windows_pps"] <= 0):
        bad.append(p["id"])
want = ["baseline", "pass", "tx", "tx-stream64", "tx-stream682"]
cmps = ["segoff_vs_baseline", "tx_vs_pass", "stream64_vs_single", "stream_max_vs_single"]
if ids != want or bad or any(not r.get(c, 0) > 0 for c in cmps):
    print("# paths %s, not sane: %s" % (ids, bad))
    sys.exit(1)
PY
check "latency: the baseline, reply pass and reply tx probed, percentiles in order" \
	python3 - "$out" <<'PY'
import json, sys
lat = json.load(open(sys.argv[1]))["latency_ns"]
for k, l in lat.items():
    print("# latency %-8s p50 %d ns, %d probes, %d lost" % (k, l["p50"], l["probes"], l["lost"]))
if sorted(lat) != ["baseline", "pass", "tx"] or \
   any(l["probes"] <= 0 or not 0 < l["min"] <= l["p50"] <= l["p99"] for l in lat.values()):
    sys.exit(1)
PY

# cost: the program alone, a table with every variant and no data path
if "$BENCH" quick cost >"$out" && grep -q '^  double-seed ' "$out" &&
   grep -q '^  segoff_xdp_percpu ' "$out" && ! grep -q '^data-path rate' "$out"; then
	ok "segoff-bench quick cost: cost and size, no rate"
else
	not_ok "segoff-bench quick cost: cost and size, no rate"
	sed 's/^/# /' "$out"
fi
# cost VARIANT...: the variants whose names start so, and none else
if "$BENCH" quick cost seedprog double-exact/ >"$out" &&
   [ "$(grep -cE '^  (seedprog-(fixed|double)|double-exact/(config|parse|window)) ' "$out")" = 5 ] &&
   ! grep -qE '^  (fixed|double)-(exact|seed) ' "$out"; then
	ok "segoff-bench quick cost seedprog double-exact/: those variants only"
else
	not_ok "segoff-bench quick cost seedprog double-exact/: those variants only"
	sed 's/^/# /' "$out"
fi
if ! "$BENCH" quick cost nosuchvariant >"$out" 2>&1 && grep -q 'no variant is called' "$out"; then
	ok "segoff-bench cost with an unknown variant is refused with a reason"
else
	not_ok "segoff-bench cost with an unknown variant is refused with a reason"
fi
if ! "$BENCH" -j quick cost >"$out" 2>&1 && grep -q 'cost prints a table only' "$out"; then
	ok "segoff-bench -j cost is refused with a reason"
else
	not_ok "segoff-bench -j cost is refused with a reason"
fi

tap_end
