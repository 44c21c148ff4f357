/*
 * Every x86-64 instruction the kernel issues by hand, as a static inline
 * wrapper. This is the only header with inline asm (style.md): code elsewhere
 * calls these by name, so a reader can find every CR3 write or INVLPG with grep.
 */
#ifndef ARCH_X86_64_CPU_H
#define ARCH_X86_64_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define X86_CR0_WP (1UL << 16)
#define X86_CR4_PAE (1UL << 5)
#define X86_CR4_MCE (1UL << 6)
#define X86_CR4_PGE (1UL << 7)
#define X86_CR4_OSFXSR (1UL << 9)      /* FXSAVE/FXRSTOR and SSE allowed */
#define X86_CR4_OSXMMEXCPT (1UL << 10) /* SIMD FP exceptions raise #XM, not #UD */
#define X86_CR4_LA57 (1UL << 12)
#define X86_CR4_PCIDE (1UL << 17)
#define X86_CR4_OSXSAVE (1UL << 18) /* XSAVE, XGETBV/XSETBV and XCR0 */
#define X86_CR4_SMEP (1UL << 20)
#define X86_CR4_SMAP (1UL << 21)
#define X86_RFLAGS_CF (1UL << 0)
#define X86_RFLAGS_PF (1UL << 2)
#define X86_RFLAGS_AF (1UL << 4)
#define X86_RFLAGS_ZF (1UL << 6)
#define X86_RFLAGS_SF (1UL << 7)
#define X86_RFLAGS_TF (1UL << 8)
#define X86_RFLAGS_IF (1UL << 9)
#define X86_RFLAGS_DF (1UL << 10)
#define X86_RFLAGS_IOPL (3UL << 12)
#define X86_RFLAGS_OF (1UL << 11)
#define X86_RFLAGS_NT (1UL << 14)
#define X86_RFLAGS_RF (1UL << 16)
#define X86_RFLAGS_AC (1UL << 18)
#define X86_RFLAGS_FIXED (1UL << 1) /* always reads as 1 */

#define MSR_IA32_APIC_BASE 0x1b
#define MSR_X2APIC_BASE 0x800	/* x2APIC register at xAPIC offset R: 0x800 + R/16 */
#define MSR_IA32_UCODE_REV 0x8b /* IA32_BIOS_SIGN_ID: the microcode revision in 63:32 */
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081	    /* SYSCALL/SYSRET selectors */
#define MSR_LSTAR 0xc0000082	    /* SYSCALL's 64-bit entry point */
#define MSR_SYSCALL_MASK 0xc0000084 /* RFLAGS bits SYSCALL clears (FMASK) */
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define EFER_SCE (1UL << 0) /* SYSCALL enable */
#define EFER_LME (1UL << 8)
#define EFER_NXE (1UL << 11)
#define XCR_XFEATURE_ENABLED_MASK 0 /* XCR0 */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

/*
 * `outl %eax, %dx` with a pointer in RSI: a marker for a QEMU plugin that
 * decodes the instruction and reads RSI (kernel/tlbmodel.c). Nothing listens
 * on the port; the caller issues it only when a plugin was asked for.
 */
static inline void outl_with_arg(uint16_t port, uint32_t v, const void *arg)
{
	__asm__ __volatile__("outl %0, %w1" : : "a"(v), "d"(port), "S"(arg) : "memory");
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* RDTSC ordered after all earlier loads (LFENCE first), for timing regions. */
static inline uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/*
 * RDRAND and RDSEED (SDM vol. 1, 7.3.17): CF=1 and a random value, or CF=0
 * and 0 when the generator had none ready (the caller retries). Only with
 * CPUID.1:ECX[30] (RDRAND) or CPUID.7.0:EBX[18] (RDSEED): #UD otherwise.
 */
static inline bool rdrand64(uint64_t *v)
{
	bool ok;

	__asm__ __volatile__("rdrand %0" : "=r"(*v), "=@ccc"(ok));
	return ok;
}

static inline bool rdseed64(uint64_t *v)
{
	bool ok;

	__asm__ __volatile__("rdseed %0" : "=r"(*v), "=@ccc"(ok));
	return ok;
}

static inline void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *a, uint32_t *b, uint32_t *c,
			 uint32_t *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(subleaf));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr"
			     :
			     : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			     : "memory");
}

