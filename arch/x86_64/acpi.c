/*
 * The MADT walk: RSDP (checksummed, ACPI 1.0 or 2.0+) -> XSDT, or the RSDT
 * when the firmware only has ACPI 1.0 -> the "APIC" table -> its Processor
 * Local APIC (type 0), Local x2APIC (type 9) and LAPIC Address Override
 * (type 5) entries. Field layouts: ACPI 6.5 sections 5.2.5 to 5.2.12.
 */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/ioremap.h"
#include "flushlab/boot_info.h"
#include "flushlab/layout.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"

struct __attribute__((packed)) acpi_rsdp {
	char signature[8]; /* "RSD PTR " */
	uint8_t checksum;  /* first 20 bytes */
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
	uint32_t flags;		/* bit 0: PC-AT dual 8259 present */
				/* variable-length entries follow: type, length, body */
};

#define MADT_TYPE_LAPIC 0
#define MADT_TYPE_IOAPIC 1
#define MADT_TYPE_LAPIC_OVERRIDE 5
#define MADT_TYPE_X2APIC 9

/* FADT fields flushlab reads (ACPI 6.5 table 5.9), as byte offsets. */
#define FADT_PM_TMR_BLK 76	/* 4 bytes: I/O port */
#define FADT_PM_TMR_LEN 91	/* 1 byte: 4 if the timer exists */
#define FADT_CENTURY 108	/* 1 byte: CMOS RAM index of the century, 0 if none */
#define FADT_IAPC_BOOT_ARCH 109 /* 2 bytes (table 5.10) */
#define IAPC_BOOT_ARCH_NO_CMOS_RTC (1u << 5)
#define FADT_FLAGS 112	      /* 4 bytes */
#define FADT_X_PM_TMR_BLK 208 /* 12-byte Generic Address Structure */
#define FADT_FLAG_TMR_VAL_EXT (1u << 8)
#define GAS_SYSTEM_IO 1

struct acpi_madt_info acpi_madt;
struct acpi_fadt_info acpi_fadt;

#define ACPI_TABLE_MAX (1u << 20) /* a larger length is corruption, not a table */

/*
 * ACPI tables are read through the direct map when it covers them (UEFI
 * ACPI reclaim or NVS memory, or RAM: boot/paging.c); firmware that keeps
 * them in reserved memory gets a write-back mapping of their own. Never a
 * second mapping of a direct-mapped page, never MMIO through the direct map.
 */
