/* r1-kernel-bench: the prefill matrix kernels alone, per weight type and kernel set, on one
   thread.
   usage: r1-kernel-bench [-k K] [-n COLUMNS] [-t SECONDS] [--one-group]
   A 128-row matrix of K inputs (1536: the 1.5B shape's hidden size) against COLUMNS quantized
   inputs (64), walked as the runtime walks a batch: a tile of columns at a time through every
   row group (two groups of 8 at a time where the set has two-group kernels), so the weights
   come from L2 and the inputs from L1. Prints one JSON line per (set, type): billions of
   multiply-adds per second ("gmac_s") and nanoseconds per 32-weight block per row per column.
   Every set this CPU runs is measured (R1_ISA does not matter here); the plain-C set is the
   reference kernels, included for scale. */
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

/* one pass of the batch over all the rows; returns a checksum so nothing is optimised away */
static int one_group; /* --one-group: the 8-row kernels even where two-group ones exist */

static float run_pass(const r1__type_kernels *tk, const uint8_t *packed, size_t rb, int rows, const r1_block_q8x *xq, int nb, int ncols) {
    float tile[2 * 8 * R1__TILE], sum = 0.0f;
    int b, r;
    for (b = 0; b < ncols; b += R1__TILE) {
        int nc = ncols - b < R1__TILE ? ncols - b : R1__TILE;
        for (r = 0; r < rows; r += tk->dotq16 && !one_group ? 16 : 8) {
            if (tk->dotq16 && !one_group) tk->dotq16(packed + (size_t)r * rb, 8 * rb, xq + (size_t)b * nb, nb, nb, nc, tile);
            else tk->dotq8(packed + (size_t)r * rb, xq + (size_t)b * nb, nb, nb, nc, tile);
            sum += tile[0];
        }
    }
    return sum;
}

int main(int argc, char **argv) {
    static const int types[] = { R1_TYPE_Q8_0, R1_TYPE_Q4_0, R1_TYPE_Q4_K, R1_TYPE_Q5_K, R1_TYPE_Q6_K };
    const r1__kernels *sets[8];
    int n_sets = 0, k_in = 1536, ncols = 64, rows = 128, i, s, ti;
    double seconds = 0.3;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-k") == 0 && i + 1 < argc) k_in = atoi(argv[++i]);
        else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) ncols = atoi(argv[++i]);
        else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--one-group") == 0) one_group = 1;
        else { fprintf(stderr, "usage: r1-kernel-bench [-k K] [-n COLUMNS] [-t SECONDS] [--one-group]\n"); return 1; }
    }
    if (k_in < 256 || k_in % 256 || ncols < 1 || ncols > 4096 || !(seconds > 0 && seconds < 60)) {
        fprintf(stderr, "r1-kernel-bench: K must be a multiple of 256, 1 <= COLUMNS <= 4096, 0 < SECONDS < 60\n");
        return 1;
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
