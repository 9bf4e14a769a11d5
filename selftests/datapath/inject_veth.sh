#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# segoff-nl inject through a veth pair: every window of the real data set
# leaves veth0, veth1 reflects it, and the XDP program on veth0 answers it
# on the way back in, where inject collects and checks the verdicts. This
# host has no segoff.ko: the bindings are segoff-nl's pinned ones (a BPF
# link and its maps in bpffs), which outlive the segoff-nl that made them.
#
#  +---------------- $ns0 -----------------+      +----------- $ns1 -----------+
#  | segoff-nl inject                       |      |                            |
#  |   AF_PACKET tx --> veth0 ==============|======|=> veth1 --+                |
#  |   AF_PACKET rx <-- veth0 [XDP segoff] <|======|== veth1 <-+ br0, hairpin:  |
#  |                    link + maps pinned  |      |   broadcasts flood back    |
#  +----------------------------------------+      +----------------------------+
#
# The reflector is a bridge in hairpin mode, not tc mirred: the kernel
# skips generic XDP for frames that act_mirred redirected
# (netif_receive_generic_xdp(): skb_is_redirected()), so mirred would
# test native mode only. The bridge's multicast snooping is off and IPv6
# is disabled, so that no frame but ours reaches veth0: the counters can
# then be asserted exactly.
#
# For XDP native and generic, both encodings and both arithmetics: no
# window lost or misjudged, 778 exact / 748 seed splits, and the program's
# counters equal to what was sent, and detach leaving no pin and no
# program. Then `set` on a pinned binding, and the failures inject must
# report.
#
# usage: inject_veth.sh BUILD_DIR; prints TAP. Needs root.

set -e
O=$(realpath "${1:-build}")
self=$(realpath "$0")
cd "$(dirname "$0")/../.."
source selftests/datapath/tap.sh

private_netns_test "$self" "$O"

netns_test_setup inj
pins=$SEGOFF_BPFFS

# fields FILE KEY...: "key=value ..." from a JSON object, in one python (slow to start)
fields() {
	python3 -c 'import json, sys
o = json.load(open(sys.argv[1]))
print("".join("%s=%s " % (k, o[k]) for k in sys.argv[2:]))' "$@"
}

# counters: "key=value ..." for every counter of veth0's binding
counters() {
	ip netns exec "$ns0" "$NL" -j counters dev veth0 | python3 -c 'import json, sys
o = json.load(sys.stdin)[0]
print("".join("%s=%s " % (k, o[k]) for k in ("frames", "windows", "split", "nosplit",
      "invalid_truncated", "invalid_range", "invalid_nan", "other")))'
}

# detached DESC: veth0 carries no program and nothing is pinned for it
detached() {
	check "$1: no program left on veth0" \
		not_grep ' xdp' <(ip -n "$ns0" link show dev veth0 2>/dev/null)
	check "$1: no pin left" [ ! -e "$pins/segoff/veth0" ]
}
not_grep() { ! grep -q "$@"; }

if [ ! -x "$NL" ]; then
	echo "inject_veth.sh: $NL not built" >&2
	exit 1
fi

mkdir "$pins"
mount -t bpf bpf "$pins"
ip netns add "$ns0"
ip netns add "$ns1"
# IPv6 would add its own frames (DAD, MLD) to the counters
for ns in "$ns0" "$ns1"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done
n0 ip link add veth0 type veth peer name veth1 netns "$ns1"
n1 ip link add br0 type bridge mcast_snooping 0
n1 ip link set veth1 master br0
n1 bridge link set dev veth1 hairpin on
n0 ip link set veth0 up
n1 ip link set veth1 up
n1 ip link set br0 up
# frames sent before the port forwards would be lost, and blamed on segoff
for _ in $(seq 50); do
	bridge -n "$ns1" link show dev veth1 | grep -q 'state forwarding' && break
	sleep 0.1
done
if ! bridge -n "$ns1" link show dev veth1 | grep -q 'state forwarding'; then
	echo "inject_veth.sh: veth1 does not forward after 5 s" >&2
	exit 1
fi

