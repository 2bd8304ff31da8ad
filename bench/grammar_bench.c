/* What a grammar costs per sampled token, beside a decode step of the same model.
   usage: r1-grammar-bench -m MODEL.gguf [-t THREADS] [--schema JSON]
   A JSON answer that matches the schema is tokenized and walked token by token, as r1_generate
   walks a constrained answer: each token is checked against the grammar's state and taken in
   (the path when the model's draw is allowed), and at every state the whole vocabulary's mask
   is computed twice: walked afresh (the path when a draw is refused, first time in that state)
   and as generation gets it (remembered per state). Prints one JSON line. */
#define R1_IMPLEMENTATION
#include "../r1.h"
#include <stdio.h>
#include <stdlib.h>

static const char default_schema[] =
    "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"integer\"},\"reasoning\":{\"type\":\"string\"},"
    "\"steps\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"confident\":{\"type\":\"boolean\"}},"
    "\"required\":[\"answer\",\"reasoning\",\"steps\",\"confident\"]}";
static const char answer[] =
    "{\"answer\": 82, \"reasoning\": \"Multiplication comes before addition, so 35 * 2 = 70 first; then 12 + 70 = 82. "
    "Checking: 70 + 12 is 82 as well.\", \"steps\": [\"35 * 2 = 70\", \"12 + 70 = 82\", \"check: 82 - 12 = 70\"], "
    "\"confident\": true}";

int main(int argc, char **argv) {
    const char *model_path = NULL, *schema = default_schema;
    int threads = 2, i, n_ids, n_vocab;
    r1_error err;
    r1_model *m;
    const r1_tokenizer *tok;
    r1_context_params cp = r1_context_default_params();
    r1_context *ctx;
    r1_grammar *g;
    r1__gm gm;
    r1__gpos at;
    int32_t ids[1024], prompt[16];
    float *masked;
    double t0, decode_s, compile_s, check_s = 0, walk_s = 0, walk_max = 0, cached_s = 0;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-m") && i + 1 < argc) model_path = argv[++i];
        else if (!strcmp(argv[i], "-t") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--schema") && i + 1 < argc) schema = argv[++i];
        else { fprintf(stderr, "usage: r1-grammar-bench -m MODEL.gguf [-t THREADS] [--schema JSON]\n"); return 1; }
    }
    if (!model_path) { fprintf(stderr, "usage: r1-grammar-bench -m MODEL.gguf [-t THREADS] [--schema JSON]\n"); return 1; }
    if (!(m = r1_model_load(model_path, &err)) || !(tok = r1_model_tokenizer(m))) { fprintf(stderr, "r1-grammar-bench: %s\n", err.message); return 1; }
    n_vocab = r1_model_n_vocab(m);
    cp.n_ctx = 256;
    cp.n_threads = threads;
    if (!(ctx = r1_context_new(m, &cp, &err))) { fprintf(stderr, "r1-grammar-bench: %s\n", err.message); return 1; }
    /* a decode step: 16 prompt tokens, then 32 tokens one at a time */
    for (i = 0; i < 16; i++) prompt[i] = (int32_t)(100 + 37 * i);
    r1_eval(ctx, prompt, 16, NULL, &err);
    t0 = r1_seconds();
    for (i = 0; i < 32; i++) r1_eval(ctx, &prompt[i % 16], 1, NULL, &err);
    decode_s = (r1_seconds() - t0) / 32;
    /* the grammar */
    t0 = r1_seconds();
    g = r1_grammar_from_json_schema(tok, schema, strlen(schema), &err);
    compile_s = r1_seconds() - t0;
    if (!g) { fprintf(stderr, "r1-grammar-bench: %s\n", err.message); return 1; }
    n_ids = r1_tokenize_plain(tok, answer, strlen(answer), 0, ids, 1024, &err);
    masked = (float *)malloc((size_t)n_vocab * sizeof(float));
    if (n_ids <= 0 || !masked || !r1__gm_init(&gm, g, 4, &at)) { fprintf(stderr, "r1-grammar-bench: setup\n"); return 1; }
    for (i = 0; i < n_ids; i++) {
        size_t len;
        const char *s = r1_token_bytes(tok, ids[i], &len);
        double t1;
        t1 = r1_seconds();
        r1__gm_mask_walk(&gm, &at, r1_context_logits(ctx), masked, n_vocab, NULL);
        t1 = r1_seconds() - t1;
        walk_s += t1;
        if (t1 > walk_max) walk_max = t1;
        t1 = r1_seconds();
        r1__gm_mask(&gm, &at, r1_context_logits(ctx), masked, n_vocab);
        cached_s += r1_seconds() - t1;
        t1 = r1_seconds();
        if (!r1__gm_token_ok(&gm, &at, tok, ids[i]) || !r1__gm_commit(&gm, &at, (const unsigned char *)s, len)) {
            fprintf(stderr, "r1-grammar-bench: the answer does not match the schema at token %d\n", i);
            return 1;
        }
        check_s += r1_seconds() - t1;
    }
    printf("{\"model\": \"%s\", \"threads\": %d, \"n_vocab\": %d, \"decode_ms\": %.2f, \"compile_ms\": %.2f, \"answer_tokens\": %d, "
           "\"check_ms\": %.4f, \"mask_walk_ms\": %.2f, \"mask_walk_max_ms\": %.2f, \"mask_cached_ms\": %.2f, "
           "\"check_pct_of_decode\": %.3f, \"mask_walk_pct_of_decode\": %.1f, \"mask_cached_pct_of_decode\": %.1f}\n",
           model_path, r1_context_n_threads(ctx), n_vocab, 1e3 * decode_s, 1e3 * compile_s, n_ids, 1e3 * check_s / n_ids,
           1e3 * walk_s / n_ids, 1e3 * walk_max, 1e3 * cached_s / n_ids, 100 * check_s / n_ids / decode_s,
           100 * walk_s / n_ids / decode_s, 100 * cached_s / n_ids / decode_s);
    r1__gm_free(&gm);
    free(masked);
    r1_grammar_free(g);
    r1_context_free(ctx);
    r1_model_free(m);
    return 0;
}
