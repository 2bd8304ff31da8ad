# r1.h — build the tools into build/, run the tests with `make test`.
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c99 -Wall -Wextra -pedantic -D_POSIX_C_SOURCE=200809L
LDLIBS  := -lm -lpthread
BUILD   := build
HEADERS := r1.h r1_quant.h

.PHONY: all test clean
all: $(BUILD)/r1 $(BUILD)/r1-convert

$(BUILD):
	mkdir -p $(BUILD)

$(BUILD)/r1: examples/r1.c r1.h | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/r1-convert: examples/convert.c $(HEADERS) | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/r1-tests: tests/tests.c tests/test.h $(HEADERS) | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -o $@ tests/tests.c $(LDLIBS)

# The tests convert the reference checkpoints with build/r1-convert and run build/r1 too.
test: all $(BUILD)/r1-tests
	./$(BUILD)/r1-tests

clean:
	rm -rf $(BUILD)
