/* r1-kernel-bench: the prefill matrix kernels alone, per weight type and kernel set, on one
   thread.
   usage: r1-kernel-bench [-k K] [-n COLUMNS] [-t SECONDS] [--one-group] [--attn DEPTH [--attn-q N] [--attn-d D]]
   A 128-row matrix of K inputs (1536: the 1.5B shape's hidden size) against COLUMNS quantized
   inputs (64), walked as the runtime walks a batch: a tile of columns at a time through every
   row group (two groups of 8 at a time where the set has two-group kernels), so the weights
   come from L2 and the inputs from L1. Prints one JSON line per (set, type): billions of
   multiply-adds per second ("gmac_s") and nanoseconds per 32-weight block per row per column.
   Every set this CPU runs is measured (R1_ISA does not matter here); the plain-C set is the
   reference kernels, included for scale.
   --attn DEPTH: the decode attention kernels instead, as one thread runs them for one token at
   that depth of the 1.5B shape: 28 layers' planes of DEPTH float16 cache rows of 128 (keys, then
   values), 6 query heads sharing each (its GQA group); the scores, then the weighted sum. The
   planes (2 x 28 x DEPTH x 256 bytes) are far larger than the caches, as deep in a context.
   --attn-q N / --attn-d D: N queries per row (default 6) and rows of D elements (default 128);
   MLA's attention reads the latent rows (512 in DeepSeek-V2/V3) for every head (16 in V2-Lite).
   Then the same over a Q8_0 cache (136 bytes a row). Prints one JSON line per (set, cache
   type): milliseconds and GB/s of cache read for each kernel. */
#define R1_IMPLEMENTATION
#include "../r1.h"

static double now_s(void) { return r1_seconds(); }

static uint64_t rng = 88172645463325252ull;
static float rnd(void) { /* uniform in [-1, 1) */
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (float)((double)(rng >> 11) / 4503599627370496.0 - 1.0);
}

/* --attn: one token's attention reads over n_planes planes, best of five; ms for each kernel */
static void run_attention(const r1__kernels *const *sets, int n_sets, int depth, int nq, int d) {
    const int planes = 28;
    size_t elems = (size_t)planes * (size_t)depth * (size_t)d, i;
    uint16_t *kc = (uint16_t *)malloc(elems * 2), *vc = (uint16_t *)malloc(elems * 2);
    r1_block_q8_0 *kq = (r1_block_q8_0 *)malloc(elems / 32 * sizeof(r1_block_q8_0)), *vq = (r1_block_q8_0 *)malloc(elems / 32 * sizeof(r1_block_q8_0));
    float tmp[1024];
    int q8;
    float *q = (float *)malloc(sizeof(float) * nq * d), *att = (float *)malloc(sizeof(float) * (size_t)nq * (size_t)depth);
    float *out = (float *)malloc(sizeof(float) * nq * d);
    int32_t *rows = (int32_t *)malloc(sizeof(int32_t) * (size_t)depth);
    int s, p, t, j, rep;
    if (!kc || !vc || !kq || !vq || !q || !att || !out || !rows) { fprintf(stderr, "out of memory\n"); exit(1); }
    for (i = 0; i < elems; i++) {
        kc[i] = r1_fp32_to_fp16(rnd());
        vc[i] = r1_fp32_to_fp16(rnd());
    }
    for (i = 0; i < elems; i += (size_t)d) {
        for (j = 0; j < d; j++) tmp[j] = r1_fp16_to_fp32(kc[i + j]);
        r1__q8_0_from_float(tmp, kq + i / 32, d);
        for (j = 0; j < d; j++) tmp[j] = r1_fp16_to_fp32(vc[i + j]);
        r1__q8_0_from_float(tmp, vq + i / 32, d);
    }
    for (i = 0; i < (size_t)nq * d; i++) q[i] = rnd();
    for (t = 0; t < depth; t++) rows[t] = t;
    for (q8 = 0; q8 < 2; q8++)
    for (s = 0; s < n_sets; s++) {
        const r1__kernels *k = sets[s];
        double best_s = 1e30, best_m = 1e30, bytes = q8 ? (double)elems / 32 * sizeof(r1_block_q8_0) : (double)elems * 2;
        for (rep = 0; rep < 5; rep++) {
            double ts = 0, tm = 0, t0;
            for (p = 0; p < planes; p++) {
                memset(att, 0, sizeof(float) * (size_t)nq * (size_t)depth);
                t0 = now_s();
                if (q8) k->scores_q8_0(kq + (size_t)p * depth * d / 32, d / 32, rows, depth, q, d, nq, d, 0.088f, att, (size_t)depth);
                else k->scores_f16(kc + (size_t)p * depth * d, d, rows, depth, q, d, nq, d, 0.088f, att, (size_t)depth);
                ts += now_s() - t0;
                for (j = 0; j < nq; j++) r1__softmax(k, att + (size_t)j * depth, depth);
                memset(out, 0, sizeof(float) * nq * d);
                t0 = now_s();
                if (q8) k->mix_q8_0(out, d, att, (size_t)depth, nq, vq + (size_t)p * depth * d / 32, d / 32, rows, depth, d);
                else k->mix_f16(out, d, att, (size_t)depth, nq, vc + (size_t)p * depth * d, d, rows, depth, d);
                tm += now_s() - t0;
            }
            if (ts < best_s) best_s = ts;
            if (tm < best_m) best_m = tm;
        }
        printf("{\"set\": \"%s\", \"cache\": \"%s\", \"depth\": %d, \"layers\": %d, \"width\": %d, \"queries_per_row\": %d, \"scores_ms\": %.3f, \"scores_gb_s\": %.1f, "
               "\"mix_ms\": %.3f, \"mix_gb_s\": %.1f}\n",
               k->name, q8 ? "q8_0" : "f16", depth, planes, d, nq, best_s * 1e3, bytes / best_s * 1e-9, best_m * 1e3, bytes / best_m * 1e-9);
    }
    free(kc);
    free(vc);
    free(kq);
    free(vq);
    free(q);
    free(att);
    free(out);
    free(rows);
}

