/*
 * The IDT and the one C entry for every vector. An exception from ring 3
 * goes to the task layer (user_trap_handler), which fixes the page fault or
 * kills the process; a page fault in the kernel's user-access code goes
 * there first too (demand paging), then to its exception-table fixup. Any
 * other exception in the kernel is a bug (or a deliberate `crash` test):
 * the handler prints what a developer needs (vector, error code, registers,
 * CR2, a symbolized backtrace) and ends the run with a failure status, so a
 * test sees a crash, not a hang.
 * NMIs and machine checks end the run the same way (why: before exception()).
 * An interrupt on a vector nobody registered is counted, logged
 * (rate-limited) and acknowledged, and the CPU goes on.
 */
#include "arch/x86_64/traps.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/mce.h"
#include "arch/x86_64/tsc.h"
#include "arch/x86_64/syscall.h"
#include "kernel/backtrace.h"
#include "kernel/platform.h"
#include "lib/kernel.h"

#define IDT_INTERRUPT_GATE 0x8e
#define IDT_DPL3 0x60
#define VEC_BREAKPOINT 3
#define VEC_OVERFLOW 4

struct __attribute__((packed)) idt_entry {
	uint16_t offset_lo, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi, zero;
};

static struct idt_entry idt[256] __aligned(16);
static irq_handler_t irq_handlers[256];
extern const uint64_t isr_stub_table[256];

static const char *const exception_names[32] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack fault",
    "#GP general protection",
    "#PF page fault",
    "reserved",
    "#MF x87 error",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD exception",
    "#VE virtualization",
    "#CP control protection",
};

static void idt_set(uint8_t vec, uint64_t handler, uint8_t ist)
{
	idt[vec] = (struct idt_entry){
	    .offset_lo = handler & 0xffff,
	    .selector = GDT_KERNEL_CODE,
	    .ist = ist,
	    .type_attr = IDT_INTERRUPT_GATE,
	    .offset_mid = (handler >> 16) & 0xffff,
	    .offset_hi = handler >> 32,
	};
}

void idt_load(void)
{
	struct descriptor_ptr ptr = {sizeof(idt) - 1, (uint64_t)idt};

	lidt(&ptr);
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		idt_set(v, isr_stub_table[v], 0);
	idt_set(VEC_DOUBLE_FAULT, isr_stub_table[VEC_DOUBLE_FAULT], IST_DOUBLE_FAULT);
	idt_set(VEC_NMI, isr_stub_table[VEC_NMI], IST_NMI);
	idt_set(VEC_MACHINE_CHECK, isr_stub_table[VEC_MACHINE_CHECK], IST_MACHINE_CHECK);
	idt_set(VEC_DEBUG, isr_stub_table[VEC_DEBUG], IST_DEBUG);
	/*
	 * INT3 and INTO may be used by ring 3 (debuggers, Linux's "system
	 * gates"): a gate's DPL must be 3 for a software interrupt from ring 3,
	 * else it is a #GP. Every other vector stays DPL 0: `int N` from user
	 * mode is a #GP, never a fake IPI or exception.
	 */
	idt[VEC_BREAKPOINT].type_attr = IDT_INTERRUPT_GATE | IDT_DPL3;
	idt[VEC_OVERFLOW].type_attr = IDT_INTERRUPT_GATE | IDT_DPL3;
	idt_load();
}

void irq_register(uint8_t vector, irq_handler_t handler)
{
	BUG_ON(vector < VEC_FIRST_IRQ);
	irq_handlers[vector] = handler;
}

void trap_print_frame(const struct trap_frame *f)
{
	printk("  RIP: %016lx  RSP: %016lx  RFLAGS: %08lx\n", f->rip, f->rsp, f->rflags);
	printk("  RAX: %016lx  RBX: %016lx  RCX: %016lx\n", f->rax, f->rbx, f->rcx);
	printk("  RDX: %016lx  RSI: %016lx  RDI: %016lx\n", f->rdx, f->rsi, f->rdi);
	printk("  RBP: %016lx  R8:  %016lx  R9:  %016lx\n", f->rbp, f->r8, f->r9);
	printk("  R10: %016lx  R11: %016lx  R12: %016lx\n", f->r10, f->r11, f->r12);
	printk("  R13: %016lx  R14: %016lx  R15: %016lx\n", f->r13, f->r14, f->r15);
	printk("  CS: %04lx SS: %04lx  CR0: %016lx  CR2: %016lx\n", f->cs, f->ss, read_cr0(),
	       read_cr2());
	printk("  CR3: %016lx  CR4: %016lx\n", read_cr3(), read_cr4());
}

static void page_fault_reason(uint64_t err)
{
	const char *access = (err & 0x10) ? "instruction fetch" : (err & 2) ? "write" : "read";

	printk("  page fault: %s of a %s page at %#lx\n", access,
	       (err & 1) ? "present (protection violation)" : "not-present", read_cr2());
}

