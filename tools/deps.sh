#!/bin/sh
# Check for the Debian packages flushlab needs; install what is missing when
# run as root, otherwise print the exact command. Nothing else is downloaded.
set -eu
need=""
have() { command -v "$1" >/dev/null 2>&1; }
have qemu-system-x86_64 || need="$need qemu-system-x86"
[ -f /usr/share/OVMF/OVMF_CODE.fd ] || need="$need ovmf"
[ -f /usr/lib/crt0-efi-x86_64.o ] || need="$need gnu-efi"
have nasm || need="$need nasm"
have mformat || need="$need mtools"
have python3 || need="$need python3"
have gcc || need="$need gcc"
have make || need="$need make"
have gnuplot || need="$need gnuplot-nox"
have musl-gcc || need="$need musl-tools" # make test: a musl-built program on flushlab
have clang-format || need="$need clang-format" # make test: the tree is formatted
[ -z "$need" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing:$need"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $need >/dev/null
else
	echo "deps: missing Debian packages:$need"
	echo "deps: run:  sudo apt-get install -y$need"
	exit 1
fi
