/*
 * The TLB model as a QEMU TCG plugin (API 4, QEMU >= 10.0): feeds every data
 * access, instruction fetch and flush instruction of each vCPU to the model
 * of tlb_model.c, and prints its counters per phase the guest marks
 * (include/flushlab/tlbmodel.h) as `# tlbmodel phase=NAME ...` lines, and the
 * first stale hits as `# tlbmodel stale ...`. Loaded by tools/flushlab_qemu.py
 * (`--tlbmodel PRESET`): -plugin libtlbmodel.so,preset=P,dmap=BASE[,check=...].
 * Per-vCPU state is touched by its vCPU's thread only (MTTCG); phases take a lock.
 */
#include "flushlab/tlbmodel.h"
#include "tools/tlbmodel/phase.h"
#include "tools/tlbmodel/qemu_plugin_api.h"
#include "tools/tlbmodel/tlb_model.h"
#include "tools/tlbmodel/x86_decode.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((visibility("default"))) int qemu_plugin_version = TLBMODEL_PLUGIN_API;

#define EFER_LME (1ULL << 8)

struct vcpu {
	struct tlb_cpu m;
	struct glib_byte_array *buf;
	uint64_t cr0;
	bool paging; /* CR0.PG with EFER.LME: 4-level long-mode paging, what we model */
	bool ready;
};

static struct tlbm {
	const struct tlb_preset *preset;
	uint64_t dmap;
	enum tlb_check check;
	unsigned int report, reported, max_vcpus;
	struct tlb_shared shared;
	struct vcpu *vcpus;
	struct qemu_plugin_register *gpr[16], *cr0, *cr3, *cr4, *efer;
	pthread_mutex_t lock;
} g = {.check = TLB_CHECK_GEN, .report = 8, .lock = PTHREAD_MUTEX_INITIALIZER};

static void outf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void outf(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	qemu_plugin_outs(line);
}

/* ---- guest memory and registers ---- */

/* A table entry at @phys: through flushlab's direct map, else identity (firmware). */
static bool read_pte(void *ctx, uint64_t phys, uint64_t *val)
{
	struct vcpu *v = ctx;

	if (!qemu_plugin_read_memory_vaddr(g.dmap + phys, v->buf, 8) &&
	    !qemu_plugin_read_memory_vaddr(phys, v->buf, 8))
		return false;
	memcpy(val, v->buf->data, 8);
	return true;
}

static uint64_t read_reg(struct vcpu *v, struct qemu_plugin_register *r)
{
	uint64_t val = 0;

	if (!r)
		return 0;
	g_byte_array_set_size(v->buf, 0);
	if (qemu_plugin_read_register(r, v->buf) > 0)
		memcpy(&val, v->buf->data, v->buf->len < 8 ? v->buf->len : 8);
	return val;
}

static const char *const gpr_names[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
					  "r8",	 "r9",	"r10", "r11", "r12", "r13", "r14", "r15"};

static void find_registers(void)
{
	struct glib_array *regs = qemu_plugin_get_registers();
	struct qemu_plugin_reg_desc *d = (struct qemu_plugin_reg_desc *)regs->data;

	for (unsigned int i = 0; i < regs->len; i++) {
		for (int r = 0; r < 16; r++)
			if (!strcmp(d[i].name, gpr_names[r]))
				g.gpr[r] = d[i].handle;
		if (!strcmp(d[i].name, "cr0"))
			g.cr0 = d[i].handle;
		else if (!strcmp(d[i].name, "cr3"))
			g.cr3 = d[i].handle;
		else if (!strcmp(d[i].name, "cr4"))
			g.cr4 = d[i].handle;
		else if (!strcmp(d[i].name, "efer"))
			g.efer = d[i].handle;
	}
	/* The array is GLib's to free; one per vCPU start is left (a few hundred bytes). */
}

static void vcpu_init(qemu_plugin_id_t id, unsigned int idx)
{
	struct vcpu *v;

	if (idx >= g.max_vcpus)
		return;
	v = &g.vcpus[idx];
	v->buf = g_byte_array_new();
	pthread_mutex_lock(&g.lock);
	if (!g.cr3)
		find_registers();
	pthread_mutex_unlock(&g.lock);
	if (tlb_cpu_init(&v->m, g.preset, &g.shared, read_pte, v)) {
		outf("tlbmodel: vCPU %u: out of memory; not modelled\n", idx);
		return;
	}
	v->m.check = g.check;
	v->cr0 = read_reg(v, g.cr0);
	v->m.cr3 = read_reg(v, g.cr3);
	v->m.cr4 = read_reg(v, g.cr4);
	v->paging = (v->cr0 & X86_CR0_PG) && (read_reg(v, g.efer) & EFER_LME);
	v->ready = true;
}

