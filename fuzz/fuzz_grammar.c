/* libFuzzer: the grammar parser and matcher, JSON Schema -> GBNF, and session files.
   The first byte picks: 0 GBNF text, then a NUL, then a text to match; 1 a JSON schema, then a
   NUL, then a text; 2 a session file loaded into a context of tests/data's qwen2 model. */
#define R1_IMPLEMENTATION
#include "../r1.h"

static r1_model *model;
static r1_context *ctx;
static int loaded;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text, *rest;
    size_t n_text, n_rest;
    r1_error err;
    r1_grammar *g = NULL;
    if (size < 1) return 0;
    text = (const char *)data + 1;
    n_text = size - 1;
    rest = (const char *)memchr(text, 0, n_text);
    n_rest = rest ? n_text - (size_t)(rest - text) - 1 : 0;
    if (rest) { n_text = (size_t)(rest - text); rest++; }
    switch (data[0] % 3) {
    case 0: g = r1_grammar_new(NULL, text, n_text, NULL, &err); break;
    case 1: g = r1_grammar_from_json_schema(NULL, text, n_text, &err); break;
    default:
        if (!loaded) {
            r1_context_params cp = r1_context_default_params();
            loaded = 1;
            model = r1_model_load("tests/data/gguf/qwen2.q8_0.gguf", &err);
            cp.n_ctx = 64;
            cp.n_seq = 2;
            ctx = model ? r1_context_new(model, &cp, &err) : NULL;
        }
        if (ctx) r1_context_load_buffer(ctx, data + 1, size - 1, &err);
        return 0;
    }
    if (g) {
        r1_grammar_match(g, rest ? rest : "", n_rest);
        r1_grammar_free(g);
    }
    return 0;
}
