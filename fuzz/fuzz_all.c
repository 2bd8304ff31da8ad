/* The six harnesses in one program, so that r1.h is compiled once (with libFuzzer, ASan and
   UBSan that takes minutes per program): R1_FUZZ_TARGET=gguf|tokenizer|chat|convert|grammar|server picks the
   harness libFuzzer calls. fuzz/run.sh builds this; each fuzz_*.c also builds alone. */
#define LLVMFuzzerTestOneInput r1_fuzz_gguf
#include "fuzz_gguf.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput r1_fuzz_tokenizer
#include "fuzz_tokenizer.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput r1_fuzz_chat
#include "fuzz_chat.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput r1_fuzz_convert
#include "fuzz_convert.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput r1_fuzz_grammar
#include "fuzz_grammar.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput r1_fuzz_server
#include "fuzz_server.c"
#undef LLVMFuzzerTestOneInput

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int (*one)(const uint8_t *, size_t);
    if (!one) {
        const char *t = getenv("R1_FUZZ_TARGET");
        one = !t ? NULL : !strcmp(t, "gguf") ? r1_fuzz_gguf : !strcmp(t, "tokenizer") ? r1_fuzz_tokenizer
            : !strcmp(t, "chat") ? r1_fuzz_chat : !strcmp(t, "convert") ? r1_fuzz_convert : !strcmp(t, "grammar") ? r1_fuzz_grammar
            : !strcmp(t, "server") ? r1_fuzz_server : NULL;
        if (!one) { fprintf(stderr, "R1_FUZZ_TARGET must be gguf, tokenizer, chat, convert, grammar or server\n"); abort(); }
    }
    return one(data, size);
}