static struct vcpu *vcpu_of(unsigned int idx)
{
	return idx < g.max_vcpus && g.vcpus[idx].ready ? &g.vcpus[idx] : NULL;
}

/* ---- accesses ---- */

static void report_stale(unsigned int idx, uint64_t rip, const struct tlb_stale *st)
{
	char now[24] = "none";

	if (__atomic_fetch_add(&g.reported, 1, __ATOMIC_RELAXED) >= g.report)
		return;
	if (st->present)
		snprintf(now, sizeof(now), "0x%" PRIx64, st->new_phys);
	outf("# tlbmodel stale phase=%s cpu=%u rip=0x%" PRIx64 " vaddr=0x%" PRIx64 " old=0x%" PRIx64
	     " new=%s write=%d via=%s\n",
	     phase_current(), idx, rip, st->va, st->old_phys, now, st->write,
	     st->psc ? "psc" : "tlb");
}

static void mem_access(unsigned int idx, qemu_plugin_meminfo_t info, uint64_t va, void *udata)
{
	struct vcpu *v = vcpu_of(idx);
	struct qemu_plugin_hwaddr *hw;
	bool store = qemu_plugin_mem_is_store(info);
	uint64_t phys = ~0ULL;
	struct tlb_stale st;

	if (!v || !v->paging)
		return;
	hw = qemu_plugin_get_hwaddr(info, va);
	if (hw && !qemu_plugin_hwaddr_is_io(hw)) {
		phys = qemu_plugin_hwaddr_phys_addr(hw);
		if (store)
			tlb_store_phys(&g.shared, phys);
	}
	if (tlb_access(&v->m, va, store ? TLB_WRITE : TLB_READ, phys, &st))
		report_stale(idx, (uint64_t)(uintptr_t)udata, &st);
}

static void fetch(unsigned int idx, void *udata)
{
	struct vcpu *v = vcpu_of(idx);
	struct tlb_stale st;
	uint64_t va = (uint64_t)(uintptr_t)udata;

	if (v && v->paging && tlb_access(&v->m, va, TLB_FETCH, ~0ULL, &st))
		report_stale(idx, va, &st);
}

/* ---- flush instructions and the phase marker, when they run ---- */

static uint64_t mem_operand(struct vcpu *v, const struct x86_op *op)
{
	uint64_t a = (uint64_t)op->disp;

	if (op->base != X86_NO_REG)
		a += read_reg(v, g.gpr[op->base]);
	if (op->index != X86_NO_REG)
		a += read_reg(v, g.gpr[op->index]) << op->scale;
	return a;
}

static void mov_cr(struct vcpu *v, const struct x86_op *op)
{
	uint64_t val = read_reg(v, g.gpr[op->reg]);

	if (op->cr == 3) {
		tlb_write_cr3(&v->m, val);
	} else if (op->cr == 4) {
		tlb_write_cr4(&v->m, val);
	} else {
		tlb_write_cr0(&v->m, v->cr0, val);
		v->cr0 = val;
		v->paging = (val & X86_CR0_PG) && (read_reg(v, g.efer) & EFER_LME);
	}
}

static void invpcid(struct vcpu *v, const struct x86_op *op)
{
	uint64_t desc[2] = {0, 0}, type = read_reg(v, g.gpr[op->reg]);

	if (qemu_plugin_read_memory_vaddr(mem_operand(v, op), v->buf, 16))
		memcpy(desc, v->buf->data, 16);
	tlb_invpcid(&v->m, (unsigned int)type, desc[1]);
}

static void special(unsigned int idx, void *udata)
{
	const struct x86_op *op = udata;
	struct vcpu *v = vcpu_of(idx);
	unsigned int op_code;

	if (!v)
		return;
	switch (op->kind) {
	case X86_INVLPG:
		tlb_invlpg(&v->m, mem_operand(v, op));
		break;
	case X86_MOV_CR:
		mov_cr(v, op);
		break;
	case X86_INVPCID:
		invpcid(v, op);
		break;
	case X86_OUT_DX_EAX:
		if ((read_reg(v, g.gpr[2]) & 0xffff) != TLBMODEL_PORT)
			break;
		op_code = (unsigned int)read_reg(v, g.gpr[0]);
		if (op_code == TLBMODEL_PHASE_BEGIN) /* each phase reports its own first hits */
			__atomic_store_n(&g.reported, 0, __ATOMIC_RELAXED);
		phase_mark(idx, op_code, read_reg(v, g.gpr[6]), v->buf);
		break;
	default:
		break;
	}
}

