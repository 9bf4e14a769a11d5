#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `segoff-nl counters format prometheus` against `counters -j`: every
# counter of every binding, in the text exposition format that
# node_exporter's textfile collector reads, valid for `promtool check
# metrics`, with the values the module reports.
#
#   +-- ns0 -----------------------------+        +-- ns1 ----------+
#   |  veth0  XDP native: the data set   |========|  veth1 reflects |
#   |  g0 ======= g"1\x  XDP generic     |        |  (no binding)   |
#   +------------------------------------+        +-----------------+
#
# The generic port's name holds a quote and a backslash, which label
# values must escape. ns1 has no binding: the output still declares
# every metric, with no sample.
set -e
source "$(dirname "$0")/lib.sh"
require_datapath
require_cmd promtool python3

weird='g"1\x'
veth_reflector
n0 ip link add g0 type veth peer name "$weird"
n0 ip link set g0 up
n0 ip link set "$weird" up

n0 "$SEGOFF_NL" attach dev veth0 mode native
defer ip netns exec "$ns0" "$SEGOFF_NL" detach dev veth0
n0 "$SEGOFF_NL" attach dev "$weird" mode generic
defer ip netns exec "$ns0" "$SEGOFF_NL" detach dev "'$weird'"
n0 "$SEGOFF_NL" inject dev veth0 file "$SEGOFF_DATA" | tail -n 1

tmp=$(mktemp -d)
defer rm -rf "$tmp"
# Traffic may still arrive (IPv6 neighbour discovery): each value must lie
# between the JSON read before and the one after.
n0 "$SEGOFF_NL" -j counters >"$tmp/before.json"
n0 "$SEGOFF_NL" counters format prometheus >"$tmp/metrics.prom"
n0 "$SEGOFF_NL" -j counters >"$tmp/after.json"
sed 's/^/    /' "$tmp/metrics.prom"

pp promtool check metrics <"$tmp/metrics.prom" || fail "promtool rejects the exposition"
# compare BEFORE.json AFTER.json METRICS: families, HELP, TYPE, samples
compare() {
	python3 - "$@" <<'EOF'

import json, re, sys

before, after = (json.load(open(f)) for f in sys.argv[1:3])
text = open(sys.argv[3]).read().splitlines()
meta = {"ifindex", "ifname", "mode", "prog_id"}
names = [k for k in before[0] if k not in meta]
label = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
unescape = lambda v: re.sub(r'\\(.)', lambda m: "\n" if m[1] == "n" else m[1], v)

helps, types, samples = set(), {}, {}
for line in text:
    if line.startswith("# HELP "):
        helps.add(line.split()[2])
    elif line.startswith("# TYPE "):
        _, _, name, kind = line.split()
        types[name] = kind
    else:
        m = re.fullmatch(r'(\w+)\{(.*)\} (\d+)', line)
        assert m, f"not a sample line: {line!r}"
        labels = {k: unescape(v) for k, v in label.findall(m[2])}
        key = (m[1], labels["device"], labels["mode"], labels["prog_id"])
        assert key not in samples, f"sample twice: {key}"
        samples[key] = int(m[3])

want = {f"segoff_{n}_total" for n in names}
assert set(types) == want, f"families {sorted(types)} != counters {sorted(want)}"
assert helps == want, f"HELP lines for {sorted(helps)}"
assert all(t == "counter" for t in types.values()), types
assert len(samples) == len(names) * len(before), f"{len(samples)} samples"
for b, a in zip(before, after):
    for n in names:
        key = (f"segoff_{n}_total", b["ifname"], b["mode"], str(b["prog_id"]))
        assert key in samples, f"missing {key}"
        assert b[n] <= samples[key] <= a[n], f"{key} = {samples[key]}, json {b[n]}..{a[n]}"
        print(f"    {key[0]}{{device={key[1]!r},mode={key[2]}}} = {samples[key]}")
EOF
}
pp compare "$tmp/before.json" "$tmp/after.json" "$tmp/metrics.prom" ||
	fail "exposition != counters -j"

windows() {
	grep -F "segoff_windows_total{device=\"$1\"," "$tmp/metrics.prom" | cut -d' ' -f2
}
expect "veth0 windows" 3239 "$(windows veth0)"
expect "generic port windows" 0 "$(windows 'g\"1\\x')"

# No binding: every family declared, no sample, still valid.
n1 "$SEGOFF_NL" counters format prometheus >"$tmp/empty.prom"
expect "samples without a binding" 0 "$(grep -vc '^#' "$tmp/empty.prom" || true)"
expect "families without a binding" "$(grep -c '^# TYPE' "$tmp/metrics.prom")" \
	"$(grep -c '^# TYPE' "$tmp/empty.prom")"
pp promtool check metrics <"$tmp/empty.prom" || fail "promtool rejects the empty exposition"

n0 "$SEGOFF_NL" detach dev veth0
n0 "$SEGOFF_NL" detach dev "$weird"
klog_check
