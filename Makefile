# flushlab: build the kernel and its UEFI loader, boot them in QEMU, test, bench.
# `make help` lists the targets. Nothing here downloads anything: tools come
# from Debian packages (tools/deps.sh installs them, or says how).

CROSS_COMPILE ?=
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
OBJDUMP := $(CROSS_COMPILE)objdump
NM := $(CROSS_COMPILE)nm
NASM ?= nasm
HOSTCC ?= gcc
PYTHON ?= python3

B ?= build
SMP ?= 4
MEM ?= 5G
ACCEL ?= tcg
SCRIPT ?= scripts/default.fl
TIMEOUT ?= 600
PREALLOC ?= 1
PMEM ?=
export SMP MEM PMEM ACCEL TIMEOUT PREALLOC

# ---------------------------------------------------------------- kernel ----
# Freestanding: GCC's own headers (stdint.h, stdarg.h, ...) only, never libc's.
GCC_INCLUDE := $(shell $(CC) -print-file-name=include)
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(GCC_INCLUDE) \
	-fno-pic -fno-pie -mcmodel=kernel -mno-red-zone -mno-80387 -mno-mmx \
	-mno-sse -mno-sse2 -mgeneral-regs-only -fno-stack-protector -fno-common \
	-fno-omit-frame-pointer -fno-strict-aliasing -fno-builtin \
	-fno-tree-loop-distribute-patterns \
	-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -MMD -MP -I. -Iinclude
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack -T linker.ld

KERNEL_DIRS := arch/x86_64 kernel mm smp lib bench tests/kernel
KERNEL_C := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c))
KERNEL_ASM := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.asm))
KERNEL_OBJ := $(patsubst %.c,$(B)/k/%.o,$(KERNEL_C)) \
	$(patsubst %.asm,$(B)/k/%.asm.o,$(KERNEL_ASM))

# ---------------------------------------------------------------- loader ----
# GNU-EFI's recipe (docs/toolchain.md): a PIC shared object turned into PE32+.
EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
EFI_CFLAGS := -std=gnu11 -O2 -fpic -fshort-wchar -mno-red-zone -ffreestanding \
	-fno-stack-protector -fno-strict-aliasing -maccumulate-outgoing-args \
	-DEFI_FUNCTION_WRAPPER -DGNU_EFI_USE_MS_ABI -Wall -Wextra -Werror \
	-Wno-unused-parameter -I$(EFI_INC) -I$(EFI_INC)/x86_64 -I. -Iinclude -MMD -MP
EFI_LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic -T $(EFI_LIB)/elf_x86_64_efi.lds
LOADER_C := $(wildcard boot/*.c)
LOADER_OBJ := $(patsubst %.c,$(B)/efi/%.o,$(LOADER_C))

# ------------------------------------------------------------ host tests ----
HOST_CFLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined -Wall -Wextra -Werror -Wno-unused-parameter \
	-I. -Iinclude -Itests/host/stubs -DHOST_BUILD
HOST_TESTS :=
include tests/host/host.mk

.PHONY: all kernel loader esp run shell debug test test-host test-boot bench deps \
	clean help format
all: kernel loader esp

kernel: $(B)/kernel.elf
loader: $(B)/BOOTX64.EFI
esp: $(B)/esp.img

# V=1 shows each command in full.
Q := $(if $(V),,@)

$(B)/k/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/k/%.asm.o: %.asm
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NASM    $<")
	$(Q)$(NASM) -f elf64 -g -F dwarf -MD $(B)/k/$*.asm.d -MP -I. $< -o $@

# Every link also writes the symbol table and a disassembly: when a fault
# leaves only an address, these turn it back into a line of code.
$(B)/kernel.elf: $(KERNEL_OBJ) linker.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJ)
	$(Q)$(NM) -n $@ > $(B)/kernel.sym
	$(Q)$(OBJDUMP) -d -S --no-show-raw-insn $@ > $(B)/kernel.asm

$(B)/efi/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC(EFI) $<")
	$(Q)$(CC) $(EFI_CFLAGS) -c $< -o $@

$(B)/BOOTX64.EFI: $(LOADER_OBJ)
	@$(if $(Q),echo "  LD(EFI) $@")
	$(Q)$(LD) $(EFI_LDFLAGS) $(EFI_LIB)/crt0-efi-x86_64.o $(LOADER_OBJ) \
		-o $(B)/bootx64.so -L$(EFI_LIB) -lgnuefi -lefi
	$(Q)$(OBJCOPY) -j .text -j .sdata -j .data -j .rodata -j .dynamic -j .dynsym \
		-j .rel -j .rela -j .rel.* -j .rela.* -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $(B)/bootx64.so $@

# The ESP image: loader and kernel. Scripts are added to a per-boot copy by
# tools/qemu-boot, so changing the script never rebuilds anything.
$(B)/esp.img: $(B)/BOOTX64.EFI $(B)/kernel.elf
	@$(if $(Q),echo "  ESP     $@")
	$(Q)tools/mkesp.sh $@ $(B)/BOOTX64.EFI $(B)/kernel.elf

# ------------------------------------------------------------------- run ----
deps:
	@tools/deps.sh

run: deps all
	tools/qemu-boot --script $(SCRIPT)

shell: deps all
	tools/qemu-boot --interactive

debug: deps all
	@echo "QEMU waits for GDB on :1234. In another terminal:"
	@echo "  gdb $(B)/kernel.elf -ex 'target remote :1234'"
	tools/qemu-boot --interactive --gdb

# ------------------------------------------------------------------ test ----
# Each host test X lists its sources as X_SRCS (and extra flags as X_CFLAGS)
# in tests/host/host.mk; the real kernel sources are compiled for the host.
define HOST_TEST_RULE
$(B)/host/$(1): $$($(1)_SRCS) $$(wildcard tests/host/*.h tests/host/stubs/*.h */*.h */*/*.h lib/*.c)
	@mkdir -p $(B)/host
	@$$(if $$(Q),echo "  HOSTCC  $$@")
	$$(Q)$(HOSTCC) $(HOST_CFLAGS) $$($(1)_CFLAGS) $$($(1)_SRCS) -o $$@
endef
$(foreach t,$(HOST_TESTS),$(eval $(call HOST_TEST_RULE,$(t))))

test-host: $(addprefix $(B)/host/,$(HOST_TESTS))

test-boot: all

test: deps all test-host
	$(PYTHON) tests/boot/run_tests.py --host-tests "$(addprefix $(B)/host/,$(HOST_TESTS))"

bench: deps all
	$(PYTHON) tools/bench.py

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(B)

help:
	@echo "make run     build, boot in QEMU (SMP=$(SMP) MEM=$(MEM) ACCEL=$(ACCEL)), run SCRIPT"
	@echo "make shell   boot to the interactive serial console"
	@echo "make test    host unit tests, in-kernel KTAP suites at -smp 1,2,4, script tests"
	@echo "make bench   the experiment matrix, results under results/"
	@echo "make debug   QEMU waiting for GDB with the kernel's symbols"

-include $(shell find $(B) -name '*.d' 2>/dev/null)
