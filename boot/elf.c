/*
 * ELF64 loading for the kernel image: every header is checked against the
 * file's size before it is used, so a truncated or foreign kernel.elf gives a
 * message, not a fault. The image is placed in one physically contiguous block
 * that the higher-half mapping then covers 1:1 in offset.
 */
#include "loader.h"
#include "flushlab/elf64.h"

static BOOLEAN in_file(UINTN off, UINTN len, UINTN size)
{
	return off <= size && len <= size - off;
}

static EFI_STATUS elf_check_header(const Elf64_Ehdr *eh, UINTN size)
{
	if (size < sizeof(*eh) || CompareMem(eh->e_ident, ELF_MAGIC, 4) != 0)
		return loader_fail(EFI_LOAD_ERROR, L"kernel.elf: not an ELF file");
	if (eh->e_ident[4] != ELFCLASS64 || eh->e_machine != EM_X86_64 || eh->e_type != ET_EXEC)
		return loader_fail(EFI_LOAD_ERROR, L"kernel.elf: not an x86-64 executable");
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    !in_file(eh->e_phoff, (UINTN)eh->e_phnum * sizeof(Elf64_Phdr), size))
		return loader_fail(EFI_LOAD_ERROR, L"kernel.elf: program headers out of bounds");
	return EFI_SUCCESS;
}

/* The virtual span of all PT_LOAD segments; every one must sit in the higher half. */
static EFI_STATUS elf_span(const Elf64_Ehdr *eh, UINTN size, uint64_t *span)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const UINT8 *)eh + eh->e_phoff);
	uint64_t end = 0;

	for (UINTN i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_vaddr < KERNEL_VIRT_BASE || ph[i].p_filesz > ph[i].p_memsz ||
		    ph[i].p_memsz > (1ULL << 30) || !in_file(ph[i].p_offset, ph[i].p_filesz, size))
			return loader_fail(EFI_LOAD_ERROR, L"kernel.elf: bad PT_LOAD segment %d",
					   i);
		if (ph[i].p_vaddr + ph[i].p_memsz - KERNEL_VIRT_BASE > end)
			end = ph[i].p_vaddr + ph[i].p_memsz - KERNEL_VIRT_BASE;
	}
	if (end == 0)
		return loader_fail(EFI_LOAD_ERROR, L"kernel.elf: no loadable segment");
	*span = (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	return EFI_SUCCESS;
}

/* Copy one section (the symbol or string table) into pages the kernel keeps. */
static EFI_STATUS copy_section(const UINT8 *file, UINTN size, const Elf64_Shdr *sh,
			       struct boot_range *out)
{
	EFI_PHYSICAL_ADDRESS phys;
	EFI_STATUS st;

	if (!in_file(sh->sh_offset, sh->sh_size, size) || sh->sh_size == 0)
		return EFI_SUCCESS; /* no symbols: backtraces print bare addresses */
	st = alloc_pages((sh->sh_size + PAGE_SIZE - 1) / PAGE_SIZE, &phys);
	if (EFI_ERROR(st))
		return st;
	CopyMem((void *)phys, file + sh->sh_offset, sh->sh_size);
	out->phys = phys;
	out->size = sh->sh_size;
	return EFI_SUCCESS;
}

static EFI_STATUS elf_copy_symbols(const Elf64_Ehdr *eh, UINTN size, struct boot_info *bi)
{
	const UINT8 *file = (const UINT8 *)eh;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(file + eh->e_shoff);
	EFI_STATUS st;

	if (eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !in_file(eh->e_shoff, (UINTN)eh->e_shnum * sizeof(Elf64_Shdr), size))
		return EFI_SUCCESS;
	for (UINTN i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		st = copy_section(file, size, &sh[i], &bi->symtab);
		if (!EFI_ERROR(st))
			st = copy_section(file, size, &sh[sh[i].sh_link], &bi->strtab);
		return st;
	}
	return EFI_SUCCESS;
}

EFI_STATUS elf_load_kernel(const void *file, UINTN size, struct loaded_kernel *k,
			   struct boot_info *bi)
{
	const Elf64_Ehdr *eh = file;
	const Elf64_Phdr *ph;
	EFI_PHYSICAL_ADDRESS phys;
	EFI_STATUS st;

	st = elf_check_header(eh, size);
	if (EFI_ERROR(st))
		return st;
	st = elf_span(eh, size, &k->span);
	if (EFI_ERROR(st))
		return st;
	if (eh->e_entry < KERNEL_VIRT_BASE || eh->e_entry - KERNEL_VIRT_BASE >= k->span)
		return loader_fail(EFI_LOAD_ERROR, L"kernel.elf: entry point outside the image");
	st = alloc_pages(k->span / PAGE_SIZE, &phys);
	if (EFI_ERROR(st))
		return loader_fail(st, L"kernel.elf: no memory for a %ld KiB image",
				   k->span / 1024);

	ph = (const Elf64_Phdr *)((const UINT8 *)file + eh->e_phoff);
	for (UINTN i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		CopyMem((void *)(phys + ph[i].p_vaddr - KERNEL_VIRT_BASE),
			(const UINT8 *)file + ph[i].p_offset, ph[i].p_filesz);
	}
	k->entry = eh->e_entry;
	k->phys_base = phys;
	k->elf = file;
	k->elf_size = size;
	bi->kernel.phys = phys;
	bi->kernel.size = k->span;
	return elf_copy_symbols(eh, size, bi);
}
