build-m/k/kernel/trace_fs.o: kernel/trace_fs.c kernel/pseudofs.h \
 lib/kernel.h kernel/trace_priv.h kernel/trace.h kernel/platform.h \
 kernel/trace_record.h lib/errno.h lib/kstrtox.h lib/string.h \
 smp/percpu.h smp/smp.h smp/cpumask.h
kernel/pseudofs.h:
lib/kernel.h:
kernel/trace_priv.h:
kernel/trace.h:
kernel/platform.h:
kernel/trace_record.h:
lib/errno.h:
lib/kstrtox.h:
lib/string.h:
smp/percpu.h:
smp/smp.h:
smp/cpumask.h:
