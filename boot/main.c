/*
 * flushlab's UEFI loader (EFI/BOOT/BOOTX64.EFI), a GNU-EFI application. It
 * reads \flushlab\kernel.elf and the optional \flushlab\cmdline,
 * \flushlab\script and \flushlab\initrd from its own ESP, so a script
 * travels on the same FAT volume whether that is a QEMU disk image or a USB
 * stick. It then fills struct boot_info, exits boot services and jumps to the
 * kernel.
 */
#include "loader.h"
#include "arch/x86_64/cpu.h"

#define KERNEL_PATH L"\\flushlab\\kernel.elf"
#define CMDLINE_PATH L"\\flushlab\\cmdline"
#define SCRIPT_PATH L"\\flushlab\\script"
#define INITRD_PATH L"\\flushlab\\initrd"
#define INITRD_MAX (256ULL << 20) /* a sanity bound: programs are KiB, not GiB */
#define QEMU_DEBUG_EXIT_PORT 0xf4
#define LOADER_FAILURE_STATUS 4 /* QEMU exits with (4 << 1) | 1 = 9 */

EFI_STATUS loader_fail(EFI_STATUS status, const CHAR16 *fmt, ...)
{
	va_list args;

	Print(L"flushlab loader: error: ");
	va_start(args, fmt);
	VPrint(fmt, args);
	va_end(args);
	Print(L" (%r)\r\n", status);
	/* Under QEMU this ends the run with a failure status; on hardware the
	 * port is unused and we return to the firmware's boot manager. */
	outb(QEMU_DEBUG_EXIT_PORT, LOADER_FAILURE_STATUS);
	return status;
}

EFI_STATUS alloc_pages(UINTN pages, EFI_PHYSICAL_ADDRESS *phys)
{
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, EfiLoaderData, pages, phys);
	if (!EFI_ERROR(st))
		ZeroMem((void *)*phys, pages * PAGE_SIZE);
	return st;
}

/* Read a whole file from the boot volume into pool memory. */
static EFI_STATUS read_file(EFI_FILE_HANDLE root, CHAR16 *path, void **buf, UINTN *size)
{
	EFI_FILE_HANDLE fh;
	EFI_FILE_INFO *info;
	EFI_STATUS st;

	st = uefi_call_wrapper(root->Open, 5, root, &fh, path, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	info = LibFileInfo(fh);
	st = EFI_LOAD_ERROR;
	if (info) {
		*size = info->FileSize;
		FreePool(info);
		*buf = AllocatePool(*size ? *size : 1);
		st = *buf ? uefi_call_wrapper(fh->Read, 3, fh, size, *buf) : EFI_OUT_OF_RESOURCES;
	}
	uefi_call_wrapper(fh->Close, 1, fh);
	return st;
}

/* Copy an optional text file into a fixed boot_info buffer; too long is an error. */
static EFI_STATUS read_optional(EFI_FILE_HANDLE root, CHAR16 *path, char *dst, UINTN cap,
				UINTN *len)
{
	void *buf;
	UINTN size;
	EFI_STATUS st = read_file(root, path, &buf, &size);

	*len = 0;
	if (st == EFI_NOT_FOUND)
		return EFI_SUCCESS;
	if (EFI_ERROR(st))
		return loader_fail(st, L"cannot read %s", path);
	if (size > cap)
		return loader_fail(EFI_BUFFER_TOO_SMALL, L"%s is %d bytes, limit %d", path, size,
				   cap);
	CopyMem(dst, buf, size);
	FreePool(buf);
	*len = size;
	return EFI_SUCCESS;
}

/*
 * The optional initramfs, read straight into EfiLoaderData pages that the
 * kernel keeps (mm reserves bi->initrd like the symbol table): its ramfs
 * points into these bytes instead of copying them.
 */
static EFI_STATUS read_initrd(EFI_FILE_HANDLE root, struct boot_info *bi)
{
	EFI_FILE_HANDLE fh;
	EFI_FILE_INFO *info;
	EFI_PHYSICAL_ADDRESS phys;
	UINTN size;
	EFI_STATUS st;

	st = uefi_call_wrapper(root->Open, 5, root, &fh, INITRD_PATH, EFI_FILE_MODE_READ, 0);
	if (st == EFI_NOT_FOUND)
		return EFI_SUCCESS;
	if (EFI_ERROR(st))
		return loader_fail(st, L"cannot open %s", INITRD_PATH);
	info = LibFileInfo(fh);
	size = info ? info->FileSize : 0;
	if (info)
		FreePool(info);
	st = !info ? EFI_LOAD_ERROR : size > INITRD_MAX ? EFI_BAD_BUFFER_SIZE : EFI_SUCCESS;
	if (!EFI_ERROR(st) && size)
		st = alloc_pages((size + PAGE_SIZE - 1) / PAGE_SIZE, &phys);
	if (!EFI_ERROR(st) && size)
		st = uefi_call_wrapper(fh->Read, 3, fh, &size, (void *)phys);
	uefi_call_wrapper(fh->Close, 1, fh);
	if (EFI_ERROR(st))
		return loader_fail(st, L"cannot read %s (%ld bytes, limit %ld)", INITRD_PATH, size,
				   INITRD_MAX);
	if (size) {
		bi->initrd.phys = phys;
		bi->initrd.size = size;
	}
	return EFI_SUCCESS;
}

static uint64_t find_rsdp(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;

	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++)
		if (CompareGuid(&ST->ConfigurationTable[i].VendorGuid, &acpi20) == 0)
			return (uint64_t)ST->ConfigurationTable[i].VendorTable;
	return 0;
}

/*
 * GetMemoryMap straight into boot_info, then ExitBootServices. The spec lets
 * ExitBootServices fail with EFI_INVALID_PARAMETER when the map changed under
 * us; then the map is fetched again (no allocation in between) and retried.
 */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, struct boot_info *bi)
{
	EFI_STATUS st = EFI_INVALID_PARAMETER;

	for (int attempt = 0; attempt < 4 && st == EFI_INVALID_PARAMETER; attempt++) {
		UINTN size = sizeof(bi->mmap), key, dsize;
		UINT32 dver;

		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size,
				       (EFI_MEMORY_DESCRIPTOR *)bi->mmap, &key, &dsize, &dver);
		if (EFI_ERROR(st))
			return loader_fail(st, L"GetMemoryMap into a %d-byte buffer",
					   sizeof(bi->mmap));
		bi->mmap_size = size;
		bi->mmap_desc_size = dsize;
		bi->mmap_desc_version = dver;
		st = uefi_call_wrapper(BS->ExitBootServices, 2, image, key);
	}
	return st;
}

static EFI_STATUS load_files(EFI_HANDLE image, struct boot_info *bi, struct loaded_kernel *k)
{
	EFI_LOADED_IMAGE *li;
	EFI_FILE_HANDLE root;
	void *elf;
	UINTN size, len;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st))
		return loader_fail(st, L"no loaded-image protocol");
	root = LibOpenRoot(li->DeviceHandle);
	if (!root)
		return loader_fail(EFI_NOT_FOUND, L"cannot open the boot volume");
	st = read_file(root, KERNEL_PATH, &elf, &size);
	if (EFI_ERROR(st))
		return loader_fail(st, L"cannot read %s", KERNEL_PATH);
	st = elf_load_kernel(elf, size, k, bi);
	if (EFI_ERROR(st))
		return st;
	st = read_optional(root, CMDLINE_PATH, bi->cmdline, sizeof(bi->cmdline) - 1, &len);
	if (EFI_ERROR(st))
		return st;
	bi->cmdline[len] = 0;
	st = read_optional(root, SCRIPT_PATH, bi->script, sizeof(bi->script), &len);
	bi->script_size = len;
	if (EFI_ERROR(st))
		return st;
	return read_initrd(root, bi);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_PHYSICAL_ADDRESS phys;
	struct loaded_kernel k;
	struct boot_info *bi;
	uint64_t cr3, tsc = rdtsc();
	EFI_STATUS st;

	InitializeLib(image, systab);
	Print(L"flushlab loader: starting\r\n");
	st = alloc_pages((sizeof(*bi) + PAGE_SIZE - 1) / PAGE_SIZE, &phys);
	if (EFI_ERROR(st))
		return loader_fail(st, L"no memory for boot_info");
	bi = (struct boot_info *)phys;
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->size = sizeof(*bi);
	bi->loader_tsc = tsc;
	bi->self.phys = phys;
	bi->self.size = (sizeof(*bi) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	bi->rsdp_phys = find_rsdp();

	st = load_files(image, bi, &k);
	if (EFI_ERROR(st))
		return st;
	st = paging_build(&k, bi, &cr3);
	if (EFI_ERROR(st))
		return st;
	Print(L"flushlab loader: kernel at %lx, %d KiB, script %d bytes, initrd %d bytes; "
	      L"exiting boot services\r\n",
	      k.phys_base, k.span / 1024, bi->script_size, bi->initrd.size);
	st = exit_boot_services(image, bi);
	if (EFI_ERROR(st))
		return loader_fail(st, L"ExitBootServices");
	bi->handoff_tsc = rdtsc();
	jump_to_kernel(cr3, k.entry, (uint64_t)bi);
}
