/* r1.h as a user embeds it: one translation unit that defines R1_IMPLEMENTATION and
   R1_QUANT_IMPLEMENTATION and includes both headers first, with nothing else asked of the
   build (no feature macros, no flags). tests/portable.sh builds it as strict C99 (gcc, clang),
   as C++ (g++, clang++; -std=c++11 and c++17), all with -Wall -Wextra -Werror, with tcc, and
   for i686 (x87 floating point, 32-bit pointers); each build:
     1. converts the qwen2 reference checkpoint to GGUF (f32 and q8_0) with r1_convert_hf,
     2. tokenizes every reference prompt's text and compares the ids with Hugging Face's,
     3. evaluates the ids and compares every position's logits with Hugging Face's float32 ones
        (f32: rel <= 2e-4, every top-1 and the 24 greedy ids; q8_0: rel <= 0.05, top-1 >= 97 %
        over the prompts, the bars of the main suite),
     4. chats with r1-tiny through r1_chat_render, r1_tokenize and r1_generate.
     5. opens a 2.2 GiB file (32-bit builds: 64-bit file offsets without asking).
   Usage: embed DATA_DIR R1_TINY_GGUF TMP_DIR. Ends with "N passed, N failed". */
#define R1_IMPLEMENTATION
#include "../r1.h"
#define R1_QUANT_IMPLEMENTATION
#include "../r1_quant.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if !defined(_WIN32)
#include <sys/types.h> /* off_t, for fseeko */
#endif

static int passed, failed;

static void check(int ok, const char *what) {
    if (ok) passed++;
    else failed++;
    printf("  %s %s\n", ok ? "ok  " : "FAIL", what);
}

static float *read_floats(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    float *data = NULL;
    long size;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        data = (float *)malloc((size_t)size);
        if (data && fread(data, 1, (size_t)size, f) != (size_t)size) { free(data); data = NULL; }
        *n = (size_t)size / sizeof(float);
    }
    fclose(f);
    return data;
}

static int ids_of(const r1_json *a, int32_t *out, int max) {
    size_t i;
    if (!a || a->type != R1_JSON_ARRAY || (int)a->n > max) return -1;
    for (i = 0; i < a->n; i++) out[i] = (int32_t)a->items[i].number;
    return (int)a->n;
}

