#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds the debug kernel of `make check-debug` from Debian's linux-source
# tarball: x86_64_defconfig, then selftests/vm/debug.config applied with
# scripts/config and olddefconfig, then bzImage and modules (which leaves
# what an out-of-tree module build needs). The tree is cached outside the
# checkout, keyed by the tarball and the fragment, so a second run, or a
# second checkout, reuses it; a changed fragment builds a new tree.
#
#   selftests/vm/mkkernel.sh CACHE_DIR SOURCE_TARBALL
#
# Prints the kernel tree's path (bzImage in arch/x86/boot/) on stdout;
# the build's own output goes to CACHE_DIR/KEY.log. JOBS sets make -j
# (default: nproc), under nice. Needs bison flex bc libssl-dev libelf-dev.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 CACHE_DIR SOURCE_TARBALL" >&2; exit 1; }
cache=$1 tarball=$2
here=$(dirname "$(readlink -f "$0")")
fragment=$here/debug.config
jobs=${JOBS:-$(nproc)}

die() { echo "mkkernel: $*" >&2; exit 1; }
[ -r "$tarball" ] || die "no kernel source $tarball (apt-get install linux-source-6.1)"
for t in bison flex bc; do
	command -v $t >/dev/null || die "$t missing (apt-get install bison flex bc libssl-dev libelf-dev)"
done

# What decides the tree's content: the source, the fragment and the
# recipe below (bump it when the recipe changes what gets built).
recipe=1
key=$( (basename "$tarball"; stat -c %s "$tarball"; cat "$fragment"; echo "recipe $recipe") |
	sha256sum | cut -c1-12)
base=$(basename "$tarball" .tar.xz)
tree=$cache/$base-debug-$key
mkdir -p "$cache"
exec 9>"$tree.lock"
# One build per key at a time; a second caller waits and then reuses it.
flock 9
if [ -f "$tree/.segoff-built" ]; then
	echo "$tree"
	exit 0
fi

log=$tree.log
echo "mkkernel: building the debug kernel in $tree (log: $log)" >&2
start=$(date +%s)
{
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -C "$tree.tmp" --strip-components=1 -xf "$tarball"
	mv "$tree.tmp" "$tree"
	cd "$tree"
	make -s x86_64_defconfig
	# The fragment's lines become scripts/config arguments.
	args=()
	while IFS= read -r line; do
		case $line in
		"# CONFIG_"*" is not set")
			opt=${line#\# CONFIG_}
			args+=(--disable "${opt%% is not set}") ;;
		CONFIG_*=y) opt=${line#CONFIG_}; args+=(--enable "${opt%%=*}") ;;
		CONFIG_*=m) opt=${line#CONFIG_}; args+=(--module "${opt%%=*}") ;;
		CONFIG_*=\"*\")
			opt=${line#CONFIG_} val=${line#*=\"}
			args+=(--set-str "${opt%%=*}" "${val%\"}") ;;
		CONFIG_*=*) opt=${line#CONFIG_}; args+=(--set-val "${opt%%=*}" "${line#*=}") ;;
		esac
	done <"$fragment"
	scripts/config "${args[@]}"
	make -s olddefconfig
	# olddefconfig drops what a dependency forbids: say so, not silently.
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) grep -qxF "$line" .config || echo "mkkernel: not in .config: $line" ;;
		esac
	done <"$fragment"
	nice make -j"$jobs" bzImage modules
} >"$log" 2>&1 || die "kernel build failed: see $log"
touch "$tree/.segoff-built"
echo "mkkernel: built in $(($(date +%s) - start)) s" >&2
echo "$tree"
