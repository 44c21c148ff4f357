/*
 * The ELF64 loader behind running a program. Segments are mapped through
 * the mm API, not by writing page tables here: do_mmap(MAP_FIXED) makes an
 * anonymous read-write VMA, the file bytes are copied in with copy_to_user
 * (the new mm is loaded, so demand faults fill it like any user write),
 * then do_mprotect gives each segment its real protection. That costs one
 * mprotect (a local flush: only this CPU has the mm loaded) per segment,
 * and keeps VMAs, mapcounts and RSS in the mm's hands; mapping pages
 * directly would duplicate mm/memory.c and bypass its accounting.
 */
#include "task/exec.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/random.h"
#include "arch/x86_64/uaccess.h"
#include "flushlab/elf64.h"
#include "flushlab/layout.h"
#include "lib/errno.h"
#include "lib/kernel.h"
#include "lib/string.h"
#include "mm/mm_user.h"
#include "mm/page_alloc.h"
#include "task/task.h"
#include "uapi/auxvec.h"

#define ELF_MAX_PHNUM 32 /* static binaries have about 8; headers live on the stack */

#define NR_AUXV 16 /* entries written, AT_NULL included */

struct elf_image {
	const uint8_t *data;
	size_t size;
	Elf64_Ehdr eh;
	Elf64_Phdr ph[ELF_MAX_PHNUM];
	uint64_t bias; /* added to every p_vaddr: 0 for ET_EXEC */
	uintptr_t phdr_addr, brk;
};

static bool elf_header_ok(const Elf64_Ehdr *eh, size_t size)
{
	return memcmp(eh->e_ident, ELF_MAGIC, 4) == 0 && eh->e_ident[4] == ELFCLASS64 &&
	       eh->e_ident[5] == ELFDATA2LSB && eh->e_ident[6] == EV_CURRENT &&
	       eh->e_machine == EM_X86_64 && (eh->e_type == ET_EXEC || eh->e_type == ET_DYN) &&
	       eh->e_phentsize == sizeof(Elf64_Phdr) && eh->e_phnum >= 1 &&
	       eh->e_phnum <= ELF_MAX_PHNUM && eh->e_phoff <= size &&
	       (size_t)eh->e_phnum * sizeof(Elf64_Phdr) <= size - eh->e_phoff;
}

/* A PT_LOAD whose file bytes lie inside the image and whose pages lie in user space. */
static bool segment_ok(const Elf64_Phdr *p, uint64_t bias, size_t size)
{
	uint64_t start = p->p_vaddr + bias;

	return p->p_filesz <= p->p_memsz && p->p_offset <= size &&
	       p->p_filesz <= size - p->p_offset && start >= MMAP_MIN_ADDR &&
	       p->p_memsz <= STACK_TOP - USER_STACK_SIZE - PAGE_SIZE &&
	       start <= STACK_TOP - USER_STACK_SIZE - PAGE_SIZE - p->p_memsz &&
	       p->p_offset % PAGE_SIZE == p->p_vaddr % PAGE_SIZE;
}

/* Parse and check every header against the file size; fills @img. */
static int elf_parse(struct elf_image *img, const void *image, size_t size)
{
	uint64_t prev = 0, lowest = UINT64_MAX;
	int nr_load = 0;

	img->data = image;
	img->size = size;
	if (size < sizeof(Elf64_Ehdr))
		return -ENOEXEC;
	memcpy(&img->eh, image, sizeof(img->eh));
	if (!elf_header_ok(&img->eh, size))
		return -ENOEXEC;
	memcpy(img->ph, img->data + img->eh.e_phoff, img->eh.e_phnum * sizeof(Elf64_Phdr));
	for (int i = 0; i < img->eh.e_phnum; i++) {
		if (img->ph[i].p_type == PT_INTERP)
			return -ENOEXEC; /* dynamically linked: no interpreter here */
		if (img->ph[i].p_type == PT_LOAD && img->ph[i].p_vaddr < lowest)
			lowest = img->ph[i].p_vaddr;
	}
	img->bias = img->eh.e_type == ET_DYN ? USER_BASE - ALIGN_DOWN(lowest, PAGE_SIZE) : 0;
	for (int i = 0; i < img->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &img->ph[i];

		if (p->p_type != PT_LOAD)
			continue;
		if (!segment_ok(p, img->bias, size) || p->p_vaddr < prev)
			return -ENOEXEC; /* PT_LOADs must ascend (ELF spec) */
		prev = p->p_vaddr;
		nr_load++;
	}
	if (!nr_load || img->eh.e_entry + img->bias >= TASK_SIZE)
		return -ENOEXEC;
	return 0;
}

