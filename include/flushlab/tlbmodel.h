/*
 * The phase marker between flushlab and the TLB-model QEMU plugin
 * (tools/tlbmodel/): `outl %eax, %dx` with DX = TLBMODEL_PORT, EAX = one of
 * the operations below and RSI = the phase's NUL-terminated name. The plugin
 * decodes the instruction and reads the registers; QEMU itself ignores the
 * write (no device there). The kernel issues it only when booted with
 * `tlbmodel` on its command line, so real machines never see it.
 */
#ifndef FLUSHLAB_TLBMODEL_H
#define FLUSHLAB_TLBMODEL_H

#define TLBMODEL_PORT 0x8f0
#define TLBMODEL_PHASE_BEGIN 1
#define TLBMODEL_PHASE_END 2
#define TLBMODEL_NAME_MAX 64 /* a longer name is cut there */

#endif
