/* Writes seeds the runtime makes itself into the folder given: the JSON grammar (json.gbnf)
   and a session of tests/data's qwen2 model after a short prompt (qwen2.session). */
#define R1_IMPLEMENTATION
#include "../r1.h"
#include <stdio.h>

int main(int argc, char **argv) {
    char path[1024];
    r1_error err;
    r1_model *m;
    r1_context_params cp = r1_context_default_params();
    r1_context *ctx;
    int32_t ids[6] = { 1, 2, 3, 4, 5, 6 };
    FILE *f;
    if (argc != 2) { fprintf(stderr, "usage: make_seeds FOLDER\n"); return 2; }
    snprintf(path, sizeof path, "%s/json.gbnf", argv[1]);
    if (!(f = fopen(path, "wb"))) return 1;
    fputs(r1_grammar_json_gbnf(), f);
    fclose(f);
    if (!(m = r1_model_load("tests/data/gguf/qwen2.q8_0.gguf", &err))) { fprintf(stderr, "%s\n", err.message); return 1; }
    cp.n_ctx = 64;
    cp.n_seq = 2;
    ctx = r1_context_new(m, &cp, &err);
    if (!ctx || r1_eval(ctx, ids, 6, NULL, &err) != R1_OK || r1_seq_fork(ctx, 1, 0, &err) != R1_OK) { fprintf(stderr, "%s\n", err.message); return 1; }
    snprintf(path, sizeof path, "%s/qwen2.session", argv[1]);
    if (r1_context_save(ctx, path, &err) != R1_OK) { fprintf(stderr, "%s\n", err.message); return 1; }
    r1_context_free(ctx);
    r1_model_free(m);
    return 0;
}
