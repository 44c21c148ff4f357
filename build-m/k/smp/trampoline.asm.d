build-m/k/smp/trampoline.asm.o : smp/trampoline.asm

smp/trampoline.asm :