/* one pass of the batch over all the rows; returns a checksum so nothing is optimised away */
static int one_group; /* --one-group: the 8-row kernels even where two-group ones exist */
static int stream_ahead; /* bytes a one-column pass prefetches ahead (R1_PREFETCH, else this CPU's choice) */

static float run_pass(const r1__type_kernels *tk, const uint8_t *packed, size_t rb, int rows, const r1_block_q8x *xq, int nb, int ncols) {
    float tile[2 * 8 * R1__TILE16], sum = 0.0f;
    int two = tk->dotq16 && !one_group, width = two ? R1__TILE16 : R1__TILE, b, r;
    for (b = 0; b < ncols; b += width) {
        int nc = ncols - b < width ? ncols - b : width;
        for (r = 0; r < rows; r += two ? 16 : 8) {
            if (two) tk->dotq16(packed + (size_t)r * rb, 8 * rb, xq + (size_t)b * nb, nb, nb, nc, stream_ahead, tile);
            else tk->dotq8(packed + (size_t)r * rb, xq + (size_t)b * nb, nb, nb, nc, stream_ahead, tile);
            sum += tile[0];
        }
    }
    return sum;
}

int main(int argc, char **argv) {
    static const int types[] = { R1_TYPE_Q8_0, R1_TYPE_Q4_0, R1_TYPE_Q4_K, R1_TYPE_Q5_K, R1_TYPE_Q6_K };
    const r1__kernels *sets[8];
    int n_sets = 0, k_in = 1536, ncols = 64, rows = 128, i, s, ti, attn_depth = 0, attn_q = 6, attn_d = 128;
    double seconds = 0.3;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-k") == 0 && i + 1 < argc) k_in = atoi(argv[++i]);
        else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) ncols = atoi(argv[++i]);
        else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--one-group") == 0) one_group = 1;
        else if (strcmp(argv[i], "--attn") == 0 && i + 1 < argc) attn_depth = atoi(argv[++i]);
        else if (strcmp(argv[i], "--attn-q") == 0 && i + 1 < argc) attn_q = atoi(argv[++i]);
        else if (strcmp(argv[i], "--attn-d") == 0 && i + 1 < argc) attn_d = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: r1-kernel-bench [-k K] [-n COLUMNS] [-t SECONDS] [--one-group] [--attn DEPTH [--attn-q N] [--attn-d D]]\n");
            return 1;
        }
    }
    if (attn_depth < 0 || attn_depth > 65536 || attn_q < 1 || attn_q > 128 || attn_d < 32 || attn_d > 1024 || attn_d % 32) {
        fprintf(stderr, "r1-kernel-bench: 0 < DEPTH <= 65536, 1 <= N <= 128, D a multiple of 32 up to 1024\n");
        return 1;
    }
    if (k_in < 256 || k_in % 256 || ncols < 1 || ncols > 4096 || !(seconds > 0 && seconds < 60)) {
        fprintf(stderr, "r1-kernel-bench: K must be a multiple of 256, 1 <= COLUMNS <= 4096, 0 < SECONDS < 60\n");
        return 1;
    }
    {
        r1_error err;
        if ((stream_ahead = r1__stream_ahead(&err)) < 0) {
            fprintf(stderr, "r1-kernel-bench: %s\n", err.message);
            return 1;
        }
    }
    sets[n_sets++] = &r1__kernels_c;