#define DEFINE_CR_ACCESSORS(n)                                                                     \
	static inline uint64_t read_cr##n(void)                                                    \
	{                                                                                          \
		uint64_t v;                                                                        \
		__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v) : : "memory");                 \
		return v;                                                                          \
	}                                                                                          \
	static inline void write_cr##n(uint64_t v)                                                 \
	{                                                                                          \
		__asm__ __volatile__("mov %0, %%cr" #n : : "r"(v) : "memory");                     \
	}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

/* Invalidate the TLB entry (global or not) for one virtual address, this CPU only. */
static inline void invlpg(uintptr_t va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

#define INVPCID_TYPE_INDIV_ADDR 0
#define INVPCID_TYPE_SINGLE_CTXT 1
#define INVPCID_TYPE_ALL_INCL_GLOBAL 2

static inline void invpcid(unsigned long type, uint64_t pcid, uint64_t addr)
{
	struct {
		uint64_t pcid, addr;
	} desc = {pcid, addr};

	__asm__ __volatile__("invpcid %0, %1" : : "m"(desc), "r"(type) : "memory");
}

static inline uint64_t read_rflags(void)
{
	uint64_t f;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(f) : : "memory");
	return f;
}

static inline uint64_t read_rbp(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%rbp, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_rsp(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%rsp, %0" : "=r"(v));
	return v;
}

static inline void local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}
static inline void local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}
static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}
static inline void halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}
static inline void mfence(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}

/*
 * Before a WRMSR that must not overtake earlier memory operations: WRMSR to
 * the x2APIC MSRs (and TSC_DEADLINE) is not serializing (Intel SDM vol. 3,
 * 11.12.3 "MSR Access in x2APIC Mode"), so an IPI could reach its target
 * before the request it announces is visible. MFENCE orders the earlier
 * loads and stores; LFENCE keeps the WRMSR itself from executing before the
 * MFENCE completes. Linux's weak_wrmsr_fence().
 */
static inline void weak_wrmsr_fence(void)
{
	__asm__ __volatile__("mfence; lfence" ::: "memory");
}
static inline void ud2(void)
{
	__asm__ __volatile__("ud2");
}

/* Save flags and disable interrupts; pair with local_irq_restore. */
static inline uint64_t local_irq_save(void)
{
	uint64_t f = read_rflags();

	local_irq_disable();
	return f;
}

static inline void local_irq_restore(uint64_t flags)
{
	if (flags & X86_RFLAGS_IF)
		local_irq_enable();
}

struct __attribute__((packed)) descriptor_ptr {
	uint16_t limit;
	uint64_t base;
};

static inline void lgdt(const struct descriptor_ptr *p)
{
	__asm__ __volatile__("lgdt %0" : : "m"(*p) : "memory");
}

static inline void lidt(const struct descriptor_ptr *p)
{
	__asm__ __volatile__("lidt %0" : : "m"(*p) : "memory");
}

static inline void sgdt(struct descriptor_ptr *p)
{
	__asm__ __volatile__("sgdt %0" : "=m"(*p) : : "memory");
}

static inline void ltr(uint16_t sel)
{
	__asm__ __volatile__("ltr %0" : : "r"(sel) : "memory");
}

/* Reload CS with a far return and the data segment registers after lgdt. */
static inline void load_segments(uint16_t code_sel, uint16_t data_sel)
{
	__asm__ __volatile__("pushq %q0\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\n\t"
			     "mov %w1, %%ds\n\t"
			     "mov %w1, %%es\n\t"
			     "mov %w1, %%ss\n\t"
			     "mov %w1, %%fs\n\t"
			     "mov %w1, %%gs\n\t"
			     :
			     : "r"((uint64_t)code_sel), "r"((uint32_t)data_sel)
			     : "rax", "memory");
}

/*
 * The loader's last instruction: switch to the kernel's page tables and jump
 * to its entry with the boot_info address in %rdi. The code doing this must be
 * identity-mapped in both the old and the new tables (the loader makes sure).
 */
