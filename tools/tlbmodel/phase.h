/*
 * Phases of a TLB-model run: the guest marks a phase's beginning and end
 * (include/flushlab/tlbmodel.h); at the end the plugin prints the model's
 * counters over it, summed and per CPU. Phases may nest or overlap (a
 * program's run holds its own halves); each is matched by name. phase.c.
 */
#ifndef TLBMODEL_PHASE_H
#define TLBMODEL_PHASE_H

#include "tools/tlbmodel/qemu_plugin_api.h"
#include "tools/tlbmodel/tlb_model.h"

/* The counters of vCPU @cpu now, or NULL if it is not modelled. */
typedef const struct tlb_counters *(*phase_counters_fn)(unsigned int cpu);

int phase_init(unsigned int nr_cpus, const char *preset, phase_counters_fn fn);
/* The marker ran on @cpu: @op begin or end of the phase named at guest address @name_va. */
void phase_mark(unsigned int cpu, unsigned int op, uint64_t name_va, struct glib_byte_array *buf);
const char *phase_current(void); /* the innermost open phase's name, or "-" */
void phase_print_total(void);	 /* phase=boot: the whole run, at exit */
/* One `# tlbmodel phase=NAME` line of @n into @out (the host tests read it too). */
int phase_format(char *out, size_t size, const char *name, const char *who,
		 const struct tlb_counters *n, const char *preset);

#endif