#if defined(R1__HAVE_X86)
    {
        int avx2, vnni;
        r1__x86_features(&avx2, &vnni);
        if (avx2) sets[n_sets++] = &r1__kernels_avx2;
#if defined(R1__HAVE_AVXVNNI)
        if (r1__x86_avxvnni()) sets[n_sets++] = &r1__kernels_avxvnni;
#endif
#if defined(R1__HAVE_AVX512)
        if (vnni) sets[n_sets++] = &r1__kernels_vnni;
#endif
#if defined(R1__HAVE_AMX)
        if (vnni && r1__x86_amx()) sets[n_sets++] = &r1__kernels_amx;
#endif
    }
#endif
#if defined(R1__HAVE_NEON)
    sets[n_sets++] = &r1__kernels_neon;
    if (r1__arm_dotprod()) sets[n_sets++] = &r1__kernels_dotprod;
#endif
#if defined(R1__HAVE_I8MM)
    if (r1__arm_i8mm()) sets[n_sets++] = &r1__kernels_i8mm;
#endif
    if (attn_depth) {
        run_attention(sets, n_sets, attn_depth, attn_q, attn_d);
        return 0;
    }
    for (ti = 0; ti < (int)(sizeof types / sizeof types[0]); ti++) {
        int t = types[ti], nb = k_in / 32, r, c;
        size_t rb = r1__row_bytes(t, k_in);
        float *w = (float *)malloc(sizeof(float) * (size_t)k_in);
        uint8_t *rowsq = (uint8_t *)malloc(rb * (size_t)rows), *packed = (uint8_t *)malloc(rb * (size_t)rows);
        r1_block_q8x *xq = (r1_block_q8x *)malloc(sizeof(r1_block_q8x) * (size_t)nb * (size_t)ncols);
        if (!w || !rowsq || !packed || !xq) { fprintf(stderr, "out of memory\n"); return 1; }
        for (r = 0; r < rows; r++) {
            for (i = 0; i < k_in; i++) w[i] = rnd();
            r1_quantize(t, w, rowsq + (size_t)r * rb, k_in);
        }
        for (r = 0; r < rows; r += 8) r1__types[t].pack8(rowsq + (size_t)r * rb, rb, k_in, packed + (size_t)r * rb);
        for (c = 0; c < ncols; c++) {
            for (i = 0; i < k_in; i++) w[i] = rnd();
            r1__quantize_q8x(w, xq + (size_t)c * nb, k_in);
        }
        for (s = 0; s < n_sets; s++) {
            const r1__type_kernels *tk = r1__kernels_of(sets[s], t);
            double t0, el, best = 1e30, macs = (double)rows * k_in * ncols;
            volatile float sink = 0.0f;
            int passes = 0, rep;
            if (!tk->dotq8) continue;
            for (rep = 0; rep < 3; rep++) { /* best of three timed runs of ~seconds / 3 */
                passes = 0;
                t0 = now_s();
                do {
                    sink += run_pass(tk, packed, rb, rows, xq, nb, ncols);
                    passes++;
                } while ((el = now_s() - t0) < seconds / 3);
                if (el / passes < best) best = el / passes;
            }
            printf("{\"set\": \"%s\", \"type\": \"%s\", \"k\": %d, \"rows\": %d, \"columns\": %d, \"two_groups\": %s, \"gmac_s\": %.2f, "
                   "\"ns_per_block_row_column\": %.3f}\n",
                   sets[s]->name, r1_type_name(t), k_in, rows, ncols, tk->dotq16 && !one_group ? "true" : "false", macs / best * 1e-9,
                   best * 1e9 / (macs / 32));
            (void)sink;
        }
        free(w);
        free(rowsq);
        free(packed);
        free(xq);
    }
    return 0;
}