/* One x86_op per distinct instruction kept for the plugin's life (there are few). */
static const struct x86_op *intern_op(const struct x86_op *op)
{
	static struct x86_op *ops;
	static unsigned int n, cap;
	const struct x86_op *found = NULL;

	pthread_mutex_lock(&g.lock);
	for (unsigned int i = 0; i < n && !found; i++)
		if (!memcmp(&ops[i], op, sizeof(*op)))
			found = &ops[i];
	if (!found && n < cap)
		found = memcpy(&ops[n++], op, sizeof(*op));
	if (!found && !cap && (ops = calloc(cap = 4096, sizeof(*ops))))
		found = memcpy(&ops[n++], op, sizeof(*op));
	pthread_mutex_unlock(&g.lock);
	return found;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	uint64_t last_page = ~0ULL;

	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		uint8_t bytes[16];
		size_t len = qemu_plugin_insn_data(insn, bytes, sizeof(bytes));
		struct x86_op op;
		const struct x86_op *kept;

		if ((va >> 12) != last_page) /* one fetch per page the block runs through */
			qemu_plugin_register_vcpu_insn_exec_cb(insn, fetch, QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(uintptr_t)va);
		last_page = va >> 12;
		qemu_plugin_register_vcpu_mem_cb(insn, mem_access, QEMU_PLUGIN_CB_NO_REGS,
						 QEMU_PLUGIN_MEM_RW, (void *)(uintptr_t)va);
		if (!x86_decode(bytes, len, va, &op) || !(kept = intern_op(&op)))
			continue;
		if (op.segment)
			outf("tlbmodel: %#" PRIx64 ": INVLPG/INVPCID with an FS/GS override: "
			     "its segment base is not added\n",
			     va);
		qemu_plugin_register_vcpu_insn_exec_cb(insn, special, QEMU_PLUGIN_CB_R_REGS,
						       (void *)kept);
	}
}

static const struct tlb_counters *counters_of(unsigned int cpu)
{
	struct vcpu *v = vcpu_of(cpu);

	return v ? &v->m.n : NULL;
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	phase_print_total();
}

/* ---- arguments ---- */

static int parse_args(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "preset=", 7)) {
			g.preset = tlb_preset_find(a + 7);
			if (!g.preset) {
				fprintf(stderr, "tlbmodel: preset=%s: no such preset\n", a + 7);
				return -1;
			}
		} else if (!strncmp(a, "dmap=", 5)) {
			g.dmap = strtoull(a + 5, NULL, 0);
		} else if (!strcmp(a, "check=off") || !strcmp(a, "check=gen") ||
			   !strcmp(a, "check=all")) {
			g.check = a[6] == 'o'	? TLB_CHECK_OFF
				  : a[6] == 'g' ? TLB_CHECK_GEN
						: TLB_CHECK_ALL;
		} else if (!strncmp(a, "report=", 7)) {
			g.report = (unsigned int)strtoul(a + 7, NULL, 0);
		} else {
			fprintf(stderr,
				"tlbmodel: %s: unknown argument (preset=, dmap=, "
				"check=off|gen|all, report=N)\n",
				a);
			return -1;
		}
	}
	if (!g.preset)
		g.preset = &tlb_presets[0];
	return 0;
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id,
							       const struct qemu_plugin_info *info,
							       int argc, char **argv);
__attribute__((visibility("default"))) int
qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_plugin_info *info, int argc, char **argv)
{
	if (!info->system_emulation || strcmp(info->target_name, "x86_64")) {
		fprintf(stderr, "tlbmodel: needs qemu-system-x86_64 (got %s)\n", info->target_name);
		return -1;
	}
	if (parse_args(argc, argv))
		return -1;
	g.max_vcpus = (unsigned int)info->system.max_vcpus;
	g.vcpus = calloc(g.max_vcpus, sizeof(*g.vcpus));
	if (!g.vcpus || tlb_shared_init(&g.shared, 1u << 20) ||
	    phase_init(g.max_vcpus, g.preset->name, counters_of)) {
		fprintf(stderr, "tlbmodel: out of memory\n");
		return -1;
	}
	qemu_plugin_register_vcpu_init_cb(id, vcpu_init);
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	outf("tlbmodel: preset %s (%s), check=%s, %u vCPUs\n", g.preset->name, g.preset->core,
	     g.check == TLB_CHECK_OFF	? "off"
	     : g.check == TLB_CHECK_GEN ? "gen"
					: "all",
	     g.max_vcpus);
	return 0;
}
