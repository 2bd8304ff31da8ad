/* make-shape-model: a random-weight GGUF with the exact shapes of a real model, for benchmarks.
   usage: make-shape-model --shape r1-distill-qwen-1.5b|r1-distill-qwen-7b|r1-distill-llama-8b|deepseek-v2-lite|test-tiny
                           --type q8_0|q4_0|q4_k_m|q5_k_m|q6_k|q3_k|q2_k --vocab TOKENIZER.gguf -o out.gguf [--seed N]
   Weights are random blocks (random quants, small random scales), so the file costs what the
   real one costs to run; the tokenizer keys are copied from TOKENIZER.gguf (e.g. one written by
   r1-convert --vocab-only), so llama.cpp loads the same file. q4_k_m / q5_k_m follow llama-quantize's
   mix: Q6_K for output.weight and for attn_v / ffn_down in the "more bits" layers, Q4_K / Q5_K
   elsewhere; q6_k, q3_k and q2_k are that type throughout. */
#define R1_IMPLEMENTATION
#include "../r1.h"
#define R1_QUANT_IMPLEMENTATION
#include "../r1_quant.h"

typedef struct shape {
    const char *name, *arch;
    int n_embd, n_layer, n_head, n_head_kv, n_ff, n_vocab, head_dim, ctx;
    float rope_base;
    int qkv_bias, llama3;
    /* deepseek2 (MLA + MoE) */
    int kv_lora, nope, rope, v, n_expert, n_used, n_shared, n_ff_exp, n_dense;
} shape;

