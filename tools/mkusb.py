#!/usr/bin/env python3
"""Write a disk image for a USB stick: GPT, one EFI system partition.

  tools/mkusb.py build/esp.img build/usb.img [SCRIPT]

The partition is build/esp.img itself (the FAT volume QEMU boots), placed at
1 MiB, so a real machine's UEFI firmware finds \\EFI\\BOOT\\BOOTX64.EFI on it
exactly as OVMF does. GPT is written here (protective MBR, primary and backup
headers and entry arrays, CRC32s) so no partitioning tool is needed. SCRIPT,
if given, is copied to \\flushlab\\script: the stick then runs it at boot.
"""
import hashlib
import os
import struct
import subprocess
import sys
import uuid
import zlib

SECTOR = 512
ALIGN = 1 << 20                      # partition start and disk tail: 1 MiB
ENTRIES, ENTRY_SIZE = 128, 128       # the usual array: 32 sectors
ESP_TYPE = uuid.UUID("c12a7328-f81f-11d2-ba4b-00a0c93ec93b")


def protective_mbr(total_sectors):
    """LBA 0: one partition of type 0xEE covering the disk, so old tools keep off."""
    mbr = bytearray(SECTOR)
    size = min(total_sectors - 1, 0xFFFFFFFF)
    mbr[446:462] = struct.pack("<B3sB3sII", 0, b"\x00\x02\x00", 0xEE, b"\xff\xff\xff", 1, size)
    mbr[510:512] = b"\x55\xaa"
    return bytes(mbr)


def entry_array(first_lba, last_lba, part_guid):
    name = "EFI System Partition".encode("utf-16-le")
    entry = struct.pack("<16s16sQQQ72s", ESP_TYPE.bytes_le, part_guid.bytes_le,
                        first_lba, last_lba, 0, name)
    return entry + bytes(ENTRY_SIZE * (ENTRIES - 1))


def gpt_header(my_lba, other_lba, entries_lba, total_sectors, disk_guid, entries_crc):
    """A 92-byte GPT header, CRC filled in, padded to a sector."""
    table_sectors = ENTRIES * ENTRY_SIZE // SECTOR
    fields = [b"EFI PART", 0x00010000, 92, 0, 0, my_lba, other_lba,
              2 + table_sectors, total_sectors - 2 - table_sectors,
              disk_guid.bytes_le, entries_lba, ENTRIES, ENTRY_SIZE, entries_crc]
    fmt = "<8sIIIIQQQQ16sQIII"
    crc = zlib.crc32(struct.pack(fmt, *fields))
    fields[3] = crc
    return struct.pack(fmt, *fields).ljust(SECTOR, b"\0")


def write_image(esp_path, out_path):
    with open(esp_path, "rb") as f:
        esp = f.read()
    if len(esp) % SECTOR:
        raise SystemExit(f"mkusb: {esp_path}: size is not a multiple of {SECTOR}")
    # GUIDs derived from the contents: the same build gives the same image.
    digest = hashlib.sha256(esp).digest()
    disk_guid, part_guid = uuid.UUID(bytes=digest[:16]), uuid.UUID(bytes=digest[16:])
    total = (ALIGN + len(esp) + ALIGN) // SECTOR
    first = ALIGN // SECTOR
    last = first + len(esp) // SECTOR - 1
    table = entry_array(first, last, part_guid)
    table_crc = zlib.crc32(table)
    table_sectors = len(table) // SECTOR
    backup_table_lba = total - 1 - table_sectors
    tmp = out_path + ".tmp"
    with open(tmp, "wb") as f:
        f.truncate(total * SECTOR)
        f.write(protective_mbr(total))
        f.write(gpt_header(1, total - 1, 2, total, disk_guid, table_crc))
        f.write(table)
        f.seek(ALIGN)
        f.write(esp)
        f.seek(backup_table_lba * SECTOR)
        f.write(table)
        f.write(gpt_header(total - 1, 1, backup_table_lba, total, disk_guid, table_crc))
    os.replace(tmp, out_path)


def main():
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__.strip().splitlines()[2].strip())
    esp_path, out_path = sys.argv[1], sys.argv[2]
    write_image(esp_path, out_path)
    if len(sys.argv) == 4:
        subprocess.run(["mcopy", "-o", "-i", f"{out_path}@@{ALIGN}", sys.argv[3],
                        "::/flushlab/script"], check=True)
    print(f"mkusb: {out_path}: GPT disk, EFI system partition at 1 MiB "
          f"({os.path.getsize(esp_path) >> 20} MiB FAT)")


if __name__ == "__main__":
    main()
