/* r1-bench: prompt processing, generation, time to first token, load time and peak memory.
   usage: r1-bench -m MODEL.gguf [-p 512] [-n 128] [-t 2] [-r 1] [-c CTX] [--parallel K] [-b 0] [--busy K] [--depth D]
                   [--verify K] [--chat TEXT] [--spec lookup|draft] [-md DRAFT.gguf] [--draft-max N] [--warmup W]
   One JSON line per run. The prompt is random token ids (seeded), evaluated as one batch; then
   n tokens are generated greedily one at a time. With --parallel K the prompt is then forked
   into K sequences sharing its cache, and n steps decode all K together (one batch per step):
   aggregate_decode_tok_s = K * n / time.
   After each run (its peak RSS taken, its model freed) the streaming read bandwidth is measured
   with the same thread count; decode cannot beat bandwidth / bytes read per token (the weights
   once, and the cache rows in use: kv_bytes_read_per_token, averaged over the generated tokens),
   printed as decode_roofline_tok_s and decode_pct_of_roofline (-b 0 skips this).
   --depth D: the prompt is D tokens (its prefill timed on its own, as before) and the JSON line
   says "depth": decode deep into a long thought.
   --verify K: after the decode, the time of one pass over k = 1..K tokens with every position's
   logits (what checking k drafted tokens costs in speculative decoding), best of 3 each, at the
   depth reached; "verify_ms" and "verify_cost" (each against k = 1).
   --warmup W: before the timed prompt, W untimed passes over the same prompt and one generated
   token (the cache emptied after each), as llama-bench warms up by default; the JSON line says
   "warmup". Without it (the default) the prompt timed is the first after the load: the cold
   time to first token. On the virtual machine these figures come from, a process's first pass
   over the packed weights ran 10-15 % slower than later ones (the same bits; the cause was not
   found in r1.h), which only the warm figure leaves out.
   --busy K runs it beside K spinning processes pinned to CPUs 0..K-1 (Linux): the thread pool
   under a competing load.
   --chat TEXT: the prompt is TEXT as a user turn through the model's chat template (instead of
   random ids), so that a trained model thinks as it would in a chat.
   --spec lookup|draft (-md DRAFT.gguf implies draft): after the runs above, r1_generate from the
   same prompt twice, greedy, at most n tokens, plain and then speculative; "spec_tok_s" against
   "plain_tok_s" (tokens sampled / time, from the prompt's last token on), the tokens drafted and
   kept, the passes, and "spec_same_text" (1: the two texts are identical, as they must be). */
#if defined(__linux__)
#define _GNU_SOURCE /* sched_setaffinity, for --busy */
#endif
#define R1_IMPLEMENTATION
#include "../r1.h"
#include <time.h>
#if defined(_WIN32)
#define PSAPI_VERSION 2
#include <psapi.h>
#else
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#endif
#if defined(__linux__)
#include <sched.h>
#endif

/* --busy K: K processes that spin for the whole run, the i-th pinned to CPU i (Linux), as a game
   or another program keeping cores busy would. Started before the model loads, killed at the end. */
#define MAX_BUSY 64
static int n_busy;
#if !defined(_WIN32)
static pid_t busy_pids[MAX_BUSY];
#endif

static int start_busy(int k) {
#if defined(_WIN32)
    (void)k;
    fprintf(stderr, "r1-bench: --busy needs fork (not on Windows)\n");
    return 0;
#else
    int i;
    for (i = 0; i < k && i < MAX_BUSY; i++) {
        pid_t pid = fork();
        if (pid < 0) return 0;
        if (pid == 0) {
            volatile unsigned long spin = 0;
            pid_t parent = getppid();
#if defined(__linux__)
            cpu_set_t set;
            CPU_ZERO(&set);
            CPU_SET(i, &set);
            (void)sched_setaffinity(0, sizeof set, &set);
#endif
            for (;;) /* until killed, or the benchmark is gone */
                if (++spin % (1ul << 24) == 0 && getppid() != parent) _exit(0);
        }
        busy_pids[n_busy++] = pid;
    }
    return 1;
#endif
}

