/* r1-convert: Hugging Face folder -> GGUF.
   usage: r1-convert HF_DIR OUT.gguf [--type TYPE] [--vocab-only] [-v]
   A progress bar on stderr when it is a terminal. */
#define R1_IMPLEMENTATION
#include "../r1.h"
#define R1_QUANT_IMPLEMENTATION
#include "../r1_quant.h"
#if defined(_WIN32)
#include <io.h>
#define r1_isatty(fd) _isatty(fd)
#else
#include <unistd.h>
#define r1_isatty(fd) isatty(fd)
#endif

static void usage(FILE *f) {
    fprintf(f, "usage: r1-convert HF_DIR OUT.gguf [--type TYPE] [--vocab-only] [-v]\n"
               "  --type TYPE    f32, f16, bf16 (default), q8_0, q4_0, q4_1, q5_0, q5_1, q6_k, q4_k_m, q5_k_m\n"
               "  --vocab-only   the tokenizer and metadata only\n"
               "  -v             one line per tensor\n"
               "  --version      r1.h's version\n");
}

static void show_progress(void *user, double fraction) {
    double *t0 = (double *)user;
    int filled = (int)(fraction * 40.0 + 0.5);
    fprintf(stderr, "\r[%-40.*s] %3.0f %%  %.0f s", filled, "########################################", fraction * 100.0,
            r1_seconds() - *t0);
    if (fraction >= 1.0) fprintf(stderr, "\n");
}

int main(int argc, char **argv) {
    r1_convert_params p = r1_convert_default_params();
    const char *in = NULL, *out = NULL;
    r1_error err;
    double t0 = r1_seconds();
    int i;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) { usage(stdout); return 0; }
        if (strcmp(argv[i], "--version") == 0) { printf("r1-convert %s\n", R1_VERSION); return 0; }
        if (strcmp(argv[i], "--type") == 0) {
            if (i + 1 == argc) { fprintf(stderr, "r1-convert: option '--type' needs a value\n"); return 1; }
            p.type = r1_convert_type_from_name(argv[++i]);
            if (p.type < 0) {
                fprintf(stderr, "r1-convert: unknown type '%s' (f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q6_k, q4_k_m, q5_k_m)\n", argv[i]);
                return 1;
            }
        } else if (strcmp(argv[i], "--vocab-only") == 0) p.vocab_only = 1;
        else if (strcmp(argv[i], "-v") == 0) p.verbose = 1;
        else if (argv[i][0] == '-') { fprintf(stderr, "r1-convert: unknown option '%s' (r1-convert --help)\n", argv[i]); return 1; }
        else if (!in) in = argv[i];
        else if (!out) out = argv[i];
        else { fprintf(stderr, "r1-convert: one folder and one output file, got a third argument '%s'\n", argv[i]); return 1; }
    }
    if (!in || !out) {
        fprintf(stderr, "r1-convert: needs a Hugging Face folder and an output file\n");
        usage(stderr);
        return 1;
    }
    if (r1_isatty(2) && !p.verbose) { /* a bar only where it can be redrawn */
        p.progress = show_progress;
        p.progress_user = &t0;
    }
    if (r1_convert_hf(in, out, &p, &err) != R1_OK) {
        fprintf(stderr, "%sr1-convert: %s\n", p.progress ? "\n" : "", err.message);
        return 1;
    }
    return 0;
}
