#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The DKMS tree that `make install-dkms` lays out builds segoff.ko with
# dkms itself against Debian's kernel headers (KVER: the newest -amd64
# in /lib/modules, the VM's kernel), as a kernel upgrade would. dkms
# works in temporary source and dkms trees, signs with a throwaway key
# there, and installs nothing. Skips without dkms or the headers.
#
#   make install-dkms DESTDIR=$tmp/stage
#   dkms add/build --sourcetree $tmp/stage/usr/src --dkmstree $tmp/dkms -k KVER
#
# usage: dkms.sh BUILD_DIR; prints TAP.

set -e
O=$(realpath "${1:-build}")
cd "$(dirname "$0")/../.."
source selftests/datapath/tap.sh
KVER=${KVER:-$(ls /lib/modules 2>/dev/null | grep -- '-amd64$' | sort -V | tail -n 1)}

skip() {
	echo "1..0 # SKIP $*"
	exit 4
}
command -v dkms >/dev/null || skip "dkms not found (apt-get install dkms)"
[ -n "$KVER" ] && [ -f "/lib/modules/$KVER/build/Makefile" ] ||
	skip "no kernel headers for an -amd64 kernel (apt-get install linux-headers-amd64)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pretty() { echo "[+] $*" >&2; }
version=$(sed -n 's/^VERSION[[:space:]]*:= *//p' dist/dist.mk)
src=$tmp/stage/usr/src
tree=(-m segoff -v "$version" --sourcetree "$src" --dkmstree "$tmp/dkms")
# dkms would otherwise create its signing key in /var/lib/dkms.
export mok_signing_key=$tmp/mok.key mok_certificate=$tmp/mok.pub

pretty "make install-dkms DESTDIR=$tmp/stage"
make -s --no-print-directory O="$O" install-dkms DESTDIR="$tmp/stage" >&2
mkdir "$tmp/dkms"

run() { pretty "$*"; "$@" >&2; }
check "dkms add segoff/$version" run dkms add "${tree[@]}"
build() {
	run dkms build "${tree[@]}" -k "$KVER" && return 0
	cat "$tmp/dkms/segoff/$version/build/make.log" >&2 2>/dev/null
	return 1
}
check "dkms build segoff/$version -k $KVER" build
ko=$tmp/dkms/segoff/$version/$KVER/$(uname -m)/module/segoff.ko
check "segoff.ko built for $KVER" bash -c "modinfo -F vermagic '$ko' | grep -q '^$KVER '"
check "segoff.ko answers to its genl family alias" \
	bash -c "modinfo -F alias '$ko' | grep -qx 'net-pf-16-proto-16-family-segoff'"
run dkms status "${tree[@]}" || true

tap_end
