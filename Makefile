# r1.h — build the tools into build/, run the tests with `make test`.
# Two jobs at a time unless told otherwise (each program compiles the whole header).
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j2
endif
CC      ?= cc
CFLAGS  ?= -O3 -g
WARN    := -std=c99 -Wall -Wextra -pedantic -D_POSIX_C_SOURCE=200809L
LDLIBS  := -lm -lpthread
BUILD   := build
HEADERS := r1.h r1_quant.h
EXEC    ?=
EXE     ?=
# EXEC runs a built program: empty natively, an emulator for cross builds (qemu-aarch64, wine);
# EXE is the programs' file suffix (.exe for Windows).

.PHONY: all run serve test-server lib install test test-asan test-ubsan test-sanitize test-aarch64 test-windows test-i686 test-portable test-msvc fuzz clean
PROGRAMS := $(BUILD)/r1$(EXE) $(BUILD)/r1-convert$(EXE) $(BUILD)/r1-server$(EXE)
BENCHES := $(BUILD)/r1-tokenize-bench$(EXE) $(BUILD)/r1-bench$(EXE) $(BUILD)/make-shape-model$(EXE) $(BUILD)/r1-grammar-bench$(EXE) $(BUILD)/r1-kernel-bench$(EXE)
all: $(PROGRAMS) $(BENCHES)

# The main job: chat with r1-tiny, the small reasoning model trained for this repository
# (train/, README "r1-tiny"). A conversation: each line is a turn (follow-ups may say "that" for
# the last answer; /reset starts over, /think off answers without a thought). From a pipe it
# answers the lines it reads and exits:  echo "What is 5 - 9?" | make run
MODEL ?= models/r1-tiny.gguf
run: $(BUILD)/r1$(EXE)
	./$(BUILD)/r1$(EXE) chat -m $(MODEL) --temp 0.6 --top-p 0.95 --seed 1

# The OpenAI-compatible server with its web chat, on r1-tiny: open http://127.0.0.1:8080/
serve: $(BUILD)/r1-server$(EXE)
	./$(BUILD)/r1-server$(EXE) -m $(MODEL) --port $(or $(PORT),8080)

$(BUILD):
	mkdir -p $(BUILD)

$(BUILD)/r1$(EXE): examples/r1.c $(HEADERS) | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/r1-convert$(EXE): examples/convert.c $(HEADERS) | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -o $@ $< $(LDLIBS)

# Winsock on Windows
SERVER_LIBS := $(if $(filter .exe,$(EXE)),-lws2_32,)
$(BUILD)/r1-server$(EXE): examples/server.c r1.h | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -o $@ $< $(LDLIBS) $(SERVER_LIBS)

$(BUILD)/r1-tokenize-bench$(EXE): bench/tokenize_bench.c r1.h | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/r1-bench$(EXE): bench/bench.c r1.h | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/make-shape-model$(EXE): bench/make_shape_model.c $(HEADERS) | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/r1-grammar-bench$(EXE): bench/grammar_bench.c r1.h | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/r1-kernel-bench$(EXE): bench/kernel_bench.c r1.h | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -o $@ $< $(LDLIBS)

# The shared library: only the r1_* API exported (examples/libr1.c), and its install with a
# pkg-config file:  make lib; make install PREFIX=$$HOME/.local
PREFIX ?= /usr/local
SO ?= .so
lib: $(BUILD)/libr1$(SO)
$(BUILD)/libr1$(SO): examples/libr1.c $(HEADERS) | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -fPIC -shared -fvisibility=hidden -o $@ $< $(LDLIBS)
install: $(BUILD)/libr1$(SO)
	mkdir -p $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	cp r1.h r1_quant.h $(DESTDIR)$(PREFIX)/include/
	cp $(BUILD)/libr1$(SO) $(DESTDIR)$(PREFIX)/lib/
	printf 'prefix=%s\nincludedir=$${prefix}/include\nlibdir=$${prefix}/lib\n\nName: r1\nDescription: CPU inference for DeepSeek-R1-style models (GGUF)\nVersion: %s\nCflags: -I$${includedir}\nLibs: -L$${libdir} -lr1\nLibs.private: -lm -lpthread\n' \
		'$(PREFIX)' "$$(sed -n 's/^#define R1_VERSION "\(.*\)"/\1/p' r1.h)" > $(DESTDIR)$(PREFIX)/lib/pkgconfig/r1.pc

$(BUILD)/r1-tests$(EXE): tests/tests.c tests/test.h $(HEADERS) | $(BUILD)
	$(CC) $(WARN) $(CFLAGS) -DTMP='"$(BUILD)/test-tmp"' -o $@ tests/tests.c $(LDLIBS)

# The real tokenizers ship gzipped; the tests read vocab-only GGUFs converted from them.
TOKENIZERS := r1-distill-qwen deepseek-v3 llama3.1
VOCABS := $(foreach t,$(TOKENIZERS),$(BUILD)/vocab/$(t).gguf)
$(BUILD)/vocab/%/tokenizer.json: tests/data/tokenizer/%/tokenizer.json.gz
	mkdir -p $(dir $@)
	gzip -dc $< > $@
	cp tests/data/tokenizer/$*/tokenizer_config.json $(dir $@)
