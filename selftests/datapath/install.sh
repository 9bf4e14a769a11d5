#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install and make install-dkms lay out what they promise, where the
# FHS, systemd and dkms look for it, and make uninstall takes it back. The
# installed segoff-nl works away from the build tree: it carries its BPF
# object (the skeleton), so nothing it runs depends on the checkout.
# No device, no privilege.
#
#   make install      DESTDIR=$tmp/stage PREFIX=/usr   (a package's layout)
#   make install      PREFIX=$tmp/usr                  (paths that exist, for
#                                                      systemd-analyze verify)
#   make install-dkms DESTDIR=$tmp/stage
#
# usage: install.sh BUILD_DIR; prints TAP.

set -e
O=$(realpath "${1:-build}")
cd "$(dirname "$0")/../.."
source selftests/datapath/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pretty() { echo "[+] $*" >&2; }
mk() { pretty "make $*"; make -s --no-print-directory O="$O" "$@" >&2; }

version=$(sed -n 's/^VERSION[[:space:]]*:= *//p' dist/dist.mk)
stage=$tmp/stage
dkms=$stage/usr/src/segoff-$version

mk install DESTDIR="$stage" PREFIX=/usr
mk install-dkms DESTDIR="$stage"

# has FILE MODE: FILE exists with permission bits MODE
has() { [ -f "$stage$1" ] && [ "$(stat -c %a "$stage$1")" = "$2" ]; }
check "segoff-nl in /usr/sbin, 755" has /usr/sbin/segoff-nl 755
check "man page in /usr/share/man/man8, 644" has /usr/share/man/man8/segoff-nl.8 644
check "BPF object in /usr/lib/segoff, 644" has /usr/lib/segoff/segoff.bpf.o 644
check "systemd unit in /usr/lib/systemd/system, 644" has /usr/lib/systemd/system/segoff@.service 644
check "installed BPF object is the built one" cmp -s "$O/bpf/segoff.bpf.o" \
	"$stage/usr/lib/segoff/segoff.bpf.o"
check "nothing installed outside usr/" test "$(ls "$stage")" = usr
check "installed segoff-nl --version is $version" \
	test "$("$stage/usr/sbin/segoff-nl" --version)" = "segoff-nl v$version"

# Away from the checkout: / as the working directory, the data file copied.
cp data/stock_000001SZ.txt "$tmp/data.txt"
segment_elsewhere() {
	local a b
	a=$(cd / && "$stage/usr/sbin/segoff-nl" -j segment "$tmp/data.txt") &&
		b=$("$O/segoff-nl" -j segment data/stock_000001SZ.txt) &&
		[ "$a" = "$b" ] && [ -n "$a" ]
}
check "installed segoff-nl segments from /" segment_elsewhere

# ... and loads its program with no object file: attach (pinned, as a host
# without segoff.ko does) on a veth of a namespace, in a mount namespace
# with a bpffs of its own, so nothing outlives the check.
attach_elsewhere() {
	local ns=segoff-inst-$$
	unshare -m --propagation private bash -ec '
		ns=$1 nl=$2 pins=$3
		mkdir -p "$pins" && mount -t bpf bpf "$pins"
		trap "ip netns del $ns 2>/dev/null; umount $pins" EXIT
		ip netns add "$ns"
		ip -n "$ns" link add v0 type veth peer name v1
		ip -n "$ns" link set v0 up
		ip -n "$ns" link set v1 up
		cd /
		SEGOFF_BPFFS=$pins ip netns exec "$ns" "$nl" attach dev v0 mode generic
		ip -n "$ns" link show dev v0 | grep -q xdpgeneric
		SEGOFF_BPFFS=$pins ip netns exec "$ns" "$nl" detach dev v0
		! ip -n "$ns" link show dev v0 | grep -q xdp' \
		_ "$ns" "$stage/usr/sbin/segoff-nl" "$tmp/bpffs" >&2
}
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
	check "installed segoff-nl attaches from / with its built-in object" attach_elsewhere
else
	ok "installed segoff-nl attaches # SKIP needs root and unshare"
fi

no_placeholder() { ! grep -q '@[A-Z]*@' "$1"; }
unit=$stage/usr/lib/systemd/system/segoff@.service
check "unit runs /usr/sbin/segoff-nl up %I" \
	grep -qxF 'ExecStart=/usr/sbin/segoff-nl up %I' "$unit"
check "unit runs /usr/sbin/segoff-nl down %I" \
	grep -qxF 'ExecStop=/usr/sbin/segoff-nl down %I' "$unit"
check "unit binds to the device" grep -qxF 'BindsTo=sys-subsystem-net-devices-%i.device' "$unit"
check "unit starts after the device" grep -qxF 'After=sys-subsystem-net-devices-%i.device' "$unit"
check "no placeholder left in the unit" no_placeholder "$unit"

if command -v systemd-analyze >/dev/null; then
	# verify wants ExecStart's binary at its path: install there for real.
	mk install PREFIX="$tmp/usr"
	verify() {
		local out
		out=$(systemd-analyze verify --man=no \
			"$tmp/usr/lib/systemd/system/segoff@eth0.service" 2>&1) || { echo "$out" >&2; return 1; }
		[ -z "$out" ] || { echo "$out" >&2; return 1; }
	}
	check "systemd-analyze verify segoff@eth0.service: no warning" verify
else
	ok "systemd-analyze verify # SKIP systemd-analyze not found"
fi

if command -v groff >/dev/null; then
	man_clean() {
		local out
		out=$(groff -man -Tutf8 -ww -z user/segoff-nl.8 2>&1)
		[ -z "$out" ] || { echo "$out" >&2; return 1; }
	}
	check "man page renders without groff warnings" man_clean
else
	ok "man page renders # SKIP groff not found"
fi

check "DKMS tree in /usr/src/segoff-$version" test -f "$dkms/dkms.conf"
check "dkms.conf names version $version" grep -qx "PACKAGE_VERSION=\"$version\"" "$dkms/dkms.conf"
check "dkms.conf: no placeholder left" no_placeholder "$dkms/dkms.conf"
dkms_sources() {
	local f
	for f in Kbuild kmod/Kbuild kmod/*.c kmod/*.h include/uapi/linux/segoff.h \
		include/segoff/*.h; do
		case $f in *.mod.c) continue ;; esac
		cmp -s "$f" "$dkms/$f" || { echo "missing or differs: $f" >&2; return 1; }
	done
}
check "DKMS tree holds the module's sources" dkms_sources
check "DKMS tree holds no build output" \
	test -z "$(find "$dkms" -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd')"

mk uninstall DESTDIR="$stage" PREFIX=/usr
check "make uninstall leaves no file" test -z "$(find "$stage" -type f)"

tap_end
