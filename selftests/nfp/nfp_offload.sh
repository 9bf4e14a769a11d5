#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Offload through the nfp driver's own verifier and JIT, on a stub card
# with the Agilio CX firmware profile (selftests/nfp/stub.c).
#
#   +-- init netns ---------------------------------------------------+
#   |  nfps$id: the driver's struct nfp_net on a stub card             |
#   |    XDP (offload): segoff_xdp, verified and JITed by nfp's code,  |
#   |    handed to the "firmware", held by segoff.ko as a BPF link     |
#   |    maps: the card's table, served to nfp's map ops (debugfs)     |
#   +-----------------------------------------------------------------+
#
# attach -> the firmware got the JIT's image, bpftool shows the program
# and maps offloaded_to nfps$id; counters come from the card's table
# through nfp's map ops (words the card counted in, big-endian, read back
# in host order); set -> the table holds exactly the reference's config;
# detach -> the firmware stops BPF and the maps leave the card.
set -e
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/lib.sh"
require_segoff
require_nfp_stub
klog_mark

id=$((($$ % 1000) + 2000))
nfps_new $id
dev=$nfps_dev
pp ip link set dev "$dev" up

defer "$SEGOFF_NL" detach dev "$dev"
out=$(pp "$SEGOFF_NL" -v attach dev "$dev" mode offload 2>&1) ||
	{ echo "$out"; klog_since_mark | grep -E 'NFP|nfp|nfps' || true; fail "attach refused"; }
grep -v '^libbpf: ' <<<"$out" || true
expect_offloaded "$dev"

# The driver translated it, the card took the image and runs BPF.
info=$(bpftool -j prog show id "$prog")
insns=$(($(jq -r .bytes_jited <<<"$info") / 8))
expect "segoff-nl -v: NFP instructions" "$insns" \
	"$(sed -n 's/.* \([0-9]*\) NFP instructions.*/\1/p' <<<"$out" | head -n 1)"
pp cat "$nfps_dir/prog"
expect "stub: program id" "$prog" "$(nfps_prog $id id)"
expect "stub: NFP instructions" "$insns" "$(nfps_prog $id nfp_insns)"
expect "stub: load result" 0 "$(nfps_prog $id result)"
klog_since_mark | grep -q "$dev: firmware: load a BPF image of $insns NFP instructions" ||
	fail "the firmware was not handed the image"
klog_since_mark | grep -q "$dev: firmware: BPF enabled" || fail "the firmware did not enable BPF"
for m in "$cfg" "$cnt"; do
	grep -q "^map id $m " "$nfps_dir/maps" || fail "map $m is not in the card's table"
done
pp cat "$nfps_dir/maps"

# Counters: both entries zeroed by attach, in the table and over netlink.
zero0=$(nfps_entry $id "$cnt" 00000000)
zero1=$(nfps_entry $id "$cnt" 01000000)
expect "counters zeroed in the table" "" "${zero0//0/}${zero1//0/}"
counters=$(pp "$SEGOFF_NL" -j counters dev "$dev")
for f in frames windows split nosplit other; do
	expect "$f" 0 "$(field "$counters" $f)"
done
# The card counts in big-endian words (nfp's map ops swap them): 3 frames
# (entry 0) and 5 others (entry 1) as the card holds them read back so.
pp eval "echo '$cnt 00000000 0000000300000000${zero0:16}' > $nfps_dir/maps"
pp eval "echo '$cnt 01000000 0000000500000000${zero1:16}' > $nfps_dir/maps"
counters=$(pp "$SEGOFF_NL" -j counters dev "$dev")
expect "frames the card counted" 3 "$(field "$counters" frames)"
expect "others the card counted" 5 "$(field "$counters" other)"
expect "windows" 0 "$(field "$counters" windows)"

# The config: the entry in force is the reference's, after attach and
# after each set, and every set flips entry 0's @active.
config_is() {
	local what=$1 active=$2 cur
	shift 2
	cur=$("$NFP_HELPER" current "$(nfps_entry $id "$cfg" 00000000)" \
		"$(nfps_entry $id "$cfg" 01000000)")
	expect "$what: entry in force" "$active" "${cur%% *}"
	expect "$what: config" "$("$NFP_HELPER" config dev "$dev" "$@")" "${cur#* }"
}
config_is "after attach" 0
set1=(eps 0.25 scale 100 encoding double port 7777)
pp "$SEGOFF_NL" set dev "$dev" "${set1[@]}"
config_is "after set ${set1[*]}" 1 "${set1[@]}"
set2=(eps 0.5 scale 64 encoding fixed port 6000 arith seed)
pp "$SEGOFF_NL" set dev "$dev" "${set2[@]}"
config_is "after set ${set2[*]}" 0 "${set2[@]}"
pp cat "$nfps_dir/maps"

pp "$SEGOFF_NL" detach dev "$dev"
expect "bindings after detach" 0 "$("$SEGOFF_NL" -j show | jq length)"
klog_since_mark | grep -q "$dev: firmware: BPF disabled" || fail "the firmware still runs BPF"
# The module held the last references: the maps leave the card once freed
# (after an RCU grace period, hence the wait).
for i in $(seq 30); do
	grep -q '^map ' "$nfps_dir/maps" || break
	sleep 0.1
done
! grep '^map ' "$nfps_dir/maps" || fail "maps outlived their binding on the card"
klog_check