static inline __attribute__((noreturn)) void jump_to_kernel(uint64_t cr3, uint64_t entry,
							    uint64_t arg)
{
	__asm__ __volatile__("cli\n\t"
			     "mov %0, %%cr3\n\t"
			     "xor %%ebp, %%ebp\n\t"
			     "jmp *%1"
			     :
			     : "r"(cr3), "r"(entry), "D"(arg)
			     : "memory");
	__builtin_unreachable();
}

/*
 * For the `crash double-fault` test only: point %rsp at unmapped memory and
 * trap. The CPU cannot push the #UD frame, which makes a double fault; it is
 * delivered on its IST stack, so the handler still runs.
 */
static inline __attribute__((noreturn)) void crash_on_bad_stack(uint64_t bad_rsp)
{
	__asm__ __volatile__("mov %0, %%rsp\n\tud2" : : "r"(bad_rsp) : "memory");
	__builtin_unreachable();
}

/*
 * For the `crash machine-check` test only: INT 18 runs the #MC handler as
 * software would see it (MCG_STATUS.MCIP clear: no real error is pending).
 */
static inline void int_machine_check(void)
{
	__asm__ __volatile__("int $18" ::: "memory");
}

/*
 * Idle until the next interrupt. STI takes effect only after the following
 * instruction, so no interrupt can slip in between and leave us halted with
 * nothing to wake us: the SDM's "sti; hlt" idiom.
 */
static inline void safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

/*
 * Per-CPU loads through %gs: the GS base (MSR_GS_BASE) holds this CPU's
 * struct percpu, so one instruction reads a field at byte offset @off.
 */
static inline uint64_t gs_read_u64(unsigned long off)
{
	uint64_t v;

	__asm__ __volatile__("movq %%gs:(%1), %0" : "=r"(v) : "r"(off));
	return v;
}

static inline uint32_t gs_read_u32(unsigned long off)
{
	uint32_t v;

	__asm__ __volatile__("movl %%gs:(%1), %0" : "=r"(v) : "r"(off));
	return v;
}

/* Device registers (LAPIC): volatile 32-bit accesses, never merged or torn. */
static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

/*
 * Store @val at @addr unless that faults: returns 0, or 1 if the store
 * faulted (a read-only or unmapped page). The exception table entry lets
 * the page-fault handler resume at the fixup instead of ending the run
 * (Linux's copy_to_kernel_nofault idea); used by tests and demonstrations.
 */
static inline int write_u64_nofault(volatile uint64_t *addr, uint64_t val)
{
	int faulted = 0;

	__asm__ __volatile__("1: movq %2, %1\n"
			     "2:\n"
			     ".pushsection ex_table, \"a\"\n"
			     ".balign 8\n"
			     ".quad 1b, 3f\n"
			     ".popsection\n"
			     ".pushsection .text.fixup, \"ax\"\n"
			     "3: movl $1, %0\n"
			     "jmp 2b\n"
			     ".popsection\n"
			     : "+r"(faulted), "=m"(*addr)
			     : "r"(val)
			     : "memory");
	return faulted;
}

/*
 * SMAP's gate (Intel SDM vol. 3, 4.6.1): with CR4.SMAP set, a supervisor
 * data access to a user page faults unless RFLAGS.AC is 1. STAC sets AC
 * around a deliberate user access, CLAC clears it after. Both are #UD on
 * a CPU without SMAP, so only uaccess.c calls them, and only when SMAP is
 * on (uaccess.h user_access_begin).
 */
static inline void stac(void)
{
	__asm__ __volatile__("stac" ::: "memory");
}

static inline void clac(void)
{
	__asm__ __volatile__("clac" ::: "memory");
}

/*
 * Linux's array_index_mask_nospec: ~0 when @index < @size, else 0, with no
 * branch (CMP sets CF when index < size unsigned; SBB of a register with
 * itself turns CF into all ones or zero). A bounds check is a branch the
 * CPU may predict wrongly and run the table load with an out-of-range
 * index (Spectre v1, CVE-2017-5753); an index ANDed with this mask is
 * in range even then, because the AND depends on the compare's data, not
 * on a prediction.
 */