static int elf_prot(uint32_t pflags)
{
	return ((pflags & PF_R) ? PROT_READ : 0) | ((pflags & PF_W) ? PROT_WRITE : 0) |
	       ((pflags & PF_X) ? PROT_EXEC : 0);
}

/* Map one PT_LOAD read-write (pages below @mapped_end are already) and copy its bytes. */
static int elf_load_segment(struct task_struct *t, struct elf_image *img, const Elf64_Phdr *p,
			    uintptr_t *mapped_end)
{
	uintptr_t vaddr = p->p_vaddr + img->bias, out;
	uintptr_t start = MAX(ALIGN_DOWN(vaddr, PAGE_SIZE), *mapped_end);
	uintptr_t end = ALIGN_UP(vaddr + p->p_memsz, PAGE_SIZE);
	long err;

	if (start < end) {
		err = do_mmap(t->mm, start, end - start, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, &out);
		if (err)
			return (int)err;
		*mapped_end = end;
	}
	if (copy_to_user(vaddr, img->data + p->p_offset, p->p_filesz))
		return -ENOMEM; /* the mm could not fault a page of its own VMA in */
	if (p->p_offset <= img->eh.e_phoff && img->eh.e_phoff < p->p_offset + p->p_filesz)
		img->phdr_addr = vaddr + (img->eh.e_phoff - p->p_offset);
	img->brk = MAX(img->brk, end);
	return 0;
}

/*
 * Give each segment its protection. A page shared by two segments (the
 * last of one, the first of the next) gets the union of both, as it holds
 * bytes of both.
 */
static int protect_segments(struct task_struct *t, struct elf_image *img)
{
	uintptr_t prev_end = 0;
	int prev_prot = 0;
	long err;

	for (int i = 0; i < img->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &img->ph[i];
		uintptr_t vaddr = p->p_vaddr + img->bias;
		uintptr_t start = ALIGN_DOWN(vaddr, PAGE_SIZE),
			  end = ALIGN_UP(vaddr + p->p_memsz, PAGE_SIZE);
		int prot = elf_prot(p->p_flags);

		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		err = do_mprotect(t->mm, start, end - start, prot);
		if (!err && start < prev_end)
			err = do_mprotect(t->mm, start, PAGE_SIZE, prot | prev_prot);
		if (err)
			return (int)err;
		prev_end = end;
		prev_prot = prot;
	}
	return 0;
}

static int elf_load_segments(struct task_struct *t, struct elf_image *img)
{
	uintptr_t mapped_end = 0;
	int err;

	for (int i = 0; i < img->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &img->ph[i];

		if (p->p_type == PT_PHDR)
			img->phdr_addr = p->p_vaddr + img->bias;
		if (p->p_type != PT_LOAD || p->p_memsz == 0)
			continue;
		err = elf_load_segment(t, img, p, &mapped_end);
		if (err)
			return err;
	}
	return protect_segments(t, img);
}

struct stack_builder {
	uint8_t *buf;	  /* kernel copy of [STACK_TOP - len, STACK_TOP) */
	size_t cap, used; /* bytes filled, from the top down */
};

/* Reserve @n bytes below what is used; returns the user address of the bytes. */
static uintptr_t sb_push(struct stack_builder *sb, const void *src, size_t n)
{
	sb->used += n;
	memcpy(sb->buf + sb->cap - sb->used, src, n);
	return STACK_TOP - sb->used;
}

