#!/usr/bin/env python3
"""Write an initramfs in Linux's cpio "newc" format (no external cpio needed).

  tools/mkinitramfs.py -o build/initramfs.cpio bin/hello=build/user/hello ...

Each DEST=SRC puts file SRC at /DEST (mode 0755), with its parent
directories; timestamps are 0 so the same inputs give the same bytes. The
format (Linux's Documentation/driver-api/early-userspace/buffer-format.rst):
a 110-byte ASCII header "070701" + 13 eight-digit hex fields, the NUL-ended
name padded to 4 bytes, the data padded to 4 bytes; "TRAILER!!!" ends it.
Also imported by tools/flushlab_qemu.py for `make run BIN=...`.
"""
import argparse
import os
import sys

MAGIC = b"070701"
S_IFDIR, S_IFREG = 0o040000, 0o100000


def _pad4(n):
    return (4 - n % 4) % 4


def entry(ino, name, mode, data=b""):
    """One newc record: header, name, data, each padded to 4 bytes."""
    name_b = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1 if mode & S_IFREG else 2, 0, len(data),
              0, 0, 0, 0, len(name_b), 0]
    head = MAGIC + b"".join(b"%08x" % f for f in fields)
    rec = head + name_b + b"\0" * _pad4(len(head) + len(name_b))
    return rec + data + b"\0" * _pad4(len(data))


def archive(files):
    """files: list of (dest path without leading '/', bytes). Returns the cpio."""
    out, dirs, ino = [], set(), 1
    for dest, data in files:
        parts = dest.strip("/").split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in dirs:
                dirs.add(d)
                out.append(entry(ino, d, S_IFDIR | 0o755))
                ino += 1
        out.append(entry(ino, "/".join(parts), S_IFREG | 0o755, data))
        ino += 1
    out.append(entry(0, "TRAILER!!!", 0))
    return b"".join(out)


def parse_specs(specs):
    """DEST=SRC strings to (dest, bytes); raises ValueError with a clear message."""
    files = []
    for spec in specs:
        dest, sep, src = spec.partition("=")
        if not sep or not dest or not src:
            raise ValueError(f"{spec}: expected DEST=SRC (e.g. bin/hello=build/user/hello)")
        try:
            with open(src, "rb") as f:
                files.append((dest, f.read()))
        except OSError as e:
            raise ValueError(f"{src}: {e.strerror}")
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("files", nargs="*", metavar="DEST=SRC")
    args = ap.parse_args()
    try:
        data = archive(parse_specs(args.files))
    except ValueError as e:
        print(f"mkinitramfs: {e}", file=sys.stderr)
        return 1
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