# run MODE ENCODING ARITH SCALE SPLITS: one attachment, one full injection
run() {
	local mode=$1 enc=$2 arith=$3 scale=$4 splits=$5 what out got
	local params=(encoding "$enc" arith "$arith" scale "$scale")

	what="$mode $enc $arith"
	out=$tmp/inject-$mode-$enc-$arith.json
	n0 "$NL" attach dev veth0 mode "$mode" pin "${params[@]}"
	if [ "$mode" = native ]; then
		check "$what: attached in driver mode" \
			grep -q ' xdp ' <(ip -n "$ns0" link show dev veth0 2>/dev/null)
	else
		check "$what: attached in generic mode" \
			grep -q ' xdpgeneric ' <(ip -n "$ns0" link show dev veth0 2>/dev/null)
	fi
	if n0 "$NL" -j inject dev veth0 file "$DATA" "${params[@]}" >"$out"; then
		ok "$what: inject succeeds"
	else
		not_ok "$what: inject succeeds"
	fi
	got=$(fields "$out" windows sent received lost mismatched invalid splits scale)
	check "$what: $WINDOWS windows sent and answered, none lost or wrong" \
		[ "${got% splits=*}" = \
		  "windows=$WINDOWS sent=$WINDOWS received=$WINDOWS lost=0 mismatched=0 invalid=0" ]
	check "$what: $splits splits at scale $scale" \
		[ "${got#* invalid=0 }" = "splits=$splits scale=$scale " ]
	check "$what: the program counted exactly the windows sent" \
		[ "$(counters)" = "frames=$WINDOWS windows=$WINDOWS split=$splits \
nosplit=$((WINDOWS - splits)) invalid_truncated=0 invalid_range=0 invalid_nan=0 other=0 " ]
	n0 "$NL" detach dev veth0
	detached "$what"
}

for mode in native generic; do
	for enc in fixed double; do
		run "$mode" "$enc" exact 1000 778
		run "$mode" "$enc" seed 16384 748
	done
done

