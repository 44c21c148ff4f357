build-m/k/smp/asid.o: smp/asid.c smp/asid.h
smp/asid.h:
