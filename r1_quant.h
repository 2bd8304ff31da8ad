/* r1_quant.h — turn a Hugging Face folder into a GGUF file, in pure C.

   Needs r1.h. In exactly one C file:
       #define R1_IMPLEMENTATION
       #include "r1.h"
       #define R1_QUANT_IMPLEMENTATION
       #include "r1_quant.h"

   TABLE OF CONTENTS
     1. Public API            (converter; JSON comes from r1.h's r1_json_*)
     2. Safetensors           (single files and sharded checkpoints, memory-mapped)
     3. GGUF writer           (metadata buffer, tensor infos, aligned data)
     4. HF -> GGUF mapping    (architectures, tensor names, hyperparameters, tokenizer)
     5. Converter             (streams one row at a time: memory stays far below the model size)

   USAGE
       r1_convert_params p = r1_convert_default_params();
       p.type = R1_TYPE_Q8_0;
       r1_error err;
       if (r1_convert_hf("path/to/hf_folder", "out.gguf", &p, &err) != R1_OK) puts(err.message);
*/
#ifndef R1_QUANT_H
#define R1_QUANT_H

#include "r1.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct r1_convert_params {
    int type;                 /* type of the 2-D weights: R1_TYPE_F32, F16, BF16, Q8_0, Q4_0, Q5_0,
                                 Q5_1, Q6_K, or one of llama-quantize's mixes R1_CONVERT_Q4_K_M /
                                 R1_CONVERT_Q5_K_M (q4_k / q5_k, with q6_k for the output and for
                                 attn_v and ffn_down in the first and last eighth of the layers
                                 and every third layer between) */
    int vocab_only;           /* write the tokenizer and metadata only, no tensors */
    int verbose;              /* print one line per tensor to stderr */
    void (*progress)(void *user, double fraction); /* called as tensors are written (0 < fraction <= 1); may be NULL */
    void *progress_user;
    int legacy_mla;           /* DeepSeek: write the older single attn_kv_b tensor and per-head
                                 key/value lengths instead of attn_k_b/attn_v_b (for testing
                                 files made by older converters) */
} r1_convert_params;

R1_API r1_convert_params r1_convert_default_params(void);
/* Converts HF_DIR (config.json, *.safetensors, tokenizer.json, ...) into the GGUF file out_path. */
R1_API r1_status r1_convert_hf(const char *hf_dir, const char *out_path, const r1_convert_params *params,
                               r1_error *err);
#define R1_CONVERT_Q4_K_M 1015  /* 1000 + llama.cpp's file type number */
#define R1_CONVERT_Q5_K_M 1017
/* Type name ("f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q6_k", "q4_k_m", "q5_k_m")
   -> R1_TYPE_* or R1_CONVERT_*, or -1. */
R1_API int r1_convert_type_from_name(const char *name);

/* ---- GGUF writer ----
   Builds a GGUF file: metadata keys first, then the tensors' shapes, then their bytes streamed in
   the order they were added (rows at a time; the writer aligns each tensor). The file appears
   under its name only when r1_gguf_writer_finish succeeds: it is written to "<path>.part" and
   renamed, so a failure never leaves a broken file or replaces one that was there. Key setters
   record an out-of-memory and report it at r1_gguf_writer_begin.
       r1_gguf_writer *w = r1_gguf_writer_new(&err);
       r1_gguf_writer_set_str(w, "general.architecture", "llama", 5);
       r1_gguf_writer_add_tensor(w, "token_embd.weight", R1_TYPE_F32, 2, ne, &err);
       r1_gguf_writer_begin(w, "out.gguf", &err);
       r1_gguf_writer_write(w, data, bytes, &err);   (as often as needed)
       r1_gguf_writer_finish(w, &err);
       r1_gguf_writer_free(w); */
typedef struct r1_gguf_writer r1_gguf_writer;
R1_API r1_gguf_writer *r1_gguf_writer_new(r1_error *err);
R1_API void r1_gguf_writer_free(r1_gguf_writer *w); /* an unfinished file is removed */
R1_API void r1_gguf_writer_set_u32(r1_gguf_writer *w, const char *key, uint32_t value);
R1_API void r1_gguf_writer_set_f32(r1_gguf_writer *w, const char *key, float value);
R1_API void r1_gguf_writer_set_bool(r1_gguf_writer *w, const char *key, int value);
R1_API void r1_gguf_writer_set_str(r1_gguf_writer *w, const char *key, const char *s, size_t len);
/* Copies every "tokenizer." key of the GGUF file at path, byte for byte. With n_rows above its
   token count, the token list is padded to n_rows with unused "[PADn]" tokens, as llama.cpp's
   converter does for checkpoints whose embedding has more rows than the tokenizer has tokens. */
R1_API r1_status r1_gguf_writer_copy_vocab(r1_gguf_writer *w, const char *path, int64_t n_rows, r1_error *err);
/* A tensor of n_dims (1..4) dimensions, ne[0] = row length (a multiple of the type's block). */
R1_API r1_status r1_gguf_writer_add_tensor(r1_gguf_writer *w, const char *name, int type, int n_dims, const int64_t *ne,
                                           r1_error *err);
R1_API r1_status r1_gguf_writer_begin(r1_gguf_writer *w, const char *path, r1_error *err); /* writes the header */
R1_API r1_status r1_gguf_writer_write(r1_gguf_writer *w, const void *data, size_t bytes, r1_error *err);
R1_API r1_status r1_gguf_writer_finish(r1_gguf_writer *w, r1_error *err); /* every tensor's bytes written */

#ifdef __cplusplus
}
#endif
#endif /* R1_QUANT_H */

#ifdef R1_QUANT_IMPLEMENTATION
#ifndef R1_QUANT_IMPLEMENTATION_DONE
#define R1_QUANT_IMPLEMENTATION_DONE
#ifndef R1_IMPLEMENTATION_DONE
#error "r1_quant.h's implementation needs r1.h's implementation in the same file (define R1_IMPLEMENTATION first)"
#endif

#if !defined(_WIN32)
#include <dirent.h>
#include <sys/stat.h>
#endif

static int r1__json_int(const r1_json *j, int64_t *out) {
    if (!j || j->type != R1_JSON_NUMBER || j->number != floor(j->number) || fabs(j->number) > 9e15) return 0;
    *out = (int64_t)j->number;
    return 1;
}

static int r1__json_num(const r1_json *j, double *out) {
    if (!j || j->type != R1_JSON_NUMBER) return 0;
    *out = j->number;
    return 1;
}

static const char *r1__json_str(const r1_json *j) {
    return j && j->type == R1_JSON_STRING ? j->str : NULL;
}

/* ======================================================================================
   2. SAFETENSORS
   A file: u64 header length, a JSON header {name: {dtype, shape, data_offsets}}, the data.
   ====================================================================================== */

typedef struct r1__st_tensor {
    char *name;
    int dtype;                /* R1_TYPE_F32, F16 or BF16 */
    int n_dims;
    int64_t shape[4];         /* HF order: shape[0] is the outermost (rows) */
    const uint8_t *data;      /* into the mapping */
    int used;                 /* consumed by the converter */
} r1__st_tensor;

typedef struct r1__st_set {
    r1__mapping *maps;
    int n_maps;
    r1__st_tensor *tensors;
    int n_tensors, cap;
} r1__st_set;

static void r1__st_free(r1__st_set *s) {
    int i;
    for (i = 0; i < s->n_tensors; i++) R1_FREE(s->tensors[i].name);
    for (i = 0; i < s->n_maps; i++) r1__unmap_file(&s->maps[i]);
    R1_FREE(s->tensors);
    R1_FREE(s->maps);
    memset(s, 0, sizeof *s);
}

static r1_status r1__st_add_file(r1__st_set *s, const char *path, r1_error *err) {
    r1__mapping *m;
    uint64_t hlen = 0, data_size;
    const uint8_t *base;
    r1_json *h;
    size_t i;
    int k;
    r1_error local; /* r1_json_parse's code, whether or not the caller wants the message */
    r1__mapping *nm = (r1__mapping *)R1_REALLOC(s->maps, (size_t)(s->n_maps + 1) * sizeof *nm);
    if (!nm) return r1__fail(err, R1_ERR_MEMORY, "out of memory");
    s->maps = nm;
    m = &s->maps[s->n_maps];
    R1__TRY(r1__map_file(m, path, err));
    s->n_maps++;
    base = (const uint8_t *)m->addr;
    if (m->size < 8) return r1__fail(err, R1_ERR_FORMAT, "%s: too short for safetensors", path);
    for (k = 7; k >= 0; k--) hlen = hlen << 8 | base[k];
    if (hlen > m->size - 8) return r1__fail(err, R1_ERR_FORMAT, "%s: header length runs past the end", path);
    data_size = m->size - 8 - hlen;
    h = r1_json_parse((const char *)base + 8, (size_t)hlen, err ? err : &local);
    if (!h) return err ? err->code : local.code;
    if (h->type != R1_JSON_OBJECT) { { r1_status st_ = r1__fail(err, R1_ERR_FORMAT, "%s: header is not an object", path); r1_json_free(h); return st_; } /* message first: it reads h */ }
    for (i = 0; i < h->n; i++) {
        const r1_json *e = &h->items[i], *dt = r1_json_get(e, "dtype"), *sh = r1_json_get(e, "shape"),
                      *off = r1_json_get(e, "data_offsets");
        r1__st_tensor *t;
        int64_t b, en, esz;
        uint64_t nel = 1;
        size_t d;
        if (strcmp(e->key, "__metadata__") == 0) continue;
        if (!r1__json_str(dt) || !sh || sh->type != R1_JSON_ARRAY || sh->n > 4 || !off || off->type != R1_JSON_ARRAY ||
            off->n != 2 || !r1__json_int(&off->items[0], &b) || !r1__json_int(&off->items[1], &en)) {
            { r1_status st_ = r1__fail(err, R1_ERR_FORMAT, "%s: bad header entry '%.64s'", path, e->key); r1_json_free(h); return st_; } /* message first: it reads h */
        }
        if (s->n_tensors == s->cap) {
            int nc = s->cap ? s->cap * 2 : 64;
            r1__st_tensor *nt = (r1__st_tensor *)R1_REALLOC(s->tensors, (size_t)nc * sizeof *nt);
            if (!nt) { { r1_status st_ = r1__fail(err, R1_ERR_MEMORY, "out of memory"); r1_json_free(h); return st_; } /* message first: it reads h */ }
            s->tensors = nt;
            s->cap = nc;
        }
        t = &s->tensors[s->n_tensors];
        memset(t, 0, sizeof *t);
        if (strcmp(dt->str, "F32") == 0) { t->dtype = R1_TYPE_F32; esz = 4; }
        else if (strcmp(dt->str, "F16") == 0) { t->dtype = R1_TYPE_F16; esz = 2; }
        else if (strcmp(dt->str, "BF16") == 0) { t->dtype = R1_TYPE_BF16; esz = 2; }
        else { { r1_status st_ = r1__fail(err, R1_ERR_UNSUPPORTED, "%s: tensor '%.64s' has dtype %s (F32, F16, BF16 supported)", path, e->key, dt->str); r1_json_free(h); return st_; } /* message first: it reads h */ }
        t->n_dims = (int)sh->n;
        for (d = 0; d < sh->n; d++) {
            if (!r1__json_int(&sh->items[d], &t->shape[d]) || t->shape[d] <= 0 || t->shape[d] > ((int64_t)1 << 40)) {
                { r1_status st_ = r1__fail(err, R1_ERR_FORMAT, "%s: tensor '%.64s' has a bad shape", path, e->key); r1_json_free(h); return st_; } /* message first: it reads h */
            }
            nel *= (uint64_t)t->shape[d];
            if (nel > ((uint64_t)1 << 48)) {
                r1_status st_ = r1__fail(err, R1_ERR_FORMAT, "%s: tensor '%.64s' is too large", path, e->key);
                r1_json_free(h);
                return st_;
            }
        }
        if (b < 0 || en < b || (uint64_t)en > data_size || (uint64_t)(en - b) != nel * (uint64_t)esz) {
            { r1_status st_ = r1__fail(err, R1_ERR_FORMAT, "%s: tensor '%.64s' has bad data offsets", path, e->key); r1_json_free(h); return st_; } /* message first: it reads h */
        }
        t->data = base + 8 + hlen + b;
        t->name = (char *)R1_MALLOC(e->key_len + 1);
        if (!t->name) { { r1_status st_ = r1__fail(err, R1_ERR_MEMORY, "out of memory"); r1_json_free(h); return st_; } /* message first: it reads h */ }
        memcpy(t->name, e->key, e->key_len + 1);
        s->n_tensors++;
    }
    r1_json_free(h);
    return R1_OK;
}

