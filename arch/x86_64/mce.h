/*
 * Machine-check architecture, as far as reporting goes: enable #MC and the
 * error banks on each CPU; print them when a machine check arrives.
 */
#ifndef ARCH_X86_64_MCE_H
#define ARCH_X86_64_MCE_H

/* This CPU: report errors logged earlier, enable every bank, set CR4.MCE. */
void mcheck_cpu_init(void);

/* From the #MC handler: IA32_MCG_STATUS and every bank holding a valid error. */
void mce_print(void);

#endif
