/* r1.h — a single-header C99 inference runtime for DeepSeek-R1-style models.

   Do this in exactly one C file to get the implementation:
       #define R1_IMPLEMENTATION
       #include "r1.h"
   Every other file includes "r1.h" alone and sees only the public API.

   TABLE OF CONTENTS
     1. Public API                      (types, error codes, functions, usage example)
     2. Implementation: hooks, errors, small utilities
     3. GGUF reader                     (mmap, bounds-checked parse, metadata lookup)
     4. Types and quant blocks          (F32, F16, BF16, Q8_0, Q4_0; one dispatch table)
     5. Kernels: scalar                 (the reference for every later SIMD kernel)
     6. Threads                         (a small persistent pthread pool)
     7. Model: architecture table and loading (qwen2, llama, qwen3, qwen3moe, deepseek2)
     8. Forward pass
   Tokenizer, sampler and chat sections come in later revisions.

   USAGE
       r1_error err;
       r1_model *model = r1_model_load("model.gguf", &err);
       if (!model) { fprintf(stderr, "%s\n", err.message); return 1; }
       r1_context_params cp = r1_context_default_params();
       cp.n_ctx = 2048; cp.n_threads = 4;
       r1_context *ctx = r1_context_new(model, &cp, &err);
       int32_t prompt[3] = { 1, 2, 3 };
       if (r1_eval(ctx, prompt, 3, NULL, &err) != R1_OK) { ... }
       const float *logits = r1_context_logits(ctx);   // n_vocab floats for the last token
       ...
       r1_context_free(ctx);
       r1_model_free(model);

   HOOKS (define before including the implementation)
       R1_MALLOC(n) / R1_CALLOC(n, size) / R1_REALLOC(p, n) / R1_FREE(p)   allocation
       R1_ASSERT(x)                                                          internal invariants only;
                                                                             bad input never reaches it
       R1_API                                                                linkage of public functions
       R1_NO_THREADS                                                         build without pthreads
*/
#ifndef R1_H
#define R1_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================================
   1. PUBLIC API
   ====================================================================================== */

#ifndef R1_API
#define R1_API extern
#endif

#define R1_VERSION "0.1.0"

/* Every fallible call reports one of these codes, and fills an r1_error when one is given. */
typedef enum r1_status {
    R1_OK = 0,
    R1_ERR_ARGUMENT = 1,      /* a bad argument from the caller (NULL, out-of-range id, ...) */
    R1_ERR_IO = 2,            /* a file could not be opened, read, mapped or written */
    R1_ERR_FORMAT = 3,        /* the file is malformed or inconsistent */
    R1_ERR_UNSUPPORTED = 4,   /* a valid file using something r1.h does not implement */
    R1_ERR_MEMORY = 5,        /* an allocation failed */
    R1_ERR_CONTEXT_FULL = 6,  /* the tokens do not fit in the context window */
    R1_ERR_THREAD = 7         /* threads could not be started */
} r1_status;

typedef struct r1_error {
    r1_status code;           /* R1_OK when nothing went wrong */
    char message[256];        /* human-readable, names the key/tensor/argument at fault */
} r1_error;

typedef struct r1_model r1_model;       /* weights + hyperparameters, read-only once loaded */
typedef struct r1_context r1_context;   /* one conversation: KV cache, scratch, thread pool */

typedef struct r1_context_params {
    int n_ctx;                /* context window in tokens; 0 = min(training context, 4096) */
    int n_threads;            /* worker threads including the caller; must be >= 1 */
} r1_context_params;

R1_API const char *r1_status_string(r1_status code);
R1_API r1_context_params r1_context_default_params(void);

/* Load a GGUF file by memory-mapping it. Returns NULL and fills err on failure. */
R1_API r1_model *r1_model_load(const char *path, r1_error *err);
/* Load from a caller-owned buffer (not copied: it must outlive the model). */
R1_API r1_model *r1_model_load_memory(const void *data, size_t size, r1_error *err);
R1_API void r1_model_free(r1_model *model);

R1_API const char *r1_model_arch(const r1_model *model);      /* "qwen2", "llama", ... */
R1_API int r1_model_n_vocab(const r1_model *model);           /* rows of the embedding */
R1_API int r1_model_n_ctx_train(const r1_model *model);
R1_API int r1_model_n_layer(const r1_model *model);
R1_API int r1_model_n_embd(const r1_model *model);
/* KV-cache bytes one token occupies across all layers (float32 cache). */
R1_API size_t r1_model_kv_bytes_per_token(const r1_model *model);
/* Metadata lookup: returns 1 and sets *out when the key exists with an integer type. */
R1_API int r1_model_meta_int(const r1_model *model, const char *key, int64_t *out);
/* Returns the string value of a key (not NUL-terminated), its length in *len; NULL if absent. */
R1_API const char *r1_model_meta_str(const r1_model *model, const char *key, size_t *len);

R1_API r1_context *r1_context_new(r1_model *model, const r1_context_params *params, r1_error *err);
R1_API void r1_context_free(r1_context *ctx);

/* Run n_tokens tokens through the model, appending them to the KV cache.
   all_logits: NULL, or room for n_tokens * n_vocab floats receiving every position's logits.
   Afterwards r1_context_logits() holds the last token's logits.
   On error nothing is appended to the cache. */
R1_API r1_status r1_eval(r1_context *ctx, const int32_t *tokens, int n_tokens,
                         float *all_logits, r1_error *err);
R1_API const float *r1_context_logits(const r1_context *ctx);
R1_API int r1_context_n_past(const r1_context *ctx);
R1_API int r1_context_n_ctx(const r1_context *ctx);
R1_API void r1_context_reset(r1_context *ctx);    /* forget every token, keep the buffers */

/* Index of the largest value (first one on ties). */
R1_API int r1_argmax(const float *values, int n);

/* GGML tensor type ids, as stored in GGUF files. */
enum {
    R1_TYPE_F32 = 0, R1_TYPE_F16 = 1, R1_TYPE_Q4_0 = 2, R1_TYPE_Q4_1 = 3,
    R1_TYPE_Q5_0 = 6, R1_TYPE_Q5_1 = 7, R1_TYPE_Q8_0 = 8, R1_TYPE_Q8_1 = 9,
    R1_TYPE_Q2_K = 10, R1_TYPE_Q3_K = 11, R1_TYPE_Q4_K = 12, R1_TYPE_Q5_K = 13,
    R1_TYPE_Q6_K = 14, R1_TYPE_Q8_K = 15, R1_TYPE_BF16 = 30, R1_TYPE_COUNT = 40
};

/* Type facts shared with r1_quant.h. Return 0 / NULL for unsupported types. */
R1_API const char *r1_type_name(int type);
R1_API int r1_type_supported(int type);
R1_API int r1_type_block_size(int type);              /* elements per block */
R1_API size_t r1_type_block_bytes(int type);          /* bytes per block */
R1_API r1_status r1_dequantize(int type, const void *src, float *dst, int64_t n);
R1_API r1_status r1_quantize(int type, const float *src, void *dst, int64_t n);
R1_API float r1_fp16_to_fp32(uint16_t h);
R1_API uint16_t r1_fp32_to_fp16(float f);
R1_API float r1_bf16_to_fp32(uint16_t h);
R1_API uint16_t r1_fp32_to_bf16(float f);

#ifdef __cplusplus
}
#endif
#endif /* R1_H */

/* ======================================================================================
   2. IMPLEMENTATION: HOOKS, ERRORS, SMALL UTILITIES
   ====================================================================================== */
#ifdef R1_IMPLEMENTATION
#ifndef R1_IMPLEMENTATION_DONE
#define R1_IMPLEMENTATION_DONE

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef R1_MALLOC
#define R1_MALLOC(n) malloc(n)
#define R1_CALLOC(n, s) calloc(n, s)
#define R1_REALLOC(p, n) realloc(p, n)
#define R1_FREE(p) free(p)
#endif
#ifndef R1_ASSERT
#include <assert.h>
#define R1_ASSERT(x) assert(x)
#endif

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif
#ifndef R1_NO_THREADS
#include <pthread.h>
#endif

/* Fills err (when given) and returns the code, so callers can `return r1__fail(...)`. */
static r1_status r1__fail(r1_error *err, r1_status code, const char *fmt, ...) {
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

static void r1__ok(r1_error *err) {
    if (err) { err->code = R1_OK; err->message[0] = 0; }
}

R1_API const char *r1_status_string(r1_status code) {
    switch (code) {
    case R1_OK: return "ok";
    case R1_ERR_ARGUMENT: return "invalid argument";
    case R1_ERR_IO: return "i/o error";
    case R1_ERR_FORMAT: return "malformed file";
    case R1_ERR_UNSUPPORTED: return "unsupported";
    case R1_ERR_MEMORY: return "out of memory";
    case R1_ERR_CONTEXT_FULL: return "context full";
    case R1_ERR_THREAD: return "thread error";
    }
    return "unknown error";
}

/* Overflow-checked size arithmetic: the file decides these numbers, so trust none of them. */
static int r1__mul_ok(uint64_t a, uint64_t b, uint64_t *out) {
    if (a != 0 && b > UINT64_MAX / a) return 0;
    *out = a * b;
    return 1;
}

static void *r1__calloc(size_t n, size_t size) {
    if (n == 0 || size == 0) return R1_CALLOC(1, 1);
    if (n > SIZE_MAX / size) return NULL;
    return R1_CALLOC(n, size);
}

R1_API float r1_fp16_to_fp32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
    float f;
    if (exp == 0x1f) bits = sign | 0x7f800000u | (mant << 13);          /* inf / nan */
    else if (exp != 0) bits = sign | ((exp + 112) << 23) | (mant << 13); /* normal */
    else if (mant == 0) bits = sign;                                     /* zero */
    else {                                                               /* subnormal */
        f = (float)mant * (1.0f / 16777216.0f);
        return sign ? -f : f;
    }
    memcpy(&f, &bits, 4);
    return f;
}

/* Round to nearest, ties to even, as the C cast in ggml does. */
R1_API uint16_t r1_fp32_to_fp16(float f) {
    uint32_t x, sign, ax, h, rem;
    memcpy(&x, &f, 4);
    sign = (x >> 16) & 0x8000;
    ax = x & 0x7fffffffu;
    if (ax >= 0x7f800000u) return (uint16_t)(sign | 0x7c00 | (ax > 0x7f800000u ? 0x200 : 0));
    if (ax >= 0x477ff000u) return (uint16_t)(sign | 0x7c00);   /* rounds past 65504 */
    if (ax < 0x38800000u) {                                     /* below the smallest normal */
        uint32_t mant, shift, q, half;
        if (ax < 0x33000000u) return (uint16_t)sign;
        mant = (ax & 0x7fffff) | 0x800000;
        shift = 126 - (ax >> 23);
        q = mant >> shift;
        rem = mant & ((1u << shift) - 1);
        half = 1u << (shift - 1);
        if (rem > half || (rem == half && (q & 1))) q++;
        return (uint16_t)(sign | q);
    }
    h = (((ax >> 23) - 112) << 10) | ((ax & 0x7fffff) >> 13);
    rem = ax & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (h & 1))) h++;
    return (uint16_t)(sign | h);
}