struct ex_entry {
	uint64_t insn, fixup;
};
extern const struct ex_entry __start_ex_table[], __stop_ex_table[];
uint64_t nr_exception_fixups;

int (*user_trap_handler)(struct trap_frame *frame, uint64_t cr2);
void (*user_exit_handler)(void);

static const struct ex_entry *search_exception_table(uint64_t rip)
{
	for (const struct ex_entry *e = __start_ex_table; e < __stop_ex_table; e++) {
		if (e->insn == rip)
			return e;
	}
	return NULL;
}

#define PF_PROT (1UL << 0)	  /* the page was present: a protection violation */
#define PF_USER (1UL << 2)	  /* the access came from ring 3 */
#define PF_INSTR (1UL << 4)	  /* an instruction fetch */
#define USER_HALF_END (1UL << 47) /* canonical user addresses lie below */

/*
 * A kernel access to a present user page that SMEP or SMAP refused (Intel
 * SDM vol. 3, 4.6.1, 4.7: the #PF error code has P = 1 and U/S = 0, and
 * no bit of its own). SMEP: any supervisor instruction fetch from a user
 * page. SMAP: a supervisor data access with RFLAGS.AC clear, that is one
 * outside uaccess.c's STAC window. Such a fault is a kernel bug, never
 * demand paging: offering it to the task layer would map nothing and
 * retry for ever (Linux's do_user_addr_fault checks the same before it
 * looks at the VMA).
 */
static bool user_page_protection_fault(const struct trap_frame *f, uint64_t cr2)
{
	uint64_t cr4 = read_cr4();

	if (f->vector != VEC_PAGE_FAULT || (f->error_code & (PF_PROT | PF_USER)) != PF_PROT ||
	    cr2 >= USER_HALF_END)
		return false;
	if (f->error_code & PF_INSTR)
		return cr4 & X86_CR4_SMEP;
	return (cr4 & X86_CR4_SMAP) && !(f->rflags & X86_RFLAGS_AC);
}

/*
 * A fault at an instruction with an exception-table entry resumes at its
 * fixup. A #PF there is offered to the task layer first: uaccess touching a
 * not-yet-faulted user page is demand paging, not an error. An SMEP/SMAP
 * refusal is not: it takes the fixup at once, counted in
 * nr_smap_fixups too (so tests can see the gate closed).
 */
uint64_t nr_smap_fixups;

static bool fixup_exception(struct trap_frame *f)
{
	const struct ex_entry *e;
	bool refused;

	if (f->vector != VEC_PAGE_FAULT && f->vector != 13 /* #GP */)
		return false;
	e = search_exception_table(f->rip);
	if (!e)
		return false;
	refused = user_page_protection_fault(f, read_cr2());
	if (refused)
		__atomic_add_fetch(&nr_smap_fixups, 1, __ATOMIC_RELAXED);
	else if (f->vector == VEC_PAGE_FAULT && user_trap_handler &&
		 user_trap_handler(f, read_cr2()) == 0)
		return true; /* mapped now: retry the access */
	f->rip = e->fixup;
	__atomic_add_fetch(&nr_exception_fixups, 1, __ATOMIC_RELAXED);
	return true;
}

/*
 * A #DB in ring 0 can only be the single-step trap of a user's TF on the
 * SYSCALL instruction: it is delivered at entry_SYSCALL_64's first
 * instruction (FMASK has already cleared TF, so it happens once). Ignore it
 * there; anywhere else a #DB in the kernel is unexpected.
 */
/* NMI, #DF, #MC say something about the machine, not the program running. */
static bool machine_level(uint64_t vector)
{
	return vector == VEC_NMI || vector == VEC_DOUBLE_FAULT || vector == VEC_MACHINE_CHECK;
}

/* The vectors that come in on an IST stack through isr_paranoid (idt_init). */
static bool ist_vector(uint64_t vector)
{
	return machine_level(vector) || vector == VEC_DEBUG;
}

static bool syscall_single_step(const struct trap_frame *f)
{
	return f->vector == VEC_DEBUG && f->rip == (uint64_t)entry_SYSCALL_64;
}

#define NMI_REASON_PORT 0x61 /* system control port B: bit 7 SERR/parity, bit 6 IOCHK */

/*
 * What an NMI means here. flushlab programs no NMI source of its own (no
 * NMI watchdog, no performance-counter sampling), and takes LINT1's legacy
 * NMI on the boot CPU only (lapic.c); so an NMI is the board reporting an
 * error (port 0x61: SERR# / parity, IOCHK), a person pressing the NMI
 * button or typing `nmi` in QEMU's monitor to see where a CPU is, or an
 * unknown source. In every case the run's numbers cannot be trusted, so the
 * NMI is handled as a crash: the reason bits, then exception()'s registers
 * and backtrace, and exit status 3. It runs on its own IST stack.
 */
