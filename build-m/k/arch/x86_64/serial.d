build-m/k/arch/x86_64/serial.o: arch/x86_64/serial.c arch/x86_64/serial.h \
 arch/x86_64/cpu.h
arch/x86_64/serial.h:
arch/x86_64/cpu.h:
