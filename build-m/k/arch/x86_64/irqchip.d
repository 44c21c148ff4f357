build-m/k/arch/x86_64/irqchip.o: arch/x86_64/irqchip.c \
 arch/x86_64/irqchip.h arch/x86_64/acpi.h arch/x86_64/cpu.h \
 arch/x86_64/ioremap.h lib/kernel.h
arch/x86_64/irqchip.h:
arch/x86_64/acpi.h:
arch/x86_64/cpu.h:
arch/x86_64/ioremap.h:
lib/kernel.h:
