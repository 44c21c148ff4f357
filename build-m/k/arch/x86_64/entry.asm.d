build-m/k/arch/x86_64/entry.asm.o : arch/x86_64/entry.asm

arch/x86_64/entry.asm :