static const void *acpi_map(uint64_t phys, size_t len)
{
	for (uint64_t pa = ALIGN_DOWN(phys, PAGE_SIZE); pa < phys + len; pa += PAGE_SIZE)
		if (!phys_to_virt_mapped(pa))
			return ioremap_cache(phys, len);
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

	if (!phys || !(h = acpi_map(phys, sizeof(*h))))
		return NULL;
	if (memcmp(h->signature, sig, 4) != 0)
		return NULL;
	if (h->length < sizeof(*h) || h->length > ACPI_TABLE_MAX ||
	    !(h = acpi_map(phys, h->length)) || !acpi_checksum_ok(h, h->length)) {
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

	if (!rsdp_phys || !(rsdp = acpi_map(rsdp_phys, sizeof(*rsdp))))
		return NULL;
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
	*l = (struct acpi_lapic){.apic_id = apic_id, .acpi_uid = uid, .flags = flags};
	if (flags & ACPI_MADT_ENABLED)
		acpi_madt.nr_enabled++;
}

/* A type 1 entry: id at byte 2, address at 4, GSI base at 8. */
static void madt_add_ioapic(const uint8_t *e)
{
	struct acpi_ioapic *io;

	if (acpi_madt.nr_ioapics == ACPI_MAX_IOAPICS)
		return;
	io = &acpi_madt.ioapics[acpi_madt.nr_ioapics++];
	io->id = e[2];
	memcpy(&io->phys, e + 4, 4);
	memcpy(&io->gsi_base, e + 8, 4);
}

/* One MADT entry; @e points at its type byte, @len bytes long. */
static void madt_entry(const uint8_t *e, uint8_t len)
{
	uint32_t u32a, u32b, u32c;
	uint64_t addr;

	if (e[0] == MADT_TYPE_LAPIC && len >= 8) {
		memcpy(&u32a, e + 4, 4);
		madt_add_lapic(e[3], e[2], u32a);
	} else if (e[0] == MADT_TYPE_IOAPIC && len >= 12) {
		madt_add_ioapic(e);
	} else if (e[0] == MADT_TYPE_X2APIC && len >= 16) {
		memcpy(&u32a, e + 4, 4);  /* x2APIC id */
		memcpy(&u32b, e + 8, 4);  /* flags */
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
	acpi_madt.pcat_compat = madt->flags & 1;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		madt_entry(p, p[1]);
		p += p[1];
	}
}

/*
 * The PM timer's port: X_PM_TMR_BLK when it is in I/O space, else
 * PM_TMR_BLK. The RTC's century index and IAPC_BOOT_ARCH flags sit before
 * FLAGS, so a FADT long enough for FLAGS has them (ACPI 1.0's has both
 * bytes, its IAPC_BOOT_ARCH reserved as 0).
 */
static void fadt_parse(const struct acpi_sdt_header *fadt)
{
	const uint8_t *f = (const uint8_t *)fadt;
	uint32_t port = 0, flags = 0;
	uint16_t boot_arch = 0;
	uint64_t xaddr = 0;

	if (fadt->length >= FADT_FLAGS + 4) {
		if (f[FADT_PM_TMR_LEN] == 4)
			memcpy(&port, f + FADT_PM_TMR_BLK, 4);
		memcpy(&flags, f + FADT_FLAGS, 4);
		memcpy(&boot_arch, f + FADT_IAPC_BOOT_ARCH, 2);
		acpi_fadt.rtc_century = f[FADT_CENTURY];
		acpi_fadt.no_cmos_rtc = boot_arch & IAPC_BOOT_ARCH_NO_CMOS_RTC;
	}
	if (fadt->length >= FADT_X_PM_TMR_BLK + 12 && f[FADT_X_PM_TMR_BLK] == GAS_SYSTEM_IO) {
		memcpy(&xaddr, f + FADT_X_PM_TMR_BLK + 4, 8);
		if (xaddr && xaddr <= 0xffff)
			port = (uint32_t)xaddr;
	}
	acpi_fadt.pm_timer_port = port <= 0xffff ? port : 0;
	acpi_fadt.pm_timer_32bit = flags & FADT_FLAG_TMR_VAL_EXT;
}

int acpi_init(uint64_t rsdp_phys)
{
	const struct acpi_rsdp *rsdp;
	const struct acpi_sdt_header *madt;

	const struct acpi_sdt_header *fadt;

	memset(&acpi_madt, 0, sizeof(acpi_madt));
	memset(&acpi_fadt, 0, sizeof(acpi_fadt));
	if (!rsdp_phys) {
		printk("acpi: the loader found no RSDP\n");
		return -ENOENT;
	}
	rsdp = acpi_map(rsdp_phys, sizeof(*rsdp));
	if (!rsdp) {
		printk("acpi: RSDP at %#lx: cannot map it\n", rsdp_phys);
		return -ENOMEM;
	}
	if (memcmp(rsdp->signature, "RSD PTR ", 8) != 0 || !acpi_checksum_ok(rsdp, 20) ||
	    (rsdp->revision >= 2 && !acpi_checksum_ok(rsdp, rsdp->length))) {
		printk("acpi: RSDP at %#lx: bad signature or checksum\n", rsdp_phys);
		return -EINVAL;
	}
	fadt = acpi_find(rsdp, "FACP");
	if (fadt)
		fadt_parse(fadt);
	madt = acpi_find(rsdp, "APIC");
	if (!madt || madt->length < sizeof(struct acpi_madt)) {
		printk("acpi: no MADT (\"APIC\" table)\n");
		return -ENOENT;
	}
	madt_parse((const struct acpi_madt *)madt);
	printk("acpi: MADT rev %u: %d local APICs (%d enabled), LAPIC at %#lx%s, %d IOAPIC%s%s\n",
	       madt->revision, acpi_madt.nr_lapics, acpi_madt.nr_enabled, acpi_madt.lapic_phys,
	       acpi_madt.lapic_override ? " (64-bit override)" : "", acpi_madt.nr_ioapics,
	       acpi_madt.nr_ioapics == 1 ? "" : "s", acpi_madt.pcat_compat ? ", 8259 PICs" : "");
	if (acpi_fadt.pm_timer_port)
		printk("acpi: FADT: PM timer at port %#x, %s\n", acpi_fadt.pm_timer_port,
		       acpi_fadt.pm_timer_32bit ? "32-bit" : "24-bit");
	else
		printk("acpi: %s\n", fadt ? "FADT: no PM timer" : "no FADT (\"FACP\" table)");
	if (acpi_madt.nr_skipped)
		printk("acpi: %d more local APICs ignored (limit %d)\n", acpi_madt.nr_skipped,
		       ACPI_MAX_LAPICS);
	return 0;
}
