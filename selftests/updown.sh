#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot-time configuration: `segoff-nl up IF config PATH` attaches IF with
# exactly the parameters of the file, `down IF` detaches it, and a file
# with an error fails naming file:line and key, and changes nothing.
#
#   +-- ns0 -------------------------------------------+
#   |  u0 ========== u1     veth pair, no traffic      |
#   |  u0: up from $tmp/u0.conf, down; bad files       |
#   +--------------------------------------------------+
#
# The default path /etc/segoff/IF.conf is on the host's read-only root in
# the VM: only its error is checked.
set -e
source "$(dirname "$0")/lib.sh"
require_segoff
klog_mark

pp ip netns add "$ns0"
defer ip netns del "$ns0"
n0 ip link add u0 type veth peer name u1
n0 ip link set u0 up
n0 ip link set u1 up

tmp=$(mktemp -d)
defer rm -rf "$tmp"
obj=${SEGOFF_BUILD:-build}/bpf/segoff.bpf.o
[ -r "$obj" ] || skip "$obj not built"
obj=$(realpath "$obj")

# Every key, none at its default.
cat >"$tmp/u0.conf" <<EOF
# segoff-nl up u0: the selftest's configuration

mode = generic
obj = $obj
  eps = 0.05
scale=100
encoding = double
port = 7777
arith = seed
EOF
sed 's/^/    | /' "$tmp/u0.conf"

show() { ip netns exec "$ns0" "$SEGOFF_NL" -j show; }
expect "bindings before up" 0 "$(show | jq length)"
n0 "$SEGOFF_NL" up u0 config "$tmp/u0.conf"
defer ip netns exec "$ns0" "$SEGOFF_NL" detach dev u0
s=$(show)
echo "    $s"
expect "bindings" 1 "$(jq length <<<"$s")"
expect "ifname" u0 "$(field "$s" ifname)"
expect "mode" generic "$(field "$s" mode)"
expect "eps" 0.05 "$(field "$s" params.eps)"
expect "scale" 100 "$(field "$s" params.scale)"
expect "encoding" double "$(field "$s" params.encoding)"
expect "port" 7777 "$(field "$s" params.port)"
expect "arith" seed "$(field "$s" params.arith)"
n0 ip link show dev u0 | grep -q xdpgeneric || fail "u0 carries no generic XDP program"

# bad NAME LINE TEXT: a file that must fail with "PATH:LINE: TEXT" (a
# glob). up reads the whole file before it asks the kernel anything, so
# whether the bindings changed is checked once after each round (each
# segoff-nl run costs seconds under TCG).
bad() {
	local name=$1 line=$2 text=$3 f=$tmp/$1.conf err
	pretty 0 "$SEGOFF_NL up u0 config $f"
	sed 's/^/    | /' "$f"
	if err=$(ip netns exec "$ns0" "$SEGOFF_NL" up u0 config "$f" 2>&1); then
		fail "$name: up succeeded"
	fi
	echo "    $err"
	# TEXT may end in *: the list of keys grows with the parameters
	[[ $err == "$f:$line: "$text ]] || fail "$name: expected \`$f:$line: $text'"
}

printf 'mode = native\neps = 0.2\nfrobnicate = 1\n' >"$tmp/key.conf"
printf 'mode = native\n\neps = zero\n' >"$tmp/value.conf"
printf 'mode native\n' >"$tmp/syntax.conf"
printf 'eps = 0.2\nport = 7000\neps = 0.3\n' >"$tmp/twice.conf"
printf 'arith = exact\nscale = 5000\n' >"$tmp/range.conf"
printf 'mode = offload-ish\n' >"$tmp/mode.conf"
printf 'obj = %s\n' "$tmp/missing.o" >"$tmp/obj.conf"
printf 'port =\n' >"$tmp/empty.conf"
printf 'encoding = triple\n' >"$tmp/encoding.conf"

# With u0 bound: its parameters must survive every bad file.
all_bad() {
	bad key 3 "unknown key \`frobnicate' (mode, obj, eps, scale, encoding, port, arith*)"
	bad value 3 "eps: \`zero': not a decimal number"
	bad syntax 1 "expected \`key = value', got \`mode native'"
	bad twice 3 "eps: given twice, first on line 1"
	bad range 2 "scale: scale must be 1..4096 (exact) or 1..16384 (seed)"
	bad mode 1 "mode: \`offload-ish': must be offload, native or generic"
	bad obj 1 "obj: \`$tmp/missing.o': No such file or directory"
	bad empty 1 "port: no value"
	bad encoding 1 "encoding: \`triple': encoding must be fixed or double"
}
all_bad
[ "$(show)" = "$s" ] || fail "a bad file changed the binding"
echo "    the binding is as it was"

n0 "$SEGOFF_NL" down u0
expect "bindings after down" 0 "$(show | jq length)"
! n0 ip link show dev u0 | grep -q xdp || fail "u0 still carries XDP"
# Nothing bound is what down wants: again, and for a device that is gone.
n0 "$SEGOFF_NL" down u0
n0 "$SEGOFF_NL" down nosuchdev

# Unbound: a bad file attaches nothing either.
bad key 3 "unknown key \`frobnicate' (*"
bad range 2 "scale: scale must be 1..4096 (exact) or 1..16384 (seed)"
expect "bindings after bad files" 0 "$(show | jq length)"

# The default path, absent in the VM, is named.
err=$(ip netns exec "$ns0" "$SEGOFF_NL" up u0 2>&1) && fail "up without a file succeeded"
expect "error without a file" "Unable to read /etc/segoff/u0.conf: No such file or directory" "$err"

# A device that does not exist: attach's own error, after the file passed.
printf 'mode = native\n' >"$tmp/nodev.conf"
! n0 "$SEGOFF_NL" up nosuchdev config "$tmp/nodev.conf" || false
expect "bindings at the end" 0 "$(show | jq length)"
klog_check
