/* Boot steps kmain calls that span subsystems (memory, console). */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

struct boot_info;

extern const struct boot_info *boot_info;

/* Account memory from the UEFI map, then drop the loader's identity map. */
void boot_memory_init(const struct boot_info *bi);
/* Register the pseudo-files of every subsystem. */
void boot_console_init(const struct boot_info *bi);
/* Blocking read of one console byte. */
int boot_console_getc(void);

#endif
