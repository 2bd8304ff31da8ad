/* r1-tokenize-bench: vocabulary load time and single-core encode throughput.
   usage: r1-tokenize-bench VOCAB.gguf FILE... [-r REPEATS]
   The files are concatenated and repeated until the text is at least 8 MB; the text is
   encoded in chunks of one line (as a chat app would), on one thread. Prints one JSON line. */
#define R1_IMPLEMENTATION
#include "../r1.h"
#include <time.h>

int main(int argc, char **argv) {
    r1_error err;
    r1_tokenizer *tok;
    char *text = NULL;
    size_t len = 0, cap = 0;
    int i, repeats = 3, r;
    double t0, load_ms, best = 1e9;
    long n_tokens = 0;
    int32_t *ids;
    if (argc < 3) { fprintf(stderr, "usage: r1-tokenize-bench VOCAB.gguf FILE... [-r N]\n"); return 1; }
    for (i = 2; i < argc; i++) {
        FILE *f;
        char buf[65536];
        size_t n;
        if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) { repeats = atoi(argv[++i]); continue; }
        f = fopen(argv[i], "rb");
        if (!f) { fprintf(stderr, "cannot open %s\n", argv[i]); return 1; }
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
            if (len + n > cap) { cap = (len + n) * 2; text = (char *)realloc(text, cap); }
            memcpy(text + len, buf, n);
            len += n;
        }
        fclose(f);
    }
    if (!len) return 1;
    {   /* repeat to >= 8 MB */
        size_t base = len;
        while (len < (8u << 20)) {
            if (len + base > cap) { cap = (len + base) * 2; text = (char *)realloc(text, cap); }
            memcpy(text + len, text, base);
            len += base;
        }
    }
    t0 = r1_seconds();
    tok = r1_tokenizer_load(argv[1], &err);
    load_ms = (r1_seconds() - t0) * 1e3;
    if (!tok) { fprintf(stderr, "%s\n", err.message); return 1; }
    ids = (int32_t *)malloc(sizeof(int32_t) * (1 << 20));
    for (r = 0; r < repeats; r++) {
        size_t p = 0;
        double t;
        n_tokens = 0;
        t0 = r1_seconds();
        while (p < len) {
            char *nl = (char *)memchr(text + p, '\n', len - p);
            size_t end = nl ? (size_t)(nl - text) + 1 : len;
            int n = r1_tokenize(tok, text + p, end - p, 0, ids, 1 << 20, &err);
            if (n < 0) { /* a repeat boundary can split a UTF-8 sequence only if a file lacks a final newline */
                fprintf(stderr, "tokenize: %s\n", err.message);
                return 1;
            }
            n_tokens += n;
            p = end;
        }
        t = r1_seconds() - t0;
        if (t < best) best = t;
    }
    printf("{\"vocab\": \"%s\", \"n_vocab\": %d, \"load_ms\": %.1f, \"bytes\": %zu, \"tokens\": %ld, \"encode_mb_s\": %.2f, \"tokens_s\": %.0f}\n",
           argv[1], r1_tokenizer_n_tokens(tok), load_ms, len, n_tokens, len / best / 1e6, n_tokens / best);
    r1_tokenizer_free(tok);
    free(ids);
    free(text);
    return 0;
}