/*
 * The initial stack (SysV x86-64 ABI, figure 3.9), from RSP up: argc,
 * argv[0..argc-1], NULL, envp (empty), NULL, the auxv pairs ending with
 * AT_NULL; above them the argument strings and AT_RANDOM's 16 bytes.
 * RSP is 16-byte aligned at the entry point.
 */
static int build_stack(struct elf_image *img, char *const argv[], struct stack_builder *sb,
		       uintptr_t *sp)
{
	uint64_t rnd[2] = {get_random_u64(), get_random_u64()};
	uintptr_t argp[EXEC_ARGC_MAX], at_random;
	uint64_t vec[1 + EXEC_ARGC_MAX + 2 + 2 * NR_AUXV];
	int argc = 0, n = 0;

	at_random = sb_push(sb, rnd, sizeof(rnd));
	for (argc = 0; argv[argc]; argc++) {
		size_t len = strlen(argv[argc]) + 1;

		if (argc == EXEC_ARGC_MAX || sb->used + len > EXEC_ARGS_MAX)
			return -E2BIG;
	}
	for (int i = argc - 1; i >= 0; i--)
		argp[i] = sb_push(sb, argv[i], strlen(argv[i]) + 1);
	sb->used = ALIGN_UP(sb->used, 16);
	vec[n++] = argc;
	for (int i = 0; i < argc; i++)
		vec[n++] = argp[i];
	vec[n++] = 0; /* end of argv */
	vec[n++] = 0; /* end of envp */
#define AUX(type, val) (vec[n++] = (type), vec[n++] = (uint64_t)(val))
	AUX(AT_PHDR, img->phdr_addr);
	AUX(AT_PHENT, sizeof(Elf64_Phdr));
	AUX(AT_PHNUM, img->eh.e_phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, img->eh.e_entry + img->bias);
	AUX(AT_UID, 0);
	AUX(AT_EUID, 0);
	AUX(AT_GID, 0);
	AUX(AT_EGID, 0);
	AUX(AT_CLKTCK, 100);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, at_random);
	AUX(AT_EXECFN, argc ? argp[0] : 0);
	AUX(AT_NULL, 0);
#undef AUX
	if (n % 2) /* keep RSP 16-aligned: argc must sit at a 16-byte boundary */
		sb->used += 8;
	*sp = sb_push(sb, vec, n * sizeof(uint64_t));
	return 0;
}

static int setup_stack(struct task_struct *t, struct elf_image *img, char *const argv[],
		       uintptr_t *sp)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	struct stack_builder sb = {.cap = 2 * PAGE_SIZE};
	uintptr_t out;
	long err;

	if (!page)
		return -ENOMEM;
	sb.buf = page_address(page);
	err = do_mmap(t->mm, STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, &out);
	if (!err)
		err = build_stack(img, argv, &sb, sp);
	if (!err && copy_to_user(*sp, sb.buf + sb.cap - sb.used, sb.used))
		err = -ENOMEM;
	__free_pages(page, 1);
	return (int)err;
}

/* Registers at the entry point: all zero (RDX 0: no atexit function), IF on. */
static void start_thread(struct task_struct *t, uintptr_t entry, uintptr_t sp)
{
	struct trap_frame *regs = task_pt_regs(t);

	memset(regs, 0, sizeof(*regs));
	regs->rip = entry;
	regs->rsp = sp;
	regs->cs = USER_CS;
	regs->ss = USER_DS;
	regs->rflags = X86_RFLAGS_IF | X86_RFLAGS_FIXED;
}

int exec_load(struct task_struct *t, const void *image, size_t size, char *const argv[])
{
	struct elf_image img;
	uintptr_t sp = 0;
	int err;

	memset(&img, 0, sizeof(img));
	err = elf_parse(&img, image, size);
	if (!err)
		err = elf_load_segments(t, &img);
	if (!err)
		err = setup_stack(t, &img, argv, &sp);
	if (err)
		return err;
	t->start_brk = img.brk;
	start_thread(t, img.eh.e_entry + img.bias, sp);
	return 0;
}
