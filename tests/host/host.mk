# Host-tier unit tests: one line per test binary. X_SRCS are the real kernel
# sources under test plus tests/host/X_test.c; X_CFLAGS is optional.
# Kernel names that clash with the C library (snprintf) are renamed by the test.

HOST_TESTS += vsprintf
vsprintf_SRCS := tests/host/vsprintf_test.c

HOST_TESTS += kstrtox
kstrtox_SRCS := tests/host/kstrtox_test.c lib/kstrtox.c

HOST_TESTS += pseudofs
pseudofs_SRCS := tests/host/pseudofs_test.c kernel/pseudofs.c kernel/pseudofs_choice.c \
	lib/errno.c lib/kstrtox.c tests/host/stubs/seq_buf_mem_stub.c tests/host/stubs/mutex_stub.c \
	tests/host/stubs/console_stub.c tests/host/stubs/panic_stub.c

HOST_TESTS += line_editor
line_editor_SRCS := tests/host/line_editor_test.c kernel/line_editor.c \
	tests/host/stubs/console_stub.c tests/host/stubs/panic_stub.c

HOST_TESTS += shell
shell_SRCS := tests/host/shell_test.c kernel/shell.c kernel/shell_builtins.c \
	kernel/line_editor.c kernel/pseudofs.c lib/kstrtox.c lib/errno.c \
	tests/host/stubs/seq_buf_mem_stub.c tests/host/stubs/mutex_stub.c \
	tests/host/stubs/console_stub.c tests/host/stubs/panic_stub.c

MM_CORE_SRCS := mm/page_alloc.c mm/page_alloc_check.c mm/contig_alloc.c mm/fail_page_alloc.c \
	mm/arena.c tests/host/stubs/mm_stubs.c tests/host/stubs/panic_stub.c

HOST_TESTS += buddy
buddy_SRCS := tests/host/buddy_test.c $(MM_CORE_SRCS)

HOST_TESTS += contig_alloc
contig_alloc_SRCS := tests/host/contig_alloc_test.c $(MM_CORE_SRCS)

HOST_TESTS += fail_page_alloc
fail_page_alloc_SRCS := tests/host/fail_page_alloc_test.c $(MM_CORE_SRCS)

HOST_TESTS += memblock
memblock_SRCS := tests/host/memblock_test.c mm/memblock.c $(MM_CORE_SRCS)

HOST_TESTS += arena
arena_SRCS := tests/host/arena_test.c $(MM_CORE_SRCS)

HOST_TESTS += vma
vma_SRCS := tests/host/vma_test.c mm/vma.c tests/host/stubs/panic_stub.c

HOST_TESTS += asid
asid_SRCS := tests/host/asid_test.c smp/asid.c

HOST_TESTS += pcid
pcid_SRCS := tests/host/pcid_test.c smp/pcid_rules.c

HOST_TESTS += initramfs
initramfs_SRCS := tests/host/initramfs_test.c task/initramfs.c task/ramfs.c \
	task/ramfs_pseudofs.c kernel/pseudofs.c lib/errno.c tests/host/stubs/mutex_stub.c \
	tests/host/stubs/console_stub.c tests/host/stubs/panic_stub.c \
	tests/host/stubs/seq_buf_mem_stub.c

HOST_TESTS += slab
slab_SRCS := tests/host/slab_test.c mm/slab.c $(MM_CORE_SRCS)

HOST_TESTS += trace_output
trace_output_SRCS := tests/host/trace_output_test.c trace/trace_output.c trace/trace_events.c

HOST_TESTS += tlbmodel
tlbmodel_SRCS := tests/host/tlbmodel_test.c tools/tlbmodel/tlb_model.c tools/tlbmodel/tlb_shared.c tools/tlbmodel/presets.c \
	tools/tlbmodel/x86_decode.c tools/tlbmodel/phase.c
tlbmodel_CFLAGS := -lpthread

# The ABI check: include/uapi/'s constants against the build machine's
# Linux and glibc headers. The name list is generated from our headers (every
# object-like #define but the include guards); `make test-host` also runs it,
# so a wrong number fails the build of the host tests.
UAPI_HEADERS := $(wildcard include/uapi/*.h include/uapi/asm/*.h)
$(B)/host/gen/uapi_names.h: $(UAPI_HEADERS) tests/host/host.mk
	@mkdir -p $(dir $@)
	$(Q)awk '$$1 == "#define" && $$2 !~ /\(/ && $$2 !~ /^UAPI_.*_H$$/ { \
		printf "#ifdef %s\nABI_DEFINED(%s)\n#else\nABI_UNDEFINED(%s)\n#endif\n", \
		$$2, $$2, $$2 }' $(UAPI_HEADERS) > $@
HOST_TESTS += uapi
uapi_SRCS := tests/host/uapi_test.c tests/host/uapi_ours.c tests/host/uapi_host_linux.c \
	tests/host/uapi_host_glibc.c
uapi_CFLAGS := -I$(B)/host/gen
$(B)/host/uapi: $(B)/host/gen/uapi_names.h
$(B)/host/uapi.ok: $(B)/host/uapi
	$(Q)$< > $@.log || { cat $@.log; exit 1; }
	$(Q)touch $@
test-host: $(B)/host/uapi.ok

HOST_TESTS += time64
time64_SRCS := tests/host/time64_test.c lib/time64.c
