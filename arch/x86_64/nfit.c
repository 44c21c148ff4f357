/*
 * The NFIT walk: a 36-byte ACPI header, 4 reserved bytes, then structures
 * that each start with a 2-byte type and a 2-byte length. Type 0, the SPA
 * Range Structure (56 bytes), carries a GUID for the range's kind; the
 * persistent-memory one is 66F0D379-B4F3-4074-AC43-0D3318B78CDB. The table
 * comes from firmware, so nothing is read before its bounds are checked.
 */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/nfit.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"

#define NFIT_HEADER_LEN 40 /* ACPI header (36) + reserved (4) */
#define NFIT_TYPE_SPA 0
#define NFIT_SPA_LEN 56
#define SPA_OFF_INDEX 4
#define SPA_OFF_GUID 16
#define SPA_OFF_BASE 32
#define SPA_OFF_LENGTH 40

/* The GUID in its in-table byte order (first three fields little-endian). */
static const uint8_t pmem_guid[16] = {0x79, 0xd3, 0xf0, 0x66, 0xf3, 0xb4, 0x74, 0x40,
				      0xac, 0x43, 0x0d, 0x33, 0x18, 0xb7, 0x8c, 0xdb};

static bool ranges_overlap(const struct nfit_spa *a, const struct nfit_spa *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

/* Check and record one SPA range structure (its length already checked). */
static int nfit_spa(const uint8_t *e, struct nfit_info *out, char *why, size_t why_len)
{
	struct nfit_spa spa;

	if (memcmp(e + SPA_OFF_GUID, pmem_guid, 16) != 0) {
		out->nr_other_spa++;
		return 0;
	}
	memcpy(&spa.range_index, e + SPA_OFF_INDEX, 2);
	memcpy(&spa.base, e + SPA_OFF_BASE, 8);
	memcpy(&spa.size, e + SPA_OFF_LENGTH, 8);
	if (!spa.size || (spa.base | spa.size) & 0xfffULL || spa.base + spa.size < spa.base) {
		snprintf(why, why_len, "pmem range %u [%#lx +%#lx) is empty, unaligned or wraps",
			 spa.range_index, spa.base, spa.size);
		return -EINVAL;
	}
	for (int i = 0; i < out->nr_pmem; i++)
		if (ranges_overlap(&spa, &out->spa[i])) {
			snprintf(why, why_len, "pmem ranges %u and %u overlap",
				 out->spa[i].range_index, spa.range_index);
			return -EINVAL;
		}
	if (out->nr_pmem == NFIT_MAX_SPA) {
		snprintf(why, why_len, "more than %d pmem ranges", NFIT_MAX_SPA);
		return -EINVAL;
	}
	out->spa[out->nr_pmem++] = spa;
	return 0;
}

int nfit_parse(const void *table, size_t len, struct nfit_info *out, char *why, size_t why_len)
{
	const uint8_t *t = table;
	uint32_t hdr_len;

	memset(out, 0, sizeof(*out));
	if (len < NFIT_HEADER_LEN || memcmp(t, "NFIT", 4) != 0) {
		snprintf(why, why_len, "not an NFIT, or shorter than its %d-byte header",
			 NFIT_HEADER_LEN);
		return -EINVAL;
	}
	memcpy(&hdr_len, t + 4, 4);
	if (hdr_len != len) {
		snprintf(why, why_len, "header says %u bytes, table has %zu", hdr_len, len);
		return -EINVAL;
	}
	for (size_t off = NFIT_HEADER_LEN; off < len;) {
		uint16_t type, slen;
		int ret;

		if (len - off < 4) {
			snprintf(why, why_len, "truncated structure at offset %zu", off);
			return -EINVAL;
		}
		memcpy(&type, t + off, 2);
		memcpy(&slen, t + off + 2, 2);
		if (slen < 4 || slen > len - off ||
		    (type == NFIT_TYPE_SPA && slen < NFIT_SPA_LEN)) {
			snprintf(why, why_len, "structure type %u at offset %zu has bad length %u",
				 type, off, slen);
			return -EINVAL;
		}
		if (type == NFIT_TYPE_SPA) {
			ret = nfit_spa(t + off, out, why, why_len);
			if (ret)
				return ret;
		} else {
			out->nr_other++;
		}
		off += slen;
	}
	return 0;
}

int nfit_init(uint64_t rsdp_phys, struct nfit_info *info)
{
	const uint8_t *t = acpi_find_table(rsdp_phys, "NFIT");
	char why[128];
	uint32_t len;

	if (!t)
		return -ENOENT; /* no NVDIMM: the usual case */
	memcpy(&len, t + 4, 4);
	if (nfit_parse(t, len, info, why, sizeof(why))) {
		printk("nfit: table refused: %s\n", why);
		return -EINVAL;
	}
	printk("nfit: %d pmem range%s, %d other SPA ranges, %d other structures\n", info->nr_pmem,
	       info->nr_pmem == 1 ? "" : "s", info->nr_other_spa, info->nr_other);
	for (int i = 0; i < info->nr_pmem; i++)
		printk("nfit: pmem range %u: [%#lx-%#lx] %lu MiB\n", info->spa[i].range_index,
		       info->spa[i].base, info->spa[i].base + info->spa[i].size - 1,
		       info->spa[i].size >> 20);
	return 0;
}
