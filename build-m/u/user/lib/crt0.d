build-m/u/user/lib/crt0.o: user/lib/crt0.S
