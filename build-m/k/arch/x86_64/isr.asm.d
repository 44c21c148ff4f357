build-m/k/arch/x86_64/isr.asm.o : arch/x86_64/isr.asm

arch/x86_64/isr.asm :

