#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VM runner's own test: the guest sees the checkout and the build
# directory wherever they are, even under the places where it mounts a
# fresh tmpfs (/tmp, /root, ...), and those places are still tmpfs.
#
#   host                                guest
#   /tmp/segoff-paths.X   (a copy of    /tmp/segoff-paths.X  (9p, bound
#     the checkout, tracked files)        back over the guest's /tmp)
#   /root/segoff-paths.Y  (O=, the      /root/segoff-paths.Y (likewise)
#     copy's build directory)           /tmp, /root: tmpfs, writable
#
# Usage: paths.sh BUILD_DIR. BUILD_DIR's VM pieces (initramfs, netdevsim)
# are copied into the new build directory, so only what is out of date
# gets built. Exit 4 (skip) where the VM cannot run.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 1; }
O=$(cd "$1" && pwd -P)
repo=$(cd "$(dirname "$0")/../.." && pwd -P)
command -v git >/dev/null && git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 ||
	{ echo "SKIP: $repo is not a git checkout (the copy takes its tracked files)"; exit 4; }

src=$(mktemp -d /tmp/segoff-paths.XXXXXX)
out=$(mktemp -d /root/segoff-paths.XXXXXX 2>/dev/null || mktemp -d /tmp/segoff-out.XXXXXX)
trap 'rm -rf "$src" "$out"' EXIT

# The working tree's tracked files, mtimes kept, so that make sees the
# copied build pieces as up to date against them.
(cd "$repo" && git ls-files -z | cpio -0 -pdm --quiet "$src")
if [ -d "$O/vm" ]; then
	mkdir -p "$out/vm"
	cp -p "$O"/vm/initramfs.cpio.gz "$O"/vm/netdevsim.ko "$out/vm/" 2>/dev/null || true
	for k in "$O"/linux-source-*; do
		[ ! -d "$k" ] || cp -pR "$k" "$out/"
	done
fi

token=$RANDOM$RANDOM
echo "checkout-$token" >"$src/paths.token"
echo "build-$token" >"$out/paths.token"
# The guest prints both files and the filesystem types of /tmp and /root;
# the expected line is not in the command itself, so an echo of it would
# not pass.
set +e
output=$(SEGOFF_KMOD=0 "$src/selftests/vm/run.sh" "$out" \
	"echo \"paths: \$(cat $src/paths.token) \$(cat $out/paths.token)" \
	"\$(stat -f -c %T /tmp) \$(stat -f -c %T /root)\"; touch /tmp/w /root/w" 2>&1)
rc=$?
set -e
[ $rc -ne 4 ] || { echo "$output" | tail -n 3; exit 4; }
if [ $rc -ne 0 ] || ! grep -qx "paths: checkout-$token build-$token tmpfs tmpfs" <<<"$output"; then
	echo "$output" | tail -n 30
	echo "FAIL: the guest did not see $src and $out (run.sh exit $rc)"
	exit 1
fi
echo "ok: the guest saw $src and $out, over tmpfs /tmp and /root"
