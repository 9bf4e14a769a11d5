#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The offload program's figures as the nfp driver's own verifier and JIT
# see them: NFP instructions and their share of the budget, NFP stack,
# furthest packet offset, and whether the Agilio CX profile takes it.
# Runs where nfp_stub.ko and segoff.ko load, i.e. in the test VM:
#
#   selftests/vm/run.sh build selftests/nfp/figures.sh [-j]
#
# The figures are the program's, not the firmware's: they are measured on
# a stub card whose limits are all raised, then the program is attached
# to an Agilio CX card, which may refuse it (said, with nfp's reason).
# -j prints one JSON object only.
set -e
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib.sh"
json=0
[ "${1:-}" != -j ] || json=1
# the commands this runs are not the figures
[ $json -eq 0 ] || exec 3>/dev/null
require_segoff
require_nfp_stub
klog_mark

# attach_figures ID: attach to nfps$ID and detach; the card's prog file
# then holds the figures; $refusal says why an attach failed
attach_figures() {
	local dev=nfps$1
	pp ip link set dev "$dev" up
	refusal=
	if pp "$SEGOFF_NL" attach dev "$dev" mode offload >/dev/null 2>&1; then
		pp "$SEGOFF_NL" detach dev "$dev"
	else
		refusal=$(klog_since_mark | grep -oE "(NFP net bpf|nfps$1): .*" |
			grep -v 'stub card' | tail -n 1 | sed 's/^[^:]*: //')
		refusal=${refusal:-refused}
	fi
}

base=$((($$ % 1000) * 10 + 6000))
# Figures: every limit raised (the JIT's output does not depend on them).
nfps_new $((base + 1)) max_elem_sz=128 max_key_sz=128 max_val_sz=128 inl_mtu=255 \
	max_len=65535 stack_sz=16320
attach_figures $((base + 1))
[ -z "$refusal" ] || fail "even a card without limits refuses the program: $refusal"
xlated=$(nfps_prog $((base + 1)) xlated_insns)
insns=$(nfps_prog $((base + 1)) nfp_insns)
stack=$(nfps_prog $((base + 1)) nfp_stack)
reach=$(nfps_prog $((base + 1)) max_pkt_offset)

# The Agilio CX profile: the stub's defaults.
nfps_new $((base + 2))
budget=$(awk '$1 == "max_len" { print $2 }' "$nfps_dir/fw")
fw_stack=$(awk '$1 == "stack_sz" { print $2 }' "$nfps_dir/fw")
split=$(awk '$1 == "split" { print $2 }' "$nfps_dir/fw")
attach_figures $((base + 2))
share=$(awk -v a="$insns" -v b="$budget" 'BEGIN { printf "%.1f", 100 * a / b }')

if [ $json -eq 1 ]; then
	jq -cn --argjson xlated "$xlated" --argjson insns "$insns" --argjson budget "$budget" \
		--argjson share "$share" --argjson stack "$stack" --argjson fw_stack "$fw_stack" \
		--argjson reach "$reach" --argjson split "$split" --arg refusal "$refusal" \
		'{bpf_insns: $xlated, nfp_insns: $insns, nfp_budget: $budget,
		  nfp_budget_pct: $share, nfp_stack: $stack, fw_stack: $fw_stack,
		  max_pkt_offset: $reach, split: $split,
		  agilio_cx: (if $refusal == "" then "accepted" else $refusal end)}'
	exit 0
fi
cat <<EOT
segoff_xdp offloaded through the nfp driver's verifier and JIT (Linux $(uname -r)):
  BPF instructions    $xlated
  NFP instructions    $insns of $budget ($share% of the Agilio CX budget)
  NFP stack           $stack B of $fw_stack B
  packet reach        offset $reach (the furthest byte read; split boundary $split B)
  Agilio CX profile   ${refusal:-accepted}
EOT
