/* libFuzzer: any bytes as a GGUF file -> load, and when that works, one forward step and a
   round trip through the tokenizer. Nothing may crash, leak or trip a sanitizer. */
#define R1_IMPLEMENTATION
#include "../r1.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    r1_error err;
    r1_model *m;
    if (size == 0) return 0;
    m = r1_model_load_memory(data, size, &err);
    if (m) {
        r1_context_params cp = r1_context_default_params();
        r1_context *c;
        const r1_tokenizer *tok = r1_model_tokenizer(m);
        int32_t id = (int32_t)(size % (size_t)r1_model_n_vocab(m)), ids[64];
        cp.n_ctx = 4;
        c = r1_context_new(m, &cp, &err);
        if (c) r1_eval(c, &id, 1, NULL, &err);
        r1_context_free(c);
        if (tok) {
            char out[256];
            int n = r1_tokenize(tok, "Hello, <think>world</think> 123", 31, 1, ids, 64, &err);
            if (n > 0) r1_detokenize(tok, ids, n < 64 ? n : 64, out, sizeof out);
        }
        r1_model_free(m);
    }
    return 0;
}
