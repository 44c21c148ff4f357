/*
 * tlbmodel-presets: the TLB model's presets (presets.c) for people and for
 * the host tools. No argument: a table (`make run TLBMODEL=list`).
 * `--keys`: one `preset name=... key=value` line each (tools/tlbmodel_report.py
 * reads the costs from it). `--check NAME`: exit 0 if NAME is a preset.
 */
#include "tools/tlbmodel/tlb_model.h"

#include <stdio.h>
#include <string.h>

static void geom(char *out, size_t size, const struct tlb_geom *g)
{
	static const char *const names[] = {"4K", "2M", "1G"};
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; i < TLB_MAX_STRUCTS && g[i].entries; i++) {
		n += (size_t)snprintf(out + n, size - n, "%s%u/%uw:", i ? "," : "", g[i].entries,
				      g[i].ways);
		for (int s = 0; s < TLB_NR_SIZES; s++)
			if (g[i].sizes & TLB_SIZE_BIT(s))
				n += (size_t)snprintf(out + n, size - n, "%s", names[s]);
		if (n >= size)
			break;
	}
	if (!out[0])
		snprintf(out, size, "none");
}

static void print_one(const struct tlb_preset *p, bool keys)
{
	char d[96], i[96], s[96];

	geom(d, sizeof(d), p->l1d);
	geom(i, sizeof(i), p->l1i);
	geom(s, sizeof(s), p->stlb);
	if (keys) {
		printf("preset name=%s l1d=%s l1i=%s stlb=%s psc=%u,%u,%u walk_ns=%.1f "
		       "invlpg_ns=%.1f full_flush_ns=%.1f ipi_ns=%.1f ghz=%.2f\n",
		       p->name, d, i, s, p->psc[0], p->psc[1], p->psc[2], p->walk_ns, p->invlpg_ns,
		       p->full_flush_ns, p->ipi_ns, p->ghz);
		return;
	}
	printf("%s%s: %s\n  L1 dTLB %s; L1 iTLB %s; STLB %s; PSC PML4E/PDPTE/PDE %u/%u/%u\n"
	       "  costs (ns): walk %.1f, INVLPG %.1f, full flush %.1f, remote shootdown %.1f\n"
	       "  sources: %s\n",
	       p->name, p == &tlb_presets[0] ? " (default, TLBMODEL=1)" : "", p->core, d, i, s,
	       p->psc[0], p->psc[1], p->psc[2], p->walk_ns, p->invlpg_ns, p->full_flush_ns,
	       p->ipi_ns, p->sources);
}

int main(int argc, char **argv)
{
	bool keys = argc > 1 && !strcmp(argv[1], "--keys");

	if (argc == 3 && !strcmp(argv[1], "--check"))
		return tlb_preset_find(argv[2]) ? 0 : 1;
	for (int i = 0; i < tlb_nr_presets; i++)
		print_one(&tlb_presets[i], keys);
	return 0;
}