static inline unsigned long array_index_mask_nospec(unsigned long index, unsigned long size)
{
	unsigned long mask;

	__asm__ __volatile__("cmp %[size], %[index]\n\tsbb %[mask], %[mask]"
			     : [mask] "=r"(mask)
			     : [size] "g"(size), [index] "r"(index)
			     : "cc");
	return mask;
}

/* @index if it is below @size, else 0, even under speculation (Linux's array_index_nospec). */
static inline unsigned long array_index_nospec(unsigned long index, unsigned long size)
{
	return index & array_index_mask_nospec(index, size);
}

/*
 * The user-access primitives under copy_from_user/copy_to_user (the range
 * checks against TASK_SIZE are the caller's: arch/x86_64/uaccess.c). REP MOVSB is
 * restartable: when it faults, RCX, RSI and RDI say how far it got (SDM
 * vol. 1, 7.3.9.1), so the exception-table entry resumes right after it and
 * RCX is the number of bytes not copied, as Linux's copy_user_generic
 * returns. A #PF here first goes to the task layer, which may map the page
 * (demand paging) and retry; only a fault it cannot fix takes the fixup.
 * No STAC/CLAC here: the caller opens the SMAP window (uaccess.c).
 */
static inline size_t copy_user_generic(void *dst, const void *src, size_t n)
{
	__asm__ __volatile__("1: rep movsb\n"
			     "2:\n"
			     ".pushsection ex_table, \"a\"\n"
			     ".balign 8\n"
			     ".quad 1b, 2b\n"
			     ".popsection\n"
			     : "+D"(dst), "+S"(src), "+c"(n)
			     :
			     : "memory");
	return n;
}

/* Load one byte from @src unless that faults: 0, or 1 if it faulted. */
static inline int load_u8_nofault(const volatile uint8_t *src, uint8_t *out)
{
	int faulted = 0;
	uint8_t v = 0;

	__asm__ __volatile__("1: movb %2, %1\n"
			     "2:\n"
			     ".pushsection ex_table, \"a\"\n"
			     ".balign 8\n"
			     ".quad 1b, 3f\n"
			     ".popsection\n"
			     ".pushsection .text.fixup, \"ax\"\n"
			     "3: movl $1, %0\n"
			     "jmp 2b\n"
			     ".popsection\n"
			     : "+r"(faulted), "+q"(v)
			     : "m"(*src)
			     : "memory");
	*out = v;
	return faulted;
}

/*
 * Save and restore the x87/SSE state (FXSAVE64/FXRSTOR64, 512 bytes, 16-byte
 * aligned), and with XSAVE every state component XCR0 enables (XSAVE64 /
 * XRSTOR64, standard format, 64-byte aligned, @mask in EDX:EAX selects the
 * components). The kernel is built without SSE, so user state only changes
 * in user mode and the context switch is the one place to swap it
 * (arch/x86_64/fpu.c).
 */
static inline void xsetbv(uint32_t xcr, uint64_t v)
{
	__asm__ __volatile__("xsetbv"
			     :
			     : "c"(xcr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			     : "memory");
}

static inline uint64_t xgetbv(uint32_t xcr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void xsave64(void *area, uint64_t mask)
{
	__asm__ __volatile__("xsave64 (%0)"
			     :
			     : "r"(area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32))
			     : "memory");
}

static inline void xrstor64(const void *area, uint64_t mask)
{
	__asm__ __volatile__("xrstor64 (%0)"
			     :
			     : "r"(area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32))
			     : "memory");
}

static inline void fxsave(void *area)
{
	__asm__ __volatile__("fxsave64 %0" : "=m"(*(uint8_t(*)[512])area) : : "memory");
}

static inline void fxrstor(const void *area)
{
	__asm__ __volatile__("fxrstor64 %0" : : "m"(*(const uint8_t(*)[512])area) : "memory");
}

/* Atomic helpers on naturally aligned words (GCC builtins, sequentially consistent). */
#define atomic_inc(p) __atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST)
#define atomic_dec(p) __atomic_sub_fetch((p), 1, __ATOMIC_SEQ_CST)
#define atomic_add(p, v) __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_load(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_store(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

#endif
