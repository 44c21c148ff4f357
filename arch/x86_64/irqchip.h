/*
 * The legacy 8259 PIC pair and the IOAPICs: flushlab routes no device
 * interrupt through them, so irqchip_init masks every line and pin at boot.
 */
#ifndef ARCH_X86_64_IRQCHIP_H
#define ARCH_X86_64_IRQCHIP_H

#include <stdbool.h>
#include <stdint.h>

/* Boot CPU, once, after acpi_init and the memory step (IOAPICs are ioremapped). */
void irqchip_init(void);

void legacy_pic_mask(void);
uint16_t legacy_pic_imr(void); /* both interrupt mask registers: 0xffff = all masked */

/* For tests: pins of the MADT's IOAPIC @i (0 if unmapped), and one pin's mask bit. */
unsigned int ioapic_nr_pins(int i);
bool ioapic_pin_masked(int i, unsigned int pin);

#endif
