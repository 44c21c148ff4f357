#!/bin/sh
# Check for the Debian packages flushlab needs; install what is missing when
# run as root, otherwise print the exact command. Then fetch QEMU 10 (below).
#
# QEMU: flushlab runs on Debian bookworm-backports' QEMU 10.0 (the first
# Debian QEMU whose TCG has x2APIC), unpacked into build/qemu/ rather than
# installed: the system's own QEMU (bookworm's 7.2, if any) stays as it is,
# no sources.list changes, no root needed, and CI does exactly the same.
# `apt-get download` with a private apt configuration (its own sources
# list, lists and cache under build/apt/) fetches the three packages
# qemu-system-x86, -common and -data; `dpkg -x` unpacks them. The binary
# uses the system's shared libraries, all in bookworm: any that is missing
# is installed by its package name like every other dependency.
# QEMU=/path/to/qemu-system-x86_64 in the environment skips all of this.
set -eu
cd "$(dirname "$0")/.."
need=""
have() { command -v "$1" >/dev/null 2>&1; }
[ -f /usr/share/OVMF/OVMF_CODE.fd ] || need="$need ovmf"
[ -f /usr/lib/crt0-efi-x86_64.o ] || need="$need gnu-efi"
[ -d /usr/share/seabios ] || need="$need seabios" # QEMU's VGA option ROM
have nasm || need="$need nasm"
have mformat || need="$need mtools"
have python3 || need="$need python3"
have gcc || need="$need gcc"
have make || need="$need make"
have apt-get || need="$need apt"
have gnuplot || need="$need gnuplot-nox"
have musl-gcc || need="$need musl-tools" # make test: a musl-built program on flushlab
have clang-format || need="$need clang-format" # make test: the tree is formatted

install() {
	if [ "$(id -u)" -eq 0 ]; then
		echo "deps: installing:$1"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $1 >/dev/null
	else
		echo "deps: missing Debian packages:$1"
		echo "deps: run:  sudo apt-get install -y$1"
		exit 1
	fi
}
[ -z "$need" ] || install "$need"
[ -n "${QEMU:-}" ] && exit 0

# ---- QEMU 10 into build/qemu/ ----
QDIR=build/qemu
QBIN=$QDIR/usr/bin/qemu-system-x86_64
QPKGS="qemu-system-x86 qemu-system-common qemu-system-data"
if [ ! -x "$QBIN" ]; then
	APT=build/apt
	mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/debs"
	echo "deb http://deb.debian.org/debian bookworm-backports main" >"$APT/sources.list"
	set -- -q -o Dir::Etc::SourceList="$PWD/$APT/sources.list" \
		-o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists="$PWD/$APT/lists" \
		-o Dir::Cache="$PWD/$APT/cache" -o APT::Sandbox::User="$(id -un)"
	echo "deps: fetching QEMU 10 from bookworm-backports into $QDIR (the system's QEMU is left alone)"
	apt-get "$@" update >"$APT/update.log" 2>&1 ||
		{ cat "$APT/update.log"; echo "deps: apt-get update (private lists) failed"; exit 1; }
	rm -f "$APT"/debs/*.deb
	# shellcheck disable=SC2046
	(cd "$APT/debs" && apt-get "$@" download $(for p in $QPKGS; do echo "$p/bookworm-backports"; done)) \
		>"$APT/download.log" 2>&1 ||
		{ cat "$APT/download.log"; echo "deps: apt-get download failed"; exit 1; }
	rm -rf "$QDIR.new"
	for deb in "$APT"/debs/*.deb; do dpkg -x "$deb" "$QDIR.new"; done
	rm -rf "$QDIR"
	mv "$QDIR.new" "$QDIR"
fi

# The libraries it links against: Depends of qemu-system-x86 and -common
# that ldd reports missing are installed by name.
if ldd "$QBIN" | grep -q "not found"; then
	libs=""
	for deb in build/apt/debs/qemu-system-x86_*.deb build/apt/debs/qemu-system-common_*.deb; do
		for p in $(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -n 's/^ *\(lib[^ ]*\).*/\1/p'); do
			dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
				libs="$libs $p"
		done
	done
	install "$libs"
fi
"$QBIN" --version >/dev/null || { echo "deps: $QBIN does not run"; exit 1; }