static const shape shapes[] = {
    { "r1-distill-qwen-1.5b", "qwen2", 1536, 28, 12, 2, 8960, 151936, 128, 131072, 10000.0f, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "r1-distill-qwen-7b", "qwen2", 3584, 28, 28, 4, 18944, 152064, 128, 131072, 10000.0f, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "r1-distill-llama-8b", "llama", 4096, 32, 32, 8, 14336, 128256, 128, 131072, 500000.0f, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
    { "deepseek-v2-lite", "deepseek2", 2048, 27, 16, 16, 10944, 102400, 192, 163840, 10000.0f, 0, 0, 512, 128, 64, 128, 64, 6, 2, 1408, 1 },
    /* small, with R1-Distill-Qwen's vocabulary: the tests check the file's tokenizer against its embedding */
    { "test-tiny", "qwen2", 64, 2, 4, 2, 256, 151936, 16, 4096, 10000.0f, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
};

static uint64_t rng = 0x853c49e6748fea9bull;
static uint64_t next_u64(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

/* A plausible small fp16 scale. */
static uint16_t small_scale(float base) { return r1_fp32_to_fp16(base * (0.5f + (float)(next_u64() % 1000) / 1000.0f)); }

/* Random blocks of a type: random quant bytes, then the scale fields overwritten with sane values. */
static void random_row(int type, unsigned char *out, int64_t n) {
    size_t bytes = (size_t)(n / r1_type_block_size(type)) * r1_type_block_bytes(type), i;
    int64_t b, nb = n / r1_type_block_size(type);
    for (i = 0; i + 8 <= bytes; i += 8) { uint64_t r = next_u64(); memcpy(out + i, &r, 8); }
    for (; i < bytes; i++) out[i] = (unsigned char)next_u64();
    for (b = 0; b < nb; b++) {
        unsigned char *blk = out + (size_t)b * r1_type_block_bytes(type);
        uint16_t d, dm;
        switch (type) {
        case R1_TYPE_F32: { float f = ((float)(next_u64() % 2001) - 1000.0f) * 2e-5f; memcpy(blk, &f, 4); break; }
        case R1_TYPE_Q8_0: d = small_scale(0.02f / 127); memcpy(blk, &d, 2); break;
        case R1_TYPE_Q4_0: d = small_scale(0.02f / 8); memcpy(blk, &d, 2); break;
        case R1_TYPE_Q4_K: d = small_scale(0.02f / 8 / 32); dm = small_scale(0.02f / 32); memcpy(blk, &d, 2); memcpy(blk + 2, &dm, 2); break;
        case R1_TYPE_Q5_K: d = small_scale(0.02f / 16 / 32); dm = small_scale(0.02f / 32); memcpy(blk, &d, 2); memcpy(blk + 2, &dm, 2); break;
        case R1_TYPE_Q2_K: d = small_scale(0.02f / 4 / 16); dm = small_scale(0.02f / 16); memcpy(blk + 80, &d, 2); memcpy(blk + 82, &dm, 2); break;
        case R1_TYPE_Q3_K: d = small_scale(0.02f / 4 / 32); memcpy(blk + 108, &d, 2); break;
        case R1_TYPE_Q6_K: { int j; d = small_scale(0.02f / 32 / 64); memcpy(blk + 208, &d, 2); for (j = 0; j < 16; j++) blk[192 + j] &= 0x3f; break; }
        default: break;
        }
    }
}

typedef struct planned {
    char name[96];
    int type, n_dims;
    int64_t ne[3];
} planned;

static planned plan[4096];
static int n_plan;

static void add(const char *name, int type, int64_t ne0, int64_t ne1, int64_t ne2) {
    planned *t = &plan[n_plan++];
    snprintf(t->name, sizeof t->name, "%s", name);
    t->n_dims = ne2 > 1 ? 3 : ne1 > 1 ? 2 : 1;
    t->ne[0] = ne0; t->ne[1] = ne1; t->ne[2] = ne2;
    t->type = t->n_dims == 1 ? R1_TYPE_F32 : type;
}

/* llama-quantize's "use more bits" layers for Q4_K_M */
static int more_bits(int i, int n) { return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2; }

int main(int argc, char **argv) {
    const shape *sh = NULL;
    const char *vocab = NULL, *out = NULL, *type_name = "q8_0";
    int i, type, km = 0;
    size_t k;
    r1_gguf_writer *w;
    r1_tokenizer *vt;
    r1_error err;
    char key[128], name[96];
    unsigned char *row;
    int n_vocab;
    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--shape") == 0) { for (k = 0; k < sizeof shapes / sizeof shapes[0]; k++) if (strcmp(argv[i + 1], shapes[k].name) == 0) sh = &shapes[k]; }
        else if (strcmp(argv[i], "--type") == 0) type_name = argv[i + 1];
        else if (strcmp(argv[i], "--vocab") == 0) vocab = argv[i + 1];
        else if (strcmp(argv[i], "-o") == 0) out = argv[i + 1];
        else if (strcmp(argv[i], "--seed") == 0) rng ^= strtoull(argv[i + 1], NULL, 10) * 0x9e3779b97f4a7c15ull;
    }
    if (strcmp(type_name, "q8_0") == 0) type = R1_TYPE_Q8_0;
    else if (strcmp(type_name, "q4_0") == 0) type = R1_TYPE_Q4_0;
    else if (strcmp(type_name, "q4_k_m") == 0) { type = R1_TYPE_Q4_K; km = 1; }
    else if (strcmp(type_name, "q5_k_m") == 0) { type = R1_TYPE_Q5_K; km = 1; }
    else if (strcmp(type_name, "q6_k") == 0) type = R1_TYPE_Q6_K;
    else if (strcmp(type_name, "q3_k") == 0) type = R1_TYPE_Q3_K;
    else if (strcmp(type_name, "q2_k") == 0) type = R1_TYPE_Q2_K;
    else type = -1;
    if (!sh || !vocab || !out || type < 0) {
        fprintf(stderr, "usage: make-shape-model --shape r1-distill-qwen-1.5b|r1-distill-qwen-7b|r1-distill-llama-8b|deepseek-v2-lite|test-tiny\n"
                        "                        --type q8_0|q4_0|q4_k_m|q5_k_m|q6_k|q3_k|q2_k --vocab TOKENIZER.gguf -o out.gguf [--seed N]\n");
        return 1;
    }
    if (!(vt = r1_tokenizer_load(vocab, &err))) {
        fprintf(stderr, "make-shape-model: %s\n", err.message);
        return 1;
    }
    /* a tokenizer with more tokens than the shape's vocabulary (DeepSeek-V3's 128,815 for
       V2-Lite's 102,400) gets as many embedding rows, as checkpoints pad their vocabularies */
    n_vocab = r1_tokenizer_n_tokens(vt) > sh->n_vocab ? r1_tokenizer_n_tokens(vt) : sh->n_vocab;
    if (n_vocab != sh->n_vocab) fprintf(stderr, "make-shape-model: %d embedding rows for the tokenizer's tokens\n", n_vocab);
    r1_tokenizer_free(vt);
    /* tensors, in llama.cpp's naming */
    add("token_embd.weight", type, sh->n_embd, n_vocab, 1);
    add("output_norm.weight", type, sh->n_embd, 1, 1);
    add("output.weight", km ? R1_TYPE_Q6_K : type, sh->n_embd, n_vocab, 1);
    if (sh->llama3) add("rope_freqs.weight", R1_TYPE_F32, sh->head_dim / 2, 1, 1);
    for (i = 0; i < sh->n_layer; i++) {
        int big = km && more_bits(i, sh->n_layer) ? R1_TYPE_Q6_K : type;
#define T(suffix, ty, a, b, c) snprintf(name, sizeof name, "blk.%d.%s", i, suffix); add(name, ty, a, b, c)
        T("attn_norm.weight", type, sh->n_embd, 1, 1);
        T("ffn_norm.weight", type, sh->n_embd, 1, 1);
        if (sh->kv_lora) {
            T("attn_q.weight", type, sh->n_embd, sh->n_head * (sh->nope + sh->rope), 1);
            T("attn_kv_a_mqa.weight", type, sh->n_embd, sh->kv_lora + sh->rope, 1);
            T("attn_kv_a_norm.weight", type, sh->kv_lora, 1, 1);
            T("attn_k_b.weight", type, sh->nope, sh->kv_lora, sh->n_head);
            T("attn_v_b.weight", big == R1_TYPE_Q6_K ? R1_TYPE_Q8_0 : type, sh->kv_lora, sh->v, sh->n_head); /* 512-wide rows */
            T("attn_output.weight", type, sh->n_head * sh->v, sh->n_embd, 1);
        } else {
            T("attn_q.weight", type, sh->n_embd, sh->n_head * sh->head_dim, 1);
            T("attn_k.weight", type, sh->n_embd, sh->n_head_kv * sh->head_dim, 1);
            T("attn_v.weight", big, sh->n_embd, sh->n_head_kv * sh->head_dim, 1);
            T("attn_output.weight", type, sh->n_head * sh->head_dim, sh->n_embd, 1);
            if (sh->qkv_bias) {
                T("attn_q.bias", type, sh->n_head * sh->head_dim, 1, 1);
                T("attn_k.bias", type, sh->n_head_kv * sh->head_dim, 1, 1);
                T("attn_v.bias", type, sh->n_head_kv * sh->head_dim, 1, 1);
            }
        }
        if (sh->n_expert && i >= sh->n_dense) {
            T("ffn_gate_inp.weight", R1_TYPE_F32, sh->n_embd, sh->n_expert, 1);
            plan[n_plan - 1].type = R1_TYPE_F32;
            T("ffn_gate_exps.weight", type, sh->n_embd, sh->n_ff_exp, sh->n_expert);
            T("ffn_up_exps.weight", type, sh->n_embd, sh->n_ff_exp, sh->n_expert);
            T("ffn_down_exps.weight", big == R1_TYPE_Q6_K ? R1_TYPE_Q8_0 : type, sh->n_ff_exp, sh->n_embd, sh->n_expert);
            T("ffn_gate_shexp.weight", type, sh->n_embd, sh->n_ff_exp * sh->n_shared, 1);
            T("ffn_up_shexp.weight", type, sh->n_embd, sh->n_ff_exp * sh->n_shared, 1);
            T("ffn_down_shexp.weight", big == R1_TYPE_Q6_K ? R1_TYPE_Q8_0 : type, sh->n_ff_exp * sh->n_shared, sh->n_embd, 1);
        } else {
            T("ffn_gate.weight", type, sh->n_embd, sh->n_ff, 1);
            T("ffn_up.weight", type, sh->n_embd, sh->n_ff, 1);
            T("ffn_down.weight", big, sh->n_ff, sh->n_embd, 1);
        }
#undef T
    }
    for (i = 0; i < n_plan; i++) /* k-quants need rows of 256; llama-quantize falls back the same way */
        if (plan[i].n_dims > 1 && plan[i].ne[0] % r1_type_block_size(plan[i].type)) plan[i].type = R1_TYPE_Q8_0;

    /* metadata */
    if (!(w = r1_gguf_writer_new(&err))) { fprintf(stderr, "make-shape-model: %s\n", err.message); return 1; }
    r1_gguf_writer_set_str(w, "general.architecture", sh->arch, strlen(sh->arch));
    r1_gguf_writer_set_str(w, "general.name", sh->name, strlen(sh->name));
#define K(s) (snprintf(key, sizeof key, "%s.%s", sh->arch, s), key)
    r1_gguf_writer_set_u32(w, K("block_count"), (uint32_t)sh->n_layer);
    r1_gguf_writer_set_u32(w, K("context_length"), (uint32_t)sh->ctx);
    r1_gguf_writer_set_u32(w, K("embedding_length"), (uint32_t)sh->n_embd);
    r1_gguf_writer_set_u32(w, K("feed_forward_length"), (uint32_t)sh->n_ff);
    r1_gguf_writer_set_u32(w, K("attention.head_count"), (uint32_t)sh->n_head);
    r1_gguf_writer_set_u32(w, K("attention.head_count_kv"), sh->kv_lora ? 1u : (uint32_t)sh->n_head_kv);
    r1_gguf_writer_set_f32(w, K("rope.freq_base"), sh->rope_base);
    r1_gguf_writer_set_f32(w, K("attention.layer_norm_rms_epsilon"), 1e-6f);
    if (sh->kv_lora) {
        r1_gguf_writer_set_u32(w, K("attention.key_length"), (uint32_t)(sh->kv_lora + sh->rope));
        r1_gguf_writer_set_u32(w, K("attention.value_length"), (uint32_t)sh->kv_lora);
        r1_gguf_writer_set_u32(w, K("attention.key_length_mla"), (uint32_t)(sh->nope + sh->rope));
        r1_gguf_writer_set_u32(w, K("attention.value_length_mla"), (uint32_t)sh->v);
        r1_gguf_writer_set_u32(w, K("attention.kv_lora_rank"), (uint32_t)sh->kv_lora);
        r1_gguf_writer_set_u32(w, K("rope.dimension_count"), (uint32_t)sh->rope);
        r1_gguf_writer_set_u32(w, K("expert_count"), (uint32_t)sh->n_expert);
        r1_gguf_writer_set_u32(w, K("expert_used_count"), (uint32_t)sh->n_used);
        r1_gguf_writer_set_u32(w, K("expert_shared_count"), (uint32_t)sh->n_shared);
        r1_gguf_writer_set_u32(w, K("expert_feed_forward_length"), (uint32_t)sh->n_ff_exp);
        r1_gguf_writer_set_u32(w, K("leading_dense_block_count"), (uint32_t)sh->n_dense);
        r1_gguf_writer_set_u32(w, K("expert_gating_func"), 1);
        r1_gguf_writer_set_f32(w, K("expert_weights_scale"), 1.0f);
        r1_gguf_writer_set_str(w, K("rope.scaling.type"), "yarn", 4);
        r1_gguf_writer_set_f32(w, K("rope.scaling.factor"), 40.0f);
        r1_gguf_writer_set_u32(w, K("rope.scaling.original_context_length"), 4096);
        r1_gguf_writer_set_f32(w, K("rope.scaling.yarn_log_multiplier"), 0.0707f);
    }
    if (sh->llama3) r1_gguf_writer_set_u32(w, K("rope.dimension_count"), (uint32_t)sh->head_dim);
#undef K
    r1_gguf_writer_set_u32(w, "general.file_type", type == R1_TYPE_Q8_0 ? 7u : type == R1_TYPE_Q4_0 ? 2u : 15u);
    r1_gguf_writer_set_u32(w, "general.quantization_version", 2);
    /* the tokenizer's keys, one token per embedding row, as llama.cpp's converter writes
       R1-Distill-Qwen (151,665 tokens, 151,936 rows): without the padding llama.cpp refuses the file */
    if (r1_gguf_writer_copy_vocab(w, vocab, n_vocab, &err) != R1_OK) { fprintf(stderr, "make-shape-model: %s\n", err.message); return 1; }

    /* header, then the tensors one row at a time */
    for (i = 0; i < n_plan; i++)
        if (r1_gguf_writer_add_tensor(w, plan[i].name, plan[i].type, plan[i].n_dims, plan[i].ne, &err) != R1_OK) {
            fprintf(stderr, "make-shape-model: %s\n", err.message);
            return 1;
        }
    if (r1_gguf_writer_begin(w, out, &err) != R1_OK) { fprintf(stderr, "make-shape-model: %s\n", err.message); return 1; }
    row = (unsigned char *)malloc((size_t)sh->n_ff * 8 + 4096);
    for (i = 0; i < n_plan; i++) {
        int64_t rows = plan[i].ne[1] * plan[i].ne[2], r;
        size_t rb = (size_t)(plan[i].ne[0] / r1_type_block_size(plan[i].type)) * r1_type_block_bytes(plan[i].type);
        int ones = (plan[i].n_dims == 1 && strstr(plan[i].name, "norm") != NULL) || strcmp(plan[i].name, "rope_freqs.weight") == 0;
        for (r = 0; r < rows; r++) {
            if (ones) { int64_t j; float one = 1.0f; for (j = 0; j < plan[i].ne[0]; j++) memcpy(row + 4 * j, &one, 4); }
            else random_row(plan[i].type, row, plan[i].ne[0]);
            if (r1_gguf_writer_write(w, row, rb, &err) != R1_OK) { fprintf(stderr, "make-shape-model: %s\n", err.message); return 1; }
        }
    }
    if (r1_gguf_writer_finish(w, &err) != R1_OK) { fprintf(stderr, "make-shape-model: %s\n", err.message); return 1; }
    free(row);
    r1_gguf_writer_free(w);
    return 0;
}
