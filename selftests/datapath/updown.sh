#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# segoff-nl up/down where segoff.ko is not loaded, as on a host under
# Secure Boot lockdown: up pins the binding (attach's fallback) with
# exactly the file's parameters, a malformed file pins nothing, down
# leaves no pin and no program. (selftests/updown.sh checks the same
# against segoff.ko in the VM.)
#
#   +-- $ns (and a mount namespace with its own bpffs) --+
#   |  v0 ======== v1      up v0 config $tmp/v0.conf      |
#   +------------------------------------------------------+
#
# usage: updown.sh BUILD_DIR; prints TAP. Needs root.

set -e
O=$(realpath "${1:-build}")
self=$(realpath "$0")
cd "$(dirname "$0")/../.."
source selftests/datapath/tap.sh

if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP needs root (network and mount namespaces, XDP)"
	exit 4
fi
if [ -z "$SEGOFF_UPDOWN_MNTNS" ]; then
	SEGOFF_UPDOWN_MNTNS=1 exec unshare -m --propagation private "$self" "$O"
fi
if [ -d /sys/module/segoff ]; then
	echo "1..0 # SKIP segoff.ko is loaded: this is the test without it"
	exit 4
fi

NL=$O/segoff-nl
ns=segoff-updown-$$
tmp=$(mktemp -d)
export SEGOFF_BPFFS=$tmp/bpffs
cleanup() {
	set +e
	ip netns del "$ns" 2>/dev/null
	umount "$SEGOFF_BPFFS" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
pretty() { echo "[+] $*" >&2; }
nl() { pretty "segoff-nl $*"; ip netns exec "$ns" "$NL" "$@"; }

mkdir "$SEGOFF_BPFFS"
mount -t bpf bpf "$SEGOFF_BPFFS"
ip netns add "$ns"
ip -n "$ns" link add v0 type veth peer name v1
ip -n "$ns" link set v0 up
ip -n "$ns" link set v1 up
pins() { find "$SEGOFF_BPFFS/segoff" -mindepth 1 2>/dev/null | wc -l; }

printf 'mode = generic\neps = 0.05\nscale = 100\nencoding = double\nport = 7777\narith = seed\n' \
	>"$tmp/v0.conf"
printf 'mode = generic\neps = 0.05\nfrobnicate = 1\n' >"$tmp/bad.conf"

bad_up() {
	local err
	pretty "segoff-nl up v0 config $tmp/bad.conf"
	err=$(ip netns exec "$ns" "$NL" up v0 config "$tmp/bad.conf" 2>&1) && return 1
	echo "$err" >&2
	[[ $err == "$tmp/bad.conf:3: unknown key \`frobnicate' ("* ]]
}
check "a malformed file fails with file:line" bad_up
check "... and pins nothing" test "$(pins)" -eq 0
check "... and attaches nothing" bash -c "! ip -n $ns link show dev v0 | grep -q xdp"

up_v0() { nl up v0 config "$tmp/v0.conf" >&2 2>&1; }
check "up v0 config v0.conf" up_v0
show=$(nl -j show dev v0)
echo "$show" >&2
got=$(jq -r '.[0] | [.kind, .mode, .params.eps, .params.scale, .params.encoding,
	.params.port, .params.arith] | join(" ")' <<<"$show")
check "a pinned binding with exactly the file's parameters" \
	test "$got" = "pinned generic 0.05 100 double 7777 seed"
check "v0 carries generic XDP" bash -c "ip -n $ns link show dev v0 | grep -q xdpgeneric"
check "a malformed file leaves the binding as it was" bad_up
check "... parameters unchanged" test "$(nl -j show dev v0)" = "$show"

check "down v0" nl down v0
check "no pin left" test "$(pins)" -eq 0
check "no program left" bash -c "! ip -n $ns link show dev v0 | grep -q xdp"
check "down again: nothing to do, success" nl down v0

tap_end