/* something is at path: a regular file, or a FIFO, device or folder, which the converter's
   reader then refuses with a message (opened non-blocking: never waited on) instead of
   skipping an optional input */
static int r1__path_exists(const char *path) {
#if !defined(_WIN32)
    struct stat st;
    return stat(path, &st) == 0;
#else
    FILE *f = r1__fopen(path, "rb");
    if (!f) return 0;
    fclose(f);
    return 1;
#endif
}

/* Opens every shard: those named by model.safetensors.index.json, else every *.safetensors. */
static r1_status r1__st_open_dir(r1__st_set *s, const char *dir, r1_error *err) {
    char path[4096];
    r1_error local; /* the failures below return err->code: keep one when the caller gave none */
    if (!err) err = &local;
    memset(s, 0, sizeof *s);
    snprintf(path, sizeof path, "%s/model.safetensors.index.json", dir);
    if (r1__path_exists(path)) {
        r1_json *idx = r1_json_parse_file(path, err);
        const r1_json *map;
        size_t i, j;
        if (!idx) return err->code;
        map = r1_json_get(idx, "weight_map");
        if (!map || map->type != R1_JSON_OBJECT) { r1_json_free(idx); return r1__fail(err, R1_ERR_FORMAT, "%s: no weight_map", path); }
        for (i = 0; i < map->n; i++) {
            int seen = 0;
            if (!r1__json_str(&map->items[i]) || strchr(map->items[i].str, '/') || strchr(map->items[i].str, '\\')) {
                r1_json_free(idx);
                return r1__fail(err, R1_ERR_FORMAT, "%s: bad shard name", path);
            }
            for (j = 0; j < i; j++) seen |= strcmp(map->items[j].str, map->items[i].str) == 0;
            if (seen) continue;
            snprintf(path, sizeof path, "%s/%s", dir, map->items[i].str);
            { r1_status st = r1__st_add_file(s, path, err); if (st != R1_OK) { r1_json_free(idx); return st; } }
        }
        r1_json_free(idx);
        return R1_OK;
    }
#if defined(_WIN32)
    {
        WIN32_FIND_DATAW fd;
        HANDLE hf;
        wchar_t *pattern;
        snprintf(path, sizeof path, "%s\\*.safetensors", dir);
        pattern = r1__wide(path);
        hf = pattern ? FindFirstFileW(pattern, &fd) : INVALID_HANDLE_VALUE;
        R1_FREE(pattern);
        if (hf != INVALID_HANDLE_VALUE) {
            do {
                char name[MAX_PATH * 4];
                if (WideCharToMultiByte(CP_UTF8, 0, fd.cFileName, -1, name, (int)sizeof name, NULL, NULL) <= 0) continue;
                snprintf(path, sizeof path, "%s\\%s", dir, name);
                { r1_status st = r1__st_add_file(s, path, err); if (st != R1_OK) { FindClose(hf); return st; } }
            } while (FindNextFileW(hf, &fd));
            FindClose(hf);
        }
    }
#else
    {
        DIR *d = opendir(dir);
        struct dirent *e;
        char **names = NULL;
        int n = 0, i, j;
        r1_status st = R1_OK;
        if (!d) return r1__fail(err, R1_ERR_IO, "cannot open folder '%s'", dir);
        while ((e = readdir(d)) != NULL) {
            size_t l = strlen(e->d_name);
            char **nn;
            if (l < 12 || strcmp(e->d_name + l - 12, ".safetensors") != 0) continue;
            nn = (char **)R1_REALLOC(names, (size_t)(n + 1) * sizeof *nn);
            if (!nn) break;
            names = nn;
            names[n] = (char *)R1_MALLOC(l + 1);
            if (!names[n]) break;
            memcpy(names[n++], e->d_name, l + 1);
        }
        closedir(d);
        for (i = 1; i < n; i++) /* sorted, so shards open in order */
            for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) { char *t = names[j]; names[j] = names[j - 1]; names[j - 1] = t; }
        for (i = 0; i < n; i++) {
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            if (st == R1_OK) st = r1__st_add_file(s, path, err);
            R1_FREE(names[i]);
        }
        R1_FREE(names);
        if (st != R1_OK) return st;
    }
#endif
    if (s->n_maps == 0) return r1__fail(err, R1_ERR_IO, "no .safetensors files in '%s'", dir);
    return R1_OK;
}

/* ======================================================================================
   3. GGUF WRITER
   Metadata is built in memory (it holds the vocabulary: a few MB at most); tensor data is
   streamed to the file afterwards.
   ====================================================================================== */

typedef struct r1__buf {
    uint8_t *data;
    size_t len, cap;
    int oom;
} r1__buf;

