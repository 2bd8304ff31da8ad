/* r1: command-line front end of r1.h.
     r1 logits   -m M.gguf --ids 1,2,3 -o out.f32        every position's logits, float32 LE
     r1 generate -m M.gguf --ids 1,2,3 -n 24 --greedy --print-ids
   Common options: -t THREADS, -c CONTEXT. Errors go to stderr with exit status 1. */
#define R1_IMPLEMENTATION
#include "../r1.h"

typedef struct options {
    const char *command, *model, *ids, *out;
    int n_predict, n_threads, n_ctx, greedy, print_ids;
} options;

static int usage(void) {
    fprintf(stderr,
            "usage: r1 logits   -m MODEL.gguf --ids 1,2,3 -o OUT.f32 [-t N] [-c N]\n"
            "       r1 generate -m MODEL.gguf --ids 1,2,3 [-n 24] --greedy [--print-ids] [-t N] [-c N]\n");
    return 1;
}

/* "1,2,3" -> ids; returns the count or -1 */
static int parse_ids(const char *s, int32_t **out) {
    int n = 0, cap = 16;
    int32_t *ids = (int32_t *)malloc((size_t)cap * sizeof *ids);
    while (ids && *s) {
        char *end;
        long v = strtol(s, &end, 10);
        if (end == s || v < INT32_MIN || v > INT32_MAX) { free(ids); return -1; }
        if (n == cap) {
            int32_t *ni = (int32_t *)realloc(ids, (size_t)(cap *= 2) * sizeof *ids);
            if (!ni) { free(ids); return -1; }
            ids = ni;
        }
        ids[n++] = (int32_t)v;
        s = end;
        if (*s == ',') s++;
        else if (*s) { free(ids); return -1; }
    }
    if (!ids || n == 0) { free(ids); return -1; }
    *out = ids;
    return n;
}

static int parse_int(const char *s, int *out) {
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < -1000000000L || v > 1000000000L) return 0;
    *out = (int)v;
    return 1;
}

int main(int argc, char **argv) {
    options o;
    r1_error err;
    r1_model *model = NULL;
    r1_context *ctx = NULL;
    r1_context_params cp = r1_context_default_params();
    int32_t *ids = NULL;
    int n_ids, i, rc = 1;

    memset(&o, 0, sizeof o);
    o.n_predict = 24;
    o.n_threads = 1;
    if (argc < 2) return usage();
    o.command = argv[1];
    for (i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--greedy") == 0) o.greedy = 1;
        else if (strcmp(a, "--print-ids") == 0) o.print_ids = 1;
        else if (!v) return usage();
        else if (strcmp(a, "-m") == 0) o.model = v, i++;
        else if (strcmp(a, "--ids") == 0) o.ids = v, i++;
        else if (strcmp(a, "-o") == 0) o.out = v, i++;
        else if (strcmp(a, "-n") == 0) { if (!parse_int(v, &o.n_predict)) return usage(); i++; }
        else if (strcmp(a, "-t") == 0) { if (!parse_int(v, &o.n_threads)) return usage(); i++; }
        else if (strcmp(a, "-c") == 0) { if (!parse_int(v, &o.n_ctx)) return usage(); i++; }
        else return usage();
    }
    if (!o.model || !o.ids) return usage();
    if (strcmp(o.command, "logits") != 0 && strcmp(o.command, "generate") != 0) return usage();
    if (strcmp(o.command, "logits") == 0 && !o.out) return usage();
    if (strcmp(o.command, "generate") == 0 && !o.greedy) {
        fprintf(stderr, "r1: generate needs --greedy (sampling is not available yet)\n");
        return 1;
    }
    if (o.n_predict < 0) { fprintf(stderr, "r1: -n must be >= 0\n"); return 1; }
    n_ids = parse_ids(o.ids, &ids);
    if (n_ids < 0) { fprintf(stderr, "r1: --ids must be comma-separated integers\n"); return 1; }

    model = r1_model_load(o.model, &err);
    if (!model) { fprintf(stderr, "r1: %s\n", err.message); goto done; }
    cp.n_threads = o.n_threads;
    cp.n_ctx = o.n_ctx ? o.n_ctx : n_ids + o.n_predict;
    ctx = r1_context_new(model, &cp, &err);
    if (!ctx) { fprintf(stderr, "r1: %s\n", err.message); goto done; }

    if (strcmp(o.command, "logits") == 0) {
        size_t n = (size_t)n_ids * (size_t)r1_model_n_vocab(model);
        float *logits = (float *)malloc(n * sizeof(float));
        FILE *f;
        if (!logits) { fprintf(stderr, "r1: out of memory\n"); goto done; }
        if (r1_eval(ctx, ids, n_ids, logits, &err) != R1_OK) { fprintf(stderr, "r1: %s\n", err.message); free(logits); goto done; }
        f = fopen(o.out, "wb");
        if (!f || fwrite(logits, sizeof(float), n, f) != n) {
            fprintf(stderr, "r1: cannot write '%s'\n", o.out);
            if (f) fclose(f);
            free(logits);
            goto done;
        }
        free(logits);
        if (fclose(f) != 0) { fprintf(stderr, "r1: cannot write '%s'\n", o.out); goto done; }
    } else {
        /* the prompt goes through the cache once, then one token at a time */
        if (r1_eval(ctx, ids, n_ids, NULL, &err) != R1_OK) { fprintf(stderr, "r1: %s\n", err.message); goto done; }
        for (i = 0; i < o.n_predict; i++) {
            int32_t next = r1_argmax(r1_context_logits(ctx), r1_model_n_vocab(model));
            if (o.print_ids) printf(i ? ",%d" : "%d", next);
            if (i + 1 < o.n_predict && r1_eval(ctx, &next, 1, NULL, &err) != R1_OK) {
                fprintf(stderr, "\nr1: %s\n", err.message);
                goto done;
            }
        }
        if (o.print_ids) printf("\n");
    }
    rc = 0;
done:
    free(ids);
    r1_context_free(ctx);
    r1_model_free(model);
    return rc;
}
