/*
 * The few x86-64 instructions the TLB model must see, found in a translated
 * instruction's bytes: INVLPG (0F 01 /7, memory form), INVPCID (66 0F 38 82),
 * MOV to CR0/CR3/CR4 (0F 22) and the phase marker `out %eax, %dx` (EF). Their
 * operands (registers, the memory operand's address) are read when they run.
 */
#include "tools/tlbmodel/x86_decode.h"

#include <string.h>

static bool legacy_prefix(uint8_t b)
{
	return b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e ||
	       b == 0x36 || b == 0x3e || b == 0x26 || b == 0x64 || b == 0x65;
}

/*
 * The ModRM memory operand at p[i] (64-bit addressing): base, index, scale,
 * displacement; a RIP-relative one becomes an absolute displacement (which
 * fits: kernel code sits in the top 2 GiB). False for a register operand.
 */
static bool decode_mem(const uint8_t *p, size_t n, size_t i, uint8_t rex, uint64_t insn_va,
		       size_t len, struct x86_op *op)
{
	uint8_t modrm, mod, rm;
	int32_t disp = 0;

	if (i >= n)
		return false;
	modrm = p[i++];
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod == 3)
		return false;
	op->base = X86_NO_REG;
	op->index = X86_NO_REG;
	op->scale = 0;
	if (rm == 4) { /* SIB */
		uint8_t sib, base, index;

		if (i >= n)
			return false;
		sib = p[i++];
		op->scale = sib >> 6;
		index = ((sib >> 3) & 7) | ((rex & 2) << 2);
		base = (sib & 7) | ((rex & 1) << 3);
		if (index != 4)
			op->index = index;
		if ((sib & 7) == 5 && mod == 0)
			mod = 2; /* disp32, no base */
		else
			op->base = base;
	} else if (rm == 5 && mod == 0) { /* RIP-relative */
		if (i + 4 > n)
			return false;
		memcpy(&disp, p + i, 4);
		op->disp = (int64_t)(insn_va + len) + disp;
		return true;
	} else {
		op->base = rm | ((rex & 1) << 3);
	}
	if (mod == 1 && i < n)
		disp = (int8_t)p[i];
	else if (mod == 2 && i + 4 <= n)
		memcpy(&disp, p + i, 4);
	op->disp = disp;
	return true;
}

bool x86_decode(const uint8_t *p, size_t n, uint64_t insn_va, struct x86_op *op)
{
	size_t i = 0;
	uint8_t rex = 0;
	bool opsize = false, segment = false;

	memset(op, 0, sizeof(*op));
	while (i < n && legacy_prefix(p[i])) {
		opsize |= p[i] == 0x66;
		segment |= p[i] == 0x64 || p[i] == 0x65;
		i++;
	}
	if (i < n && (p[i] & 0xf0) == 0x40)
		rex = p[i++];
	if (i >= n)
		return false;
	if (p[i] == 0xef && !opsize) {
		op->kind = X86_OUT_DX_EAX;
		return true;
	}
	if (p[i] != 0x0f || i + 2 >= n)
		return false;
	if (p[i + 1] == 0x01 && ((p[i + 2] >> 3) & 7) == 7 && (p[i + 2] >> 6) != 3) {
		op->kind = X86_INVLPG;
		op->segment = segment;
		return decode_mem(p, n, i + 2, rex, insn_va, n, op);
	}
	if (p[i + 1] == 0x22) {
		op->kind = X86_MOV_CR;
		op->cr = ((p[i + 2] >> 3) & 7) | ((rex & 4) << 1);
		op->reg = (p[i + 2] & 7) | ((rex & 1) << 3);
		return op->cr == 0 || op->cr == 3 || op->cr == 4;
	}
	if (opsize && p[i + 1] == 0x38 && i + 3 < n && p[i + 2] == 0x82) {
		op->kind = X86_INVPCID;
		op->reg = ((p[i + 3] >> 3) & 7) | ((rex & 4) << 1);
		op->segment = segment;
		return decode_mem(p, n, i + 3, rex, insn_va, n, op);
	}
	return false;
}
