#!/bin/sh
# Build the EFI system partition image: a 16 MiB FAT volume holding
#   \EFI\BOOT\BOOTX64.EFI   the loader, found by any UEFI firmware
#   \flushlab\kernel.elf    the kernel
#   \flushlab\initrd        the initramfs (cpio newc: /bin/*), if given
# The same files copied to a FAT-formatted USB stick boot a real machine;
# a script goes in \flushlab\script (tools/qemu-boot adds it per boot).
set -eu
img=$1 efi=$2 kernel=$3 initrd=${4:-}
tmp=$img.tmp
rm -f "$tmp"
truncate -s 16M "$tmp"
mformat -i "$tmp" -T 32768 -h 2 -s 32 -v FLUSHLAB ::
mmd -i "$tmp" ::/EFI ::/EFI/BOOT ::/flushlab
mcopy -i "$tmp" "$efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$tmp" "$kernel" ::/flushlab/kernel.elf
[ -z "$initrd" ] || mcopy -i "$tmp" "$initrd" ::/flushlab/initrd
mv "$tmp" "$img"
