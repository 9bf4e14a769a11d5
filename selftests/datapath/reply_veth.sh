#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# reply tx across a veth pair: the program on the far end answers every
# window back to the sender with XDP_TX, so inject needs no reflector, and
# the far end's stack never sees the window traffic.
#
#  +------------- $ns0 -------------+      +-------------- $ns1 --------------+
#  | segoff-nl inject               |      |                                  |
#  |   AF_PACKET tx --> v0 =========|======|=> v1 [XDP segoff, reply tx] --+  |
#  |   AF_PACKET rx <-- v0 [XDP]    |<=====|=======  XDP_TX  <-------------+  |
#  |                   10.99.0.1    |      |   10.99.0.2, its stack: ping,    |
#  |                                |      |   UDP to other ports             |
#  +--------------------------------+      +----------------------------------+
#
# veth hands an XDP_TX frame to its peer only if the peer runs XDP (or has
# GRO on, which this machine's 6.18 does not honour): v0 runs segoff's
# object unconfigured, which passes answers on as other traffic. For
# native and generic XDP, both encodings and both
# arithmetics: every window answered, none lost or wrong; the far end's
# IP InReceives does not move; ping and another UDP port still reach it;
# `set reply pass` switches back live.
#
# usage: reply_veth.sh BUILD_DIR; prints TAP. Needs root.

set -e
O=$(realpath "${1:-build}")
self=$(realpath "$0")
cd "$(dirname "$0")/../.."
source selftests/datapath/tap.sh

private_netns_test "$self" "$O"

netns_test_setup rep

# the far end's IP InReceives: what its stack took in
in_receives() {
	ip netns exec "$ns1" awk '/^Ip: [0-9]/ { print $4 }' /proc/net/snmp
}

mkdir "$SEGOFF_BPFFS"
mount -t bpf bpf "$SEGOFF_BPFFS"
ip netns add "$ns0"
ip netns add "$ns1"
for ns in "$ns0" "$ns1"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
done
n0 ip link add v0 type veth peer name v1 netns "$ns1"
n0 ip addr add 10.99.0.1/24 dev v0
n1 ip addr add 10.99.0.2/24 dev v1
n0 ip link set v0 up
n0 ip link set dev v0 xdpdrv obj "$O/bpf/segoff.bpf.o" sec xdp
n1 ip link set v1 up

for mode in native generic; do
	for enc in fixed double; do
		for arith in exact seed; do
			[ "$arith" = exact ] && splits=778 || splits=748
			what="$mode $enc $arith, reply tx"
			n1 "$NL" attach dev v1 mode "$mode" pin reply tx encoding "$enc" \
				arith "$arith"
			before=$(in_receives)
			if n0 "$NL" -j inject dev v0 file "$DATA" encoding "$enc" arith "$arith" \
				>"$tmp/out.json"; then
				ok "$what: inject succeeds without a reflector"
			else
				not_ok "$what: inject succeeds without a reflector"
			fi
			check "$what: $WINDOWS sent, $WINDOWS received, none lost or wrong" \
				[ "$(python3 -c 'import json, sys
o = json.load(open(sys.argv[1]))
print(o["sent"], o["received"], o["lost"], o["mismatched"], o["splits"])' "$tmp/out.json")" \
				  = "$WINDOWS $WINDOWS 0 0 $splits" ]
			check "$what: the far stack saw none of the windows" \
				[ "$(in_receives)" = "$before" ]
			check "$what: the program counted every answer as replied" \
				[ "$(ip netns exec "$ns1" "$NL" -j counters dev v1 | python3 -c 'import json, sys
o = json.load(sys.stdin)[0]
print(o["windows"], o["replied"])')" = "$WINDOWS $WINDOWS" ]
			n1 "$NL" detach dev v1
		done
	done
done

# Other traffic still reaches the far stack.
n1 "$NL" attach dev v1 mode native pin reply tx
quiet() { "$@" >/dev/null; }
check "ping reaches the far end" quiet n0 busybox ping -c 1 -W 2 10.99.0.2
n1 python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.99.0.2", 7777))
s.settimeout(5)
open(sys.argv[1], "w").write(s.recv(64).decode())' "$tmp/udp.txt" &
listener=$!
sleep 0.5
n0 python3 -c 'import socket
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"not a window", ("10.99.0.2", 7777))'
wait "$listener" || true
check "a UDP datagram to another port reaches the far stack" \
	[ "$(cat "$tmp/udp.txt" 2>/dev/null)" = "not a window" ]

# set reply pass: the answers go up the far stack, none come back.
head -n 60 "$DATA" >"$tmp/short.txt"
short=$(( $(wc -w <"$tmp/short.txt") - 15 ))
n1 "$NL" set dev v1 reply pass
before=$(in_receives)
n0 "$NL" -j inject dev v0 file "$tmp/short.txt" timeout 0.5 >"$tmp/pass.json" 2>/dev/null || true
check "set reply pass: no verdict comes back" \
	[ "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["received"])' \
	     "$tmp/pass.json")" = 0 ]
check "set reply pass: the far stack took every answered window" \
	[ $(( $(in_receives) - before )) -ge "$short" ]
n1 "$NL" set dev v1 reply tx
if n0 "$NL" -j inject dev v0 file "$tmp/short.txt" >"$tmp/tx.json"; then
	ok "set reply tx again: every verdict comes back"
else
	not_ok "set reply tx again: every verdict comes back"
fi
n1 "$NL" detach dev v1

tap_end
