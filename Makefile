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

# TRACING=0 compiles every trace hook out (kernel/trace.h), in its own build dir.
TRACING ?= 1
B ?= $(if $(filter 0,$(TRACING)),build-notrace,build)
# SMP, MEM, PMEM, CMDLINE, CPU (QEMU's -cpu): unset, a script's `#!` header
# decides (tests/scripts/*.fl), else tools/qemu-boot's defaults (4 CPUs, 5G,
# -cpu max); set, they win over the header.
SMP ?=
MEM ?=
ACCEL ?= tcg
SCRIPT ?= scripts/default.fl
TIMEOUT ?= 600
PREALLOC ?= 1
PMEM ?=
CMDLINE ?=
CPU ?=
TLBMODEL ?=
export SMP MEM PMEM CMDLINE CPU ACCEL TIMEOUT PREALLOC TLBMODEL

# ---------------------------------------------------------------- kernel ----
# Freestanding: GCC's own headers (stdint.h, stdarg.h, ...) only, never libc's.
GCC_INCLUDE := $(shell $(CC) -print-file-name=include)
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(GCC_INCLUDE) \
	-fno-pic -fno-pie -mcmodel=kernel -mno-red-zone -mno-80387 -mno-mmx \
	-mno-sse -mno-sse2 -mgeneral-regs-only -fno-stack-protector -fno-common \
	-fno-omit-frame-pointer -fno-strict-aliasing -fno-builtin \
	-fno-tree-loop-distribute-patterns \
	-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -MMD -MP -I. -Iinclude -DFLUSHLAB_TRACING=$(TRACING)
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack -T linker.ld

KERNEL_DIRS := arch/x86_64 init kernel trace mm smp task fs lib bench tests/kernel
KERNEL_C := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c))
KERNEL_ASM := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.asm))
KERNEL_OBJ := $(patsubst %.c,$(B)/k/%.o,$(KERNEL_C)) \
	$(patsubst %.asm,$(B)/k/%.asm.o,$(KERNEL_ASM))

# ---------------------------------------------------------------- loader ----
# GNU-EFI's recipe: a PIC shared object turned into PE32+.
EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
EFI_CFLAGS := -std=gnu11 -O2 -fpic -fshort-wchar -mno-red-zone -ffreestanding \
	-fno-stack-protector -fno-strict-aliasing -maccumulate-outgoing-args \
	-DEFI_FUNCTION_WRAPPER -DGNU_EFI_USE_MS_ABI -Wall -Wextra -Werror \
	-Wno-unused-parameter -I$(EFI_INC) -I$(EFI_INC)/x86_64 -I. -Iinclude -MMD -MP
