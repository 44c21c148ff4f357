build-m/k/kernel/trace_output.o: kernel/trace_output.c \
 kernel/trace_priv.h kernel/trace.h kernel/platform.h lib/kernel.h \
 kernel/trace_record.h lib/string.h
kernel/trace_priv.h:
kernel/trace.h:
kernel/platform.h:
lib/kernel.h:
kernel/trace_record.h:
lib/string.h:
