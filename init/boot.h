/* The console's boot-time steps, between init/main.c and init/boot_console.c. */
#ifndef INIT_BOOT_H
#define INIT_BOOT_H

struct boot_info;

/* Register the pseudo-files of every subsystem. */
void boot_console_init(const struct boot_info *bi);
/* Blocking read of one console byte. */
int boot_console_getc(void);

#endif
