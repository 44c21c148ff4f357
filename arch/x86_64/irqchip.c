/*
 * The legacy interrupt controllers, silenced: flushlab takes interrupts only
 * from the local APICs (timer ticks, IPIs). The firmware may leave the dual
 * 8259 PIC or IOAPIC pins live; a device interrupt routed through either
 * would arrive at a vector nobody handles, so both are masked at boot.
 */
#include "arch/x86_64/irqchip.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ioremap.h"
#include "lib/kernel.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11 /* edge triggered, cascaded, ICW4 follows */
#define ICW4_8086 0x01
#define PIC_VECTOR_BASE 0x20 /* out of the exception range, in case one ever fires */

#define IOAPIC_REGSEL 0x00
#define IOAPIC_WINDOW 0x10
#define IOAPIC_REG_VER 0x01
#define IOAPIC_REG_REDTBL 0x10 /* entry i: 0x10 + 2i (low), 0x11 + 2i (high) */
#define IOAPIC_RTE_MASKED (1u << 16)

static uintptr_t ioapic_base[ACPI_MAX_IOAPICS];

static void pic_out(uint16_t port, uint8_t v)
{
	outb(port, v);
	outb(0x80, 0); /* the 8259 wants a pause between writes (Linux's io_delay) */
}

/*
 * Re-initialise both 8259s (ICW1-4: vectors 0x20-0x2f, cascade on IRQ 2)
 * and mask every line (OCW1), as Linux's init_8259A(0) then mask_8259A()
 * do. LINT0, where the PIC's INTR arrives, is masked in lapic_enable too.
 */
void legacy_pic_mask(void)
{
	pic_out(PIC1_CMD, ICW1_INIT_ICW4);
	pic_out(PIC2_CMD, ICW1_INIT_ICW4);
	pic_out(PIC1_DATA, PIC_VECTOR_BASE);
	pic_out(PIC2_DATA, PIC_VECTOR_BASE + 8);
	pic_out(PIC1_DATA, 1 << 2); /* a slave on IRQ 2 */
	pic_out(PIC2_DATA, 2);	    /* its cascade identity */
	pic_out(PIC1_DATA, ICW4_8086);
	pic_out(PIC2_DATA, ICW4_8086);
	pic_out(PIC1_DATA, 0xff);
	pic_out(PIC2_DATA, 0xff);
}

uint16_t legacy_pic_imr(void)
{
	return inb(PIC1_DATA) | (uint16_t)inb(PIC2_DATA) << 8;
}

static uint32_t ioapic_read(uintptr_t base, uint32_t reg)
{
	mmio_write32(base + IOAPIC_REGSEL, reg);
	return mmio_read32(base + IOAPIC_WINDOW);
}

static void ioapic_write(uintptr_t base, uint32_t reg, uint32_t v)
{
	mmio_write32(base + IOAPIC_REGSEL, reg);
	mmio_write32(base + IOAPIC_WINDOW, v);
}

unsigned int ioapic_nr_pins(int i)
{
	if (i >= acpi_madt.nr_ioapics || !ioapic_base[i])
		return 0;
	return ((ioapic_read(ioapic_base[i], IOAPIC_REG_VER) >> 16) & 0xff) + 1;
}

bool ioapic_pin_masked(int i, unsigned int pin)
{
	return ioapic_read(ioapic_base[i], IOAPIC_REG_REDTBL + 2 * pin) & IOAPIC_RTE_MASKED;
}

/*
 * Map each IOAPIC the MADT lists (uncached, ioremap) and mask every
 * redirection entry: mask bit set, vector 0, destination 0 (Linux's
 * clear_IO_APIC_pin). Returns the number of pins masked.
 */
static unsigned int ioapic_mask_all(void)
{
	unsigned int total = 0;

	for (int i = 0; i < acpi_madt.nr_ioapics; i++) {
		ioapic_base[i] = (uintptr_t)ioremap(acpi_madt.ioapics[i].phys, 0x20);
		if (!ioapic_base[i]) {
			printk("irqchip: cannot map IOAPIC %u at %#x\n", acpi_madt.ioapics[i].id,
			       acpi_madt.ioapics[i].phys);
			continue;
		}
		for (unsigned int pin = 0; pin < ioapic_nr_pins(i); pin++) {
			ioapic_write(ioapic_base[i], IOAPIC_REG_REDTBL + 2 * pin,
				     IOAPIC_RTE_MASKED);
			ioapic_write(ioapic_base[i], IOAPIC_REG_REDTBL + 2 * pin + 1, 0);
		}
		total += ioapic_nr_pins(i);
	}
	return total;
}

void irqchip_init(void)
{
	unsigned int pins;

	legacy_pic_mask();
	pins = ioapic_mask_all();
	printk("irqchip: 8259 PICs masked (IMR %#x), %u IOAPIC pin%s masked on %d IOAPIC%s\n",
	       legacy_pic_imr(), pins, pins == 1 ? "" : "s", acpi_madt.nr_ioapics,
	       acpi_madt.nr_ioapics == 1 ? "" : "s");
}