EFI_LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic -T $(EFI_LIB)/elf_x86_64_efi.lds
LOADER_C := $(wildcard boot/*.c)
LOADER_OBJ := $(patsubst %.c,$(B)/efi/%.o,$(LOADER_C))

# --------------------------------------------------------- user programs ----
# Each user/NAME.c is a static ELF program, $(B)/user/NAME, linked at 0x400000
# with the runtime in user/lib/ (never the kernel's lib/ objects, never libc).
# -mgeneral-regs-only: no SSE/x87 in user code for now, so the kernel need not
# save or restore FPU state on a context switch; lift it together with that.
# `make user-linux` builds the same sources with $(HOSTCC) into $(B)/user-linux/,
# to run on the build machine itself (the Linux syscall ABI is the same).
# Every program goes into $(B)/initramfs.cpio as /bin/NAME (cpio newc).
USER_CFLAGS = -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(1) -fno-pic -fno-pie \
	-mgeneral-regs-only -fno-stack-protector -fno-common -fno-builtin \
	-fno-tree-loop-distribute-patterns -Wall -Wextra -Werror -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter -MMD -MP -I. -Iinclude -Iuser/include
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,-Ttext-segment=0x400000 \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,--build-id=none
USER_LIB_SRC := $(wildcard user/lib/*.c user/lib/*.S)
USER_PROGS := $(basename $(notdir $(wildcard user/*.c)))
USER_BINS := $(addprefix $(B)/user/,$(USER_PROGS))
USER_LINUX_BINS := $(addprefix $(B)/user-linux/,$(USER_PROGS))

# $(1): object dir, $(2): compiler, $(3): output dir
define USER_RULES
$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  CC(U)   $$<")
	$$(Q)$(2) $$(call USER_CFLAGS,$$(shell $(2) -print-file-name=include)) -c $$< -o $$@
$(1)/%.o: %.S
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  AS(U)   $$<")
	$$(Q)$(2) -MMD -MP -Iuser/include -c $$< -o $$@
$(3)/%: $(1)/user/%.o $(patsubst %,$(1)/%.o,$(basename $(USER_LIB_SRC)))
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  LD(U)   $$@")
	$$(Q)$(2) $(USER_LDFLAGS) -o $$@ $$^
endef
$(eval $(call USER_RULES,$(B)/u,$(CC),$(B)/user))
$(eval $(call USER_RULES,$(B)/u-linux,$(HOSTCC),$(B)/user-linux))
USER_OBJ_NAMES := $(basename $(USER_LIB_SRC)) $(addprefix user/,$(USER_PROGS))
.SECONDARY: $(foreach d,u u-linux,$(patsubst %,$(B)/$(d)/%.o,$(USER_OBJ_NAMES)))

$(B)/initramfs.cpio: $(USER_BINS) tools/mkinitramfs.py
	@$(if $(Q),echo "  CPIO    $@")
	$(Q)$(PYTHON) tools/mkinitramfs.py -o $@ $(foreach p,$(USER_PROGS),bin/$(p)=$(B)/user/$(p))

user: $(USER_BINS) $(B)/initramfs.cpio
user-linux: $(USER_LINUX_BINS)

# ------------------------------------------------------------- tlbmodel ----
# The TLB-model QEMU plugin (tools/tlbmodel/, docs/tlb.md "Indirect cost"):
# a host shared object QEMU >= 10 loads with -plugin (TLBMODEL=PRESET), built
# against our own declarations of the plugin API, so no QEMU source is needed;
# and tlbmodel-presets, which lists the presets (TLBMODEL=list).
TLBMODEL_SRC := tools/tlbmodel/plugin.c tools/tlbmodel/phase.c tools/tlbmodel/tlb_model.c \
	tools/tlbmodel/tlb_shared.c \
	tools/tlbmodel/presets.c tools/tlbmodel/x86_decode.c
TLBMODEL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -I. -Iinclude
$(B)/tlbmodel/libtlbmodel.so: $(TLBMODEL_SRC) $(wildcard tools/tlbmodel/*.h) include/flushlab/tlbmodel.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) $(TLBMODEL_CFLAGS) -fPIC -shared -fvisibility=hidden -o $@ $(TLBMODEL_SRC) -lpthread
$(B)/tlbmodel/tlbmodel-presets: tools/tlbmodel/presets_main.c tools/tlbmodel/presets.c \
		tools/tlbmodel/tlb_model.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) $(TLBMODEL_CFLAGS) -o $@ tools/tlbmodel/presets_main.c tools/tlbmodel/presets.c
tlbmodel: $(B)/tlbmodel/libtlbmodel.so $(B)/tlbmodel/tlbmodel-presets

# ------------------------------------------------------------ host tests ----
HOST_CFLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined -Wall -Wextra -Werror -Wno-unused-parameter \
	-I. -Iinclude -Itests/host/stubs -DHOST_BUILD
HOST_TESTS :=
include tests/host/host.mk

.PHONY: all kernel loader esp run shell debug test test-host test-boot bench bench-workloads \
	test-frames deps clean help format usb FORCE user user-linux test-user-linux trace compare-linux \
	course-figures course-check tlbmodel \
	check check-headers check-format check-refs check-layers
all: kernel loader esp tlbmodel

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

# The ESP image: loader, kernel and initramfs. Scripts are added to a per-boot copy by
# tools/qemu-boot, so changing the script never rebuilds anything.
$(B)/esp.img: $(B)/BOOTX64.EFI $(B)/kernel.elf $(B)/initramfs.cpio
	@$(if $(Q),echo "  ESP     $@")
	$(Q)tools/mkesp.sh $@ $(B)/BOOTX64.EFI $(B)/kernel.elf $(B)/initramfs.cpio

# ------------------------------------------------------------------- run ----
deps:
	@tools/deps.sh

# make's own exit status can only be 0 or 2, so `make run` exits 2 for any
# failed verdict; the verdict itself is qemu-boot's exit status, printed as
# its last line and in make's "Error N" (README: "The exit status").

# BIN="FILE...": static programs from outside the tree, added to /bin for this boot.
BIN ?=
QEMU_BIN := $(if $(strip $(BIN)),--bin "$(BIN)")

run: deps all
	tools/qemu-boot --script $(SCRIPT) $(QEMU_BIN)

# A disk image for a USB stick: GPT with the ESP as its one partition
# (docs/usb.md). USB_SCRIPT=path puts a script on it to run at boot.
usb: $(B)/usb.img
$(B)/usb.img: $(B)/esp.img tools/mkusb.py $(USB_SCRIPT) FORCE
	$(Q)tools/mkusb.py $(B)/esp.img $@ $(USB_SCRIPT)
FORCE:

shell: deps all
	tools/qemu-boot --interactive $(QEMU_BIN)

debug: deps all
	@echo "QEMU waits for GDB on :1234. In another terminal:"
	@echo "  gdb $(B)/kernel.elf -ex 'target remote :1234'"
	tools/qemu-boot --interactive --gdb $(QEMU_BIN)

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

# ---------------------------------------------------------------- checks ----
# Every header compiles on its own (it includes what it uses), with the flags
# of the code that includes it; and clang-format leaves the tree unchanged.
K_HEADERS := $(filter-out boot/% user/% tests/host/% tools/wis/%,$(shell git ls-files '*.h'))
EFI_HEADERS := $(filter boot/%,$(shell git ls-files '*.h'))
USER_HEADERS := $(filter user/%,$(shell git ls-files '*.h'))
$(B)/hdr/k/%.ok: %
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(filter-out -MMD -MP,$(KCFLAGS)) -fsyntax-only -x c $< && touch $@
$(B)/hdr/efi/%.ok: %
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(filter-out -MMD -MP,$(EFI_CFLAGS)) -fsyntax-only -x c $< && touch $@
$(B)/hdr/u/%.ok: %
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(filter-out -MMD -MP,$(call USER_CFLAGS,$(GCC_INCLUDE))) -fsyntax-only -x c $< \
		&& touch $@
check-headers: $(patsubst %,$(B)/hdr/k/%.ok,$(K_HEADERS)) \
	$(patsubst %,$(B)/hdr/efi/%.ok,$(EFI_HEADERS)) $(patsubst %,$(B)/hdr/u/%.ok,$(USER_HEADERS))
check-format:
	@out=$$(clang-format --dry-run $$(git ls-files '*.c' '*.h') 2>&1 | grep -c 'warning:'); \
	if [ "$$out" != 0 ]; then echo "check-format: clang-format would change $$out places;" \
		"run make format (first: clang-format --dry-run FILE)"; exit 1; fi
check-refs:
	$(Q)$(PYTHON) tools/check_refs.py
# The layering (tools/layering.py): no include runs up a layer except the
# documented interfaces, and no include circle spans two folders.
check-layers:
	$(Q)$(PYTHON) tools/layering.py --check >/dev/null || $(PYTHON) tools/layering.py --check

check: check-headers check-format check-refs check-layers

test-boot: all

# Opt-in: the issue's long zero-frames series alone (100 runs of each workload,
# fail_page_alloc at 10% for madv_touch; WORKLOAD_RUNS=N, WORKLOAD_FAIL=0 to change).
test-frames: deps all
	WORKLOAD_RUNS=$${WORKLOAD_RUNS:-100} $(PYTHON) tests/runner/run_tests.py \
		-k 'workloads/zero-frames-lost-*'

# T=GLOB: only the cases whose name (as make test prints it) matches, e.g.
# make test T=script/ptdump, T='kernel/smp*', T='script/race-* kernel/smp2' (several
# globs, space-separated); run_tests.py --list shows the names.
T ?=
test: deps all test-host user-linux $(if $(T),,check)
	$(PYTHON) tests/runner/run_tests.py --host-tests "$(addprefix $(B)/host/,$(HOST_TESTS))" \
		--user-linux $(B)/user-linux $(if $(T),-k '$(T)')

# The user programs, built for Linux, run on this machine (part of make test).
test-user-linux: user-linux
	$(PYTHON) tests/runner/run_tests.py --only host --user-linux $(B)/user-linux

# make bench [SMPS="16 32 64"]: the CPU counts to boot (default 1 2 4 8); tools/bench.py.
bench: deps all
	SMPS="$(SMPS)" $(PYTHON) tools/bench.py

# madv_touch K=1..8 under every protocol and ctxswitch, one -smp 8 boot (docs/address-spaces.md).
bench-workloads: deps all
	$(PYTHON) tools/bench_workloads.py

# make trace [SCRIPT=path]: the script with tracing on around it (docs/tracing.md);
# results/trace-NAME.{txt,json,png}. Without SCRIPT: scripts/trace-hugetlb.fl.
TRACE_SCRIPT := $(if $(filter command line environment,$(origin SCRIPT)),$(SCRIPT),scripts/trace-hugetlb.fl)
trace: deps all
	$(PYTHON) tools/trace_run.py $(TRACE_SCRIPT)

# make course-figures: the runs and pictures of the course (docs/tlb.md,
# docs/course/): one icount boot and one traced TCG boot
# (tools/course_figures.py): results/course/, results/shootdown-summary.md.
course-figures: deps all
	$(PYTHON) tools/course_figures.py

# make course-check EX=14: one course exercise's test alone, from a clean boot
# (tests/scripts/course-ex01.fl to course-ex14.fl; EX=guided: course-guided.fl);
# the same as make test T=script/course-ex14.
course-check: deps all
	$(PYTHON) tests/runner/run_tests.py -k 'script/course-$(if $(filter guided,$(EX)),guided,ex$(EX))'

# make compare-linux [SCRIPT=f.fl] [SMP=2] [MEM=1G] [BIN="..."] [KERNEL=6.12] [BOOTS=3]:
# the script's lines on flushlab and on Debian's Linux (fetched with a private
# apt configuration into build/linux/), alternating boots; one table, and
# results/compare-NAME-smpN.{csv,md,png} (docs/compare-linux.md). Its own
# defaults: SCRIPT, SMP and MEM of make run apply only when given.
CMP_SCRIPT := $(if $(filter command line environment,$(origin SCRIPT)),$(SCRIPT),scripts/compare-default.fl)
CMP_SMP := $(if $(filter command line,$(origin SMP)),$(SMP),2)
CMP_MEM := $(if $(filter command line,$(origin MEM)),$(MEM),1G)
KERNEL ?= 6.12
BOOTS ?= 3
compare-linux: deps all user-linux
	$(PYTHON) tools/compare_linux --script $(CMP_SCRIPT) --smp $(CMP_SMP) --mem $(CMP_MEM) \
		--bin "$(BIN)" --kernel $(KERNEL) --boots $(BOOTS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(B)

help:
	@echo "make run     build, boot in QEMU (SMP=4 MEM=5G ACCEL=$(ACCEL), or SCRIPT's header), run SCRIPT"
	@echo "make shell   boot to the interactive serial console"
	@echo "make test    host unit tests, in-kernel KTAP suites at -smp 1,2,4, script tests"
	@echo "make test T=GLOB  only the cases named so (make test T=script/ptdump; run_tests.py --list)"
	@echo "make bench   the experiment matrix, results under results/ (SMPS=\"16 32 64\" for more CPUs)"
	@echo "make bench-workloads  madv_touch/ctxswitch at -smp 8: results/workloads.md"
	@echo "make test-frames  100 runs of each workload: not one frame lost (opt-in, ~5 min)"
	@echo "make course-figures  the real runs and pictures of docs/tlb.md: results/course/"
	@echo "make trace   SCRIPT (default scripts/trace-hugetlb.fl) traced: results/trace-*.{txt,json,png}"
	@echo "make check   each header compiles alone, clang-format clean, no dangling file references"
	@echo "make debug   QEMU waiting for GDB with the kernel's symbols"
	@echo "make usb     build/usb.img for a USB stick (docs/usb.md)"
	@echo "make user-linux  the user/ programs built for Linux, in $(B)/user-linux/"
	@echo "make compare-linux  SCRIPT (scripts/compare-default.fl) on flushlab and Debian's Linux: results/compare-*"

-include $(shell find $(B) -name '*.d' 2>/dev/null)