static void r1__buf_put(r1__buf *b, const void *p, size_t n) {
    if (b->oom || n == 0) return;   /* n == 0 may come with p == NULL (an empty string) */
    if (b->len + n > b->cap) {
        size_t nc = b->cap ? b->cap : 4096;
        uint8_t *nd;
        while (nc < b->len + n) nc *= 2;
        nd = (uint8_t *)R1_REALLOC(b->data, nc);
        if (!nd) { b->oom = 1; return; }
        b->data = nd;
        b->cap = nc;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void r1__buf_u32(r1__buf *b, uint32_t v) {
    uint8_t x[4];
    x[0] = (uint8_t)v; x[1] = (uint8_t)(v >> 8); x[2] = (uint8_t)(v >> 16); x[3] = (uint8_t)(v >> 24);
    r1__buf_put(b, x, 4);
}
static void r1__buf_u64(r1__buf *b, uint64_t v) { r1__buf_u32(b, (uint32_t)v); r1__buf_u32(b, (uint32_t)(v >> 32)); }
static void r1__buf_str(r1__buf *b, const char *s, size_t n) { r1__buf_u64(b, n); r1__buf_put(b, s, n); }

typedef struct r1__gguf_writer {
    r1__buf kv;               /* encoded key/value pairs */
    uint64_t n_kv;
} r1__gguf_writer;

static void r1__w_key(r1__gguf_writer *w, const char *key, uint32_t type) {
    r1__buf_str(&w->kv, key, strlen(key));
    r1__buf_u32(&w->kv, type);
    w->n_kv++;
}
static void r1__w_u32(r1__gguf_writer *w, const char *key, uint32_t v) { r1__w_key(w, key, R1__GGUF_U32); r1__buf_u32(&w->kv, v); }
static void r1__w_f32(r1__gguf_writer *w, const char *key, float v) {
    uint32_t u;
    memcpy(&u, &v, 4);
    r1__w_key(w, key, R1__GGUF_F32);
    r1__buf_u32(&w->kv, u);
}
static void r1__w_bool(r1__gguf_writer *w, const char *key, int v) {
    uint8_t b = v ? 1 : 0;
    r1__w_key(w, key, R1__GGUF_BOOL);
    r1__buf_put(&w->kv, &b, 1);
}
static void r1__w_str(r1__gguf_writer *w, const char *key, const char *s, size_t n) {
    r1__w_key(w, key, R1__GGUF_STRING);
    r1__buf_str(&w->kv, s, n);
}
static void r1__w_arr_begin(r1__gguf_writer *w, const char *key, uint32_t elem_type, uint64_t n) {
    r1__w_key(w, key, R1__GGUF_ARRAY);
    r1__buf_u32(&w->kv, elem_type);
    r1__buf_u64(&w->kv, n);
}

/* The public writer: the metadata above, the tensors' infos, and the file being streamed. */
typedef struct r1__gguf_tensor_info {
    char name[R1__GGUF_MAX_NAME];
    int type, n_dims;
    int64_t ne[R1__GGUF_MAX_DIMS];
    uint64_t offset, nbytes;  /* in the data section */
} r1__gguf_tensor_info;

struct r1_gguf_writer {
    r1__gguf_writer meta;     /* encoded key/value pairs */
    r1__gguf_tensor_info *tensors;
    int n_tensors, cap_tensors;
    FILE *f;                  /* open between begin and finish */
    char *part_path, *final_path; /* "<path>.part", renamed to path by finish */
    int current;              /* tensor being written */
    uint64_t written;         /* bytes of it written so far */
    int failed;               /* a write failed: finish refuses */
};

R1_API r1_gguf_writer *r1_gguf_writer_new(r1_error *err) {
    r1_gguf_writer *w = (r1_gguf_writer *)R1_CALLOC(1, sizeof *w);
    if (!w) r1__fail(err, R1_ERR_MEMORY, "gguf writer: out of memory");
    return w;
}

static void r1__gguf_writer_abandon(r1_gguf_writer *w) {
    if (w->f) { fclose(w->f); w->f = NULL; r1__remove(w->part_path); }
}

R1_API void r1_gguf_writer_free(r1_gguf_writer *w) {
    if (!w) return;
    r1__gguf_writer_abandon(w);
    R1_FREE(w->meta.kv.data);
    R1_FREE(w->tensors);
    R1_FREE(w->part_path);
    R1_FREE(w->final_path);
    R1_FREE(w);
}

R1_API void r1_gguf_writer_set_u32(r1_gguf_writer *w, const char *key, uint32_t value) { if (w && key) r1__w_u32(&w->meta, key, value); }
R1_API void r1_gguf_writer_set_f32(r1_gguf_writer *w, const char *key, float value) { if (w && key) r1__w_f32(&w->meta, key, value); }
R1_API void r1_gguf_writer_set_bool(r1_gguf_writer *w, const char *key, int value) { if (w && key) r1__w_bool(&w->meta, key, value); }
R1_API void r1_gguf_writer_set_str(r1_gguf_writer *w, const char *key, const char *s, size_t len) {
    if (w && key && (s || len == 0)) r1__w_str(&w->meta, key, s ? s : "", len);
}

/* One parsed key/value pair of a GGUF file, copied as its bytes. */
static void r1__w_copy_kv(r1__gguf_writer *w, const r1__kv *kv) {
    const uint8_t *start = (const uint8_t *)kv->key.ptr - 8, *end;
    if (kv->type == R1__GGUF_STRING) end = (const uint8_t *)kv->str.ptr + kv->str.len;
    else if (kv->type == R1__GGUF_ARRAY && kv->arr_type == R1__GGUF_STRING)
        end = kv->arr_n ? (const uint8_t *)kv->strs[kv->arr_n - 1].ptr + kv->strs[kv->arr_n - 1].len : kv->data;
    else if (kv->type == R1__GGUF_ARRAY) end = kv->data + kv->arr_n * r1__gguf_scalar_size(kv->arr_type);
    else end = kv->data + r1__gguf_scalar_size(kv->type);
    r1__buf_put(&w->kv, start, (size_t)(end - start));
    w->n_kv++;
}

R1_API r1_status r1_gguf_writer_copy_vocab(r1_gguf_writer *w, const char *path, int64_t n_rows, r1_error *err) {
    r1__mapping m;
    r1__gguf g;
    uint64_t k;
    if (!w || !path) return r1__fail(err, R1_ERR_ARGUMENT, "r1_gguf_writer_copy_vocab: writer and path are required");
    R1__TRY(r1__map_file(&m, path, err));
    {
        r1_status st = r1__gguf_parse(&g, m.addr, m.size, err);
        if (st != R1_OK) { r1__unmap_file(&m); return st; }
    }
    for (k = 0; k < g.n_kv; k++) {
        const r1__kv *kv = &g.kv[k];
        int tokens = kv->key.len == 21 && memcmp(kv->key.ptr, "tokenizer.ggml.tokens", 21) == 0;
        int types = kv->key.len == 25 && memcmp(kv->key.ptr, "tokenizer.ggml.token_type", 25) == 0;
        if (kv->key.len <= 10 || memcmp(kv->key.ptr, "tokenizer.", 10) != 0) continue;
        if ((tokens || types) && kv->type == R1__GGUF_ARRAY && n_rows > 0 && kv->arr_n < (uint64_t)n_rows) {
            uint64_t j, n = (uint64_t)n_rows;
            size_t at = w->meta.kv.len + 8 + kv->key.len + 4 + 4; /* the copy's element count: after the key, its type and the elements' type */
            char pad[32];
            r1__w_copy_kv(&w->meta, kv);
            if (!w->meta.kv.oom) for (j = 0; j < 8; j++) w->meta.kv.data[at + j] = (uint8_t)(n >> (8 * j));
            for (j = kv->arr_n; j < n; j++) {
                if (tokens) { snprintf(pad, sizeof pad, "[PAD%llu]", (unsigned long long)j); r1__buf_str(&w->meta.kv, pad, strlen(pad)); }
                else r1__buf_u32(&w->meta.kv, 5); /* llama.cpp's UNUSED token type */
            }
            continue;
        }
        r1__w_copy_kv(&w->meta, kv);
    }
    r1__gguf_free(&g);
    r1__unmap_file(&m);
    return w->meta.kv.oom ? r1__fail(err, R1_ERR_MEMORY, "gguf writer: out of memory") : R1_OK;
}

R1_API r1_status r1_gguf_writer_add_tensor(r1_gguf_writer *w, const char *name, int type, int n_dims, const int64_t *ne,
                                           r1_error *err) {
    r1__gguf_tensor_info *t;
    uint64_t rows = 1;
    int d;
    if (!w || !name || !ne || w->f) return r1__fail(err, R1_ERR_ARGUMENT, "r1_gguf_writer_add_tensor: bad arguments (or called after begin)");
    if (strlen(name) >= R1__GGUF_MAX_NAME) return r1__fail(err, R1_ERR_ARGUMENT, "gguf writer: tensor name too long");
    if (!r1_type_supported(type) || n_dims < 1 || n_dims > R1__GGUF_MAX_DIMS)
        return r1__fail(err, R1_ERR_ARGUMENT, "gguf writer: %s: bad type or dimension count", name);
    for (d = 0; d < n_dims; d++) {
        if (ne[d] <= 0 || ne[d] > ((int64_t)1 << 40)) return r1__fail(err, R1_ERR_ARGUMENT, "gguf writer: %s: bad dimension", name);
        if (d > 0) rows *= (uint64_t)ne[d];
    }
    if (ne[0] % r1_type_block_size(type)) return r1__fail(err, R1_ERR_ARGUMENT, "gguf writer: %s: rows are not whole blocks", name);
    if (w->n_tensors == w->cap_tensors) {
        int nc = w->cap_tensors ? 2 * w->cap_tensors : 64;
        r1__gguf_tensor_info *nt = (r1__gguf_tensor_info *)R1_REALLOC(w->tensors, (size_t)nc * sizeof *nt);
        if (!nt) return r1__fail(err, R1_ERR_MEMORY, "gguf writer: out of memory");
        w->tensors = nt;
        w->cap_tensors = nc;
    }
    t = &w->tensors[w->n_tensors];
    memset(t, 0, sizeof *t);
    memcpy(t->name, name, strlen(name) + 1);
    t->type = type;
    t->n_dims = n_dims;
    for (d = 0; d < n_dims; d++) t->ne[d] = ne[d];
    t->offset = w->n_tensors ? w->tensors[w->n_tensors - 1].offset + (w->tensors[w->n_tensors - 1].nbytes + 31) / 32 * 32 : 0;
    t->nbytes = (uint64_t)r1__row_bytes(type, ne[0]) * rows;
    w->n_tensors++;
    return R1_OK;
}

static char *r1__strdup_cat(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char *s = (char *)R1_MALLOC(la + lb + 1);
    if (s) { memcpy(s, a, la); memcpy(s + la, b, lb + 1); }
    return s;
}

static const uint8_t r1__zeros32[32] = { 0 };

/* The file's bytes before the tensor data: magic, counts, metadata, tensor infos, padding. */
static void r1__gguf_writer_header(const r1_gguf_writer *w, r1__buf *hdr_out) {
    r1__buf hdr;
    int i;
    memset(&hdr, 0, sizeof hdr);
    r1__buf_put(&hdr, "GGUF", 4);
    r1__buf_u32(&hdr, 3);
    r1__buf_u64(&hdr, (uint64_t)w->n_tensors);
    r1__buf_u64(&hdr, w->meta.n_kv);
    r1__buf_put(&hdr, w->meta.kv.data, w->meta.kv.len);
    for (i = 0; i < w->n_tensors; i++) {
        const r1__gguf_tensor_info *t = &w->tensors[i];
        int d;
        r1__buf_str(&hdr, t->name, strlen(t->name));
        r1__buf_u32(&hdr, (uint32_t)t->n_dims);
        for (d = 0; d < t->n_dims; d++) r1__buf_u64(&hdr, (uint64_t)t->ne[d]);
        r1__buf_u32(&hdr, (uint32_t)t->type);
        r1__buf_u64(&hdr, t->offset);
    }
    if (w->n_tensors > 0) r1__buf_put(&hdr, r1__zeros32, (32 - hdr.len % 32) % 32);
    *hdr_out = hdr;
}

R1_API r1_status r1_gguf_writer_begin(r1_gguf_writer *w, const char *path, r1_error *err) {
    r1__buf hdr;
    if (!w || !path || w->f || w->final_path) return r1__fail(err, R1_ERR_ARGUMENT, "r1_gguf_writer_begin: bad arguments (or called twice)");
    r1__gguf_writer_header(w, &hdr);
    w->final_path = r1__strdup_cat(path, "");
    w->part_path = r1__strdup_cat(path, ".part");
    if (hdr.oom || w->meta.kv.oom || !w->final_path || !w->part_path) {
        R1_FREE(hdr.data);
        return r1__fail(err, R1_ERR_MEMORY, "gguf writer: out of memory building the header");
    }
    w->f = r1__fopen(w->part_path, "wb");
    if (!w->f) { R1_FREE(hdr.data); return r1__fail(err, R1_ERR_IO, "cannot create '%s'", w->part_path); }
    if (fwrite(hdr.data, 1, hdr.len, w->f) != hdr.len) w->failed = 1;
    R1_FREE(hdr.data);
    w->current = 0;
    w->written = 0;
    if (w->failed) { r1__gguf_writer_abandon(w); return r1__fail(err, R1_ERR_IO, "cannot write '%s'", w->part_path); }
    return R1_OK;
}

R1_API r1_status r1_gguf_writer_write(r1_gguf_writer *w, const void *data, size_t bytes, r1_error *err) {
    const uint8_t *p = (const uint8_t *)data;
    if (!w || !w->f || (!data && bytes)) return r1__fail(err, R1_ERR_ARGUMENT, "r1_gguf_writer_write: no file begun");
    while (bytes > 0) {
        const r1__gguf_tensor_info *t;
        uint64_t room;
        size_t n;
        if (w->current >= w->n_tensors) return r1__fail(err, R1_ERR_ARGUMENT, "gguf writer: more bytes than the tensors hold");
        t = &w->tensors[w->current];
        room = t->nbytes - w->written;
        n = bytes < room ? bytes : (size_t)room;
        if (fwrite(p, 1, n, w->f) != n) w->failed = 1;
        p += n;
        bytes -= n;
        w->written += n;
        if (w->written == t->nbytes) { /* the tensor is complete: pad to the next one */
            size_t pad = (size_t)((32 - t->nbytes % 32) % 32);
            if (fwrite(r1__zeros32, 1, pad, w->f) != pad) w->failed = 1;
            w->current++;
            w->written = 0;
        }
        if (w->failed) return r1__fail(err, R1_ERR_IO, "cannot write '%s'", w->part_path);
    }
    return R1_OK;
}

R1_API r1_status r1_gguf_writer_finish(r1_gguf_writer *w, r1_error *err) {
    int closed;
    if (!w || !w->f) return r1__fail(err, R1_ERR_ARGUMENT, "r1_gguf_writer_finish: no file begun");
    if (w->current < w->n_tensors || w->failed) {
        r1__gguf_writer_abandon(w);
        return w->failed ? r1__fail(err, R1_ERR_IO, "cannot write '%s'", w->final_path)
                         : r1__fail(err, R1_ERR_ARGUMENT, "gguf writer: tensor '%s' is incomplete", w->tensors[w->current].name);
    }
    closed = fclose(w->f) == 0;
    w->f = NULL;
    if (!closed) { r1__remove(w->part_path); return r1__fail(err, R1_ERR_IO, "cannot write '%s'", w->final_path); }
    if (r1__rename(w->part_path, w->final_path) != 0) {
        r1__remove(w->part_path);
        return r1__fail(err, R1_ERR_IO, "cannot rename '%s' to '%s'", w->part_path, w->final_path);
    }
    return R1_OK;
}

/* ======================================================================================
   4. HF -> GGUF MAPPING
   ====================================================================================== */

/* One architecture as a converter sees it. */
typedef struct r1__hf_arch {
    const char *model_type;   /* config.json model_type */
    const char *gguf_arch;    /* general.architecture */
    int permute_qk;           /* reorder q/k rows from HF's half-split rope to GGML's pairs (llama) */
    int write_head_dims;      /* write rope.dimension_count and vocab_size as llama.cpp does (llama) */
    int mla;                  /* DeepSeek latent attention: kv_b_proj becomes attn_k_b + attn_v_b */
    int moe;                  /* per-expert HF tensors merge into 3-D ffn_*_exps */
    int window_key;           /* always write attention.sliding_window, 0 for none: llama.cpp's
                                 phi3 loader refuses a file without the key (Phi-4 has no window) */
} r1__hf_arch;

/* "<prefix><layer>.<suffix>" with layer in [0, n_layer) -> suffix and layer, or NULL for any
   other name ("model.layers.0" with nothing after it included) */
static const char *r1__layer_suffix(const char *name, const char *prefix, int64_t n_layer, int *layer) {
    size_t pl = strlen(prefix);
    const char *p = name + pl;
    int64_t v = 0;
    if (strncmp(name, prefix, pl) != 0 || *p < '0' || *p > '9') return NULL;
    while (*p >= '0' && *p <= '9' && v < n_layer) v = v * 10 + (*p++ - '0');
    if (v >= n_layer || *p != '.' || !p[1]) return NULL;
    *layer = (int)v;
    return p + 1;
}

static const r1__hf_arch r1__hf_archs[] = {
    /* model_type     general.architecture permute_qk head_dims mla moe window_key */
    { "qwen2",        "qwen2",             0,         0,        0,  0,  0 },
    { "llama",        "llama",             1,         1,        0,  0,  0 },
    { "qwen3",        "qwen3",             0,         0,        0,  0,  0 },
    { "qwen3_moe",    "qwen3moe",          0,         0,        0,  1,  0 },
    { "deepseek_v2",  "deepseek2",         0,         1,        1,  1,  0 },
    { "deepseek_v3",  "deepseek2",         0,         1,        1,  1,  0 },
    { "phi3",         "phi3",              0,         1,        0,  0,  1 },
};

/* HF tensor name suffix -> GGUF suffix, for `model.layers.N.<suffix>` */
static const char *const r1__hf_layer_names[][2] = {
    { "input_layernorm.weight", "attn_norm.weight" },
    { "self_attn.q_proj.weight", "attn_q.weight" },
    { "self_attn.k_proj.weight", "attn_k.weight" },
    { "self_attn.v_proj.weight", "attn_v.weight" },
    { "self_attn.o_proj.weight", "attn_output.weight" },
    { "self_attn.q_proj.bias", "attn_q.bias" },
    { "self_attn.k_proj.bias", "attn_k.bias" },
    { "self_attn.v_proj.bias", "attn_v.bias" },
    { "self_attn.o_proj.bias", "attn_output.bias" },
    { "self_attn.q_norm.weight", "attn_q_norm.weight" },
    { "self_attn.k_norm.weight", "attn_k_norm.weight" },
    { "post_attention_layernorm.weight", "ffn_norm.weight" },
    { "mlp.gate_proj.weight", "ffn_gate.weight" },
    { "mlp.up_proj.weight", "ffn_up.weight" },
    { "mlp.down_proj.weight", "ffn_down.weight" },
    { "self_attn.q_a_proj.weight", "attn_q_a.weight" },
    { "self_attn.q_a_layernorm.weight", "attn_q_a_norm.weight" },
    { "self_attn.q_b_proj.weight", "attn_q_b.weight" },
    { "self_attn.kv_a_proj_with_mqa.weight", "attn_kv_a_mqa.weight" },
    { "self_attn.kv_a_layernorm.weight", "attn_kv_a_norm.weight" },
    { "mlp.gate.weight", "ffn_gate_inp.weight" },
    { "mlp.gate.e_score_correction_bias", "exp_probs_b.bias" },
    { "mlp.shared_experts.gate_proj.weight", "ffn_gate_shexp.weight" },
    { "mlp.shared_experts.up_proj.weight", "ffn_up_shexp.weight" },
    { "mlp.shared_experts.down_proj.weight", "ffn_down_shexp.weight" },
    { "self_attn.kv_b_proj.weight", "attn_kv_b.weight" }, /* only with legacy_mla */
    { "self_attn.qkv_proj.weight", "attn_qkv.weight" },   /* Phi-3: q, k and v rows in one matrix */
    { "mlp.gate_up_proj.weight", "ffn_up.weight" },       /* Phi-3: gate rows, then up rows */
};

/* How an output tensor's rows are made from its HF source(s). */
enum {
    R1__ROWS_PLAIN,           /* row r of the source (permuted for llama q/k) */
    R1__ROWS_K_B,             /* MLA: the k part of kv_b_proj, transposed per head */
    R1__ROWS_V_B,             /* MLA: the v part of kv_b_proj, per head */
    R1__ROWS_EXPERTS          /* expert r / ne[1], its row r % ne[1] */
};

/* One tensor of the output file and where its rows come from. */
typedef struct r1__out_tensor {
    char name[96];
    int type;                 /* R1_TYPE_* written */
    int n_dims;
    int64_t ne[4];            /* GGUF order: ne[0] = row length */
    const r1__st_tensor *src; /* NULL for generated tensors */
    const float *gen;         /* generated data (rope factors), owned by the conversion */
    int permute_heads;        /* > 0: llama q/k row permutation with this many heads */
    int rows;                 /* R1__ROWS_* */
    const r1__st_tensor **experts; /* [ne[2]] sources of a merged expert tensor (owned) */
    int64_t nope, v;          /* MLA: per-head sizes of kv_b_proj's k and v parts */
} r1__out_tensor;

typedef struct r1__conv {
    const r1__hf_arch *arch;
    r1_json *config, *tok, *tok_cfg, *gen_cfg;
    char *chat_template;      /* owned copy when read from chat_template.jinja */
    r1__st_set st;
    r1__out_tensor *out;
    int n_out;
    float *rope_factors;
    int64_t n_embd, n_layer, n_head, n_head_kv, n_ff, head_dim, n_vocab_rows;
    int64_t n_expert;         /* routed experts (MoE) */
    int64_t kv_lora, nope, rope, v_dim; /* MLA */
    int legacy_mla;           /* see r1_convert_params */
} r1__conv;

static int r1__cfg_int(const r1__conv *c, const char *key, int64_t *out) {
    return r1__json_int(r1_json_get(c->config, key), out);
}

static void r1__conv_free(r1__conv *c) {
    r1_json_free(c->config);
    r1_json_free(c->tok);
    r1_json_free(c->tok_cfg);
    r1_json_free(c->gen_cfg);
    R1_FREE(c->chat_template);
    r1__st_free(&c->st);
    while (c->out && c->n_out > 0) R1_FREE((void *)c->out[--c->n_out].experts);
    R1_FREE(c->out);
    R1_FREE(c->rope_factors);
}

static r1__out_tensor *r1__conv_add(r1__conv *c, const char *name, r1_error *err) {
    r1__out_tensor *t, *no = (r1__out_tensor *)R1_REALLOC(c->out, (size_t)(c->n_out + 1) * sizeof *no);
    if (!no) { r1__fail(err, R1_ERR_MEMORY, "out of memory"); return NULL; }
    c->out = no;
    t = &c->out[c->n_out++];
    memset(t, 0, sizeof *t);
    t->ne[0] = t->ne[1] = t->ne[2] = t->ne[3] = 1;
    snprintf(t->name, sizeof t->name, "%s", name);
    return t;
}

/* What a matrix whose rows do not split into the type's blocks is stored as: llama-quantize's
   fallbacks for the k-quants (q4_k -> q5_0, q5_k -> q5_1, q6_k -> q8_0), else f16. */
static int r1__fitting_type(int type, int64_t ne0) {
    if (ne0 % r1_type_block_size(type) == 0) return type;
    switch (type) {
    case R1_TYPE_Q4_K: type = R1_TYPE_Q5_0; break;
    case R1_TYPE_Q5_K: type = R1_TYPE_Q5_1; break;
    case R1_TYPE_Q6_K: type = R1_TYPE_Q8_0; break;
    default: return R1_TYPE_F16;
    }
    return ne0 % r1_type_block_size(type) == 0 ? type : R1_TYPE_F16;
}

/* The type a tensor is stored as: vectors and the expert router stay f32 (as llama.cpp writes
   them); matrices get the requested type, or its fallback when their rows do not split. */
static int r1__pick_type(int requested, int n_dims, int64_t ne0, const char *name) {
    if (n_dims < 2 || strstr(name, "ffn_gate_inp")) return R1_TYPE_F32;
    return r1__fitting_type(requested, ne0);
}

/* llama-quantize's "use more bits" layers: the first and last eighth, and every third between. */
static int r1__more_bits(int layer, int n_layer) {
    return layer < n_layer / 8 || layer >= 7 * n_layer / 8 || (layer - n_layer / 8) % 3 == 2;
}

/* The _M mixes on top of the base type: q6_k for output.weight (the token embedding when the
   output is tied to it), and for attn_v and ffn_down in the "more bits" layers. */
static void r1__apply_k_mix(r1__conv *c) {
    int i, has_output = 0, layer;
    for (i = 0; i < c->n_out; i++) has_output |= strcmp(c->out[i].name, "output.weight") == 0;
    for (i = 0; i < c->n_out; i++) {
        r1__out_tensor *t = &c->out[i];
        int upgrade = 0;
        const char *rest;
        if (t->n_dims < 2 || t->type == R1_TYPE_F32) continue;
        if (strcmp(t->name, "output.weight") == 0 || (!has_output && strcmp(t->name, "token_embd.weight") == 0)) upgrade = 1;
        else if ((rest = r1__layer_suffix(t->name, "blk.", c->n_layer, &layer)) != NULL)
            upgrade = (strncmp(rest, "attn_v.", 7) == 0 || strncmp(rest, "ffn_down", 8) == 0) && r1__more_bits(layer, (int)c->n_layer);
        if (upgrade) t->type = r1__fitting_type(R1_TYPE_Q6_K, t->ne[0]);
    }
}

/* llama3 rope scaling as llama.cpp stores it: one divisor per rotary frequency. */
static r1_status r1__llama3_factors(r1__conv *c, const r1_json *rs, r1_error *err) {
    double factor = 8, lo = 1, hi = 4, theta = 10000;
    int64_t old_ctx = 8192, i, half = c->head_dim / 2;
    r1__json_num(r1_json_get(rs, "factor"), &factor);
    r1__json_num(r1_json_get(rs, "low_freq_factor"), &lo);
    r1__json_num(r1_json_get(rs, "high_freq_factor"), &hi);
    r1__json_int(r1_json_get(rs, "original_max_position_embeddings"), &old_ctx);
    r1__json_num(r1_json_get(c->config, "rope_theta"), &theta);
    if (!(factor > 0) || !(hi > lo) || old_ctx <= 0) return r1__fail(err, R1_ERR_FORMAT, "config.json: bad llama3 rope_scaling");
    c->rope_factors = (float *)r1__calloc((size_t)half, sizeof(float));
    if (!c->rope_factors) return r1__fail(err, R1_ERR_MEMORY, "out of memory");
    /* float32 throughout, as llama.cpp's converter computes them (torch float32 tensors) */
    for (i = 0; i < half; i++) {
        float freq = 1.0f / powf((float)theta, (float)(2 * i) / (float)c->head_dim);
        float wavelen = (float)(2 * 3.14159265358979323846) / freq;
        if (wavelen < (float)((double)old_ctx / hi)) c->rope_factors[i] = 1.0f;
        else if (wavelen > (float)((double)old_ctx / lo)) c->rope_factors[i] = (float)factor;
        else {
            float smooth = ((float)old_ctx / wavelen - (float)lo) / (float)(hi - lo);
            c->rope_factors[i] = 1.0f / ((1.0f - smooth) / (float)factor + smooth);
        }
    }
    return R1_OK;
}

static r1_status r1__plan_tensors(r1__conv *c, int type, r1_error *err) {
    int i;
    size_t k;
    char name[96];
    const r1_json *rs = r1_json_get(c->config, "rope_scaling");
    r1__out_tensor *t;

    if (rs && rs->type == R1_JSON_OBJECT) {
        const char *rt = r1__json_str(r1_json_get(rs, "rope_type"));
        if (!rt) rt = r1__json_str(r1_json_get(rs, "type"));
        if (rt && strcmp(rt, "llama3") == 0) {
            R1__TRY(r1__llama3_factors(c, rs, err));
            if (!(t = r1__conv_add(c, "rope_freqs.weight", err))) return R1_ERR_MEMORY;
            t->type = R1_TYPE_F32;
            t->n_dims = 1;
            t->ne[0] = c->head_dim / 2;
            t->gen = c->rope_factors;
        } else if (rt && strcmp(rt, "yarn") == 0 && c->arch->mla) {
            /* written as rope.scaling.* keys by r1__write_hparams */
        } else if (rt && strcmp(rt, "default") != 0) {
            return r1__fail(err, R1_ERR_UNSUPPORTED, "config.json: rope_scaling type '%s' is not supported for %s", rt,
                            c->arch->model_type);
        }
    }

    for (i = 0; i < c->st.n_tensors; i++) {
        r1__st_tensor *s = &c->st.tensors[i];
        const char *n = s->name, *gg = NULL, *suffix = NULL;
        int layer = -1, permute = 0, d, expert;
        char proj[16];
        if (s->used) continue; /* an expert already merged */
        if (strstr(n, "rotary_emb.inv_freq")) { s->used = 1; continue; }
        if (s->n_dims < 1 || s->n_dims > 2) return r1__fail(err, R1_ERR_FORMAT, "tensor '%.64s' has %d dimensions", n, s->n_dims);
        if (strcmp(n, "model.embed_tokens.weight") == 0) gg = "token_embd.weight";
        else if (strcmp(n, "model.norm.weight") == 0) gg = "output_norm.weight";
        else if (strcmp(n, "lm_head.weight") == 0) gg = "output.weight";
        else if ((suffix = r1__layer_suffix(n, "model.layers.", c->n_layer, &layer)) != NULL) {
            for (k = 0; k < sizeof r1__hf_layer_names / sizeof r1__hf_layer_names[0]; k++)
                if (strcmp(suffix, r1__hf_layer_names[k][0]) == 0) {
                    snprintf(name, sizeof name, "blk.%d.%s", layer, r1__hf_layer_names[k][1]);
                    gg = name;
                    if (c->arch->permute_qk && strncmp(suffix, "self_attn.q_proj.", 17) == 0) permute = (int)c->n_head;
                    if (c->arch->permute_qk && strncmp(suffix, "self_attn.k_proj.", 17) == 0) permute = (int)c->n_head_kv;
                }
        }
        if (suffix && c->arch->moe && sscanf(suffix, "mlp.experts.%d.%15[a-z]_proj.weight", &expert, proj) == 2 && s->n_dims == 2) {
            /* per-expert tensors -> one [in, out, n_expert] tensor, rows streamed expert by expert */
            int e;
            char src_name[256];
            snprintf(name, sizeof name, "blk.%d.ffn_%s_exps.weight", layer, proj);
            if (!(t = r1__conv_add(c, name, err))) return R1_ERR_MEMORY;
            t->experts = (const r1__st_tensor **)r1__calloc((size_t)c->n_expert, sizeof *t->experts);
            if (!t->experts) return r1__fail(err, R1_ERR_MEMORY, "out of memory");
            for (e = 0; e < c->n_expert; e++) {
                r1__st_tensor *src = NULL;
                int j;
                snprintf(src_name, sizeof src_name, "model.layers.%d.mlp.experts.%d.%s_proj.weight", layer, e, proj);
                for (j = 0; j < c->st.n_tensors; j++)
                    if (strcmp(c->st.tensors[j].name, src_name) == 0) src = &c->st.tensors[j];
                if (!src || src->n_dims != 2 || src->shape[0] != s->shape[0] || src->shape[1] != s->shape[1] || src->dtype != s->dtype)
                    return r1__fail(err, R1_ERR_FORMAT, "expert tensor '%.80s' is missing or differs from expert %d", src_name, expert);
                src->used = 1;
                t->experts[e] = src;
            }
            t->rows = R1__ROWS_EXPERTS;
            t->n_dims = 3;
            t->ne[0] = s->shape[1];
            t->ne[1] = s->shape[0];
            t->ne[2] = c->n_expert;
            t->type = r1__pick_type(type, 3, t->ne[0], t->name);
            continue;
        }
        if (suffix && c->arch->mla && !c->legacy_mla && strcmp(suffix, "self_attn.kv_b_proj.weight") == 0) {
            /* kv_b_proj [n_head*(nope+v), kv_lora] -> attn_k_b [nope, kv_lora, n_head] (transposed
               per head, to be absorbed into the query) and attn_v_b [kv_lora, v, n_head] */
            int part;
            if (s->n_dims != 2 || s->shape[0] != c->n_head * (c->nope + c->v_dim) || s->shape[1] != c->kv_lora)
                return r1__fail(err, R1_ERR_FORMAT, "tensor '%.64s' does not match kv_lora_rank, heads and head sizes", n);
            s->used = 1;
            for (part = 0; part < 2; part++) {
                snprintf(name, sizeof name, "blk.%d.%s", layer, part == 0 ? "attn_k_b.weight" : "attn_v_b.weight");
                if (!(t = r1__conv_add(c, name, err))) return R1_ERR_MEMORY;
                t->src = s;
                t->rows = part == 0 ? R1__ROWS_K_B : R1__ROWS_V_B;
                t->nope = c->nope;
                t->v = c->v_dim;
                t->n_dims = 3;
                t->ne[0] = part == 0 ? c->nope : c->kv_lora;
                t->ne[1] = part == 0 ? c->kv_lora : c->v_dim;
                t->ne[2] = c->n_head;
                t->type = r1__pick_type(type, 3, t->ne[0], t->name);
            }
            continue;
        }
        if (!gg) return r1__fail(err, R1_ERR_UNSUPPORTED, "no GGUF name for tensor '%.64s' of a %s model", n, c->arch->model_type);
        if (!(t = r1__conv_add(c, gg, err))) return R1_ERR_MEMORY;
        s->used = 1;
        t->src = s;
        t->n_dims = s->n_dims;
        for (d = 0; d < s->n_dims; d++) t->ne[d] = s->shape[s->n_dims - 1 - d];
        t->type = r1__pick_type(type, t->n_dims, t->ne[0], t->name);
        if (permute) {
            int64_t rows = s->shape[0];
            if (rows % (2 * permute) != 0) return r1__fail(err, R1_ERR_FORMAT, "tensor '%.64s': %lld rows do not split into %d heads", n, (long long)rows, permute);
            t->permute_heads = permute;
        }
        if (strcmp(gg, "token_embd.weight") == 0) c->n_vocab_rows = t->ne[1];
    }
    return R1_OK;
}

/* llama.cpp marks added tokens that look like control tokens as CONTROL even when HF does not. */
static int r1__looks_special(const char *s) {
    size_t n = strlen(s);
    if ((n >= 4 && memcmp(s, "<|", 2) == 0 && memcmp(s + n - 2, "|>", 2) == 0)) return 1;
    if (n >= 8 && memcmp(s, "<\xef\xbd\x9c", 4) == 0 && memcmp(s + n - 4, "\xef\xbd\x9c>", 4) == 0) return 1; /* <｜ ... ｜> */
    return strcmp(s, "<pad>") == 0 || strcmp(s, "<mask>") == 0;
}

/* The name llama.cpp gives the pre-tokenizer, recognised by its split regexes. */
static const char *r1__pretokenizer_name(const r1_json *tok, const char *bos) {
    const r1_json *pre = r1_json_get(tok, "pre_tokenizer"), *list = r1_json_get(pre, "pretokenizers");
    size_t i, n_split = 0;
    int has_digits3 = 0, has_digit1 = 0, has_cjk = 0;
    if (!list || list->type != R1_JSON_ARRAY) return "default";
    for (i = 0; i < list->n; i++) {
        const char *rx = r1__json_str(r1_json_get(r1_json_get(&list->items[i], "pattern"), "Regex"));
        if (!rx) continue;
        n_split++;
        if (strstr(rx, "\\p{N}{1,3}")) has_digits3 = 1;
        else if (strstr(rx, "\\p{N}|")) has_digit1 = 1;
        if (strstr(rx, "\xe4\xb8\x80-")) has_cjk = 1; /* starts at U+4E00 */
    }
    if (n_split >= 3 && has_digits3 && has_cjk) return "deepseek-v3";
    if (n_split == 1 && has_digits3) return "llama-bpe";
    if (n_split == 1 && has_digit1)
        return bos && strcmp(bos, "<\xef\xbd\x9c" "begin\xe2\x96\x81of\xe2\x96\x81sentence\xef\xbd\x9c>") == 0 ? "deepseek-r1-qwen" : "qwen2";
    return "default";
}

/* A token given in tokenizer_config.json as "text" or {"content": "text"}. */
static const char *r1__cfg_token(const r1_json *cfg, const char *key) {
    const r1_json *v = r1_json_get(cfg, key);
    if (v && v->type == R1_JSON_OBJECT) v = r1_json_get(v, "content");
    return r1__json_str(v);
}

static r1_status r1__write_tokenizer(r1__conv *c, r1__gguf_writer *w, r1_error *err) {
    const r1_json *model = r1_json_get(c->tok, "model"), *vocab = r1_json_get(model, "vocab"),
                  *merges = r1_json_get(model, "merges"), *added = r1_json_get(c->tok, "added_tokens");
    const char **texts = NULL;
    int *types = NULL;
    int64_t n = 0, i, id = 0;
    size_t k;
    const char *type = r1__json_str(r1_json_get(model, "type"));
    const char *bos = r1__cfg_token(c->tok_cfg, "bos_token"), *eos = r1__cfg_token(c->tok_cfg, "eos_token");
    const char *pad = r1__cfg_token(c->tok_cfg, "pad_token"), *unk = r1__cfg_token(c->tok_cfg, "unk_token");
    const char *special_names[4] = { "bos", "eos", "padding", "unknown" };
    const char *special_text[4];
    char key[64], padname[32];
    r1_status st = R1_OK;

    if (!type || strcmp(type, "BPE") != 0 || !vocab || vocab->type != R1_JSON_OBJECT)
        return r1__fail(err, R1_ERR_UNSUPPORTED, "tokenizer.json: only byte-level BPE tokenizers are supported");
    for (k = 0; k < vocab->n; k++)
        if (!r1__json_int(&vocab->items[k], &id) || id < 0 || id > (1 << 24))
            return r1__fail(err, R1_ERR_FORMAT, "tokenizer.json: bad id for token '%.32s'", vocab->items[k].key);
        else if (id + 1 > n) n = id + 1;
    if (added && added->type == R1_JSON_ARRAY)
        for (k = 0; k < added->n; k++) {
            if (!r1__json_int(r1_json_get(&added->items[k], "id"), &id) || id < 0 || id > (1 << 24) ||
                !r1__json_str(r1_json_get(&added->items[k], "content")))
                return r1__fail(err, R1_ERR_FORMAT, "tokenizer.json: bad added token #%d", (int)k);
            if (id + 1 > n) n = id + 1;
        }
    if (c->n_vocab_rows > n) n = c->n_vocab_rows; /* pad to the embedding rows */
    {
        int64_t cfg_vocab;
        if (c->config && r1__cfg_int(c, "vocab_size", &cfg_vocab) && cfg_vocab > n && cfg_vocab <= (1 << 24)) n = cfg_vocab;
    }
    texts = (const char **)r1__calloc((size_t)n, sizeof *texts);
    types = (int *)r1__calloc((size_t)n, sizeof *types);
    if (!texts || !types) { st = r1__fail(err, R1_ERR_MEMORY, "out of memory"); goto done; }
    for (k = 0; k < vocab->n; k++) {
        r1__json_int(&vocab->items[k], &id);
        texts[id] = vocab->items[k].key;
        types[id] = 1; /* NORMAL */
    }
    /* added tokens: CONTROL (3) when special or special-looking, else USER_DEFINED (4) */
    if (added && added->type == R1_JSON_ARRAY)
        for (k = 0; k < added->n; k++) {
            const r1_json *a = &added->items[k], *sp = r1_json_get(a, "special");
            r1__json_int(r1_json_get(a, "id"), &id);
            texts[id] = r1_json_get(a, "content")->str;
            types[id] = (sp && sp->type == R1_JSON_BOOL && sp->boolean) || r1__looks_special(texts[id]) ? 3 : 4;
        }

    r1__w_str(w, "tokenizer.ggml.model", "gpt2", 4);
    {
        const char *pre = r1__pretokenizer_name(c->tok, bos);
        r1__w_str(w, "tokenizer.ggml.pre", pre, strlen(pre));
    }
    r1__w_arr_begin(w, "tokenizer.ggml.tokens", R1__GGUF_STRING, (uint64_t)n);
    for (i = 0; i < n; i++) {
        if (!texts[i]) { /* a hole: llama.cpp fills it with an unused pad token */
            snprintf(padname, sizeof padname, "[PAD%lld]", (long long)i);
            r1__buf_str(&w->kv, padname, strlen(padname));
            types[i] = 5; /* UNUSED */
        } else if (types[i] == 4 && strstr(texts[i], "\xe2\x96\x81")) {
            /* user-defined tokens are stored pre-normalized: U+2581 becomes a space */
            const char *p = texts[i];
            size_t len = 0;
            char *tmp = (char *)R1_MALLOC(strlen(p) + 1);
            if (!tmp) { st = r1__fail(err, R1_ERR_MEMORY, "out of memory"); goto done; }
            while (*p) {
                if (memcmp(p, "\xe2\x96\x81", 3) == 0) { tmp[len++] = ' '; p += 3; }
                else tmp[len++] = *p++;
            }
            r1__buf_str(&w->kv, tmp, len);
            R1_FREE(tmp);
        } else {
            r1__buf_str(&w->kv, texts[i], strlen(texts[i]));
        }
    }
    r1__w_arr_begin(w, "tokenizer.ggml.token_type", R1__GGUF_I32, (uint64_t)n);
    for (i = 0; i < n; i++) r1__buf_u32(&w->kv, (uint32_t)types[i]);
    if (merges && merges->type == R1_JSON_ARRAY) {
        r1__w_arr_begin(w, "tokenizer.ggml.merges", R1__GGUF_STRING, merges->n);
        for (k = 0; k < merges->n; k++) {
            const r1_json *mg = &merges->items[k];
            if (mg->type == R1_JSON_STRING) r1__buf_str(&w->kv, mg->str, mg->len);
            else if (mg->type == R1_JSON_ARRAY && mg->n == 2 && mg->items[0].type == R1_JSON_STRING &&
                     mg->items[1].type == R1_JSON_STRING) {
                r1__buf_u64(&w->kv, mg->items[0].len + 1 + mg->items[1].len);
                r1__buf_put(&w->kv, mg->items[0].str, mg->items[0].len);
                r1__buf_put(&w->kv, " ", 1);
                r1__buf_put(&w->kv, mg->items[1].str, mg->items[1].len);
            } else {
                st = r1__fail(err, R1_ERR_FORMAT, "tokenizer.json: merge #%d is neither \"a b\" nor [\"a\", \"b\"]", (int)k);
                goto done;
            }
        }
    }
    /* special token ids: by their text in tokenizer_config.json, else config.json's ids */
    special_text[0] = bos; special_text[1] = eos; special_text[2] = pad; special_text[3] = unk;
    for (k = 0; k < 4; k++) {
        int64_t found = -1;
        if (special_text[k])
            for (i = n - 1; i >= 0; i--)
                if (texts[i] && strcmp(texts[i], special_text[k]) == 0) { found = i; break; }
        if (found < 0 && k < 2 && c->config) {
            const r1_json *v = r1_json_get(c->config, k == 0 ? "bos_token_id" : "eos_token_id");
            if (v && v->type == R1_JSON_ARRAY && v->n > 0) v = &v->items[0];
            if (!r1__json_int(v, &found) || found >= n) found = -1;
        }
        if (found >= 0) {
            snprintf(key, sizeof key, "tokenizer.ggml.%s_token_id", special_names[k]);
            r1__w_u32(w, key, (uint32_t)found);
        }
    }
    {
        const r1_json *ab = r1_json_get(c->tok_cfg, "add_bos_token"), *ae = r1_json_get(c->tok_cfg, "add_eos_token");
        if (ab && ab->type == R1_JSON_BOOL) r1__w_bool(w, "tokenizer.ggml.add_bos_token", ab->boolean);
        if (ae && ae->type == R1_JSON_BOOL) r1__w_bool(w, "tokenizer.ggml.add_eos_token", ae->boolean);
    }
    {   /* chat template: inline string, a list of named templates, or chat_template.jinja */
        const char *tpl = c->chat_template;
        const r1_json *ct = r1_json_get(c->tok_cfg, "chat_template");
        if (!tpl && ct && ct->type == R1_JSON_STRING) tpl = ct->str;
        if (!tpl && ct && ct->type == R1_JSON_ARRAY)
            for (k = 0; k < ct->n; k++)
                if (r1__json_str(r1_json_get(&ct->items[k], "name")) &&
                    strcmp(r1_json_get(&ct->items[k], "name")->str, "default") == 0)
                    tpl = r1__json_str(r1_json_get(&ct->items[k], "template"));
        if (tpl) r1__w_str(w, "tokenizer.chat_template", tpl, strlen(tpl));
    }
done:
    R1_FREE(texts);
    R1_FREE(types);
    return st;
}

static r1_status r1__write_hparams(r1__conv *c, r1__gguf_writer *w, r1_error *err) {
    const char *a = c->arch->gguf_arch;
    char key[128];
    int64_t ctx = 4096, iv;
    double eps = 1e-6, theta = 10000, dv;
    const r1_json *cfg = c->config, *rs = r1_json_get(cfg, "rope_scaling");
#define R1__KEY(suffix) (snprintf(key, sizeof key, "%s.%s", a, suffix), key)
    r1__cfg_int(c, "max_position_embeddings", &ctx);
    r1__json_num(r1_json_get(cfg, "rms_norm_eps"), &eps);
    r1__json_num(r1_json_get(cfg, "rope_theta"), &theta);
    r1__w_u32(w, R1__KEY("block_count"), (uint32_t)c->n_layer);
    r1__w_u32(w, R1__KEY("context_length"), (uint32_t)ctx);
    r1__w_u32(w, R1__KEY("embedding_length"), (uint32_t)c->n_embd);
    r1__w_u32(w, R1__KEY("feed_forward_length"), (uint32_t)c->n_ff);
    r1__w_u32(w, R1__KEY("attention.head_count"), (uint32_t)c->n_head);
    r1__w_u32(w, R1__KEY("attention.head_count_kv"), c->arch->mla && !c->legacy_mla ? 1u : (uint32_t)c->n_head_kv);
    r1__w_f32(w, R1__KEY("rope.freq_base"), (float)theta);
    r1__w_f32(w, R1__KEY("attention.layer_norm_rms_epsilon"), (float)eps);
    if (c->arch->mla && c->legacy_mla) {
        r1__w_u32(w, R1__KEY("attention.key_length"), (uint32_t)(c->nope + c->rope));
        r1__w_u32(w, R1__KEY("attention.value_length"), (uint32_t)c->v_dim);
        r1__w_u32(w, R1__KEY("attention.kv_lora_rank"), (uint32_t)c->kv_lora);
        if (r1__cfg_int(c, "q_lora_rank", &iv) && iv > 0) r1__w_u32(w, R1__KEY("attention.q_lora_rank"), (uint32_t)iv);
    } else if (c->arch->mla) {
        /* llama.cpp's layout: one shared "KV head" holding the latent and the rope key */
        r1__w_u32(w, R1__KEY("attention.key_length"), (uint32_t)(c->kv_lora + c->rope));
        r1__w_u32(w, R1__KEY("attention.value_length"), (uint32_t)c->kv_lora);
        r1__w_u32(w, R1__KEY("attention.key_length_mla"), (uint32_t)(c->nope + c->rope));
        r1__w_u32(w, R1__KEY("attention.value_length_mla"), (uint32_t)c->v_dim);
        r1__w_u32(w, R1__KEY("attention.kv_lora_rank"), (uint32_t)c->kv_lora);
        if (r1__cfg_int(c, "q_lora_rank", &iv) && iv > 0) r1__w_u32(w, R1__KEY("attention.q_lora_rank"), (uint32_t)iv);
    } else {
        r1__w_u32(w, R1__KEY("attention.key_length"), (uint32_t)c->head_dim);
        r1__w_u32(w, R1__KEY("attention.value_length"), (uint32_t)c->head_dim);
    }
    {   /* rotated dimensions per head: all of them unless partial_rotary_factor says less (Phi-4-mini) */
        double part = 1.0;
        int64_t n_rot = c->arch->mla ? c->rope : c->head_dim;
        if (!c->arch->mla && r1__json_num(r1_json_get(cfg, "partial_rotary_factor"), &part) && part > 0.0 && part < 1.0)
            n_rot = (int64_t)(part * (double)c->head_dim) / 2 * 2;
        if (c->arch->write_head_dims) r1__w_u32(w, R1__KEY("vocab_size"), (uint32_t)c->n_vocab_rows);
        if (c->arch->write_head_dims || n_rot != c->head_dim) r1__w_u32(w, R1__KEY("rope.dimension_count"), (uint32_t)n_rot);
    }
    {   /* a sliding window in use (Phi-3-mini's 2047; Qwen2 names one with use_sliding_window false) */
        const r1_json *use = r1_json_get(cfg, "use_sliding_window");
        int64_t window = 0;
        if (r1__cfg_int(c, "sliding_window", &iv) && iv > 0 && !(use && use->type == R1_JSON_BOOL && !use->boolean)) window = iv;
        if (window > 0 || c->arch->window_key) r1__w_u32(w, R1__KEY("attention.sliding_window"), (uint32_t)window);
    }
    if (c->arch->moe) {
        const char *scoring = r1__json_str(r1_json_get(cfg, "scoring_func"));
        const r1_json *norm = r1_json_get(cfg, "norm_topk_prob");
        r1__w_u32(w, R1__KEY("expert_count"), (uint32_t)c->n_expert);
        if (r1__cfg_int(c, "num_experts_per_tok", &iv)) r1__w_u32(w, R1__KEY("expert_used_count"), (uint32_t)iv);
        if (r1__cfg_int(c, "moe_intermediate_size", &iv)) r1__w_u32(w, R1__KEY("expert_feed_forward_length"), (uint32_t)iv);
        if (c->arch->mla) {
            r1__w_u32(w, R1__KEY("expert_shared_count"), r1__cfg_int(c, "n_shared_experts", &iv) ? (uint32_t)iv : 0u);
            r1__w_u32(w, R1__KEY("leading_dense_block_count"), r1__cfg_int(c, "first_k_dense_replace", &iv) ? (uint32_t)iv : 0u);
            r1__w_u32(w, R1__KEY("expert_group_count"), r1__cfg_int(c, "n_group", &iv) ? (uint32_t)iv : 1u);
            r1__w_u32(w, R1__KEY("expert_group_used_count"), r1__cfg_int(c, "topk_group", &iv) ? (uint32_t)iv : 1u);
            r1__w_u32(w, R1__KEY("expert_gating_func"), scoring && strcmp(scoring, "sigmoid") == 0 ? 2u : 1u);
            r1__w_f32(w, R1__KEY("expert_weights_scale"), r1__json_num(r1_json_get(cfg, "routed_scaling_factor"), &dv) ? (float)dv : 1.0f);
            if (norm && norm->type == R1_JSON_BOOL && norm->boolean) r1__w_bool(w, R1__KEY("expert_weights_norm"), 1);
        }
    }
    if (rs && rs->type == R1_JSON_OBJECT && c->arch->mla) {
        const char *rt = r1__json_str(r1_json_get(rs, "rope_type"));
        if (!rt) rt = r1__json_str(r1_json_get(rs, "type"));
        if (rt && strcmp(rt, "yarn") == 0) {
            double factor = 1, fast = 32, slow = 1, mscale_all_dim = 0;
            int64_t orig = ctx;
            r1__json_num(r1_json_get(rs, "factor"), &factor);
            r1__json_num(r1_json_get(rs, "beta_fast"), &fast);
            r1__json_num(r1_json_get(rs, "beta_slow"), &slow);
            r1__json_num(r1_json_get(rs, "mscale_all_dim"), &mscale_all_dim);
            r1__json_int(r1_json_get(rs, "original_max_position_embeddings"), &orig);
            r1__w_str(w, R1__KEY("rope.scaling.type"), "yarn", 4);
            r1__w_f32(w, R1__KEY("rope.scaling.factor"), (float)factor);
            r1__w_u32(w, R1__KEY("rope.scaling.original_context_length"), (uint32_t)orig);
            r1__w_f32(w, R1__KEY("rope.scaling.yarn_beta_fast"), (float)fast);
            r1__w_f32(w, R1__KEY("rope.scaling.yarn_beta_slow"), (float)slow);
            r1__w_f32(w, R1__KEY("rope.scaling.yarn_log_multiplier"), (float)(0.1 * mscale_all_dim));
        }
    }
#undef R1__KEY
    (void)err;
    return R1_OK;
}

/* ======================================================================================
   5. CONVERTER
   ====================================================================================== */

R1_API r1_convert_params r1_convert_default_params(void) {
    r1_convert_params p;
    p.type = R1_TYPE_BF16;
    p.vocab_only = 0;
    p.verbose = 0;
    p.progress = NULL;
    p.progress_user = NULL;
    p.legacy_mla = 0;
    return p;
}

R1_API int r1_convert_type_from_name(const char *name) {
    static const int types[] = { R1_TYPE_F32, R1_TYPE_F16, R1_TYPE_BF16, R1_TYPE_Q8_0, R1_TYPE_Q4_0,
                                 R1_TYPE_Q4_1, R1_TYPE_Q5_0, R1_TYPE_Q5_1, R1_TYPE_Q6_K };
    size_t i;
    if (!name) return -1;
    if (strcmp(name, "q4_k_m") == 0) return R1_CONVERT_Q4_K_M;
    if (strcmp(name, "q5_k_m") == 0) return R1_CONVERT_Q5_K_M;
    for (i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp(name, r1_type_name(types[i])) == 0) return types[i];
    return -1;
}

static int r1__file_type_of(int type) {
    switch (type) {
    case R1_TYPE_F32: return 0;
    case R1_TYPE_F16: return 1;
    case R1_TYPE_Q4_0: return 2;
    case R1_TYPE_Q8_0: return 7;
    case R1_TYPE_Q5_0: return 8;
    case R1_TYPE_Q5_1: return 9;
    case R1_TYPE_Q6_K: return 18;
    case R1_CONVERT_Q4_K_M: return 15;
    case R1_CONVERT_Q5_K_M: return 17;
    case R1_TYPE_BF16: return 32;
    }
    return 0;
}

/* Where element `i` of a llama q/k projection comes from: HF rotates the two halves of each
   head, GGML rotates neighbours, so each head's rows are interleaved (i -> 2i, hd/2 + i -> 2i+1). */
static int64_t r1__permuted_index(int64_t i, int64_t total, int heads) {
    int64_t hd = total / heads, h = i / hd, within = i % hd;
    return h * hd + (within % 2) * (hd / 2) + within / 2;
}

/* n elements of a safetensors source as floats. The format aligns nothing (a header of odd
   length puts every 16-bit value at an odd address), so unaligned data is copied first. */
static void r1__src_to_float(int dtype, const uint8_t *src, float *dst, int64_t n, size_t esz) {
    uint32_t tmp[64]; /* 64 elements, aligned for any of the source types */
    int64_t k;
    if ((uintptr_t)src % esz == 0) { r1__types[dtype].to_float(src, dst, n); return; }
    for (k = 0; k < n; k += 64) {
        int64_t m = n - k < 64 ? n - k : 64;
        memcpy(tmp, src + (size_t)k * esz, (size_t)m * esz);
        r1__types[dtype].to_float(tmp, dst + k, m);
    }
}

/* Row `r` of an output tensor as float, read from its HF source(s). */
static void r1__read_row(const r1__out_tensor *t, int64_t r, float *row) {
    const r1__st_tensor *s = t->src;
    int64_t n = t->ne[0], j;
    size_t esz;
    if (t->rows == R1__ROWS_EXPERTS) {
        s = t->experts[r / t->ne[1]];
        r %= t->ne[1];
    }
    esz = s->dtype == R1_TYPE_F32 ? 4 : 2;
    if (t->rows == R1__ROWS_K_B) { /* head h, latent dim j: column j of the head's first nope rows */
        int64_t h = r / t->ne[1], col = r % t->ne[1], cols = s->shape[1];
        for (j = 0; j < n; j++)
            r1__src_to_float(s->dtype, s->data + ((size_t)(h * (t->nope + t->v) + j) * (size_t)cols + (size_t)col) * esz, row + j, 1, esz);
        return;
    }
    if (t->rows == R1__ROWS_V_B) r = (r / t->ne[1]) * (t->nope + t->v) + t->nope + r % t->ne[1];
    if (t->n_dims == 1 && t->permute_heads > 0) { /* a bias: the permutation moves elements */
        for (j = 0; j < n; j++)
            r1__src_to_float(s->dtype, s->data + (size_t)r1__permuted_index(j, n, t->permute_heads) * esz, row + j, 1, esz);
        return;
    }
    if (t->permute_heads > 0) r = r1__permuted_index(r, t->ne[1], t->permute_heads);
    r1__src_to_float(s->dtype, s->data + (size_t)r * (size_t)n * esz, row, n, esz);
}

/* Whether a GGUF header (a file's bytes up to its tensor data) describes a model this loader
   accepts: architecture, hyperparameters, every tensor there with its shape, no duplicates, the
   vocabulary's size. No tensor data is read: asked before the converter writes anything. */
static r1_status r1__check_model_header(const void *header, size_t size, r1_error *err) {
    r1_model *m = (r1_model *)r1__calloc(1, sizeof *m);
    r1_status st;
    if (!m) return r1__fail(err, R1_ERR_MEMORY, "out of memory");
    st = r1__gguf_parse_ex(&m->gguf, header, size, 1, err);
    if (st == R1_OK) st = r1__model_init(m, err);
    if (st == R1_OK) st = r1__check_vocab_rows(m, err);
    r1__model_free_owned(m);
    r1__gguf_free(&m->gguf);
    R1_FREE(m);
    return st;
}

/* The loader refused the planned file (err says why, in GGUF names): the message gets the
   Hugging Face name of the tensor it names, and says that the checkpoint does not fit its config. */
static r1_status r1__unfit_tensors(const r1__conv *c, r1_error *err) {
    char msg[sizeof err->message];
    const char *hf = NULL, *q0, *q1;
    int i;
    if (!err) return R1_ERR_FORMAT;
    if (err->code == R1_ERR_MEMORY) return err->code;
    q0 = strchr(err->message, '\'');
    q1 = q0 ? strchr(q0 + 1, '\'') : NULL;
    for (i = 0; q1 && i < c->n_out && !hf; i++)
        if (strlen(c->out[i].name) == (size_t)(q1 - q0 - 1) && memcmp(c->out[i].name, q0 + 1, (size_t)(q1 - q0 - 1)) == 0 && c->out[i].src)
            hf = c->out[i].src->name;
    snprintf(msg, sizeof msg, "%s", err->message);
    if (hf) return r1__fail(err, R1_ERR_FORMAT, "the checkpoint does not fit its config.json: %s (from '%s')", msg, hf);
    return r1__fail(err, R1_ERR_FORMAT, "the checkpoint does not fit its config.json: %s", msg);
}

/* The tensors' infos, then their rows, converted one at a time, through the public writer. */
static r1_status r1__write_file(r1__conv *c, const char *out_path, r1_gguf_writer *w, const r1_convert_params *p,
                                r1_error *err) {
    int i;
    float *row = NULL;
    void *qrow = NULL;
    int64_t max_row = 1;
    double total = 0, written = 0; /* bytes, for the progress callback */
    r1_status st = R1_OK;

    for (i = 0; i < c->n_out && st == R1_OK; i++) {
        const r1__out_tensor *t = &c->out[i];
        st = r1_gguf_writer_add_tensor(w, t->name, t->type, t->n_dims, t->ne, err);
        if (t->ne[0] > max_row) max_row = t->ne[0];
        total += (double)r1__row_bytes(t->type, t->ne[0]) * (double)(t->ne[1] * t->ne[2] * t->ne[3]);
    }
    if (st == R1_OK && !p->vocab_only) { /* the loader's own checks on the planned file before a byte is written */
        r1__buf hdr;
        r1__gguf_writer_header(w, &hdr);
        if (hdr.oom || w->meta.kv.oom) st = r1__fail(err, R1_ERR_MEMORY, "out of memory building the header");
        else if (r1__check_model_header(hdr.data, hdr.len, err) != R1_OK) st = r1__unfit_tensors(c, err);
        R1_FREE(hdr.data);
    }
    if (st == R1_OK) st = r1_gguf_writer_begin(w, out_path, err);
    if (st == R1_OK) {
        row = (float *)r1__calloc((size_t)max_row, sizeof(float));
        qrow = r1__calloc((size_t)max_row, 4);
        if (!row || !qrow) st = r1__fail(err, R1_ERR_MEMORY, "out of memory");
    }
    for (i = 0; i < c->n_out && st == R1_OK; i++) {
        const r1__out_tensor *t = &c->out[i];
        int64_t rows = t->ne[1] * t->ne[2] * t->ne[3], r;
        size_t rb = r1__row_bytes(t->type, t->ne[0]);
        if (p->verbose)
            fprintf(stderr, "  %-32s %-5s [%lld, %lld]\n", t->name, r1_type_name(t->type), (long long)t->ne[0], (long long)t->ne[1]);
        for (r = 0; r < rows && st == R1_OK; r++) {
            if (t->gen) memcpy(row, t->gen + r * t->ne[0], (size_t)t->ne[0] * sizeof(float));
            else r1__read_row(t, r, row);
            r1__types[t->type].from_float(row, qrow, t->ne[0]);
            st = r1_gguf_writer_write(w, qrow, rb, err);
        }
        written += (double)rb * (double)rows;
        if (p->progress && st == R1_OK) p->progress(p->progress_user, total > 0 ? written / total : 1.0);
    }
    R1_FREE(row);
    R1_FREE(qrow);
    if (st == R1_OK) st = r1_gguf_writer_finish(w, err);
    return st; /* on failure, r1_gguf_writer_free removes the unfinished file; out_path is untouched */
}

static r1_json *r1__maybe_json(const char *dir, const char *file, int required, r1_status *st, r1_error *err) {
    char path[4096];
    r1_json *j;
    r1_error local; /* r1_json_parse_file's code, whether or not the caller wants the message */
    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (!r1__path_exists(path)) {
        if (required) *st = r1__fail(err, R1_ERR_IO, "'%s' is missing", path);
        return NULL;
    }
    j = r1_json_parse_file(path, err ? err : &local);
    if (!j) *st = err ? err->code : local.code;
    return j;
}

#if defined(_WIN32)
/* a file's identity: its volume and index (what st_dev and st_ino are elsewhere); 0 when it
   cannot be opened */
static int r1__file_identity(const char *path, BY_HANDLE_FILE_INFORMATION *info) {
    wchar_t *w = r1__wide(path);
    HANDLE h = w ? CreateFileW(w, 0, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                               FILE_ATTRIBUTE_NORMAL, NULL)
                 : INVALID_HANDLE_VALUE;
    int ok;
    R1_FREE(w);
    if (h == INVALID_HANDLE_VALUE) return 0;
    ok = GetFileInformationByHandle(h, info) != 0;
    CloseHandle(h);
    return ok;
}
#endif

/* Whether paths a and b name one existing regular file (a hard link to it included). */
static int r1__same_file(const char *a, const char *b) {
#if !defined(_WIN32)
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && S_ISREG(sa.st_mode) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
#else
    BY_HANDLE_FILE_INFORMATION x, y;
    return r1__file_identity(a, &x) && r1__file_identity(b, &y) && x.dwVolumeSerialNumber == y.dwVolumeSerialNumber &&
           x.nFileIndexHigh == y.nFileIndexHigh && x.nFileIndexLow == y.nFileIndexLow;
#endif
}

/* Whether out_path is (or is a hard link to) a file in the input folder: the finished output is
   renamed over out_path, which would destroy that input. Names it in `which`. */
static int r1__is_input_file(const char *dir, const char *out_path, char *which, size_t size) {
#if !defined(_WIN32)
    struct stat out;
    DIR *d;
    struct dirent *e;
    int same = 0;
    if (stat(out_path, &out) != 0) return 0; /* nothing there yet */
    if (!(d = opendir(dir))) return 0;
    while (!same && (e = readdir(d)) != NULL) {
        snprintf(which, size, "%s/%s", dir, e->d_name);
        same = r1__same_file(which, out_path);
    }
    closedir(d);
    return same;
#else
    BY_HANDLE_FILE_INFORMATION out;
    WIN32_FIND_DATAW fd;
    HANDLE find;
    wchar_t *w;
    char pattern[4096], name[MAX_PATH * 4];
    int same = 0;
    if (!r1__file_identity(out_path, &out)) return 0; /* nothing there yet */
    snprintf(pattern, sizeof pattern, "%s\\*", dir);
    if (!(w = r1__wide(pattern))) return 0;
    find = FindFirstFileW(w, &fd);
    R1_FREE(w);
    while (!same && find != INVALID_HANDLE_VALUE) {
        if (WideCharToMultiByte(CP_UTF8, 0, fd.cFileName, -1, name, (int)sizeof name, NULL, NULL) > 0 &&
            !(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
            snprintf(which, size, "%s\\%s", dir, name);
            same = r1__same_file(which, out_path);
        }
        if (!same && !FindNextFileW(find, &fd)) break;
    }
    if (find != INVALID_HANDLE_VALUE) FindClose(find);
    return same;
#endif
}

R1_API r1_status r1_convert_hf(const char *dir, const char *out_path, const r1_convert_params *params, r1_error *err) {
    r1__conv c;
    r1_gguf_writer *gw = NULL;
    r1__gguf_writer *w;
    r1_convert_params p = params ? *params : r1_convert_default_params();
    r1_status st = R1_OK;
    size_t k;
    char path[4096];

    if (!dir || !out_path) return r1__fail(err, R1_ERR_ARGUMENT, "r1_convert_hf: folder and output path are required");
    if (r1__is_input_file(dir, out_path, path, sizeof path))
        return r1__fail(err, R1_ERR_ARGUMENT, "r1_convert_hf: the output '%s' is the input file '%s'", out_path, path);
    if (!p.vocab_only && p.type != R1_CONVERT_Q4_K_M && p.type != R1_CONVERT_Q5_K_M && r1_convert_type_from_name(r1_type_name(p.type)) < 0)
        return r1__fail(err, R1_ERR_ARGUMENT, "r1_convert_hf: output type must be f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, q6_k, q4_k_m or q5_k_m");
    memset(&c, 0, sizeof c);
    c.legacy_mla = p.legacy_mla;
    if (!(gw = r1_gguf_writer_new(err))) return R1_ERR_MEMORY;
    w = &gw->meta;

    c.config = r1__maybe_json(dir, "config.json", !p.vocab_only, &st, err);
    if (st == R1_OK) c.tok = r1__maybe_json(dir, "tokenizer.json", 1, &st, err);
    if (st == R1_OK) c.tok_cfg = r1__maybe_json(dir, "tokenizer_config.json", 0, &st, err);
    if (st == R1_OK) c.gen_cfg = r1__maybe_json(dir, "generation_config.json", 0, &st, err);
    if (st != R1_OK) goto done;
    snprintf(path, sizeof path, "%s/chat_template.jinja", dir);
    if (r1__path_exists(path)) {
        r1__mapping m;
        if ((st = r1__map_file(&m, path, err)) != R1_OK) goto done;
        c.chat_template = (char *)R1_MALLOC(m.size + 1);
        if (c.chat_template) { memcpy(c.chat_template, m.addr, m.size); c.chat_template[m.size] = 0; }
        r1__unmap_file(&m);
    }

    /* architecture */
    if (c.config) {
        const char *mt = r1__json_str(r1_json_get(c.config, "model_type"));
        for (k = 0; mt && k < sizeof r1__hf_archs / sizeof r1__hf_archs[0]; k++)
            if (strcmp(mt, r1__hf_archs[k].model_type) == 0) c.arch = &r1__hf_archs[k];
        if (!c.arch) { st = r1__fail(err, R1_ERR_UNSUPPORTED, "config.json: model_type '%s' is not supported", mt ? mt : "(none)"); goto done; }
        if (!r1__cfg_int(&c, "hidden_size", &c.n_embd) || !r1__cfg_int(&c, "num_hidden_layers", &c.n_layer) ||
            !r1__cfg_int(&c, "num_attention_heads", &c.n_head) || !r1__cfg_int(&c, "intermediate_size", &c.n_ff) ||
            c.n_embd <= 0 || c.n_layer <= 0 || c.n_head <= 0 || c.n_ff <= 0 || c.n_layer > 100000) {
            st = r1__fail(err, R1_ERR_FORMAT, "config.json: hidden_size, num_hidden_layers, num_attention_heads and intermediate_size are required");
            goto done;
        }
        if (!r1__cfg_int(&c, "num_key_value_heads", &c.n_head_kv)) c.n_head_kv = c.n_head;
        if (!r1__cfg_int(&c, "head_dim", &c.head_dim)) c.head_dim = c.n_embd / c.n_head;
        /* sizes far past any real model are errors before anything uses them (GGUF stores u32) */
        if (c.n_embd > (1 << 20) || c.n_head > (1 << 14) || c.n_ff > (1 << 24)) {
            st = r1__fail(err, R1_ERR_FORMAT, "config.json: hidden_size %lld, num_attention_heads %lld or intermediate_size %lld is out of range",
                          (long long)c.n_embd, (long long)c.n_head, (long long)c.n_ff);
            goto done;
        }
        if (c.n_head_kv <= 0 || c.n_head_kv > c.n_head || c.n_head % c.n_head_kv != 0 || c.head_dim <= 0 || c.head_dim > (1 << 14) ||
            c.head_dim % 2) {
            st = r1__fail(err, R1_ERR_FORMAT, "config.json: bad head sizes (num_key_value_heads %lld must divide num_attention_heads %lld; head_dim %lld)",
                          (long long)c.n_head_kv, (long long)c.n_head, (long long)c.head_dim);
            goto done;
        }
        if (c.arch->moe && !r1__cfg_int(&c, "n_routed_experts", &c.n_expert) && !r1__cfg_int(&c, "num_experts", &c.n_expert)) {
            st = r1__fail(err, R1_ERR_FORMAT, "config.json: n_routed_experts or num_experts is required");
            goto done;
        }
        if (c.arch->moe && (c.n_expert < 1 || c.n_expert > 4096)) { st = r1__fail(err, R1_ERR_FORMAT, "config.json: bad expert count"); goto done; }
        if (c.arch->mla && (!r1__cfg_int(&c, "kv_lora_rank", &c.kv_lora) || !r1__cfg_int(&c, "qk_nope_head_dim", &c.nope) ||
                            !r1__cfg_int(&c, "qk_rope_head_dim", &c.rope) || !r1__cfg_int(&c, "v_head_dim", &c.v_dim) ||
                            c.kv_lora <= 0 || c.nope <= 0 || c.rope <= 0 || c.rope % 2 || c.v_dim <= 0)) {
            st = r1__fail(err, R1_ERR_FORMAT, "config.json: kv_lora_rank, qk_nope_head_dim, qk_rope_head_dim and v_head_dim are required");
            goto done;
        }
    } else {
        /* vocabulary only, without a config: pick the architecture from the pre-tokenizer */
        static const r1__hf_arch vocab_qwen = { "qwen2", "qwen2", 0, 0, 0, 0, 0 }, vocab_llama = { "llama", "llama", 0, 0, 0, 0, 0 };
        const char *pre = r1__pretokenizer_name(c.tok, r1__cfg_token(c.tok_cfg, "bos_token"));
        c.arch = strcmp(pre, "llama-bpe") == 0 ? &vocab_llama : &vocab_qwen;
    }

    if (!p.vocab_only) {
        if ((st = r1__st_open_dir(&c.st, dir, err)) != R1_OK) goto done;
        int base = p.type == R1_CONVERT_Q4_K_M ? R1_TYPE_Q4_K : p.type == R1_CONVERT_Q5_K_M ? R1_TYPE_Q5_K : p.type;
        if ((st = r1__plan_tensors(&c, base, err)) != R1_OK) goto done;
        if (base != p.type) r1__apply_k_mix(&c);
        for (k = 0; k < (size_t)c.st.n_tensors; k++)
            if (!c.st.tensors[k].used) { st = r1__fail(err, R1_ERR_UNSUPPORTED, "tensor '%.64s' was not converted", c.st.tensors[k].name); goto done; }
    }

    /* metadata, in llama.cpp's order */
    r1__w_str(w, "general.architecture", c.arch->gguf_arch, strlen(c.arch->gguf_arch));
    r1__w_str(w, "general.type", "model", 5);
    {
        const char *base = dir + strlen(dir);
        size_t len = 0;
        while (base > dir && (base[-1] == '/' || base[-1] == '\\')) base--, len = 0;
        {
            const char *e = base;
            while (base > dir && base[-1] != '/' && base[-1] != '\\') base--;
            len = (size_t)(e - base);
        }
        if (len > 0) r1__w_str(w, "general.name", base, len);
    }
    if (c.gen_cfg) {
        double v;
        int64_t iv;
        if (r1__json_num(r1_json_get(c.gen_cfg, "top_p"), &v)) r1__w_f32(w, "general.sampling.top_p", (float)v);
        if (r1__json_num(r1_json_get(c.gen_cfg, "temperature"), &v)) r1__w_f32(w, "general.sampling.temp", (float)v);
        if (r1__json_int(r1_json_get(c.gen_cfg, "top_k"), &iv) && iv >= 0) r1__w_u32(w, "general.sampling.top_k", (uint32_t)iv);
    }
    if (!p.vocab_only) {
        if ((st = r1__write_hparams(&c, w, err)) != R1_OK) goto done;
        r1__w_u32(w, "general.file_type", (uint32_t)r1__file_type_of(p.type));
        r1__w_u32(w, "general.quantization_version", 2);
    }
    if ((st = r1__write_tokenizer(&c, w, err)) != R1_OK) goto done;
    st = r1__write_file(&c, out_path, gw, &p, err);
done:
    r1_gguf_writer_free(gw);
    r1__conv_free(&c);
    if (st == R1_OK) r1__ok(err);
    return st;
}

#endif /* R1_QUANT_IMPLEMENTATION_DONE */
#endif /* R1_QUANT_IMPLEMENTATION */