static void nmi_print_reason(void)
{
	uint8_t reason = inb(NMI_REASON_PORT);

	printk("  NMI reason (port 0x61): %#x%s%s\n", reason,
	       (reason & 0x80) ? " SERR#/memory parity error" : "",
	       (reason & 0x40) ? " I/O channel check (IOCHK)" : "");
}

static __noreturn void exception(struct trap_frame *f)
{
	const char *name =
	    f->vector < 32 && exception_names[f->vector] ? exception_names[f->vector] : "exception";

	crash_enter(); /* first crashing CPU only: the others stopped, the console ours */
	printk("\nflushlab: EXCEPTION %s (vector %lu) error code %#lx on CPU %d\n", name, f->vector,
	       f->error_code, this_cpu_id());
	if (f->vector == VEC_PAGE_FAULT)
		page_fault_reason(f->error_code);
	if (user_page_protection_fault(f, read_cr2()))
		printk("  %s\n",
		       (f->error_code & PF_INSTR)
			   ? "SMEP: the kernel fetched an instruction from a user page"
			   : "SMAP: the kernel accessed a user page outside a uaccess window");
	if (f->vector == VEC_NMI)
		nmi_print_reason();
	if (f->vector == VEC_MACHINE_CHECK) {
		printk(
		    "flushlab: MACHINE CHECK: the hardware reports an error (SDM vol. 3 ch. 15)\n");
		mce_print();
	}
	trap_print_frame(f);
	backtrace_print(f->rip, f->rbp);
	crash_report_stopped();
	printk("flushlab: run ends with a failure status\n");
	machine_exit(EXIT_STATUS_CRASH);
}

uint64_t nr_unexpected_irqs, nr_spurious_irqs;

#define UNEXPECTED_LOG_BURST 5 /* lines per second, at most */

/* Linux's printk_ratelimit, small: a burst of lines per second, then silence. */
static bool unexpected_log_allowed(void)
{
	static uint64_t window_start;
	static unsigned int printed;
	uint64_t now = rdtsc();

	if (now - window_start > tsc_khz * 1000) {
		window_start = now;
		printed = 0;
	}
	return ++printed <= UNEXPECTED_LOG_BURST;
}

/*
 * A vector with no handler. The spurious vector needs no EOI (Intel SDM
 * vol. 3, 11.9 "Spurious Interrupt": it sets no ISR bit). Any other vector
 * the LAPIC delivered holds its ISR bit until an EOI: without one, every
 * vector of its priority class or lower (the timer, the IPIs) stays
 * blocked and the CPU goes deaf. It is EOI'd only if it is in service, so
 * a software INT n cannot acknowledge someone else's interrupt (Linux's
 * spurious_interrupt does the same check).
 */
static void unexpected_interrupt(uint64_t vector)
{
	bool eoi = false;

	if (vector == LAPIC_SPURIOUS_VECTOR) {
		__atomic_add_fetch(&nr_spurious_irqs, 1, __ATOMIC_RELAXED);
		return;
	}
	__atomic_add_fetch(&nr_unexpected_irqs, 1, __ATOMIC_RELAXED);
	if (lapic_vector_in_service(vector)) {
		lapic_eoi();
		eoi = true;
	}
	if (unexpected_log_allowed())
		printk("flushlab: unexpected interrupt vector %#lx on CPU %d (%s); %lu so far\n",
		       vector, this_cpu_id(), eoi ? "EOI sent" : "not in service, no EOI",
		       __atomic_load_n(&nr_unexpected_irqs, __ATOMIC_RELAXED));
}

void trap_dispatch(struct trap_frame *f);
void trap_dispatch(struct trap_frame *f)
{
	if (f->vector == VEC_NMI)
		smp_stop_nmi(f); /* another CPU crashed: halts here for good */
	if (f->vector < VEC_FIRST_IRQ) {
		if ((f->cs & 3) && user_trap_handler && !machine_level(f->vector))
			user_trap_handler(f, f->vector == VEC_PAGE_FAULT ? read_cr2() : 0);
		else if (!fixup_exception(f) && !syscall_single_step(f))
			exception(f);
	} else if (irq_handlers[f->vector]) {
		irq_handlers[f->vector](f);
	} else {
		unexpected_interrupt(f->vector);
	}
	/*
	 * Back to ring 3 through isr_common: the task's exit work (task/: a
	 * pending signal, a kill, the tick's need_resched) runs here, on the
	 * task's own kernel stack, interrupts off. Not after NMI, #MC, #DB,
	 * #DF: they run on IST stacks, where nothing may switch tasks.
	 */
	if ((f->cs & 3) && user_exit_handler && !ist_vector(f->vector))
		user_exit_handler();
}
