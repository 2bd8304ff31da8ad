/* r1-convert: Hugging Face folder -> GGUF.
   usage: r1-convert HF_DIR OUT.gguf [--type f32|f16|bf16|q8_0|q4_0|q4_1|q5_0|q5_1|q6_k|q4_k_m|q5_k_m] [--vocab-only] [-v] */
#define R1_IMPLEMENTATION
#include "../r1.h"
#define R1_QUANT_IMPLEMENTATION
#include "../r1_quant.h"

static int usage(void) {
    fprintf(stderr, "usage: r1-convert HF_DIR OUT.gguf [--type f32|f16|bf16|q8_0|q4_0|q4_1|q5_0|q5_1|q6_k|q4_k_m|q5_k_m] [--vocab-only] [-v]\n");
    return 1;
}

int main(int argc, char **argv) {
    r1_convert_params p = r1_convert_default_params();
    const char *in = NULL, *out = NULL;
    r1_error err;
    int i;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--type") == 0 && i + 1 < argc) {
            p.type = r1_convert_type_from_name(argv[++i]);
            if (p.type < 0) { fprintf(stderr, "r1-convert: unknown type '%s'\n", argv[i]); return 1; }
        } else if (strcmp(argv[i], "--vocab-only") == 0) p.vocab_only = 1;
        else if (strcmp(argv[i], "-v") == 0) p.verbose = 1;
        else if (argv[i][0] == '-') return usage();
        else if (!in) in = argv[i];
        else if (!out) out = argv[i];
        else return usage();
    }
    if (!in || !out) return usage();
    if (r1_convert_hf(in, out, &p, &err) != R1_OK) {
        fprintf(stderr, "r1-convert: %s\n", err.message);
        return 1;
    }
    return 0;
}
