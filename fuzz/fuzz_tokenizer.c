/* libFuzzer: arbitrary bytes (invalid UTF-8 included) through each real tokenizer: encode,
   decode, streaming decode of the bytes read as token ids. Set R1_FUZZ_VOCABS to a
   colon-separated list of vocab GGUFs (make fuzz does). */
#define R1_IMPLEMENTATION
#include "../r1.h"

static r1_tokenizer *toks[8];
static int n_toks = -1;

static void load_vocabs(void) {
    const char *env = getenv("R1_FUZZ_VOCABS");
    char buf[4096], *p, *save = NULL;
    n_toks = 0;
    if (!env) return;
    snprintf(buf, sizeof buf, "%s", env);
    for (p = strtok_r(buf, ":", &save); p && n_toks < 8; p = strtok_r(NULL, ":", &save)) {
        r1_error err;
        toks[n_toks] = r1_tokenizer_load(p, &err);
        if (toks[n_toks]) n_toks++;
        else fprintf(stderr, "fuzz_tokenizer: %s\n", err.message);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int32_t ids[1 << 16];
    static char out[1 << 18];
    r1_error err;
    const r1_tokenizer *t;
    int n;
    size_t i;
    r1_decoder dec;
    if (n_toks < 0) load_vocabs();
    if (n_toks == 0 || size == 0) return 0;
    t = toks[data[0] % n_toks];
    n = r1_tokenize(t, (const char *)data + 1, size - 1, data[0] & 1, ids, 1 << 16, &err);
    if (n > 0) r1_detokenize(t, ids, n < (1 << 16) ? n : (1 << 16), out, sizeof out);
    memset(&dec, 0, sizeof dec);
    for (i = 0; i + 4 <= size; i += 4) { /* the bytes as ids, in and out of range */
        int32_t id;
        char piece[4096];
        memcpy(&id, data + i, 4);
        r1_decoder_push(&dec, t, id % 200000, piece, sizeof piece);
    }
    {
        char piece[16];
        r1_decoder_flush(&dec, piece, sizeof piece);
    }
    return 0;
}
