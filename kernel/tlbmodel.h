/*
 * Phase marks for the TLB-model QEMU plugin (tools/tlbmodel/): the plugin
 * prints its modelled TLB counters over each phase. Free when the kernel was
 * not booted with `tlbmodel` on its command line (one test of a flag).
 */
#ifndef KERNEL_TLBMODEL_H
#define KERNEL_TLBMODEL_H

#include "flushlab/boot_info.h"

void tlbmodel_init(const struct boot_info *bi); /* reads the command line; the pseudo-file */
/* A phase named @name (a word, up to 63 characters) begins / ends; phases may nest. */
void tlbmodel_phase_begin(const char *name);
void tlbmodel_phase_end(const char *name);

#endif
