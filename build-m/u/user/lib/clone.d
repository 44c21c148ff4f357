build-m/u/user/lib/clone.o: user/lib/clone.S