/* One reference prompt against one converted file. */
static void check_prompt(r1_model *m, const char *data, const r1_json *p, int exact, int *top1_sum, int *n_sum) {
    static int32_t ids[1024], greedy[64], got[1024];
    const r1_json *text = r1_json_get(p, "text"), *file = r1_json_get(p, "logits_file");
    const char *name = r1_json_get(p, "name") ? r1_json_get(p, "name")->str : "?";
    int n = ids_of(r1_json_get(p, "ids"), ids, 1024), ng = ids_of(r1_json_get(p, "greedy"), greedy, 64);
    int vocab = r1_model_n_vocab(m), t, top1 = 0, greedy_ok = 1, i;
    char path[512], what[256];
    size_t n_ref = 0, k;
    float *ref, *logits;
    double max_ref = 0, max_diff = 0;
    r1_context_params cp = r1_context_default_params();
    r1_context *ctx;
    r1_error err;
    if (n <= 0 || ng <= 0 || !text || !file) { check(0, "reference prompt readable"); return; }
    if (exact) { /* the tokenizer once per prompt */
        /* a raw prompt's ids begin with the BOS its text lacks (HF's add_special_tokens) */
        size_t bos_len = 0;
        const char *bos = r1_token_bytes(r1_model_tokenizer(m), r1_token_bos(r1_model_tokenizer(m)), &bos_len);
        int add_bos = ids[0] == r1_token_bos(r1_model_tokenizer(m)) && !(bos && text->len >= bos_len && memcmp(text->str, bos, bos_len) == 0);
        int nt = r1_tokenize(r1_model_tokenizer(m), text->str, text->len, add_bos, got, 1024, &err);
        snprintf(what, sizeof what, "%s: %d ids tokenized, as Hugging Face's %d", name, nt, n);
        check(nt == n && memcmp(got, ids, (size_t)n * sizeof ids[0]) == 0, what);
    }
    snprintf(path, sizeof path, "%s/models/qwen2/ref/%s", data, file->str);
    ref = read_floats(path, &n_ref);
    if (!ref || n_ref != (size_t)n * (size_t)vocab) { check(0, "reference logits readable"); free(ref); return; }
    cp.n_ctx = n + ng;
    cp.n_threads = 2;
    ctx = r1_context_new(m, &cp, &err);
    logits = (float *)malloc(n_ref * sizeof(float));
    if (!ctx || !logits || r1_eval(ctx, ids, n, logits, &err) != R1_OK) {
        check(0, "evaluate");
        r1_context_free(ctx);
        free(logits);
        free(ref);
        return;
    }
    for (k = 0; k < n_ref; k++) {
        double d = fabs((double)logits[k] - ref[k]), r = fabs((double)ref[k]);
        if (d > max_diff || d != d) max_diff = d != d ? 1e30 : d;
        if (r > max_ref) max_ref = r;
    }
    for (t = 0; t < n; t++)
        top1 += r1_argmax(logits + (size_t)t * vocab, vocab) == r1_argmax(ref + (size_t)t * vocab, vocab);
    for (i = 0; i < ng && greedy_ok; i++) {
        int32_t next = r1_argmax(r1_context_logits(ctx), vocab);
        greedy_ok = next == greedy[i] && (i + 1 == ng || r1_eval(ctx, &next, 1, NULL, &err) == R1_OK);
    }
    snprintf(what, sizeof what, "%s %s: rel %.2e, top-1 %d/%d, greedy %s", exact ? "f32 " : "q8_0", name,
             max_diff / max_ref, top1, n, greedy_ok ? "identical" : "differs");
    if (exact) check(max_diff / max_ref <= 2e-4 && top1 == n && greedy_ok, what);
    else check(max_diff / max_ref <= 0.05, what); /* top-1 judged over all the prompts */
    *top1_sum += top1;
    *n_sum += n;
    free(logits);
    free(ref);
    r1_context_free(ctx);
}

static void check_reference(const char *data, const char *tmp, int type, const char *type_name) {
    r1_convert_params cp = r1_convert_default_params();
    char dir[512], out[512], what[1100];
    r1_error err;
    r1_json *refs;
    r1_model *m;
    size_t i;
    int top1 = 0, n = 0;
    snprintf(dir, sizeof dir, "%s/models/qwen2", data);
    snprintf(out, sizeof out, "%s/embed-qwen2.%s.gguf", tmp, type_name);
    cp.type = type;
    snprintf(what, sizeof what, "r1_convert_hf %s -> %s", dir, out);
    check(r1_convert_hf(dir, out, &cp, &err) == R1_OK, what);
    m = r1_model_load(out, &err);
    check(m != NULL, "r1_model_load");
    snprintf(dir, sizeof dir, "%s/models/qwen2/ref/ref.json", data);
    refs = r1_json_parse_file(dir, &err);
    check(refs && r1_json_get(refs, "prompts"), "ref.json parsed");
    if (m && refs && r1_json_get(refs, "prompts"))
        for (i = 0; i < r1_json_get(refs, "prompts")->n; i++)
            check_prompt(m, data, &r1_json_get(refs, "prompts")->items[i], type == R1_TYPE_F32, &top1, &n);
    snprintf(what, sizeof what, "%s: top-1 %d/%d over the prompts (bar: all for f32, 97 %% for q8_0)", type_name, top1, n);
    check(n > 0 && top1 * 100 >= (type == R1_TYPE_F32 ? 100 : 97) * n, what);
    r1_json_free(refs);
    r1_model_free(m);
    remove(out);
}