$(BUILD)/vocab/%.gguf: $(BUILD)/vocab/%/tokenizer.json $(BUILD)/r1-convert$(EXE)
	$(EXEC) ./$(BUILD)/r1-convert$(EXE) $(dir $<) $@ --vocab-only

# The tests convert the reference checkpoints with build/r1-convert and run build/r1 too. The
# native suite builds the benchmarks as well (they must compile); the sanitizer and cross suites
# below build only what the tests run (BENCHES=), two compilers at a time.
# The native suite also loads the shared library from Python (ctypes); the sanitizer and cross
# suites leave it out (LIBR1=).
LIBR1 ?= $(BUILD)/libr1$(SO)
test: $(PROGRAMS) $(BENCHES) $(BUILD)/r1-tests$(EXE) $(VOCABS) $(LIBR1)
	R1_LIB="$(LIBR1)" R1_BIN="$(strip $(EXEC) $(BUILD))" $(EXEC) ./$(BUILD)/r1-tests$(EXE)

# The whole suite under AddressSanitizer (+ leak checks) and UndefinedBehaviorSanitizer, in
# build directories of their own.
test-asan:
	ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 $(MAKE) -j2 test BENCHES= LIBR1= BUILD=build/asan CFLAGS="-O1 -g -fsanitize=address -fno-omit-frame-pointer"

test-ubsan:
	$(MAKE) -j2 test BENCHES= LIBR1= BUILD=build/ubsan CFLAGS="-O1 -g -fsanitize=undefined -fno-sanitize-recover=undefined"

# Both at once, in one build (what CI runs: half the time of the two)
test-sanitize:
	ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 $(MAKE) -j2 test BENCHES= LIBR1= BUILD=build/sanitize CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

# The server against raw HTTP, curl, the official openai npm package and headless Chromium
# (tests/server/run.sh; tools/install-cross.sh server installs Chromium, Node.js and curl when
# missing). SERVER_UNDER_TEST: the build the protocol tests run against (CI: the sanitizer
# suite's); the memory check and the clients use $(BUILD)/r1-server. WINDOWS_SERVER=1 also runs
# the protocol tests against the Windows build under wine (mingw-w64 and wine installed when missing).
SERVER_UNDER_TEST ?= $(BUILD)/r1-server$(EXE)
test-server: $(BUILD)/r1-server$(EXE)
	bash tools/install-cross.sh server
	BUILD=$(BUILD) SERVER=$(SERVER_UNDER_TEST) FAST_SERVER=$(BUILD)/r1-server$(EXE) SCREENSHOT=$(SCREENSHOT) WINDOWS=$(WINDOWS_SERVER) bash tests/server/run.sh

# AArch64: cross-compiled (static) and run under qemu-aarch64, NEON kernels against plain C.
# tools/install-cross.sh installs the cross compiler and qemu with apt-get when missing.
test-aarch64:
	bash tools/install-cross.sh aarch64
	$(MAKE) -j2 test BENCHES= LIBR1= BUILD=build/aarch64 CC=aarch64-linux-gnu-gcc CFLAGS="-O2 -g -static" EXEC=qemu-aarch64

# Windows: mingw-w64 (static), run under wine: Win32 file mapping and Win32 threads. The CLI
# tests drive the tools through a POSIX shell and are skipped there.
test-windows:
	bash tools/install-cross.sh windows
	WINEDEBUG=-all $(MAKE) -j2 test BENCHES= LIBR1= BUILD=build/windows CC=x86_64-w64-mingw32-gcc CFLAGS="-O2 -g -static" EXEC=wine EXE=.exe LDLIBS=-lm

# i686: the suite as a 32-bit x86 program (32-bit pointers and size_t), which runs natively on
# x86-64 kernels with IA-32 emulation and under qemu-i386 elsewhere (tools/i686-runner.sh);
# large files need no flag from the user (r1.h asks for 64-bit file offsets itself).
# SSE2 floating point: with the x87 unit's 80-bit intermediates the quantizers round some
# values differently from llama-quantize (tests/embed.c covers an x87 build, by tolerance).
test-i686:
	bash tools/install-cross.sh i686
	$(MAKE) -j2 test BENCHES= LIBR1= BUILD=build/i686 CC=i686-linux-gnu-gcc CFLAGS="-O2 -g -static -msse2 -mfpmath=sse" EXEC="$$(bash tools/i686-runner.sh)"

# tests/embed.c built as strict C99 (gcc, clang), C++11 / C++17 (g++, clang++), with tcc and
# for i686, warning-free, and each build run: see tests/portable.sh.
test-portable:
	bash tools/install-cross.sh portable
	BUILD=$(BUILD) bash tests/portable.sh

# r1.h's MSVC branches compiled by clang-cl in MSVC mode, and an AVX2 build of them run under
# wine: see tests/msvc.sh.
test-msvc:
	bash tools/install-cross.sh msvc
	WINEDEBUG=-all BUILD=$(BUILD) bash tests/msvc.sh

# libFuzzer harnesses (clang; fuzz/run.sh installs it when missing), FUZZ_SECONDS each,
# FUZZ_JOBS of them at a time.
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1
FUZZ_OPT ?= -O1
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) FUZZ_OPT=$(FUZZ_OPT) bash fuzz/run.sh

clean:
	rm -rf $(BUILD)
