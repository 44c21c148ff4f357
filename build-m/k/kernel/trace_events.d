build-m/k/kernel/trace_events.o: kernel/trace_events.c arch/x86_64/tsc.h \
 kernel/backtrace.h kernel/trace_priv.h kernel/trace.h kernel/platform.h \
 lib/kernel.h kernel/trace_record.h smp/shootdown.h smp/cpumask.h \
 smp/percpu.h
arch/x86_64/tsc.h:
kernel/backtrace.h:
kernel/trace_priv.h:
kernel/trace.h:
kernel/platform.h:
lib/kernel.h:
kernel/trace_record.h:
smp/shootdown.h:
smp/cpumask.h:
smp/percpu.h:
