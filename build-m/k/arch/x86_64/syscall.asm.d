build-m/k/arch/x86_64/syscall.asm.o : arch/x86_64/syscall.asm

arch/x86_64/syscall.asm :

