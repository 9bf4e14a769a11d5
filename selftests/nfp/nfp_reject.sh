#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The nfp driver's own checks can fail, and say so in nfp's words: one
# stub card per firmware, each the Agilio CX profile but for one value.
#
#   +-- init netns ----------------------------------------------+
#   |  nfps$base+1 .. +9: stub cards, one firmware value changed   |
#   |  segoff-nl -v attach / nfp_helper load: refused at load      |
#   +-------------------------------------------------------------+
#
# per-CPU program offloaded  [nfp] map writes not supported
# budget one below the size  instruction limit reached (N-1 NFP instructions)
# stack 0                    [nfp] stack too large: program xB > FW stack 0B
# no map helpers             [nfp] map_lookup: not supported by FW
# map entries too large      map elements too large: x, FW max element size ...
# reach past the split       BPF offload not supported with potential packet
#                            access beyond HW packet split boundary
# replace, no live reload    FW does not support live reload
# The last two fail at the XDP link, whose extack 6.1 drops: the stub logs
# the driver's message. Each case is a TAP test; none leaves a binding.
set -e
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib.sh"
require_segoff
require_nfp_stub
klog_mark

base=$((($$ % 1000) * 10 + 3000))
n=0 failed=0
echo "TAP version 13"
echo "1..7"

# result NAME STATUS: one TAP line
result() {
	n=$((n + 1))
	if [ "$2" -eq 0 ]; then
		echo "ok $n $1"
	else
		echo "not ok $n $1"
		failed=1
	fi
}

# has TEXT PATTERN WHAT: PATTERN (extended regex) is in TEXT
has() {
	if grep -qE -- "$2" <<<"$1"; then
		echo "    $3: $(grep -oE -- "$2" <<<"$1" | head -n 1)"
	else
		echo "    $3: no \`$2' in:"
		sed 's/^/    | /' <<<"$1" | tail -n 30
		return 1
	fi
}

# attach_refused DEV: segoff-nl -v attach fails; its output in $out
attach_refused() {
	if out=$(pp "$SEGOFF_NL" -v attach dev "$1" mode offload 2>&1); then
		"$SEGOFF_NL" detach dev "$1"
		echo "    attach to $1 succeeded"
		return 1
	fi
}

# Only one value differs from the Agilio CX profile in each case.
percpu() {
	nfps_new $((base + 1))
	out=$(pp "$NFP_HELPER" load dev "$nfps_dev" prog segoff_xdp_percpu 2>&1) && return 1
	has "$out" '\[nfp\] map writes not supported' "verifier log"
}
budget() {
	local size
	nfps_new $((base + 2))
	out=$(pp "$NFP_HELPER" load dev "$nfps_dev") || { echo "$out"; return 1; }
	size=$(awk '{ print $4 }' <<<"$out")
	echo "    the program is $size NFP instructions"
	nfps_new $((base + 3)) max_len=$((size - 1))
	attach_refused "$nfps_dev" || return 1
	has "$(klog_since_mark)" "instruction limit reached \($((size - 1)) NFP instructions\)" \
		"kernel log" || return 1
	has "$out" '^Unable to load built-in object' "segoff-nl" || return 1
	# exactly the size fits
	nfps_new $((base + 4)) max_len=$size
	pp "$NFP_HELPER" load dev "$nfps_dev"
}
stack0() {
	nfps_new $((base + 5)) stack_sz=0
	attach_refused "$nfps_dev" || return 1
	has "$out" '\[nfp\] stack too large: program [0-9]+B > FW stack 0B' "segoff-nl -v"
}
no_map_helpers() {
	nfps_new $((base + 6)) helper_map_lookup=0 helper_map_update=0 \
		helper_map_delete=0
	attach_refused "$nfps_dev" || return 1
	has "$out" '\[nfp\] map_lookup: not supported by FW' "segoff-nl -v"
}
too_large() {
	nfps_new $((base + 7)) max_elem_sz=56
	attach_refused "$nfps_dev" || return 1
	has "$(klog_since_mark)" \
		'map elements too large: [0-9]+, FW max element size \(key\+value\): 56' \
		"kernel log" || return 1
	has "$out" '^Unable to load built-in object.*: Cannot allocate memory' "segoff-nl"
}
too_far() {
	nfps_new $((base + 8)) inl_mtu=3
	attach_refused "$nfps_dev" || return 1
	has "$(klog_since_mark)" "$nfps_dev: offload refused: .*BPF offload not supported with \
potential packet access beyond HW packet split boundary" "kernel log" || return 1
	has "$out" '^kernel: .*' "segoff-nl"
}
no_live_reload() {
	nfps_new $((base + 9)) live_reload=N
	pp "$SEGOFF_NL" attach dev "$nfps_dev" mode offload || return 1
	defer "$SEGOFF_NL" detach dev "$nfps_dev"
	if out=$(pp "$SEGOFF_NL" attach dev "$nfps_dev" mode offload replace 2>&1); then
		echo "    replace on $nfps_dev succeeded"
		return 1
	fi
	has "$(klog_since_mark)" "$nfps_dev: offload refused: .*FW does not support live reload" \
		"kernel log" || return 1
	has "$out" '^kernel: .*' "segoff-nl" || return 1
	# the binding in force stays
	expect "bindings on $nfps_dev" 1 "$("$SEGOFF_NL" -j show dev "$nfps_dev" | jq length)"
	pp "$SEGOFF_NL" detach dev "$nfps_dev"
}

for t in percpu budget stack0 no_map_helpers too_large too_far no_live_reload; do
	echo "# $t"
	rc=0
	"$t" || rc=$?
	result "$t" $rc
done
klog_check
[ "$failed" -eq 0 ]