static void stop_busy(void) {
#if !defined(_WIN32)
    int i;
    for (i = 0; i < n_busy; i++) { kill(busy_pids[i], SIGKILL); waitpid(busy_pids[i], NULL, 0); }
#endif
    n_busy = 0;
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

/* Read bandwidth: each pool thread sums its share of a buffer far larger than any cache with a
   plain loop (the compiler vectorizes it); the best of 5 passes. Uses the runtime's own thread
   pool, so the threads are the ones decode runs on. */
typedef struct bw_job {
    const uint64_t *data;
    size_t n;                 /* words */
    r1__claims pieces;        /* the buffer in pieces, claimed as the runtime's jobs claim theirs */
    uint64_t sums[64];        /* one per thread, so the loop cannot be optimized away */
} bw_job;

static void bw_worker(void *arg, int ith, int nth) {
    bw_job *job = (bw_job *)arg;
    uint64_t a = 0, b = 0, c = 0, d = 0;
    int k, mine = -1;
    while ((k = r1__claim_next(&job->pieces, &mine, ith, nth)) >= 0) {
        size_t i0 = job->n * (size_t)k / (size_t)job->pieces.n, i1 = job->n * (size_t)(k + 1) / (size_t)job->pieces.n, i;
        for (i = i0; i + 4 <= i1; i += 4) {
            a += job->data[i];
            b += job->data[i + 1];
            c += job->data[i + 2];
            d += job->data[i + 3];
        }
    }
    job->sums[ith & 63] = a + b + c + d;
}

static double read_bandwidth_gb_s(int n_threads) {
    size_t bytes = (size_t)512 << 20, i;
    bw_job job;
    r1__pool pool;
    r1_error err;
    double best = 0.0;
    int pass;
    uint64_t *buf = (uint64_t *)malloc(bytes);
    if (!buf || r1__pool_init(&pool, n_threads, &err) != R1_OK) { free(buf); return 0.0; }
    r1__hugepage_hint(buf, bytes); /* as the runtime's packed weights: the fair limit for them */
    for (i = 0; i < bytes / 8; i++) buf[i] = i; /* touch every page */
    job.data = buf;
    job.n = bytes / 8;
    for (pass = 0; pass < 5; pass++) {
        double t0 = r1_seconds(), gb_s;
        r1__claims_init(&job.pieces, 64 * n_threads); /* 4 MiB each for 2 threads */
        r1__pool_run(&pool, bw_worker, &job);
        gb_s = (double)bytes / (r1_seconds() - t0) / 1e9;
        if (gb_s > best) best = gb_s;
    }
    r1__pool_destroy(&pool);
    free(buf);
    return best;
}

/* --spec: plain and speculative generation from the same prompt, greedy */
typedef struct spec_figures {
    double plain_tok_s, spec_tok_s;
    int n_tokens, drafted, kept, same, draft_max;
} spec_figures;

static int run_spec(r1_context *ctx, r1_model *m, const int32_t *ids, int n_prompt, int n_gen, int spec, const char *draft_path,
                    int draft_max, const r1_context_params *cp, spec_figures *sf) {
    r1_generate_params gp = r1_generate_default_params();
    r1_generate_result res[2];
    r1_model *dm = NULL;
    r1_context *dc = NULL;
    r1_error err;
    int k, ok = 1;
    if (draft_path) {
        r1_context_params dp = *cp;
        dp.n_seq = 1;
        if (!(dm = r1_model_load(draft_path, &err)) || !(dc = r1_context_new(dm, &dp, &err))) {
            fprintf(stderr, "r1-bench: draft model %s: %s\n", draft_path, err.message);
            r1_model_free(dm);
            return 0;
        }
    }
    gp.sampling.temperature = 0.0f;
    gp.n_predict = n_gen;
    gp.loop_detect = 0;
    gp.draft = dc;
    if (draft_max) gp.draft_max = draft_max;
    sf->draft_max = gp.draft_max;
    memset(res, 0, sizeof res);
    for (k = 0; k < 2 && ok; k++) { /* the prompt but its last token first (untimed), then generation from it */
        double t0;
        r1_context_reset(ctx);
        gp.spec = k ? spec : R1_SPEC_NONE;
        if (n_prompt > 1 && r1_eval(ctx, ids, n_prompt - 1, NULL, &err) != R1_OK) { ok = 0; break; }
        t0 = r1_seconds();
        if (r1_generate(ctx, r1_model_tokenizer(m), ids + n_prompt - 1, 1, &gp, NULL, NULL, &res[k], &err) != R1_OK) { ok = 0; break; }
        t0 = r1_seconds() - t0;
        if (k) sf->spec_tok_s = res[k].n_tokens / t0;
        else sf->plain_tok_s = res[k].n_tokens / t0;
    }
    if (!ok) fprintf(stderr, "r1-bench: --spec: %s\n", err.message);
    else {
        sf->n_tokens = res[1].n_tokens;
        sf->drafted = res[1].n_drafted;
        sf->kept = res[1].n_accepted;
        sf->same = res[0].n_tokens == res[1].n_tokens && strcmp(res[0].thinking ? res[0].thinking : "", res[1].thinking ? res[1].thinking : "") == 0 &&
                   strcmp(res[0].answer ? res[0].answer : "", res[1].answer ? res[1].answer : "") == 0;
    }
    r1_generate_result_free(&res[0]);
    r1_generate_result_free(&res[1]);
    r1_context_free(dc);
    r1_model_free(dm);
    return ok;
}

int main(int argc, char **argv) {
    const char *path = NULL;
    int n_prompt = 512, n_gen = 128, n_threads = 2, reps = 1, n_ctx = 0, n_par = 0, measure_bw = 1, kv_type = R1_KV_AUTO, small_pages = 0, i, r;
    int busy = 0, depth = -1, verify = 0, spec = R1_SPEC_NONE, draft_max = 0, warmup = 0;
    const char *chat = NULL, *draft_path = NULL;
    r1_error err;
    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-m") == 0) path = argv[i + 1];
        else if (strcmp(argv[i], "-p") == 0) n_prompt = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-n") == 0) n_gen = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-t") == 0) n_threads = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-r") == 0) reps = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-c") == 0) n_ctx = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--parallel") == 0) n_par = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-b") == 0) measure_bw = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--busy") == 0) busy = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--depth") == 0) depth = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--verify") == 0) verify = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--warmup") == 0) warmup = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--kv-pages") == 0) small_pages = strcmp(argv[i + 1], "small") == 0 ? 1 : strcmp(argv[i + 1], "auto") == 0 ? 0 : -1;
        else if (strcmp(argv[i], "--chat") == 0) chat = argv[i + 1];
        else if (strcmp(argv[i], "-md") == 0) { draft_path = argv[i + 1]; spec = R1_SPEC_DRAFT; }
        else if (strcmp(argv[i], "--draft-max") == 0) draft_max = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--spec") == 0)
            spec = strcmp(argv[i + 1], "lookup") == 0 ? R1_SPEC_LOOKUP : strcmp(argv[i + 1], "draft") == 0 ? R1_SPEC_DRAFT : -1;
        else if (strcmp(argv[i], "--kv") == 0) {
            const char *v = argv[i + 1];
            kv_type = strcmp(v, "auto") == 0 ? R1_KV_AUTO : strcmp(v, "f32") == 0 ? R1_KV_F32 : strcmp(v, "f16") == 0 ? R1_KV_F16
                    : strcmp(v, "q8_0") == 0 ? R1_KV_Q8_0 : -1;
        }
        else { fprintf(stderr, "r1-bench: unknown option %s\n", argv[i]); return 1; }
    }
    if (depth >= 0) n_prompt = depth; /* --depth D: decode after a D-token prompt (its prefill is timed on its own) */
    if (!path || n_prompt < 1 || n_gen < 0 || reps < 1 || n_par < 0 || n_par > 256 || kv_type < 0 || small_pages < 0 || busy < 0 || busy > MAX_BUSY || verify < 0 || verify > 64 || warmup < 0 || warmup > 100 ||
        spec < 0 || (spec == R1_SPEC_DRAFT) != (draft_path != NULL) || draft_max < 0 || draft_max > 64 || (chat && depth >= 0)) {
        fprintf(stderr, "usage: r1-bench -m MODEL.gguf [-p 512] [-n 128] [-t 2] [-r 1] [-c CTX] [--parallel K] [-b 0] [--kv auto|f32|f16|q8_0] [--busy K]\n"
                        "                [--depth D]   (D >= 1: decode after a D-token prompt; the roofline counts the KV rows read)\n"
                        "                [--verify K]  (K <= 64: the cost of one pass over k = 1..K tokens, as speculative decoding checks a draft)\n"
                        "                [--warmup W]  (W untimed passes over the prompt and one token first, as llama-bench does)\n"
                        "                [--kv-pages auto|small] (the KV cache on 2 MiB pages where large, or 4 KiB: kv_small_pages)\n"
                        "                [--chat TEXT] (the prompt: TEXT as a user turn in the model's chat template; not with --depth)\n"
                        "                [--spec lookup|draft] [-md DRAFT.gguf] [--draft-max N]  (then speculative against plain generation)\n");
        return 1;
    }
    atexit(stop_busy); /* the early returns below too */
    if (busy && !start_busy(busy)) return 1;
    for (r = 0; r < reps; r++) {
        double t0 = r1_seconds(), load_ms, t_prefill, t_decode, t_par = 0, rss, t_verify[65];
        size_t kv_bytes, weight_bytes;
        char isa[32];
        spec_figures sf;
        r1_model *m = r1_model_load(path, &err);
        r1_context_params cp = r1_context_default_params();
        r1_context *ctx;
        int32_t *ids;
        uint64_t rng = 12345;
        if (!m) { fprintf(stderr, "r1-bench: %s\n", err.message); return 1; }
        cp.n_ctx = n_ctx ? n_ctx : n_prompt + n_gen * (n_par > 1 ? n_par + 1 : 1) + verify;
        cp.n_threads = n_threads;
        cp.n_seq = n_par > 1 ? n_par + 1 : 1;
        cp.kv_type = kv_type;
        cp.kv_small_pages = small_pages;
        ctx = r1_context_new(m, &cp, &err);
        if (!ctx) { fprintf(stderr, "r1-bench: %s\n", err.message); return 1; }
        load_ms = (r1_seconds() - t0) * 1e3;
        ids = (int32_t *)malloc(sizeof(int32_t) * (size_t)n_prompt);
        for (i = 0; i < n_prompt; i++) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; ids[i] = (int32_t)(rng % 1000 + 100) % r1_model_n_vocab(m); }
        if (chat) { /* the prompt: a user turn (its ids fit n_prompt: the context was sized for them) */
            r1_chat_message msg;
            int n_chat;
            msg.role = "user";
            msg.content = chat;
            n_chat = r1_model_tokenizer(m) ? r1_chat_tokenize(r1_model_tokenizer(m), &msg, 1, R1_CHAT_PROMPT, ids, n_prompt, &err) : -1;
            if (n_chat < 1) { fprintf(stderr, "r1-bench: --chat: %s\n", r1_model_tokenizer(m) ? err.message : "the model has no tokenizer"); return 1; }
            n_prompt = n_chat;
        }
        for (i = 0; i < warmup; i++) { /* untimed: the prompt and one token, then an empty cache again */
            int32_t next;
            if (r1_eval(ctx, ids, n_prompt, NULL, &err) != R1_OK) { fprintf(stderr, "r1-bench: %s\n", err.message); return 1; }
            next = r1_argmax(r1_context_logits(ctx), r1_model_n_vocab(m));
            if (r1_eval(ctx, &next, 1, NULL, &err) != R1_OK) { fprintf(stderr, "r1-bench: %s\n", err.message); return 1; }
            r1_context_truncate(ctx, 0);
        }
        t0 = r1_seconds();
        if (r1_eval(ctx, ids, n_prompt, NULL, &err) != R1_OK) { fprintf(stderr, "r1-bench: %s\n", err.message); return 1; }
        t_prefill = r1_seconds() - t0;
        t0 = r1_seconds();
        for (i = 0; i < n_gen; i++) {
            int32_t next = r1_argmax(r1_context_logits(ctx), r1_model_n_vocab(m));
            if (r1_eval(ctx, &next, 1, NULL, &err) != R1_OK) { fprintf(stderr, "r1-bench: %s\n", err.message); return 1; }
        }
        t_decode = r1_seconds() - t0;
        if (verify > 0) { /* k drafted tokens checked in one pass, then dropped again */
            int nv = r1_model_n_vocab(m), k, rep, at = r1_context_n_past(ctx);
            float *all = (float *)malloc(sizeof(float) * (size_t)verify * (size_t)nv);
            int32_t *toks = (int32_t *)malloc(sizeof(int32_t) * (size_t)verify);
            if (!all || !toks) { fprintf(stderr, "r1-bench: out of memory\n"); return 1; }
            for (k = 0; k < verify; k++) toks[k] = ids[k % n_prompt];
            for (k = 1; k <= verify; k++) {
                t_verify[k] = 1e30;
                for (rep = 0; rep < 3; rep++) {
                    double t1 = r1_seconds();
                    if (r1_eval(ctx, toks, k, all, &err) != R1_OK) { fprintf(stderr, "r1-bench: %s\n", err.message); return 1; }
                    t1 = r1_seconds() - t1;
                    if (t1 < t_verify[k]) t_verify[k] = t1;
                    r1_context_truncate(ctx, at);
                }
            }
            free(all); free(toks);
        }
        memset(&sf, 0, sizeof sf);
        if (spec && !run_spec(ctx, m, ids, n_prompt, n_gen, spec, draft_path, draft_max, &cp, &sf)) return 1;
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
            t0 = r1_seconds();
            for (i = 0; i < n_gen; i++) {
                if (r1_decode_batch(ctx, toks, seqs, n_par, logits, &err) != R1_OK) { fprintf(stderr, "r1-bench: %s\n", err.message); return 1; }
                for (s = 0; s < n_par; s++) toks[s] = r1_argmax(logits + (size_t)s * nv, nv);
            }
            t_par = r1_seconds() - t0;
            free(seqs); free(toks); free(logits);
        }
        rss = peak_rss_mb();
        kv_bytes = r1_context_kv_bytes_per_token(ctx);
        weight_bytes = r1_model_bytes_per_token(m);
        free(ids);
        r1_context_free(ctx);
        snprintf(isa, sizeof isa, "%s", r1_model_isa(m));
        r1_model_free(m);
        printf("{\"model\": \"%s\", \"isa\": \"%s\", \"n_prompt\": %d, \"n_gen\": %d, \"threads\": %d, \"prefill_tok_s\": %.2f, \"decode_tok_s\": %.2f, "
               "\"ttft_ms\": %.1f, \"load_ms\": %.1f, \"peak_rss_mb\": %.1f, \"kv_bytes_per_token\": %zu, \"bytes_per_token\": %zu",
               path, isa, n_prompt, n_gen, n_threads, n_prompt / t_prefill, n_gen ? n_gen / t_decode : 0.0, t_prefill * 1e3, load_ms,
               rss, kv_bytes, weight_bytes);
        if (t_par > 0) printf(", \"parallel\": %d, \"aggregate_decode_tok_s\": %.2f", n_par, n_par * n_gen / t_par);
        if (busy) printf(", \"busy_cores\": %d", busy);
        if (depth >= 0) printf(", \"depth\": %d", depth);
        if (warmup) printf(", \"warmup\": %d", warmup);
        if (small_pages) printf(", \"kv_pages\": \"small\"");
        if (spec)
            printf(", \"spec\": \"%s\", \"draft_max\": %d, \"plain_tok_s\": %.2f, \"spec_tok_s\": %.2f, \"spec_speedup\": %.3f, \"spec_tokens\": %d, "
                   "\"spec_drafted\": %d, \"spec_kept\": %d, \"spec_passes\": %d, \"spec_same_text\": %d",
                   spec == R1_SPEC_LOOKUP ? "lookup" : "draft", sf.draft_max, sf.plain_tok_s, sf.spec_tok_s, sf.spec_tok_s / sf.plain_tok_s,
                   sf.n_tokens, sf.drafted, sf.kept, sf.n_tokens - sf.kept, sf.same);
        if (verify > 0) {
            printf(", \"verify_ms\": [");
            for (i = 1; i <= verify; i++) printf("%s%.2f", i > 1 ? ", " : "", t_verify[i] * 1e3);
            printf("], \"verify_cost\": [");
            for (i = 1; i <= verify; i++) printf("%s%.2f", i > 1 ? ", " : "", t_verify[i] / t_verify[1]);
            printf("]");
        }
        {   /* a decode step reads the weights once and every cache row used so far: on average over
               the n_gen steps, the prompt's rows plus half the generated ones plus its own */
            double kv_read = (double)kv_bytes * (n_prompt + (n_gen + 1) / 2.0);
            printf(", \"kv_bytes_read_per_token\": %.0f", kv_read);
            if (measure_bw) {
                double bw = read_bandwidth_gb_s(n_threads), roof = bw * 1e9 / ((double)weight_bytes + kv_read);
                printf(", \"bandwidth_gb_s\": %.1f, \"decode_roofline_tok_s\": %.2f", bw, roof);
                if (n_gen) printf(", \"decode_pct_of_roofline\": %.1f", 100.0 * n_gen / t_decode / roof);
            }
        }
        printf("}\n");
        fflush(stdout);
    }
    stop_busy();
    return 0;
}
