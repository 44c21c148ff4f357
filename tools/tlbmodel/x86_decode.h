/*
 * Finds the instructions that change what a TLB may hold (and flushlab's
 * phase marker) in an instruction's bytes; x86_decode.c.
 */
#ifndef TLBMODEL_X86_DECODE_H
#define TLBMODEL_X86_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum x86_kind { X86_NONE, X86_INVLPG, X86_MOV_CR, X86_INVPCID, X86_OUT_DX_EAX };

#define X86_NO_REG 16

/* Registers by encoding: 0 rax, 1 rcx, 2 rdx, 3 rbx, 4 rsp, 5 rbp, 6 rsi, 7 rdi, 8-15 r8-r15. */
struct x86_op {
	enum x86_kind kind;
	uint8_t cr, reg;	    /* MOV CR: which CR, source GPR; INVPCID: the type's GPR */
	uint8_t base, index, scale; /* memory operand: address = base + index << scale + disp */
	bool segment;		    /* an FS/GS override (not modelled: said at run time) */
	int64_t disp;
};

/*
 * Decode the @n bytes at @p, an instruction at @insn_va whose length is @n.
 * True if it is one of enum x86_kind's instructions, with *op filled.
 */
bool x86_decode(const uint8_t *p, size_t n, uint64_t insn_va, struct x86_op *op);

#endif
