/*
 * Traps: the saved register frame, the IDT, and the handlers for CPU
 * exceptions and device/IPI vectors. An exception in the kernel is always a
 * bug here: it prints registers and a backtrace and ends the run.
 */
#ifndef ARCH_X86_64_TRAPS_H
#define ARCH_X86_64_TRAPS_H

#include <stdint.h>

/* Pushed by isr.asm, lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

#define VEC_DEBUG 1
#define VEC_NMI 2
#define VEC_DOUBLE_FAULT 8
#define VEC_PAGE_FAULT 14
#define VEC_MACHINE_CHECK 18
#define VEC_FIRST_IRQ 32

typedef void (*irq_handler_t)(struct trap_frame *frame);

void idt_init(void);
void idt_load(void);
/* Install a handler for a vector >= VEC_FIRST_IRQ (IPIs, timer). */
void irq_register(uint8_t vector, irq_handler_t handler);

/* Print registers and a backtrace for a frame (also used by the NMI path). */
void trap_print_frame(const struct trap_frame *frame);

/* Faults resumed through the exception table (cpu.h *_nofault). */
extern uint64_t nr_exception_fixups;
/* Of those, kernel accesses to user pages that SMEP or SMAP refused. */
extern uint64_t nr_smap_fixups;

/* Interrupts on vectors with no handler (EOI'd when in service), and spurious ones. */
extern uint64_t nr_unexpected_irqs, nr_spurious_irqs;

/*
 * Set once by the task layer. Called for every exception from ring 3
 * (@cr2 is CR2 for a #PF, else 0): it fixes the fault (the instruction is
 * retried) or queues a signal for the thread, which the exit work that
 * follows (user_exit_handler) delivers or dies of. Also called for a #PF in the kernel at an
 * instruction with an exception-table entry (user access): 0 means the page is mapped now and the
 * access is retried, non-zero sends the access to its fixup.
 */
extern int (*user_trap_handler)(struct trap_frame *frame, uint64_t cr2);

/*
 * Set once by the task layer (exit_to_user_mode): called with interrupts
 * off at the end of every interrupt or exception that returns to ring 3
 * through isr_common, on the task's kernel stack; never for the IST
 * vectors (NMI, #MC, #DB, #DF). It may switch tasks or end the task.
 */
extern void (*user_exit_handler)(void);

#endif