# Stream frames: batch 64 and the largest batch the host program takes
# (a page: 682 fixed or 379 double samples, so every link gets veth's
# largest XDP MTU), every window answered once, counted as windows.
n0 ip link set dev veth0 mtu 3504
n1 ip link set dev veth1 mtu 3504
n1 ip link set dev br0 mtu 3504
for mode in native generic; do
	for enc in fixed double; do
		[ "$enc" = fixed ] && largest=682 || largest=379
		for batch in 64 "$largest"; do
			for arith in exact seed; do
				[ "$arith" = exact ] && splits=778 || splits=748
				what="$mode $enc $arith batch $batch"
				n0 "$NL" attach dev veth0 mode "$mode" pin encoding "$enc" arith "$arith"
				if n0 "$NL" -j inject dev veth0 file "$DATA" encoding "$enc" \
					arith "$arith" batch "$batch" >"$tmp/batch.json"; then
					ok "$what: inject succeeds"
				else
					not_ok "$what: inject succeeds"
				fi
				check "$what: $WINDOWS windows answered once, none lost or wrong, $splits splits" \
					[ "$(fields "$tmp/batch.json" windows sent received lost mismatched splits)" = \
					  "windows=$WINDOWS sent=$WINDOWS received=$WINDOWS lost=0 mismatched=0 splits=$splits " ]
				frames=$(( (WINDOWS + batch - 16) / (batch - 15) ))
				check "$what: the program counted $WINDOWS windows in $frames frames" \
					[ "$(ip netns exec "$ns0" "$NL" -j counters dev veth0 | python3 -c 'import json, sys
o = json.load(sys.stdin)[0]
print(o["windows"], o["split"], o["streams"], o["refused"])')" = "$WINDOWS $splits $frames 0" ]
				n0 "$NL" detach dev veth0
			done
		done
	done
done
n0 ip link set dev veth0 mtu 1500
n1 ip link set dev veth1 mtu 1500
n1 ip link set dev br0 mtu 1500

# The object as the standard loaders attach it (ip link ... obj, as the
# seed did; xdp-loader and bpftool alike): nobody writes the config map, so
# the program must answer with the documented defaults, which inject also
# assumes when no binding says otherwise.
for mode in xdpdrv xdpgeneric; do
	what="ip link $mode obj segoff.bpf.o, no configuration"
	n0 ip link set dev veth0 "$mode" obj "$O/bpf/segoff.bpf.o" sec xdp
	if n0 "$NL" -j inject dev veth0 file "$DATA" >"$tmp/iplink.json"; then
		ok "$what: inject succeeds"
	else
		not_ok "$what: inject succeeds"
	fi
	check "$what: the defaults answer, $WINDOWS windows, 778 splits" \
		[ "$(fields "$tmp/iplink.json" windows received lost mismatched splits)" = \
		  "windows=$WINDOWS received=$WINDOWS lost=0 mismatched=0 splits=778 " ]
	n0 ip link set dev veth0 "$mode" off
done

# Samples the program cannot evaluate: 62 samples, 47 windows, and the 16
# windows around each of a NaN and a negative sample answer "invalid".
# Fixed frames carry any such sample as UINT32_MAX, out of range.
{ seq 20; echo nan; seq 20; echo -1; seq 20; } >"$tmp/invalid.txt"
for enc in fixed double; do
	if [ "$enc" = fixed ]; then nan=0 range=32; else nan=16 range=16; fi
	what="native $enc, NaN and negative samples"
	n0 "$NL" attach dev veth0 mode native pin encoding "$enc"
	if n0 "$NL" -j inject dev veth0 file "$tmp/invalid.txt" encoding "$enc" \
		>"$tmp/invalid.json"; then
		ok "$what: inject succeeds"
	else
		not_ok "$what: inject succeeds"
	fi
	check "$what: 32 of 47 windows invalid, as the reference says" \
		[ "$(fields "$tmp/invalid.json" windows invalid received lost mismatched)" = \
		  "windows=47 invalid=32 received=47 lost=0 mismatched=0 " ]
	check "$what: counted as $nan NaN and $range out of range" \
		grep -q "windows=47 .* invalid_truncated=0 invalid_range=$range invalid_nan=$nan " \
		<(counters)
	n0 "$NL" detach dev veth0
done

# Without `pin` and without segoff.ko, attach pins and says so; `set`
# changes the pinned binding live, and inject takes its parameters.
pretty "NS0" "segoff-nl attach dev veth0 mode generic"
ip netns exec "$ns0" "$NL" attach dev veth0 mode generic 2>"$tmp/attach.err"
check "no segoff.ko: attach says it pins" \
	grep -qF "segoff.ko is not loaded: pinning the binding in $pins/segoff/veth0" "$tmp/attach.err"
check "show says the binding is pinned, in generic mode" \
	[ "$(ip netns exec "$ns0" "$NL" -j show | python3 -c 'import json, sys
print(" ".join("%s %s %s" % (b["ifname"], b["kind"], b["mode"]) for b in json.load(sys.stdin)))')" \
	= "veth0 pinned generic" ]
n0 "$NL" set dev veth0 arith seed
check "set arith seed: the scale and eps follow" \
	[ "$(ip netns exec "$ns0" "$NL" -j show dev veth0 | python3 -c 'import json, sys
p = json.load(sys.stdin)[0]["params"]
print(p["arith"], p["scale"], p["eps"])')" = "seed 16384 0.099996954" ]
n0 "$NL" -j inject dev veth0 file "$DATA" >"$tmp/set.json" || true
check "after set: inject uses the binding's seed arithmetic, 748 splits, none wrong" \
	[ "$(fields "$tmp/set.json" windows received lost mismatched splits)" = \
	  "windows=$WINDOWS received=$WINDOWS lost=0 mismatched=0 splits=748 " ]
check "after set: the program counted with the new parameters" \
	[ "$(counters)" = "frames=$WINDOWS windows=$WINDOWS split=748 \
nosplit=$((WINDOWS - 748)) invalid_truncated=0 invalid_range=0 invalid_nan=0 other=0 " ]
# Two sets released together change different parameters: both stay, as
# each reads, merges and writes under the binding's lock (without it, 4 of
# 100 rounds lost one here).
pretty "NS0" "100 x (segoff-nl set dev veth0 eps E & segoff-nl set dev veth0 port P)"
lost=0
for i in $(seq 100); do
	ip netns exec "$ns0" "$NL" set dev veth0 eps "0.$((i % 9 + 1))" &
	ip netns exec "$ns0" "$NL" set dev veth0 port $((7000 + i)) &
	wait
	ip netns exec "$ns0" "$NL" show dev veth0 |
		grep -q "^  eps 0.$((i % 9 + 1)) scale [0-9]* encoding [a-z]* port $((7000 + i)) " ||
		lost=$((lost + 1))
done
check "concurrent sets of one pinned binding: no update lost in 100 rounds" [ "$lost" -eq 0 ]
refused_attach=$(ip netns exec "$ns0" "$NL" attach dev veth0 pin 2>&1 || true)
check "a second attach is refused" grep -qF "veth0 already has a pinned binding" \
	<<<"$refused_attach"
n0 "$NL" detach dev veth0
detached "set"
refused_detach=$(ip netns exec "$ns0" "$NL" detach dev veth0 2>&1 || true)
check "detach of nothing fails, saying why" grep -qF \
	"veth0 has no pinned binding, and segoff.ko is not loaded" <<<"$refused_detach"

# What inject must refuse or report. A short file keeps the waits short.
head -n 120 "$DATA" >"$tmp/short.txt"
short=$(( $(wc -w <"$tmp/short.txt") - 15 ))

pretty "NS0" "! segoff-nl -j inject dev veth0 file short.txt timeout 0.3 (no program)"
if ! ip netns exec "$ns0" "$NL" -j inject dev veth0 file "$tmp/short.txt" timeout 0.3 \
	>"$tmp/none.json" 2>"$tmp/none.err"; then
	ok "no program on veth0: inject fails"
else
	not_ok "no program on veth0: inject fails"
fi
check "no program on veth0: a silent data path ends the run" \
	grep -q "no verdict for 0.3 s: giving up after [0-9]* of $short windows" "$tmp/none.err"
got=$(fields "$tmp/none.json" sent received lost)
sent=${got%% *}
sent=${sent#sent=}
check "no program on veth0: every window sent is lost" \
	[ "$sent" -gt 0 -a "$got" = "sent=$sent received=0 lost=$sent " ]

n0 "$NL" attach dev veth0 mode native pin eps 0.2
pretty "NS0" "! segoff-nl -j inject dev veth0 file short.txt eps 0.1 (program eps 0.2)"
if ! ip netns exec "$ns0" "$NL" -j inject dev veth0 file "$tmp/short.txt" eps 0.1 \
	>"$tmp/eps.json" 2>"$tmp/eps.err"; then
	ok "eps 0.2 on veth0, 0.1 expected: inject fails"
else
	not_ok "eps 0.2 on veth0, 0.1 expected: inject fails"
fi
check "eps 0.2 on veth0, 0.1 expected: mismatches reported by window" \
	grep -q '^window [0-9]*: verdict nosplit, reference split$' "$tmp/eps.err"
got=$(fields "$tmp/eps.json" lost mismatched)
check "eps 0.2 on veth0, 0.1 expected: counted, nothing lost" \
	[ "${got%% *}" = lost=0 -a "${got#* mismatched=}" != "0 " ]
n0 "$NL" detach dev veth0

# refused DESC WANT CMD...: fails with WANT on stderr and nothing on stdout
refused() {
	local desc=$1 want=$2 rc=0
	shift 2
	pretty "NS0" "! $*"
	ip netns exec "$ns0" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	if [ "$rc" -ne 0 ] && grep -qF -- "$want" "$tmp/err" && [ ! -s "$tmp/out" ]; then
		ok "$desc"
	else
		not_ok "$desc (exit $rc, stderr: $(head -c 200 "$tmp/err"))"
	fi
}
refused "a missing device" "Unable to find device nosuch0: No such device" \
	"$NL" inject dev nosuch0 file "$DATA"
refused "a missing rx device" "Unable to find device nosuch1: No such device" \
	"$NL" inject dev veth0 rx nosuch1 file "$DATA"
printf '1 2 x\n' >"$tmp/bad.txt"
refused "malformed data" "bad.txt:1:5: 'x' is not a number" \
	"$NL" inject dev veth0 file "$tmp/bad.txt"
refused "an unreadable file" "missing.txt: No such file or directory" \
	"$NL" inject dev veth0 file "$tmp/missing.txt"
refused "inject without a device" "inject needs \`dev IF' and \`file FILE'" \
	"$NL" inject file "$DATA"
refused "a bad rate" "Unable to parse rate \`0': must be 1..4294967295" \
	"$NL" inject dev veth0 file "$DATA" rate 0
refused "a bad timeout" "Unable to parse timeout \`soon': not a number of seconds" \
	"$NL" inject dev veth0 file "$DATA" timeout soon
chmod o+rx "$tmp"
refused "without CAP_NET_RAW" "Unable to open packet socket: Operation not permitted" \
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$NL" inject dev veth0 file "$tmp/short.txt"

tap_end
