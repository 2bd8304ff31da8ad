/* r1-bench: prompt processing, generation, time to first token, load time and peak memory.
   usage: r1-bench -m MODEL.gguf [-p 512] [-n 128] [-t 2] [-r 1] [-c CTX] [--parallel K]
   One JSON line per run. The prompt is random token ids (seeded), evaluated as one batch; then
   n tokens are generated greedily one at a time. With --parallel K the prompt is then forked
   into K sequences sharing its cache, and n steps decode all K together (one batch per step):
   aggregate_decode_tok_s = K * n / time. */
#define R1_IMPLEMENTATION
#include "../r1.h"
#include <time.h>
#if defined(_WIN32)
#define PSAPI_VERSION 2
#include <psapi.h>
#else
#include <sys/resource.h>
#endif

static double now_s(void) {
#if defined(_WIN32)
    LARGE_INTEGER f, t;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)f.QuadPart;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
#endif
}

static double peak_rss_mb(void) {
#if defined(_WIN32)
    PROCESS_MEMORY_COUNTERS pmc;
    return K32GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc) ? pmc.PeakWorkingSetSize / 1048576.0 : -1.0;
#else
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0; /* kilobytes on Linux */
#endif
}

int main(int argc, char **argv) {
    const char *path = NULL;
    int n_prompt = 512, n_gen = 128, n_threads = 2, reps = 1, n_ctx = 0, n_par = 0, i, r;
    r1_error err;
    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-m") == 0) path = argv[i + 1];
        else if (strcmp(argv[i], "-p") == 0) n_prompt = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-n") == 0) n_gen = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-t") == 0) n_threads = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-r") == 0) reps = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-c") == 0) n_ctx = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--parallel") == 0) n_par = atoi(argv[i + 1]);
        else { fprintf(stderr, "r1-bench: unknown option %s\n", argv[i]); return 1; }
    }
    if (!path || n_prompt < 1 || n_gen < 0 || reps < 1 || n_par < 0 || n_par > 256) {
        fprintf(stderr, "usage: r1-bench -m MODEL.gguf [-p 512] [-n 128] [-t 2] [-r 1] [-c CTX] [--parallel K]\n");
        return 1;
    }
    for (r = 0; r < reps; r++) {
        double t0 = now_s(), load_ms, t_prefill, t_decode, t_par = 0;
        r1_model *m = r1_model_load(path, &err);
        r1_context_params cp = r1_context_default_params();
        r1_context *ctx;
        int32_t *ids;
        uint64_t rng = 12345;
        if (!m) { fprintf(stderr, "r1-bench: %s\n", err.message); return 1; }
        cp.n_ctx = n_ctx ? n_ctx : n_prompt + n_gen * (n_par > 1 ? n_par + 1 : 1);
        cp.n_threads = n_threads;
        cp.n_seq = n_par > 1 ? n_par + 1 : 1;
        ctx = r1_context_new(m, &cp, &err);
        if (!ctx) { fprintf(stderr, "r1-bench: %s\n", err.message); return 1; }
        load_ms = (now_s() - t0) * 1e3;
        ids = (int32_t *)malloc(sizeof(int32_t) * (size_t)n_prompt);
        for (i = 0; i < n_prompt; i++) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; ids[i] = (int32_t)(rng % 1000 + 100) % r1_model_n_vocab(m); }
        t0 = now_s();
        if (r1_eval(ctx, ids, n_prompt, NULL, &err) != R1_OK) { fprintf(stderr, "r1-bench: %s\n", err.message); return 1; }
        t_prefill = now_s() - t0;
        t0 = now_s();
        for (i = 0; i < n_gen; i++) {
            int32_t next = r1_argmax(r1_context_logits(ctx), r1_model_n_vocab(m));
            if (r1_eval(ctx, &next, 1, NULL, &err) != R1_OK) { fprintf(stderr, "r1-bench: %s\n", err.message); return 1; }
        }
        t_decode = now_s() - t0;
        if (n_par > 1 && n_gen > 0) { /* sequences 1..K fork the prompt (sequence 0 went on decoding above) */
            int nv = r1_model_n_vocab(m), s, *seqs = (int *)malloc(sizeof(int) * (size_t)n_par);
            int32_t *toks = (int32_t *)malloc(sizeof(int32_t) * (size_t)n_par);
            float *logits = (float *)malloc(sizeof(float) * (size_t)n_par * (size_t)nv);
            if (!seqs || !toks || !logits) { fprintf(stderr, "r1-bench: out of memory\n"); return 1; }
            r1_seq_truncate(ctx, 0, n_prompt);
            for (s = 0; s < n_par; s++) {
                r1_seq_fork(ctx, s + 1, 0, &err);
                seqs[s] = s + 1;
                toks[s] = (int32_t)((100 + 37 * s) % nv); /* different continuations */
            }
            t0 = now_s();
            for (i = 0; i < n_gen; i++) {
                if (r1_decode_batch(ctx, toks, seqs, n_par, logits, &err) != R1_OK) { fprintf(stderr, "r1-bench: %s\n", err.message); return 1; }
                for (s = 0; s < n_par; s++) toks[s] = r1_argmax(logits + (size_t)s * nv, nv);
            }
            t_par = now_s() - t0;
            free(seqs); free(toks); free(logits);
        }
        printf("{\"model\": \"%s\", \"n_prompt\": %d, \"n_gen\": %d, \"threads\": %d, \"prefill_tok_s\": %.2f, \"decode_tok_s\": %.2f, "
               "\"ttft_ms\": %.1f, \"load_ms\": %.1f, \"peak_rss_mb\": %.1f, \"kv_bytes_per_token\": %zu",
               path, n_prompt, n_gen, n_threads, n_prompt / t_prefill, n_gen ? n_gen / t_decode : 0.0, t_prefill * 1e3, load_ms,
               peak_rss_mb(), r1_model_kv_bytes_per_token(m));
        if (t_par > 0) printf(", \"parallel\": %d, \"aggregate_decode_tok_s\": %.2f", n_par, n_par * n_gen / t_par);
        printf("}\n");
        fflush(stdout);
        free(ids);
        r1_context_free(ctx);
        r1_model_free(m);
    }
    return 0;
}