R1_API float r1_bf16_to_fp32(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

R1_API uint16_t r1_fp32_to_bf16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    if ((x & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((x >> 16) | 0x40); /* quiet nan */
    return (uint16_t)((x + 0x7fffu + ((x >> 16) & 1)) >> 16);
}

R1_API int r1_argmax(const float *values, int n) {
    int i, best = 0;
    if (!values || n <= 0) return -1;
    for (i = 1; i < n; i++)
        if (values[i] > values[best]) best = i;
    return best;
}

/* ======================================================================================
   3. GGUF READER
   A GGUF file: magic "GGUF", version, tensor count, key/value count, the key/value pairs,
   the tensor infos, padding to `general.alignment`, then tensor data. Everything is
   little-endian. Every read below is checked against the end of the buffer first.
   ====================================================================================== */

enum {
    R1__GGUF_U8 = 0, R1__GGUF_I8 = 1, R1__GGUF_U16 = 2, R1__GGUF_I16 = 3, R1__GGUF_U32 = 4,
    R1__GGUF_I32 = 5, R1__GGUF_F32 = 6, R1__GGUF_BOOL = 7, R1__GGUF_STRING = 8,
    R1__GGUF_ARRAY = 9, R1__GGUF_U64 = 10, R1__GGUF_I64 = 11, R1__GGUF_F64 = 12,
    R1__GGUF_NTYPES = 13
};
#define R1__GGUF_MAX_DIMS 4
#define R1__GGUF_MAX_NAME 256

typedef struct r1__str {
    const char *ptr;          /* points into the file, not NUL-terminated */
    uint64_t len;
} r1__str;

typedef struct r1__kv {
    r1__str key;
    uint32_t type;            /* R1__GGUF_* */
    uint32_t arr_type;        /* element type when type == ARRAY */
    uint64_t arr_n;           /* element count when type == ARRAY */
    const uint8_t *data;      /* scalar value bytes, or first array element */
    r1__str str;              /* value when type == STRING */
    r1__str *strs;            /* elements when an array of strings (owned) */
} r1__kv;

typedef struct r1__tensor {
    r1__str name;
    int n_dims;
    int64_t ne[R1__GGUF_MAX_DIMS]; /* ne[0] is the contiguous (row) dimension */
    int type;                 /* R1_TYPE_* */
    uint64_t offset;          /* from the start of the data section */
    uint64_t nbytes;
    const uint8_t *data;      /* into the mapping */
} r1__tensor;

typedef struct r1__gguf {
    const uint8_t *base;      /* the whole file */
    uint64_t size;
    uint32_t version;
    uint64_t alignment;
    uint64_t n_kv, n_tensors;
    r1__kv *kv;
    r1__tensor *tensors;
} r1__gguf;

typedef struct r1__reader {
    const uint8_t *p, *end;
    r1_error *err;
    const char *what;         /* what is being read, for messages */
} r1__reader;

static size_t r1__gguf_scalar_size(uint32_t type) {
    static const size_t sizes[R1__GGUF_NTYPES] = { 1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8 };
    return type < R1__GGUF_NTYPES ? sizes[type] : 0;
}

static int r1__read(r1__reader *r, void *out, size_t n) {
    if ((size_t)(r->end - r->p) < n) {
        r1__fail(r->err, R1_ERR_FORMAT, "gguf: file truncated while reading %s", r->what);
        return 0;
    }
    memcpy(out, r->p, n);
    r->p += n;
    return 1;
}

static int r1__read_u32(r1__reader *r, uint32_t *v) {
    uint8_t b[4];
    if (!r1__read(r, b, 4)) return 0;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return 1;
}

static int r1__read_u64(r1__reader *r, uint64_t *v) {
    uint32_t lo, hi;
    if (!r1__read_u32(r, &lo) || !r1__read_u32(r, &hi)) return 0;
    *v = (uint64_t)hi << 32 | lo;
    return 1;
}

static int r1__read_str(r1__reader *r, r1__str *s, uint64_t max_len) {
    uint64_t len;
    if (!r1__read_u64(r, &len)) return 0;
    if (len > (uint64_t)(r->end - r->p)) {
        r1__fail(r->err, R1_ERR_FORMAT, "gguf: %s: string length %llu runs past the end of the file",
                 r->what, (unsigned long long)len);
        return 0;
    }
    if (len > max_len) {
        r1__fail(r->err, R1_ERR_FORMAT, "gguf: %s: string of %llu bytes is too long", r->what,
                 (unsigned long long)len);
        return 0;
    }
    s->ptr = (const char *)r->p;
    s->len = len;
    r->p += len;
    return 1;
}

static int r1__str_eq(r1__str s, const char *c) {
    size_t n = strlen(c);
    return s.len == n && memcmp(s.ptr, c, n) == 0;
}

static void r1__gguf_free(r1__gguf *g) {
    uint64_t i;
    if (g->kv)
        for (i = 0; i < g->n_kv; i++) R1_FREE(g->kv[i].strs);
    R1_FREE(g->kv);
    R1_FREE(g->tensors);
    memset(g, 0, sizeof *g);
}

static r1__kv *r1__gguf_find(const r1__gguf *g, const char *key) {
    uint64_t i;
    for (i = 0; i < g->n_kv; i++)
        if (r1__str_eq(g->kv[i].key, key)) return &g->kv[i];
    return NULL;
}

static r1__tensor *r1__gguf_tensor(const r1__gguf *g, const char *name) {
    uint64_t i;
    for (i = 0; i < g->n_tensors; i++)
        if (r1__str_eq(g->tensors[i].name, name)) return &g->tensors[i];
    return NULL;
}

/* Integer value of a scalar key of any integer type; 0 when absent or not an integer. */
static int r1__kv_int(const r1__kv *kv, int64_t *out) {
    uint64_t u = 0;
    size_t n;
    if (!kv || kv->type == R1__GGUF_F32 || kv->type == R1__GGUF_F64 || kv->type == R1__GGUF_STRING ||
        kv->type == R1__GGUF_ARRAY)
        return 0;
    n = r1__gguf_scalar_size(kv->type);
    memcpy(&u, kv->data, n); /* little-endian hosts only (checked at load) */
    switch (kv->type) {
    case R1__GGUF_I8: *out = (int8_t)u; break;
    case R1__GGUF_I16: *out = (int16_t)u; break;
    case R1__GGUF_I32: *out = (int32_t)u; break;
    case R1__GGUF_I64: *out = (int64_t)u; break;
    case R1__GGUF_U64: if (u > (uint64_t)INT64_MAX) return 0; *out = (int64_t)u; break;
    default: *out = (int64_t)u; break;
    }
    return 1;
}

static int r1__kv_float(const r1__kv *kv, double *out) {
    int64_t i;
    if (!kv) return 0;
    if (kv->type == R1__GGUF_F32) { float f; memcpy(&f, kv->data, 4); *out = f; return 1; }
    if (kv->type == R1__GGUF_F64) { memcpy(out, kv->data, 8); return 1; }
    if (r1__kv_int(kv, &i)) { *out = (double)i; return 1; }
    return 0;
}

static const char *r1__type_name_or_null(int type);
static int r1__type_block(int type, int *block_size, size_t *block_bytes);

static r1_status r1__gguf_parse(r1__gguf *g, const void *data, size_t size, r1_error *err) {
    r1__reader r;
    uint32_t magic;
    uint64_t i, data_start, remaining;
    char what[R1__GGUF_MAX_NAME + 64];
    const r1__kv *align;

    memset(g, 0, sizeof *g);
    g->base = (const uint8_t *)data;
    g->size = size;
    r.p = g->base;
    r.end = g->base + size;
    r.err = err;
    r.what = "the header";

    if (!r1__read_u32(&r, &magic)) return R1_ERR_FORMAT;
    if (magic != 0x46554747u) /* "GGUF" */
        return r1__fail(err, R1_ERR_FORMAT, "gguf: bad magic (not a GGUF file)");
    if (!r1__read_u32(&r, &g->version)) return R1_ERR_FORMAT;
    if (g->version != 2 && g->version != 3)
        return r1__fail(err, R1_ERR_UNSUPPORTED, "gguf: version %u is not supported (2 or 3)", g->version);
    if (!r1__read_u64(&r, &g->n_tensors) || !r1__read_u64(&r, &g->n_kv)) return R1_ERR_FORMAT;
    /* Each pair takes at least 12 bytes and each tensor info at least 24: bound the counts by
       what the file can hold before allocating anything. */
    remaining = (uint64_t)(r.end - r.p);
    if (g->n_kv > remaining / 12)
        return r1__fail(err, R1_ERR_FORMAT, "gguf: key/value count %llu is larger than the file allows",
                        (unsigned long long)g->n_kv);
    if (g->n_tensors > remaining / 24)
        return r1__fail(err, R1_ERR_FORMAT, "gguf: tensor count %llu is larger than the file allows",
                        (unsigned long long)g->n_tensors);
    g->kv = (r1__kv *)r1__calloc((size_t)g->n_kv, sizeof *g->kv);
    g->tensors = (r1__tensor *)r1__calloc((size_t)g->n_tensors, sizeof *g->tensors);
    if (!g->kv || !g->tensors) { r1__gguf_free(g); return r1__fail(err, R1_ERR_MEMORY, "gguf: out of memory"); }

    for (i = 0; i < g->n_kv; i++) {
        r1__kv *kv = &g->kv[i];
        uint64_t j, bytes;
        snprintf(what, sizeof what, "key #%llu", (unsigned long long)i);
        r.what = what;
        if (!r1__read_str(&r, &kv->key, 1024)) goto fail;
        snprintf(what, sizeof what, "key '%.*s'", (int)kv->key.len, kv->key.ptr);
        for (j = 0; j < i; j++)
            if (g->kv[j].key.len == kv->key.len && memcmp(g->kv[j].key.ptr, kv->key.ptr, kv->key.len) == 0) {
                r1__fail(err, R1_ERR_FORMAT, "gguf: duplicate %s", what);
                goto fail;
            }
        if (!r1__read_u32(&r, &kv->type)) goto fail;
        if (kv->type >= R1__GGUF_NTYPES) {
            r1__fail(err, R1_ERR_FORMAT, "gguf: %s has invalid value type %u", what, kv->type);
            goto fail;
        }
        if (kv->type == R1__GGUF_STRING) {
            if (!r1__read_str(&r, &kv->str, UINT64_MAX)) goto fail;
            kv->data = (const uint8_t *)kv->str.ptr;
        } else if (kv->type == R1__GGUF_ARRAY) {
            if (!r1__read_u32(&r, &kv->arr_type) || !r1__read_u64(&r, &kv->arr_n)) goto fail;
            if (kv->arr_type >= R1__GGUF_NTYPES || kv->arr_type == R1__GGUF_ARRAY) {
                r1__fail(err, R1_ERR_FORMAT, "gguf: %s has invalid array element type %u", what, kv->arr_type);
                goto fail;
            }
            kv->data = r.p;
            remaining = (uint64_t)(r.end - r.p);
            if (kv->arr_type == R1__GGUF_STRING) {
                if (kv->arr_n > remaining / 8) {
                    r1__fail(err, R1_ERR_FORMAT, "gguf: %s: array of %llu strings runs past the end of the file",
                             what, (unsigned long long)kv->arr_n);
                    goto fail;
                }
                kv->strs = (r1__str *)r1__calloc((size_t)kv->arr_n, sizeof *kv->strs);
                if (!kv->strs) { r1__fail(err, R1_ERR_MEMORY, "gguf: out of memory for %s", what); goto fail; }
                for (j = 0; j < kv->arr_n; j++)
                    if (!r1__read_str(&r, &kv->strs[j], UINT64_MAX)) goto fail;
            } else {
                if (!r1__mul_ok(kv->arr_n, r1__gguf_scalar_size(kv->arr_type), &bytes) || bytes > remaining) {
                    r1__fail(err, R1_ERR_FORMAT, "gguf: %s: array of %llu elements runs past the end of the file",
                             what, (unsigned long long)kv->arr_n);
                    goto fail;
                }
                r.p += bytes;
            }
        } else {
            size_t n = r1__gguf_scalar_size(kv->type);
            if ((size_t)(r.end - r.p) < n) {
                r1__fail(err, R1_ERR_FORMAT, "gguf: file truncated while reading %s", what);
                goto fail;
            }
            kv->data = r.p;
            r.p += n;
            if (kv->type == R1__GGUF_BOOL && *kv->data > 1) {
                r1__fail(err, R1_ERR_FORMAT, "gguf: %s has invalid bool value %u", what, *kv->data);
                goto fail;
            }
        }
    }

    g->alignment = 32;
    align = r1__gguf_find(g, "general.alignment");
    if (align) {
        int64_t a;
        if (align->type != R1__GGUF_U32 || !r1__kv_int(align, &a) || a <= 0 || (a & (a - 1)) != 0) {
            r1__fail(err, R1_ERR_FORMAT, "gguf: general.alignment must be a u32 power of two");
            goto fail;
        }
        g->alignment = (uint64_t)a;
    }

    for (i = 0; i < g->n_tensors; i++) {
        r1__tensor *t = &g->tensors[i];
        uint32_t n_dims, type;
        uint64_t j, nel = 1, ne;
        snprintf(what, sizeof what, "tensor #%llu", (unsigned long long)i);
        r.what = what;
        if (!r1__read_str(&r, &t->name, R1__GGUF_MAX_NAME)) goto fail;
        snprintf(what, sizeof what, "tensor '%.*s'", (int)t->name.len, t->name.ptr);
        for (j = 0; j < i; j++)
            if (g->tensors[j].name.len == t->name.len && memcmp(g->tensors[j].name.ptr, t->name.ptr, t->name.len) == 0) {
                r1__fail(err, R1_ERR_FORMAT, "gguf: duplicate %s", what);
                goto fail;
            }
        if (!r1__read_u32(&r, &n_dims)) goto fail;
        if (n_dims < 1 || n_dims > R1__GGUF_MAX_DIMS) {
            r1__fail(err, R1_ERR_FORMAT, "gguf: %s has %u dimensions (1 to 4 allowed)", what, n_dims);
            goto fail;
        }
        t->n_dims = (int)n_dims;
        for (j = 0; j < R1__GGUF_MAX_DIMS; j++) t->ne[j] = 1;
        for (j = 0; j < n_dims; j++) {
            if (!r1__read_u64(&r, &ne)) goto fail;
            if (ne == 0 || ne > (uint64_t)INT64_MAX || !r1__mul_ok(nel, ne, &nel) || nel > ((uint64_t)1 << 50)) {
                r1__fail(err, R1_ERR_FORMAT, "gguf: %s has an invalid dimension %llu", what, (unsigned long long)ne);
                goto fail;
            }
            t->ne[j] = (int64_t)ne;
        }
        if (!r1__read_u32(&r, &type) || !r1__read_u64(&r, &t->offset)) goto fail;
        t->type = (int)type;
        {
            int bs;
            size_t bb;
            if (type >= R1_TYPE_COUNT || !r1__type_block((int)type, &bs, &bb)) {
                const char *nm = type < R1_TYPE_COUNT ? r1__type_name_or_null((int)type) : NULL;
                r1__fail(err, nm ? R1_ERR_UNSUPPORTED : R1_ERR_FORMAT, "gguf: %s has %s type %u%s%s", what,
                         nm ? "unsupported" : "invalid", type, nm ? " " : "", nm ? nm : "");
                goto fail;
            }
            if (t->ne[0] % bs != 0) {
                r1__fail(err, R1_ERR_FORMAT, "gguf: %s: row length %lld is not a multiple of the %s block size %d",
                         what, (long long)t->ne[0], r1__type_name_or_null((int)type), bs);
                goto fail;
            }
            t->nbytes = nel / (uint64_t)bs * bb;
        }
        if (t->offset % g->alignment != 0) {
            r1__fail(err, R1_ERR_FORMAT, "gguf: %s: data offset %llu is not aligned to %llu", what,
                     (unsigned long long)t->offset, (unsigned long long)g->alignment);
            goto fail;
        }
    }

    data_start = (uint64_t)(r.p - g->base);
    data_start = (data_start + g->alignment - 1) / g->alignment * g->alignment;
    if (g->n_tensors > 0 && data_start > g->size) {
        r1__fail(err, R1_ERR_FORMAT, "gguf: file truncated before the tensor data");
        goto fail;
    }
    for (i = 0; i < g->n_tensors; i++) {
        r1__tensor *t = &g->tensors[i];
        uint64_t avail = g->size - data_start;
        if (t->offset > avail || t->nbytes > avail - t->offset) {
            r1__fail(err, R1_ERR_FORMAT, "gguf: tensor '%.*s': data [%llu, +%llu) lies outside the file",
                     (int)t->name.len, t->name.ptr, (unsigned long long)t->offset, (unsigned long long)t->nbytes);
            goto fail;
        }
        t->data = g->base + data_start + t->offset;
    }
    return R1_OK;
fail:
    r1__gguf_free(g);
    return err ? err->code : R1_ERR_FORMAT;
}

/* A read-only view of a whole file: mmap on POSIX, a file mapping on Windows. */
typedef struct r1__mapping {
    void *addr;
    size_t size;
#if defined(_WIN32)
    HANDLE file, map;
#endif
} r1__mapping;

static r1_status r1__map_file(r1__mapping *m, const char *path, r1_error *err) {
    memset(m, 0, sizeof *m);
#if defined(_WIN32)
    {
        LARGE_INTEGER sz;
        m->file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
        if (m->file == INVALID_HANDLE_VALUE) return r1__fail(err, R1_ERR_IO, "cannot open '%s'", path);
        if (!GetFileSizeEx(m->file, &sz) || sz.QuadPart <= 0 || (uint64_t)sz.QuadPart > (uint64_t)SIZE_MAX) {
            CloseHandle(m->file);
            return r1__fail(err, sz.QuadPart == 0 ? R1_ERR_FORMAT : R1_ERR_IO, "'%s' is empty or unreadable", path);
        }
        m->size = (size_t)sz.QuadPart;
        m->map = CreateFileMappingA(m->file, NULL, PAGE_READONLY, 0, 0, NULL);
        if (!m->map) { CloseHandle(m->file); return r1__fail(err, R1_ERR_IO, "cannot map '%s'", path); }
        m->addr = MapViewOfFile(m->map, FILE_MAP_READ, 0, 0, 0);
        if (!m->addr) { CloseHandle(m->map); CloseHandle(m->file); return r1__fail(err, R1_ERR_IO, "cannot map '%s'", path); }
    }
#else
    {
        struct stat st;
        int fd = open(path, O_RDONLY);
        if (fd < 0) return r1__fail(err, R1_ERR_IO, "cannot open '%s'", path);
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            close(fd);
            return r1__fail(err, R1_ERR_IO, "'%s' is not a regular file", path);
        }
        if (st.st_size == 0) { close(fd); return r1__fail(err, R1_ERR_FORMAT, "'%s' is empty", path); }
        if ((uint64_t)st.st_size > (uint64_t)SIZE_MAX) { close(fd); return r1__fail(err, R1_ERR_IO, "'%s' is too large", path); }
        m->size = (size_t)st.st_size;
        m->addr = mmap(NULL, m->size, PROT_READ, MAP_SHARED, fd, 0);
        close(fd);
        if (m->addr == MAP_FAILED) { m->addr = NULL; return r1__fail(err, R1_ERR_IO, "cannot map '%s'", path); }
    }
#endif
    return R1_OK;
}

static void r1__unmap_file(r1__mapping *m) {
    if (!m->addr) return;
#if defined(_WIN32)
    UnmapViewOfFile(m->addr);
    CloseHandle(m->map);
    CloseHandle(m->file);
#else
    munmap(m->addr, m->size);
#endif
    m->addr = NULL;
}

/* ======================================================================================
   4. TYPES AND QUANT BLOCKS
   Block layouts are llama.cpp's, byte for byte: a block holds `block_size` weights.
   ====================================================================================== */

#define R1_QK8_0 32
typedef struct r1_block_q8_0 {
    uint16_t d;               /* scale, fp16: weight = d * qs[i] */
    int8_t qs[R1_QK8_0];      /* quantized weights */
} r1_block_q8_0;

#define R1_QK4_0 32
typedef struct r1_block_q4_0 {
    uint16_t d;               /* scale, fp16: weight = d * (nibble - 8) */
    uint8_t qs[R1_QK4_0 / 2]; /* byte j: low nibble = weight j, high nibble = weight j + 16 */
} r1_block_q4_0;

typedef void (*r1__to_float_fn)(const void *src, float *dst, int64_t n);
typedef void (*r1__from_float_fn)(const float *src, void *dst, int64_t n);
typedef float (*r1__dot_fn)(const void *row, const float *x, int n); /* row . x, n weights */

typedef struct r1__type_info {
    const char *name;
    int block_size;           /* weights per block */
    size_t block_bytes;       /* bytes per block; 0 = unknown type */
    r1__to_float_fn to_float; /* NULL = known to GGUF but not implemented here */
    r1__from_float_fn from_float;
    r1__dot_fn dot;
} r1__type_info;

/* ======================================================================================
   5. KERNELS: SCALAR
   Plain C, the reference every SIMD kernel is compared with. Dots accumulate in float
   over 8 independent lanes, which keeps them fast and their rounding stable.
   ====================================================================================== */

static void r1__f32_to_float(const void *src, float *dst, int64_t n) { memcpy(dst, src, (size_t)n * 4); }
static void r1__f32_from_float(const float *src, void *dst, int64_t n) { memcpy(dst, src, (size_t)n * 4); }

static void r1__f16_to_float(const void *src, float *dst, int64_t n) {
    const uint16_t *s = (const uint16_t *)src;
    int64_t i;
    for (i = 0; i < n; i++) dst[i] = r1_fp16_to_fp32(s[i]);
}
static void r1__f16_from_float(const float *src, void *dst, int64_t n) {
    uint16_t *d = (uint16_t *)dst;
    int64_t i;
    for (i = 0; i < n; i++) d[i] = r1_fp32_to_fp16(src[i]);
}
static void r1__bf16_to_float(const void *src, float *dst, int64_t n) {
    const uint16_t *s = (const uint16_t *)src;
    int64_t i;
    for (i = 0; i < n; i++) dst[i] = r1_bf16_to_fp32(s[i]);
}
static void r1__bf16_from_float(const float *src, void *dst, int64_t n) {
    uint16_t *d = (uint16_t *)dst;
    int64_t i;
    for (i = 0; i < n; i++) d[i] = r1_fp32_to_bf16(src[i]);
}

static void r1__q8_0_to_float(const void *src, float *dst, int64_t n) {
    const r1_block_q8_0 *b = (const r1_block_q8_0 *)src;
    int64_t i;
    int j;
    for (i = 0; i < n / R1_QK8_0; i++) {
        float d = r1_fp16_to_fp32(b[i].d);
        for (j = 0; j < R1_QK8_0; j++) dst[i * R1_QK8_0 + j] = (float)b[i].qs[j] * d;
    }
}

/* scale = max|x| / 127, weights rounded half away from zero (llama.cpp's reference rounding) */
static void r1__q8_0_from_float(const float *src, void *dst, int64_t n) {
    r1_block_q8_0 *b = (r1_block_q8_0 *)dst;
    int64_t i;
    int j;
    for (i = 0; i < n / R1_QK8_0; i++) {
        const float *x = src + i * R1_QK8_0;
        float amax = 0.0f, d, id;
        for (j = 0; j < R1_QK8_0; j++) amax = fabsf(x[j]) > amax ? fabsf(x[j]) : amax;
        d = amax / 127.0f;
        id = d != 0.0f ? 1.0f / d : 0.0f;
        b[i].d = r1_fp32_to_fp16(d);
        for (j = 0; j < R1_QK8_0; j++) b[i].qs[j] = (int8_t)roundf(x[j] * id);
    }
}

static void r1__q4_0_to_float(const void *src, float *dst, int64_t n) {
    const r1_block_q4_0 *b = (const r1_block_q4_0 *)src;
    int64_t i;
    int j;
    for (i = 0; i < n / R1_QK4_0; i++) {
        float d = r1_fp16_to_fp32(b[i].d);
        for (j = 0; j < R1_QK4_0 / 2; j++) {
            dst[i * R1_QK4_0 + j] = (float)((b[i].qs[j] & 0x0f) - 8) * d;
            dst[i * R1_QK4_0 + j + 16] = (float)((b[i].qs[j] >> 4) - 8) * d;
        }
    }
}

/* scale = (the signed value of largest magnitude) / -8, so that value maps to nibble 0 */
static void r1__q4_0_from_float(const float *src, void *dst, int64_t n) {
    r1_block_q4_0 *b = (r1_block_q4_0 *)dst;
    int64_t i;
    int j;
    for (i = 0; i < n / R1_QK4_0; i++) {
        const float *x = src + i * R1_QK4_0;
        float amax = 0.0f, max = 0.0f, d, id;
        for (j = 0; j < R1_QK4_0; j++)
            if (fabsf(x[j]) > amax) { amax = fabsf(x[j]); max = x[j]; }
        d = max / -8.0f;
        id = d != 0.0f ? 1.0f / d : 0.0f;
        b[i].d = r1_fp32_to_fp16(d);
        for (j = 0; j < R1_QK4_0 / 2; j++) {
            int q0 = (int)(int8_t)(x[j] * id + 8.5f), q1 = (int)(int8_t)(x[j + 16] * id + 8.5f);
            q0 = q0 < 15 ? q0 : 15;
            q1 = q1 < 15 ? q1 : 15;
            b[i].qs[j] = (uint8_t)(q0 | q1 << 4);
        }
    }
}

static float r1__dot_f32(const void *row, const float *x, int n) {
    const float *w = (const float *)row;
    float acc[8] = { 0 };
    int i, j;
    for (i = 0; i + 8 <= n; i += 8)
        for (j = 0; j < 8; j++) acc[j] += w[i + j] * x[i + j];
    for (; i < n; i++) acc[0] += w[i] * x[i];
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

static float r1__dot_f16(const void *row, const float *x, int n) {
    const uint16_t *w = (const uint16_t *)row;
    float acc[8] = { 0 };
    int i, j;
    for (i = 0; i + 8 <= n; i += 8)
        for (j = 0; j < 8; j++) acc[j] += r1_fp16_to_fp32(w[i + j]) * x[i + j];
    for (; i < n; i++) acc[0] += r1_fp16_to_fp32(w[i]) * x[i];
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

static float r1__dot_bf16(const void *row, const float *x, int n) {
    const uint16_t *w = (const uint16_t *)row;
    float acc[8] = { 0 };
    int i, j;
    for (i = 0; i + 8 <= n; i += 8)
        for (j = 0; j < 8; j++) acc[j] += r1_bf16_to_fp32(w[i + j]) * x[i + j];
    for (; i < n; i++) acc[0] += r1_bf16_to_fp32(w[i]) * x[i];
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

static float r1__dot_q8_0(const void *row, const float *x, int n) {
    const r1_block_q8_0 *b = (const r1_block_q8_0 *)row;
    float sum = 0.0f;
    int i, j;
    for (i = 0; i < n / R1_QK8_0; i++, x += R1_QK8_0) {
        float acc[8] = { 0 };
        for (j = 0; j < R1_QK8_0; j++) acc[j & 7] += (float)b[i].qs[j] * x[j];
        sum += r1_fp16_to_fp32(b[i].d) * (((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])));
    }
    return sum;
}

static float r1__dot_q4_0(const void *row, const float *x, int n) {
    const r1_block_q4_0 *b = (const r1_block_q4_0 *)row;
    float sum = 0.0f;
    int i, j;
    for (i = 0; i < n / R1_QK4_0; i++, x += R1_QK4_0) {
        float acc[8] = { 0 };
        for (j = 0; j < R1_QK4_0 / 2; j++) {
            acc[j & 7] += (float)((b[i].qs[j] & 0x0f) - 8) * x[j];
            acc[(j & 7)] += (float)((b[i].qs[j] >> 4) - 8) * x[j + 16];
        }
        sum += r1_fp16_to_fp32(b[i].d) * (((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])));
    }
    return sum;
}

/* The one dispatch table: GGML type id -> layout and kernels. Types with a size but no
   kernels are recognised (for clear errors) but not yet implemented. */
static const r1__type_info r1__types[R1_TYPE_COUNT] = {
    /* [R1_TYPE_F32]  */ { "f32", 1, 4, r1__f32_to_float, r1__f32_from_float, r1__dot_f32 },
    /* [R1_TYPE_F16]  */ { "f16", 1, 2, r1__f16_to_float, r1__f16_from_float, r1__dot_f16 },
    /* [R1_TYPE_Q4_0] */ { "q4_0", 32, 18, r1__q4_0_to_float, r1__q4_0_from_float, r1__dot_q4_0 },
    /* [R1_TYPE_Q4_1] */ { "q4_1", 32, 20, NULL, NULL, NULL },
    /* 4 */ { NULL, 0, 0, NULL, NULL, NULL },
    /* 5 */ { NULL, 0, 0, NULL, NULL, NULL },
    /* [R1_TYPE_Q5_0] */ { "q5_0", 32, 22, NULL, NULL, NULL },
    /* [R1_TYPE_Q5_1] */ { "q5_1", 32, 24, NULL, NULL, NULL },
    /* [R1_TYPE_Q8_0] */ { "q8_0", 32, 34, r1__q8_0_to_float, r1__q8_0_from_float, r1__dot_q8_0 },
    /* [R1_TYPE_Q8_1] */ { "q8_1", 32, 36, NULL, NULL, NULL },
    /* [R1_TYPE_Q2_K] */ { "q2_k", 256, 84, NULL, NULL, NULL },
    /* [R1_TYPE_Q3_K] */ { "q3_k", 256, 110, NULL, NULL, NULL },
    /* [R1_TYPE_Q4_K] */ { "q4_k", 256, 144, NULL, NULL, NULL },
    /* [R1_TYPE_Q5_K] */ { "q5_k", 256, 176, NULL, NULL, NULL },
    /* [R1_TYPE_Q6_K] */ { "q6_k", 256, 210, NULL, NULL, NULL },
    /* [R1_TYPE_Q8_K] */ { "q8_k", 256, 292, NULL, NULL, NULL },
    /* 16..29: i-quants and integer types, not supported */
    { NULL, 0, 0, NULL, NULL, NULL }, { NULL, 0, 0, NULL, NULL, NULL }, { NULL, 0, 0, NULL, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, NULL }, { NULL, 0, 0, NULL, NULL, NULL }, { NULL, 0, 0, NULL, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, NULL }, { NULL, 0, 0, NULL, NULL, NULL }, { NULL, 0, 0, NULL, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, NULL }, { NULL, 0, 0, NULL, NULL, NULL }, { NULL, 0, 0, NULL, NULL, NULL },
    { NULL, 0, 0, NULL, NULL, NULL }, { NULL, 0, 0, NULL, NULL, NULL },
    /* [R1_TYPE_BF16] */ { "bf16", 1, 2, r1__bf16_to_float, r1__bf16_from_float, r1__dot_bf16 },
};

static const char *r1__type_name_or_null(int type) {
    return type >= 0 && type < R1_TYPE_COUNT ? r1__types[type].name : NULL;
}

/* Known layout (even if not implemented): 1 and the block shape; else 0. */
static int r1__type_block(int type, int *block_size, size_t *block_bytes) {
    if (type < 0 || type >= R1_TYPE_COUNT || r1__types[type].block_bytes == 0) return 0;
    *block_size = r1__types[type].block_size;
    *block_bytes = r1__types[type].block_bytes;
    return 1;
}

R1_API const char *r1_type_name(int type) { return r1__type_name_or_null(type); }
R1_API int r1_type_supported(int type) {
    return type >= 0 && type < R1_TYPE_COUNT && r1__types[type].dot != NULL;
}
R1_API int r1_type_block_size(int type) { return r1_type_supported(type) ? r1__types[type].block_size : 0; }
R1_API size_t r1_type_block_bytes(int type) { return r1_type_supported(type) ? r1__types[type].block_bytes : 0; }

R1_API r1_status r1_dequantize(int type, const void *src, float *dst, int64_t n) {
    if (!r1_type_supported(type) || !src || !dst || n < 0 || n % r1__types[type].block_size) return R1_ERR_ARGUMENT;
    r1__types[type].to_float(src, dst, n);
    return R1_OK;
}

R1_API r1_status r1_quantize(int type, const float *src, void *dst, int64_t n) {
    if (!r1_type_supported(type) || !src || !dst || n < 0 || n % r1__types[type].block_size) return R1_ERR_ARGUMENT;
    r1__types[type].from_float(src, dst, n);
    return R1_OK;
}

static size_t r1__row_bytes(int type, int64_t n) {
    return (size_t)(n / r1__types[type].block_size) * r1__types[type].block_bytes;
}

/* ======================================================================================
   6. THREADS
   A persistent pool: workers sleep on a condition variable; r1__pool_run wakes them with
   one job, runs share 0 itself and waits for the rest. Work is split by fixed index
   ranges, so results never depend on the thread count.
   ====================================================================================== */

typedef void (*r1__job_fn)(void *arg, int ith, int nth);

typedef struct r1__pool {
    int n_threads;            /* including the calling thread */
#ifndef R1_NO_THREADS
    pthread_t *threads;       /* n_threads - 1 workers */
    pthread_mutex_t mutex;
    pthread_cond_t wake, done;
    uint64_t generation;      /* bumped for every job */
    int pending;              /* workers still running the current job */
    int stop;                 /* set to make workers exit */
#endif
    r1__job_fn fn;            /* the current job */
    void *arg;
} r1__pool;

#ifndef R1_NO_THREADS
typedef struct r1__worker_arg { r1__pool *pool; int ith; } r1__worker_arg;

static void *r1__worker_main(void *p) {
    r1__worker_arg *wa = (r1__worker_arg *)p;
    r1__pool *pool = wa->pool;
    int ith = wa->ith;
    uint64_t seen = 0;
    R1_FREE(wa);
    for (;;) {
        r1__job_fn fn;
        void *arg;
        pthread_mutex_lock(&pool->mutex);
        while (pool->generation == seen && !pool->stop) pthread_cond_wait(&pool->wake, &pool->mutex);
        if (pool->stop) { pthread_mutex_unlock(&pool->mutex); return NULL; }
        seen = pool->generation;
        fn = pool->fn;
        arg = pool->arg;
        pthread_mutex_unlock(&pool->mutex);
        fn(arg, ith, pool->n_threads);
        pthread_mutex_lock(&pool->mutex);
        if (--pool->pending == 0) pthread_cond_signal(&pool->done);
        pthread_mutex_unlock(&pool->mutex);
    }
}
#endif

static void r1__pool_destroy(r1__pool *pool) {
#ifndef R1_NO_THREADS
    int i;
    if (pool->threads) {
        pthread_mutex_lock(&pool->mutex);
        pool->stop = 1;
        pthread_cond_broadcast(&pool->wake);
        pthread_mutex_unlock(&pool->mutex);
        for (i = 0; i < pool->n_threads - 1; i++) pthread_join(pool->threads[i], NULL);
        R1_FREE(pool->threads);
        pthread_mutex_destroy(&pool->mutex);
        pthread_cond_destroy(&pool->wake);
        pthread_cond_destroy(&pool->done);
        pool->threads = NULL;
    }
#endif
    pool->n_threads = 1;
}

static r1_status r1__pool_init(r1__pool *pool, int n_threads, r1_error *err) {
    memset(pool, 0, sizeof *pool);
    pool->n_threads = 1;
#ifndef R1_NO_THREADS
    if (n_threads > 1) {
        int i;
        pool->threads = (pthread_t *)r1__calloc((size_t)n_threads - 1, sizeof(pthread_t));
        if (!pool->threads) return r1__fail(err, R1_ERR_MEMORY, "out of memory for %d threads", n_threads);
        pthread_mutex_init(&pool->mutex, NULL);
        pthread_cond_init(&pool->wake, NULL);
        pthread_cond_init(&pool->done, NULL);
        pool->n_threads = n_threads;
        for (i = 0; i < n_threads - 1; i++) {
            r1__worker_arg *wa = (r1__worker_arg *)R1_MALLOC(sizeof *wa);
            if (wa) { wa->pool = pool; wa->ith = i + 1; }
            if (!wa || pthread_create(&pool->threads[i], NULL, r1__worker_main, wa) != 0) {
                R1_FREE(wa);
                pool->n_threads = i + 1; /* join only the started ones */
                r1__pool_destroy(pool);
                return r1__fail(err, R1_ERR_THREAD, "could not start thread %d of %d", i + 1, n_threads);
            }
        }
    }
#else
    (void)err;
    (void)n_threads;
#endif
    return R1_OK;
}

static void r1__pool_run(r1__pool *pool, r1__job_fn fn, void *arg) {
#ifndef R1_NO_THREADS
    if (pool->n_threads > 1) {
        pthread_mutex_lock(&pool->mutex);
        pool->fn = fn;
        pool->arg = arg;
        pool->pending = pool->n_threads - 1;
        pool->generation++;
        pthread_cond_broadcast(&pool->wake);
        pthread_mutex_unlock(&pool->mutex);
        fn(arg, 0, pool->n_threads);
        pthread_mutex_lock(&pool->mutex);
        while (pool->pending > 0) pthread_cond_wait(&pool->done, &pool->mutex);
        pthread_mutex_unlock(&pool->mutex);
        return;
    }
#endif
    fn(arg, 0, 1);
}

/* ======================================================================================
   7. MODEL: ARCHITECTURE TABLE AND LOADING
   An architecture is one table entry: its GGUF name and the switches that set it apart.
   The loader reads `<arch>.*` hyperparameters, finds every tensor the switches ask for
   and checks its shape before anything runs.
   ====================================================================================== */

enum { R1__ROPE_NORMAL = 0, R1__ROPE_NEOX = 1 };
enum { R1__GATING_SOFTMAX = 1, R1__GATING_SIGMOID = 2 }; /* llama.cpp's expert_gating_func values */

typedef struct r1__arch {
    const char *name;         /* general.architecture */
    int rope_style;           /* NORMAL rotates pairs (2i, 2i+1); NEOX pairs (i, i + n_rot/2) */
    int qkv_bias;             /* attn_{q,k,v}.bias present (Qwen2) */
    int qk_norm;              /* per-head RMSNorm on q and k before rope (Qwen3) */
    int mla;                  /* DeepSeek multi-head latent attention with a compressed cache */
    int moe;                  /* routed experts after `leading_dense_block_count` dense layers */
    int moe_norm;             /* default for expert_weights_norm (renormalize the top-k weights) */
} r1__arch;

static const r1__arch r1__archs[] = {
    /* name        rope style       qkv_bias qk_norm mla moe moe_norm */
    { "qwen2",     R1__ROPE_NEOX,   1,       0,      0,  0,  0 },
    { "llama",     R1__ROPE_NORMAL, 0,       0,      0,  0,  0 },
    { "qwen3",     R1__ROPE_NEOX,   0,       1,      0,  0,  0 },
    { "qwen3moe",  R1__ROPE_NEOX,   0,       1,      0,  1,  1 },
    { "deepseek2", R1__ROPE_NORMAL, 0,       0,      1,  1,  0 },
};

/* A weight as the forward pass sees it: one matrix, or a stack of n_mat matrices (experts,
   MLA heads) of n_out rows each. */
typedef struct r1__weight {
    const r1__tensor *t;      /* in the mapping; NULL when absent */
    int type;
    int n_in, n_out, n_mat;   /* ne[0] (row length), ne[1] (rows), ne[2] (matrices) */
    size_t row_bytes;
} r1__weight;

/* Matrix `i` of a stack, as a weight of its own (no copy: it stays in the mapping). */
typedef struct r1__matrix {
    const uint8_t *data;
    int type, n_in, n_out;
    size_t row_bytes;
} r1__matrix;

static r1__matrix r1__mat(const r1__weight *w, int i) {
    r1__matrix m;
    m.data = w->t->data + (size_t)i * w->n_out * w->row_bytes;
    m.type = w->type;
    m.n_in = w->n_in;
    m.n_out = w->n_out;
    m.row_bytes = w->row_bytes;
    return m;
}

typedef struct r1__layer {
    float *attn_norm;         /* [n_embd] (vectors are converted to owned f32 at load) */
    /* grouped-query attention */
    r1__weight wq, wk, wv, wo;
    float *bq, *bk, *bv;      /* [n_head*hd], [n_kv*hd], [n_kv*hd]; NULL without biases */
    float *q_norm, *k_norm;   /* [head_dim_k]; NULL without qk-norm */
    /* multi-head latent attention (wq and wo above are shared with it) */
    r1__weight wq_a, wq_b;    /* q LoRA: [n_embd, q_lora], [q_lora, n_head*(nope+rope)] */
    float *q_a_norm;          /* [q_lora] */
    r1__weight wkv_a;         /* [n_embd, kv_lora + rope]: the latent and the shared rope key */
    float *kv_a_norm;         /* [kv_lora] */
    r1__weight wk_b;          /* [nope, kv_lora, n_head]: absorbed into the query */
    r1__weight wv_b;          /* [kv_lora, v, n_head]: applied after attention */
    r1__weight wkv_b;         /* older files: [kv_lora, n_head*(nope+v)] instead of k_b/v_b */
    /* feed-forward */
    float *ffn_norm;          /* [n_embd] */
    r1__weight w_gate, w_up, w_down;       /* dense layers */
    int moe;                  /* 1 when this layer routes to experts */
    r1__weight gate_inp;      /* router [n_embd, n_expert] */
    float *exp_probs_b;       /* [n_expert] bias for choosing experts (not for weighting); may be NULL */
    r1__weight gate_exps, up_exps, down_exps; /* [.., .., n_expert] */
    r1__weight gate_shexp, up_shexp, down_shexp; /* shared experts; absent when none */
} r1__layer;

struct r1_model {
    r1__mapping mapping;      /* the mapped file (addr NULL when loaded from memory) */
    r1__gguf gguf;
    const r1__arch *arch;
    char arch_name[32];
    int n_vocab;              /* embedding rows (tokenizer vocab padded) */
    int n_embd, n_layer, n_head, n_head_kv, n_ff;
    int head_dim_k, head_dim_v; /* per-head sizes of q/k and of v (MLA: nope + rope, and v) */
    int n_rot;                /* rotated dimensions of each head */
    int n_ctx_train;
    float rope_base;
    float rms_eps;
    float *rope_freq_factors; /* [n_rot/2] divisors of each frequency (llama3 scaling); NULL = none */
    /* YaRN context extension */
    int yarn;                 /* rope.scaling.type == "yarn" */
    float yarn_factor;        /* rope.scaling.factor */
    int yarn_orig_ctx;        /* rope.scaling.original_context_length */
    float yarn_beta_fast, yarn_beta_slow;
    float yarn_log_mul;       /* 0.1 * mscale_all_dim: scales the attention temperature */
    float rope_attn_factor;   /* multiplies cos and sin */
    float kq_scale;           /* softmax temperature */
    /* MLA */
    int q_lora, kv_lora;      /* 0 q_lora = plain attn_q */
    int head_dim_nope;        /* q/k dimensions without rope */
    /* MoE */
    int n_expert, n_expert_used, n_expert_shared, n_ff_exp;
    int n_group, n_group_used, n_dense_lead;
    int gating;               /* R1__GATING_* */
    int weights_norm;         /* renormalize the chosen experts' weights */
    float weights_scale;      /* routed_scaling_factor */
    r1__weight tok_embd;      /* [n_embd, n_vocab] */
    r1__weight output;        /* [n_embd, n_vocab]; equals tok_embd when tied */
    float *output_norm;       /* [n_embd] */
    r1__layer *layers;        /* [n_layer] */
};

static int r1__get_int(const r1__gguf *g, const char *arch, const char *suffix, int required, int64_t def,
                       int64_t *out, r1_error *err) {
    char key[128];
    const r1__kv *kv;
    snprintf(key, sizeof key, "%s.%s", arch, suffix);
    kv = r1__gguf_find(g, key);
    if (!kv) {
        if (required) { r1__fail(err, R1_ERR_FORMAT, "model: missing key '%s'", key); return 0; }
        *out = def;
        return 1;
    }
    if (!r1__kv_int(kv, out) || *out < 0 || *out > (1 << 30)) {
        r1__fail(err, R1_ERR_FORMAT, "model: key '%s' must be an integer in [0, 2^30]", key);
        return 0;
    }
    return 1;
}

static int r1__get_f32(const r1__gguf *g, const char *arch, const char *suffix, double def, float *out,
                       r1_error *err) {
    char key[128];
    const r1__kv *kv;
    double v = def;
    snprintf(key, sizeof key, "%s.%s", arch, suffix);
    kv = r1__gguf_find(g, key);
    if (kv && (!r1__kv_float(kv, &v) || !(v == v) || fabs(v) > 1e30)) {
        r1__fail(err, R1_ERR_FORMAT, "model: key '%s' must be a finite number", key);
        return 0;
    }
    *out = (float)v;
    return 1;
}

/* Finds a tensor and checks its shape; ne1 = 0 means a 1-D tensor. */
static int r1__find_weight(r1_model *m, r1__weight *w, const char *name, int64_t ne0, int64_t ne1, int64_t ne2,
                           int required, r1_error *err) {
    const r1__tensor *t = r1__gguf_tensor(&m->gguf, name);
    memset(w, 0, sizeof *w);
    if (!t) {
        if (required) r1__fail(err, R1_ERR_FORMAT, "model: missing tensor '%s'", name);
        return !required;
    }
    if (t->ne[0] != ne0 || t->ne[1] != (ne1 ? ne1 : 1) || t->ne[2] != ne2 || t->ne[3] != 1) {
        r1__fail(err, R1_ERR_FORMAT, "model: tensor '%s' has shape [%lld, %lld, %lld, %lld], expected [%lld, %lld, %lld]",
                 name, (long long)t->ne[0], (long long)t->ne[1], (long long)t->ne[2], (long long)t->ne[3],
                 (long long)ne0, (long long)(ne1 ? ne1 : 1), (long long)ne2);
        return 0;
    }
    if (!r1_type_supported(t->type)) {
        r1__fail(err, R1_ERR_UNSUPPORTED, "model: tensor '%s' has type %s, which this build cannot compute", name,
                 r1__type_name_or_null(t->type) ? r1__type_name_or_null(t->type) : "?");
        return 0;
    }
    w->t = t;
    w->type = t->type;
    w->n_in = (int)t->ne[0];
    w->n_out = (int)(ne1 ? ne1 : 1);
    w->n_mat = (int)ne2;
    w->row_bytes = r1__row_bytes(t->type, t->ne[0]);
    return 1;
}

/* A small vector (norm weight, bias, frequency factors) converted to owned float32. */
static int r1__find_vector(r1_model *m, float **out, const char *name, int64_t n, int required, r1_error *err) {
    r1__weight w;
    *out = NULL;
    if (!r1__find_weight(m, &w, name, n, 0, 1, required, err)) return 0;
    if (!w.t) return 1;
    *out = (float *)r1__calloc((size_t)n, sizeof(float));
    if (!*out) { r1__fail(err, R1_ERR_MEMORY, "model: out of memory for '%s'", name); return 0; }
    r1__types[w.type].to_float(w.t->data, *out, n);
    return 1;
}

static void r1__model_free_owned(r1_model *m) {
    int i;
    if (m->layers)
        for (i = 0; i < m->n_layer; i++) {
            r1__layer *L = &m->layers[i];
            R1_FREE(L->attn_norm); R1_FREE(L->ffn_norm);
            R1_FREE(L->bq); R1_FREE(L->bk); R1_FREE(L->bv);
            R1_FREE(L->q_norm); R1_FREE(L->k_norm);
            R1_FREE(L->q_a_norm); R1_FREE(L->kv_a_norm); R1_FREE(L->exp_probs_b);
        }
    R1_FREE(m->layers);
    R1_FREE(m->output_norm);
    R1_FREE(m->rope_freq_factors);
}

#define R1__TRY(x) do { if (!(x)) return err ? err->code : R1_ERR_FORMAT; } while (0)

/* Hyperparameters of the attention: heads, rope, YaRN, and MLA's ranks. */
static r1_status r1__load_attention_hparams(r1_model *m, r1_error *err) {
    const char *a = m->arch->name;
    const r1__kv *st;
    int64_t v;
    char key[128];
#define R1__INT(field, suffix, req, def) R1__TRY(r1__get_int(&m->gguf, a, suffix, req, def, &v, err)); m->field = (int)v
    R1__INT(n_head_kv, "attention.head_count_kv", 0, m->n_head);
    R1__INT(head_dim_k, "attention.key_length", 0, m->n_embd / m->n_head);
    R1__INT(head_dim_v, "attention.value_length", 0, m->head_dim_k);
    R1__INT(n_rot, "rope.dimension_count", 0, m->head_dim_k);
    if (m->arch->mla) {
        /* llama.cpp stores MLA as one shared KV head of the latent; the per-head sizes are
           the `_mla` keys (older files: the plain keys) */
        R1__INT(q_lora, "attention.q_lora_rank", 0, 0);
        R1__INT(kv_lora, "attention.kv_lora_rank", 1, 0);
        snprintf(key, sizeof key, "%s.attention.key_length_mla", a);
        if (r1__gguf_find(&m->gguf, key)) {
            R1__INT(head_dim_k, "attention.key_length_mla", 1, 0);
            R1__INT(head_dim_v, "attention.value_length_mla", 1, 0);
        }
        m->n_head_kv = m->n_head;
        if (m->kv_lora == 0 || m->head_dim_k <= m->n_rot)
            return r1__fail(err, R1_ERR_FORMAT, "model: MLA needs kv_lora_rank > 0 and key_length > rope.dimension_count");
        m->head_dim_nope = m->head_dim_k - m->n_rot;
    }
#undef R1__INT
    if (m->n_head_kv == 0 || m->n_head % m->n_head_kv != 0)
        return r1__fail(err, R1_ERR_FORMAT, "model: head_count %d is not a multiple of head_count_kv %d", m->n_head, m->n_head_kv);
    if (m->head_dim_k == 0 || m->head_dim_v == 0 || m->n_rot % 2 != 0 || m->n_rot > m->head_dim_k)
        return r1__fail(err, R1_ERR_FORMAT, "model: inconsistent head sizes (key %d, value %d, rope %d)", m->head_dim_k,
                        m->head_dim_v, m->n_rot);
    if ((int64_t)m->n_head * m->head_dim_k > (1 << 24) || (int64_t)m->n_head * m->head_dim_v > (1 << 24) || m->kv_lora > (1 << 20))
        return r1__fail(err, R1_ERR_FORMAT, "model: attention is implausibly wide");
    R1__TRY(r1__get_f32(&m->gguf, a, "rope.freq_base", 10000.0, &m->rope_base, err));
    R1__TRY(r1__get_f32(&m->gguf, a, "attention.layer_norm_rms_epsilon", 1e-6, &m->rms_eps, err));
    if (!(m->rope_base > 0.0f) || !(m->rms_eps >= 0.0f))
        return r1__fail(err, R1_ERR_FORMAT, "model: rope.freq_base must be > 0 and the rms epsilon >= 0");

    snprintf(key, sizeof key, "%s.rope.scaling.type", a);
    st = r1__gguf_find(&m->gguf, key);
    m->rope_attn_factor = 1.0f;
    if (st && st->type == R1__GGUF_STRING && r1__str_eq(st->str, "yarn")) {
        m->yarn = 1;
        R1__TRY(r1__get_f32(&m->gguf, a, "rope.scaling.factor", 1.0, &m->yarn_factor, err));
        R1__TRY(r1__get_int(&m->gguf, a, "rope.scaling.original_context_length", 1, 0, &v, err));
        m->yarn_orig_ctx = (int)v;
        R1__TRY(r1__get_f32(&m->gguf, a, "rope.scaling.yarn_beta_fast", 32.0, &m->yarn_beta_fast, err));
        R1__TRY(r1__get_f32(&m->gguf, a, "rope.scaling.yarn_beta_slow", 1.0, &m->yarn_beta_slow, err));
        R1__TRY(r1__get_f32(&m->gguf, a, "rope.scaling.yarn_log_multiplier", 0.0, &m->yarn_log_mul, err));
        /* cos/sin scale: DeepSeek's mscale / mscale_all_dim is 1 in every released model;
           elsewhere YaRN's default 0.1 ln(factor) + 1 */
        R1__TRY(r1__get_f32(&m->gguf, a, "rope.scaling.attn_factor",
                            m->arch->mla || m->yarn_factor <= 1.0f ? 1.0 : 0.1 * log(m->yarn_factor) + 1.0,
                            &m->rope_attn_factor, err));
        if (!(m->yarn_factor >= 1.0f) || m->yarn_orig_ctx <= 0 || !(m->yarn_beta_fast > m->yarn_beta_slow) || !(m->yarn_beta_slow > 0.0f))
            return r1__fail(err, R1_ERR_FORMAT, "model: bad YaRN parameters (factor >= 1, beta_fast > beta_slow > 0)");
    } else if (st && !(st->type == R1__GGUF_STRING && r1__str_eq(st->str, "none"))) {
        return r1__fail(err, R1_ERR_UNSUPPORTED, "model: rope scaling type '%.*s' is not supported",
                        (int)(st->type == R1__GGUF_STRING && st->str.len < 32 ? st->str.len : 1), st->type == R1__GGUF_STRING ? st->str.ptr : "?");
    }
    /* softmax temperature: 1/sqrt(key size), times DeepSeek's YaRN mscale squared */
    m->kq_scale = 1.0f / sqrtf((float)m->head_dim_k);
    if (m->arch->mla && m->yarn && m->yarn_factor > 1.0f) {
        float mscale = 1.0f + m->yarn_log_mul * logf(m->yarn_factor);
        m->kq_scale *= mscale * mscale;
    }
    return R1_OK;
}

/* Hyperparameters of the routed experts. */
static r1_status r1__load_moe_hparams(r1_model *m, r1_error *err) {
    const char *a = m->arch->name;
    int64_t v;
    char key[128];
    const r1__kv *kv;
#define R1__INT(field, suffix, req, def) R1__TRY(r1__get_int(&m->gguf, a, suffix, req, def, &v, err)); m->field = (int)v
    R1__INT(n_expert, "expert_count", 1, 0);
    R1__INT(n_expert_used, "expert_used_count", 1, 0);
    R1__INT(n_expert_shared, "expert_shared_count", 0, 0);
    R1__INT(n_ff_exp, "expert_feed_forward_length", 1, 0);
    R1__INT(n_group, "expert_group_count", 0, 1);
    R1__INT(n_group_used, "expert_group_used_count", 0, m->n_group);
    R1__INT(n_dense_lead, "leading_dense_block_count", 0, 0);
    R1__INT(gating, "expert_gating_func", 0, R1__GATING_SOFTMAX);
#undef R1__INT
    R1__TRY(r1__get_f32(&m->gguf, a, "expert_weights_scale", 1.0, &m->weights_scale, err));
    snprintf(key, sizeof key, "%s.expert_weights_norm", a);
    kv = r1__gguf_find(&m->gguf, key);
    m->weights_norm = kv && kv->type == R1__GGUF_BOOL ? *kv->data : m->arch->moe_norm;
    if (m->n_expert < 1 || m->n_expert > 4096 || m->n_expert_used < 1 || m->n_expert_used > m->n_expert || m->n_ff_exp < 1)
        return r1__fail(err, R1_ERR_FORMAT, "model: bad expert counts (%d experts, %d used)", m->n_expert, m->n_expert_used);
    if (m->n_group < 1 || m->n_expert % m->n_group != 0 || m->n_group_used < 1 || m->n_group_used > m->n_group ||
        m->n_expert_used > m->n_group_used * (m->n_expert / m->n_group))
        return r1__fail(err, R1_ERR_FORMAT, "model: bad expert groups (%d groups, %d used)", m->n_group, m->n_group_used);
    if (m->gating != R1__GATING_SOFTMAX && m->gating != R1__GATING_SIGMOID)
        return r1__fail(err, R1_ERR_UNSUPPORTED, "model: expert_gating_func %d is not supported", m->gating);
    if (m->n_dense_lead > m->n_layer) m->n_dense_lead = m->n_layer;
    return R1_OK;
}

static r1_status r1__load_layer(r1_model *m, int i, r1_error *err) {
    r1__layer *L = &m->layers[i];
    int64_t n_embd = m->n_embd, hk = m->head_dim_k, hv = m->head_dim_v;
    char name[96];
#define R1__W(field, suffix, ne0, ne1, ne2, req) \
    snprintf(name, sizeof name, "blk.%d.%s", i, suffix); R1__TRY(r1__find_weight(m, &L->field, name, ne0, ne1, ne2, req, err))
#define R1__V(field, suffix, n, req) \
    snprintf(name, sizeof name, "blk.%d.%s", i, suffix); R1__TRY(r1__find_vector(m, &L->field, name, n, req, err))
    R1__V(attn_norm, "attn_norm.weight", n_embd, 1);
    R1__W(wo, "attn_output.weight", m->n_head * hv, n_embd, 1, 1);
    if (m->arch->mla) {
        int64_t q_dim = m->n_head * hk;
        if (m->q_lora) {
            R1__W(wq_a, "attn_q_a.weight", n_embd, m->q_lora, 1, 1);
            R1__V(q_a_norm, "attn_q_a_norm.weight", m->q_lora, 1);
            R1__W(wq_b, "attn_q_b.weight", m->q_lora, q_dim, 1, 1);
        } else {
            R1__W(wq, "attn_q.weight", n_embd, q_dim, 1, 1);
        }
        R1__W(wkv_a, "attn_kv_a_mqa.weight", n_embd, m->kv_lora + m->n_rot, 1, 1);
        R1__V(kv_a_norm, "attn_kv_a_norm.weight", m->kv_lora, 1);
        R1__W(wk_b, "attn_k_b.weight", m->head_dim_nope, m->kv_lora, m->n_head, 0);
        R1__W(wv_b, "attn_v_b.weight", m->kv_lora, hv, m->n_head, 0);
        if (!L->wk_b.t || !L->wv_b.t) {
            R1__W(wkv_b, "attn_kv_b.weight", m->kv_lora, m->n_head * (m->head_dim_nope + hv), 1, 1);
        }
    } else {
        int64_t q_dim = m->n_head * hk, k_dim = m->n_head_kv * hk, v_dim = m->n_head_kv * hv;
        R1__W(wq, "attn_q.weight", n_embd, q_dim, 1, 1);
        R1__W(wk, "attn_k.weight", n_embd, k_dim, 1, 1);
        R1__W(wv, "attn_v.weight", n_embd, v_dim, 1, 1);
        R1__V(bq, "attn_q.bias", q_dim, m->arch->qkv_bias);
        R1__V(bk, "attn_k.bias", k_dim, m->arch->qkv_bias);
        R1__V(bv, "attn_v.bias", v_dim, m->arch->qkv_bias);
        R1__V(q_norm, "attn_q_norm.weight", hk, m->arch->qk_norm);
        R1__V(k_norm, "attn_k_norm.weight", hk, m->arch->qk_norm);
    }
    R1__V(ffn_norm, "ffn_norm.weight", n_embd, 1);
    L->moe = m->arch->moe && i >= m->n_dense_lead;
    if (L->moe) {
        int64_t sh = (int64_t)m->n_ff_exp * m->n_expert_shared;
        R1__W(gate_inp, "ffn_gate_inp.weight", n_embd, m->n_expert, 1, 1);
        R1__V(exp_probs_b, "exp_probs_b.bias", m->n_expert, 0);
        R1__W(gate_exps, "ffn_gate_exps.weight", n_embd, m->n_ff_exp, m->n_expert, 1);
        R1__W(up_exps, "ffn_up_exps.weight", n_embd, m->n_ff_exp, m->n_expert, 1);
        R1__W(down_exps, "ffn_down_exps.weight", m->n_ff_exp, n_embd, m->n_expert, 1);
        R1__W(gate_shexp, "ffn_gate_shexp.weight", n_embd, sh, 1, m->n_expert_shared > 0);
        R1__W(up_shexp, "ffn_up_shexp.weight", n_embd, sh, 1, m->n_expert_shared > 0);
        R1__W(down_shexp, "ffn_down_shexp.weight", sh, n_embd, 1, m->n_expert_shared > 0);
    } else {
        R1__W(w_gate, "ffn_gate.weight", n_embd, m->n_ff, 1, 1);
        R1__W(w_up, "ffn_up.weight", n_embd, m->n_ff, 1, 1);
        R1__W(w_down, "ffn_down.weight", m->n_ff, n_embd, 1, 1);
    }
#undef R1__W
#undef R1__V
    return R1_OK;
}

static r1_status r1__model_init(r1_model *m, r1_error *err) {
    const r1__kv *kv = r1__gguf_find(&m->gguf, "general.architecture");
    const char *a;
    int64_t v;
    size_t i;

    {   /* the host must be little-endian: GGUF data is read in place */
        uint16_t probe = 1;
        if (*(uint8_t *)&probe != 1) return r1__fail(err, R1_ERR_UNSUPPORTED, "big-endian hosts are not supported");
    }
    if (!kv || kv->type != R1__GGUF_STRING) return r1__fail(err, R1_ERR_FORMAT, "model: missing string key 'general.architecture'");
    for (i = 0; i < sizeof r1__archs / sizeof r1__archs[0]; i++)
        if (r1__str_eq(kv->str, r1__archs[i].name)) m->arch = &r1__archs[i];
    if (!m->arch)
        return r1__fail(err, R1_ERR_UNSUPPORTED, "model: architecture '%.*s' is not supported",
                        (int)(kv->str.len < 64 ? kv->str.len : 64), kv->str.ptr);
    a = m->arch->name;
    snprintf(m->arch_name, sizeof m->arch_name, "%s", a);

#define R1__INT(field, suffix, req, def) R1__TRY(r1__get_int(&m->gguf, a, suffix, req, def, &v, err)); m->field = (int)v
    R1__INT(n_layer, "block_count", 1, 0);
    R1__INT(n_embd, "embedding_length", 1, 0);
    R1__INT(n_ff, "feed_forward_length", 1, 0);
    R1__INT(n_head, "attention.head_count", 1, 0);
    R1__INT(n_ctx_train, "context_length", 0, 4096);
#undef R1__INT
    if (m->n_head == 0 || m->n_embd == 0 || m->n_layer == 0 || m->n_ff == 0)
        return r1__fail(err, R1_ERR_FORMAT, "model: block_count, embedding_length, feed_forward_length and head_count must be > 0");
    if (r1__load_attention_hparams(m, err) != R1_OK) return err ? err->code : R1_ERR_FORMAT;
    if (m->arch->moe && r1__load_moe_hparams(m, err) != R1_OK) return err ? err->code : R1_ERR_FORMAT;

    {   /* the embedding decides the vocabulary size */
        const r1__tensor *t = r1__gguf_tensor(&m->gguf, "token_embd.weight");
        if (!t) return r1__fail(err, R1_ERR_FORMAT, "model: missing tensor 'token_embd.weight'");
        if (t->ne[1] > (1 << 24)) return r1__fail(err, R1_ERR_FORMAT, "model: vocabulary of %lld rows is too large", (long long)t->ne[1]);
        m->n_vocab = (int)t->ne[1];
    }
    R1__TRY(r1__find_weight(m, &m->tok_embd, "token_embd.weight", m->n_embd, m->n_vocab, 1, 1, err));
    R1__TRY(r1__find_weight(m, &m->output, "output.weight", m->n_embd, m->n_vocab, 1, 0, err));
    if (!m->output.t) m->output = m->tok_embd; /* tied embeddings */
    R1__TRY(r1__find_vector(m, &m->output_norm, "output_norm.weight", m->n_embd, 1, err));
    R1__TRY(r1__find_vector(m, &m->rope_freq_factors, "rope_freqs.weight", m->n_rot / 2, 0, err));

    m->layers = (r1__layer *)r1__calloc((size_t)m->n_layer, sizeof *m->layers);
    if (!m->layers) return r1__fail(err, R1_ERR_MEMORY, "model: out of memory for %d layers", m->n_layer);
    for (i = 0; i < (size_t)m->n_layer; i++)
        if (r1__load_layer(m, (int)i, err) != R1_OK) return err ? err->code : R1_ERR_FORMAT;
    return R1_OK;
}

static r1_model *r1__model_from(r1_model *m, const void *data, size_t size, r1_error *err) {
    if (r1__gguf_parse(&m->gguf, data, size, err) != R1_OK || r1__model_init(m, err) != R1_OK) {
        r1__model_free_owned(m);
        r1__gguf_free(&m->gguf);
        r1__unmap_file(&m->mapping);
        R1_FREE(m);
        return NULL;
    }
    r1__ok(err);
    return m;
}

R1_API r1_model *r1_model_load_memory(const void *data, size_t size, r1_error *err) {
    r1_model *m;
    if (!data || size == 0) { r1__fail(err, R1_ERR_ARGUMENT, "r1_model_load_memory: no data"); return NULL; }
    m = (r1_model *)r1__calloc(1, sizeof *m);
    if (!m) { r1__fail(err, R1_ERR_MEMORY, "out of memory"); return NULL; }
    return r1__model_from(m, data, size, err);
}

R1_API r1_model *r1_model_load(const char *path, r1_error *err) {
    r1_model *m;
    if (!path) { r1__fail(err, R1_ERR_ARGUMENT, "r1_model_load: path is NULL"); return NULL; }
    m = (r1_model *)r1__calloc(1, sizeof *m);
    if (!m) { r1__fail(err, R1_ERR_MEMORY, "out of memory"); return NULL; }
    if (r1__map_file(&m->mapping, path, err) != R1_OK) { R1_FREE(m); return NULL; }
    return r1__model_from(m, m->mapping.addr, m->mapping.size, err);
}

R1_API void r1_model_free(r1_model *m) {
    if (!m) return;
    r1__model_free_owned(m);
    r1__gguf_free(&m->gguf);
    r1__unmap_file(&m->mapping);
    R1_FREE(m);
}

R1_API const char *r1_model_arch(const r1_model *m) { return m ? m->arch_name : NULL; }
R1_API int r1_model_n_vocab(const r1_model *m) { return m ? m->n_vocab : 0; }
R1_API int r1_model_n_ctx_train(const r1_model *m) { return m ? m->n_ctx_train : 0; }
R1_API int r1_model_n_layer(const r1_model *m) { return m ? m->n_layer : 0; }
R1_API int r1_model_n_embd(const r1_model *m) { return m ? m->n_embd : 0; }

R1_API int r1_model_meta_int(const r1_model *m, const char *key, int64_t *out) {
    if (!m || !key || !out) return 0;
    return r1__kv_int(r1__gguf_find(&m->gguf, key), out);
}

R1_API const char *r1_model_meta_str(const r1_model *m, const char *key, size_t *len) {
    const r1__kv *kv;
    if (!m || !key) return NULL;
    kv = r1__gguf_find(&m->gguf, key);
    if (!kv || kv->type != R1__GGUF_STRING) return NULL;
    if (len) *len = (size_t)kv->str.len;
    return kv->str.ptr;
}

/* Bytes of KV cache per token: MLA keeps the normalized latent and the shared rope key. */
static uint64_t r1__kv_floats_per_token_layer(const r1_model *m, uint64_t *k, uint64_t *v) {
    if (m->arch->mla) { *k = (uint64_t)m->kv_lora + (uint64_t)m->n_rot; *v = 0; }
    else { *k = (uint64_t)m->n_head_kv * m->head_dim_k; *v = (uint64_t)m->n_head_kv * m->head_dim_v; }
    return *k + *v;
}

R1_API size_t r1_model_kv_bytes_per_token(const r1_model *m) {
    uint64_t k, v;
    if (!m) return 0;
    return (size_t)(r1__kv_floats_per_token_layer(m, &k, &v) * (uint64_t)m->n_layer * sizeof(float));
}

/* ======================================================================================
   8. FORWARD PASS
   ====================================================================================== */

struct r1_context {
    r1_model *model;
    int n_ctx;                /* capacity of the KV cache in tokens */
    int n_past;               /* tokens already in the cache */
    r1__pool pool;
    size_t kv_k, kv_v;        /* floats per token and layer in each cache */
    float *k_cache;           /* [n_layer][n_ctx][kv_k]: keys, or MLA's [latent | rope key] */
    float *v_cache;           /* [n_layer][n_ctx][kv_v]: values (unused by MLA) */
    float *inv_freq;          /* [n_rot/2] rotary frequencies, float32 as the reference computes them */
    /* scratch activations for one token */
    float *x;                 /* [n_embd] the residual stream */
    float *xb;                /* [max(n_embd, n_head*head_dim_v)] normed input / attention output */
    float *xb2;               /* [n_embd] a projection's output */
    float *moe_out;           /* [n_embd] sum of the experts' outputs */
    float *q;                 /* [n_head * head_dim_k] */
    float *q_a;               /* [max(q_lora, 1)] MLA's compressed query */
    float *q_abs;             /* [n_head * kv_lora] MLA query absorbed into latent space */
    float *latent_out;        /* [n_head * kv_lora] MLA attention output in latent space */
    float *gate, *up;         /* [max(n_ff, n_ff_exp * max(n_shared, 1))] */
    float *router;            /* [n_expert] scores */
    float *att;               /* [n_head][n_ctx] attention scores */
    float *logits;            /* [n_vocab] */
};

R1_API r1_context_params r1_context_default_params(void) {
    r1_context_params p;
    p.n_ctx = 0;
    p.n_threads = 1;
    return p;
}

R1_API void r1_context_free(r1_context *c) {
    if (!c) return;
    r1__pool_destroy(&c->pool);
    R1_FREE(c->k_cache); R1_FREE(c->v_cache); R1_FREE(c->inv_freq);
    R1_FREE(c->x); R1_FREE(c->xb); R1_FREE(c->xb2); R1_FREE(c->moe_out); R1_FREE(c->q);
    R1_FREE(c->q_a); R1_FREE(c->q_abs); R1_FREE(c->latent_out);
    R1_FREE(c->gate); R1_FREE(c->up); R1_FREE(c->router); R1_FREE(c->att); R1_FREE(c->logits);
    R1_FREE(c);
}

/* Rotary frequencies as Hugging Face computes them in float32: plain, divided by llama3's
   factors, or blended by YaRN between interpolation and extrapolation. */
static void r1__init_inv_freq(const r1_model *m, float *inv_freq) {
    int i, dim = m->n_rot;
    float low = 0, high = 0;
    if (m->yarn) { /* the rotary dims whose wavelength falls between beta_fast and beta_slow turns */
        double two_ln_base = 2.0 * log((double)m->rope_base);
        low = (float)floor(dim * log(m->yarn_orig_ctx / (m->yarn_beta_fast * 2 * 3.14159265358979323846)) / two_ln_base);
        high = (float)ceil(dim * log(m->yarn_orig_ctx / (m->yarn_beta_slow * 2 * 3.14159265358979323846)) / two_ln_base);
        if (low < 0) low = 0;
        if (high > dim - 1) high = (float)(dim - 1);
        if (low == high) high += 0.001f;
    }
    for (i = 0; i < dim / 2; i++) {
        float pos_freq = powf(m->rope_base, (float)(2 * i) / (float)dim), f = 1.0f / pos_freq;
        if (m->rope_freq_factors) f /= m->rope_freq_factors[i];
        if (m->yarn) {
            float ramp = ((float)i - low) / (high - low), extrapolate;
            ramp = ramp < 0 ? 0 : ramp > 1 ? 1 : ramp;
            extrapolate = 1.0f - ramp;
            f = 1.0f / (m->yarn_factor * pos_freq) * (1.0f - extrapolate) + f * extrapolate;
        }
        inv_freq[i] = f;
    }
}

R1_API r1_context *r1_context_new(r1_model *m, const r1_context_params *params, r1_error *err) {
    r1_context *c;
    r1_context_params p = params ? *params : r1_context_default_params();
    uint64_t k, v, kv_k, kv_v;
    int wide, ff;
    if (!m) { r1__fail(err, R1_ERR_ARGUMENT, "r1_context_new: model is NULL"); return NULL; }
    if (p.n_threads < 1 || p.n_threads > 1024) {
        r1__fail(err, R1_ERR_ARGUMENT, "r1_context_new: n_threads must be in [1, 1024], got %d", p.n_threads);
        return NULL;
    }
    if (p.n_ctx < 0) { r1__fail(err, R1_ERR_ARGUMENT, "r1_context_new: n_ctx must be >= 0, got %d", p.n_ctx); return NULL; }
    if (p.n_ctx == 0) p.n_ctx = m->n_ctx_train > 0 && m->n_ctx_train < 4096 ? m->n_ctx_train : 4096;
    c = (r1_context *)r1__calloc(1, sizeof *c);
    if (!c) { r1__fail(err, R1_ERR_MEMORY, "out of memory"); return NULL; }
    c->model = m;
    c->n_ctx = p.n_ctx;
    r1__kv_floats_per_token_layer(m, &k, &v);
    c->kv_k = (size_t)k;
    c->kv_v = (size_t)v;
    if (!r1__mul_ok((uint64_t)m->n_layer * (uint64_t)p.n_ctx, k, &kv_k) ||
        !r1__mul_ok((uint64_t)m->n_layer * (uint64_t)p.n_ctx, v, &kv_v) || kv_k > SIZE_MAX / 4 || kv_v > SIZE_MAX / 4) {
        r1__fail(err, R1_ERR_MEMORY, "r1_context_new: a KV cache of %d tokens is too large", p.n_ctx);
        r1_context_free(c);
        return NULL;
    }
    wide = m->n_head * m->head_dim_v > m->n_embd ? m->n_head * m->head_dim_v : m->n_embd;
    ff = m->n_ff;
    if (m->arch->moe && m->n_ff_exp * (m->n_expert_shared > 0 ? m->n_expert_shared : 1) > ff)
        ff = m->n_ff_exp * (m->n_expert_shared > 0 ? m->n_expert_shared : 1);
    c->k_cache = (float *)r1__calloc((size_t)kv_k, sizeof(float));
    c->v_cache = (float *)r1__calloc((size_t)kv_v, sizeof(float));
    c->inv_freq = (float *)r1__calloc((size_t)m->n_rot / 2 + 1, sizeof(float));
    c->x = (float *)r1__calloc((size_t)m->n_embd, sizeof(float));
    c->xb = (float *)r1__calloc((size_t)wide, sizeof(float));
    c->xb2 = (float *)r1__calloc((size_t)m->n_embd, sizeof(float));
    c->moe_out = (float *)r1__calloc((size_t)m->n_embd, sizeof(float));
    c->q = (float *)r1__calloc((size_t)m->n_head * m->head_dim_k, sizeof(float));
    c->q_a = (float *)r1__calloc((size_t)m->q_lora + 1, sizeof(float));
    c->q_abs = (float *)r1__calloc((size_t)m->n_head * m->kv_lora + 1, sizeof(float));
    c->latent_out = (float *)r1__calloc((size_t)m->n_head * m->kv_lora + 1, sizeof(float));
    c->gate = (float *)r1__calloc((size_t)ff, sizeof(float));
    c->up = (float *)r1__calloc((size_t)ff, sizeof(float));
    c->router = (float *)r1__calloc((size_t)m->n_expert + 1, sizeof(float));
    c->att = (float *)r1__calloc((size_t)m->n_head * (size_t)p.n_ctx, sizeof(float));
    c->logits = (float *)r1__calloc((size_t)m->n_vocab, sizeof(float));
    if (!c->k_cache || !c->v_cache || !c->inv_freq || !c->x || !c->xb || !c->xb2 || !c->moe_out || !c->q || !c->q_a ||
        !c->q_abs || !c->latent_out || !c->gate || !c->up || !c->router || !c->att || !c->logits) {
        r1__fail(err, R1_ERR_MEMORY, "r1_context_new: out of memory for a context of %d tokens", p.n_ctx);
        r1_context_free(c);
        return NULL;
    }
    r1__init_inv_freq(m, c->inv_freq);
    if (r1__pool_init(&c->pool, p.n_threads, err) != R1_OK) { r1_context_free(c); return NULL; }
    r1__ok(err);
    return c;
}

R1_API const float *r1_context_logits(const r1_context *c) { return c ? c->logits : NULL; }
R1_API int r1_context_n_past(const r1_context *c) { return c ? c->n_past : 0; }
R1_API int r1_context_n_ctx(const r1_context *c) { return c ? c->n_ctx : 0; }
R1_API void r1_context_reset(r1_context *c) { if (c) c->n_past = 0; }

/* y = W x for one token, rows split across the pool */
typedef struct r1__matvec_job {
    r1__matrix w;
    const float *x;
    float *y;
} r1__matvec_job;

static void r1__matvec_rows(const r1__matrix *w, const float *x, float *y, int r0, int r1) {
    r1__dot_fn dot = r1__types[w->type].dot;
    int r;
    for (r = r0; r < r1; r++) y[r] = dot(w->data + (size_t)r * w->row_bytes, x, w->n_in);
}

static void r1__matvec_worker(void *arg, int ith, int nth) {
    const r1__matvec_job *job = (const r1__matvec_job *)arg;
    int n = job->w.n_out;
    r1__matvec_rows(&job->w, job->x, job->y, (int)((int64_t)n * ith / nth), (int)((int64_t)n * (ith + 1) / nth));
}

static void r1__matvec_m(r1_context *c, r1__matrix w, const float *x, float *y) {
    r1__matvec_job job;
    job.w = w;
    job.x = x;
    job.y = y;
    r1__pool_run(&c->pool, r1__matvec_worker, &job);
}

static void r1__matvec(r1_context *c, const r1__weight *w, const float *x, float *y) {
    r1__matvec_m(c, r1__mat(w, 0), x, y);
}

/* out = x / sqrt(mean(x^2) + eps) * weight */
static void r1__rmsnorm(float *out, const float *x, const float *weight, int n, float eps) {
    float ss = 0.0f, scale;
    int i;
    for (i = 0; i < n; i++) ss += x[i] * x[i];
    scale = 1.0f / sqrtf(ss / (float)n + eps);
    for (i = 0; i < n; i++) out[i] = x[i] * scale * weight[i];
}

/* Rotates the first n_rot dims of one head by position pos. */
static void r1__rope(float *v, int pos, const float *inv_freq, int n_rot, int style, float attn_factor) {
    int i, half = n_rot / 2;
    for (i = 0; i < half; i++) {
        float angle = (float)pos * inv_freq[i];
        float cs = cosf(angle) * attn_factor, sn = sinf(angle) * attn_factor;
        int a = style == R1__ROPE_NEOX ? i : 2 * i, b = style == R1__ROPE_NEOX ? i + half : 2 * i + 1;
        float x0 = v[a], x1 = v[b];
        v[a] = x0 * cs - x1 * sn;
        v[b] = x0 * sn + x1 * cs;
    }
}

/* softmax over att[0..n) in place */
static void r1__softmax(float *att, int n) {
    float max = -INFINITY, sum = 0.0f;
    int t;
    for (t = 0; t < n; t++) if (att[t] > max) max = att[t];
    for (t = 0; t < n; t++) { att[t] = expf(att[t] - max); sum += att[t]; }
    for (t = 0; t < n; t++) att[t] /= sum;
}

/* Causal attention of one new token over positions 0..pos, heads split across the pool. */
typedef struct r1__attn_job {
    r1_context *c;
    int layer, pos;
} r1__attn_job;

static void r1__attn_worker(void *arg, int ith, int nth) {
    const r1__attn_job *job = (const r1__attn_job *)arg;
    r1_context *c = job->c;
    const r1_model *m = c->model;
    int hk = m->head_dim_k, hv = m->head_dim_v, group = m->n_head / m->n_head_kv, h, t, i;
    const float *kc = c->k_cache + (size_t)job->layer * c->n_ctx * c->kv_k;
    const float *vc = c->v_cache + (size_t)job->layer * c->n_ctx * c->kv_v;
    for (h = m->n_head * ith / nth; h < m->n_head * (ith + 1) / nth; h++) {
        const float *q = c->q + (size_t)h * hk;
        float *att = c->att + (size_t)h * c->n_ctx, *out = c->xb + (size_t)h * hv;
        int kvh = h / group;
        for (t = 0; t <= job->pos; t++) {
            const float *k = kc + (size_t)t * c->kv_k + (size_t)kvh * hk;
            float s = 0.0f;
            for (i = 0; i < hk; i++) s += q[i] * k[i];
            att[t] = s * m->kq_scale;
        }
        r1__softmax(att, job->pos + 1);
        for (i = 0; i < hv; i++) out[i] = 0.0f;
        for (t = 0; t <= job->pos; t++) {
            const float *v = vc + (size_t)t * c->kv_v + (size_t)kvh * hv;
            for (i = 0; i < hv; i++) out[i] += att[t] * v[i];
        }
    }
}

/* MLA: per head, the query is absorbed into latent space (q_abs = W_UK^T q_nope), scored
   against the cached latents plus the shared rope key, and the weighted latent sum is
   expanded by W_UV. Nothing per-head is ever cached. */
static void r1__mla_worker(void *arg, int ith, int nth) {
    const r1__attn_job *job = (const r1__attn_job *)arg;
    r1_context *c = job->c;
    const r1_model *m = c->model;
    const r1__layer *L = &m->layers[job->layer];
    int nope = m->head_dim_nope, hk = m->head_dim_k, hv = m->head_dim_v, r = m->kv_lora, h, t, i, j;
    const float *cache = c->k_cache + (size_t)job->layer * c->n_ctx * c->kv_k;
    for (h = m->n_head * ith / nth; h < m->n_head * (ith + 1) / nth; h++) {
        const float *q_nope = c->q + (size_t)h * hk, *q_pe = q_nope + nope;
        float *q_abs = c->q_abs + (size_t)h * r, *lat = c->latent_out + (size_t)h * r;
        float *att = c->att + (size_t)h * c->n_ctx, *out = c->xb + (size_t)h * hv;
        if (L->wk_b.t) {
            r1__matrix kb = r1__mat(&L->wk_b, h), vb;
            r1__matvec_rows(&kb, q_nope, q_abs, 0, r);
            for (t = 0; t <= job->pos; t++) {
                const float *lat_t = cache + (size_t)t * c->kv_k, *kpe = lat_t + r;
                float s = 0.0f, s_pe = 0.0f;
                for (i = 0; i < r; i++) s += q_abs[i] * lat_t[i];
                for (i = 0; i < m->n_rot; i++) s_pe += q_pe[i] * kpe[i];
                att[t] = (s + s_pe) * m->kq_scale;
            }
            r1__softmax(att, job->pos + 1);
            for (i = 0; i < r; i++) lat[i] = 0.0f;
            for (t = 0; t <= job->pos; t++) {
                const float *lat_t = cache + (size_t)t * c->kv_k;
                for (i = 0; i < r; i++) lat[i] += att[t] * lat_t[i];
            }
            vb = r1__mat(&L->wv_b, h);
            r1__matvec_rows(&vb, lat, out, 0, hv);
        } else {
            /* older files: one kv_b [kv_lora, n_head*(nope+v)]; W_UK^T q needs its rows
               summed, one dequantized row at a time (row buffer: the head's output slot) */
            const r1__weight *w = &L->wkv_b;
            const uint8_t *head = w->t->data + (size_t)h * (nope + hv) * w->row_bytes;
            float *row = lat; /* reused as the row buffer before it holds the latent sum */
            for (i = 0; i < r; i++) q_abs[i] = 0.0f;
            for (j = 0; j < nope; j++) {
                r1__types[w->type].to_float(head + (size_t)j * w->row_bytes, row, r);
                for (i = 0; i < r; i++) q_abs[i] += q_nope[j] * row[i];
            }
            for (t = 0; t <= job->pos; t++) {
                const float *lat_t = cache + (size_t)t * c->kv_k, *kpe = lat_t + r;
                float s = 0.0f, s_pe = 0.0f;
                for (i = 0; i < r; i++) s += q_abs[i] * lat_t[i];
                for (i = 0; i < m->n_rot; i++) s_pe += q_pe[i] * kpe[i];
                att[t] = (s + s_pe) * m->kq_scale;
            }
            r1__softmax(att, job->pos + 1);
            for (i = 0; i < r; i++) lat[i] = 0.0f;
            for (t = 0; t <= job->pos; t++) {
                const float *lat_t = cache + (size_t)t * c->kv_k;
                for (i = 0; i < r; i++) lat[i] += att[t] * lat_t[i];
            }
            for (j = 0; j < hv; j++)
                out[j] = r1__types[w->type].dot(head + (size_t)(nope + j) * w->row_bytes, lat, r);
        }
    }
}

static void r1__add_bias(float *y, const float *bias, int n) {
    int i;
    if (bias)
        for (i = 0; i < n; i++) y[i] += bias[i];
}

/* out = down(silu(gate(x)) * up(x)) */
static void r1__swiglu(r1_context *c, r1__matrix gate, r1__matrix up, r1__matrix down, const float *x, float *out) {
    int i;
    r1__matvec_m(c, gate, x, c->gate);
    r1__matvec_m(c, up, x, c->up);
    for (i = 0; i < gate.n_out; i++) c->gate[i] = c->gate[i] / (1.0f + expf(-c->gate[i])) * c->up[i];
    r1__matvec_m(c, down, c->gate, out);
}

/* Picks the experts for one token and their weights (DeepSeekMoE / Qwen3-MoE routing):
   scores by softmax or sigmoid; the selection bias and group limits affect only which experts
   are chosen; the weights are the plain scores, renormalized and scaled as configured. */
static int r1__route(r1_context *c, const r1__layer *L, int *chosen, float *weights) {
    const r1_model *m = c->model;
    int n = m->n_expert, per_group = n / m->n_group, e, g, k, n_used = m->n_expert_used;
    float *score = c->router, choice[4096], sum = 0.0f;
    r1__matvec(c, &L->gate_inp, c->xb, score);
    if (m->gating == R1__GATING_SIGMOID) {
        for (e = 0; e < n; e++) score[e] = 1.0f / (1.0f + expf(-score[e]));
    } else {
        r1__softmax(score, n);
    }
    for (e = 0; e < n; e++) choice[e] = score[e] + (L->exp_probs_b ? L->exp_probs_b[e] : 0.0f);
    if (m->n_group_used < m->n_group) {
        /* a group's score: its best expert (softmax routing, DeepSeek-V2) or its best two
           (sigmoid routing, DeepSeek-V3); experts outside the best groups drop to zero */
        float group_score[4096];
        int keep[4096];
        for (g = 0; g < m->n_group; g++) {
            float best = -INFINITY, second = -INFINITY;
            for (e = g * per_group; e < (g + 1) * per_group; e++) {
                if (choice[e] > best) { second = best; best = choice[e]; }
                else if (choice[e] > second) second = choice[e];
            }
            group_score[g] = m->gating == R1__GATING_SIGMOID && per_group > 1 ? best + second : best;
            keep[g] = 0;
        }
        for (k = 0; k < m->n_group_used; k++) {
            int best = -1;
            for (g = 0; g < m->n_group; g++)
                if (!keep[g] && (best < 0 || group_score[g] > group_score[best])) best = g;
            keep[best] = 1;
        }
        for (e = 0; e < n; e++)
            if (!keep[e / per_group]) choice[e] = 0.0f;
    }
    for (k = 0; k < n_used; k++) { /* top-k by choice, first index on ties */
        int best = -1;
        for (e = 0; e < n; e++) {
            int taken = 0, j;
            for (j = 0; j < k; j++) taken |= chosen[j] == e;
            if (!taken && (best < 0 || choice[e] > choice[best])) best = e;
        }
        chosen[k] = best;
        weights[k] = score[best];
        sum += weights[k];
    }
    for (k = 0; k < n_used; k++) {
        if (m->weights_norm) weights[k] /= sum;
        weights[k] *= m->weights_scale;
    }
    return n_used;
}

/* One token through the whole network; writes logits when `logits` is not NULL. */
static void r1__forward_token(r1_context *c, int32_t token, int pos, float *logits) {
    const r1_model *m = c->model;
    int n_embd = m->n_embd, hk = m->head_dim_k, l, h, i;
    float *x = c->x;

    /* token embedding */
    r1__types[m->tok_embd.type].to_float(m->tok_embd.t->data + (size_t)token * m->tok_embd.row_bytes, x, n_embd);

    for (l = 0; l < m->n_layer; l++) {
        const r1__layer *L = &m->layers[l];
        float *k = c->k_cache + ((size_t)l * c->n_ctx + (size_t)pos) * c->kv_k;
        float *v = c->v_cache + ((size_t)l * c->n_ctx + (size_t)pos) * c->kv_v;
        r1__attn_job aj;
        aj.c = c;
        aj.layer = l;
        aj.pos = pos;

        r1__rmsnorm(c->xb, x, L->attn_norm, n_embd, m->rms_eps);
        if (m->arch->mla) {
            /* query: through the q LoRA when there is one */
            if (L->wq_a.t) {
                r1__matvec(c, &L->wq_a, c->xb, c->q_a);
                r1__rmsnorm(c->q_a, c->q_a, L->q_a_norm, m->q_lora, m->rms_eps);
                r1__matvec(c, &L->wq_b, c->q_a, c->q);
            } else {
                r1__matvec(c, &L->wq, c->xb, c->q);
            }
            /* cache entry: the normalized latent, then the rotated shared rope key */
            r1__matvec(c, &L->wkv_a, c->xb, k);
            r1__rmsnorm(k, k, L->kv_a_norm, m->kv_lora, m->rms_eps);
            r1__rope(k + m->kv_lora, pos, c->inv_freq, m->n_rot, m->arch->rope_style, m->rope_attn_factor);
            for (h = 0; h < m->n_head; h++)
                r1__rope(c->q + h * hk + m->head_dim_nope, pos, c->inv_freq, m->n_rot, m->arch->rope_style, m->rope_attn_factor);
            r1__pool_run(&c->pool, r1__mla_worker, &aj); /* -> c->xb, [n_head * hv] */
        } else {
            /* q, k, v for this token; k and v go straight into the cache */
            r1__matvec(c, &L->wq, c->xb, c->q);
            r1__matvec(c, &L->wk, c->xb, k);
            r1__matvec(c, &L->wv, c->xb, v);
            r1__add_bias(c->q, L->bq, m->n_head * hk);
            r1__add_bias(k, L->bk, (int)c->kv_k);
            r1__add_bias(v, L->bv, (int)c->kv_v);
            if (L->q_norm) { /* Qwen3: RMSNorm over each head before rotation */
                for (h = 0; h < m->n_head; h++) r1__rmsnorm(c->q + h * hk, c->q + h * hk, L->q_norm, hk, m->rms_eps);
                for (h = 0; h < m->n_head_kv; h++) r1__rmsnorm(k + h * hk, k + h * hk, L->k_norm, hk, m->rms_eps);
            }
            for (h = 0; h < m->n_head; h++) r1__rope(c->q + h * hk, pos, c->inv_freq, m->n_rot, m->arch->rope_style, m->rope_attn_factor);
            for (h = 0; h < m->n_head_kv; h++) r1__rope(k + h * hk, pos, c->inv_freq, m->n_rot, m->arch->rope_style, m->rope_attn_factor);
            r1__pool_run(&c->pool, r1__attn_worker, &aj); /* -> c->xb, [n_head * hv] */
        }
        r1__matvec(c, &L->wo, c->xb, c->xb2);
        for (i = 0; i < n_embd; i++) x[i] += c->xb2[i];

        /* feed-forward: one SwiGLU, or the routed experts plus the shared ones */
        r1__rmsnorm(c->xb, x, L->ffn_norm, n_embd, m->rms_eps);
        if (L->moe) {
            int chosen[4096], n_used, e;
            float weights[4096];
            n_used = r1__route(c, L, chosen, weights);
            for (i = 0; i < n_embd; i++) c->moe_out[i] = 0.0f;
            for (e = 0; e < n_used; e++) { /* only the chosen experts' pages are touched */
                int id = chosen[e];
                r1__swiglu(c, r1__mat(&L->gate_exps, id), r1__mat(&L->up_exps, id), r1__mat(&L->down_exps, id), c->xb, c->xb2);
                for (i = 0; i < n_embd; i++) c->moe_out[i] += weights[e] * c->xb2[i];
            }
            if (L->gate_shexp.t) {
                r1__swiglu(c, r1__mat(&L->gate_shexp, 0), r1__mat(&L->up_shexp, 0), r1__mat(&L->down_shexp, 0), c->xb, c->xb2);
                for (i = 0; i < n_embd; i++) c->moe_out[i] += c->xb2[i];
            }
            for (i = 0; i < n_embd; i++) x[i] += c->moe_out[i];
        } else {
            r1__swiglu(c, r1__mat(&L->w_gate, 0), r1__mat(&L->w_up, 0), r1__mat(&L->w_down, 0), c->xb, c->xb2);
            for (i = 0; i < n_embd; i++) x[i] += c->xb2[i];
        }
    }

    if (logits) {
        r1__rmsnorm(c->xb, x, m->output_norm, n_embd, m->rms_eps);
        r1__matvec(c, &m->output, c->xb, logits);
    }
}

R1_API r1_status r1_eval(r1_context *c, const int32_t *tokens, int n_tokens, float *all_logits, r1_error *err) {
    int i;
    if (!c) return r1__fail(err, R1_ERR_ARGUMENT, "r1_eval: context is NULL");
    if (n_tokens < 0 || (n_tokens > 0 && !tokens)) return r1__fail(err, R1_ERR_ARGUMENT, "r1_eval: no tokens given");
    if (n_tokens > c->n_ctx - c->n_past)
        return r1__fail(err, R1_ERR_CONTEXT_FULL, "r1_eval: %d tokens do not fit: %d of %d context positions are used",
                        n_tokens, c->n_past, c->n_ctx);
    for (i = 0; i < n_tokens; i++)
        if (tokens[i] < 0 || tokens[i] >= c->model->n_vocab)
            return r1__fail(err, R1_ERR_ARGUMENT, "r1_eval: token %d (at index %d) is outside the vocabulary [0, %d)",
                            tokens[i], i, c->model->n_vocab);
    for (i = 0; i < n_tokens; i++) {
        float *out = all_logits ? all_logits + (size_t)i * c->model->n_vocab : NULL;
        if (!out && i == n_tokens - 1) out = c->logits;
        r1__forward_token(c, tokens[i], c->n_past, out);
        c->n_past++;
    }
    if (all_logits && n_tokens > 0)
        memcpy(c->logits, all_logits + (size_t)(n_tokens - 1) * c->model->n_vocab, (size_t)c->model->n_vocab * sizeof(float));
    r1__ok(err);
    return R1_OK;
}

#endif /* R1_IMPLEMENTATION_DONE */
#endif /* R1_IMPLEMENTATION */
