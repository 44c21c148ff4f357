/*
 * The MADT walk: RSDP (checksummed, ACPI 1.0 or 2.0+) -> XSDT, or the RSDT
 * when the firmware only has ACPI 1.0 -> the "APIC" table -> its Processor
 * Local APIC (type 0), Local x2APIC (type 9) and LAPIC Address Override
 * (type 5) entries. Field layouts: ACPI 6.5 sections 5.2.5 to 5.2.12.
 */
#include "arch/x86_64/acpi.h"
#include "flushlab/boot_info.h"
#include "kernel/boot.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"

struct __attribute__((packed)) acpi_rsdp {
	char signature[8]; /* "RSD PTR " */
	uint8_t checksum; /* first 20 bytes */
	char oem_id[6];
	uint8_t revision; /* 0: ACPI 1.0 (RSDT only); 2: 2.0+ */
	uint32_t rsdt_address;
	uint32_t length; /* 2.0+ from here on */
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
};

struct __attribute__((packed)) acpi_sdt_header {
	char signature[4];
	uint32_t length; /* whole table, header included */
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
};

struct __attribute__((packed)) acpi_madt {
	struct acpi_sdt_header header;
	uint32_t lapic_address; /* 32-bit LAPIC MMIO address */
	uint32_t flags; /* bit 0: PC-AT dual 8259 present */
	/* variable-length entries follow: type, length, body */
};

#define MADT_TYPE_LAPIC 0
#define MADT_TYPE_LAPIC_OVERRIDE 5
#define MADT_TYPE_X2APIC 9

struct acpi_madt_info acpi_madt;

static const void *acpi_map(uint64_t phys)
{
	return (const void *)(DIRECT_MAP_BASE + phys);
}

static bool acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

/* A table header at @phys whose signature and checksum match, or NULL. */
static const struct acpi_sdt_header *acpi_table(uint64_t phys, const char *sig)
{
	const struct acpi_sdt_header *h;

	if (!phys || phys >= boot_info->direct_map_end)
		return NULL;
	h = acpi_map(phys);
	if (memcmp(h->signature, sig, 4) != 0)
		return NULL;
	if (h->length < sizeof(*h) || !acpi_checksum_ok(h, h->length)) {
		printk("acpi: table %.4s at %#lx has a bad checksum; ignored\n", sig, phys);
		return NULL;
	}
	return h;
}

/* Search the XSDT (8-byte entries) or RSDT (4-byte entries) for @sig. */
static const struct acpi_sdt_header *acpi_find(const struct acpi_rsdp *rsdp, const char *sig)
{
	bool xsdt = rsdp->revision >= 2 && rsdp->xsdt_address;
	const struct acpi_sdt_header *root =
		xsdt ? acpi_table(rsdp->xsdt_address, "XSDT") : acpi_table(rsdp->rsdt_address, "RSDT");
	size_t esize = xsdt ? 8 : 4, n;
	const uint8_t *entries;

	if (!root)
		return NULL;
	n = (root->length - sizeof(*root)) / esize;
	entries = (const uint8_t *)(root + 1);
	for (size_t i = 0; i < n; i++) {
		uint64_t phys = 0;
		const struct acpi_sdt_header *h;

		memcpy(&phys, entries + i * esize, esize); /* little-endian, maybe unaligned */
		h = acpi_table(phys, sig);
		if (h)
			return h;
	}
	return NULL;
}

const void *acpi_find_table(uint64_t rsdp_phys, const char *sig)
{
	const struct acpi_rsdp *rsdp;

	if (!rsdp_phys || rsdp_phys >= boot_info->direct_map_end)
		return NULL;
	rsdp = acpi_map(rsdp_phys);
	if (memcmp(rsdp->signature, "RSD PTR ", 8) != 0 || !acpi_checksum_ok(rsdp, 20))
		return NULL;
	return acpi_find(rsdp, sig);
}

static void madt_add_lapic(uint32_t apic_id, uint32_t uid, uint32_t flags)
{
	struct acpi_lapic *l;

	if (acpi_madt.nr_lapics == ACPI_MAX_LAPICS) {
		acpi_madt.nr_skipped++;
		return;
	}
	l = &acpi_madt.lapics[acpi_madt.nr_lapics++];
	*l = (struct acpi_lapic){ .apic_id = apic_id, .acpi_uid = uid, .flags = flags };
	if (flags & ACPI_MADT_ENABLED)
		acpi_madt.nr_enabled++;
}

/* One MADT entry; @e points at its type byte, @len bytes long. */
static void madt_entry(const uint8_t *e, uint8_t len)
{
	uint32_t u32a, u32b, u32c;
	uint64_t addr;

	if (e[0] == MADT_TYPE_LAPIC && len >= 8) {
		memcpy(&u32a, e + 4, 4);
		madt_add_lapic(e[3], e[2], u32a);
	} else if (e[0] == MADT_TYPE_X2APIC && len >= 16) {
		memcpy(&u32a, e + 4, 4); /* x2APIC id */
		memcpy(&u32b, e + 8, 4); /* flags */
		memcpy(&u32c, e + 12, 4); /* ACPI processor UID */
		madt_add_lapic(u32a, u32c, u32b);
	} else if (e[0] == MADT_TYPE_LAPIC_OVERRIDE && len >= 12) {
		memcpy(&addr, e + 4, 8);
		acpi_madt.lapic_phys = addr;
		acpi_madt.lapic_override = true;
	}
}

static void madt_parse(const struct acpi_madt *madt)
{
	const uint8_t *p = (const uint8_t *)(madt + 1);
	const uint8_t *end = (const uint8_t *)madt + madt->header.length;

	acpi_madt.lapic_phys = madt->lapic_address; /* a type 5 entry may replace it */
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		madt_entry(p, p[1]);
		p += p[1];
	}
}

int acpi_init(uint64_t rsdp_phys)
{
	const struct acpi_rsdp *rsdp;
	const struct acpi_sdt_header *madt;

	memset(&acpi_madt, 0, sizeof(acpi_madt));
	if (!rsdp_phys) {
		printk("acpi: the loader found no RSDP\n");
		return -ENOENT;
	}
	rsdp = acpi_map(rsdp_phys);
	if (memcmp(rsdp->signature, "RSD PTR ", 8) != 0 || !acpi_checksum_ok(rsdp, 20) ||
	    (rsdp->revision >= 2 && !acpi_checksum_ok(rsdp, rsdp->length))) {
		printk("acpi: RSDP at %#lx: bad signature or checksum\n", rsdp_phys);
		return -EINVAL;
	}
	madt = acpi_find(rsdp, "APIC");
	if (!madt || madt->length < sizeof(struct acpi_madt)) {
		printk("acpi: no MADT (\"APIC\" table)\n");
		return -ENOENT;
	}
	madt_parse((const struct acpi_madt *)madt);
	printk("acpi: MADT rev %u: %d local APICs (%d enabled), LAPIC at %#lx%s\n",
	       madt->revision, acpi_madt.nr_lapics, acpi_madt.nr_enabled, acpi_madt.lapic_phys,
	       acpi_madt.lapic_override ? " (64-bit override)" : "");
	if (acpi_madt.nr_skipped)
		printk("acpi: %d more local APICs ignored (limit %d)\n", acpi_madt.nr_skipped,
		       ACPI_MAX_LAPICS);
	return 0;
}
