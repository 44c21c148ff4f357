#!/bin/sh
# Build will-it-scale's nine TLB-relevant tests, unchanged, as static
# binaries for flushlab (and for Linux: the same files run on both).
#
#   tools/wis/build.sh WIS_DIR [OUT_DIR]
#
# WIS_DIR is your own checkout of https://github.com/antonblanchard/will-it-scale
# (flushlab never commits or fetches its code; docs/will-it-scale.md names the
# commit we measured). OUT_DIR (default build/wis) gets glibc/ and musl/, each
# with TEST_threads and TEST_processes, and COMMIT with the checkout's commit.
#
# glibc: Debian's libhwloc-dev static library, fetched with `apt-get download`
#   into build/wis/hwloc/ (nothing installed), plus tools/wis/udev_noop.c:
#   Debian ships no libudev.a, and hwloc's five udev calls are never reached
#   on a CPU-only topology.
# musl:  Debian's musl-gcc, with tools/wis/hwloc-compat/hwloc.h standing in
#   for hwloc (its header says what differs).
set -eu
[ $# -ge 1 ] || { echo "usage: $0 WIS_DIR [OUT_DIR]" >&2; exit 2; }
WIS=$(cd "$1" && pwd)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${2:-$TOP/build/wis}
[ -f "$WIS/main.c" ] && [ -d "$WIS/tests" ] || { echo "$WIS: not a will-it-scale checkout" >&2; exit 2; }
TESTS=${WIS_TESTS:-"tlb_flush1 tlb_flush2 tlb_flush3 page_fault1 page_fault2 page_fault3 mmap1 mmap2 malloc1"}
mkdir -p "$OUT/glibc" "$OUT/musl"
git -C "$WIS" rev-parse HEAD >"$OUT/COMMIT" 2>/dev/null || echo unknown >"$OUT/COMMIT"

HW=$TOP/build/wis/hwloc
if [ ! -f "$HW/usr/lib/x86_64-linux-gnu/libhwloc.a" ]; then
	mkdir -p "$HW"
	(cd "$HW" && apt-get download -q libhwloc-dev >/dev/null 2>&1) ||
		{ echo "wis: apt-get download libhwloc-dev failed (no Debian mirror?)" >&2; exit 1; }
	dpkg -x "$HW"/libhwloc-dev_*.deb "$HW"
fi
HWINC="-I$HW/usr/include -I$HW/usr/include/x86_64-linux-gnu"
HWLIB="$HW/usr/lib/x86_64-linux-gnu/libhwloc.a"

for t in $TESTS; do
	src=$WIS/tests/$t.c
	[ -f "$src" ] || { echo "wis: no $src" >&2; exit 1; }
	# shellcheck disable=SC2086
	gcc -O2 -static $HWINC "$WIS/main.c" "$src" "$TOP/tools/wis/udev_noop.c" "$HWLIB" -lm \
		-o "$OUT/glibc/${t}_processes"
	# shellcheck disable=SC2086
	gcc -O2 -static -DTHREADS -pthread $HWINC "$WIS/main.c" "$src" \
		"$TOP/tools/wis/udev_noop.c" "$HWLIB" -lm -o "$OUT/glibc/${t}_threads"
	if command -v musl-gcc >/dev/null 2>&1; then
		musl-gcc -O2 -static -I"$TOP/tools/wis/hwloc-compat" "$WIS/main.c" "$src" \
			-o "$OUT/musl/${t}_processes"
		musl-gcc -O2 -static -DTHREADS -pthread -I"$TOP/tools/wis/hwloc-compat" \
			"$WIS/main.c" "$src" -o "$OUT/musl/${t}_threads"
	fi
done
echo "wis: built $(echo $TESTS | wc -w) tests x {threads,processes} x {glibc,musl} into $OUT (commit $(cat "$OUT/COMMIT"))"