/* A file past 2 GiB opens and maps on 32-bit builds too (64-bit offsets inside the header): a
   GGUF whose one key names an unknown architecture, followed by a sparse 2.2 GiB hole, must be
   refused for what it says, not for its size. */
static void check_large_file(const char *tmp) {
#if !defined(_WIN32)
    static const unsigned char head[] = {
        'G', 'G', 'U', 'F', 3, 0, 0, 0,               /* magic, version 3 */
        0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, /* 0 tensors, 1 key */
        20, 0, 0, 0, 0, 0, 0, 0, 'g', 'e', 'n', 'e', 'r', 'a', 'l', '.', 'a', 'r', 'c', 'h', 'i', 't', 'e', 'c', 't', 'u', 'r', 'e',
        8, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 'n', 'o', 'n', 'e' /* a string: "none" */
    };
    char path[512], what[700];
    FILE *f;
    r1_error err;
    r1_model *m;
    int ok;
    snprintf(path, sizeof path, "%s/embed-large.gguf", tmp);
    f = fopen(path, "wb");
    ok = f && fwrite(head, 1, sizeof head, f) == sizeof head && fseeko(f, (off_t)2200 << 20, SEEK_SET) == 0 && fputc(0, f) == 0;
    if (f && fclose(f) != 0) ok = 0;
    check(ok, "a sparse 2.2 GiB file written");
    m = ok ? r1_model_load(path, &err) : NULL;
    snprintf(what, sizeof what, "a 2.2 GiB file opens and is refused for its architecture (%s)", ok ? err.message : "");
    check(ok && !m && err.code == R1_ERR_UNSUPPORTED, what);
    r1_model_free(m);
    remove(path);
#else
    (void)tmp;
#endif
}

static int count_pieces(void *user, const char *text, size_t len, int kind) {
    (void)text; (void)len; (void)kind;
    ++*(int *)user;
    return 0;
}

static void check_chat(const char *tiny) {
    r1_error err;
    r1_model *m = r1_model_load(tiny, &err);
    r1_context_params cp = r1_context_default_params();
    r1_context *ctx = NULL;
    r1_chat_message msg;
    char text[1024];
    int32_t ids[512];
    long len = -1;
    int n = -1, pieces = 0;
    r1_generate_params gp = r1_generate_default_params();
    r1_generate_result res;
    memset(&res, 0, sizeof res);
    check(m != NULL, "r1-tiny loads");
    if (!m) return;
    printf("  kernels: %s\n", r1_model_isa(m));
    cp.n_ctx = 512;
    cp.n_threads = 2;
    ctx = r1_context_new(m, &cp, &err);
    msg.role = "user";
    msg.content = "What is 12 + 35 * 2?";
    if (ctx) len = r1_chat_render(r1_model_tokenizer(m), &msg, 1, 1, text, sizeof text, &err);
    if (len > 0) n = r1_tokenize(r1_model_tokenizer(m), text, (size_t)len, 0, ids, 512, &err);
    check(n > 0, "chat rendered and tokenized");
    gp.n_predict = 16;
    gp.sampling.temperature = 0;
    check(n > 0 && r1_generate(ctx, r1_model_tokenizer(m), ids, n, &gp, count_pieces, &pieces, &res, &err) == R1_OK &&
              res.n_tokens == 16 && pieces > 0,
          "r1_generate: 16 tokens streamed");
    r1_generate_result_free(&res);
    r1_context_free(ctx);
    r1_model_free(m);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s DATA_DIR R1_TINY_GGUF TMP_DIR\n", argv[0]);
        return 2;
    }
    printf("r1.h embedded (%s)\n",
#if defined(__cplusplus)
           "C++"
#else
           "C"
#endif
    );
    check_reference(argv[1], argv[3], R1_TYPE_F32, "f32");
    check_reference(argv[1], argv[3], R1_TYPE_Q8_0, "q8_0");
    check_chat(argv[2]);
    check_large_file(argv[3]);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
