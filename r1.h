/* r1.h — a single-header C99 inference runtime for DeepSeek-R1-style models.

   Do this in exactly one C file to get the implementation:
       #define R1_IMPLEMENTATION
       #include "r1.h"
   Every other file includes "r1.h" alone and sees only the public API.

   TABLE OF CONTENTS
     1. Public API                      (types, error codes, functions, usage example)
     2. Implementation: hooks, errors, small utilities
     3. GGUF reader                     (mmap, bounds-checked parse, metadata lookup)
     4. Types and quant blocks          (F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K..Q6_K;
                                       one dispatch table)
     5. Kernels: scalar                 (the reference for every SIMD kernel)
   5b. Kernels: int8 activations      (plain C, AVX2, AVX-512 VNNI, NEON / dotprod, picked at run
                                       time; rows packed by 8, two groups of them per call for
                                       batches where it pays; AMX tile kernels for batches on
                                       CPUs with matrix units; attention over a float32 or
                                       float16 cache, exp and SiLU per ISA)
     6. Threads                         (a small persistent pool: pthreads, or Win32 threads)
     7. Model: architecture table and loading (qwen2, llama, qwen3, qwen3moe, deepseek2, phi3)
     8. Forward pass                    (and saved sessions)
   9. Tokenizer                       (Unicode tables, NFC, pre-tokenizers, BPE, streaming decode)
  10. Sampler                         (penalties, temperature, top-k, top-p, min-p, seeded draws)
  10b. JSON and grammars             (a JSON reader; GBNF grammars, JSON Schema -> GBNF, matching
                                       and token masks for constrained answers)
  11. Chat and reasoning              (R1 / ChatML templates, thinking-aware streaming generation)
  12. Kernel bodies                   (the SIMD kernels 5b compiles once per ISA, by including
                                       this file again; see R1_SELF)

   USAGE
       r1_error err;
       r1_model *model = r1_model_load("model.gguf", &err);
       if (!model) { fprintf(stderr, "%s\n", err.message); return 1; }
       r1_context_params cp = r1_context_default_params();
       cp.n_ctx = 2048; cp.n_threads = 4;   // cp.kv_type: R1_KV_AUTO, R1_KV_F32, R1_KV_F16 or R1_KV_Q8_0
       r1_context *ctx = r1_context_new(model, &cp, &err);
       int32_t prompt[3] = { 1, 2, 3 };
       if (r1_eval(ctx, prompt, 3, NULL, &err) != R1_OK) { ... }
       const float *logits = r1_context_logits(ctx);   // n_vocab floats for the last token

       // text: the chat template rendered and tokenized (a user's text stays text), then
       // generation with the thinking streamed
       const r1_tokenizer *tok = r1_model_tokenizer(model);
       r1_chat_message msg = { "user", "What is 12 + 35 * 2?" };
       int32_t ids[1024];
       int n = r1_chat_tokenize(tok, &msg, 1, R1_CHAT_PROMPT, ids, 1024, &err);
       r1_generate_params gp = r1_generate_default_params();
       r1_generate_result res;
       r1_generate(ctx, tok, ids, n, &gp, on_piece, NULL, &res, &err); // res.thinking, res.answer
       // think freely, then answer in JSON: gp.grammar = r1_grammar_from_json_schema(tok, schema, len, &err);
       // budgets: gp.think_budget (wrapped up gracefully); sessions: r1_context_save / r1_context_load;
       // stopping from another thread: r1_context_abort(ctx)
       r1_generate_result_free(&res);
       r1_context_free(ctx);
       r1_model_free(model);

   HOOKS (define before including the implementation)
       R1_MALLOC(n) / R1_CALLOC(n, size) / R1_REALLOC(p, n) / R1_FREE(p)   allocation
       R1_ASSERT(x)                                                          internal invariants only;
                                                                             bad input never reaches it
       R1_API                                                                linkage of public functions
       R1_NO_THREADS                                                         build without threads
       R1_NO_SIMD                                                            build the plain-C kernels only
       R1_NO_AMX                                                             build without the AMX tile kernels
       R1_NO_AVX512                                                          build without the AVX-512 (and AMX)
                                                                             kernels, for compilers without
                                                                             their intrinsics
                                                                             (assemblers before binutils 2.36
                                                                             do not know their instructions)

   ENVIRONMENT (read when a model is loaded)
       R1_ISA=c|avx2|avxvnni|avx512|amx|neon|dotprod|i8mm   use at most this kernel set (the
                        best the CPU has up to it; avxvnni = AVX2 with the 256-bit VEX VNNI of
                        Intel's client chips and AMD Zen 5; avx512 = AVX-512 VNNI; i8mm = Arm's
                        SMMLA for batches, beside SDOT): to measure or test each path on one
                        machine. r1_model_isa tells which set a model got.
       R1_NO_SIMD=1     use the plain-C kernels (the reference) on any CPU (= R1_ISA=c)
       R1_NO_AMX=1      leave the matrix units (AMX, Linux; Arm's i8mm) unused: batches run on
                        AVX-512 VNNI or SDOT (the same results, bit for bit; = R1_ISA=avx512 or
                        dotprod)
       R1_PREFETCH=N    bytes the x86 decode kernels prefetch ahead of the weights (0..65536;
                        default 6144 on AMD, 2048 elsewhere: measured on Zen 5 and Sapphire
                        Rapids); to tune another CPU (results do not change, only speed)
       R1_NO_REPACK=1   keep matrices in the file's layout instead of packing them by 8 rows at
                        load (faster load and less copying, slower prefill and decode)
       R1_PACK_EXPERTS=0|1  MoE routed experts: keep them mapped (0) or pack them too (1); by
                        default they are packed when they fit in half the physical memory
*/
#ifndef R1_H
#define R1_H

/* The implementation needs POSIX (mmap, threads) and, on 32-bit systems, 64-bit file offsets
   for models of 2 GiB and more. Feature macros work only before the first system header, so
   they are set here, for the file that defines R1_IMPLEMENTATION, unless it chose its own:
   POSIX.1-2008 under a strict ISO mode (-std=c99 hides POSIX), and _FILE_OFFSET_BITS 64.
   Include r1.h first in that file (or define these yourself) for them to take effect. */
#if defined(R1_IMPLEMENTATION) && !defined(_WIN32)
#if defined(__STRICT_ANSI__) && !defined(_POSIX_C_SOURCE) && !defined(_XOPEN_SOURCE) && !defined(_GNU_SOURCE) && \
    !defined(_DEFAULT_SOURCE) && !defined(_BSD_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#if !defined(_FILE_OFFSET_BITS)
#define _FILE_OFFSET_BITS 64
#endif
#endif

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
    R1_ERR_THREAD = 7,        /* threads could not be started */
    R1_ERR_ABORTED = 8        /* r1_context_abort stopped the call */
} r1_status;

typedef struct r1_error {
    r1_status code;           /* R1_OK when nothing went wrong */
    char message[256];        /* human-readable, names the key/tensor/argument at fault */
} r1_error;

typedef struct r1_model r1_model;       /* weights + hyperparameters, read-only once loaded */
typedef struct r1_context r1_context;   /* one conversation: KV cache, scratch, thread pool */

/* How the KV cache stores keys and values. float16 halves the cache's memory and attention's
   reads (long reasoning chains) at a relative rounding of 2^-11 per element; Q8_0 (blocks of 32
   int8 with a float16 scale, llama.cpp's q8_0) takes 34 bytes per 32 elements, 0.53x float16's,
   at up to half a step of max|block| / 127 per element. */
typedef enum r1_kv_type {
    R1_KV_AUTO = 0,           /* float16 for files quantized below 8 bits (their error dwarfs its
                                 rounding), float32 for Q8_0 and float files, which stay closest
                                 to the reference */
    R1_KV_F32 = 1,
    R1_KV_F16 = 2,
    R1_KV_Q8_0 = 3            /* every cached row's width a multiple of 32 (head widths; MLA's
                                 latent and rope key): r1_context_new refuses it otherwise */
} r1_kv_type;

#define R1_DEFAULT_CTX 32768 /* n_ctx 0 means min(the model's training context, this) */
typedef struct r1_context_params {
    int n_ctx;                /* KV-cache rows in tokens, shared by all sequences; 0 = min(training
                                 context, 32768): R1 thinks for up to 32k tokens. The cache is
                                 reserved, not touched: memory is committed as rows are used
                                 (r1_context_kv_bytes_per_token each; see kv_small_pages) */
    int n_threads;            /* worker threads including the caller, in [1, 1024]; more than the
                                 CPUs online run as many as there are CPUs unless oversubscribe */
    int n_seq;                /* sequences the context can hold (see r1_seq_fork); 0 or 1 = one */
    int kv_type;              /* an r1_kv_type; 0 = R1_KV_AUTO */
    int oversubscribe;        /* 1: start n_threads even past the CPUs online (they then take turns
                                 on the cores, which costs more than it gains); default 0 */
    int kv_small_pages;       /* 0 (default): a cache of 2 MiB or more asks for 2 MiB pages (Linux
                                 transparent huge pages, where enabled), which attention deep in a
                                 context reads faster; memory is then committed 2 MiB per layer,
                                 KV head and keys or values at a time (the 1.5B shape at n_ctx
                                 32768: 224 MiB at the first token, the next at row 8,192).
                                 1: 4 KiB pages, committed row by row */
} r1_context_params;

R1_API const char *r1_status_string(r1_status code);
/* Seconds on a monotonic clock (for timing: only differences mean anything). */
R1_API double r1_seconds(void);
R1_API r1_context_params r1_context_default_params(void);

/* Load a GGUF file by memory-mapping it. Returns NULL and fills err on failure. */
R1_API r1_model *r1_model_load(const char *path, r1_error *err);
/* Load from a caller-owned buffer (not copied: it must outlive the model). */
R1_API r1_model *r1_model_load_memory(const void *data, size_t size, r1_error *err);
R1_API void r1_model_free(r1_model *model);

R1_API const char *r1_model_arch(const r1_model *model);      /* "qwen2", "llama", ... */
/* The kernel set the model runs on: "c", "avx2", "avx-vnni", "avx512-vnni", "avx512-vnni+amx", "neon",
   "neon-dotprod", "neon-i8mm" (the best this CPU has, capped by R1_ISA). */
R1_API const char *r1_model_isa(const r1_model *model);
R1_API int r1_model_n_vocab(const r1_model *model);           /* rows of the embedding */
R1_API int r1_model_n_ctx_train(const r1_model *model);
R1_API int r1_model_n_layer(const r1_model *model);
R1_API int r1_model_n_embd(const r1_model *model);
/* KV-cache bytes one token occupies across all layers with a float32 cache (half with float16;
   r1_context_kv_bytes_per_token tells a context's). */
R1_API size_t r1_model_kv_bytes_per_token(const r1_model *model);
/* Weight bytes one decode step reads: every tensor once, but one row of the token embedding
   (unless the output shares it) and, for MoE, n_expert_used of n_expert routed experts on
   average. Decode is bound by memory bandwidth / this. */
R1_API size_t r1_model_bytes_per_token(const r1_model *model);
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
/* Makes the r1_eval / r1_decode_batch / r1_generate running on ctx return R1_ERR_ABORTED at
   its next layer boundary (a request made while nothing runs is dropped when the next call
   starts). Safe from another thread, a signal handler or a piece callback. The context stays
   consistent: r1_eval keeps the batches of 64 tokens it finished (n_past tells how far it
   got), r1_decode_batch appends nothing, r1_generate fills its result with what it wrote. */
R1_API void r1_context_abort(r1_context *ctx);
/* Keep only the first n_keep tokens (n_keep <= n_past): the way to reuse a shared prefix. */
R1_API r1_status r1_context_truncate(r1_context *ctx, int n_keep);

/* ---- Several sequences in one context ----
   A context made with n_seq > 1 holds sequences 0 .. n_seq-1 (r1_eval and the functions above
   work on sequence 0). r1_seq_fork makes dst a copy of src that shares src's cache rows, so a
   prompt evaluated once serves k continuations; r1_decode_batch then steps many sequences in one
   pass, reading each weight once for all of them. Results are identical to evaluating each
   sequence alone. All sequences draw their cache rows from the same n_ctx rows.

       r1_eval(ctx, prompt, n, NULL, &err);                        // sequence 0
       for (s = 1; s < k; s++) r1_seq_fork(ctx, s, 0, &err);       // shares the prompt's cache
       // each step: one token per sequence, logits[s * n_vocab ...]
       r1_decode_batch(ctx, next_tokens, seq_ids, k, logits, &err);                          */
R1_API r1_status r1_seq_fork(r1_context *ctx, int dst, int src, r1_error *err);
R1_API r1_status r1_seq_truncate(r1_context *ctx, int seq, int n_keep);
R1_API int r1_seq_n_past(const r1_context *ctx, int seq);
R1_API int r1_context_n_seq(const r1_context *ctx);
/* The threads the context runs (n_threads, capped at the CPUs online unless oversubscribe). */
R1_API int r1_context_n_threads(const r1_context *ctx);
R1_API int r1_context_n_free(const r1_context *ctx);  /* cache rows not used by any sequence */
R1_API size_t r1_context_kv_bytes_per_token(const r1_context *ctx); /* with the cache's element type */
/* r1_eval on another sequence (its last logits go to r1_context_logits too). */
R1_API r1_status r1_eval_seq(r1_context *ctx, int seq, const int32_t *tokens, int n_tokens,
                             float *all_logits, r1_error *err);
/* Append tokens[i] to sequence seqs[i] for i < n, all in one pass (a sequence may appear more
   than once: its tokens are appended in order). logits: room for n * n_vocab floats, or NULL.
   On error nothing is appended. */
R1_API r1_status r1_decode_batch(r1_context *ctx, const int32_t *tokens, const int *seqs, int n,
                                 float *logits, r1_error *err);


/* ---- Saved sessions ----
   A context's state (every sequence's tokens and cache rows in use, the last logits) to a file
   or a buffer, and back into a context of the same model (checked by a hash of its tensors)
   with room for it (n_ctx, n_seq, the same kv_type). A loaded context goes on exactly as the
   saved one would have. Saving writes "<path>.part" and renames it: a failure leaves any
   earlier file as it was. Session files from strangers are checked like model files. */
R1_API r1_status r1_context_save(const r1_context *ctx, const char *path, r1_error *err);
R1_API r1_status r1_context_load(r1_context *ctx, const char *path, r1_error *err);
R1_API size_t r1_context_save_size(const r1_context *ctx);   /* bytes r1_context_save_buffer needs */
R1_API r1_status r1_context_save_buffer(const r1_context *ctx, void *buf, size_t size, size_t *written, r1_error *err);
R1_API r1_status r1_context_load_buffer(r1_context *ctx, const void *buf, size_t size, r1_error *err);
/* The tokens of a sequence (at most max into out); returns its length, or -1. */
R1_API int r1_seq_tokens(const r1_context *ctx, int seq, int32_t *out, int max);

/* ---- Tokenizer (byte-level BPE, exact to Hugging Face tokenizers) ---- */
typedef struct r1_tokenizer r1_tokenizer;

/* Streaming decoder state: holds an unfinished UTF-8 sequence between tokens. Zero it to start. */
typedef struct r1_decoder {
    unsigned char pending[4];
    int n_pending;
} r1_decoder;

/* The model's tokenizer (owned by the model), or NULL when its file has none. */
R1_API const r1_tokenizer *r1_model_tokenizer(const r1_model *model);
/* A tokenizer on its own, from any GGUF with tokenizer.ggml.* keys (vocab-only files too). */
R1_API r1_tokenizer *r1_tokenizer_load(const char *path, r1_error *err);
R1_API void r1_tokenizer_free(r1_tokenizer *tok);
R1_API int r1_tokenizer_n_tokens(const r1_tokenizer *tok);
R1_API int32_t r1_token_bos(const r1_tokenizer *tok);          /* -1 when absent */
R1_API int32_t r1_token_eos(const r1_tokenizer *tok);
R1_API int r1_token_is_control(const r1_tokenizer *tok, int32_t id);
R1_API int32_t r1_token_lookup(const r1_tokenizer *tok, const char *text); /* exact token text, or -1 */
/* Text (UTF-8, len bytes) -> ids. Added tokens spelled in the text (<｜User｜>, </think>, ...) become
   their ids, as Hugging Face does by default: for text you wrote, never for text from users
   (use r1_tokenize_plain or r1_chat_tokenize for that). Writes at most max_ids ids and returns
   how many there are (call again with more room when larger), or -1 with err set (invalid
   UTF-8, bad arguments). */
R1_API int r1_tokenize(const r1_tokenizer *tok, const char *text, size_t len, int add_bos, int32_t *ids,
                       int max_ids, r1_error *err);
/* The same with no added token matched: a user who types "<｜Assistant｜>" or "</think>" gets
   those characters as ordinary text, never the control ids. */
R1_API int r1_tokenize_plain(const r1_tokenizer *tok, const char *text, size_t len, int add_bos, int32_t *ids,
                             int max_ids, r1_error *err);
/* The raw bytes of one token (not NUL-terminated; may be part of a UTF-8 sequence). */
R1_API const char *r1_token_bytes(const r1_tokenizer *tok, int32_t id, size_t *len);
/* ids -> text; invalid UTF-8 becomes U+FFFD. Returns the text length; writes at most size - 1
   bytes plus a NUL (pass size 0 to measure). */
R1_API size_t r1_detokenize(const r1_tokenizer *tok, const int32_t *ids, int n, char *out, size_t size);
/* Streaming: the text that token `id` completes (never half a UTF-8 sequence), NUL-terminated
   in out (size >= 8; 4 x the longest token is always enough). r1_decoder_flush ends a stream. */
R1_API size_t r1_decoder_push(r1_decoder *dec, const r1_tokenizer *tok, int32_t id, char *out, size_t size);
R1_API size_t r1_decoder_flush(r1_decoder *dec, char *out, size_t size);

/* ---- Sampler ---- */
typedef struct r1_sampler_params {
    float temperature;        /* 0 = greedy; default 0.6 (DeepSeek-R1's recommendation) */
    float top_p;              /* nucleus mass in (0, 1]; default 0.95 */
    int top_k;                /* 0 = off */
    float min_p;              /* drop tokens below min_p x the best one's probability; 0 = off */
    float repeat_penalty;     /* 1 = off; > 1 discourages tokens in the recent history */
    float presence_penalty;   /* subtracted once from a recent token's logit */
    float frequency_penalty;  /* subtracted per occurrence */
    int penalty_last_n;       /* history the penalties look at */
    uint64_t seed;            /* same seed, same tokens */
} r1_sampler_params;
typedef struct r1_sampler r1_sampler;
R1_API r1_sampler_params r1_sampler_default_params(void);
R1_API r1_sampler *r1_sampler_new(const r1_sampler_params *params, int n_vocab, r1_error *err);
R1_API void r1_sampler_free(r1_sampler *s);
R1_API int32_t r1_sampler_sample(r1_sampler *s, const float *logits); /* does not accept the token */
R1_API void r1_sampler_accept(r1_sampler *s, int32_t id);            /* adds it to the penalty history */
R1_API void r1_sampler_reset(r1_sampler *s);

/* ---- JSON (read-only DOM) ---- */
typedef enum r1_json_type {
    R1_JSON_NULL, R1_JSON_BOOL, R1_JSON_NUMBER, R1_JSON_STRING, R1_JSON_ARRAY, R1_JSON_OBJECT
} r1_json_type;

typedef struct r1_json {
    r1_json_type type;
    int boolean;              /* BOOL */
    double number;            /* NUMBER */
    char *str;                /* STRING: decoded UTF-8, NUL-terminated (may contain NULs: use len) */
    size_t len;               /* STRING: bytes in str */
    char *key;                /* member name when inside an OBJECT */
    size_t key_len;
    struct r1_json *items;    /* ARRAY / OBJECT: the elements, in file order */
    size_t n;                 /* ARRAY / OBJECT: element count */
} r1_json;

R1_API r1_json *r1_json_parse(const char *text, size_t len, r1_error *err);
R1_API r1_json *r1_json_parse_file(const char *path, r1_error *err);
R1_API void r1_json_free(r1_json *json);
R1_API const r1_json *r1_json_get(const r1_json *object, const char *key); /* NULL if absent */


/* ---- Grammars: answers in a notation (constrained sampling) ----
   GBNF, the notation llama.cpp users write:
       root   ::= "{" ws "\"answer\":" ws int ws "}"
       int    ::= "-"? [0-9]+          # comments run to the end of the line
       ws     ::= [ \t\n]*
   literals "..." (\n \t \r \\ \" \xHH \uHHHH escapes), character classes [a-z_] and [^"\\],
   `.` (any character), rule references, ( ) groups, | alternation, and the repetitions ? * +
   {m} {m,} {m,n}. A rule ends at the end of its line unless a group or a | is still open.
   Left-recursive rules (a ::= a "x") are refused. */
typedef struct r1_grammar r1_grammar;
/* Compiles GBNF text (len bytes). root: the start rule (NULL = "root"). tok: the tokenizer
   whose tokens the grammar will choose among in r1_generate (it must outlive the grammar),
   or NULL for a grammar used with r1_grammar_match only. A grammar is read-only once made:
   any number of generations, on any threads, may use it at once. */
R1_API r1_grammar *r1_grammar_new(const r1_tokenizer *tok, const char *gbnf, size_t len, const char *root, r1_error *err);
/* JSON Schema -> GBNF (the caller frees the text with R1_FREE, free() by default). The subset:
   type object (properties, required; no other members), string, number, integer, boolean,
   null, array (items, minItems, maxItems), enum, const, anyOf / oneOf, nested at will; a type
   list ["string", "null"]; {} or true for any JSON value. Properties come in the schema's order. */
R1_API char *r1_json_schema_to_gbnf(const char *schema, size_t len, r1_error *err);
/* The two in one step. */
R1_API r1_grammar *r1_grammar_from_json_schema(const r1_tokenizer *tok, const char *schema, size_t len, r1_error *err);
/* GBNF for any JSON object (OpenAI's response_format "json_object"; the CLI's --json). */
R1_API const char *r1_grammar_json_gbnf(void);
R1_API void r1_grammar_free(r1_grammar *g);
enum { R1_GRAMMAR_REJECT = 0, R1_GRAMMAR_PREFIX = 1, R1_GRAMMAR_COMPLETE = 2 };
/* Is text (UTF-8) in the grammar's language (R1_GRAMMAR_COMPLETE), only the start of
   something in it (R1_GRAMMAR_PREFIX), or neither (R1_GRAMMAR_REJECT)? -1 when matching would
   need more states than r1.h allows (an ambiguous grammar on a long text). */
R1_API int r1_grammar_match(const r1_grammar *g, const char *text, size_t len);

/* ---- Chat and reasoning ---- */
typedef struct r1_chat_message {
    const char *role;         /* "system", "user" or "assistant" */
    const char *content;      /* UTF-8; an assistant's <think>...</think> part is dropped, as R1's template does */
} r1_chat_message;
/* Renders the model's chat template (DeepSeek-R1's, or ChatML for other Qwen models) into out;
   with add_generation_prompt it ends with the assistant's opening (R1: "<｜Assistant｜><think>\n").
   Returns the length (out may be NULL with size 0 to measure), or -1. */
R1_API long r1_chat_render(const r1_tokenizer *tok, const r1_chat_message *msgs, int n_msgs,
                           int add_generation_prompt, char *out, size_t size, r1_error *err);
enum { R1_CHAT_NO_PROMPT = 0, R1_CHAT_PROMPT = 1, R1_CHAT_PROMPT_NO_THINK = 2 };
/* The chat template rendered and tokenized in one call, the safe way for messages from users:
   the template's own markers become control tokens, every message's content is plain text
   (r1_tokenize_plain), so no content can close a turn or a thought. add_generation_prompt:
   R1_CHAT_PROMPT opens the assistant's turn (R1: "<｜Assistant｜><think>\n"),
   R1_CHAT_PROMPT_NO_THINK also closes an empty thought so the model answers directly. For
   content without such text the ids equal r1_tokenize(r1_chat_render(...)). Returns the id
   count (ids may be NULL with max_ids 0 to measure), or -1. */
R1_API int r1_chat_tokenize(const r1_tokenizer *tok, const r1_chat_message *msgs, int n_msgs, int add_generation_prompt,
                            int32_t *ids, int max_ids, r1_error *err);

enum { R1_PIECE_THINKING = 1, R1_PIECE_ANSWER = 2 };
enum {
    R1_STOP_EOS = 0,          /* the model ended its turn (or the grammar's answer is complete) */
    R1_STOP_STRING = 1,       /* a stop string */
    R1_STOP_LENGTH = 2,       /* n_predict tokens */
    R1_STOP_CONTEXT = 3,      /* the context is full: make the context with a larger n_ctx (CLI: -c) */
    R1_STOP_CALLBACK = 4,     /* the piece callback returned nonzero */
    R1_STOP_LOOP = 5,         /* the thought looped and loop_action is R1_LOOP_STOP */
    R1_STOP_ABORTED = 6       /* r1_context_abort: the call returned R1_ERR_ABORTED, the result
                                 holds what was generated until then */
};
/* What generation does when the thought loops (repeats what it already wrote). */
enum {
    R1_LOOP_CLOSE = 0,        /* wrap up as when the budget runs out: the wrap-up sentence, then
                                 think_allowance tokens for the model to close the thought */
    R1_LOOP_PENALIZE = 1,     /* raise the repetition penalty (x1.3, at least 1.3) */
    R1_LOOP_STOP = 2          /* stop with R1_STOP_LOOP */
};
/* Receives each piece of generated text (complete UTF-8) and whether it is thinking or
   answer; return nonzero to stop. */
typedef int (*r1_piece_fn)(void *user, const char *text, size_t len, int kind);
typedef struct r1_generate_params {
    int n_predict;            /* most tokens to sample; 0 = until EOS or the context is full */
    int think_budget;         /* -1 = unlimited; else the thought's most tokens: when it is near, the
                                 wrap-up sentence goes into the thought and the model has
                                 think_allowance tokens to close it; at the budget the thought is
                                 closed with "\n</think>\n\n" and the model goes on to answer.
                                 See r1_reasoning_effort_budget for presets. */
    const char *think_wrapup; /* NULL = "Time is up, so I will answer now with what I have." (with
                                 blank lines); "" = close at the budget without one */
    int think_allowance;      /* tokens between the wrap-up and the budget; default 32 */
    const char *const *stop;  /* stop strings, matched in the answer (not included in it) */
    int n_stop;
    r1_sampler_params sampling;
    const r1_grammar *grammar;/* NULL = free text; else the answer (after </think>, leading blank
                                 lines allowed) must match it, and ends when it is complete */
    int grammar_whole;        /* 1: the grammar covers every sampled token, from the first (for
                                 prompts without thinking: R1_CHAT_PROMPT_NO_THINK) */
    int loop_detect;          /* watch the thought for loops (repeated spans); default 1 */
    int loop_action;          /* R1_LOOP_CLOSE (default), R1_LOOP_PENALIZE or R1_LOOP_STOP */
    int spec;                 /* speculative decoding (r1_generate only): R1_SPEC_NONE (default),
                                 R1_SPEC_LOOKUP: draft the next tokens by copying what followed the
                                 last 3 tokens where they occurred before in the sequence, or
                                 R1_SPEC_DRAFT: a smaller model's greedy continuation (draft); the
                                 draft is checked in one pass. The output is exactly plain
                                 decoding's, for any sampling (each drafted token is kept only if
                                 the sampler, given the same logits, draws it) */
    int draft_max;            /* most tokens drafted at a time; default 8, at most 64 */
    struct r1_context *draft; /* R1_SPEC_DRAFT: a context on the draft model (the same vocabulary;
                                 not ctx itself). Its sequence 0 is the draft's copy of the text:
                                 r1_generate resets it and keeps it in step */
} r1_generate_params;
enum { R1_SPEC_NONE = 0, R1_SPEC_LOOKUP = 1, R1_SPEC_DRAFT = 2 };
typedef struct r1_generate_result {
    char *thinking;           /* the reasoning text (owned; r1_generate_result_free) */
    char *answer;             /* the answer, without the thinking and leading blank lines */
    int n_tokens;             /* tokens sampled */
    int n_thinking_tokens;
    int stop_reason;          /* R1_STOP_* */
    int loop_at;              /* thought tokens when a loop was seen, -1 when none was */
    int n_drafted;            /* spec: tokens drafted, and of them */
    int n_accepted;           /* the ones kept (sampled tokens that came without a pass of their own) */
} r1_generate_result;
R1_API r1_generate_params r1_generate_default_params(void);
/* think_budget for OpenAI's reasoning_effort: "none" 0, "low" 1024, "medium" 4096, "high"
   16384; -2 for anything else. */
R1_API int r1_reasoning_effort_budget(const char *effort);
/* Evaluates prompt (appended to what the context holds), then samples until a stop.
   Thinking is on when the prompt leaves a <think> open (R1's template does). */
R1_API r1_status r1_generate(r1_context *ctx, const r1_tokenizer *tok, const int32_t *prompt, int n_prompt,
                             const r1_generate_params *params, r1_piece_fn on_piece, void *user,
                             r1_generate_result *result, r1_error *err);
R1_API void r1_generate_result_free(r1_generate_result *result);
/* n_samples continuations of one prompt, stepped together: the prompt is evaluated once in
   sequence 0 and forked to sequences 1 .. n_samples-1 (n_samples <= the context's n_seq), and
   each step decodes one token of every unfinished sample in one batch. Sample s uses the
   sampling seed params->sampling.seed + s; with greedy sampling every sample equals what
   r1_generate gives. The cache rows are shared evenly; the context is left holding the samples. */
R1_API r1_status r1_generate_batch(r1_context *ctx, const r1_tokenizer *tok, const int32_t *prompt, int n_prompt,
                                   int n_samples, const r1_generate_params *params,
                                   r1_generate_result *results, r1_error *err);
/* ---- Generations stepped by the caller (a server's requests, which come and go) ----
   An r1_gen is one r1_generate in progress on one sequence of a context. r1_gen_step advances
   any number of them together: it samples the next token of each and appends them all in one
   r1_decode_batch pass, so requests that started at different times share every weight read.
   The caller puts the prompt into the sequence itself (reusing cache rows a shared prefix left
   there, in chunks between steps, ...) and makes the r1_gen right after the call that ended
   the prompt: the generation starts from r1_context_logits.

       r1_seq_truncate(ctx, seq, kept);                              // rows it can reuse
       r1_eval_seq(ctx, seq, prompt + kept, n - kept, NULL, &err);   // the rest
       r1_gen *g = r1_gen_new(ctx, tok, seq, prompt, n, &gp, on_piece, user, &err);
       while (!r1_gen_done(g)) r1_gen_step(ctx, &g, 1, &err);        // or with every live one
       r1_gen_finish(g, &res, &err);                                 // res as r1_generate's; frees g

   With the same parameters a generation gives exactly what r1_generate gives, whatever it is
   stepped with. */
typedef struct r1_gen r1_gen;
/* prompt: everything the sequence holds (it tells whether thinking is on and seeds the
   penalties' history); the sequence must hold at least one token. on_piece may be NULL. */
R1_API r1_gen *r1_gen_new(r1_context *ctx, const r1_tokenizer *tok, int seq, const int32_t *prompt, int n_prompt,
                          const r1_generate_params *params, r1_piece_fn on_piece, void *user, r1_error *err);
/* One token for each of gens[0..n) that is not done (each on its own sequence; done ones are
   skipped), in one pass. Cache rows are shared evenly: a generation stops with R1_STOP_CONTEXT
   when its share (free rows / live generations) runs out. A failure of one generation (a
   grammar no token can continue, out of memory) ends that one only, r1_gen_finish reports it;
   the call fails (R1_ERR_ABORTED, ...) only when the pass itself does. */
R1_API r1_status r1_gen_step(r1_context *ctx, r1_gen *const *gens, int n, r1_error *err);
R1_API int r1_gen_done(const r1_gen *g);       /* 1 when over (or NULL) */
R1_API int r1_gen_seq(const r1_gen *g);        /* its sequence */
R1_API int r1_gen_n_tokens(const r1_gen *g);   /* tokens sampled so far */
R1_API int r1_gen_n_thinking(const r1_gen *g); /* of them (and the wrap-up's) in the thought */
/* Ends it and frees g: a finished one streams what it held back (the answer's tail that could
   have begun a stop string); one not done (a client that left) ends with R1_STOP_CALLBACK.
   Fills result (NULL: not wanted; else free it with r1_generate_result_free). Returns the
   generation's status: R1_OK, or the error that ended it (result is then empty). */
R1_API r1_status r1_gen_finish(r1_gen *g, r1_generate_result *result, r1_error *err);

/* The content of the last balanced \boxed{...} in text (NUL-terminated in out, spaces kept);
   returns its length, or -1 when there is none (or out is too small). */
R1_API long r1_extract_boxed(const char *text, char *out, size_t size);

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
R1_API r1_status r1_quantize(int type, const float *src, void *dst, int64_t n); /* as llama-quantize does
                                                   without an importance matrix; not q2_k / q3_k (R1_ERR_ARGUMENT) */
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
#include <float.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Every kernel rounds each multiply and add as written (one explicit multiply-add where it says
   so): results must not depend on the compiler. GCC in ISO C mode does not fuse a * b + c by
   itself; clang does unless told (it fused the float and float16 attention loops differently). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

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
/* windows.h without its min / max macros and rarely used headers, and without leaving these
   two defined for the code that includes r1.h */
#if !defined(WIN32_LEAN_AND_MEAN)
#define WIN32_LEAN_AND_MEAN
#define R1__LEAN_DEFINED
#endif
#if !defined(NOMINMAX)
#define NOMINMAX
#define R1__NOMINMAX_DEFINED
#endif
#include <windows.h>
#if defined(R1__LEAN_DEFINED)
#undef WIN32_LEAN_AND_MEAN
#undef R1__LEAN_DEFINED
#endif
#if defined(R1__NOMINMAX_DEFINED)
#undef NOMINMAX
#undef R1__NOMINMAX_DEFINED
#endif
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif
#if !defined(R1_NO_THREADS) && !defined(_WIN32)
#include <pthread.h>
#include <sched.h>
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

/* Returns a helper's status when it is not R1_OK (whether or not an r1_error was given). */
#define R1__TRY(x) do { r1_status r1__st_ = (x); if (r1__st_ != R1_OK) return r1__st_; } while (0)

static void r1__ok(r1_error *err) {
    if (err) { err->code = R1_OK; err->message[0] = 0; }
}

R1_API double r1_seconds(void) {
#if defined(_WIN32)
    LARGE_INTEGER f, t;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)f.QuadPart;
#elif defined(CLOCK_MONOTONIC)
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
#else
    return (double)clock() / CLOCKS_PER_SEC; /* no POSIX clock in this build: processor time */
#endif
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
    case R1_ERR_ABORTED: return "aborted";
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
    int header_only;          /* the tensor data is not there (a file being planned): data pointers stay
                                 NULL and offsets are not checked against the size */
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


/* Duplicate names among n records (size bytes apart, each with an r1__str at `at`): one of
   them, NULL when none, &r1__no_memory when the index cannot be allocated. Sorting an index
   keeps files of many keys or tensors at n log n (pairwise checks took minutes at 200k). */
static const r1__str r1__no_memory = { NULL, 0 };
static int r1__str_order(const void *a, const void *b) {
    const r1__str *x = *(const r1__str *const *)a, *y = *(const r1__str *const *)b;
    if (x->len != y->len) return x->len < y->len ? -1 : 1;
    return x->len ? memcmp(x->ptr, y->ptr, (size_t)x->len) : 0;
}
static const r1__str *r1__duplicate(const void *records, size_t n, size_t size, size_t at) {
    const r1__str **index, *dup = NULL;
    size_t i;
    if (n < 2) return NULL;
    index = (const r1__str **)R1_MALLOC(n * sizeof *index);
    if (!index) return &r1__no_memory;
    for (i = 0; i < n; i++) index[i] = (const r1__str *)((const char *)records + i * size + at);
    qsort(index, n, sizeof *index, r1__str_order);
    for (i = 1; i < n && !dup; i++)
        if (r1__str_order(&index[i - 1], &index[i]) == 0) dup = index[i];
    R1_FREE(index);
    return dup;
}
static r1_status r1__gguf_parse_ex(r1__gguf *g, const void *data, size_t size, int header_only, r1_error *err) {
    r1__reader r;
    uint32_t magic;
    uint64_t i, data_start, remaining;
    char what[R1__GGUF_MAX_NAME + 64];
    const r1__kv *align;
    r1_error local; /* the failure paths below return err->code: keep one when the caller gave none */

    if (!err) err = &local;
    memset(g, 0, sizeof *g);
    g->header_only = header_only;
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

    {   /* no key twice (sorted, so a file of many keys costs n log n, not n^2) */
        const r1__str *dup = r1__duplicate(g->kv, (size_t)g->n_kv, sizeof *g->kv, offsetof(r1__kv, key));
        if (dup == &r1__no_memory) { r1__fail(err, R1_ERR_MEMORY, "gguf: out of memory"); goto fail; }
        if (dup) { r1__fail(err, R1_ERR_FORMAT, "gguf: duplicate key '%.*s'", (int)(dup->len < 200 ? dup->len : 200), dup->ptr); goto fail; }
    }
    g->alignment = 32;
    align = r1__gguf_find(g, "general.alignment");
    if (align) {
        int64_t a;
        /* at least 8: every block type's fields are then naturally aligned in the mapping */
        if (align->type != R1__GGUF_U32 || !r1__kv_int(align, &a) || a < 8 || (a & (a - 1)) != 0) {
            r1__fail(err, R1_ERR_FORMAT, "gguf: general.alignment must be a u32 power of two of at least 8");
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

    {
        const r1__str *dup = r1__duplicate(g->tensors, (size_t)g->n_tensors, sizeof *g->tensors, offsetof(r1__tensor, name));
        if (dup == &r1__no_memory) { r1__fail(err, R1_ERR_MEMORY, "gguf: out of memory"); goto fail; }
        if (dup) { r1__fail(err, R1_ERR_FORMAT, "gguf: duplicate tensor '%.*s'", (int)dup->len, dup->ptr); goto fail; }
    }
    if (header_only) return R1_OK;
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
    if (g->n_tensors > 0) { /* the data ends with the last tensor (and its padding): more bytes after it
                               mean the header undercounts its tensor infos (they were read as data) */
        uint64_t end = 0, tail;
        for (i = 0; i < g->n_tensors; i++)
            if (g->tensors[i].offset + g->tensors[i].nbytes > end) end = g->tensors[i].offset + g->tensors[i].nbytes;
        end = (end + g->alignment - 1) / g->alignment * g->alignment;
        tail = g->size - data_start > end ? g->size - data_start - end : 0;
        if (tail >= g->alignment) {
            r1__fail(err, R1_ERR_FORMAT, "gguf: %llu bytes follow the last tensor's data (does the tensor count, %llu, leave some out?)",
                     (unsigned long long)tail, (unsigned long long)g->n_tensors);
            goto fail;
        }
    }
    return R1_OK;
fail:
    r1__gguf_free(g);
    return err->code;
}

static r1_status r1__gguf_parse(r1__gguf *g, const void *data, size_t size, r1_error *err) {
    return r1__gguf_parse_ex(g, data, size, 0, err);
}

/* Paths are UTF-8 everywhere. Windows' narrow file functions read them in the ANSI code page,
   so a model in a folder named with any other character (a user's home) would not open: there
   they go through the wide functions. */
#if defined(_WIN32)
/* path as a wide string (R1_FREE it), or NULL when it is not UTF-8 or memory runs out */
static wchar_t *r1__wide(const char *path) {
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0);
    wchar_t *w = n > 0 ? (wchar_t *)R1_MALLOC((size_t)n * sizeof(wchar_t)) : NULL;
    if (w && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, w, n) != n) { R1_FREE(w); w = NULL; }
    return w;
}
static FILE *r1__fopen(const char *path, const char *mode) {
    wchar_t *wp = r1__wide(path), *wm = r1__wide(mode);
    FILE *f = wp && wm ? _wfopen(wp, wm) : NULL;
    R1_FREE(wp);
    R1_FREE(wm);
    return f;
}
static int r1__remove(const char *path) {
    wchar_t *wp = r1__wide(path);
    int rc = wp ? _wremove(wp) : -1;
    R1_FREE(wp);
    return rc;
}
/* rename, replacing `to` when it exists */
static int r1__rename(const char *from, const char *to) {
    wchar_t *wf = r1__wide(from), *wt = r1__wide(to);
    int ok = wf && wt && MoveFileExW(wf, wt, MOVEFILE_REPLACE_EXISTING);
    R1_FREE(wf);
    R1_FREE(wt);
    return ok ? 0 : -1;
}
#else
#define r1__fopen fopen
#define r1__remove remove
#define r1__rename rename
#endif

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
        wchar_t *wpath = r1__wide(path);
        m->file = wpath ? CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL)
                        : INVALID_HANDLE_VALUE;
        R1_FREE(wpath);
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
        int fd = open(path, O_RDONLY | O_NONBLOCK); /* a FIFO or device must not block the open: refused below */
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

#define R1_QK4_1 32
typedef struct r1_block_q4_1 {
    uint16_t d, m;            /* fp16 scale and minimum: weight = d * nibble + m */
    uint8_t qs[R1_QK4_1 / 2]; /* as in q4_0 */
} r1_block_q4_1;

#define R1_QK5_0 32
typedef struct r1_block_q5_0 {
    uint16_t d;               /* fp16 scale: weight = d * (q - 16) */
    uint8_t qh[4];            /* bit j: the 5th bit of weight j */
    uint8_t qs[R1_QK5_0 / 2]; /* low 4 bits, as in q4_0 */
} r1_block_q5_0;

#define R1_QK5_1 32
typedef struct r1_block_q5_1 {
    uint16_t d, m;            /* weight = d * q + m */
    uint8_t qh[4];
    uint8_t qs[R1_QK5_1 / 2];
} r1_block_q5_1;

/* k-quants: super-blocks of 256 weights in sub-blocks of 16 or 32, each with its own scale. */
#define R1_QK_K 256
typedef struct r1_block_q2_k {
    uint8_t scales[R1_QK_K / 16]; /* per 16 weights: low nibble scale, high nibble min */
    uint8_t qs[R1_QK_K / 4];      /* 2-bit weights: byte l of each 32-byte half, shifted by 0/2/4/6 */
    uint16_t d, dmin;             /* fp16 super-scales of the scales and of the mins */
} r1_block_q2_k;

typedef struct r1_block_q3_k {
    uint8_t hmask[R1_QK_K / 8];   /* the 3rd bit (inverted: 0 subtracts 4) */
    uint8_t qs[R1_QK_K / 4];      /* low 2 bits, laid out as in q2_k */
    uint8_t scales[12];           /* 16 signed 6-bit scales (offset 32), packed */
    uint16_t d;
} r1_block_q3_k;

typedef struct r1_block_q4_k {
    uint16_t d, dmin;
    uint8_t scales[12];           /* 8 6-bit scales and 8 6-bit mins, packed */
    uint8_t qs[R1_QK_K / 2];      /* per 64 weights: 32 bytes, low nibbles first, then high */
} r1_block_q4_k;

typedef struct r1_block_q5_k {
    uint16_t d, dmin;
    uint8_t scales[12];
    uint8_t qh[R1_QK_K / 8];      /* bit s of byte l: 5th bit of weight l of sub-block s */
    uint8_t qs[R1_QK_K / 2];
} r1_block_q5_k;

typedef struct r1_block_q6_k {
    uint8_t ql[R1_QK_K / 2];      /* low 4 bits */
    uint8_t qh[R1_QK_K / 4];      /* high 2 bits */
    int8_t scales[R1_QK_K / 16];  /* per 16 weights */
    uint16_t d;
} r1_block_q6_k;

typedef void (*r1__to_float_fn)(const void *src, float *dst, int64_t n);
typedef void (*r1__from_float_fn)(const float *src, void *dst, int64_t n);
typedef float (*r1__dot_fn)(const void *row, const float *x, int n); /* row . x, n weights */

typedef void (*r1__pack8_fn)(const uint8_t *src, size_t row_bytes, int n, uint8_t *dst);

typedef struct r1__type_info {
    int type;                 /* its R1_TYPE_* id, which is also its slot (checked by the tests) */
    const char *name;
    int block_size;           /* weights per block */
    size_t block_bytes;       /* bytes per block; 0 = unknown type */
    r1__to_float_fn to_float; /* NULL = known to GGUF but not implemented here */
    r1__from_float_fn from_float;
    r1__dot_fn dot;
    r1__pack8_fn pack8;       /* 8 rows into the layout of the dotq8 kernels; NULL = not packed */
} r1__type_info;

/* ======================================================================================
   5. KERNELS: SCALAR
   Plain C, the reference every SIMD kernel is compared with. Dots accumulate in float
   over 8 independent lanes, which keeps them fast and their rounding stable.
   ====================================================================================== */

/* Kernels that differ only in their ISA (or their cache element type) are written once, in
   section 12, and compiled once per ISA by including this file again with R1__PASS set to one
   of these groups. R1_SELF is this file's name: a quoted include looks in the including file's
   directory first, so "r1.h" finds this very file; define R1_SELF if you renamed it. */
#ifndef R1_SELF
#define R1_SELF "r1.h"
#endif
#define R1__PASS_X86_ROWS 1
#define R1__PASS_X86_PACKED 2
#define R1__PASS_ATTN_C 3
#define R1__PASS_ATTN_AVX2 4
#define R1__PASS_MIX_AVX512 5
#define R1__PASS_SCORES_AVX512 6
#define R1__PASS_AMX 7
#define R1__PASS_NEON_ROWS 8
#define R1__PASS_NEON_PACKED 9
#define R1__PASS_ATTN_NEON 10
/* The compiler families r1.h has SIMD code for. GCC and clang compile each kernel for its ISA
   by a target attribute (the CPU is checked at run time before one is called); MSVC needs no
   attribute for intrinsics, has no always_inline or aligned attribute by those names, and no
   GNU inline asm. These are the only places the two differ. */
#if defined(__GNUC__) || defined(__clang__)
#define R1__GNU 1
#define R1__MSVC 0
#define R1__TARGET_AVX2 __attribute__((target("avx2,fma,f16c")))
#define R1__TARGET_AVX512F __attribute__((target("avx2,fma,f16c,avx512f")))
#define R1__TARGET_AVX512BW __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl")))
#define R1__TARGET_VNNI __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")))
#define R1__TARGET_AVXVNNI __attribute__((target("avx2,fma,f16c,avxvnni")))
#define R1__TARGET_DOTPROD __attribute__((target("arch=armv8.2-a+dotprod")))
#define R1__ALWAYS_INLINE inline __attribute__((always_inline))
#define R1__ALIGNED(n) __attribute__((aligned(n)))
#elif defined(_MSC_VER)
#define R1__GNU 0
#define R1__MSVC 1
#define R1__TARGET_AVX2
#define R1__TARGET_AVX512F
#define R1__TARGET_AVX512BW
#define R1__TARGET_VNNI
#define R1__TARGET_DOTPROD
#define R1__ALWAYS_INLINE __forceinline
#define R1__ALIGNED(n) __declspec(align(n))
#else
#define R1__GNU 0
#define R1__MSVC 0
#endif
#define R1__NAME2_(a, b) a##_##b
#define R1__NAME2(a, b) R1__NAME2_(a, b) /* a_b, after expanding both */
#define R1__NAME3_(a, b, c) a##_##b##_##c
#define R1__NAME3(a, b, c) R1__NAME3_(a, b, c)
#define R1__FN(name) R1__NAME2(name, R1__SFX) /* name_avx2 in the avx2 pass */

/* float -> int in [lo, hi], rounding half away from zero; NaN becomes 0 (casting NaN or an
   out-of-range float to int is undefined behaviour, and hostile files can make both) */
static int r1__round_clamp(float v, int lo, int hi) {
    if (!(v == v)) return 0;
    if (v <= (float)lo) return lo;
    if (v >= (float)hi) return hi;
    return (int)roundf(v);
}

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
        for (j = 0; j < R1_QK8_0; j++) b[i].qs[j] = (int8_t)r1__round_clamp(x[j] * id, -128, 127);
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
            /* truncation of x/d + 8.5, as ggml; kept in [0, 15] */
            float v0 = x[j] * id + 8.5f, v1 = x[j + 16] * id + 8.5f;
            int q0 = v0 == v0 && v0 > 0.0f ? (v0 < 15.0f ? (int)v0 : 15) : 0;
            int q1 = v1 == v1 && v1 > 0.0f ? (v1 < 15.0f ? (int)v1 : 15) : 0;
            b[i].qs[j] = (uint8_t)(q0 | q1 << 4);
        }
    }
}

/* The dequantizers below reproduce gguf-py's float32 arithmetic operation for operation, so
   their output is bit-identical to llama.cpp's reference dumps. */

static void r1__q4_1_to_float(const void *src, float *dst, int64_t n) {
    const r1_block_q4_1 *b = (const r1_block_q4_1 *)src;
    int64_t i;
    int j;
    for (i = 0; i < n / R1_QK4_1; i++, dst += R1_QK4_1) {
        float d = r1_fp16_to_fp32(b[i].d), m = r1_fp16_to_fp32(b[i].m);
        for (j = 0; j < 16; j++) {
            dst[j] = d * (float)(b[i].qs[j] & 0x0f) + m;
            dst[j + 16] = d * (float)(b[i].qs[j] >> 4) + m;
        }
    }
}

static int r1__q5_value(const uint8_t *qh, const uint8_t *qs, int j) {
    uint32_t h = (uint32_t)qh[0] | (uint32_t)qh[1] << 8 | (uint32_t)qh[2] << 16 | (uint32_t)qh[3] << 24;
    int low = j < 16 ? qs[j] & 0x0f : qs[j - 16] >> 4;
    return low | (int)((h >> j) & 1) << 4;
}

static void r1__q5_0_to_float(const void *src, float *dst, int64_t n) {
    const r1_block_q5_0 *b = (const r1_block_q5_0 *)src;
    int64_t i;
    int j;
    for (i = 0; i < n / R1_QK5_0; i++, dst += R1_QK5_0) {
        float d = r1_fp16_to_fp32(b[i].d);
        for (j = 0; j < 32; j++) dst[j] = d * (float)(r1__q5_value(b[i].qh, b[i].qs, j) - 16);
    }
}

static void r1__q5_1_to_float(const void *src, float *dst, int64_t n) {
    const r1_block_q5_1 *b = (const r1_block_q5_1 *)src;
    int64_t i;
    int j;
    for (i = 0; i < n / R1_QK5_1; i++, dst += R1_QK5_1) {
        float d = r1_fp16_to_fp32(b[i].d), m = r1_fp16_to_fp32(b[i].m);
        for (j = 0; j < 32; j++) dst[j] = d * (float)r1__q5_value(b[i].qh, b[i].qs, j) + m;
    }
}

/* Weight e of a 256 block stored as 2-bit fields: half h = e / 128 uses bytes h*32 .. h*32+31,
   field k = (e % 128) / 32 is at bits 2k. */
static int r1__q2_field(const uint8_t *qs, int e) {
    return (qs[(e / 128) * 32 + e % 32] >> (2 * ((e % 128) / 32))) & 3;
}

static void r1__q2_k_to_float(const void *src, float *dst, int64_t n) {
    const r1_block_q2_k *b = (const r1_block_q2_k *)src;
    int64_t i;
    int e;
    for (i = 0; i < n / R1_QK_K; i++, dst += R1_QK_K) {
        float d = r1_fp16_to_fp32(b[i].d), dmin = r1_fp16_to_fp32(b[i].dmin);
        for (e = 0; e < R1_QK_K; e++) {
            uint8_t sc = b[i].scales[e / 16];
            float dl = d * (float)(sc & 0x0f), ml = dmin * (float)(sc >> 4);
            dst[e] = dl * (float)r1__q2_field(b[i].qs, e) - ml;
        }
    }
}

static void r1__q3_k_to_float(const void *src, float *dst, int64_t n) {
    const r1_block_q3_k *b = (const r1_block_q3_k *)src;
    int64_t i;
    int e, s;
    for (i = 0; i < n / R1_QK_K; i++, dst += R1_QK_K) {
        float d = r1_fp16_to_fp32(b[i].d), dl[16];
        for (s = 0; s < 16; s++) {
            int low = (b[i].scales[s % 8] >> (4 * (s / 8))) & 0x0f, high = (b[i].scales[8 + s % 4] >> (2 * (s / 4))) & 3;
            dl[s] = d * (float)((low | high << 4) - 32);
        }
        for (e = 0; e < R1_QK_K; e++) {
            int hbit = (b[i].hmask[e % 32] >> (e / 32)) & 1;
            dst[e] = dl[e / 16] * (float)(r1__q2_field(b[i].qs, e) - (hbit ? 0 : 4));
        }
    }
}

/* The 8 scales and 8 mins of q4_k / q5_k: 6 bits each, packed into 12 bytes. */
static void r1__k_scale_min(const uint8_t *q, int s, int *sc, int *mn) {
    if (s < 4) {
        *sc = q[s] & 0x3f;
        *mn = q[s + 4] & 0x3f;
    } else {
        *sc = (q[s + 4] & 0x0f) | ((q[s - 4] >> 2) & 0x30);
        *mn = (q[s + 4] >> 4) | ((q[s] >> 2) & 0x30);
    }
}

static void r1__q4_k_to_float(const void *src, float *dst, int64_t n) {
    const r1_block_q4_k *b = (const r1_block_q4_k *)src;
    int64_t i;
    int s, l;
    for (i = 0; i < n / R1_QK_K; i++, dst += R1_QK_K) {
        float d = r1_fp16_to_fp32(b[i].d), dmin = r1_fp16_to_fp32(b[i].dmin);
        for (s = 0; s < 8; s++) { /* sub-block s: bytes (s/2)*32.., nibble s%2 */
            int sc, mn;
            float ds, dm;
            r1__k_scale_min(b[i].scales, s, &sc, &mn);
            ds = d * (float)sc;
            dm = dmin * (float)mn;
            for (l = 0; l < 32; l++) dst[s * 32 + l] = ds * (float)((b[i].qs[(s / 2) * 32 + l] >> (4 * (s % 2))) & 0x0f) - dm;
        }
    }
}

static void r1__q5_k_to_float(const void *src, float *dst, int64_t n) {
    const r1_block_q5_k *b = (const r1_block_q5_k *)src;
    int64_t i;
    int s, l;
    for (i = 0; i < n / R1_QK_K; i++, dst += R1_QK_K) {
        float d = r1_fp16_to_fp32(b[i].d), dmin = r1_fp16_to_fp32(b[i].dmin);
        for (s = 0; s < 8; s++) {
            int sc, mn;
            float ds, dm;
            r1__k_scale_min(b[i].scales, s, &sc, &mn);
            ds = d * (float)sc;
            dm = dmin * (float)mn;
            for (l = 0; l < 32; l++) {
                int q = ((b[i].qs[(s / 2) * 32 + l] >> (4 * (s % 2))) & 0x0f) | ((b[i].qh[l] >> s) & 1) << 4;
                dst[s * 32 + l] = ds * (float)q - dm;
            }
        }
    }
}

static void r1__q6_k_to_float(const void *src, float *dst, int64_t n) {
    const r1_block_q6_k *b = (const r1_block_q6_k *)src;
    int64_t i;
    int e;
    for (i = 0; i < n / R1_QK_K; i++, dst += R1_QK_K) {
        float d = r1_fp16_to_fp32(b[i].d);
        for (e = 0; e < R1_QK_K; e++) { /* half h, field k (0..3) of 32, position l */
            int h = e / 128, k = (e % 128) / 32, l = e % 32;
            int low = (b[i].ql[h * 64 + (k % 2) * 32 + l] >> (4 * (k / 2))) & 0x0f;
            int high = (b[i].qh[h * 32 + l] >> (2 * k)) & 3;
            dst[e] = (d * (float)b[i].scales[e / 16]) * (float)((low | high << 4) - 32);
        }
    }
}

/* ---- Quantizers for q4_1, q5_0, q5_1 and the k-quants ----
   They reproduce llama.cpp's reference quantizers (the ones llama-quantize runs without an
   importance matrix) float operation for float operation, so a file quantized here holds the
   same bytes as one quantized by llama-quantize from the same weights. Rounding is to nearest,
   ties to even, as ggml's nearest_int does. */

/* round to nearest, ties to even, for |v| < 2^22 (adding 1.5 * 2^23 leaves the integer in the
   low mantissa bits); out-of-range values and NaN give some int, never undefined behaviour */
static int r1__nearest_int(float v) {
    float biased = v + 12582912.0f;
    int32_t bits;
    memcpy(&bits, &biased, 4);
    return (bits & 0x007fffff) - 0x00400000;
}

/* truncation of a float already offset to be >= 0 (as ggml's casts), kept in [0, hi] */
static int r1__trunc_clamp(float v, int hi) {
    if (!(v > 0.0f)) return 0;            /* NaN too */
    return v < (float)hi ? (int)v : hi;
}

static void r1__q5_0_from_float(const float *src, void *dst, int64_t n) {
    r1_block_q5_0 *b = (r1_block_q5_0 *)dst;
    int64_t i;
    int j;
    for (i = 0; i < n / R1_QK5_0; i++) {
        const float *x = src + i * R1_QK5_0;
        float amax = 0.0f, max = 0.0f, d, id;
        uint32_t qh = 0;
        for (j = 0; j < 32; j++)
            if (fabsf(x[j]) > amax) { amax = fabsf(x[j]); max = x[j]; }
        d = max / -16.0f;
        id = d != 0.0f ? 1.0f / d : 0.0f;
        b[i].d = r1_fp32_to_fp16(d);
        for (j = 0; j < 16; j++) {
            int q0 = r1__trunc_clamp(x[j] * id + 16.5f, 31), q1 = r1__trunc_clamp(x[j + 16] * id + 16.5f, 31);
            b[i].qs[j] = (uint8_t)((q0 & 0x0f) | (q1 & 0x0f) << 4);
            qh |= (uint32_t)(q0 >> 4) << j | (uint32_t)(q1 >> 4) << (j + 16);
        }
        for (j = 0; j < 4; j++) b[i].qh[j] = (uint8_t)(qh >> (8 * j));
    }
}

/* q4_1 / q5_1: a block's 32 levels 0..nmax on the grid from its minimum to its maximum,
   with the grid's step and start as float16 */
static void r1__min_max_levels(const float *x, int nmax, int *q, uint16_t *d_out, uint16_t *m_out) {
    float min = FLT_MAX, max = -FLT_MAX, d, id;
    int j;
    for (j = 0; j < 32; j++) {
        if (x[j] < min) min = x[j];
        if (x[j] > max) max = x[j];
    }
    d = (max - min) / (float)nmax;
    id = d != 0.0f ? 1.0f / d : 0.0f;
    *d_out = r1_fp32_to_fp16(d);
    *m_out = r1_fp32_to_fp16(min);
    for (j = 0; j < 32; j++) q[j] = r1__trunc_clamp((x[j] - min) * id + 0.5f, nmax);
}

static void r1__q4_1_from_float(const float *src, void *dst, int64_t n) {
    r1_block_q4_1 *b = (r1_block_q4_1 *)dst;
    int64_t i;
    int j, q[32];
    for (i = 0; i < n / R1_QK4_1; i++) {
        r1__min_max_levels(src + i * R1_QK4_1, 15, q, &b[i].d, &b[i].m);
        for (j = 0; j < 16; j++) b[i].qs[j] = (uint8_t)(q[j] | q[j + 16] << 4);
    }
}

static void r1__q5_1_from_float(const float *src, void *dst, int64_t n) {
    r1_block_q5_1 *b = (r1_block_q5_1 *)dst;
    int64_t i;
    int j, q[32];
    for (i = 0; i < n / R1_QK5_1; i++) {
        uint32_t qh = 0;
        r1__min_max_levels(src + i * R1_QK5_1, 31, q, &b[i].d, &b[i].m);
        for (j = 0; j < 16; j++) {
            b[i].qs[j] = (uint8_t)((q[j] & 0x0f) | (q[j + 16] & 0x0f) << 4);
            qh |= (uint32_t)(q[j] >> 4) << j | (uint32_t)(q[j + 16] >> 4) << (j + 16);
        }
        for (j = 0; j < 4; j++) b[i].qh[j] = (uint8_t)(qh >> (8 * j));
    }
}

/* Scale and minimum for n values quantized to 0..nmax with weights w (min <= 0): start from
   the min/max grid, then try nstep+1 slightly different grids, each followed by a weighted
   least-squares fit of scale and minimum, and keep the one with the least weighted squared
   error. L gets the levels; returns the scale, *neg_min the minimum's magnitude. */
static float r1__fit_scale_min(int n, int nmax, const float *x, const float *w, uint8_t *L, float *neg_min,
                               float rmin, float rdelta, int nstep) {
    float min = x[0], max = x[0], sum_w = w[0], sum_x = w[0] * x[0], iscale, scale, best_error = 0.0f;
    uint8_t trial[32];
    int i, is;
    for (i = 1; i < n; i++) {
        if (x[i] < min) min = x[i];
        if (x[i] > max) max = x[i];
        sum_w += w[i];
        sum_x += w[i] * x[i];
    }
    if (min > 0.0f) min = 0.0f;
    if (max == min) {
        for (i = 0; i < n; i++) L[i] = 0;
        *neg_min = -min;
        return 0.0f;
    }
    iscale = (float)nmax / (max - min);
    scale = 1.0f / iscale;
    for (i = 0; i < n; i++) {
        int l = r1__nearest_int(iscale * (x[i] - min));
        float diff;
        L[i] = (uint8_t)(l < 0 ? 0 : l > nmax ? nmax : l);
        diff = scale * (float)L[i] + min - x[i];
        best_error += w[i] * (diff * diff);
    }
    for (is = 0; is <= nstep; is++) {
        float sum_l = 0.0f, sum_l2 = 0.0f, sum_xl = 0.0f, det;
        iscale = (rmin + rdelta * (float)is + (float)nmax) / (max - min);
        for (i = 0; i < n; i++) {
            int l = r1__nearest_int(iscale * (x[i] - min));
            l = l < 0 ? 0 : l > nmax ? nmax : l;
            trial[i] = (uint8_t)l;
            sum_l += w[i] * (float)l;
            sum_l2 += w[i] * (float)l * (float)l;
            sum_xl += w[i] * (float)l * x[i];
        }
        det = sum_w * sum_l2 - sum_l * sum_l;
        if (det > 0.0f) {
            float this_scale = (sum_w * sum_xl - sum_x * sum_l) / det, this_min = (sum_l2 * sum_x - sum_l * sum_xl) / det, err = 0.0f;
            if (this_min > 0.0f) {
                this_min = 0.0f;
                this_scale = sum_xl / sum_l2;
            }
            for (i = 0; i < n; i++) {
                float diff = this_scale * (float)trial[i] + this_min - x[i];
                err += w[i] * (diff * diff);
            }
            if (err < best_error) {
                memcpy(L, trial, (size_t)n);
                best_error = err;
                scale = this_scale;
                min = this_min;
            }
        }
    }
    *neg_min = -min;
    return scale;
}

/* q4_k and q5_k: per sub-block of 32 a fitted scale and minimum (weights |x| + rms of the
   sub-block), both re-quantized to 6 bits against the super-block's largest, then every value
   re-quantized with the stored scales. nmax is 15 or 31. */
static void r1__k_from_float(const float *x, uint16_t *d_out, uint16_t *dmin_out, uint8_t *scales, uint8_t *L, int nmax) {
    float sc[8], mn[8], w[32], max_scale = 0.0f, max_min = 0.0f, inv_scale, inv_min, d, dmin;
    int j, l;
    for (j = 0; j < 8; j++) {
        const float *xs = x + 32 * j;
        float sum_x2 = 0.0f, av_x;
        for (l = 0; l < 32; l++) sum_x2 += xs[l] * xs[l];
        av_x = sqrtf(sum_x2 / 32.0f);
        for (l = 0; l < 32; l++) w[l] = av_x + fabsf(xs[l]);
        sc[j] = nmax == 15 ? r1__fit_scale_min(32, 15, xs, w, L + 32 * j, &mn[j], -1.0f, 0.1f, 20)
                           : r1__fit_scale_min(32, 31, xs, w, L + 32 * j, &mn[j], -0.5f, 0.1f, 15);
        if (sc[j] > max_scale) max_scale = sc[j];
        if (mn[j] > max_min) max_min = mn[j];
    }
    inv_scale = max_scale > 0.0f ? 63.0f / max_scale : 0.0f;
    inv_min = max_min > 0.0f ? 63.0f / max_min : 0.0f;
    memset(scales, 0, 12);
    for (j = 0; j < 8; j++) {
        uint8_t ls = (uint8_t)r1__nearest_int(inv_scale * sc[j]), lm = (uint8_t)r1__nearest_int(inv_min * mn[j]);
        if (ls > 63) ls = 63;
        if (lm > 63) lm = 63;
        if (j < 4) { /* the packing r1__k_scale_min reads */
            scales[j] = ls;
            scales[j + 4] = lm;
        } else {
            scales[j + 4] = (uint8_t)((ls & 0x0f) | (lm & 0x0f) << 4);
            scales[j - 4] |= (uint8_t)((ls >> 4) << 6);
            scales[j] |= (uint8_t)((lm >> 4) << 6);
        }
    }
    *d_out = r1_fp32_to_fp16(max_scale / 63.0f);
    *dmin_out = r1_fp32_to_fp16(max_min / 63.0f);
    d = r1_fp16_to_fp32(*d_out);
    dmin = r1_fp16_to_fp32(*dmin_out);
    for (j = 0; j < 8; j++) {
        int s, m;
        float ds, dm;
        r1__k_scale_min(scales, j, &s, &m);
        ds = d * (float)s;
        if (ds == 0.0f) continue;
        dm = dmin * (float)m;
        for (l = 0; l < 32; l++) {
            int q = r1__nearest_int((x[32 * j + l] + dm) / ds);
            L[32 * j + l] = (uint8_t)(q < 0 ? 0 : q > nmax ? nmax : q);
        }
    }
}

static void r1__q4_k_from_float(const float *src, void *dst, int64_t n) {
    r1_block_q4_k *b = (r1_block_q4_k *)dst;
    uint8_t L[R1_QK_K];
    int64_t i;
    int j, l;
    for (i = 0; i < n / R1_QK_K; i++, src += R1_QK_K) {
        r1__k_from_float(src, &b[i].d, &b[i].dmin, b[i].scales, L, 15);
        for (j = 0; j < 4; j++) /* 64 values per 32 bytes: low nibbles, then high */
            for (l = 0; l < 32; l++) b[i].qs[32 * j + l] = (uint8_t)(L[64 * j + l] | L[64 * j + 32 + l] << 4);
    }
}

static void r1__q5_k_from_float(const float *src, void *dst, int64_t n) {
    r1_block_q5_k *b = (r1_block_q5_k *)dst;
    uint8_t L[R1_QK_K];
    int64_t i;
    int j, l;
    for (i = 0; i < n / R1_QK_K; i++, src += R1_QK_K) {
        r1__k_from_float(src, &b[i].d, &b[i].dmin, b[i].scales, L, 31);
        memset(b[i].qh, 0, sizeof b[i].qh);
        for (j = 0; j < 4; j++)
            for (l = 0; l < 32; l++) {
                int lo = L[64 * j + l], hi = L[64 * j + 32 + l];
                b[i].qs[32 * j + l] = (uint8_t)((lo & 0x0f) | (hi & 0x0f) << 4);
                b[i].qh[l] |= (uint8_t)((lo >> 4) << (2 * j) | (hi >> 4) << (2 * j + 1));
            }
    }
}

/* q6_k: per 16 values a signed scale from a weighted (x^2) search over 19 grids around
   -32/max, the 16 scales stored as int8 against the largest, values re-quantized to -32..31. */
static float r1__q6_sub_scale(const float *x, int8_t *L) {
    float max = 0.0f, amax = 0.0f, iscale, sumlx = 0.0f, suml2 = 0.0f, scale, best;
    int i, is;
    for (i = 0; i < 16; i++)
        if (fabsf(x[i]) > amax) { amax = fabsf(x[i]); max = x[i]; }
    if (amax < 1e-15f) {
        for (i = 0; i < 16; i++) L[i] = 0;
        return 0.0f;
    }
    iscale = -32.0f / max;
    for (i = 0; i < 16; i++) {
        int l = r1__nearest_int(iscale * x[i]);
        float w = x[i] * x[i];
        l = l < -32 ? -32 : l > 31 ? 31 : l;
        L[i] = (int8_t)(l + 32);
        sumlx += w * x[i] * (float)l;
        suml2 += w * (float)l * (float)l;
    }
    scale = suml2 != 0.0f ? sumlx / suml2 : 0.0f;
    best = scale * sumlx;
    for (is = -9; is <= 9; is++) {
        if (is == 0) continue;
        iscale = -(32.0f + 0.1f * (float)is) / max;
        sumlx = suml2 = 0.0f;
        for (i = 0; i < 16; i++) {
            int l = r1__nearest_int(iscale * x[i]);
            float w = x[i] * x[i];
            l = l < -32 ? -32 : l > 31 ? 31 : l;
            sumlx += w * x[i] * (float)l;
            suml2 += w * (float)l * (float)l;
        }
        if (suml2 > 0.0f && sumlx * sumlx > best * suml2) {
            for (i = 0; i < 16; i++) {
                int l = r1__nearest_int(iscale * x[i]);
                L[i] = (int8_t)(32 + (l < -32 ? -32 : l > 31 ? 31 : l));
            }
            scale = sumlx / suml2;
            best = scale * sumlx;
        }
    }
    return scale;
}

static void r1__q6_k_from_float(const float *src, void *dst, int64_t n) {
    r1_block_q6_k *b = (r1_block_q6_k *)dst;
    int8_t L[R1_QK_K];
    int64_t i;
    int j, l, h;
    for (i = 0; i < n / R1_QK_K; i++, src += R1_QK_K) {
        float scales[16], max_scale = 0.0f, max_abs = 0.0f, iscale, d;
        for (j = 0; j < 16; j++) {
            scales[j] = r1__q6_sub_scale(src + 16 * j, L + 16 * j);
            if (fabsf(scales[j]) > max_abs) { max_abs = fabsf(scales[j]); max_scale = scales[j]; }
        }
        memset(&b[i], 0, sizeof b[i]);
        if (max_abs < 1e-15f) continue; /* all zero: d = 0 */
        iscale = -128.0f / max_scale;
        b[i].d = r1_fp32_to_fp16(1.0f / iscale);
        for (j = 0; j < 16; j++) {
            int s = r1__nearest_int(iscale * scales[j]);
            b[i].scales[j] = (int8_t)(s > 127 ? 127 : s < -128 ? -128 : s);
        }
        d = r1_fp16_to_fp32(b[i].d);
        for (j = 0; j < 16; j++) {
            float ds = d * (float)b[i].scales[j];
            if (ds == 0.0f) continue;
            for (l = 0; l < 16; l++) {
                int q = r1__nearest_int(src[16 * j + l] / ds);
                L[16 * j + l] = (int8_t)(32 + (q < -32 ? -32 : q > 31 ? 31 : q));
            }
        }
        for (h = 0; h < 2; h++) /* per 128: low nibbles of values k*32+l in ql, 2 high bits in qh */
            for (l = 0; l < 32; l++) {
                const int8_t *q = L + 128 * h + l;
                b[i].ql[64 * h + l] = (uint8_t)((q[0] & 0x0f) | (q[64] & 0x0f) << 4);
                b[i].ql[64 * h + 32 + l] = (uint8_t)((q[32] & 0x0f) | (q[96] & 0x0f) << 4);
                b[i].qh[32 * h + l] = (uint8_t)((q[0] >> 4) | (q[32] >> 4) << 2 | (q[64] >> 4) << 4 | (q[96] >> 4) << 6);
            }
    }
}

/* Scalar dot for the block types without a hand-written one: dequantize a block, then a float
   dot over it. It is the reference the SIMD kernels will be compared with. */
#define R1__DOT_VIA_BLOCKS(name, to_float, block_t, qk)                      \
    static float name(const void *row, const float *x, int n) {             \
        const block_t *b = (const block_t *)row;                            \
        float tmp[qk], sum = 0.0f;                                          \
        int i, j;                                                           \
        for (i = 0; i < n / (qk); i++, x += (qk)) {                         \
            float acc[8] = { 0 };                                           \
            to_float(&b[i], tmp, (qk));                                     \
            for (j = 0; j < (qk); j++) acc[j & 7] += tmp[j] * x[j];        \
            sum += ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])); \
        }                                                                   \
        return sum;                                                         \
    }
R1__DOT_VIA_BLOCKS(r1__dot_q4_1, r1__q4_1_to_float, r1_block_q4_1, R1_QK4_1)
R1__DOT_VIA_BLOCKS(r1__dot_q5_0, r1__q5_0_to_float, r1_block_q5_0, R1_QK5_0)
R1__DOT_VIA_BLOCKS(r1__dot_q5_1, r1__q5_1_to_float, r1_block_q5_1, R1_QK5_1)
R1__DOT_VIA_BLOCKS(r1__dot_q2_k, r1__q2_k_to_float, r1_block_q2_k, R1_QK_K)
R1__DOT_VIA_BLOCKS(r1__dot_q3_k, r1__q3_k_to_float, r1_block_q3_k, R1_QK_K)
R1__DOT_VIA_BLOCKS(r1__dot_q4_k, r1__q4_k_to_float, r1_block_q4_k, R1_QK_K)
R1__DOT_VIA_BLOCKS(r1__dot_q5_k, r1__q5_k_to_float, r1_block_q5_k, R1_QK_K)
R1__DOT_VIA_BLOCKS(r1__dot_q6_k, r1__q6_k_to_float, r1_block_q6_k, R1_QK_K)

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

/* A Q8_0 cache row . x in r1__dot_f32's order over the row's dequantized values (n a multiple
   of 32): the same bits as r1__dot_f32 over them. */
static float r1__dot_kv_q8_0(const void *row, const float *x, int n) {
    const r1_block_q8_0 *b = (const r1_block_q8_0 *)row;
    float acc[8] = { 0 };
    int i, j;
    for (i = 0; i < n; i += 8) {
        float d = r1_fp16_to_fp32(b[i / 32].d);
        for (j = 0; j < 8; j++) acc[j] += (float)b[i / 32].qs[i % 32 + j] * d * x[i + j];
    }
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

/* ======================================================================================
   5b. KERNELS: INT8 ACTIVATIONS
   For quantized weights, a matvec first quantizes the activations into blocks of 32 int8 with
   a float scale (and the sums of each 16, for the types with minimums); then each row is an
   integer dot product per block. Each (type, ISA) has one function; the plain-C one is the
   reference its SIMD twins are tested against. x86 picks AVX-512 VNNI (with AMX tile kernels
   for batches where Linux grants the tile registers), AVX2 or plain C at run time (CPUID), so
   one binary serves every x86 CPU; AArch64 picks NEON with or without the
   dot-product instructions (hwcap); R1_NO_SIMD (define, or environment variable) forces plain C.
   ====================================================================================== */

typedef struct r1_block_q8x {
    float d;                  /* scale: x = d * qs (an fp16-representable value) */
    float dsum;               /* d * sum(qs): the term the weights' minimums multiply (q4_k) */
    int32_t off128;           /* -128 * sum(qs): the 512-bit q8_0 kernels read each weight as w + 128
                                 and start from it (a broadcast from memory, no arithmetic); beside d
                                 and qs, so a block's fields those kernels read share cache lines */
    int32_t off;              /* -8 * sum(qs), the same for the packed q4_0 kernels */
    int16_t sum[2];           /* sums of qs[0..15] and qs[16..31] */
    int8_t qs[32];
    int32_t off8[8];          /* -8 times the sum of each 4 consecutive qs: the SIMD kernels start
                                 their int32 lanes from it to take q4_0's offset of 8 (and, times 4,
                                 q6_k's 32) off in integers */
    int32_t off16[2];         /* for each 16: -16 * their sum in both int16 halves: the packed q6_k
                                 kernels take the offset of 32 off with one multiply-add by the scale */
} r1_block_q8x;

/* One block of 16 input columns side by side, for the matrix-unit kernels: a tile of 16 rows
   of 32 bytes is one contiguous load, and a step's 16 scales share a cache line. */
typedef struct r1_block_q8x16 {
    int8_t qs[16][32];        /* column c's quants */
    float d[16];              /* its scales */
    float dsum[16];           /* d * sum(qs) */
} r1_block_q8x16;

/* column x's nb blocks into lane `lane` of its group's blocks (x = NULL: a zero column) */
static void r1__q8x16_column(const r1_block_q8x *x, int nb, r1_block_q8x16 *x16, int lane) {
    int j;
    for (j = 0; j < nb; j++) {
        if (x) memcpy(x16[j].qs[lane], x[j].qs, 32);
        else memset(x16[j].qs[lane], 0, 32);
        x16[j].d[lane] = x ? x[j].d : 0.0f;
        x16[j].dsum[lane] = x ? x[j].dsum : 0.0f;
    }
}

/* out[r * R1__TILE + c] = the dot of weight row r (rows + r * row_stride) with input column c
   (x + c * x_stride), for r < n_rows <= R1__ROWS and c < n_cols <= R1__TILE. Tiled kernels load
   and unpack each weight block once for all the columns and each input block once for all the
   rows; a result never depends on the tile's shape, so a token's logits do not depend on its
   batch. */
#define R1__ROWS 2
#define R1__TILE 4
/* Input columns per call of a two-group kernel (r1__dotq16_fn): the 512-bit kernels keep 8
   columns' sums for 16 rows in registers, so each 64-byte weight load feeds 8 multiply-adds
   (with 4 the weights' reads from L2 bounded a prompt); the 256-bit ones take them 4 at a time */
#define R1__TILE16 8
/* The kernels' short loops over rows, columns and sub-blocks have constant trip counts once a
   tile shape is inlined; unrolled, their accumulators live in registers. -O3 does this by itself,
   -O2 (a common embedding default) does not, and runs the k-quant kernels 2-3x slower. */
#if defined(__GNUC__) || defined(__clang__)
#define R1__UNROLL _Pragma("GCC unroll 16")
#else
#define R1__UNROLL
#endif
typedef void (*r1__dotq_fn)(const uint8_t *rows, size_t row_stride, int n_rows, const r1_block_q8x *x, int x_stride,
                            int n_blocks, int n_cols, float *out);

/* A one-row, one-column kernel as a tile kernel. */
#define R1__COLUMNS_OF(name, one)                                                                  \
    static void name(const uint8_t *rows, size_t rs, int nr, const r1_block_q8x *x, int xs, int nb, int nc, float *out) { \
        int r_, c_;                                                                                \
        for (r_ = 0; r_ < nr; r_++)                                                                \
            for (c_ = 0; c_ < nc; c_++) out[r_ * R1__TILE + c_] = one(rows + r_ * rs, x + (size_t)c_ * xs, nb); \
    }

/* Rounds like ggml's Q8_0 activations (scale stored at fp16 precision, quants rounded half
   away from zero with the unrounded scale): on the small reference models this choice is worth
   about one top-1 flip in 343 against round-half-even with a float scale. */
static void r1__quantize_q8x(const float *x, r1_block_q8x *out, int n) {
    int b, j;
    for (b = 0; b < n / 32; b++, x += 32) {
        float amax = 0.0f, id;
        int s0 = 0, s1 = 0;
        for (j = 0; j < 32; j++) amax = fabsf(x[j]) > amax ? fabsf(x[j]) : amax;
        out[b].d = r1_fp16_to_fp32(r1_fp32_to_fp16(amax / 127.0f));
        id = out[b].d > 0.0f ? 1.0f / (amax / 127.0f) : 0.0f;
        for (j = 0; j < 32; j++) {
            out[b].qs[j] = (int8_t)r1__round_clamp(x[j] * id, -127, 127);
            if (j < 16) s0 += out[b].qs[j];
            else s1 += out[b].qs[j];
        }
        out[b].sum[0] = (int16_t)s0;
        out[b].sum[1] = (int16_t)s1;
        out[b].dsum = out[b].d * (float)(s0 + s1);
        out[b].off = -8 * (s0 + s1);
        out[b].off128 = -128 * (s0 + s1);
        out[b].off16[0] = (int32_t)((uint32_t)(uint16_t)(-16 * s0) * 0x10001u);
        out[b].off16[1] = (int32_t)((uint32_t)(uint16_t)(-16 * s1) * 0x10001u);
        for (j = 0; j < 8; j++)
            out[b].off8[j] = -8 * (out[b].qs[4 * j] + out[b].qs[4 * j + 1] + out[b].qs[4 * j + 2] + out[b].qs[4 * j + 3]);
    }
}

/* ---- plain C ---- */

static float r1__dot1q_q8_0_c(const void *row, const r1_block_q8x *x, int nb) {
    const r1_block_q8_0 *w = (const r1_block_q8_0 *)row;
    float sum = 0.0f;
    int b, j;
    for (b = 0; b < nb; b++) {
        int isum = 0;
        for (j = 0; j < 32; j++) isum += w[b].qs[j] * x[b].qs[j];
        sum += (float)isum * (r1_fp16_to_fp32(w[b].d) * x[b].d);
    }
    return sum;
}

/* the 32 nibbles of a q4_0 / q4_1 block (weights j and j + 16 in byte j) times x */
static int r1__q4_isum(const uint8_t *qs, const int8_t *x) {
    int isum = 0, j;
    for (j = 0; j < 16; j++) isum += (qs[j] & 0x0f) * x[j] + (qs[j] >> 4) * x[j + 16];
    return isum;
}

static float r1__dot1q_q4_0_c(const void *row, const r1_block_q8x *x, int nb) {
    const r1_block_q4_0 *w = (const r1_block_q4_0 *)row;
    float sum = 0.0f;
    int b;
    for (b = 0; b < nb; b++) {
        int isum = r1__q4_isum(w[b].qs, x[b].qs) - 8 * (x[b].sum[0] + x[b].sum[1]);
        sum += (float)isum * (r1_fp16_to_fp32(w[b].d) * x[b].d);
    }
    return sum;
}

/* q4_k and q5_k (FIVE: the 5th bit of weight l of sub-block s at bit s of qh[l]): per sub-block
   s of 32 (activation block 8i+s): d*sc*dx*sum(q*x) - dmin*m*dx*sum(x). Both blocks start with
   d, dmin and scales[12]; q5_k's qh comes before its nibbles. */
static float r1__dot1q_k45_c(const uint8_t *blocks, size_t block_bytes, int five, const r1_block_q8x *x, int nb) {
    float sum = 0.0f;
    int i, s, l;
    for (i = 0; i < nb / 8; i++, x += 8) {
        const r1_block_q4_k *w = (const r1_block_q4_k *)(const void *)(blocks + (size_t)i * block_bytes);
        const uint8_t *qh = (const uint8_t *)w + 16, *qs = five ? qh + 32 : w->qs;
        float d = r1_fp16_to_fp32(w->d), dmin = r1_fp16_to_fp32(w->dmin), part = 0.0f;
        for (s = 0; s < 8; s++) {
            int sc, mn, isum = 0;
            r1__k_scale_min(w->scales, s, &sc, &mn);
            for (l = 0; l < 32; l++)
                isum += (((qs[(s / 2) * 32 + l] >> (4 * (s % 2))) & 0x0f) | (five ? ((qh[l] >> s) & 1) << 4 : 0)) * x[s].qs[l];
            part += x[s].d * (d * (float)(sc * isum) - dmin * (float)(mn * (x[s].sum[0] + x[s].sum[1])));
        }
        sum += part;
    }
    return sum;
}
static float r1__dot1q_q4_k_c(const void *row, const r1_block_q8x *x, int nb) {
    return r1__dot1q_k45_c((const uint8_t *)row, sizeof(r1_block_q4_k), 0, x, nb);
}
static float r1__dot1q_q5_k_c(const void *row, const r1_block_q8x *x, int nb) {
    return r1__dot1q_k45_c((const uint8_t *)row, sizeof(r1_block_q5_k), 1, x, nb);
}

/* q6_k: per 16 weights: d*scale*dx*sum((q-32)*x); q kept unsigned (0..63) and 32*sum(x) taken off */
static float r1__dot1q_q6_k_c(const void *row, const r1_block_q8x *x, int nb) {
    const r1_block_q6_k *w = (const r1_block_q6_k *)row;
    float sum = 0.0f;
    int i, h, k, l, half;
    for (i = 0; i < nb / 8; i++, x += 8) {
        float d = r1_fp16_to_fp32(w[i].d), part = 0.0f;
        for (h = 0; h < 2; h++)
            for (k = 0; k < 4; k++) {
                const r1_block_q8x *xb = &x[h * 4 + k];
                for (half = 0; half < 2; half++) {
                    int isum = 0;
                    for (l = half * 16; l < half * 16 + 16; l++) {
                        int low = (w[i].ql[h * 64 + (k % 2) * 32 + l] >> (4 * (k / 2))) & 0x0f;
                        int high = (w[i].qh[h * 32 + l] >> (2 * k)) & 3;
                        isum += (low | high << 4) * xb->qs[l];
                    }
                    isum -= 32 * xb->sum[half];
                    part += xb->d * (float)(w[i].scales[h * 8 + k * 2 + half] * isum);
                }
            }
        sum += d * part;
    }
    return sum;
}

/* q2_k: per 16 weights: d*sc*dx*sum(q*x) - dmin*m*dx*sum(x), q the 2-bit fields 0..3 (input
   block s of a super-block reads bytes 32*(s/4).. at bits 2*(s%4)) */
static float r1__dot1q_q2_k_c(const void *row, const r1_block_q8x *x, int nb) {
    const r1_block_q2_k *w = (const r1_block_q2_k *)row;
    float sum = 0.0f;
    int i, s, h, l;
    for (i = 0; i < nb / 8; i++, x += 8) {
        float d = r1_fp16_to_fp32(w[i].d), dmin = r1_fp16_to_fp32(w[i].dmin), part = 0.0f;
        for (s = 0; s < 8; s++) {
            const uint8_t *q = w[i].qs + 32 * (s / 4);
            int isum = 0, msum = 0;
            for (h = 0; h < 2; h++) {
                int sc = w[i].scales[2 * s + h], dot = 0;
                for (l = 16 * h; l < 16 * h + 16; l++) dot += ((q[l] >> (2 * (s % 4))) & 3) * x[s].qs[l];
                isum += (sc & 0x0f) * dot;
                msum += (sc >> 4) * x[s].sum[h];
            }
            part += x[s].d * (d * (float)isum - dmin * (float)msum);
        }
        sum += part;
    }
    return sum;
}

/* The 16 signed 6-bit scales of a q3_k block. */
static void r1__q3_k_scales(const uint8_t *scales, int sc[16]) {
    int g;
    for (g = 0; g < 16; g++)
        sc[g] = (((scales[g % 8] >> (4 * (g / 8))) & 0x0f) | ((scales[8 + g % 4] >> (2 * (g / 4))) & 3) << 4) - 32;
}

/* q3_k: per 16 weights: d*sc*dx*sum((q-4)*x), q = the 2 low bits | the hmask bit << 2 (0..7),
   the 4 taken off as 4*sum(x) */
static float r1__dot1q_q3_k_c(const void *row, const r1_block_q8x *x, int nb) {
    const r1_block_q3_k *w = (const r1_block_q3_k *)row;
    float sum = 0.0f;
    int i, s, h, l, sc[16];
    for (i = 0; i < nb / 8; i++, x += 8) {
        float part = 0.0f;
        r1__q3_k_scales(w[i].scales, sc);
        for (s = 0; s < 8; s++) {
            const uint8_t *q = w[i].qs + 32 * (s / 4);
            int isum = 0;
            for (h = 0; h < 2; h++) {
                int dot = 0;
                for (l = 16 * h; l < 16 * h + 16; l++)
                    dot += (((q[l] >> (2 * (s % 4))) & 3) | ((w[i].hmask[l] >> s) & 1) << 2) * x[s].qs[l];
                isum += sc[2 * s + h] * (dot - 4 * x[s].sum[h]);
            }
            part += x[s].d * (float)isum;
        }
        sum += r1_fp16_to_fp32(w[i].d) * part;
    }
    return sum;
}

/* q4_1, q5_0 and q5_1: the unsigned values (nibble, or nibble | 5th bit << 4) times x, scaled
   by d * dx; q5_0's -16 comes off as 16 * d * dx * sum(x), a min m adds m * dx * sum(x) */
static float r1__dot1q_q4_1_c(const void *row, const r1_block_q8x *x, int nb) {
    const r1_block_q4_1 *w = (const r1_block_q4_1 *)row;
    float sum = 0.0f;
    int b;
    for (b = 0; b < nb; b++)
        sum += (float)r1__q4_isum(w[b].qs, x[b].qs) * (r1_fp16_to_fp32(w[b].d) * x[b].d) + r1_fp16_to_fp32(w[b].m) * x[b].dsum;
    return sum;
}

static int r1__q5_isum(const uint8_t *qh, const uint8_t *qs, const int8_t *x) {
    int isum = 0, j;
    for (j = 0; j < 32; j++) isum += r1__q5_value(qh, qs, j) * x[j];
    return isum;
}

static float r1__dot1q_q5_0_c(const void *row, const r1_block_q8x *x, int nb) {
    const r1_block_q5_0 *w = (const r1_block_q5_0 *)row;
    float sum = 0.0f;
    int b;
    for (b = 0; b < nb; b++) {
        float d = r1_fp16_to_fp32(w[b].d);
        sum += (float)r1__q5_isum(w[b].qh, w[b].qs, x[b].qs) * (d * x[b].d) - 16.0f * d * x[b].dsum;
    }
    return sum;
}

static float r1__dot1q_q5_1_c(const void *row, const r1_block_q8x *x, int nb) {
    const r1_block_q5_1 *w = (const r1_block_q5_1 *)row;
    float sum = 0.0f;
    int b;
    for (b = 0; b < nb; b++)
        sum += (float)r1__q5_isum(w[b].qh, w[b].qs, x[b].qs) * (r1_fp16_to_fp32(w[b].d) * x[b].d) + r1_fp16_to_fp32(w[b].m) * x[b].dsum;
    return sum;
}

/* The kernels of one instruction set, indexed by type (NULL: the float path). */
/* ---- Rows interleaved by 8 ----
   Where the kernel set has kernels for them, q8_0 and q4_0 matrices are repacked once at load
   so that 32 bytes hold the same 4 weights of 8 consecutive rows: one broadcast input then
   feeds 8 rows, the 8 scales convert at once, and the 8 results come out in one register, with
   no horizontal sums. A packed block covers 8 rows x 32 weights, the same bytes as 8 blocks. */
typedef struct r1_block_q8_0x8 {
    uint16_t d[8];            /* row r's scale */
    int8_t qs[256];           /* qs[32 i + 4 r + j] = weight 4 i + j of row r */
} r1_block_q8_0x8;

typedef struct r1_block_q4_0x8 {
    uint16_t d[8];
    uint8_t qs[128];          /* qs[32 i + 4 r + j] = byte 4 i + j of row r: weights 4i+j (low
                                 nibble) and 16+4i+j (high nibble) */
} r1_block_q4_0x8;

/* q5_0: as q4_0, plus each row's 32 fifth bits. */
typedef struct r1_block_q5_0x8 {
    uint16_t d[8];
    uint8_t qh[32];           /* qh[4 r .. 4 r + 3] = row r's qh: bit j is the 5th bit of weight j */
    uint8_t qs[128];          /* as q4_0 */
} r1_block_q5_0x8;

/* q4_k: 8 rows x 256 weights. Row r's 12 bytes of 6-bit scales and mins become column r of 12
   rows of 8 bytes, so the kernel unpacks the 8 rows' scales together (8 bytes per integer op). */
typedef struct r1_block_q4_kx8 {
    uint16_t d[8], dmin[8];
    uint8_t scales[12][8];    /* scales[k][r] = byte k of row r's packed scales and mins */
    uint8_t qs[1024];         /* qs[256 j + 32 i + 4 r + b] = byte 32 j + 4 i + b of row r: weight
                                 4i+b of sub-block 2j (low nibble) and of sub-block 2j+1 (high) */
} r1_block_q4_kx8;

/* q5_k: as q4_k, plus the 5th bits of the same 4 weights of the 8 rows in 32 bytes. */
typedef struct r1_block_q5_kx8 {
    uint16_t d[8], dmin[8];
    uint8_t scales[12][8];
    uint8_t qh[256];          /* qh[32 i + 4 r + b] = row r's qh[4 i + b]: bit s = 5th bit of weight 4i+b of sub-block s */
    uint8_t qs[1024];         /* as q4_k */
} r1_block_q5_kx8;

/* q6_k: 8 rows x 256 weights, the low and high bits of the same 4 weights of the 8 rows in
   32 bytes each. */
typedef struct r1_block_q6_kx8 {
    uint8_t ql[1024];         /* ql[512 h + 256 p + 32 i + 4 r + b] = row r's ql[64 h + 32 p + 4 i + b] */
    uint8_t qh[512];          /* qh[256 h + 32 i + 4 r + b] = row r's qh[32 h + 4 i + b] */
    int8_t scales[16][8];     /* scales[s][r] = row r's scale of weights 16 s .. 16 s + 15 */
    uint16_t d[8];
} r1_block_q6_kx8;

/* q2_k and q3_k: 8 rows x 256 weights; 32 bytes hold the same 4 bytes of the 8 rows' qs (2 bits
   of 4 weights of 4 sub-blocks each), and q3_k's third bits likewise. */
typedef struct r1_block_q2_kx8 {
    uint16_t d[8], dmin[8];
    uint8_t scales[16][8];    /* scales[g][r] = row r's scales[g]: scale (low 4 bits) and min of weights 16g.. */
    uint8_t qs[512];          /* qs[256 h + 32 i + 4 r + b] = row r's qs[32 h + 4 i + b]: bits 2j, 2j+1 =
                                 weight 4i+b of sub-block 4h+j */
} r1_block_q2_kx8;

typedef struct r1_block_q3_kx8 {
    uint8_t hmask[256];       /* hmask[32 i + 4 r + b] = row r's hmask[4 i + b]: bit s = third bit of weight 4i+b of sub-block s */
    uint8_t qs[512];          /* as q2_k */
    uint8_t scales[12][8];    /* scales[k][r] = byte k of row r's packed 6-bit scales */
    uint16_t d[8];
} r1_block_q3_kx8;

typedef char r1__check_packed_sizes[(sizeof(r1_block_q8_0x8) == 8 * 34 && sizeof(r1_block_q4_0x8) == 8 * 18 &&
                                     sizeof(r1_block_q2_kx8) == 8 * 84 && sizeof(r1_block_q3_kx8) == 8 * 110 &&
                                     offsetof(r1_block_q4_kx8, qs) == 128 && offsetof(r1_block_q5_kx8, qh) == 128 &&
                                     sizeof(r1_block_q5_0x8) == 8 * 22 &&
                                     sizeof(r1_block_q4_kx8) == 8 * 144 && sizeof(r1_block_q5_kx8) == 8 * 176 &&
                                     sizeof(r1_block_q6_kx8) == 8 * 210) ? 1 : -1];

/* out[c * 8 + r] = the dot of row r of a group of 8 packed rows with input column c. ahead:
   how many bytes ahead of the rows a kernel prefetches when n_cols is 1 (decode streams the
   weights from memory; r1__stream_ahead), a hint that changes no result. */
typedef void (*r1__dotq8_fn)(const uint8_t *group, const r1_block_q8x *x, int x_stride, int n_blocks, int n_cols, int ahead,
                             float *out);
/* the groups at group and group + group_bytes, n_cols <= R1__TILE16; out[8 * c + r] = the first
   group's row r . column c, the second's at out + 8 * R1__TILE16; ahead as for r1__dotq8_fn
   (used when n_cols is 1: the sets that decode through these, r1__kernels.decode_two_groups) */
typedef void (*r1__dotq16_fn)(const uint8_t *group, size_t group_bytes, const r1_block_q8x *x, int x_stride, int n_blocks,
                              int n_cols, int ahead, float *out);
/* Matrix units (AMX): the same two groups against a group of 16 input columns (n_cols <= 16
   of them used); out[c * 16 + r] = row r (r >= 8: the second group's row r - 8) . column c,
   the bits of the dotq8 kernels of the same CPU */
typedef void (*r1__dotamx_fn)(const uint8_t *group, size_t group_bytes, const r1_block_q8x16 *x, int n_blocks, int n_cols,
                              float *out);

static int32_t r1__load_i32(const void *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint16_t r1__load_u16(const void *p) {
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

/* Packing 8 rows (src + r * row_bytes, n weights each) into dst, one function per type: the
   byte-interleaved layout its dotq8 kernels read (the rN_block_*x8 structs). */
static void r1__pack8_q8_0(const uint8_t *src, size_t row_bytes, int n, uint8_t *dst) {
    int b, r, i;
    for (r = 0; r < 8; r++)
        for (b = 0; b < n / 32; b++) {
            const r1_block_q8_0 *w = (const r1_block_q8_0 *)(src + r * row_bytes) + b;
            r1_block_q8_0x8 *o = (r1_block_q8_0x8 *)dst + b;
            o->d[r] = w->d;
            for (i = 0; i < 8; i++) memcpy(o->qs + 32 * i + 4 * r, w->qs + 4 * i, 4);
        }
}
static void r1__pack8_q4_0(const uint8_t *src, size_t row_bytes, int n, uint8_t *dst) {
    int b, r, i;
    for (r = 0; r < 8; r++)
        for (b = 0; b < n / 32; b++) {
            const r1_block_q4_0 *w = (const r1_block_q4_0 *)(src + r * row_bytes) + b;
            r1_block_q4_0x8 *o = (r1_block_q4_0x8 *)dst + b;
            o->d[r] = w->d;
            for (i = 0; i < 4; i++) memcpy(o->qs + 32 * i + 4 * r, w->qs + 4 * i, 4);
        }
}
static void r1__pack8_q5_0(const uint8_t *src, size_t row_bytes, int n, uint8_t *dst) {
    int b, r, i;
    for (r = 0; r < 8; r++)
        for (b = 0; b < n / 32; b++) {
            const r1_block_q5_0 *w = (const r1_block_q5_0 *)(src + r * row_bytes) + b;
            r1_block_q5_0x8 *o = (r1_block_q5_0x8 *)dst + b;
            o->d[r] = w->d;
            memcpy(o->qh + 4 * r, w->qh, 4);
            for (i = 0; i < 4; i++) memcpy(o->qs + 32 * i + 4 * r, w->qs + 4 * i, 4);
        }
}
static void r1__pack8_q2_k(const uint8_t *src, size_t row_bytes, int n, uint8_t *dst) {
    int b, r, i, j;
    for (r = 0; r < 8; r++)
        for (b = 0; b < n / 256; b++) {
            const r1_block_q2_k *w = (const r1_block_q2_k *)(src + r * row_bytes) + b;
            r1_block_q2_kx8 *o = (r1_block_q2_kx8 *)dst + b;
            o->d[r] = w->d;
            o->dmin[r] = w->dmin;
            for (i = 0; i < 16; i++) o->scales[i][r] = w->scales[i];
            for (j = 0; j < 2; j++)
                for (i = 0; i < 8; i++) memcpy(o->qs + 256 * j + 32 * i + 4 * r, w->qs + 32 * j + 4 * i, 4);
        }
}
static void r1__pack8_q3_k(const uint8_t *src, size_t row_bytes, int n, uint8_t *dst) {
    int b, r, i, j;
    for (r = 0; r < 8; r++)
        for (b = 0; b < n / 256; b++) {
            const r1_block_q3_k *w = (const r1_block_q3_k *)(src + r * row_bytes) + b;
            r1_block_q3_kx8 *o = (r1_block_q3_kx8 *)dst + b;
            o->d[r] = w->d;
            for (i = 0; i < 12; i++) o->scales[i][r] = w->scales[i];
            for (i = 0; i < 8; i++) memcpy(o->hmask + 32 * i + 4 * r, w->hmask + 4 * i, 4);
            for (j = 0; j < 2; j++)
                for (i = 0; i < 8; i++) memcpy(o->qs + 256 * j + 32 * i + 4 * r, w->qs + 32 * j + 4 * i, 4);
        }
}
static void r1__pack8_q4_k(const uint8_t *src, size_t row_bytes, int n, uint8_t *dst) {
    int b, r, i, j;
    for (r = 0; r < 8; r++)
        for (b = 0; b < n / 256; b++) {
            const r1_block_q4_k *w = (const r1_block_q4_k *)(src + r * row_bytes) + b;
            r1_block_q4_kx8 *o = (r1_block_q4_kx8 *)dst + b;
            o->d[r] = w->d;
            o->dmin[r] = w->dmin;
            for (i = 0; i < 12; i++) o->scales[i][r] = w->scales[i];
            for (j = 0; j < 4; j++)
                for (i = 0; i < 8; i++) memcpy(o->qs + 256 * j + 32 * i + 4 * r, w->qs + 32 * j + 4 * i, 4);
        }
}
static void r1__pack8_q5_k(const uint8_t *src, size_t row_bytes, int n, uint8_t *dst) {
    int b, r, i, j;
    for (r = 0; r < 8; r++)
        for (b = 0; b < n / 256; b++) {
            const r1_block_q5_k *w = (const r1_block_q5_k *)(src + r * row_bytes) + b;
            r1_block_q5_kx8 *o = (r1_block_q5_kx8 *)dst + b;
            o->d[r] = w->d;
            o->dmin[r] = w->dmin;
            for (i = 0; i < 12; i++) o->scales[i][r] = w->scales[i];
            for (i = 0; i < 8; i++) memcpy(o->qh + 32 * i + 4 * r, w->qh + 4 * i, 4);
            for (j = 0; j < 4; j++)
                for (i = 0; i < 8; i++) memcpy(o->qs + 256 * j + 32 * i + 4 * r, w->qs + 32 * j + 4 * i, 4);
        }
}
static void r1__pack8_q6_k(const uint8_t *src, size_t row_bytes, int n, uint8_t *dst) {
    int b, r, i, j, h;
    for (r = 0; r < 8; r++)
        for (b = 0; b < n / 256; b++) {
            const r1_block_q6_k *w = (const r1_block_q6_k *)(src + r * row_bytes) + b;
            r1_block_q6_kx8 *o = (r1_block_q6_kx8 *)dst + b;
            o->d[r] = w->d;
            for (i = 0; i < 16; i++) o->scales[i][r] = w->scales[i];
            for (h = 0; h < 2; h++)
                for (i = 0; i < 8; i++) {
                    for (j = 0; j < 2; j++) memcpy(o->ql + 512 * h + 256 * j + 32 * i + 4 * r, w->ql + 64 * h + 32 * j + 4 * i, 4);
                    memcpy(o->qh + 256 * h + 32 * i + 4 * r, w->qh + 32 * h + 4 * i, 4);
                }
        }
}

/* The 8 scales and 8 mins of 8 packed q4_k rows, each as 8 bytes (one per row): the same
   bit-picking as r1__k_scale_min, on 8 rows at once in 64-bit integers. */
static void r1__q4_kx8_scales(const uint8_t packed[12][8], uint64_t sc[8], uint64_t mn[8]) {
    const uint64_t low6 = 0x3f3f3f3f3f3f3f3full, low4 = 0x0f0f0f0f0f0f0f0full, top2 = 0x3030303030303030ull;
    uint64_t p[12];
    int s;
    memcpy(p, packed, sizeof p);
    for (s = 0; s < 4; s++) {
        sc[s] = p[s] & low6;
        mn[s] = p[s + 4] & low6;
        sc[s + 4] = (p[s + 8] & low4) | ((p[s] >> 2) & top2);
        mn[s + 4] = ((p[s + 8] >> 4) & low4) | ((p[s + 4] >> 2) & top2);
    }
}

/* plain-C twins of the packed kernels: the reference the SIMD ones are tested against */
static void r1__dotq8_q8_0_c(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    const r1_block_q8_0x8 *g = (const r1_block_q8_0x8 *)group;
    int c, b, r, k;
    (void)ahead;
    for (c = 0; c < nc; c++)
        for (r = 0; r < 8; r++) {
            float acc = 0.0f;
            for (b = 0; b < nb; b++) {
                const r1_block_q8x *xb = x + (size_t)c * xs + b;
                int isum = 0;
                for (k = 0; k < 32; k++) isum += g[b].qs[32 * (k / 4) + 4 * r + k % 4] * xb->qs[k];
                acc += (float)isum * (r1_fp16_to_fp32(g[b].d[r]) * xb->d);
            }
            out[c * 8 + r] = acc;
        }
}

/* q6_k: per 16 weights sc * (sum(q x) - 32 sum(x)); the two 16s of an input block summed in
   integers, then scaled by d * dx */
static void r1__dotq8_q6_k_c(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    const r1_block_q6_kx8 *g = (const r1_block_q6_kx8 *)group;
    int c, i, r, h, k, l;
    (void)ahead;
    for (c = 0; c < nc; c++)
        for (r = 0; r < 8; r++) {
            float acc = 0.0f;
            for (i = 0; i < nb / 8; i++) {
                float d = r1_fp16_to_fp32(g[i].d[r]);
                for (h = 0; h < 2; h++)
                    for (k = 0; k < 4; k++) {
                        const r1_block_q8x *xb = x + (size_t)c * xs + 8 * i + 4 * h + k;
                        int p = 0, half;
                        for (half = 0; half < 2; half++) {
                            int isum = -32 * xb->sum[half];
                            for (l = 16 * half; l < 16 * half + 16; l++) {
                                int lo = (g[i].ql[512 * h + 256 * (k % 2) + 32 * (l / 4) + 4 * r + l % 4] >> (4 * (k / 2))) & 0x0f;
                                int hi = (g[i].qh[256 * h + 32 * (l / 4) + 4 * r + l % 4] >> (2 * k)) & 3;
                                isum += (lo | hi << 4) * xb->qs[l];
                            }
                            p += g[i].scales[8 * h + 2 * k + half][r] * isum;
                        }
                        acc += (float)p * (d * xb->d);
                    }
            }
            out[c * 8 + r] = acc;
        }
}

/* q4_k and q5_k (high: the 5th bits, q5_k's layout): per sub-block s, sum(q x) scaled by
   (d * sc) * dx, less dmin * mn * dx * sum(x). Both packed blocks start with d, dmin and scales. */
static void r1__kx8_c(const uint8_t *blocks, size_t block_bytes, int high, const r1_block_q8x *x, int xs, int nb, int nc,
                      float *out) {
    int c, i, r, s, k;
    for (c = 0; c < nc; c++)
        for (r = 0; r < 8; r++) {
            float acc = 0.0f;
            for (i = 0; i < nb / 8; i++) {
                const r1_block_q4_kx8 *g = (const r1_block_q4_kx8 *)(const void *)(blocks + i * block_bytes);
                const uint8_t *qh = blocks + i * block_bytes + 128, *qs = high ? qh + 256 : g->qs;
                uint64_t sc[8], mn[8];
                float d = r1_fp16_to_fp32(g->d[r]), dmin = r1_fp16_to_fp32(g->dmin[r]);
                r1__q4_kx8_scales(g->scales, sc, mn);
                for (s = 0; s < 8; s++) {
                    const r1_block_q8x *xb = x + (size_t)c * xs + 8 * i + s;
                    int isum = 0;
                    for (k = 0; k < 32; k++) {
                        int at = 32 * (k / 4) + 4 * r + k % 4;
                        int q = (qs[256 * (s / 2) + at] >> (4 * (s % 2))) & 0x0f;
                        if (high) q |= ((qh[at] >> s) & 1) << 4;
                        isum += q * xb->qs[k];
                    }
                    acc += (float)isum * ((d * (float)((sc[s] >> (8 * r)) & 0xff)) * xb->d);
                    acc -= (dmin * (float)((mn[s] >> (8 * r)) & 0xff)) * xb->dsum;
                }
            }
            out[c * 8 + r] = acc;
        }
}
static void r1__dotq8_q4_k_c(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    (void)ahead;
    r1__kx8_c(group, sizeof(r1_block_q4_kx8), 0, x, xs, nb, nc, out);
}
static void r1__dotq8_q5_k_c(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    (void)ahead;
    r1__kx8_c(group, sizeof(r1_block_q5_kx8), 1, x, xs, nb, nc, out);
}

/* q2_k and q3_k (three: q3_k's layout): per sub-block s, the integer sum over its two 16s of
   scale * sum(q x), scaled by d * dx; q2_k's minimums come off as dmin * dx * sum(min * sum(x)),
   q3_k's offset of 4 as 4 * sum(scale * sum(x)) in the integers */
static void r1__k23x8_c(const uint8_t *blocks, int three, const r1_block_q8x *x, int xs, int nb, int nc, float *out) {
    const size_t block_bytes = three ? sizeof(r1_block_q3_kx8) : sizeof(r1_block_q2_kx8);
    int c, i, r, s, h, l, sc[16], mn[16];
    for (c = 0; c < nc; c++)
        for (r = 0; r < 8; r++) {
            float acc = 0.0f;
            for (i = 0; i < nb / 8; i++) {
                const r1_block_q2_kx8 *g2 = (const r1_block_q2_kx8 *)(const void *)(blocks + i * block_bytes);
                const r1_block_q3_kx8 *g3 = (const r1_block_q3_kx8 *)(const void *)(blocks + i * block_bytes);
                const uint8_t *qs = three ? g3->qs : g2->qs;
                float d = r1_fp16_to_fp32(three ? g3->d[r] : g2->d[r]), dmin = three ? 0.0f : r1_fp16_to_fp32(g2->dmin[r]);
                if (three) {
                    uint8_t packed[12];
                    for (l = 0; l < 12; l++) packed[l] = g3->scales[l][r];
                    r1__q3_k_scales(packed, sc);
                    for (l = 0; l < 16; l++) mn[l] = sc[l];
                } else {
                    for (l = 0; l < 16; l++) { sc[l] = g2->scales[l][r] & 0x0f; mn[l] = g2->scales[l][r] >> 4; }
                }
                for (s = 0; s < 8; s++) {
                    const r1_block_q8x *xb = x + (size_t)c * xs + 8 * i + s;
                    int isum = 0, msum = 0;
                    for (h = 0; h < 2; h++) {
                        int dot = 0;
                        for (l = 16 * h; l < 16 * h + 16; l++) {
                            int at = 32 * (l / 4) + 4 * r + l % 4;
                            int q = (qs[256 * (s / 4) + at] >> (2 * (s % 4))) & 3;
                            if (three) q |= ((g3->hmask[at] >> s) & 1) << 2;
                            dot += q * xb->qs[l];
                        }
                        isum += sc[2 * s + h] * dot;
                        msum += mn[2 * s + h] * xb->sum[h];
                    }
                    if (three) {
                        acc += (float)(isum - 4 * msum) * (d * xb->d);
                    } else {
                        acc += (float)isum * (d * xb->d);
                        acc -= (float)msum * (dmin * xb->d);
                    }
                }
            }
            out[c * 8 + r] = acc;
        }
}
static void r1__dotq8_q2_k_c(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    (void)ahead;
    r1__k23x8_c(group, 0, x, xs, nb, nc, out);
}
static void r1__dotq8_q3_k_c(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    (void)ahead;
    r1__k23x8_c(group, 1, x, xs, nb, nc, out);
}

/* q5_0: 5-bit values 0..31; the offset of 16 is twice q4_0's */
static void r1__dotq8_q5_0_c(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    const r1_block_q5_0x8 *g = (const r1_block_q5_0x8 *)group;
    int c, b, r, k;
    (void)ahead;
    for (c = 0; c < nc; c++)
        for (r = 0; r < 8; r++) {
            float acc = 0.0f;
            for (b = 0; b < nb; b++) {
                const r1_block_q8x *xb = x + (size_t)c * xs + b;
                uint32_t qh = (uint32_t)r1__load_i32(g[b].qh + 4 * r);
                int isum = 2 * xb->off;
                for (k = 0; k < 16; k++) {
                    uint8_t q = g[b].qs[32 * (k / 4) + 4 * r + k % 4];
                    isum += ((q & 0x0f) | (int)((qh >> k) & 1) << 4) * xb->qs[k] + ((q >> 4) | (int)((qh >> (k + 16)) & 1) << 4) * xb->qs[k + 16];
                }
                acc += (float)isum * (r1_fp16_to_fp32(g[b].d[r]) * xb->d);
            }
            out[c * 8 + r] = acc;
        }
}

static void r1__dotq8_q4_0_c(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    const r1_block_q4_0x8 *g = (const r1_block_q4_0x8 *)group;
    int c, b, r, k;
    (void)ahead;
    for (c = 0; c < nc; c++)
        for (r = 0; r < 8; r++) {
            float acc = 0.0f;
            for (b = 0; b < nb; b++) {
                const r1_block_q8x *xb = x + (size_t)c * xs + b;
                int isum = xb->off;
                for (k = 0; k < 16; k++) {
                    uint8_t q = g[b].qs[32 * (k / 4) + 4 * r + k % 4];
                    isum += (q & 0x0f) * xb->qs[k] + (q >> 4) * xb->qs[k + 16];
                }
                acc += (float)isum * (r1_fp16_to_fp32(g[b].d[r]) * xb->d);
            }
            out[c * 8 + r] = acc;
        }
}

/* One weight type's integer kernels in a kernel set. Each row names its type, so a set lists
   only what it has, in any order, and no row can land in another type's slot. */
typedef struct r1__type_kernels {
    int type;            /* R1_TYPE_*: the weights these kernels read */
    r1__dotq_fn dotq;    /* rows as stored (NULL: the float path) */
    r1__dotq8_fn dotq8;  /* rows packed by 8 (NULL: this set does not pack the type) */
    r1__dotq16_fn dotq16; /* two groups of 8 packed rows at once (optional): the same bits as two
                             dotq8 calls, with each input loaded once for both */
    r1__dotamx_fn dotamx; /* batches on the matrix unit (optional), over rows packed by 8 */
} r1__type_kernels;

typedef struct r1__kernels {
    const char *name;
    const r1__type_kernels *types; /* the types this set has kernels for */
    int n_types;
    int repack;               /* the model packs the matrices of the types that have one: not in
                                 plain C, whose packed kernels are only the SIMD ones' twins */
    void (*quantize)(const float *x, r1_block_q8x *out, int n); /* activations to int8 blocks */
    /* attention over cache rows (row t at base + rows[t] * stride) for nq queries that share
       them (the heads of one KV group; every MLA head): out[j][t] += scale * (row t . q[j]) over
       d floats, and out[j][0..d) += sum over t of w[j][t] * row t. One call per group of heads,
       not per position; each row is read once for all nq, and no query's result depends on nq.
       A row's score may depend on whether it falls in a whole group of 4 from the call's first
       row (AVX2 and NEON score the last n % 4 rows apart), so splitting a call's rows at a
       multiple of 4 changes no score (test_int8_kernels). */
    void (*scores_f32)(const float *base, size_t stride, const int32_t *rows, int n, const float *q, size_t q_stride,
                       int nq, int d, float scale, float *out, size_t out_stride);
    void (*mix_f32)(float *out, size_t out_stride, const float *w, size_t w_stride, int nq, const float *base, size_t stride,
                    const int32_t *rows, int n, int d);
    /* the same over a float16 cache */
    void (*scores_f16)(const uint16_t *base, size_t stride, const int32_t *rows, int n, const float *q, size_t q_stride,
                       int nq, int d, float scale, float *out, size_t out_stride);
    void (*mix_f16)(float *out, size_t out_stride, const float *w, size_t w_stride, int nq, const uint16_t *base, size_t stride,
                    const int32_t *rows, int n, int d);
    /* and over a Q8_0 cache: stride in blocks of 32, d a multiple of 32 */
    void (*scores_q8_0)(const r1_block_q8_0 *base, size_t stride, const int32_t *rows, int n, const float *q, size_t q_stride,
                        int nq, int d, float scale, float *out, size_t out_stride);
    void (*mix_q8_0)(float *out, size_t out_stride, const float *w, size_t w_stride, int nq, const r1_block_q8_0 *base,
                     size_t stride, const int32_t *rows, int n, int d);
    float (*exp_sum_f32)(float *x, float shift, int n);   /* x = e^(x - shift), 0 where x - shift < R1__EXP_CUT;
                                                             returns their sum */
    void (*silu_mul_f32)(float *g, const float *u, int n); /* g = silu(g) * u */
    int decode_two_groups;    /* one input (decode) runs through the two-group kernels too, not the
                                 8-row ones: the 512-bit sets, whose two-group kernels, with their
                                 L2 prefetch, stream the weights faster (the same bits either way) */
} r1__kernels;

#define R1__COUNT_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The kernels of a type in a set; a row of NULLs when the set has none. */
static const r1__type_kernels *r1__kernels_of(const r1__kernels *k, int type) {
    static const r1__type_kernels none = { -1, NULL, NULL, NULL, NULL };
    int i;
    for (i = 0; i < k->n_types; i++)
        if (k->types[i].type == type) return &k->types[i];
    return &none;
}

/* The attention loops for a cache of ELT, read through LOAD1 (one element as a float) and DOT
   (a row . q as r1__dot_f32 sums it). */
#define R1__LOAD1_F32(p, i) ((p)[i])
#define R1__LOAD1_F16(p, i) r1_fp16_to_fp32((p)[i])
#define R1__PASS R1__PASS_ATTN_C
#define R1__ESFX f32
#define R1__ELT float
#define R1__LOAD1 R1__LOAD1_F32
#define R1__DOT r1__dot_f32
#include R1_SELF
#define R1__PASS R1__PASS_ATTN_C
#define R1__ESFX f16
#define R1__ELT uint16_t
#define R1__LOAD1 R1__LOAD1_F16
#define R1__DOT r1__dot_f16
#include R1_SELF
/* A Q8_0 cache: rows of blocks of 32 int8 with a float16 scale each (llama.cpp's q8_0 layout),
   stride counted in blocks. An element is (float)q * d, exact in float (8 bits times float16's
   11), so these loops give the float loops' bits over the dequantized values. */
#define R1__Q8_ELT(p, i) ((p)[(i) / 32].qs[(i) % 32])
#define R1__Q8_D(p, i) ((p)[(i) / 32].d)
#define R1__LOAD1_Q8_0(p, i) ((float)R1__Q8_ELT(p, i) * r1_fp16_to_fp32(R1__Q8_D(p, i)))
#define R1__BYTES_OF_Q8_0(n) ((size_t)(n) / 32 * sizeof(r1_block_q8_0))
#define R1__AT_Q8_0(p, i) ((p) + (i) / 32)
#define R1__PASS R1__PASS_ATTN_C
#define R1__ESFX q8_0
#define R1__ELT r1_block_q8_0
#define R1__LOAD1 R1__LOAD1_Q8_0
#define R1__DOT r1__dot_kv_q8_0
#define R1__BYTES_OF R1__BYTES_OF_Q8_0
#define R1__AT R1__AT_Q8_0
#include R1_SELF

R1__COLUMNS_OF(r1__dotq_q8_0_c, r1__dot1q_q8_0_c)
R1__COLUMNS_OF(r1__dotq_q4_0_c, r1__dot1q_q4_0_c)
R1__COLUMNS_OF(r1__dotq_q4_k_c, r1__dot1q_q4_k_c)
R1__COLUMNS_OF(r1__dotq_q6_k_c, r1__dot1q_q6_k_c)
R1__COLUMNS_OF(r1__dotq_q2_k_c, r1__dot1q_q2_k_c)
R1__COLUMNS_OF(r1__dotq_q3_k_c, r1__dot1q_q3_k_c)
R1__COLUMNS_OF(r1__dotq_q4_1_c, r1__dot1q_q4_1_c)
R1__COLUMNS_OF(r1__dotq_q5_0_c, r1__dot1q_q5_0_c)
R1__COLUMNS_OF(r1__dotq_q5_1_c, r1__dot1q_q5_1_c)
R1__COLUMNS_OF(r1__dotq_q5_k_c, r1__dot1q_q5_k_c)

/* R1__PREFETCH(p): asks for p's cache line ahead of its use (a hint; nothing where the compiler
   has no way to say it) */
#if R1__GNU
#define R1__PREFETCH(p) __builtin_prefetch(p)
#elif R1__MSVC && defined(_M_X64)
#include <xmmintrin.h>
#define R1__PREFETCH(p) _mm_prefetch((const char *)(p), _MM_HINT_T0)
#else
#define R1__PREFETCH(p) ((void)0)
#endif

#ifndef R1__PREFETCH_AHEAD
#define R1__PREFETCH_AHEAD 1536 /* bytes ahead in a packed matrix while a tile of inputs runs through it:
                                   its weights mostly come from L2, and farther prefetches evict them */
#endif
#ifndef R1__BATCH_L2_AHEAD
#define R1__BATCH_L2_AHEAD 65536 /* and how far ahead the two-group kernels also ask for them into L2 (not
                                    L1): a few tokens at once (a draft to verify, several sequences)
                                    read each weight once, from memory, and with 8 columns of
                                    arithmetic per line the hardware prefetcher alone fell behind */
#endif
/* Asks for cache rows [t0, t1) (of n) ahead of their use. Deep in a context the attention
   kernels stream megabytes of cache per head through a row table; the hardware prefetcher
   stops at each 4 KiB page (16 float16 rows of 128), so without this the loads waited on memory. */
#if R1__GNU || R1__MSVC /* the SIMD kernels' compilers */
static R1__ALWAYS_INLINE void r1__prefetch_rows(const void *base, size_t row_bytes, size_t stride_bytes, const int32_t *rows,
                                                int t0, int t1, int n) {
    int t;
    size_t o;
    if (t1 > n) t1 = n;
    for (t = t0; t < t1; t++)
        for (o = 0; o < row_bytes; o += 64) R1__PREFETCH((const char *)base + (size_t)rows[t] * stride_bytes + o);
}
#endif

#define R1__MIX_ROWS 32 /* cache rows per pass of the SIMD weighted sums (their slice stays in L1) */
#ifndef R1__AHEAD
#define R1__AHEAD 32    /* how far ahead (cache rows) the SIMD weighted sums prefetch: the next pass */
#endif
#ifndef R1__SCORES_AHEAD
#define R1__SCORES_AHEAD 8 /* and the AVX-512 scores, 4 rows at a time (2 KiB of float16 rows of 128) */
#endif
#define R1__ATTN_Q 6     /* queries per register block of the AVX2 and NEON attention loops (2 x 6
                            accumulators of AVX2's 16 registers, 4 x 6 of NEON's 32) */

/* Softmax's exponentials: e^d is below FLT_MIN exactly where d < R1__EXP_CUT (the float just
   above ln FLT_MIN), and such weights are 0 after softmax's cut anyway; writing 0 for them
   spares computing a subnormal, which took a microcode assist per vector on x86 (deep in a
   context most of a head's weights are that small). NaN stays NaN. */
#define R1__EXP_CUT (-87.33654f)
static float r1__exp_sum_f32_c(float *x, float shift, int n) {
    float sum = 0.0f;
    int i;
    for (i = 0; i < n; i++) {
        float d = x[i] - shift;
        x[i] = d < R1__EXP_CUT ? 0.0f : expf(d);
        sum += x[i];
    }
    return sum;
}

static void r1__silu_mul_f32_c(float *g, const float *u, int n) {
    int i;
    for (i = 0; i < n; i++) g[i] = g[i] / (1.0f + expf(-g[i])) * u[i];
}

static const r1__type_kernels r1__types_c[] = {
    { R1_TYPE_Q4_0, r1__dotq_q4_0_c, r1__dotq8_q4_0_c, NULL, NULL },
    { R1_TYPE_Q4_1, r1__dotq_q4_1_c, NULL, NULL, NULL },
    { R1_TYPE_Q5_0, r1__dotq_q5_0_c, r1__dotq8_q5_0_c, NULL, NULL },
    { R1_TYPE_Q5_1, r1__dotq_q5_1_c, NULL, NULL, NULL },
    { R1_TYPE_Q8_0, r1__dotq_q8_0_c, r1__dotq8_q8_0_c, NULL, NULL },
    { R1_TYPE_Q2_K, r1__dotq_q2_k_c, r1__dotq8_q2_k_c, NULL, NULL },
    { R1_TYPE_Q3_K, r1__dotq_q3_k_c, r1__dotq8_q3_k_c, NULL, NULL },
    { R1_TYPE_Q4_K, r1__dotq_q4_k_c, r1__dotq8_q4_k_c, NULL, NULL },
    { R1_TYPE_Q5_K, r1__dotq_q5_k_c, r1__dotq8_q5_k_c, NULL, NULL },
    { R1_TYPE_Q6_K, r1__dotq_q6_k_c, r1__dotq8_q6_k_c, NULL, NULL },
};
static const r1__kernels r1__kernels_c = { "c", r1__types_c, R1__COUNT_OF(r1__types_c), 0, r1__quantize_q8x,
    r1__scores_f32_c, r1__mix_f32_c, r1__scores_f16_c, r1__mix_f16_c,
    r1__scores_q8_0_c, r1__mix_q8_0_c, r1__exp_sum_f32_c, r1__silu_mul_f32_c, 0 };

/* ---- x86: AVX2 and AVX-512 VNNI ---- */
#if (defined(__x86_64__) || defined(_M_X64)) && (R1__GNU || R1__MSVC) && !defined(R1_NO_SIMD)
#define R1__HAVE_X86 1
#if !defined(R1_NO_AVX512)
#define R1__HAVE_AVX512 1 /* the AVX-512 VNNI kernels (and AMX's, which build on them); R1_NO_AVX512 leaves them out for compilers without those intrinsics */
#endif
#if R1__GNU && !defined(R1_NO_AVXVNNI) && ((defined(__clang__) && __clang_major__ >= 12) || (!defined(__clang__) && __GNUC__ >= 11))
#define R1__HAVE_AVXVNNI 1 /* the AVX-VNNI kernels (VEX-encoded dpbusd: GCC 11, clang 12 and later) */
#endif
#include <immintrin.h>
#if defined(__cplusplus) && defined(__GNUC__) && !defined(__clang__)
/* g++ (12) reports its own AVX-512 headers' deliberately undefined vectors (_mm512_undefined_*)
   as (maybe-)uninitialized wherever their intrinsics inline; gcc does not in C */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#define R1__POP_DIAGNOSTICS 1
#endif

/* The kernel bodies are written once and instantiated per ISA. DOT32(init, u8, s8) multiplies
   32 unsigned by 32 signed bytes, sums each 4 adjacent products into 8 int32 lanes and adds
   them to init. A tile kernel runs NR weight rows against NC input columns: each weight block
   is loaded and unpacked once for all the columns, each input block once for all the rows,
   and every (row, column) pair has one accumulator whose sequence of operations does not
   depend on NR or NC, so a result never depends on the tile it was computed in. */
#define R1__HSUM_F32(v, out)                                                                       \
    do {                                                                                           \
        __m128 h4 = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));           \
        h4 = _mm_add_ps(h4, _mm_movehl_ps(h4, h4));                                               \
        h4 = _mm_add_ss(h4, _mm_movehdup_ps(h4));                                                 \
        out = _mm_cvtss_f32(h4);                                                                   \
    } while (0)
#define R1__LOAD256(p) _mm256_loadu_si256((const __m256i *)(p))
/* GCC reassociates a kernel's integer sums across its unrolled steps and hoists every multiply
   ahead of the adds, spilling their results to the stack (packed q4_0 at 4 columns: 0.45 ->
   0.34 ns per row-block-column with this). An empty asm that "changes" an accumulator after
   each step keeps the order written. */
#if R1__GNU
#define R1__KEEP(v) __asm__("" : "+x"(v))
#else
#define R1__KEEP(v) ((void)0)
#endif
#define R1__TILE_BEGIN(NR, NC)                                                                     \
    __m256 acc[R1__ROWS][R1__TILE];                                                                \
    int r_, c_;                                                                                    \
    R1__UNROLL for (r_ = 0; r_ < (NR); r_++)                                                       \
        R1__UNROLL for (c_ = 0; c_ < (NC); c_++) acc[r_][c_] = _mm256_setzero_ps()
#define R1__TILE_FINISH(NR, NC)                                                                    \
    R1__UNROLL for (r_ = 0; r_ < (NR); r_++)                                                       \
        R1__UNROLL for (c_ = 0; c_ < (NC); c_++) R1__HSUM_F32(acc[r_][c_], out[r_ * R1__TILE + c_])


/* The kernel behind the table: one instantiation of the tile per shape. */
#define R1__X86_DISPATCH(TYPE)                                                                     \
    R1__TARGET static void R1__FN(r1__dotq_##TYPE)(const uint8_t *rows, size_t rs, int nr, const r1_block_q8x *x, int xs, \
                                                   int nb, int nc, float *out) {                  \
        if (nr == 2) switch (nc) {                                                                 \
            case 1: R1__FN(r1__##TYPE##_tile)(rows, rs, x, xs, nb, 2, 1, out); return;             \
            case 2: R1__FN(r1__##TYPE##_tile)(rows, rs, x, xs, nb, 2, 2, out); return;             \
            case 3: R1__FN(r1__##TYPE##_tile)(rows, rs, x, xs, nb, 2, 3, out); return;             \
            default: R1__FN(r1__##TYPE##_tile)(rows, rs, x, xs, nb, 2, 4, out); return;            \
            }                                                                                      \
        switch (nc) {                                                                              \
        case 1: R1__FN(r1__##TYPE##_tile)(rows, rs, x, xs, nb, 1, 1, out); return;                 \
        case 2: R1__FN(r1__##TYPE##_tile)(rows, rs, x, xs, nb, 1, 2, out); return;                 \
        case 3: R1__FN(r1__##TYPE##_tile)(rows, rs, x, xs, nb, 1, 3, out); return;                 \
        default: R1__FN(r1__##TYPE##_tile)(rows, rs, x, xs, nb, 1, 4, out); return;                \
        }                                                                                          \
    }

#define R1__DOT32_AVX2(init, u, s) _mm256_add_epi32((init), _mm256_madd_epi16(_mm256_maddubs_epi16((u), (s)), _mm256_set1_epi16(1)))
#define R1__DOT32_VNNI(init, u, s) _mm256_dpbusd_epi32((init), (u), (s))
#define R1__PASS R1__PASS_X86_ROWS
#define R1__SFX avx2
#define R1__TARGET R1__TARGET_AVX2
#define R1__DOT32 R1__DOT32_AVX2
#include R1_SELF
#if defined(R1__HAVE_AVX512)
#define R1__PASS R1__PASS_X86_ROWS
#define R1__SFX vnni
#define R1__TARGET R1__TARGET_VNNI
#define R1__DOT32 R1__DOT32_VNNI
#include R1_SELF
#endif
#if defined(R1__HAVE_AVXVNNI)
#define R1__DOT32_AVXVNNI(init, u, s) _mm256_dpbusd_avx_epi32((init), (u), (s))
#define R1__PASS R1__PASS_X86_ROWS
#define R1__SFX avxvnni
#define R1__TARGET R1__TARGET_AVXVNNI
#define R1__DOT32 R1__DOT32_AVXVNNI
#include R1_SELF
#endif

/* Packed 8-row kernels. q8_0: for each 4 weights of the 8 rows, |w| times the broadcast
   input with w's signs. q4_0: nibbles times the broadcast input, 8 products per pair summed in
   int16 (at most 8 * 2 * 15 * 127 = 30480) before widening; the -8 comes off as the input's
   -8 * sum. Every column has one accumulator, so results never depend on the tile. */
/* For one input (decode) the weights stream from memory as fast as the kernel uses them, so
   its prefetch must run a memory latency ahead: how far is a property of the CPU, passed to the
   kernel as `ahead` (see r1__stream_ahead: the 8-row kernels, or the two-group ones where the
   set decodes through them); every other tile uses R1__PREFETCH_AHEAD. */
/* The two-group kernels' prefetches of the line `at` bytes into block `blk` of a group: into L1
   `ahead` bytes ahead, into L2 R1__BATCH_L2_AHEAD ahead (a hint: no result changes). */
static R1__ALWAYS_INLINE void r1__prefetch_batch(const void *blk, int ahead, int at) {
    _mm_prefetch((const char *)blk + ahead + at, _MM_HINT_T0);
    _mm_prefetch((const char *)blk + R1__BATCH_L2_AHEAD + at, _MM_HINT_T1);
}
/* Sub-block s's 6-bit scales (sc) and minimums (mn) of packed q4_k / q5_k rows, a byte per row
   (8 or 16 rows side by side), from bytes s % 4 (a), s % 4 + 4 (b) and s % 4 + 8 (c) of the
   rows' packed scales: r1__q4_kx8_scales' bit-picking. Plain SSE2, for every x86 kernel set. */
static inline void r1__kx8_scale_min(__m128i a, __m128i b, __m128i c, int s, __m128i *sc, __m128i *mn) {
    const __m128i m6 = _mm_set1_epi8(0x3f), m4 = _mm_set1_epi8(0x0f), m30 = _mm_set1_epi8(0x30);
    if (s < 4) {
        *sc = _mm_and_si128(a, m6);
        *mn = _mm_and_si128(b, m6);
    } else {
        *sc = _mm_or_si128(_mm_and_si128(c, m4), _mm_and_si128(_mm_srli_epi16(a, 2), m30));
        *mn = _mm_or_si128(_mm_and_si128(_mm_srli_epi16(c, 4), m4), _mm_and_si128(_mm_srli_epi16(b, 2), m30));
    }
}
#define R1__LOAD64(p) _mm_loadl_epi64((const __m128i *)(const void *)(p))


#define R1__X86_PACKED_DISPATCH(TYPE, BLOCK)                                                       \
    R1__TARGET static void R1__FN(r1__dotq8_##TYPE)(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, \
                                                    int ahead, float *out) {                       \
        const BLOCK *g = (const BLOCK *)group;                                                     \
        switch (nc) {                                                                              \
        case 1: R1__FN(r1__##TYPE##x8_tile)(g, x, xs, nb, 1, ahead, out); return;                  \
        case 2: R1__FN(r1__##TYPE##x8_tile)(g, x, xs, nb, 2, R1__PREFETCH_AHEAD, out); return;     \
        case 3: R1__FN(r1__##TYPE##x8_tile)(g, x, xs, nb, 3, R1__PREFETCH_AHEAD, out); return;     \
        default: R1__FN(r1__##TYPE##x8_tile)(g, x, xs, nb, 4, R1__PREFETCH_AHEAD, out); return;    \
        }                                                                                          \
    }

/* two groups of 8 rows, group_bytes apart (see r1__dotq16_fn) */
#define R1__X86_PACKED_DISPATCH16(TYPE, BLOCK)                                                     \
    R1__TARGET static void R1__FN(r1__dotq16_##TYPE)(const uint8_t *group, size_t group_bytes, const r1_block_q8x *x, int xs, \
                                                     int nb, int nc, int ahead, float *out) {     \
        const BLOCK *g = (const BLOCK *)group;                                                     \
        size_t gs = group_bytes / sizeof *g;                                                       \
        int c0; /* 4 columns at a time: 16 ymm registers hold no more sums */                      \
        if (nc > 1) ahead = R1__PREFETCH_AHEAD; /* the caller's distance is for one column */      \
        for (c0 = 0; c0 < nc; c0 += R1__TILE) {                                                   \
            const r1_block_q8x *xc = x + (size_t)c0 * xs;                                          \
            switch (nc - c0) {                                                                     \
            case 1: R1__FN(r1__##TYPE##x8_tiles)(g, gs, 2, xc, xs, nb, 1, ahead, out + 8 * c0); break;          \
            case 2: R1__FN(r1__##TYPE##x8_tiles)(g, gs, 2, xc, xs, nb, 2, ahead, out + 8 * c0); break;          \
            case 3: R1__FN(r1__##TYPE##x8_tiles)(g, gs, 2, xc, xs, nb, 3, ahead, out + 8 * c0); break;          \
            default: R1__FN(r1__##TYPE##x8_tiles)(g, gs, 2, xc, xs, nb, 4, ahead, out + 8 * c0); break;         \
            }                                                                                      \
        }                                                                                          \
    }

#define R1__DPBUSD_VNNI(acc, u, s) _mm256_dpbusd_epi32((acc), (u), (s))
#define R1__DPBUSD_NONE(acc, u, s) (acc) /* never reached: the AVX2 branch is taken */
#define R1__PASS R1__PASS_X86_PACKED
#define R1__SFX avx2
#define R1__TARGET R1__TARGET_AVX2
#define R1__VNNI 0
#define R1__ZMM16 0
#define R1__DPBUSD R1__DPBUSD_NONE
#include R1_SELF
#if defined(R1__HAVE_AVX512)
#define R1__PASS R1__PASS_X86_PACKED
#define R1__SFX vnni
#define R1__TARGET R1__TARGET_VNNI
#define R1__VNNI 1
#define R1__ZMM16 1
#define R1__DPBUSD R1__DPBUSD_VNNI
#include R1_SELF
#endif
#if defined(R1__HAVE_AVXVNNI) /* AVX2's kernels with the VEX dpbusd, and its 256-bit two-group kernels */
#define R1__PASS R1__PASS_X86_PACKED
#define R1__SFX avxvnni
#define R1__TARGET R1__TARGET_AVXVNNI
#define R1__VNNI 1
#define R1__ZMM16 0
#define R1__DPBUSD R1__DOT32_AVXVNNI
#include R1_SELF
#endif

#if defined(R1__HAVE_AVX512)
/* ---- x86: 512-bit kernels for two groups of 8 packed rows (the VNNI set's dotq16) ----
   One zmm register holds the same 4 weights of all 16 rows (group 0 in the low half, group 1
   in the high half), so one dpbusd with a broadcast input advances 16 rows, where the 256-bit
   kernels need two. Lane for lane the integer sums are the same integers and the float steps
   the same operations in the same order, so every result is the same bits as theirs (and as
   the plain-C twins'). q8_0 flips each weight's sign bit (w + 128 as an unsigned byte) once
   per block for all the columns and starts each column's sums from -128 * sum(x), instead of
   moving the weights' signs onto every input. */
#define R1__LOAD2X256(a, b) _mm512_inserti64x4(_mm512_castsi256_si512(R1__LOAD256(a)), R1__LOAD256(b), 1)
#define R1__BCAST32(p) _mm512_set1_epi32(r1__load_i32(p))

/* the two groups' 8 float16 values each, as 16 floats */
R1__TARGET_VNNI static inline __m512 r1__load2_f16(const uint16_t *a, const uint16_t *b) {
    __m256i h = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)a)),
                                        _mm_loadu_si128((const __m128i *)(const void *)b), 1);
    return _mm512_cvtph_ps(h);
}

/* columns c < NC of acc to the dotq16 layout: group h's 8 rows of column c at out[8 TILE16 h + 8 c] */
R1__TARGET_VNNI static R1__ALWAYS_INLINE void r1__store16(const __m512 *acc, const int NC, float *out) {
    int c;
    R1__UNROLL for (c = 0; c < NC; c++) {
        _mm256_storeu_ps(out + 8 * c, _mm512_castps512_ps256(acc[c]));
        _mm256_storeu_ps(out + 8 * R1__TILE16 + 8 * c, _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(acc[c]), 1)));
    }
}

R1__TARGET_VNNI static R1__ALWAYS_INLINE void r1__q8_0x16_zmm(const r1_block_q8_0x8 *g, size_t gs, const r1_block_q8x *x, int xs,
                                                              int nb, const int NC, int ahead, float *out) {
    const __m512i bias = _mm512_set1_epi8((char)0x80);
    __m512 acc[R1__TILE16];
    int b, c, i;
    R1__UNROLL for (c = 0; c < NC; c++) acc[c] = _mm512_setzero_ps();
    for (b = 0; b < nb; b++) {
        const r1_block_q8_0x8 *g0 = g + b, *g1 = g + gs + b;
        __m512i p[R1__TILE16];
        R1__UNROLL for (i = 0; i < 5; i++) {
            r1__prefetch_batch(g0, ahead, 64 * i);
            r1__prefetch_batch(g1, ahead, 64 * i);
        }
        R1__UNROLL for (c = 0; c < NC; c++) p[c] = _mm512_set1_epi32(x[(size_t)c * xs + b].off128);
        R1__UNROLL for (i = 0; i < 8; i++) {
            __m512i wu = _mm512_xor_si512(R1__LOAD2X256(g0->qs + 32 * i, g1->qs + 32 * i), bias);
            R1__UNROLL for (c = 0; c < NC; c++) {
                p[c] = _mm512_dpbusd_epi32(p[c], wu, R1__BCAST32(x[(size_t)c * xs + b].qs + 4 * i));
                R1__KEEP(p[c]);
            }
        }
        {
            __m512 dw = r1__load2_f16(g0->d, g1->d);
            R1__UNROLL for (c = 0; c < NC; c++)
                acc[c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p[c]), _mm512_mul_ps(dw, _mm512_set1_ps(x[(size_t)c * xs + b].d)), acc[c]);
        }
    }
    r1__store16(acc, NC, out);
}

R1__TARGET_VNNI static R1__ALWAYS_INLINE void r1__q4_0x16_zmm(const r1_block_q4_0x8 *g, size_t gs, const r1_block_q8x *x, int xs,
                                                              int nb, const int NC, int ahead, float *out) {
    const __m512i low4 = _mm512_set1_epi8(0x0f);
    __m512 acc[R1__TILE16];
    int b, c, i;
    R1__UNROLL for (c = 0; c < NC; c++) acc[c] = _mm512_setzero_ps();
    for (b = 0; b < nb; b++) {
        const r1_block_q4_0x8 *g0 = g + b, *g1 = g + gs + b;
        __m512i p[R1__TILE16];
        R1__UNROLL for (i = 0; i < 3; i++) {
            r1__prefetch_batch(g0, ahead, 64 * i);
            r1__prefetch_batch(g1, ahead, 64 * i);
        }
        R1__UNROLL for (c = 0; c < NC; c++) p[c] = _mm512_set1_epi32(x[(size_t)c * xs + b].off); /* -8 * sum(x) */
        R1__UNROLL for (i = 0; i < 4; i++) {
            __m512i v = R1__LOAD2X256(g0->qs + 32 * i, g1->qs + 32 * i);
            __m512i lo = _mm512_and_si512(v, low4), hi = _mm512_and_si512(_mm512_srli_epi16(v, 4), low4);
            R1__UNROLL for (c = 0; c < NC; c++) {
                const int8_t *xq = x[(size_t)c * xs + b].qs;
                p[c] = _mm512_dpbusd_epi32(_mm512_dpbusd_epi32(p[c], lo, R1__BCAST32(xq + 4 * i)), hi, R1__BCAST32(xq + 16 + 4 * i));
                R1__KEEP(p[c]);
            }
        }
        {
            __m512 dw = r1__load2_f16(g0->d, g1->d);
            R1__UNROLL for (c = 0; c < NC; c++)
                acc[c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p[c]), _mm512_mul_ps(dw, _mm512_set1_ps(x[(size_t)c * xs + b].d)), acc[c]);
        }
    }
    r1__store16(acc, NC, out);
}

/* q4_k and q5_k (HIGH): one sub-block of 32 weights at a time, its products summed straight
   into int32, then scaled as the 256-bit kernels do */
R1__TARGET_VNNI static R1__ALWAYS_INLINE void r1__kx16_zmm(const uint8_t *blocks, size_t block_bytes, const int HIGH, size_t gbytes,
                                                           const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    const __m512i low4 = _mm512_set1_epi8(0x0f), one8 = _mm512_set1_epi8(1);
    __m512 acc[R1__TILE16];
    int b, c, i, s;
    R1__UNROLL for (c = 0; c < NC; c++) acc[c] = _mm512_setzero_ps();
    for (b = 0; b < nb / 8; b++) {
        const r1_block_q4_kx8 *g0 = (const r1_block_q4_kx8 *)(const void *)(blocks + b * block_bytes);
        const r1_block_q4_kx8 *g1 = (const r1_block_q4_kx8 *)(const void *)(blocks + gbytes + b * block_bytes);
        const __m512 d = r1__load2_f16(g0->d, g1->d), dmin = r1__load2_f16(g0->dmin, g1->dmin);
        for (s = 0; s < 8; s++) {
            const uint8_t *qh0 = (const uint8_t *)g0 + 128, *qh1 = (const uint8_t *)g1 + 128;
            const uint8_t *qs0 = (HIGH ? qh0 + 256 : g0->qs) + 256 * (s / 2), *qs1 = (HIGH ? qh1 + 256 : g1->qs) + 256 * (s / 2);
            __m128i sc8, mn8;
            __m512 dsc, mnf;
            __m512i p[R1__TILE16];
            r1__kx8_scale_min(_mm_unpacklo_epi64(R1__LOAD64(g0->scales[s % 4]), R1__LOAD64(g1->scales[s % 4])),
                              _mm_unpacklo_epi64(R1__LOAD64(g0->scales[s % 4 + 4]), R1__LOAD64(g1->scales[s % 4 + 4])),
                              _mm_unpacklo_epi64(R1__LOAD64(g0->scales[s % 4 + 8]), R1__LOAD64(g1->scales[s % 4 + 8])), s, &sc8, &mn8);
            dsc = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(sc8)));
            mnf = _mm512_mul_ps(dmin, _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(mn8)));
            R1__UNROLL for (i = 0; i < 3; i++) {
                r1__prefetch_batch(g0, ahead, 64 * (3 * s + i));
                r1__prefetch_batch(g1, ahead, 64 * (3 * s + i));
            }
            R1__UNROLL for (c = 0; c < NC; c++) p[c] = _mm512_setzero_si512();
            R1__UNROLL for (i = 0; i < 8; i++) {
                __m512i v = R1__LOAD2X256(qs0 + 32 * i, qs1 + 32 * i);
                __m512i q = _mm512_and_si512(s % 2 ? _mm512_srli_epi16(v, 4) : v, low4);
                if (HIGH) {
                    __m512i hb = _mm512_and_si512(_mm512_srli_epi16(R1__LOAD2X256(qh0 + 32 * i, qh1 + 32 * i), s), one8);
                    q = _mm512_or_si512(q, _mm512_slli_epi16(hb, 4));
                }
                R1__UNROLL for (c = 0; c < NC; c++) {
                    p[c] = _mm512_dpbusd_epi32(p[c], q, R1__BCAST32(x[(size_t)c * xs + 8 * b + s].qs + 4 * i));
                    R1__KEEP(p[c]);
                }
            }
            R1__UNROLL for (c = 0; c < NC; c++) {
                const r1_block_q8x *xb = x + (size_t)c * xs + 8 * b + s;
                acc[c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p[c]), _mm512_mul_ps(dsc, _mm512_set1_ps(xb->d)), acc[c]);
                acc[c] = _mm512_fnmadd_ps(mnf, _mm512_set1_ps(xb->dsum), acc[c]);
            }
        }
    }
    r1__store16(acc, NC, out);
}

/* q6_k: each 16 weights' products summed into int32 from -32 * sum(x) (the offset of 32), then
   times the row's scale and added over the block's two 16s: exactly the integers the 256-bit
   kernel forms in int16 pairs. That multiply and add run as a float multiply-add, which is exact
   here (|sum| <= 16 * 32 * 128, |scale| <= 128, two of them: at most 2^24) and spares the
   two-instruction 32-bit integer multiply (one core, 1,024 rows of 1,536 in L2: 6-14 % more
   multiply-adds per second at 4 to 16 columns) */
R1__TARGET_VNNI static R1__ALWAYS_INLINE void r1__q6_kx16_zmm(const r1_block_q6_kx8 *g, size_t gs, const r1_block_q8x *x, int xs,
                                                              int nb, const int NC, int ahead, float *out) {
    const __m512i low4 = _mm512_set1_epi8(0x0f), low2 = _mm512_set1_epi8(3);
    __m512 acc[R1__TILE16];
    int b, c, h, k, i, half;
    R1__UNROLL for (c = 0; c < NC; c++) acc[c] = _mm512_setzero_ps();
    for (b = 0; b < nb / 8; b++) {
        const r1_block_q6_kx8 *g0 = g + b, *g1 = g + gs + b;
        const __m512 dw = r1__load2_f16(g0->d, g1->d);
        R1__UNROLL for (h = 0; h < 2; h++)
            for (k = 0; k < 4; k++) {
                __m512 p[R1__TILE16]; /* integers, exact as floats (above) */
                R1__UNROLL for (i = 0; i < 4; i++) {
                    r1__prefetch_batch(g0, ahead, 64 * (16 * h + 4 * k + i));
                    r1__prefetch_batch(g1, ahead, 64 * (16 * h + 4 * k + i));
                }
                R1__UNROLL for (c = 0; c < NC; c++) p[c] = _mm512_setzero_ps();
                for (half = 0; half < 2; half++) {
                    const int sb = 8 * h + 2 * k + half;
                    const __m512 sc = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_unpacklo_epi64(R1__LOAD64(g0->scales[sb]), R1__LOAD64(g1->scales[sb]))));
                    __m512i q[4];
                    R1__UNROLL for (i = 0; i < 4; i++) {
                        int at = 4 * half + i;
                        __m512i lv = R1__LOAD2X256(g0->ql + 512 * h + 256 * (k % 2) + 32 * at, g1->ql + 512 * h + 256 * (k % 2) + 32 * at);
                        __m512i hv = R1__LOAD2X256(g0->qh + 256 * h + 32 * at, g1->qh + 256 * h + 32 * at);
                        __m512i lo = _mm512_and_si512(k / 2 ? _mm512_srli_epi16(lv, 4) : lv, low4);
                        __m512i hi = _mm512_and_si512(_mm512_srli_epi16(hv, 2 * k), low2);
                        q[i] = _mm512_or_si512(lo, _mm512_slli_epi16(hi, 4));
                    }
                    R1__UNROLL for (c = 0; c < NC; c++) {
                        const r1_block_q8x *xb = x + (size_t)c * xs + 8 * b + 4 * h + k;
                        const int8_t *xq = xb->qs + 16 * half;
                        __m512i t = _mm512_set1_epi32(-32 * xb->sum[half]);
                        t = _mm512_dpbusd_epi32(t, q[0], R1__BCAST32(xq));
                        t = _mm512_dpbusd_epi32(t, q[1], R1__BCAST32(xq + 4));
                        t = _mm512_dpbusd_epi32(t, q[2], R1__BCAST32(xq + 8));
                        t = _mm512_dpbusd_epi32(t, q[3], R1__BCAST32(xq + 12));
                        p[c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(t), sc, p[c]);
                    }
                }
                R1__UNROLL for (c = 0; c < NC; c++)
                    acc[c] = _mm512_fmadd_ps(p[c], _mm512_mul_ps(dw, _mm512_set1_ps(x[(size_t)c * xs + 8 * b + 4 * h + k].d)), acc[c]);
            }
    }
    r1__store16(acc, NC, out);
}

/* the dotq16 entries: one instantiation per column count */
#define R1__ZMM_DISPATCH16(NAME, CALL)                                                                                    \
    R1__TARGET_VNNI static void NAME(const uint8_t *group, size_t group_bytes, const r1_block_q8x *x, int xs, int nb, int nc, \
                                     int ahead, float *out) {                                                              \
        switch (nc) { /* one column streams the weights: the caller's distance (r1__stream_ahead) */                      \
        case 1: CALL(1, ahead); return;                                                                                    \
        case 2: CALL(2, R1__PREFETCH_AHEAD); return;                                                                       \
        case 3: CALL(3, R1__PREFETCH_AHEAD); return;                                                                       \
        case 4: CALL(4, R1__PREFETCH_AHEAD); return;                                                                       \
        case 5: CALL(5, R1__PREFETCH_AHEAD); return;                                                                       \
        case 6: CALL(6, R1__PREFETCH_AHEAD); return;                                                                       \
        case 7: CALL(7, R1__PREFETCH_AHEAD); return;                                                                       \
        default: CALL(8, R1__PREFETCH_AHEAD); return;                                                                      \
        }                                                                                                                  \
    }
#define R1__CALL_Q8_0(NC, AHEAD) r1__q8_0x16_zmm((const r1_block_q8_0x8 *)group, group_bytes / sizeof(r1_block_q8_0x8), x, xs, nb, NC, AHEAD, out)
#define R1__CALL_Q4_0(NC, AHEAD) r1__q4_0x16_zmm((const r1_block_q4_0x8 *)group, group_bytes / sizeof(r1_block_q4_0x8), x, xs, nb, NC, AHEAD, out)
#define R1__CALL_Q4_K(NC, AHEAD) r1__kx16_zmm(group, sizeof(r1_block_q4_kx8), 0, group_bytes, x, xs, nb, NC, AHEAD, out)
#define R1__CALL_Q5_K(NC, AHEAD) r1__kx16_zmm(group, sizeof(r1_block_q5_kx8), 1, group_bytes, x, xs, nb, NC, AHEAD, out)
#define R1__CALL_Q6_K(NC, AHEAD) r1__q6_kx16_zmm((const r1_block_q6_kx8 *)group, group_bytes / sizeof(r1_block_q6_kx8), x, xs, nb, NC, AHEAD, out)
R1__ZMM_DISPATCH16(r1__dotq16_q8_0_zmm, R1__CALL_Q8_0)
R1__ZMM_DISPATCH16(r1__dotq16_q4_0_zmm, R1__CALL_Q4_0)
R1__ZMM_DISPATCH16(r1__dotq16_q4_k_zmm, R1__CALL_Q4_K)
R1__ZMM_DISPATCH16(r1__dotq16_q5_k_zmm, R1__CALL_Q5_K)
R1__ZMM_DISPATCH16(r1__dotq16_q6_k_zmm, R1__CALL_Q6_K)
#endif

/* Activation quantization and attention's float loops, AVX2 + FMA. The quantizer is exact to
   r1__quantize_q8x (same scale, roundf's half-away-from-zero, NaN to 0, the same sums). */
/* A quantized block's quants (qs, 32 int8 in a register) stored with the sums and offsets the
   kernels start from (r1_block_q8x); o->d is set. */
R1__TARGET_AVX2 static R1__ALWAYS_INLINE void r1__q8x_store_avx2(r1_block_q8x *o, __m256i qs) {
    /* sums of each 4: bytes times 1 pairwise, then pairs of pairs */
    __m256i s4 = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), qs), _mm256_set1_epi16(1));
    int32_t lanes[8];
    int s0, s1;
    _mm256_storeu_si256((__m256i *)o->qs, qs);
    _mm256_storeu_si256((__m256i *)o->off8, _mm256_mullo_epi32(s4, _mm256_set1_epi32(-8)));
    _mm256_storeu_si256((__m256i *)lanes, s4);
    s0 = lanes[0] + lanes[1] + lanes[2] + lanes[3];
    s1 = lanes[4] + lanes[5] + lanes[6] + lanes[7];
    o->sum[0] = (int16_t)s0;
    o->sum[1] = (int16_t)s1;
    o->dsum = o->d * (float)(s0 + s1);
    o->off = -8 * (s0 + s1);
    o->off128 = -128 * (s0 + s1);
    o->off16[0] = (int32_t)((uint32_t)(uint16_t)(-16 * s0) * 0x10001u);
    o->off16[1] = (int32_t)((uint32_t)(uint16_t)(-16 * s1) * 0x10001u);
}
R1__TARGET_AVX2 static void r1__quantize_q8x_avx2(const float *x, r1_block_q8x *out, int n) {
    const __m256 sign = _mm256_set1_ps(-0.0f), half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f);
    const __m256 lo = _mm256_set1_ps(-127.0f), hi = _mm256_set1_ps(127.0f);
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    int b, j;
    for (b = 0; b < n / 32; b++, x += 32) {
        __m256 v[4], m = _mm256_setzero_ps(), idv;
        __m256i q[4], qs;
        __m128 m4;
        float amax, id;
        for (j = 0; j < 4; j++) {
            v[j] = _mm256_loadu_ps(x + 8 * j);
            m = _mm256_max_ps(_mm256_andnot_ps(sign, v[j]), m); /* NaN loses, as in the C loop */
        }
        m4 = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
        m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
        m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
        amax = _mm_cvtss_f32(m4);
        out[b].d = _cvtsh_ss(_cvtss_sh(amax / 127.0f, 0)); /* F16C: round to nearest even, as r1_fp32_to_fp16 */
        id = out[b].d > 0.0f ? 1.0f / (amax / 127.0f) : 0.0f;
        idv = _mm256_set1_ps(id);
        for (j = 0; j < 4; j++) {
            __m256 s = _mm256_mul_ps(v[j], idv), t = _mm256_round_ps(s, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
            __m256 up = _mm256_cmp_ps(_mm256_andnot_ps(sign, _mm256_sub_ps(s, t)), half, _CMP_GE_OQ);
            __m256 r = _mm256_add_ps(t, _mm256_and_ps(up, _mm256_or_ps(_mm256_and_ps(s, sign), one)));
            r = _mm256_and_ps(r, _mm256_cmp_ps(s, s, _CMP_ORD_Q)); /* NaN -> 0 */
            q[j] = _mm256_cvttps_epi32(_mm256_min_ps(_mm256_max_ps(r, lo), hi));
        }
        qs = _mm256_packs_epi16(_mm256_packs_epi32(q[0], q[1]), _mm256_packs_epi32(q[2], q[3]));
        r1__q8x_store_avx2(&out[b], _mm256_permutevar8x32_epi32(qs, order));
    }
}

#if defined(R1__HAVE_AVX512)
/* The same quantizer on AVX-512, 16 blocks at a time: their maxima as one vector (a max tree,
   exact in any order: no NaN reaches it), so the two divisions and the float16 round trip run
   once per 16 blocks instead of once per block, and each block's rounding on 16 floats per
   instruction; every byte as r1__quantize_q8x's (the tests compare them). The last n / 32 % 16
   blocks go through the AVX2 loop. */
R1__TARGET_VNNI static void r1__quantize_q8x_avx512(const float *x, r1_block_q8x *out, int n) {
    const __m512i sign = _mm512_set1_epi32((int32_t)0x80000000u), one = _mm512_castps_si512(_mm512_set1_ps(1.0f));
    const __m512 half = _mm512_set1_ps(0.5f);
    const __m512 lo = _mm512_set1_ps(-127.0f), hi = _mm512_set1_ps(127.0f);
    /* the tree below leaves block i's maximum in lane 4 * (i % 4) + i / 4 */
    const __m512i block_order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    int nb = n / 32, b0, i, j;
    for (b0 = 0; b0 + 16 <= nb; b0 += 16) {
        const float *xb = x + (size_t)32 * b0;
        __m512 m[16], scaled, dv, idv;
        R1__ALIGNED(64) float d[16], id[16];
        /* 1. each block's largest magnitude (NaN loses, as in the C loop), then all 16 in one vector */
        for (i = 0; i < 16; i++)
            m[i] = _mm512_max_ps(_mm512_abs_ps(_mm512_loadu_ps(xb + 32 * i + 16)),
                                 _mm512_max_ps(_mm512_abs_ps(_mm512_loadu_ps(xb + 32 * i)), _mm512_setzero_ps()));
        for (i = 0; i < 8; i++) /* halves of two blocks: 8 partial maxima each */
            m[i] = _mm512_max_ps(_mm512_shuffle_f32x4(m[2 * i], m[2 * i + 1], 0x44), _mm512_shuffle_f32x4(m[2 * i], m[2 * i + 1], 0xee));
        for (i = 0; i < 4; i++) /* 4 each, a block per 128 bits */
            m[i] = _mm512_max_ps(_mm512_shuffle_f32x4(m[2 * i], m[2 * i + 1], 0x88), _mm512_shuffle_f32x4(m[2 * i], m[2 * i + 1], 0xdd));
        for (i = 0; i < 2; i++) /* 2 each */
            m[i] = _mm512_max_ps(_mm512_shuffle_ps(m[2 * i], m[2 * i + 1], 0x44), _mm512_shuffle_ps(m[2 * i], m[2 * i + 1], 0xee));
        m[0] = _mm512_max_ps(_mm512_shuffle_ps(m[0], m[1], 0x88), _mm512_shuffle_ps(m[0], m[1], 0xdd));
        m[0] = _mm512_permutexvar_ps(block_order, m[0]);
        /* 2. d = amax / 127 through float16, and 1 / (amax / 127) where d > 0 */
        scaled = _mm512_div_ps(m[0], _mm512_set1_ps(127.0f));
        dv = _mm512_cvtph_ps(_mm512_cvtps_ph(scaled, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        idv = _mm512_maskz_div_ps(_mm512_cmp_ps_mask(dv, _mm512_setzero_ps(), _CMP_GT_OQ), _mm512_set1_ps(1.0f), scaled);
        _mm512_store_ps(d, dv);
        _mm512_store_ps(id, idv);
        /* 3. per block: round half away from zero, NaN to 0, clamp; then the sums the kernels start from */
        for (i = 0; i < 16; i++) {
            __m128i q8[2];
            for (j = 0; j < 2; j++) {
                __m512 sv = _mm512_mul_ps(_mm512_loadu_ps(xb + 32 * i + 16 * j), _mm512_set1_ps(id[i]));
                __m512 t = _mm512_roundscale_ps(sv, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
                __mmask16 up = _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_sub_ps(sv, t)), half, _CMP_GE_OQ);
                __m512i away = _mm512_or_si512(_mm512_and_si512(_mm512_castps_si512(sv), sign), one); /* +-1 as s's sign */
                __m512 r = _mm512_mask_add_ps(t, up, t, _mm512_castsi512_ps(away));
                r = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(sv, sv, _CMP_ORD_Q), r);
                q8[j] = _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(_mm512_min_ps(_mm512_max_ps(r, lo), hi)));
            }
            out[b0 + i].d = d[i];
            r1__q8x_store_avx2(&out[b0 + i], _mm256_inserti128_si256(_mm256_castsi128_si256(q8[0]), q8[1], 1));
        }
    }
    if (b0 < nb) r1__quantize_q8x_avx2(x + (size_t)32 * b0, out + b0, 32 * (nb - b0));
}
#endif

/* Attention scores 4 cache rows at a time, for every query while the 4 rows are in L1: 4
   accumulators, then one horizontal-add tree for all 4 (a row's result does not depend on its
   neighbours or on the other queries: each lane sums in the same order).
   The weighted sum 64 floats at a time: a query's slice of out stays in 8 registers across a
   pass of R1__MIX_ROWS cache rows, and each pass's rows stay in L1 for every query. Each output
   still sums its rows in order, one multiply-add at a time, so passes change nothing.
   One pair per cache element ELT: LOAD8 reads 8 of them as floats, LOAD1 one, DOT a whole row. */
#define R1__LOAD8_F32_AVX2(p, i) _mm256_loadu_ps((p) + (i))
#define R1__LOAD8_F16_AVX2(p, i) _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(const void *)((p) + (i))))
#define R1__PASS R1__PASS_ATTN_AVX2
#define R1__ESFX f32
#define R1__ELT float
#define R1__LOAD8 R1__LOAD8_F32_AVX2
#define R1__LOAD1 R1__LOAD1_F32
#define R1__DOT r1__dot_f32
#include R1_SELF
#define R1__PASS R1__PASS_ATTN_AVX2
#define R1__ESFX f16
#define R1__ELT uint16_t
#define R1__LOAD8 R1__LOAD8_F16_AVX2
#define R1__LOAD1 R1__LOAD1_F16
#define R1__DOT r1__dot_f16
#include R1_SELF
/* Q8_0: 8 int8 widened to floats, times the block's scale (exact, as in the C loops) */
#define R1__LOAD8_Q8_0_AVX2(p, i)                                                                               \
    _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)&R1__Q8_ELT(p, i)))), \
                  _mm256_cvtph_ps(_mm_set1_epi16((short)R1__Q8_D(p, i))))
#define R1__PASS R1__PASS_ATTN_AVX2
#define R1__ESFX q8_0
#define R1__ELT r1_block_q8_0
#define R1__LOAD8 R1__LOAD8_Q8_0_AVX2
#define R1__LOAD1 R1__LOAD1_Q8_0
#define R1__DOT r1__dot_kv_q8_0
#define R1__BYTES_OF R1__BYTES_OF_Q8_0
#define R1__AT R1__AT_Q8_0
#include R1_SELF

#if defined(R1__HAVE_AVX512)
/* The weighted sum with AVX-512: each 64-float slice of a cache row is loaded (and converted)
   once for up to R1__MIX_Q queries, whose slices of out stay in registers (4 each) across a
   pass of R1__MIX_ROWS rows. Each output still sums its rows in order, one multiply-add at a
   time; the columns past the last 64 go through the AVX2 loops. */
#define R1__MIX_Q 6
#define R1__LOAD16_F32_AVX512(p, i) _mm512_loadu_ps((p) + (i))
#define R1__LOAD16_F16_AVX512(p, i) _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(const void *)((p) + (i))))
#define R1__PASS R1__PASS_MIX_AVX512
#define R1__ESFX f32
#define R1__ELT float
#define R1__LOAD16 R1__LOAD16_F32_AVX512
#include R1_SELF
#define R1__PASS R1__PASS_MIX_AVX512
#define R1__ESFX f16
#define R1__ELT uint16_t
#define R1__LOAD16 R1__LOAD16_F16_AVX512
#include R1_SELF
#define R1__LOAD16_Q8_0_AVX512(p, i)                                                                              \
    _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(const void *)&R1__Q8_ELT(p, i)))), \
                  _mm512_cvtph_ps(_mm256_set1_epi16((short)R1__Q8_D(p, i))))
#define R1__PASS R1__PASS_MIX_AVX512
#define R1__ESFX q8_0
#define R1__ELT r1_block_q8_0
#define R1__LOAD16 R1__LOAD16_Q8_0_AVX512
#define R1__BYTES_OF R1__BYTES_OF_Q8_0
#define R1__AT R1__AT_Q8_0
#include R1_SELF

/* Attention scores with AVX-512: 4 cache rows, each loaded (and converted) once per 16 columns
   for up to R1__MIX_Q queries, 24 sums in registers. A row's score is 16 lane sums (columns
   i = lane mod 16, in order; the last partial 16 through masked loads, which add zeros), the
   two halves added, then the AVX2 loops' 4-row tree, whatever its neighbours and however many
   queries: the last group of fewer than 4 rows repeats its last row and keeps the valid results.
   The trees of 16 sums run side by side (r1__tree16_512): each step adds two registers' worth
   of pairs, so 16 scores cost 15 adds and 30 shuffles instead of a tree per query. */
/* Level by level, the adds of the score tree above over two registers a and b of sums: */
/* halves: [a's lanes i + i+8 | b's], 8 each */
R1__TARGET_AVX512F static inline __m512 r1__tree_halves_512(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0)), _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
}
/* neighbours: in each 128-bit block, [a0 + a1, a2 + a3, b0 + b1, b2 + b3] */
R1__TARGET_AVX512F static inline __m512 r1__tree_pairs_512(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)), _mm512_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)));
}
/* 128-bit blocks: [a.0 + a.1, a.2 + a.3, b.0 + b.1, b.2 + b.3] */
R1__TARGET_AVX512F static inline __m512 r1__tree_blocks_512(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(2, 0, 2, 0)), _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 1, 3, 1)));
}
/* The tree of each of 16 registers of lane sums s[4 q + r] (query q, row r): lane 4 q + r of
   the result is ((h0 + h1) + (h2 + h3)) + ((h4 + h5) + (h6 + h7)), h_i = s_i + s_(i+8), as
   the one-register tree above gives it */
R1__TARGET_AVX512F static R1__ALWAYS_INLINE __m512 r1__tree16_512(const __m512 *s) {
    __m512 t[8], u[4];
    int r;
    R1__UNROLL for (r = 0; r < 4; r++) { /* row r of queries 0 and 1, then of queries 2 and 3 */
        t[r] = r1__tree_halves_512(s[r], s[4 + r]);
        t[4 + r] = r1__tree_halves_512(s[8 + r], s[12 + r]);
    }
    R1__UNROLL for (r = 0; r < 4; r++) u[r] = r1__tree_pairs_512(t[2 * r], t[2 * r + 1]);
    return r1__tree_blocks_512(r1__tree_pairs_512(u[0], u[1]), r1__tree_pairs_512(u[2], u[3]));
}
#define R1__LOAD16_FIRST_F32_AVX512(m, p, i) _mm512_maskz_loadu_ps((m), (p) + (i))
#define R1__LOAD16_FIRST_F16_AVX512(m, p, i) _mm512_cvtph_ps(_mm256_maskz_loadu_epi16((m), (const void *)((p) + (i))))
#define R1__PASS R1__PASS_SCORES_AVX512
#define R1__ESFX f32
#define R1__ELT float
#define R1__LOAD16 R1__LOAD16_F32_AVX512
#define R1__LOAD16_FIRST R1__LOAD16_FIRST_F32_AVX512
#include R1_SELF
#define R1__PASS R1__PASS_SCORES_AVX512
#define R1__ESFX f16
#define R1__ELT uint16_t
#define R1__LOAD16 R1__LOAD16_F16_AVX512
#define R1__LOAD16_FIRST R1__LOAD16_FIRST_F16_AVX512
#include R1_SELF
/* (a Q8_0 row's width is a multiple of 32: its scores have no partial 16) */
#define R1__LOAD16_FIRST_Q8_0_AVX512(m, p, i) _mm512_maskz_mov_ps((m), R1__LOAD16_Q8_0_AVX512(p, i))
#define R1__PASS R1__PASS_SCORES_AVX512
#define R1__ESFX q8_0
#define R1__ELT r1_block_q8_0
#define R1__LOAD16 R1__LOAD16_Q8_0_AVX512
#define R1__LOAD16_FIRST R1__LOAD16_FIRST_Q8_0_AVX512
#define R1__BYTES_OF R1__BYTES_OF_Q8_0
#define R1__AT R1__AT_Q8_0
#include R1_SELF
#endif

/* e^x for the floats of a W-bit register (256: AVX2, 512: AVX-512; the same operations, so
   each AVX-512 lane gives the AVX2 lane's result; ROUND rounds to the nearest integer):
   2^k e^r with k = round(x log2 e) and r = x - k ln 2 (ln 2 in two parts, so r keeps its low
   bits); e^r from Cephes' degree-6 polynomial (relative error about 1e-7, as expf's rounding).
   2^k is applied as two halves, so results overflow to Inf and sink through the subnormals to
   0 as expf's do; x is clamped to [-104, 89], past which both are final. NaN stays NaN. */
R1__TARGET_AVX2 static inline __m256 r1__exp_256(__m256 x) {
    __m256 k, r, p;
    __m256i ki, half;
    x = _mm256_max_ps(_mm256_set1_ps(-104.0f), _mm256_min_ps(_mm256_set1_ps(89.0f), x)); /* NaN passes (second operand) */
    k = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    r = _mm256_fnmadd_ps(k, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(k, _mm256_set1_ps(-2.12194440e-4f), r);
    p = _mm256_fmadd_ps(_mm256_set1_ps(1.9875691500e-4f), r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_add_ps(_mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.0f));
    ki = _mm256_cvtps_epi32(k);
    half = _mm256_srai_epi32(ki, 1);
    p = _mm256_mul_ps(p, _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(half, _mm256_set1_epi32(127)), 23)));
    return _mm256_mul_ps(p, _mm256_castsi256_ps(_mm256_slli_epi32(
                                  _mm256_add_epi32(_mm256_sub_epi32(ki, half), _mm256_set1_epi32(127)), 23)));
}

R1__TARGET_AVX2 static float r1__exp_sum_f32_avx2(float *x, float shift, int n) {
    __m256 acc = _mm256_setzero_ps(), sh = _mm256_set1_ps(shift);
    float sum;
    int i;
    const __m256 cut = _mm256_set1_ps(R1__EXP_CUT);
    for (i = 0; i + 8 <= n; i += 8) {
        __m256 d = _mm256_sub_ps(_mm256_loadu_ps(x + i), sh);
        __m256 e = r1__exp_256(_mm256_max_ps(cut, d)); /* (max passes a NaN d through) */
        e = _mm256_andnot_ps(_mm256_cmp_ps(d, cut, _CMP_LT_OQ), e);
        _mm256_storeu_ps(x + i, e);
        acc = _mm256_add_ps(acc, e);
    }
    R1__HSUM_F32(acc, sum);
    for (; i < n; i++) {
        float d = x[i] - shift;
        x[i] = d < R1__EXP_CUT ? 0.0f : expf(d);
        sum += x[i];
    }
    return sum;
}

R1__TARGET_AVX2 static void r1__silu_mul_f32_avx2(float *g, const float *u, int n) {
    int i;
    for (i = 0; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(g + i);
        __m256 e = r1__exp_256(_mm256_sub_ps(_mm256_setzero_ps(), v));
        _mm256_storeu_ps(g + i, _mm256_div_ps(_mm256_mul_ps(v, _mm256_loadu_ps(u + i)), _mm256_add_ps(_mm256_set1_ps(1.0f), e)));
    }
    for (; i < n; i++) g[i] = g[i] / (1.0f + expf(-g[i])) * u[i];
}

#if defined(R1__HAVE_AVX512)
/* Softmax's exp-sum and silu with AVX-512 (each lane the AVX2 lane's result); the elements
   past the last 16 go through the AVX2 loops. */
R1__TARGET_AVX512F static inline __m512 r1__exp_512(__m512 x) {
    __m512 k, r, p;
    __m512i ki, half;
    x = _mm512_max_ps(_mm512_set1_ps(-104.0f), _mm512_min_ps(_mm512_set1_ps(89.0f), x)); /* NaN passes (second operand) */
    k = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    r = _mm512_fnmadd_ps(k, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(k, _mm512_set1_ps(-2.12194440e-4f), r);
    p = _mm512_fmadd_ps(_mm512_set1_ps(1.9875691500e-4f), r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
    ki = _mm512_cvtps_epi32(k);
    half = _mm512_srai_epi32(ki, 1);
    p = _mm512_mul_ps(p, _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(half, _mm512_set1_epi32(127)), 23)));
    return _mm512_mul_ps(p, _mm512_castsi512_ps(_mm512_slli_epi32(
                                  _mm512_add_epi32(_mm512_sub_epi32(ki, half), _mm512_set1_epi32(127)), 23)));
}

R1__TARGET_AVX512F static float r1__exp_sum_f32_avx512(float *x, float shift, int n) {
    __m512 acc = _mm512_setzero_ps(), sh = _mm512_set1_ps(shift);
    int i;
    const __m512 cut = _mm512_set1_ps(R1__EXP_CUT);
    for (i = 0; i + 16 <= n; i += 16) {
        __m512 d = _mm512_sub_ps(_mm512_loadu_ps(x + i), sh);
        __m512 e = r1__exp_512(_mm512_max_ps(cut, d)); /* (max passes a NaN d through) */
        e = _mm512_mask_mov_ps(e, _mm512_cmp_ps_mask(d, cut, _CMP_LT_OQ), _mm512_setzero_ps());
        _mm512_storeu_ps(x + i, e);
        acc = _mm512_add_ps(acc, e);
    }
    return _mm512_reduce_add_ps(acc) + r1__exp_sum_f32_avx2(x + i, shift, n - i);
}

R1__TARGET_AVX512F static void r1__silu_mul_f32_avx512(float *g, const float *u, int n) {
    int i;
    for (i = 0; i + 16 <= n; i += 16) {
        __m512 v = _mm512_loadu_ps(g + i);
        __m512 e = r1__exp_512(_mm512_sub_ps(_mm512_setzero_ps(), v));
        _mm512_storeu_ps(g + i, _mm512_div_ps(_mm512_mul_ps(v, _mm512_loadu_ps(u + i)), _mm512_add_ps(_mm512_set1_ps(1.0f), e)));
    }
    r1__silu_mul_f32_avx2(g + i, u + i, n - i);
}
#endif

static const r1__type_kernels r1__types_avx2[] = {
    { R1_TYPE_Q4_0, r1__dotq_q4_0_avx2, r1__dotq8_q4_0_avx2, r1__dotq16_q4_0_avx2, NULL },
    { R1_TYPE_Q4_1, r1__dotq_q4_1_avx2, NULL, NULL, NULL },
    { R1_TYPE_Q5_0, r1__dotq_q5_0_avx2, r1__dotq8_q5_0_avx2, NULL, NULL },
    { R1_TYPE_Q5_1, r1__dotq_q5_1_avx2, NULL, NULL, NULL },
    { R1_TYPE_Q8_0, r1__dotq_q8_0_avx2, r1__dotq8_q8_0_avx2, r1__dotq16_q8_0_avx2, NULL },
    { R1_TYPE_Q2_K, r1__dotq_q2_k_avx2, r1__dotq8_q2_k_avx2, NULL, NULL },
    { R1_TYPE_Q3_K, r1__dotq_q3_k_avx2, r1__dotq8_q3_k_avx2, NULL, NULL },
    { R1_TYPE_Q4_K, r1__dotq_q4_k_avx2, r1__dotq8_q4_k_avx2, r1__dotq16_q4_k_avx2, NULL },
    { R1_TYPE_Q5_K, r1__dotq_q5_k_avx2, r1__dotq8_q5_k_avx2, r1__dotq16_q5_k_avx2, NULL },
    { R1_TYPE_Q6_K, r1__dotq_q6_k_avx2, r1__dotq8_q6_k_avx2, NULL, NULL },
};
static const r1__kernels r1__kernels_avx2 = { "avx2", r1__types_avx2, R1__COUNT_OF(r1__types_avx2), 1, r1__quantize_q8x_avx2,
    r1__scores_f32_avx2, r1__mix_f32_avx2, r1__scores_f16_avx2, r1__mix_f16_avx2,
    r1__scores_q8_0_avx2, r1__mix_q8_0_avx2, r1__exp_sum_f32_avx2, r1__silu_mul_f32_avx2, 0 };
#if defined(R1__HAVE_AVX512)
static const r1__type_kernels r1__types_vnni[] = {
    { R1_TYPE_Q4_0, r1__dotq_q4_0_vnni, r1__dotq8_q4_0_vnni, r1__dotq16_q4_0_zmm, NULL },
    { R1_TYPE_Q4_1, r1__dotq_q4_1_vnni, NULL, NULL, NULL },
    { R1_TYPE_Q5_0, r1__dotq_q5_0_vnni, r1__dotq8_q5_0_vnni, NULL, NULL },
    { R1_TYPE_Q5_1, r1__dotq_q5_1_vnni, NULL, NULL, NULL },
    { R1_TYPE_Q8_0, r1__dotq_q8_0_vnni, r1__dotq8_q8_0_vnni, r1__dotq16_q8_0_zmm, NULL },
    { R1_TYPE_Q2_K, r1__dotq_q2_k_vnni, r1__dotq8_q2_k_vnni, NULL, NULL },
    { R1_TYPE_Q3_K, r1__dotq_q3_k_vnni, r1__dotq8_q3_k_vnni, NULL, NULL },
    { R1_TYPE_Q4_K, r1__dotq_q4_k_vnni, r1__dotq8_q4_k_vnni, r1__dotq16_q4_k_zmm, NULL },
    { R1_TYPE_Q5_K, r1__dotq_q5_k_vnni, r1__dotq8_q5_k_vnni, r1__dotq16_q5_k_zmm, NULL },
    { R1_TYPE_Q6_K, r1__dotq_q6_k_vnni, r1__dotq8_q6_k_vnni, r1__dotq16_q6_k_zmm, NULL },
};
static const r1__kernels r1__kernels_vnni = { "avx512-vnni", r1__types_vnni, R1__COUNT_OF(r1__types_vnni), 1, r1__quantize_q8x_avx512,
    r1__scores_f32_avx512, r1__mix_f32_avx512, r1__scores_f16_avx512, r1__mix_f16_avx512,
    r1__scores_q8_0_avx512, r1__mix_q8_0_avx512, r1__exp_sum_f32_avx512,
    r1__silu_mul_f32_avx512, 1 };
#endif
#if defined(R1__HAVE_AVXVNNI)
/* AVX2 plus the VEX-encoded dpbusd (Intel Alder Lake and later client chips, AMD Zen 5): the
   integer kernels as AVX-512 VNNI's 256-bit ones, everything else as AVX2's */
static const r1__type_kernels r1__types_avxvnni[] = {
    { R1_TYPE_Q4_0, r1__dotq_q4_0_avxvnni, r1__dotq8_q4_0_avxvnni, r1__dotq16_q4_0_avxvnni, NULL },
    { R1_TYPE_Q4_1, r1__dotq_q4_1_avxvnni, NULL, NULL, NULL },
    { R1_TYPE_Q5_0, r1__dotq_q5_0_avxvnni, r1__dotq8_q5_0_avxvnni, NULL, NULL },
    { R1_TYPE_Q5_1, r1__dotq_q5_1_avxvnni, NULL, NULL, NULL },
    { R1_TYPE_Q8_0, r1__dotq_q8_0_avxvnni, r1__dotq8_q8_0_avxvnni, r1__dotq16_q8_0_avxvnni, NULL },
    { R1_TYPE_Q2_K, r1__dotq_q2_k_avxvnni, r1__dotq8_q2_k_avxvnni, NULL, NULL },
    { R1_TYPE_Q3_K, r1__dotq_q3_k_avxvnni, r1__dotq8_q3_k_avxvnni, NULL, NULL },
    { R1_TYPE_Q4_K, r1__dotq_q4_k_avxvnni, r1__dotq8_q4_k_avxvnni, r1__dotq16_q4_k_avxvnni, NULL },
    { R1_TYPE_Q5_K, r1__dotq_q5_k_avxvnni, r1__dotq8_q5_k_avxvnni, r1__dotq16_q5_k_avxvnni, NULL },
    { R1_TYPE_Q6_K, r1__dotq_q6_k_avxvnni, r1__dotq8_q6_k_avxvnni, NULL, NULL },
};
static const r1__kernels r1__kernels_avxvnni = { "avx-vnni", r1__types_avxvnni, R1__COUNT_OF(r1__types_avxvnni), 1, r1__quantize_q8x_avx2,
    r1__scores_f32_avx2, r1__mix_f32_avx2, r1__scores_f16_avx2, r1__mix_f16_avx2,
    r1__scores_q8_0_avx2, r1__mix_q8_0_avx2, r1__exp_sum_f32_avx2, r1__silu_mul_f32_avx2, 0 };
#endif

/* ---- x86: AMX-INT8 (matrix units of Sapphire Rapids and later), for batches ----
   One tile multiply (tdpbssd) adds a 16 x K block of int8 inputs times a K x 16 block of int8
   weights into 16 x 16 int32 sums. With K = 32 a step is one input block of 16 columns against
   the same 32 weights of 16 rows (two packed groups), so its sums are exactly the integers of
   the dotq8 kernels; the float steps after them (scales, minimums, order of accumulation) are
   theirs too, so a token's results are the same bits in a batch as alone. The weights are
   unpacked to signed bytes in the unit's layout (4 consecutive weights of each of the 16 rows
   per 64-byte line); the inputs come in groups of 16 columns (r1_block_q8x16), and the 16
   columns' float sums stay in registers. Linux hands the tile registers out on request
   (arch_prctl), so this set is picked only where that request succeeds. */
#if defined(__linux__) && defined(__x86_64__) && defined(R1__HAVE_AVX512) && !defined(R1_NO_AMX)
#define R1__HAVE_AMX 1
#define R1__AMX_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")))
/* the tile instructions as inline asm: the compilers' intrinsics carry no memory clobber, so a
   store to a tile's source could be moved past the load that reads it */
#define R1__TILE_LOAD(t, base, stride) __asm__ volatile("tileloadd (%0,%1,1), %%tmm" #t : : "r"(base), "r"((long)(stride)) : "memory")
#define R1__TILE_STORE(t, base, stride) __asm__ volatile("tilestored %%tmm" #t ", (%0,%1,1)" : : "r"(base), "r"((long)(stride)) : "memory")
#define R1__TILE_ZERO(t) __asm__ volatile("tilezero %%tmm" #t ::)
#define R1__TILE_DP(c, a, b) __asm__ volatile("tdpbssd %%tmm" #b ", %%tmm" #a ", %%tmm" #c ::)

typedef struct r1__tile_config { /* ldtilecfg's 64 bytes, palette 1 */
    uint8_t palette, start_row, reserved[14];
    uint16_t colsb[16];       /* bytes per row of tile register i */
    uint8_t rows[16];         /* its rows */
} r1__tile_config;

/* Two independent chains of (sums, inputs, weights) in tmm0 / tmm2 / tmm4 and tmm1 / tmm3 /
   tmm5, so one step's multiply and store overlap the next's; k input bytes per step (32, or
   16 for q6_k's halves), n_cols (8 or 16) columns. The configuration is per thread, so every
   call sets it. */
static void r1__amx_begin(int k, int n_cols) {
    r1__tile_config cfg;
    int t;
    memset(&cfg, 0, sizeof cfg);
    cfg.palette = 1;
    for (t = 0; t < 2; t++) {
        cfg.rows[t] = cfg.rows[2 + t] = (uint8_t)n_cols; /* sums: a column per row, 16 int32 */
        cfg.colsb[t] = 64;
        cfg.colsb[2 + t] = (uint16_t)k;     /* inputs: k bytes of a block per column */
        cfg.rows[4 + t] = (uint8_t)(k / 4); /* weights: k / 4 lines of 16 rows x 4 */
        cfg.colsb[4 + t] = 64;
    }
    __asm__ volatile("ldtilecfg %0" : : "m"(cfg) : "memory");
}
static void r1__amx_end(void) { __asm__ volatile("tilerelease" ::: "memory"); }

/* the 16 rows' float16 scales of two packed groups as floats */
R1__AMX_TARGET static inline __m512 r1__amx_scales(const uint16_t *d0, const uint16_t *d1) {
    return _mm512_cvtph_ps(_mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)d0)),
                                                   _mm_loadu_si128((const __m128i *)d1), 1));
}
/* 32 bytes of each group side by side: the same 4 weights of rows 0-7, then of rows 8-15 */
R1__AMX_TARGET static inline __m512i r1__amx_pair(const void *p0, const void *p1) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(R1__LOAD256(p0)), R1__LOAD256(p1), 1);
}

/* Each type gives TYPE_prep(g0, g1, j, w): step j's weights unpacked into 512 bytes, and
   TYPE_scale(g0, g1, j, sums, x, acc, NCOL): step j's int32 sums added into the NCOL columns'
   float sums with its scales. Steps go in pairs, one per chain: while a pair's multiplies run,
   the previous pair is scaled and the next one unpacked. A batch of up to 8 columns runs tiles
   of 8 (half the multiply, store and scaling work of 16). */
/* the kernel: tiles of 8 columns for up to 8, of 16 above */
#define R1__AMX_WIDTHS(TYPE)                                                                       \
    R1__AMX_TARGET static void R1__NAME2(r1__dotamx, TYPE)(const uint8_t *group, size_t gbytes, const r1_block_q8x16 *x, \
                                                           int nb, int nc, float *out) {           \
        if (nc <= 8) R1__NAME2(r1__dotamx_cols, TYPE)(group, gbytes, x, nb, nc, out, 8);           \
        else R1__NAME2(r1__dotamx_cols, TYPE)(group, gbytes, x, nb, nc, out, 16);                  \
    }

#define R1__AMX_INLINE R1__AMX_TARGET static R1__ALWAYS_INLINE

/* q8_0 and q4_0: acc[c] += float(sums[c]) * (dw * dx_c), as the packed kernels scale a block */
R1__AMX_INLINE void r1__amx_d_scale(const int32_t *sums, __m512 dw, const r1_block_q8x16 *x, __m512 *acc, const int NCOL) {
    int c;
    R1__UNROLL for (c = 0; c < NCOL; c++)
        acc[c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_load_si512((const void *)(sums + 16 * c))),
                                 _mm512_mul_ps(dw, _mm512_set1_ps(x->d[c])), acc[c]);
}

/* q8_0: line i holds weights 4i..4i+3 of the 16 rows, as the packed block does for 8 */
R1__AMX_INLINE void r1__amx_q8_0_prep(const r1_block_q8_0x8 *g0, const r1_block_q8_0x8 *g1, int j, int8_t *w) {
    int i;
    R1__UNROLL for (i = 0; i < 8; i++) _mm512_store_si512((void *)(w + 64 * i), r1__amx_pair(g0[j].qs + 32 * i, g1[j].qs + 32 * i));
}
R1__AMX_INLINE void r1__amx_q8_0_scale(const r1_block_q8_0x8 *g0, const r1_block_q8_0x8 *g1, int j, const int32_t *sums,
                                       const r1_block_q8x16 *x, __m512 *acc, const int NCOL) {
    r1__amx_d_scale(sums, r1__amx_scales(g0[j].d, g1[j].d), x, acc, NCOL);
}
#define R1__PASS R1__PASS_AMX
#define R1__AMX_TYPE q8_0
#define R1__AMX_BLOCK r1_block_q8_0x8
#include R1_SELF

/* q4_0: byte 4i+j holds weight 4i+j (low nibble) and 16+4i+j (high), less 8 */
R1__AMX_INLINE void r1__amx_q4_0_prep(const r1_block_q4_0x8 *g0, const r1_block_q4_0x8 *g1, int j, int8_t *w) {
    const __m512i low4 = _mm512_set1_epi8(0x0f), eight = _mm512_set1_epi8(8);
    int i;
    R1__UNROLL for (i = 0; i < 4; i++) {
        __m512i v = r1__amx_pair(g0[j].qs + 32 * i, g1[j].qs + 32 * i);
        _mm512_store_si512((void *)(w + 64 * i), _mm512_sub_epi8(_mm512_and_si512(v, low4), eight));
        _mm512_store_si512((void *)(w + 64 * (i + 4)), _mm512_sub_epi8(_mm512_and_si512(_mm512_srli_epi16(v, 4), low4), eight));
    }
}
R1__AMX_INLINE void r1__amx_q4_0_scale(const r1_block_q4_0x8 *g0, const r1_block_q4_0x8 *g1, int j, const int32_t *sums,
                                       const r1_block_q8x16 *x, __m512 *acc, const int NCOL) {
    r1__amx_d_scale(sums, r1__amx_scales(g0[j].d, g1[j].d), x, acc, NCOL);
}
#define R1__PASS R1__PASS_AMX
#define R1__AMX_TYPE q4_0
#define R1__AMX_BLOCK r1_block_q4_0x8
#include R1_SELF

/* q4_k / q5_k, step j = sub-block j % 8 of super-block j / 8: the nibbles (q5_k: with the 5th
   bit from its plane) as unsigned bytes; then float(isum) times (d * sc) * dx, less
   dmin * mn * dsum, as r1__kx8_tiles does */
R1__AMX_INLINE void r1__amx_kx8_prep(const uint8_t *b0, const uint8_t *b1, int s, int high, int8_t *w) {
    const uint8_t *qs0 = (high ? b0 + 384 : b0 + 128) + 256 * (s / 2), *qs1 = (high ? b1 + 384 : b1 + 128) + 256 * (s / 2);
    const __m512i low4 = _mm512_set1_epi8(0x0f), one8 = _mm512_set1_epi8(1);
    int i;
    R1__UNROLL for (i = 0; i < 8; i++) {
        __m512i v = r1__amx_pair(qs0 + 32 * i, qs1 + 32 * i), q;
        q = _mm512_and_si512(s % 2 ? _mm512_srli_epi16(v, 4) : v, low4);
        if (high) {
            __m512i h = _mm512_srli_epi16(r1__amx_pair(b0 + 128 + 32 * i, b1 + 128 + 32 * i), s);
            q = _mm512_or_si512(q, _mm512_slli_epi16(_mm512_and_si512(h, one8), 4));
        }
        _mm512_store_si512((void *)(w + 64 * i), q);
    }
}
R1__AMX_INLINE void r1__amx_kx8_scale(const r1_block_q4_kx8 *g0, const r1_block_q4_kx8 *g1, int s, const int32_t *sums,
                                      const r1_block_q8x16 *x, __m512 *acc, const int NCOL) {
    __m128i sc8, mn8;
    __m512 dw = r1__amx_scales(g0->d, g1->d), scf, mnf;
    int c;
    /* the 16 rows' 6-bit scale and minimum of sub-block s: both groups' bytes side by side */
#define R1__SCALES16(k) _mm_unpacklo_epi64(R1__LOAD64(g0->scales[k]), R1__LOAD64(g1->scales[k]))
    r1__kx8_scale_min(R1__SCALES16(s % 4), R1__SCALES16(s % 4 + 4), R1__SCALES16(s % 4 + 8), s, &sc8, &mn8);
#undef R1__SCALES16
    scf = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(sc8));
    mnf = _mm512_mul_ps(r1__amx_scales(g0->dmin, g1->dmin), _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(mn8)));
    dw = _mm512_mul_ps(dw, scf); /* d * sc */
    R1__UNROLL for (c = 0; c < NCOL; c++)
        acc[c] = _mm512_fnmadd_ps(mnf, _mm512_set1_ps(x->dsum[c]),
                                  _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_load_si512((const void *)(sums + 16 * c))),
                                                  _mm512_mul_ps(dw, _mm512_set1_ps(x->d[c])), acc[c]));
}
R1__AMX_INLINE void r1__amx_q4_k_prep(const r1_block_q4_kx8 *g0, const r1_block_q4_kx8 *g1, int j, int8_t *w) {
    r1__amx_kx8_prep((const uint8_t *)(g0 + j / 8), (const uint8_t *)(g1 + j / 8), j % 8, 0, w);
}
R1__AMX_INLINE void r1__amx_q4_k_scale(const r1_block_q4_kx8 *g0, const r1_block_q4_kx8 *g1, int j, const int32_t *sums,
                                       const r1_block_q8x16 *x, __m512 *acc, const int NCOL) {
    r1__amx_kx8_scale(g0 + j / 8, g1 + j / 8, j % 8, sums, x, acc, NCOL);
}
R1__AMX_INLINE void r1__amx_q5_k_prep(const r1_block_q5_kx8 *g0, const r1_block_q5_kx8 *g1, int j, int8_t *w) {
    r1__amx_kx8_prep((const uint8_t *)(g0 + j / 8), (const uint8_t *)(g1 + j / 8), j % 8, 1, w);
}
R1__AMX_INLINE void r1__amx_q5_k_scale(const r1_block_q5_kx8 *g0, const r1_block_q5_kx8 *g1, int j, const int32_t *sums,
                                       const r1_block_q8x16 *x, __m512 *acc, const int NCOL) { /* q5_k starts as q4_k does */
    r1__amx_kx8_scale((const r1_block_q4_kx8 *)(const void *)(g0 + j / 8), (const r1_block_q4_kx8 *)(const void *)(g1 + j / 8), j % 8,
                      sums, x, acc, NCOL);
}
#define R1__PASS R1__PASS_AMX
#define R1__AMX_TYPE q4_k
#define R1__AMX_BLOCK r1_block_q4_kx8
#include R1_SELF
#define R1__PASS R1__PASS_AMX
#define R1__AMX_TYPE q5_k
#define R1__AMX_BLOCK r1_block_q5_kx8
#include R1_SELF

/* q6_k: a block's two 16s have scales of their own, so its halves go through the two chains
   as two K = 16 multiplies, and p = sc0 * S0 + sc1 * S1 before the block's float step (exact in
   floats: |S| <= 16 * 32 * 127 and |sc| <= 128 keep p below 2^24), as r1__q6_kx8_tile does.
   Block j is sub-block j % 8 of super-block j / 8: h = j % 8 / 4, k = j % 4. */
R1__AMX_INLINE void r1__amx_q6_k_prep(const r1_block_q6_kx8 *g0, const r1_block_q6_kx8 *g1, int j, int8_t *w) {
    const int h = j % 8 / 4, k = j % 4;
    const r1_block_q6_kx8 *b0 = g0 + j / 8, *b1 = g1 + j / 8;
    const __m512i low4 = _mm512_set1_epi8(0x0f), low2 = _mm512_set1_epi8(3), off = _mm512_set1_epi8(32);
    int at;
    R1__UNROLL for (at = 0; at < 8; at++) { /* line at: weights 4at..4at+3, less 32 (lines 0-3: the first 16) */
        __m512i lv = r1__amx_pair(b0->ql + 512 * h + 256 * (k % 2) + 32 * at, b1->ql + 512 * h + 256 * (k % 2) + 32 * at);
        __m512i hv = r1__amx_pair(b0->qh + 256 * h + 32 * at, b1->qh + 256 * h + 32 * at);
        __m512i lo = _mm512_and_si512(k / 2 ? _mm512_srli_epi16(lv, 4) : lv, low4);
        __m512i hi = _mm512_and_si512(_mm512_srli_epi16(hv, 2 * k), low2);
        _mm512_store_si512((void *)(w + 64 * at), _mm512_sub_epi8(_mm512_or_si512(lo, _mm512_slli_epi16(hi, 4)), off));
    }
}
R1__AMX_INLINE void r1__amx_q6_k_scale(const r1_block_q6_kx8 *g0, const r1_block_q6_kx8 *g1, int j, const int32_t *s0,
                                       const int32_t *s1, const r1_block_q8x16 *x, __m512 *acc, const int NCOL) {
    const int h = j % 8 / 4, k = j % 4;
    const r1_block_q6_kx8 *b0 = g0 + j / 8, *b1 = g1 + j / 8;
    __m512 dw = r1__amx_scales(b0->d, b1->d), sc[2];
    int half, c;
    for (half = 0; half < 2; half++)
        sc[half] = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(
            _mm_unpacklo_epi64(_mm_loadl_epi64((const __m128i *)(const void *)b0->scales[8 * h + 2 * k + half]),
                               _mm_loadl_epi64((const __m128i *)(const void *)b1->scales[8 * h + 2 * k + half]))));
    R1__UNROLL for (c = 0; c < NCOL; c++) {
        __m512 p = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_load_si512((const void *)(s0 + 16 * c))), sc[0]);
        p = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_load_si512((const void *)(s1 + 16 * c))), sc[1], p);
        acc[c] = _mm512_fmadd_ps(p, _mm512_mul_ps(dw, _mm512_set1_ps(x->d[c])), acc[c]);
    }
}
R1__AMX_TARGET static R1__ALWAYS_INLINE void r1__dotamx_cols_q6_k(const uint8_t *group, size_t gbytes,
                                                                                      const r1_block_q8x16 *x, int nb, int nc, float *out,
                                                                                      const int NCOL) {
    R1__ALIGNED(64) int8_t w[2][512];
    R1__ALIGNED(64) int32_t sums[2][16 * 16];
    const r1_block_q6_kx8 *g0 = (const r1_block_q6_kx8 *)(const void *)group, *g1 = (const r1_block_q6_kx8 *)(const void *)(group + gbytes);
    __m512 acc[16];
    int j, c;
    R1__UNROLL for (c = 0; c < NCOL; c++) acc[c] = _mm512_setzero_ps();
    r1__amx_begin(16, NCOL);
    r1__amx_q6_k_prep(g0, g1, 0, w[0]);
    for (j = 0; j < nb; j++) { /* block j's halves on the two chains; block j - 1 scaled, j + 1 unpacked meanwhile */
        R1__TILE_LOAD(4, w[j & 1], 64);
        R1__TILE_LOAD(2, x[j].qs, 32);
        R1__TILE_ZERO(0);
        R1__TILE_DP(0, 2, 4);
        R1__TILE_LOAD(5, w[j & 1] + 256, 64);
        R1__TILE_LOAD(3, x[j].qs[0] + 16, 32);
        R1__TILE_ZERO(1);
        R1__TILE_DP(1, 3, 5);
        if (j > 0) r1__amx_q6_k_scale(g0, g1, j - 1, sums[0], sums[1], x + j - 1, acc, NCOL);
        if (j + 1 < nb) r1__amx_q6_k_prep(g0, g1, j + 1, w[(j + 1) & 1]);
        R1__TILE_STORE(0, sums[0], 64);
        R1__TILE_STORE(1, sums[1], 64);
    }
    r1__amx_q6_k_scale(g0, g1, nb - 1, sums[0], sums[1], x + nb - 1, acc, NCOL);
    r1__amx_end();
    for (c = 0; c < nc; c++) _mm512_storeu_ps(out + 16 * c, acc[c]);
}
R1__AMX_WIDTHS(q6_k)
#endif
#if defined(R1__HAVE_AMX)
/* the AVX-512 VNNI kernels, and the matrix unit's for batches */
static const r1__type_kernels r1__types_amx[] = {
    { R1_TYPE_Q4_0, r1__dotq_q4_0_vnni, r1__dotq8_q4_0_vnni, r1__dotq16_q4_0_zmm, r1__dotamx_q4_0 },
    { R1_TYPE_Q4_1, r1__dotq_q4_1_vnni, NULL, NULL, NULL },
    { R1_TYPE_Q5_0, r1__dotq_q5_0_vnni, r1__dotq8_q5_0_vnni, NULL, NULL },
    { R1_TYPE_Q5_1, r1__dotq_q5_1_vnni, NULL, NULL, NULL },
    { R1_TYPE_Q8_0, r1__dotq_q8_0_vnni, r1__dotq8_q8_0_vnni, r1__dotq16_q8_0_zmm, r1__dotamx_q8_0 },
    { R1_TYPE_Q2_K, r1__dotq_q2_k_vnni, r1__dotq8_q2_k_vnni, NULL, NULL },
    { R1_TYPE_Q3_K, r1__dotq_q3_k_vnni, r1__dotq8_q3_k_vnni, NULL, NULL },
    { R1_TYPE_Q4_K, r1__dotq_q4_k_vnni, r1__dotq8_q4_k_vnni, r1__dotq16_q4_k_zmm, r1__dotamx_q4_k },
    { R1_TYPE_Q5_K, r1__dotq_q5_k_vnni, r1__dotq8_q5_k_vnni, r1__dotq16_q5_k_zmm, r1__dotamx_q5_k },
    { R1_TYPE_Q6_K, r1__dotq_q6_k_vnni, r1__dotq8_q6_k_vnni, r1__dotq16_q6_k_zmm, r1__dotamx_q6_k },
};
static const r1__kernels r1__kernels_amx = { "avx512-vnni+amx", r1__types_amx, R1__COUNT_OF(r1__types_amx), 1, r1__quantize_q8x_avx512,
    r1__scores_f32_avx512, r1__mix_f32_avx512, r1__scores_f16_avx512, r1__mix_f16_avx512,
    r1__scores_q8_0_avx512, r1__mix_q8_0_avx512, r1__exp_sum_f32_avx512,
    r1__silu_mul_f32_avx512, 1 };
#endif
#if defined(R1__POP_DIAGNOSTICS)
#pragma GCC diagnostic pop
#endif
#endif

/* ---- AArch64: NEON, with the dot-product extension where present ----
   DOT16(acc, a, b) adds the products of 16 int8 pairs into the four int32 lanes of acc. The
   dotprod form is one SDOT; the plain form widens with SMULL/SMLAL and pairwise-adds. */
#if defined(__aarch64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(R1_NO_SIMD)
#define R1__HAVE_NEON 1
#include <arm_neon.h>
#if defined(__linux__)
#include <sys/auxv.h>
#endif


/* Two products per int16 lane: activations stay within +-127, so |sum| <= 2 * 128 * 127 fits. */
static inline int32x4_t r1__dot16_neon(int32x4_t acc, int8x16_t a, int8x16_t b) {
    int16x8_t p = vmull_s8(vget_low_s8(a), vget_low_s8(b));
    p = vmlal_s8(p, vget_high_s8(a), vget_high_s8(b));
    return vpadalq_s16(acc, p);
}
#define R1__DOT16_SDOT(acc, a, b) vdotq_s32((acc), (a), (b))
#define R1__PASS R1__PASS_NEON_ROWS
#define R1__SFX neon
#define R1__TARGET
#define R1__DOT16 r1__dot16_neon
#include R1_SELF
#define R1__PASS R1__PASS_NEON_ROWS
#define R1__SFX dotprod
#define R1__TARGET R1__TARGET_DOTPROD
#define R1__DOT16 R1__DOT16_SDOT
#include R1_SELF

/* Packed 8-row kernels on NEON. 32 packed bytes hold 4 weights of each of 8 rows, which is what
   a 4-way dot product wants: two int8x16 of weights against the 4 inputs repeated give the 8
   rows' sums in two int32x4. DOT4(acc, a, b) adds, in each int32 lane, the products of its 4
   byte pairs: SDOT, or widening multiplies and pairwise adds. Columns are computed one after
   another, so a column's result never depends on how many there are. */
static inline int32x4_t r1__dot4_neon(int32x4_t acc, int8x16_t a, int8x16_t b) {
    int32x4_t lo = vpaddlq_s16(vmull_s8(vget_low_s8(a), vget_low_s8(b)));
    int32x4_t hi = vpaddlq_s16(vmull_s8(vget_high_s8(a), vget_high_s8(b)));
    return vaddq_s32(acc, vpaddq_s32(lo, hi));
}
/* the 4 inputs at p, repeated 4 times */
#define R1__DUP4(p) vreinterpretq_s8_s32(vdupq_n_s32(r1__load_i32(p)))
/* 8 fp16 scales as two float32x4 */
#define R1__F16X8(d, lo, hi)                                                                       \
    do {                                                                                           \
        float16x8_t h_ = vreinterpretq_f16_u16(vld1q_u16(d));                                      \
        lo = vcvt_f32_f16(vget_low_f16(h_));                                                       \
        hi = vcvt_f32_f16(vget_high_f16(h_));                                                      \
    } while (0)
/* 8 bytes (one per row) as two uint32x4 */
#define R1__U8X8(p, lo, hi)                                                                        \
    do {                                                                                           \
        uint16x8_t w_ = vmovl_u8(vld1_u8(p));                                                      \
        lo = vmovl_u16(vget_low_u16(w_));                                                          \
        hi = vmovl_u16(vget_high_u16(w_));                                                         \
    } while (0)


#define R1__DOT4_SDOT(acc, a, b) vdotq_s32((acc), (a), (b))
#define R1__PASS R1__PASS_NEON_PACKED
#define R1__SFX neon
#define R1__TARGET
#define R1__DOT4 r1__dot4_neon
#include R1_SELF
#define R1__PASS R1__PASS_NEON_PACKED
#define R1__SFX dotprod
#define R1__TARGET R1__TARGET_DOTPROD
#define R1__DOT4 R1__DOT4_SDOT
#include R1_SELF

/* ---- AArch64: the int8 matrix-multiply extension (i8mm) ----
   SMMLA multiplies two rows of 8 int8 by two columns of 8 into the four int32 lanes
   [r0.c0, r0.c1, r1.c0, r1.c1]: 32 multiply-adds, twice an SDOT's 16. The packed layout holds 4
   weights of each of 8 rows per 32 bytes; two consecutive such chunks zipped by 32 bits give the
   row pairs (0,1), (2,3) (their first 16 bytes) and (4,5), (6,7) (their second 16), 8 consecutive
   weights each, and two input columns' 8 bytes side by side make the other operand. So the
   kernels take the inputs two columns at a time. Each (row, column) lane sums exactly the
   integers the SDOT kernels sum and is scaled by the same float steps, so the results are theirs
   bit for bit: a lone column (decode, or the last of an odd batch) runs on them. */
#if defined(__ARM_FEATURE_MATMUL_INT8) || (!defined(__clang__) && __GNUC__ >= 10)
#define R1__HAVE_I8MM 1
#if defined(__ARM_FEATURE_MATMUL_INT8)
#define R1__TARGET_I8MM
#else
#define R1__TARGET_I8MM __attribute__((target("arch=armv8.2-a+dotprod+i8mm")))
#endif

/* Row pairs 0..3 (rows 2p, 2p+1) of 8 consecutive weights: lo0 / lo1 = rows 0-3 / 4-7 of the
   chunk with the first 4 weights, hi0 / hi1 of the next chunk. */
static R1__ALWAYS_INLINE void r1__row_pairs_i8mm(uint8x16_t lo0, uint8x16_t lo1, uint8x16_t hi0, uint8x16_t hi1, int8x16_t pair[4]) {
    pair[0] = vreinterpretq_s8_u32(vzip1q_u32(vreinterpretq_u32_u8(lo0), vreinterpretq_u32_u8(hi0)));
    pair[1] = vreinterpretq_s8_u32(vzip2q_u32(vreinterpretq_u32_u8(lo0), vreinterpretq_u32_u8(hi0)));
    pair[2] = vreinterpretq_s8_u32(vzip1q_u32(vreinterpretq_u32_u8(lo1), vreinterpretq_u32_u8(hi1)));
    pair[3] = vreinterpretq_s8_u32(vzip2q_u32(vreinterpretq_u32_u8(lo1), vreinterpretq_u32_u8(hi1)));
}
/* 8 bytes of each of two columns, side by side */
static R1__ALWAYS_INLINE int8x16_t r1__col_pair_i8mm(const int8_t *c0, const int8_t *c1) {
    return vcombine_s8(vld1_s8(c0), vld1_s8(c1));
}
/* a value per row (rows 0-3 in lo, 4-7 in hi) as row pair p's lanes [r, r, r+1, r+1] */
static R1__ALWAYS_INLINE float32x4_t r1__row_lanes_i8mm(float32x4_t lo, float32x4_t hi, int p) {
    float32x4_t v = p < 2 ? lo : hi;
    return p % 2 ? vzip2q_f32(v, v) : vzip1q_f32(v, v);
}
static R1__ALWAYS_INLINE int32x4_t r1__row_lanes_s32_i8mm(int32x4_t lo, int32x4_t hi, int p) {
    int32x4_t v = p < 2 ? lo : hi;
    return p % 2 ? vzip2q_s32(v, v) : vzip1q_s32(v, v);
}
/* a value per column of a pair as the lanes [c0, c1, c0, c1] */
static R1__ALWAYS_INLINE float32x4_t r1__col_lanes_i8mm(float c0, float c1) {
    float32x2_t v = vset_lane_f32(c1, vdup_n_f32(c0), 1);
    return vcombine_f32(v, v);
}
static R1__ALWAYS_INLINE int32x4_t r1__col_lanes_s32_i8mm(int32_t c0, int32_t c1) {
    int32x2_t v = vset_lane_s32(c1, vdup_n_s32(c0), 1);
    return vcombine_s32(v, v);
}
/* acc[q][p] (column pair q, row pair p) back to out[8 c + r] */
static R1__ALWAYS_INLINE void r1__store_pairs_i8mm(float32x4_t acc[2][4], const int NQ, float *out) {
    int q;
    R1__UNROLL for (q = 0; q < NQ; q++) {
        vst1q_f32(out + 16 * q, vuzp1q_f32(acc[q][0], acc[q][1]));
        vst1q_f32(out + 16 * q + 4, vuzp1q_f32(acc[q][2], acc[q][3]));
        vst1q_f32(out + 16 * q + 8, vuzp2q_f32(acc[q][0], acc[q][1]));
        vst1q_f32(out + 16 * q + 12, vuzp2q_f32(acc[q][2], acc[q][3]));
    }
}

/* q8_0 and q4_0 (FOUR): NQ column pairs (1 or 2) of x; per block, the integer sums (q4_0's
   from -8 * sum(x), its nibbles being weights + 8) times d * dx */
R1__TARGET_I8MM static R1__ALWAYS_INLINE void r1__x8_0_i8mm(const uint8_t *group, const int FOUR, const r1_block_q8x *x, int xs, int nb,
                                                             const int NQ, float *out) {
    const size_t block_bytes = FOUR ? sizeof(r1_block_q4_0x8) : sizeof(r1_block_q8_0x8);
    const uint8x16_t low4 = vdupq_n_u8(0x0f);
    const int steps = FOUR ? 2 : 4; /* pairs of 32-byte chunks in a block */
    float32x4_t acc[2][4];
    int b, q, p, t, h;
    R1__UNROLL for (q = 0; q < NQ; q++) R1__UNROLL for (p = 0; p < 4; p++) acc[q][p] = vdupq_n_f32(0.0f);
    for (b = 0; b < nb; b++) {
        const uint8_t *blk = group + (size_t)b * block_bytes;
        const uint8_t *qs = FOUR ? ((const r1_block_q4_0x8 *)(const void *)blk)->qs : (const uint8_t *)((const r1_block_q8_0x8 *)(const void *)blk)->qs;
        const r1_block_q8x *xb[4];
        int32x4_t s[2][4];
        float32x4_t d[2];
        R1__UNROLL for (q = 0; q < 2 * NQ; q++) xb[q] = x + (size_t)q * xs + b;
        R1__UNROLL for (q = 0; q < NQ; q++) {
            int32x4_t start = FOUR ? r1__col_lanes_s32_i8mm(xb[2 * q]->off, xb[2 * q + 1]->off) : vdupq_n_s32(0);
            R1__UNROLL for (p = 0; p < 4; p++) s[q][p] = start;
        }
        R1__UNROLL for (t = 0; t < steps; t++) { /* chunks 2t and 2t + 1: weights 8t .. 8t + 7 (and q4_0's 16 + 8t ..) */
            uint8x16_t v[4];
            R1__UNROLL for (h = 0; h < 4; h++) v[h] = vld1q_u8(qs + 64 * t + 16 * h);
            R1__UNROLL for (h = 0; h < 1 + FOUR; h++) {
                int8x16_t pair[4];
                if (FOUR)
                    r1__row_pairs_i8mm(h ? vshrq_n_u8(v[0], 4) : vandq_u8(v[0], low4), h ? vshrq_n_u8(v[1], 4) : vandq_u8(v[1], low4),
                                       h ? vshrq_n_u8(v[2], 4) : vandq_u8(v[2], low4), h ? vshrq_n_u8(v[3], 4) : vandq_u8(v[3], low4), pair);
                else r1__row_pairs_i8mm(v[0], v[1], v[2], v[3], pair);
                R1__UNROLL for (q = 0; q < NQ; q++) {
                    int8x16_t cols = r1__col_pair_i8mm(xb[2 * q]->qs + 16 * h + 8 * t, xb[2 * q + 1]->qs + 16 * h + 8 * t);
                    R1__UNROLL for (p = 0; p < 4; p++) s[q][p] = vmmlaq_s32(s[q][p], pair[p], cols);
                }
            }
        }
        R1__F16X8((const uint16_t *)(const void *)blk, d[0], d[1]); /* d[8] leads both block types */
        R1__UNROLL for (q = 0; q < NQ; q++) {
            float32x4_t dx = r1__col_lanes_i8mm(xb[2 * q]->d, xb[2 * q + 1]->d);
            R1__UNROLL for (p = 0; p < 4; p++)
                acc[q][p] = vfmaq_f32(acc[q][p], vcvtq_f32_s32(s[q][p]), vmulq_f32(r1__row_lanes_i8mm(d[0], d[1], p), dx));
        }
    }
    r1__store_pairs_i8mm(acc, NQ, out);
}

/* q4_k and q5_k (qh: the 5th bits): per sub-block, the integer sums times (d * sc) * dx, less
   (dmin * m) * sum(x) */
R1__TARGET_I8MM static R1__ALWAYS_INLINE void r1__kx8_i8mm(const uint8_t *d16, const uint8_t *dmin16, const uint8_t scales[12][8],
                                                            const uint8_t *qs, const uint8_t *qh, const r1_block_q8x *x, int xs, int ib,
                                                            const int NQ, float32x4_t acc[2][4]) {
    const uint8x16_t low4 = vdupq_n_u8(0x0f), one = vdupq_n_u8(1);
    uint64_t sc[8], mn[8];
    float32x4_t d[2], dm[2];
    int s, q, p, t, h;
    r1__q4_kx8_scales(scales, sc, mn);
    R1__F16X8((const uint16_t *)(const void *)d16, d[0], d[1]);
    R1__F16X8((const uint16_t *)(const void *)dmin16, dm[0], dm[1]);
    for (s = 0; s < 8; s++) {
        const r1_block_q8x *xb[4];
        uint32x4_t scv[2], mnv[2];
        float32x4_t dsc[2], dmm[2];
        int32x4_t sum[2][4];
        R1__UNROLL for (q = 0; q < 2 * NQ; q++) xb[q] = x + (size_t)q * xs + 8 * ib + s;
        R1__UNROLL for (q = 0; q < NQ; q++) R1__UNROLL for (p = 0; p < 4; p++) sum[q][p] = vdupq_n_s32(0);
        R1__UNROLL for (t = 0; t < 4; t++) {
            uint8x16_t v[4];
            int8x16_t pair[4];
            R1__UNROLL for (h = 0; h < 4; h++) {
                uint8x16_t raw = vld1q_u8(qs + 256 * (s / 2) + 64 * t + 16 * h);
                v[h] = s % 2 ? vshrq_n_u8(raw, 4) : vandq_u8(raw, low4);
                if (qh) v[h] = vorrq_u8(v[h], vshlq_n_u8(vandq_u8(vshlq_u8(vld1q_u8(qh + 64 * t + 16 * h), vdupq_n_s8((int8_t)-s)), one), 4));
            }
            r1__row_pairs_i8mm(v[0], v[1], v[2], v[3], pair);
            R1__UNROLL for (q = 0; q < NQ; q++) {
                int8x16_t cols = r1__col_pair_i8mm(xb[2 * q]->qs + 8 * t, xb[2 * q + 1]->qs + 8 * t);
                R1__UNROLL for (p = 0; p < 4; p++) sum[q][p] = vmmlaq_s32(sum[q][p], pair[p], cols);
            }
        }
        R1__U8X8((const uint8_t *)&sc[s], scv[0], scv[1]);
        R1__U8X8((const uint8_t *)&mn[s], mnv[0], mnv[1]);
        R1__UNROLL for (h = 0; h < 2; h++) {
            dsc[h] = vmulq_f32(d[h], vcvtq_f32_u32(scv[h]));
            dmm[h] = vmulq_f32(dm[h], vcvtq_f32_u32(mnv[h]));
        }
        R1__UNROLL for (q = 0; q < NQ; q++) {
            float32x4_t dx = r1__col_lanes_i8mm(xb[2 * q]->d, xb[2 * q + 1]->d), dsum = r1__col_lanes_i8mm(xb[2 * q]->dsum, xb[2 * q + 1]->dsum);
            R1__UNROLL for (p = 0; p < 4; p++) {
                acc[q][p] = vfmaq_f32(acc[q][p], vcvtq_f32_s32(sum[q][p]), vmulq_f32(r1__row_lanes_i8mm(dsc[0], dsc[1], p), dx));
                acc[q][p] = vfmsq_f32(acc[q][p], r1__row_lanes_i8mm(dmm[0], dmm[1], p), dsum);
            }
        }
    }
}
R1__TARGET_I8MM static R1__ALWAYS_INLINE void r1__q45_kx8_i8mm(const uint8_t *group, const int FIVE, const r1_block_q8x *x, int xs, int nb,
                                                                const int NQ, float *out) {
    float32x4_t acc[2][4];
    int b, q, p;
    R1__UNROLL for (q = 0; q < NQ; q++) R1__UNROLL for (p = 0; p < 4; p++) acc[q][p] = vdupq_n_f32(0.0f);
    for (b = 0; b < nb / 8; b++) {
        if (FIVE) {
            const r1_block_q5_kx8 *g = (const r1_block_q5_kx8 *)(const void *)group + b;
            r1__kx8_i8mm((const uint8_t *)g->d, (const uint8_t *)g->dmin, g->scales, g->qs, g->qh, x, xs, b, NQ, acc);
        } else {
            const r1_block_q4_kx8 *g = (const r1_block_q4_kx8 *)(const void *)group + b;
            r1__kx8_i8mm((const uint8_t *)g->d, (const uint8_t *)g->dmin, g->scales, g->qs, NULL, x, xs, b, NQ, acc);
        }
    }
    r1__store_pairs_i8mm(acc, NQ, out);
}

/* q6_k: per 16, sc * (sum(q x) - 32 sum(x)) in integers; per input block, times d * dx */
R1__TARGET_I8MM static R1__ALWAYS_INLINE void r1__q6_kx8_i8mm(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, const int NQ,
                                                               float *out) {
    const r1_block_q6_kx8 *g = (const r1_block_q6_kx8 *)(const void *)group;
    const uint8x16_t low4 = vdupq_n_u8(0x0f), low2 = vdupq_n_u8(3);
    float32x4_t acc[2][4];
    int b, hh, k, half, q, p, t, h;
    R1__UNROLL for (q = 0; q < NQ; q++) R1__UNROLL for (p = 0; p < 4; p++) acc[q][p] = vdupq_n_f32(0.0f);
    for (b = 0; b < nb / 8; b++) {
        float32x4_t d[2];
        R1__F16X8(g[b].d, d[0], d[1]);
        for (hh = 0; hh < 2; hh++)
            for (k = 0; k < 4; k++) {
                const r1_block_q8x *xb[4];
                int32x4_t sum[2][4];
                R1__UNROLL for (q = 0; q < 2 * NQ; q++) xb[q] = x + (size_t)q * xs + 8 * b + 4 * hh + k;
                R1__UNROLL for (q = 0; q < NQ; q++) R1__UNROLL for (p = 0; p < 4; p++) sum[q][p] = vdupq_n_s32(0);
                for (half = 0; half < 2; half++) {
                    int16x8_t sc16 = vmovl_s8(vld1_s8(g[b].scales[8 * hh + 2 * k + half]));
                    int32x4_t sc[2], part[2][4];
                    sc[0] = vmovl_s16(vget_low_s16(sc16));
                    sc[1] = vmovl_s16(vget_high_s16(sc16));
                    R1__UNROLL for (q = 0; q < NQ; q++) {
                        int32x4_t start = r1__col_lanes_s32_i8mm(-32 * xb[2 * q]->sum[half], -32 * xb[2 * q + 1]->sum[half]);
                        R1__UNROLL for (p = 0; p < 4; p++) part[q][p] = start;
                    }
                    R1__UNROLL for (t = 0; t < 2; t++) { /* chunks i = 4 half + 2t and the next */
                        uint8x16_t v[4];
                        int8x16_t pair[4];
                        R1__UNROLL for (h = 0; h < 4; h++) {
                            int i = 4 * half + 2 * t + h / 2, rh = h % 2;
                            uint8x16_t lv = vld1q_u8(g[b].ql + 512 * hh + 256 * (k % 2) + 32 * i + 16 * rh);
                            uint8x16_t hv = vld1q_u8(g[b].qh + 256 * hh + 32 * i + 16 * rh);
                            uint8x16_t lo = k / 2 ? vshrq_n_u8(lv, 4) : vandq_u8(lv, low4);
                            uint8x16_t hi = vandq_u8(vshlq_u8(hv, vdupq_n_s8((int8_t)(-2 * k))), low2);
                            v[h] = vorrq_u8(lo, vshlq_n_u8(hi, 4));
                        }
                        r1__row_pairs_i8mm(v[0], v[1], v[2], v[3], pair); /* v: chunk i rows 0-3, 4-7, chunk i+1 rows 0-3, 4-7 */
                        R1__UNROLL for (q = 0; q < NQ; q++) {
                            int8x16_t cols = r1__col_pair_i8mm(xb[2 * q]->qs + 16 * half + 8 * t, xb[2 * q + 1]->qs + 16 * half + 8 * t);
                            R1__UNROLL for (p = 0; p < 4; p++) part[q][p] = vmmlaq_s32(part[q][p], pair[p], cols);
                        }
                    }
                    R1__UNROLL for (q = 0; q < NQ; q++)
                        R1__UNROLL for (p = 0; p < 4; p++) sum[q][p] = vmlaq_s32(sum[q][p], part[q][p], r1__row_lanes_s32_i8mm(sc[0], sc[1], p));
                }
                R1__UNROLL for (q = 0; q < NQ; q++) {
                    float32x4_t dx = r1__col_lanes_i8mm(xb[2 * q]->d, xb[2 * q + 1]->d);
                    R1__UNROLL for (p = 0; p < 4; p++)
                        acc[q][p] = vfmaq_f32(acc[q][p], vcvtq_f32_s32(sum[q][p]), vmulq_f32(r1__row_lanes_i8mm(d[0], d[1], p), dx));
                }
            }
    }
    r1__store_pairs_i8mm(acc, NQ, out);
}

/* Type's SMMLA kernel over NQ column pairs (type a constant where it is inlined) */
R1__TARGET_I8MM static R1__ALWAYS_INLINE void r1__pairs_i8mm(const int type, const uint8_t *group, const r1_block_q8x *x, int xs, int nb,
                                                              const int NQ, float *out) {
    switch (type) {
    case R1_TYPE_Q8_0: r1__x8_0_i8mm(group, 0, x, xs, nb, NQ, out); break;
    case R1_TYPE_Q4_0: r1__x8_0_i8mm(group, 1, x, xs, nb, NQ, out); break;
    case R1_TYPE_Q4_K: r1__q45_kx8_i8mm(group, 0, x, xs, nb, NQ, out); break;
    case R1_TYPE_Q5_K: r1__q45_kx8_i8mm(group, 1, x, xs, nb, NQ, out); break;
    default: r1__q6_kx8_i8mm(group, x, xs, nb, NQ, out); break;
    }
}
/* A dotq8 call: 4 columns as two pairs, 2 as one, a lone one on the type's SDOT kernel */
R1__TARGET_I8MM static R1__ALWAYS_INLINE void r1__columns_i8mm(const int type, r1__dotq8_fn lone, const uint8_t *group, const r1_block_q8x *x,
                                                                int xs, int nb, int nc, int ahead, float *out) {
    int c = 0;
    for (; c + 4 <= nc; c += 4) r1__pairs_i8mm(type, group, x + (size_t)c * xs, xs, nb, 2, out + 8 * c);
    if (nc - c >= 2) r1__pairs_i8mm(type, group, x + (size_t)c * xs, xs, nb, 1, out + 8 * c), c += 2;
    if (c < nc) lone(group, x + (size_t)c * xs, xs, nb, 1, ahead, out + 8 * c);
}
R1__TARGET_I8MM static void r1__dotq8_q8_0_i8mm(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    r1__columns_i8mm(R1_TYPE_Q8_0, r1__dotq8_q8_0_dotprod, group, x, xs, nb, nc, ahead, out);
}
R1__TARGET_I8MM static void r1__dotq8_q4_0_i8mm(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    r1__columns_i8mm(R1_TYPE_Q4_0, r1__dotq8_q4_0_dotprod, group, x, xs, nb, nc, ahead, out);
}
R1__TARGET_I8MM static void r1__dotq8_q4_k_i8mm(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    r1__columns_i8mm(R1_TYPE_Q4_K, r1__dotq8_q4_k_dotprod, group, x, xs, nb, nc, ahead, out);
}
R1__TARGET_I8MM static void r1__dotq8_q5_k_i8mm(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    r1__columns_i8mm(R1_TYPE_Q5_K, r1__dotq8_q5_k_dotprod, group, x, xs, nb, nc, ahead, out);
}
R1__TARGET_I8MM static void r1__dotq8_q6_k_i8mm(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    r1__columns_i8mm(R1_TYPE_Q6_K, r1__dotq8_q6_k_dotprod, group, x, xs, nb, nc, ahead, out);
}
#endif /* i8mm */

/* Attention's scores and weighted sums, softmax's exponential and silu, as the AVX2 ones do
   them (see there), 4 floats per register. */
#define R1__LOAD4_F32_NEON(p, i) vld1q_f32((p) + (i))
#define R1__LOAD4_F16_NEON(p, i) vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16((p) + (i))))
#define R1__PASS R1__PASS_ATTN_NEON
#define R1__ESFX f32
#define R1__ELT float
#define R1__LOAD4 R1__LOAD4_F32_NEON
#define R1__LOAD1 R1__LOAD1_F32
#define R1__DOT r1__dot_f32
#include R1_SELF
#define R1__PASS R1__PASS_ATTN_NEON
#define R1__ESFX f16
#define R1__ELT uint16_t
#define R1__LOAD4 R1__LOAD4_F16_NEON
#define R1__LOAD1 R1__LOAD1_F16
#define R1__DOT r1__dot_f16
#include R1_SELF
/* Q8_0: 4 int8 of a block (read as 4 bytes: 8 could pass the cache's end) times its scale */
static inline float32x4_t r1__load4_q8_0_neon(const r1_block_q8_0 *row, int i) {
    const r1_block_q8_0 *b = row + i / 32;
    int32_t four;
    memcpy(&four, b->qs + i % 32, sizeof four);
    return vmulq_n_f32(vcvtq_f32_s32(vmovl_s16(vget_low_s16(vmovl_s8(vreinterpret_s8_s32(vdup_n_s32(four)))))),
                       r1_fp16_to_fp32(b->d));
}
#define R1__PASS R1__PASS_ATTN_NEON
#define R1__ESFX q8_0
#define R1__ELT r1_block_q8_0
#define R1__LOAD4 r1__load4_q8_0_neon
#define R1__LOAD1 R1__LOAD1_Q8_0
#define R1__DOT r1__dot_kv_q8_0
#define R1__BYTES_OF R1__BYTES_OF_Q8_0
#define R1__AT R1__AT_Q8_0
#include R1_SELF

static inline float32x4_t r1__exp_neon(float32x4_t x) {
    float32x4_t k, r, p;
    int32x4_t ki, half;
    x = vmaxq_f32(vdupq_n_f32(-104.0f), vminq_f32(vdupq_n_f32(89.0f), x)); /* NaN passes */
    k = vrndnq_f32(vmulq_n_f32(x, 1.44269504088896341f));
    r = vfmsq_f32(x, k, vdupq_n_f32(0.693359375f));
    r = vfmsq_f32(r, k, vdupq_n_f32(-2.12194440e-4f));
    p = vfmaq_f32(vdupq_n_f32(1.3981999507e-3f), vdupq_n_f32(1.9875691500e-4f), r);
    p = vfmaq_f32(vdupq_n_f32(8.3334519073e-3f), p, r);
    p = vfmaq_f32(vdupq_n_f32(4.1665795894e-2f), p, r);
    p = vfmaq_f32(vdupq_n_f32(1.6666665459e-1f), p, r);
    p = vfmaq_f32(vdupq_n_f32(5.0000001201e-1f), p, r);
    p = vaddq_f32(vfmaq_f32(r, p, vmulq_f32(r, r)), vdupq_n_f32(1.0f));
    ki = vcvtq_s32_f32(k);
    half = vshrq_n_s32(ki, 1);
    p = vmulq_f32(p, vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(half, vdupq_n_s32(127)), 23)));
    return vmulq_f32(p, vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(vsubq_s32(ki, half), vdupq_n_s32(127)), 23)));
}

static float r1__exp_sum_f32_neon(float *x, float shift, int n) {
    float32x4_t acc = vdupq_n_f32(0.0f), sh = vdupq_n_f32(shift);
    float sum;
    int i;
    const float32x4_t cut = vdupq_n_f32(R1__EXP_CUT);
    for (i = 0; i + 4 <= n; i += 4) {
        float32x4_t d = vsubq_f32(vld1q_f32(x + i), sh);
        float32x4_t e = r1__exp_neon(vmaxq_f32(cut, d)); /* (vmaxq gives NaN for a NaN d) */
        e = vbslq_f32(vcltq_f32(d, cut), vdupq_n_f32(0.0f), e);
        vst1q_f32(x + i, e);
        acc = vaddq_f32(acc, e);
    }
    sum = vaddvq_f32(acc);
    for (; i < n; i++) {
        float d = x[i] - shift;
        x[i] = d < R1__EXP_CUT ? 0.0f : expf(d);
        sum += x[i];
    }
    return sum;
}

static void r1__silu_mul_f32_neon(float *g, const float *u, int n) {
    int i;
    for (i = 0; i + 4 <= n; i += 4) {
        float32x4_t v = vld1q_f32(g + i);
        float32x4_t e = r1__exp_neon(vnegq_f32(v));
        vst1q_f32(g + i, vdivq_f32(vmulq_f32(v, vld1q_f32(u + i)), vaddq_f32(vdupq_n_f32(1.0f), e)));
    }
    for (; i < n; i++) g[i] = g[i] / (1.0f + expf(-g[i])) * u[i];
}

/* unpacked k-quant rows (matrices whose rows do not group by 8) use the plain-C integer kernels */
static const r1__type_kernels r1__types_neon[] = {
    { R1_TYPE_Q4_0, r1__dotq_q4_0_neon, r1__dotq8_q4_0_neon, NULL, NULL },
    { R1_TYPE_Q4_1, r1__dotq_q4_1_c, NULL, NULL, NULL },
    { R1_TYPE_Q5_0, r1__dotq_q5_0_c, r1__dotq8_q5_0_neon, NULL, NULL },
    { R1_TYPE_Q5_1, r1__dotq_q5_1_c, NULL, NULL, NULL },
    { R1_TYPE_Q8_0, r1__dotq_q8_0_neon, r1__dotq8_q8_0_neon, NULL, NULL },
    { R1_TYPE_Q2_K, r1__dotq_q2_k_c, r1__dotq8_q2_k_neon, NULL, NULL },
    { R1_TYPE_Q3_K, r1__dotq_q3_k_c, r1__dotq8_q3_k_neon, NULL, NULL },
    { R1_TYPE_Q4_K, r1__dotq_q4_k_c, r1__dotq8_q4_k_neon, NULL, NULL },
    { R1_TYPE_Q5_K, r1__dotq_q5_k_c, r1__dotq8_q5_k_neon, NULL, NULL },
    { R1_TYPE_Q6_K, r1__dotq_q6_k_c, r1__dotq8_q6_k_neon, NULL, NULL },
};
static const r1__kernels r1__kernels_neon = { "neon", r1__types_neon, R1__COUNT_OF(r1__types_neon), 1, r1__quantize_q8x,
    r1__scores_f32_neon, r1__mix_f32_neon, r1__scores_f16_neon, r1__mix_f16_neon,
    r1__scores_q8_0_neon, r1__mix_q8_0_neon, r1__exp_sum_f32_neon, r1__silu_mul_f32_neon, 0 };
static const r1__type_kernels r1__types_dotprod[] = {
    { R1_TYPE_Q4_0, r1__dotq_q4_0_dotprod, r1__dotq8_q4_0_dotprod, NULL, NULL },
    { R1_TYPE_Q4_1, r1__dotq_q4_1_c, NULL, NULL, NULL },
    { R1_TYPE_Q5_0, r1__dotq_q5_0_c, r1__dotq8_q5_0_dotprod, NULL, NULL },
    { R1_TYPE_Q5_1, r1__dotq_q5_1_c, NULL, NULL, NULL },
    { R1_TYPE_Q8_0, r1__dotq_q8_0_dotprod, r1__dotq8_q8_0_dotprod, NULL, NULL },
    { R1_TYPE_Q2_K, r1__dotq_q2_k_c, r1__dotq8_q2_k_dotprod, NULL, NULL },
    { R1_TYPE_Q3_K, r1__dotq_q3_k_c, r1__dotq8_q3_k_dotprod, NULL, NULL },
    { R1_TYPE_Q4_K, r1__dotq_q4_k_c, r1__dotq8_q4_k_dotprod, NULL, NULL },
    { R1_TYPE_Q5_K, r1__dotq_q5_k_c, r1__dotq8_q5_k_dotprod, NULL, NULL },
    { R1_TYPE_Q6_K, r1__dotq_q6_k_c, r1__dotq8_q6_k_dotprod, NULL, NULL },
};
static const r1__kernels r1__kernels_dotprod = { "neon-dotprod", r1__types_dotprod, R1__COUNT_OF(r1__types_dotprod), 1, r1__quantize_q8x,
    r1__scores_f32_neon, r1__mix_f32_neon, r1__scores_f16_neon, r1__mix_f16_neon,
    r1__scores_q8_0_neon, r1__mix_q8_0_neon, r1__exp_sum_f32_neon, r1__silu_mul_f32_neon, 0 };
#if defined(R1__HAVE_I8MM)
/* SDOT's set with SMMLA for batches of the types it has packed kernels for (decode runs on SDOT) */
static const r1__type_kernels r1__types_i8mm[] = {
    { R1_TYPE_Q4_0, r1__dotq_q4_0_dotprod, r1__dotq8_q4_0_i8mm, NULL, NULL },
    { R1_TYPE_Q4_1, r1__dotq_q4_1_c, NULL, NULL, NULL },
    { R1_TYPE_Q5_0, r1__dotq_q5_0_c, r1__dotq8_q5_0_dotprod, NULL, NULL },
    { R1_TYPE_Q5_1, r1__dotq_q5_1_c, NULL, NULL, NULL },
    { R1_TYPE_Q8_0, r1__dotq_q8_0_dotprod, r1__dotq8_q8_0_i8mm, NULL, NULL },
    { R1_TYPE_Q2_K, r1__dotq_q2_k_c, r1__dotq8_q2_k_dotprod, NULL, NULL },
    { R1_TYPE_Q3_K, r1__dotq_q3_k_c, r1__dotq8_q3_k_dotprod, NULL, NULL },
    { R1_TYPE_Q4_K, r1__dotq_q4_k_c, r1__dotq8_q4_k_i8mm, NULL, NULL },
    { R1_TYPE_Q5_K, r1__dotq_q5_k_c, r1__dotq8_q5_k_i8mm, NULL, NULL },
    { R1_TYPE_Q6_K, r1__dotq_q6_k_c, r1__dotq8_q6_k_i8mm, NULL, NULL },
};
static const r1__kernels r1__kernels_i8mm = { "neon-i8mm", r1__types_i8mm, R1__COUNT_OF(r1__types_i8mm), 1, r1__quantize_q8x,
    r1__scores_f32_neon, r1__mix_f32_neon, r1__scores_f16_neon, r1__mix_f16_neon,
    r1__scores_q8_0_neon, r1__mix_q8_0_neon, r1__exp_sum_f32_neon, r1__silu_mul_f32_neon, 0 };
#endif

/* Whether the CPU has SDOT: the Linux hwcap bit, else what the compiler was told. */
static int r1__arm_dotprod(void) {
#if defined(__linux__) && defined(AT_HWCAP)
    return (getauxval(AT_HWCAP) >> 20) & 1; /* HWCAP_ASIMDDP */
#elif defined(__ARM_FEATURE_DOTPROD) || defined(__APPLE__)
    return 1;
#else
    return 0;
#endif
}
/* Whether the CPU has SMMLA (and SDOT): the Linux hwcap bit, else what the compiler was told
   (elsewhere, such as macOS, build with -march=...+i8mm or a -mcpu that has it to use them). */
static int r1__arm_i8mm(void) {
#if defined(__linux__) && defined(AT_HWCAP2)
    return r1__arm_dotprod() && ((getauxval(AT_HWCAP2) >> 13) & 1); /* HWCAP2_I8MM */
#elif defined(__ARM_FEATURE_MATMUL_INT8)
    return r1__arm_dotprod();
#else
    return 0;
#endif
}
#endif
#if defined(R1__HAVE_X86)
/* r[0..3] = EAX, EBX, ECX, EDX of CPUID(leaf, sub); 0 if the CPU has no such leaf. And the low
   half of XCR0 (which register states the OS saves). */
#if R1__GNU
#include <cpuid.h>
static int r1__cpuid(unsigned leaf, unsigned sub, unsigned r[4]) {
    if ((unsigned)__get_cpuid_max(0, NULL) < leaf) return 0; /* int in clang's cpuid.h, unsigned in gcc's */
    __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
    return 1;
}
static unsigned r1__xcr0(void) {
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return lo;
}
#else
#include <intrin.h>
static int r1__cpuid(unsigned leaf, unsigned sub, unsigned r[4]) {
    int v[4], i;
    __cpuid(v, 0);
    if ((unsigned)v[0] < leaf) return 0;
    __cpuidex(v, (int)leaf, (int)sub);
    for (i = 0; i < 4; i++) r[i] = (unsigned)v[i];
    return 1;
}
static unsigned r1__xcr0(void) { return (unsigned)_xgetbv(0); }
#endif
/* CPUID and XGETBV: the instruction sets, and whether the OS saves the registers they use. */
static void r1__x86_features(int *avx2, int *vnni) {
    unsigned r[4], xcr0;
    *avx2 = *vnni = 0;
    if (!r1__cpuid(1, 0, r)) return;
    if (!(r[2] & (1u << 27)) || !(r[2] & (1u << 28)) || !(r[2] & (1u << 12)) || !(r[2] & (1u << 29))) return; /* OSXSAVE AVX FMA F16C */
    xcr0 = r1__xcr0();
    if ((xcr0 & 6) != 6) return;                                /* XMM and YMM state */
    if (!r1__cpuid(7, 0, r)) return;
    *avx2 = (r[1] >> 5) & 1;
    *vnni = *avx2 && (r[1] & (1u << 16)) && (r[1] & (1u << 30)) && (r[1] & (1u << 31)) && (r[2] & (1u << 11)) && /* F BW VL VNNI */
            (xcr0 & 0xe6) == 0xe6;                              /* opmask and ZMM state */
}
#if defined(R1__HAVE_AVXVNNI)
/* AVX-VNNI: CPUID leaf 7 subleaf 1, EAX bit 4 (its registers are AVX2's) */
static int r1__x86_avxvnni(void) {
    unsigned r[4];
    int avx2, vnni;
    r1__x86_features(&avx2, &vnni);
    return avx2 && r1__cpuid(7, 1, r) && (r[0] & (1u << 4));
}
#endif
#if defined(R1__HAVE_AMX)
/* CPUID, XCR0 and Linux's permission (arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA),
   asked once per process and idempotent) for the tile registers */
static int r1__x86_amx(void) {
    unsigned r[4];
    long ret;
    if (!r1__cpuid(7, 0, r) || !(r[3] & (1u << 24)) || !(r[3] & (1u << 25))) return 0; /* AMX-TILE, AMX-INT8 */
    if ((r1__xcr0() & 0x60000u) != 0x60000u) return 0;         /* tile configuration and data state */
    __asm__ volatile("syscall" : "=a"(ret) : "a"(158L), "D"(0x1023L), "S"(18L) : "rcx", "r11", "memory");
    return ret == 0;
}
#endif
#endif

/* Whether a kernel set has matrix-unit kernels (their batches need inputs by 16 columns). */
static int r1__has_amx(const r1__kernels *k) {
    int i;
    for (i = 0; i < k->n_types; i++)
        if (k->types[i].dotamx) return 1;
    return 0;
}

/* Whether an environment variable is set to something other than "" or "0". */
static int r1__env_flag(const char *name) {
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

/* The best kernels this CPU runs, at most at the level R1_ISA names (or R1_NO_SIMD / R1_NO_AMX
   ask for): 0 plain C, 1 AVX2 or NEON, 2 AVX-VNNI, 3 AVX-512 VNNI or NEON dot product, 4 AMX or
   NEON int8 matrix multiply (i8mm).
   NULL and an error for an R1_ISA it does not know. */
static const r1__kernels *r1__pick_kernels(r1_error *err) {
    static const struct { const char *name; int level; } levels[] = {
        { "c", 0 }, { "avx2", 1 }, { "neon", 1 }, { "avxvnni", 2 }, { "avx512", 3 }, { "vnni", 3 }, { "dotprod", 3 }, { "amx", 4 }, { "i8mm", 4 },
    };
    const char *isa = getenv("R1_ISA");
    int cap = r1__env_flag("R1_NO_SIMD") ? 0 : r1__env_flag("R1_NO_AMX") ? 3 : 4;
    if (isa && *isa) {
        int i;
        for (i = 0; i < R1__COUNT_OF(levels) && strcmp(isa, levels[i].name) != 0; i++) {}
        if (i == R1__COUNT_OF(levels)) {
            r1__fail(err, R1_ERR_ARGUMENT, "R1_ISA=%.32s: expected c, avx2, avxvnni, avx512 (or vnni), amx, neon, dotprod or i8mm", isa);
            return NULL;
        }
        if (levels[i].level < cap) cap = levels[i].level;
    }
#if defined(R1__HAVE_X86)
    {
        int avx2, vnni;
        r1__x86_features(&avx2, &vnni);
#if defined(R1__HAVE_AMX)
        if (cap >= 4 && vnni && r1__x86_amx()) return &r1__kernels_amx;
#endif
#if defined(R1__HAVE_AVX512)
        if (cap >= 3 && vnni) return &r1__kernels_vnni;
#endif
#if defined(R1__HAVE_AVXVNNI)
        if (cap >= 2 && r1__x86_avxvnni()) return &r1__kernels_avxvnni;
#endif
        if (cap >= 1 && avx2) return &r1__kernels_avx2;
    }
#endif
#if defined(R1__HAVE_I8MM)
    if (cap >= 4 && r1__arm_i8mm()) return &r1__kernels_i8mm;
#endif
#if defined(R1__HAVE_NEON)
    if (cap >= 3 && r1__arm_dotprod()) return &r1__kernels_dotprod;
    if (cap >= 1) return &r1__kernels_neon;
#endif
    (void)cap;
    return &r1__kernels_c;
}

/* How many bytes ahead of the packed weights the 8-row kernels prefetch when one input streams
   through them (decode): far enough to cover a memory latency at the rate the kernel consumes
   bytes, short enough that the lines are still in L1 when it gets there. Measured on the 1.5B
   shape, 2 threads: AMD Zen 5 decodes 8-20 % faster at 6144 than at 1536; an Intel Xeon
   (Sapphire Rapids) is level from 1536 to 3072 and 12-17 % slower from 4096 up. Other CPUs get
   Intel's distance. R1_PREFETCH=N (bytes, 0..65536) overrides it; anything else is an error. */
#define R1__STREAM_AHEAD_MAX 65536
static int r1__stream_ahead(r1_error *err) {
    const char *v = getenv("R1_PREFETCH");
    if (v && *v) {
        char *end = NULL;
        long n;
        n = strtol(v, &end, 10); /* an overflow saturates, out of range either way */
        if (end == v || *end || n < 0 || n > R1__STREAM_AHEAD_MAX) {
            r1__fail(err, R1_ERR_ARGUMENT, "R1_PREFETCH=%.32s: expected a byte count from 0 to %d", v, R1__STREAM_AHEAD_MAX);
            return -1;
        }
        return (int)n;
    }
#if defined(R1__HAVE_X86)
    {
        unsigned r[4];
        /* vendor string in EBX EDX ECX: "Auth" "enti" "cAMD" */
        if (r1__cpuid(0, 0, r) && r[1] == 0x68747541u && r[3] == 0x69746e65u && r[2] == 0x444d4163u) return 6144;
    }
#endif
    return 2048;
}

/* The block structs must have llama.cpp's exact sizes (a negative array size fails to compile). */
typedef char r1__check_block_sizes[(sizeof(r1_block_q8_0) == 34 && sizeof(r1_block_q4_0) == 18 && sizeof(r1_block_q4_1) == 20 &&
                                    sizeof(r1_block_q5_0) == 22 && sizeof(r1_block_q5_1) == 24 && sizeof(r1_block_q2_k) == 84 &&
                                    sizeof(r1_block_q3_k) == 110 && sizeof(r1_block_q4_k) == 144 && sizeof(r1_block_q5_k) == 176 &&
                                    sizeof(r1_block_q6_k) == 210) ? 1 : -1];

/* In C each row goes to its slot by designator; C++ has no array designators, so there the rows
   rely on their order, which the tests check (each row's type is its index). */
#ifdef __cplusplus
#define R1__SLOT(id)
#else
#define R1__SLOT(id) [id] =
#endif

/* The one dispatch table: GGML type id -> layout and kernels. Types with a size but no
   kernels are recognised (for clear errors) but not yet implemented; the ids without a row
   (4, 5: removed from GGML; 16..29 and 31..: i-quants, integer and newer types) are unknown. */
static const r1__type_info r1__types[R1_TYPE_COUNT] = {
    R1__SLOT(R1_TYPE_F32) { R1_TYPE_F32, "f32", 1, 4, r1__f32_to_float, r1__f32_from_float, r1__dot_f32, NULL },
    R1__SLOT(R1_TYPE_F16) { R1_TYPE_F16, "f16", 1, 2, r1__f16_to_float, r1__f16_from_float, r1__dot_f16, NULL },
    R1__SLOT(R1_TYPE_Q4_0) { R1_TYPE_Q4_0, "q4_0", 32, 18, r1__q4_0_to_float, r1__q4_0_from_float, r1__dot_q4_0, r1__pack8_q4_0 },
    R1__SLOT(R1_TYPE_Q4_1) { R1_TYPE_Q4_1, "q4_1", 32, 20, r1__q4_1_to_float, r1__q4_1_from_float, r1__dot_q4_1, NULL },
    R1__SLOT(4) { 4, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(5) { 5, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(R1_TYPE_Q5_0) { R1_TYPE_Q5_0, "q5_0", 32, 22, r1__q5_0_to_float, r1__q5_0_from_float, r1__dot_q5_0, r1__pack8_q5_0 },
    R1__SLOT(R1_TYPE_Q5_1) { R1_TYPE_Q5_1, "q5_1", 32, 24, r1__q5_1_to_float, r1__q5_1_from_float, r1__dot_q5_1, NULL },
    R1__SLOT(R1_TYPE_Q8_0) { R1_TYPE_Q8_0, "q8_0", 32, 34, r1__q8_0_to_float, r1__q8_0_from_float, r1__dot_q8_0, r1__pack8_q8_0 },
    R1__SLOT(R1_TYPE_Q8_1) { R1_TYPE_Q8_1, "q8_1", 32, 36, NULL, NULL, NULL, NULL },
    R1__SLOT(R1_TYPE_Q2_K) { R1_TYPE_Q2_K, "q2_k", 256, 84, r1__q2_k_to_float, NULL, r1__dot_q2_k, r1__pack8_q2_k },
    R1__SLOT(R1_TYPE_Q3_K) { R1_TYPE_Q3_K, "q3_k", 256, 110, r1__q3_k_to_float, NULL, r1__dot_q3_k, r1__pack8_q3_k },
    R1__SLOT(R1_TYPE_Q4_K) { R1_TYPE_Q4_K, "q4_k", 256, 144, r1__q4_k_to_float, r1__q4_k_from_float, r1__dot_q4_k, r1__pack8_q4_k },
    R1__SLOT(R1_TYPE_Q5_K) { R1_TYPE_Q5_K, "q5_k", 256, 176, r1__q5_k_to_float, r1__q5_k_from_float, r1__dot_q5_k, r1__pack8_q5_k },
    R1__SLOT(R1_TYPE_Q6_K) { R1_TYPE_Q6_K, "q6_k", 256, 210, r1__q6_k_to_float, r1__q6_k_from_float, r1__dot_q6_k, r1__pack8_q6_k },
    R1__SLOT(R1_TYPE_Q8_K) { R1_TYPE_Q8_K, "q8_k", 256, 292, NULL, NULL, NULL, NULL },
    R1__SLOT(16) { 16, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(17) { 17, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(18) { 18, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(19) { 19, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(20) { 20, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(21) { 21, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(22) { 22, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(23) { 23, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(24) { 24, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(25) { 25, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(26) { 26, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(27) { 27, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(28) { 28, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(29) { 29, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(R1_TYPE_BF16) { R1_TYPE_BF16, "bf16", 1, 2, r1__bf16_to_float, r1__bf16_from_float, r1__dot_bf16, NULL },
    R1__SLOT(31) { 31, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(32) { 32, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(33) { 33, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(34) { 34, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(35) { 35, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(36) { 36, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(37) { 37, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(38) { 38, NULL, 0, 0, NULL, NULL, NULL, NULL },
    R1__SLOT(39) { 39, NULL, 0, 0, NULL, NULL, NULL, NULL },
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
    if (!r1_type_supported(type) || !r1__types[type].from_float || !src || !dst || n < 0 || n % r1__types[type].block_size) return R1_ERR_ARGUMENT;
    r1__types[type].from_float(src, dst, n);
    return R1_OK;
}

static size_t r1__row_bytes(int type, int64_t n) {
    return (size_t)(n / r1__types[type].block_size) * r1__types[type].block_bytes;
}

/* ======================================================================================
   6. THREADS
   A persistent pool: r1__pool_run publishes one job and runs it on the calling thread too.
   Every job hands out its work in pieces that whichever thread is free claims (fixed index
   ranges, so results never depend on the thread count or on who computed what). A worker
   joins a job only while it is open; once the calling thread finds nothing left to claim it
   closes the job and waits for the workers that joined, not for the ones the OS has not
   scheduled yet: on a busy machine (a game, another program on the cores) a descheduled
   worker costs its unfinished piece, never the whole step.
   Between jobs the workers spin for a short while, yielding the core now and then, before
   sleeping on a condition variable: a decode step is ~100 small jobs, and waking a sleeping
   thread costs more than a small job, while spinning on a core another thread needs costs
   that thread its turn.
   ====================================================================================== */

typedef void (*r1__job_fn)(void *arg, int ith, int nth);

#if !defined(R1_NO_THREADS) && R1__GNU
#define R1__SPIN 1 /* lock-free hand-off with the compiler's atomic builtins */
#define r1__atomic_load(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
/* Stores are exchanges: the sleep hand-offs (caller_asleep, then finished read back) need a
   store ordered before the next load. An AArch64 store-release and load-acquire are, but
   qemu-user runs them on x86 as a plain store and load, which the host reorders: the caller
   read `finished` stale, the worker missed caller_asleep, and both slept for good. A swap is
   a full barrier everywhere. */
#define r1__atomic_store(p, v) ((void)__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST))
#define r1__atomic_add(p, v) __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST) /* returns the new value */
#define r1__atomic_or(p, v) __atomic_fetch_or((p), (v), __ATOMIC_SEQ_CST) /* returns the old value */
#define r1__atomic_cas(p, expected, v) __atomic_compare_exchange_n((p), (expected), (v), 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
#define r1__atomic_load64 r1__atomic_load
#define r1__atomic_add64 r1__atomic_add
#if defined(__x86_64__) || defined(__i386__)
#define r1__cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define r1__cpu_relax() __asm__ __volatile__("yield")
#else
#define r1__cpu_relax() ((void)0)
#endif
#elif !defined(R1_NO_THREADS) && R1__MSVC && (defined(_M_X64) || defined(_M_ARM64))
#define R1__SPIN 1 /* the same hand-off with the Interlocked functions (full barriers) on int fields, which are long-sized on Windows */
#include <intrin.h>
static int r1__atomic_load(int *p) { return (int)_InterlockedOr((volatile long *)p, 0); }
static void r1__atomic_store(int *p, int v) { (void)_InterlockedExchange((volatile long *)p, v); }
static int r1__atomic_add(int *p, int v) { return (int)_InterlockedExchangeAdd((volatile long *)p, v) + v; }
static int r1__atomic_or(int *p, int v) { return (int)_InterlockedOr((volatile long *)p, v); }
static int r1__atomic_cas(int *p, int *expected, int v) {
    int old = (int)_InterlockedCompareExchange((volatile long *)p, v, *expected);
    if (old == *expected) return 1;
    *expected = old;
    return 0;
}
static uint64_t r1__atomic_load64(uint64_t *p) { return (uint64_t)_InterlockedOr64((volatile __int64 *)p, 0); }
static uint64_t r1__atomic_add64(uint64_t *p, int v) { return (uint64_t)_InterlockedExchangeAdd64((volatile __int64 *)p, v) + (uint64_t)v; }
#if defined(_M_X64)
#define r1__cpu_relax() _mm_pause()
#else
#define r1__cpu_relax() __yield()
#endif
#else
#define R1__SPIN 0
#endif
#define R1__SPIN_ROUNDS 20000 /* ~0.1-1 ms of polling before a worker or the caller sleeps */
#define R1__YIELD_EVERY 256   /* polls between yields of the core to a thread that may need it */

/* The few thread primitives the pool needs: Win32 on Windows, pthreads elsewhere. */
#if !defined(R1_NO_THREADS) && defined(_WIN32)
typedef HANDLE r1__thread;
typedef CRITICAL_SECTION r1__mutex;
typedef CONDITION_VARIABLE r1__cond;
#define R1__THREAD_FN(name, arg) static DWORD WINAPI name(LPVOID arg)
#define R1__THREAD_RETURN return 0
#define r1__mutex_init(m) InitializeCriticalSection(m)
#define r1__mutex_destroy(m) DeleteCriticalSection(m)
#define r1__mutex_lock(m) EnterCriticalSection(m)
#define r1__mutex_unlock(m) LeaveCriticalSection(m)
#define r1__cond_init(c) InitializeConditionVariable(c)
#define r1__cond_destroy(c) ((void)(c))
#define r1__cond_wait(c, m) SleepConditionVariableCS((c), (m), INFINITE)
#define r1__cond_signal(c) WakeConditionVariable(c)
#define r1__cond_broadcast(c) WakeAllConditionVariable(c)
#define r1__yield() ((void)SwitchToThread())
static int r1__thread_start(r1__thread *t, LPTHREAD_START_ROUTINE fn, void *arg) {
    *t = CreateThread(NULL, 0, fn, arg, 0, NULL);
    return *t != NULL;
}
static void r1__thread_join(r1__thread t) { WaitForSingleObject(t, INFINITE); CloseHandle(t); }
#elif !defined(R1_NO_THREADS)
typedef pthread_t r1__thread;
typedef pthread_mutex_t r1__mutex;
typedef pthread_cond_t r1__cond;
#define R1__THREAD_FN(name, arg) static void *name(void *arg)
#define R1__THREAD_RETURN return NULL
#define r1__mutex_init(m) pthread_mutex_init((m), NULL)
#define r1__mutex_destroy(m) pthread_mutex_destroy(m)
#define r1__mutex_lock(m) pthread_mutex_lock(m)
#define r1__mutex_unlock(m) pthread_mutex_unlock(m)
#define r1__cond_init(c) pthread_cond_init((c), NULL)
#define r1__cond_destroy(c) pthread_cond_destroy(c)
#define r1__cond_wait(c, m) pthread_cond_wait((c), (m))
#define r1__cond_signal(c) pthread_cond_signal(c)
#define r1__cond_broadcast(c) pthread_cond_broadcast(c)
#define r1__yield() ((void)sched_yield())
static int r1__thread_start(r1__thread *t, void *(*fn)(void *), void *arg) { return pthread_create(t, NULL, fn, arg) == 0; }
static void r1__thread_join(r1__thread t) { pthread_join(t, NULL); }
#endif

#define R1__JOB_CLOSED (1 << 30) /* in r1__pool.entry: the caller has closed the job to newcomers */

typedef struct r1__pool {
    int n_threads;            /* including the calling thread */
#ifndef R1_NO_THREADS
    r1__thread *threads;      /* n_threads - 1 workers */
    r1__mutex mutex;
    r1__cond wake, done;
    uint64_t generation;      /* bumped for every job (atomic when R1__SPIN) */
    int entry;                /* R1__SPIN: workers that joined the current job, | R1__JOB_CLOSED */
    int finished;             /* R1__SPIN: joined workers done with it */
    int caller_asleep;        /* R1__SPIN: the caller sleeps on `done` until they are */
    int pending;              /* without R1__SPIN: workers still running the current job (all run it) */
    int sleepers;             /* workers asleep or about to sleep on `wake` */
    int stop;                 /* set to make workers exit */
#endif
    r1__job_fn fn;            /* the current job */
    void *arg;
} r1__pool;

#ifndef R1_NO_THREADS
typedef struct r1__worker_arg { r1__pool *pool; int ith; } r1__worker_arg;

#if R1__SPIN
/* one poll's wait in a spin loop: a pause, and every R1__YIELD_EVERY polls the core given up
   to a thread that may need it (a descheduled worker this one is waiting for) */
static void r1__spin_pause(int spin) {
    if (spin % R1__YIELD_EVERY == 0) r1__yield();
    else r1__cpu_relax();
}

/* Joins the open job, if it still is: returns 0 when the caller has closed it. */
static int r1__pool_join(r1__pool *pool) {
    int e = r1__atomic_load(&pool->entry);
    while (!(e & R1__JOB_CLOSED))
        if (r1__atomic_cas(&pool->entry, &e, e + 1)) return 1; /* (e is reloaded on failure) */
    return 0;
}
#endif

R1__THREAD_FN(r1__worker_main, p) {
    r1__worker_arg *wa = (r1__worker_arg *)p;
    r1__pool *pool = wa->pool;
    int ith = wa->ith;
    uint64_t seen = 0;
    R1_FREE(wa);
    for (;;) {
#if R1__SPIN
        int spin;
        for (spin = 1; spin <= R1__SPIN_ROUNDS && r1__atomic_load64(&pool->generation) == seen; spin++) r1__spin_pause(spin);
        if (r1__atomic_load64(&pool->generation) == seen) {
            r1__mutex_lock(&pool->mutex);
            r1__atomic_add(&pool->sleepers, 1);
            while (r1__atomic_load64(&pool->generation) == seen && !pool->stop) r1__cond_wait(&pool->wake, &pool->mutex);
            r1__atomic_add(&pool->sleepers, -1);
            r1__mutex_unlock(&pool->mutex);
        }
        if (r1__atomic_load(&pool->stop)) R1__THREAD_RETURN;
        seen = r1__atomic_load64(&pool->generation);
        if (!r1__pool_join(pool)) continue; /* too late: the work is done */
        seen = r1__atomic_load64(&pool->generation); /* the job joined (it cannot end while we are in it) */
        pool->fn(pool->arg, ith, pool->n_threads);
        r1__atomic_add(&pool->finished, 1);
        if (r1__atomic_load(&pool->caller_asleep)) {
            r1__mutex_lock(&pool->mutex);
            r1__cond_signal(&pool->done);
            r1__mutex_unlock(&pool->mutex);
        }
#else
        r1__job_fn fn;
        void *arg;
        r1__mutex_lock(&pool->mutex);
        while (pool->generation == seen && !pool->stop) r1__cond_wait(&pool->wake, &pool->mutex);
        if (pool->stop) { r1__mutex_unlock(&pool->mutex); R1__THREAD_RETURN; }
        seen = pool->generation;
        fn = pool->fn;
        arg = pool->arg;
        r1__mutex_unlock(&pool->mutex);
        fn(arg, ith, pool->n_threads);
        r1__mutex_lock(&pool->mutex);
        if (--pool->pending == 0) r1__cond_signal(&pool->done);
        r1__mutex_unlock(&pool->mutex);
#endif
    }
}
#endif

static void r1__pool_destroy(r1__pool *pool) {
#ifndef R1_NO_THREADS
    int i;
    if (pool->threads) {
        r1__mutex_lock(&pool->mutex);
#if R1__SPIN
        r1__atomic_store(&pool->stop, 1);
        r1__atomic_add64(&pool->generation, 1);
#else
        pool->stop = 1;
#endif
        r1__cond_broadcast(&pool->wake);
        r1__mutex_unlock(&pool->mutex);
        for (i = 0; i < pool->n_threads - 1; i++) r1__thread_join(pool->threads[i]);
        R1_FREE(pool->threads);
        r1__mutex_destroy(&pool->mutex);
        r1__cond_destroy(&pool->wake);
        r1__cond_destroy(&pool->done);
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
        pool->threads = (r1__thread *)r1__calloc((size_t)n_threads - 1, sizeof(r1__thread));
        if (!pool->threads) return r1__fail(err, R1_ERR_MEMORY, "out of memory for %d threads", n_threads);
        r1__mutex_init(&pool->mutex);
        r1__cond_init(&pool->wake);
        r1__cond_init(&pool->done);
        pool->n_threads = n_threads;
        for (i = 0; i < n_threads - 1; i++) {
            r1__worker_arg *wa = (r1__worker_arg *)R1_MALLOC(sizeof *wa);
            if (wa) { wa->pool = pool; wa->ith = i + 1; }
            if (!wa || !r1__thread_start(&pool->threads[i], r1__worker_main, wa)) {
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

/* Runs fn(arg, ith, n_threads) on the calling thread (ith 0) and on the workers that join in
   time. With R1__SPIN a job must claim its pieces (r1__claim_next), so the calling thread alone
   finishes it; without, every thread runs its share. */
static void r1__pool_run(r1__pool *pool, r1__job_fn fn, void *arg) {
#ifndef R1_NO_THREADS
    if (pool->n_threads > 1) {
#if R1__SPIN
        int joined, spin;
        pool->fn = fn;
        pool->arg = arg;
        r1__atomic_store(&pool->finished, 0);
        r1__atomic_store(&pool->entry, 0);     /* open (it was closed since the last job) */
        r1__atomic_add64(&pool->generation, 1); /* publishes fn, arg and the open entry */
        if (r1__atomic_load(&pool->sleepers) > 0) {
            r1__mutex_lock(&pool->mutex);
            r1__cond_broadcast(&pool->wake);
            r1__mutex_unlock(&pool->mutex);
        }
        fn(arg, 0, pool->n_threads);          /* returns when nothing is left to claim */
        joined = r1__atomic_or(&pool->entry, R1__JOB_CLOSED) & ~R1__JOB_CLOSED;
        for (spin = 1; spin <= R1__SPIN_ROUNDS && r1__atomic_load(&pool->finished) != joined; spin++) r1__spin_pause(spin);
        if (r1__atomic_load(&pool->finished) != joined) {
            r1__mutex_lock(&pool->mutex);
            r1__atomic_store(&pool->caller_asleep, 1);
            while (r1__atomic_load(&pool->finished) != joined) r1__cond_wait(&pool->done, &pool->mutex);
            r1__atomic_store(&pool->caller_asleep, 0);
            r1__mutex_unlock(&pool->mutex);
        }
#else
        r1__mutex_lock(&pool->mutex);
        pool->fn = fn;
        pool->arg = arg;
        pool->pending = pool->n_threads - 1;
        pool->generation++;
        r1__cond_broadcast(&pool->wake);
        r1__mutex_unlock(&pool->mutex);
        fn(arg, 0, pool->n_threads);
        r1__mutex_lock(&pool->mutex);
        while (pool->pending > 0) r1__cond_wait(&pool->done, &pool->mutex);
        r1__mutex_unlock(&pool->mutex);
#endif
        return;
    }
#endif
    fn(arg, 0, 1);
}

/* A job's pieces [0, n): each call hands out the next unclaimed one, or -1 when none is left.
   Without R1__SPIN (every thread runs every job) thread ith takes pieces ith, ith + nth, ... */
typedef struct r1__claims { int next; int n; } r1__claims;
static void r1__claims_init(r1__claims *c, int n) { c->next = 0; c->n = n; }
static int r1__claim_next(r1__claims *c, int *mine, int ith, int nth) {
#if R1__SPIN
    int k = r1__atomic_add(&c->next, 1) - 1;
    (void)mine; (void)ith; (void)nth;
    return k < c->n ? k : -1;
#else
    int k = *mine < 0 ? ith : *mine + nth; /* *mine starts at -1 */
    *mine = k;
    return k < c->n ? k : -1;
#endif
}

/* fn(arg, i0, i1) over [0, n), one contiguous range per thread. Batches under min_per_thread
   items per thread run on the calling thread alone: a job's hand-off costs more than they do. */
typedef void (*r1__range_fn)(void *arg, int i0, int i1);
typedef struct r1__range_job { r1__range_fn fn; void *arg; int n, n_pieces; r1__claims claims; } r1__range_job;

static void r1__range_worker(void *arg, int ith, int nth) {
    r1__range_job *job = (r1__range_job *)arg;
    int k, mine = -1;
    while ((k = r1__claim_next(&job->claims, &mine, ith, nth)) >= 0) {
        int i0 = (int)((int64_t)job->n * k / job->n_pieces), i1 = (int)((int64_t)job->n * (k + 1) / job->n_pieces);
        if (i0 < i1) job->fn(job->arg, i0, i1);
    }
}

static void r1__parallel_for(r1__pool *pool, int n, int min_per_thread, r1__range_fn fn, void *arg) {
    r1__range_job job;
    if (n < min_per_thread * pool->n_threads) {
        if (n > 0) fn(arg, 0, n);
        return;
    }
    job.fn = fn;
    job.arg = arg;
    job.n = n;
    /* four pieces a thread: a thread the OS runs late leaves little for the others to wait on */
    job.n_pieces = n < 4 * pool->n_threads ? n : 4 * pool->n_threads;
    r1__claims_init(&job.claims, job.n_pieces);
    r1__pool_run(pool, r1__range_worker, &job);
}

/* ======================================================================================
   7. MODEL: ARCHITECTURE TABLE AND LOADING
   An architecture is one table entry: its GGUF name and the switches that set it apart.
   The loader reads `<arch>.*` hyperparameters, finds every tensor the switches ask for
   and checks its shape before anything runs.
   ====================================================================================== */

enum { R1__ROPE_NORMAL = 0, R1__ROPE_NEOX = 1 };
enum { R1__GATING_SOFTMAX = 1, R1__GATING_SIGMOID = 2 }; /* llama.cpp's expert_gating_func values */

/* Everything that sets an architecture apart is a row here: the loader (through the tensor
   schema below) and the forward pass read these switches, and no other code names an
   architecture. */
typedef struct r1__arch {
    const char *name;         /* general.architecture */
    int rope_style;           /* NORMAL rotates pairs (2i, 2i+1); NEOX pairs (i, i + n_rot/2) */
    int qkv_bias;             /* attn_{q,k,v}.bias required (Qwen2; loaded when present elsewhere) */
    int qk_norm;              /* per-head RMSNorm on q and k before rope (Qwen3) */
    int fused_qkv;            /* one attn_qkv matrix holds the q, k and v rows, in that order (Phi-3) */
    int fused_gate_up;        /* one ffn_up matrix holds the gate rows, then the up rows (Phi-3) */
    int mla;                  /* DeepSeek multi-head latent attention with a compressed cache */
    int moe;                  /* routed experts after `leading_dense_block_count` dense layers */
    int moe_norm;             /* default for expert_weights_norm (renormalize the top-k weights) */
} r1__arch;

static const r1__arch r1__archs[] = {
    /* name        rope style       qkv_bias qk_norm fused_qkv fused_gate_up mla moe moe_norm */
    { "qwen2",     R1__ROPE_NEOX,   1,       0,      0,        0,            0,  0,  0 },
    { "llama",     R1__ROPE_NORMAL, 0,       0,      0,        0,            0,  0,  0 },
    { "qwen3",     R1__ROPE_NEOX,   0,       1,      0,        0,            0,  0,  0 },
    { "qwen3moe",  R1__ROPE_NEOX,   0,       1,      0,        0,            0,  1,  1 },
    { "deepseek2", R1__ROPE_NORMAL, 0,       0,      0,        0,            1,  1,  0 },
    { "phi3",      R1__ROPE_NEOX,   0,       0,      1,        1,            0,  0,  0 },
};

/* A weight as the forward pass sees it: one matrix, or a stack of matrices (experts,
   MLA heads) of n_out rows each. */
typedef struct r1__weight {
    const r1__tensor *t;      /* in the mapping; NULL when absent */
    const uint8_t *data;      /* the rows: t->data, or the model's packed copy */
    int packed;               /* rows interleaved by 8 for the kernels' dotq8 (see section 5b); a
                                 single matrix's last n_out % 8 rows follow the groups as they were */
    int packable;             /* R1__PACK_*: whether r1__repack may pack it (set by the loader) */
    int type;
    int n_in, n_out;          /* ne[0] (row length), ne[1] (rows); ne[2] counts the matrices */
    size_t row_bytes;
} r1__weight;

/* Matrix `i` of a stack, as a weight of its own (no copy: it stays in the mapping). */
typedef struct r1__matrix {
    const uint8_t *data;
    int packed;
    int type, n_in, n_out;
    size_t row_bytes;
} r1__matrix;

static r1__matrix r1__mat(const r1__weight *w, int i) {
    r1__matrix m;
    m.data = w->data + (size_t)i * w->n_out * w->row_bytes; /* packing keeps each matrix in place */
    m.packed = w->packed;
    m.type = w->type;
    m.n_in = w->n_in;
    m.n_out = w->n_out;
    m.row_bytes = w->row_bytes;
    return m;
}

typedef struct r1__layer {
    float *attn_norm;         /* [n_embd] (vectors are converted to owned f32 at load) */
    /* grouped-query attention */
    r1__weight wq, wk, wv, wo;/* wq, wk, wv: rows of wqkv where the architecture fuses them */
    r1__weight wqkv;          /* fused [n_embd, q + k + v] (Phi-3) */
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
    r1__weight w_gate, w_up, w_down;       /* dense layers (w_gate, w_up: rows of w_gate_up where fused) */
    r1__weight w_gate_up;     /* fused [n_embd, 2 * n_ff]: gate rows, then up rows (Phi-3) */
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
    int n_swa;                /* attention.sliding_window: a token sees the last n_swa positions,
                                 itself included (Phi-3-mini's 2047); 0 = all of them */
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
    struct r1_tokenizer *tokenizer; /* NULL when the file has no byte-level BPE tokenizer */
    const r1__kernels *kernels; /* the integer dot products this CPU runs best */
    int stream_ahead;         /* bytes their decode prefetches ahead of the weights (r1__stream_ahead) */
    uint8_t **packed;         /* [n_packed] owned copies of the matrices packed for them */
    int n_packed;
    uintptr_t *holes;         /* [2 * n_holes] page ranges of the mapping already unmapped after
                                 packing: the final unmap skips them, as something else may have
                                 been mapped there since */
    int n_holes;
};

static r1_status r1__get_int(const r1__gguf *g, const char *arch, const char *suffix, int required, int64_t def,
                             int64_t *out, r1_error *err) {
    char key[128];
    const r1__kv *kv;
    snprintf(key, sizeof key, "%s.%s", arch, suffix);
    kv = r1__gguf_find(g, key);
    if (!kv) {
        if (required) return r1__fail(err, R1_ERR_FORMAT, "model: missing key '%s'", key);
        *out = def;
        return R1_OK;
    }
    if (!r1__kv_int(kv, out) || *out < 0 || *out > (1 << 30))
        return r1__fail(err, R1_ERR_FORMAT, "model: key '%s' must be an integer in [0, 2^30]", key);
    return R1_OK;
}

static r1_status r1__get_f32(const r1__gguf *g, const char *arch, const char *suffix, double def, float *out,
                             r1_error *err) {
    char key[128];
    const r1__kv *kv;
    double v = def;
    snprintf(key, sizeof key, "%s.%s", arch, suffix);
    kv = r1__gguf_find(g, key);
    if (kv && (!r1__kv_float(kv, &v) || !(v == v) || fabs(v) > 1e30))
        return r1__fail(err, R1_ERR_FORMAT, "model: key '%s' must be a finite number", key);
    *out = (float)v;
    return R1_OK;
}

/* Finds a tensor and checks its shape; ne1 = 0 means a 1-D tensor. Absent and not required:
   R1_OK with w->t NULL. */
static r1_status r1__find_weight(r1_model *m, r1__weight *w, const char *name, int64_t ne0, int64_t ne1, int64_t ne2,
                                 int required, r1_error *err) {
    const r1__tensor *t = r1__gguf_tensor(&m->gguf, name);
    memset(w, 0, sizeof *w);
    if (!t) return required ? r1__fail(err, R1_ERR_FORMAT, "model: missing tensor '%s'", name) : R1_OK;
    if (t->ne[0] != ne0 || t->ne[1] != (ne1 ? ne1 : 1) || t->ne[2] != ne2 || t->ne[3] != 1)
        return r1__fail(err, R1_ERR_FORMAT, "model: tensor '%s' has shape [%lld, %lld, %lld, %lld], expected [%lld, %lld, %lld]",
                        name, (long long)t->ne[0], (long long)t->ne[1], (long long)t->ne[2], (long long)t->ne[3],
                        (long long)ne0, (long long)(ne1 ? ne1 : 1), (long long)ne2);
    if (!r1_type_supported(t->type))
        return r1__fail(err, R1_ERR_UNSUPPORTED, "model: tensor '%s' has type %s, which this build cannot compute", name,
                        r1__type_name_or_null(t->type) ? r1__type_name_or_null(t->type) : "?");
    w->t = t;
    w->data = t->data;
    w->type = t->type;
    w->n_in = (int)t->ne[0];
    w->n_out = (int)(ne1 ? ne1 : 1);
    w->row_bytes = r1__row_bytes(t->type, t->ne[0]);
    return R1_OK;
}

/* A small vector (norm weight, bias, frequency factors) converted to owned float32. */
static r1_status r1__find_vector(r1_model *m, float **out, const char *name, int64_t n, int required, r1_error *err) {
    r1__weight w;
    r1_status st;
    *out = NULL;
    if ((st = r1__find_weight(m, &w, name, n, 0, 1, required, err)) != R1_OK || !w.t || m->gguf.header_only) return st;
    *out = (float *)r1__calloc((size_t)n, sizeof(float));
    if (!*out) return r1__fail(err, R1_ERR_MEMORY, "model: out of memory for '%s'", name);
    r1__types[w.type].to_float(w.t->data, *out, n);
    return R1_OK;
}

/* ---- the tensor schema ----
   Every tensor the model reads is one row: its GGUF name (after "blk.N." for a layer's), where
   it goes, its kind and symbolic shape, which layers have it, whether it is required, and
   whether it may be packed. Loading, shape checks, freeing and packing are loops over it. */
enum { R1__T_MATRIX, R1__T_STACK, R1__T_VECTOR }; /* r1__weight [ne0, ne1], r1__weight [ne0, ne1, ne2], float * [ne0] */
enum { R1__PACK_NO, R1__PACK_YES, R1__PACK_EXPERTS }; /* PACK_EXPERTS: only when r1__pack_experts says so */

/* symbolic sizes, resolved against the hyperparameters by r1__dim */
enum {
    R1__D_1, R1__D_EMBD, R1__D_VOCAB, R1__D_FF, R1__D_FF2, R1__D_Q, R1__D_K, R1__D_V, R1__D_QKV, R1__D_O, R1__D_HK,
    R1__D_ROT_HALF, R1__D_QLORA, R1__D_KVLORA, R1__D_KV_A, R1__D_NOPE, R1__D_HV, R1__D_HEAD, R1__D_KV_B,
    R1__D_EXPERT, R1__D_FF_EXP, R1__D_FF_SHARED
};

static int64_t r1__dim(const r1_model *m, int d) {
    int64_t q = (int64_t)m->n_head * m->head_dim_k, k = (int64_t)m->n_head_kv * m->head_dim_k, v = (int64_t)m->n_head_kv * m->head_dim_v;
    switch (d) {
    case R1__D_EMBD: return m->n_embd;
    case R1__D_VOCAB: return m->n_vocab;
    case R1__D_FF: return m->n_ff;
    case R1__D_FF2: return 2 * (int64_t)m->n_ff;
    case R1__D_Q: return q;
    case R1__D_K: return k;
    case R1__D_V: return v;
    case R1__D_QKV: return q + k + v;
    case R1__D_O: return (int64_t)m->n_head * m->head_dim_v;
    case R1__D_HK: return m->head_dim_k;
    case R1__D_ROT_HALF: return m->n_rot / 2;
    case R1__D_QLORA: return m->q_lora;
    case R1__D_KVLORA: return m->kv_lora;
    case R1__D_KV_A: return (int64_t)m->kv_lora + m->n_rot;
    case R1__D_NOPE: return m->head_dim_nope;
    case R1__D_HV: return m->head_dim_v;
    case R1__D_HEAD: return m->n_head;
    case R1__D_KV_B: return (int64_t)m->n_head * (m->head_dim_nope + m->head_dim_v);
    case R1__D_EXPERT: return m->n_expert;
    case R1__D_FF_EXP: return m->n_ff_exp;
    case R1__D_FF_SHARED: return (int64_t)m->n_ff_exp * m->n_expert_shared;
    default: return 1;
    }
}

/* What a layer has, as bits: a schema row applies when the layer has all of its `when` bits,
   and is required when it also has all of its `required` bits (R1__L_NEVER: optional). */
enum {
    R1__L_ANY = 0,
    R1__L_GQA = 1 << 0,           /* grouped-query attention */
    R1__L_QKV_SPLIT = 1 << 1,     /* ... with q, k, v as three matrices */
    R1__L_QKV_FUSED = 1 << 2,     /* ... or as one (arch fused_qkv) */
    R1__L_QKV_BIAS = 1 << 3,      /* arch qkv_bias */
    R1__L_QK_NORM = 1 << 4,       /* arch qk_norm */
    R1__L_MLA = 1 << 5,
    R1__L_Q_LORA = 1 << 6,        /* MLA with a compressed query */
    R1__L_Q_PLAIN = 1 << 7,       /* MLA without one */
    R1__L_KV_B_SPLIT = 1 << 8,    /* MLA: the file has attn_k_b and attn_v_b */
    R1__L_KV_B_JOINT = 1 << 9,    /* MLA: an older file's one attn_kv_b */
    R1__L_DENSE = 1 << 10,        /* a SwiGLU feed-forward */
    R1__L_GATE_UP_SPLIT = 1 << 11,/* ... with gate and up as two matrices */
    R1__L_GATE_UP_FUSED = 1 << 12,/* ... or as one (arch fused_gate_up) */
    R1__L_MOE = 1 << 13,          /* routed experts */
    R1__L_SHARED = 1 << 14,       /* ... with shared experts */
    R1__L_NEVER = 1 << 30         /* no layer has it: for `required`, an optional tensor */
};

typedef struct r1__tensor_row {
    const char *name;         /* GGUF name; a layer's after "blk.N." */
    size_t offset;            /* where it goes: offsetof in r1__layer (or r1_model) */
    int kind;                 /* R1__T_* */
    int shape[3];             /* R1__D_* sizes: ne0, ne1 (matrices, stacks), ne2 (stacks) */
    int when;                 /* R1__L_* bits the layer must have */
    int required;             /* required when the layer also has these (0: always; R1__L_NEVER: never) */
    int pack;                 /* R1__PACK_*: whether its rows get packed at load (matrices only) */
} r1__tensor_row;

#define R1__AT(field) offsetof(r1__layer, field)
static const r1__tensor_row r1__layer_schema[] = {
    { "attn_norm.weight",      R1__AT(attn_norm),   R1__T_VECTOR, { R1__D_EMBD, 0, 0 },                    R1__L_ANY,       0, R1__PACK_NO },
    /* grouped-query attention */
    { "attn_q.weight",         R1__AT(wq),          R1__T_MATRIX, { R1__D_EMBD, R1__D_Q, 0 },              R1__L_QKV_SPLIT, 0, R1__PACK_YES },
    { "attn_k.weight",         R1__AT(wk),          R1__T_MATRIX, { R1__D_EMBD, R1__D_K, 0 },              R1__L_QKV_SPLIT, 0, R1__PACK_YES },
    { "attn_v.weight",         R1__AT(wv),          R1__T_MATRIX, { R1__D_EMBD, R1__D_V, 0 },              R1__L_QKV_SPLIT, 0, R1__PACK_YES },
    { "attn_qkv.weight",       R1__AT(wqkv),        R1__T_MATRIX, { R1__D_EMBD, R1__D_QKV, 0 },            R1__L_QKV_FUSED, 0, R1__PACK_YES },
    { "attn_q.bias",           R1__AT(bq),          R1__T_VECTOR, { R1__D_Q, 0, 0 },                       R1__L_QKV_SPLIT, R1__L_QKV_BIAS, R1__PACK_NO },
    { "attn_k.bias",           R1__AT(bk),          R1__T_VECTOR, { R1__D_K, 0, 0 },                       R1__L_QKV_SPLIT, R1__L_QKV_BIAS, R1__PACK_NO },
    { "attn_v.bias",           R1__AT(bv),          R1__T_VECTOR, { R1__D_V, 0, 0 },                       R1__L_QKV_SPLIT, R1__L_QKV_BIAS, R1__PACK_NO },
    { "attn_q_norm.weight",    R1__AT(q_norm),      R1__T_VECTOR, { R1__D_HK, 0, 0 },                      R1__L_GQA,       R1__L_QK_NORM, R1__PACK_NO },
    { "attn_k_norm.weight",    R1__AT(k_norm),      R1__T_VECTOR, { R1__D_HK, 0, 0 },                      R1__L_GQA,       R1__L_QK_NORM, R1__PACK_NO },
    { "attn_output.weight",    R1__AT(wo),          R1__T_MATRIX, { R1__D_O, R1__D_EMBD, 0 },              R1__L_ANY,       0, R1__PACK_YES },
    /* multi-head latent attention */
    { "attn_q_a.weight",       R1__AT(wq_a),        R1__T_MATRIX, { R1__D_EMBD, R1__D_QLORA, 0 },          R1__L_Q_LORA,    0, R1__PACK_YES },
    { "attn_q_a_norm.weight",  R1__AT(q_a_norm),    R1__T_VECTOR, { R1__D_QLORA, 0, 0 },                   R1__L_Q_LORA,    0, R1__PACK_NO },
    { "attn_q_b.weight",       R1__AT(wq_b),        R1__T_MATRIX, { R1__D_QLORA, R1__D_Q, 0 },             R1__L_Q_LORA,    0, R1__PACK_YES },
    { "attn_q.weight",         R1__AT(wq),          R1__T_MATRIX, { R1__D_EMBD, R1__D_Q, 0 },              R1__L_Q_PLAIN,   0, R1__PACK_YES },
    { "attn_kv_a_mqa.weight",  R1__AT(wkv_a),       R1__T_MATRIX, { R1__D_EMBD, R1__D_KV_A, 0 },           R1__L_MLA,       0, R1__PACK_YES },
    { "attn_kv_a_norm.weight", R1__AT(kv_a_norm),   R1__T_VECTOR, { R1__D_KVLORA, 0, 0 },                  R1__L_MLA,       0, R1__PACK_NO },
    /* per head: groups of 8 rows stay inside a head's matrix */
    { "attn_k_b.weight",       R1__AT(wk_b),        R1__T_STACK,  { R1__D_NOPE, R1__D_KVLORA, R1__D_HEAD }, R1__L_KV_B_SPLIT, 0, R1__PACK_YES },
    { "attn_v_b.weight",       R1__AT(wv_b),        R1__T_STACK,  { R1__D_KVLORA, R1__D_HV, R1__D_HEAD },  R1__L_KV_B_SPLIT, 0, R1__PACK_YES },
    { "attn_kv_b.weight",      R1__AT(wkv_b),       R1__T_MATRIX, { R1__D_KVLORA, R1__D_KV_B, 0 },         R1__L_KV_B_JOINT, 0, R1__PACK_NO },
    /* feed-forward */
    { "ffn_norm.weight",       R1__AT(ffn_norm),    R1__T_VECTOR, { R1__D_EMBD, 0, 0 },                    R1__L_ANY,       0, R1__PACK_NO },
    { "ffn_gate.weight",       R1__AT(w_gate),      R1__T_MATRIX, { R1__D_EMBD, R1__D_FF, 0 },             R1__L_GATE_UP_SPLIT, 0, R1__PACK_YES },
    { "ffn_up.weight",         R1__AT(w_up),        R1__T_MATRIX, { R1__D_EMBD, R1__D_FF, 0 },             R1__L_GATE_UP_SPLIT, 0, R1__PACK_YES },
    { "ffn_up.weight",         R1__AT(w_gate_up),   R1__T_MATRIX, { R1__D_EMBD, R1__D_FF2, 0 },            R1__L_GATE_UP_FUSED, 0, R1__PACK_YES },
    { "ffn_down.weight",       R1__AT(w_down),      R1__T_MATRIX, { R1__D_FF, R1__D_EMBD, 0 },             R1__L_DENSE,     0, R1__PACK_YES },
    /* routed and shared experts */
    { "ffn_gate_inp.weight",   R1__AT(gate_inp),    R1__T_MATRIX, { R1__D_EMBD, R1__D_EXPERT, 0 },         R1__L_MOE,       0, R1__PACK_NO },
    { "exp_probs_b.bias",      R1__AT(exp_probs_b), R1__T_VECTOR, { R1__D_EXPERT, 0, 0 },                  R1__L_MOE,       R1__L_NEVER, R1__PACK_NO },
    { "ffn_gate_exps.weight",  R1__AT(gate_exps),   R1__T_STACK,  { R1__D_EMBD, R1__D_FF_EXP, R1__D_EXPERT }, R1__L_MOE,    0, R1__PACK_EXPERTS },
    { "ffn_up_exps.weight",    R1__AT(up_exps),     R1__T_STACK,  { R1__D_EMBD, R1__D_FF_EXP, R1__D_EXPERT }, R1__L_MOE,    0, R1__PACK_EXPERTS },
    { "ffn_down_exps.weight",  R1__AT(down_exps),   R1__T_STACK,  { R1__D_FF_EXP, R1__D_EMBD, R1__D_EXPERT }, R1__L_MOE,    0, R1__PACK_EXPERTS },
    { "ffn_gate_shexp.weight", R1__AT(gate_shexp),  R1__T_MATRIX, { R1__D_EMBD, R1__D_FF_SHARED, 0 },      R1__L_SHARED,    0, R1__PACK_YES },
    { "ffn_up_shexp.weight",   R1__AT(up_shexp),    R1__T_MATRIX, { R1__D_EMBD, R1__D_FF_SHARED, 0 },      R1__L_SHARED,    0, R1__PACK_YES },
    { "ffn_down_shexp.weight", R1__AT(down_shexp),  R1__T_MATRIX, { R1__D_FF_SHARED, R1__D_EMBD, 0 },      R1__L_SHARED,    0, R1__PACK_YES },
};
#undef R1__AT

/* The model's own tensors (every `when` is R1__L_ANY). The output matrix is optional: without
   it the embeddings are tied. The embedding is read by rows and never packed. */
#define R1__AT(field) offsetof(r1_model, field)
static const r1__tensor_row r1__model_schema[] = {
    { "token_embd.weight",  R1__AT(tok_embd),          R1__T_MATRIX, { R1__D_EMBD, R1__D_VOCAB, 0 }, R1__L_ANY, 0, R1__PACK_NO },
    { "output.weight",      R1__AT(output),            R1__T_MATRIX, { R1__D_EMBD, R1__D_VOCAB, 0 }, R1__L_ANY, R1__L_NEVER, R1__PACK_YES },
    { "output_norm.weight", R1__AT(output_norm),       R1__T_VECTOR, { R1__D_EMBD, 0, 0 },           R1__L_ANY, 0, R1__PACK_NO },
    { "rope_freqs.weight",  R1__AT(rope_freq_factors), R1__T_VECTOR, { R1__D_ROT_HALF, 0, 0 },       R1__L_ANY, R1__L_NEVER, R1__PACK_NO },
};
#undef R1__AT
#define R1__N_ROWS(schema) (int)(sizeof schema / sizeof schema[0])

/* The fused matrices and the views the forward pass reads in their place: parts[i] is rows
   [sum of sizes before it, + sizes[i]) of the fused matrix. */
typedef struct r1__fused_view {
    size_t fused;             /* offsetof in r1__layer of the fused weight */
    size_t parts[3];          /* its views, in row order */
    int sizes[3];             /* R1__D_* rows of each (R1__D_1 with a 0 part: unused) */
    int n_parts;
} r1__fused_view;
static const r1__fused_view r1__fused_views[] = {
    { offsetof(r1__layer, wqkv), { offsetof(r1__layer, wq), offsetof(r1__layer, wk), offsetof(r1__layer, wv) },
      { R1__D_Q, R1__D_K, R1__D_V }, 3 },
    { offsetof(r1__layer, w_gate_up), { offsetof(r1__layer, w_gate), offsetof(r1__layer, w_up), 0 },
      { R1__D_FF, R1__D_FF, R1__D_1 }, 2 },
};

/* The features of layer i, for the schema's `when` and `required`. */
static int r1__layer_features(const r1_model *m, int i) {
    int f = 0;
    char name[96];
    if (m->arch->mla) {
        f |= R1__L_MLA | (m->q_lora ? R1__L_Q_LORA : R1__L_Q_PLAIN);
        snprintf(name, sizeof name, "blk.%d.attn_k_b.weight", i);
        f |= r1__gguf_tensor(&m->gguf, name) ? R1__L_KV_B_SPLIT : R1__L_KV_B_JOINT;
    } else {
        f |= R1__L_GQA | (m->arch->fused_qkv ? R1__L_QKV_FUSED : R1__L_QKV_SPLIT);
        if (m->arch->qkv_bias) f |= R1__L_QKV_BIAS;
        if (m->arch->qk_norm) f |= R1__L_QK_NORM;
    }
    if (m->arch->moe && i >= m->n_dense_lead) f |= R1__L_MOE | (m->n_expert_shared > 0 ? R1__L_SHARED : 0);
    else f |= R1__L_DENSE | (m->arch->fused_gate_up ? R1__L_GATE_UP_FUSED : R1__L_GATE_UP_SPLIT);
    return f;
}

/* Loads the rows of a schema that apply to `features` into the struct at base; prefix is
   "blk.N." for a layer, "" for the model. */
static r1_status r1__load_rows(r1_model *m, const r1__tensor_row *rows, int n_rows, void *base, const char *prefix,
                               int features, r1_error *err) {
    int k;
    char name[128];
    for (k = 0; k < n_rows; k++) {
        const r1__tensor_row *row = &rows[k];
        int required = (features & row->required) == row->required;
        int64_t ne0 = r1__dim(m, row->shape[0]);
        void *field = (char *)base + row->offset;
        r1_status st;
        if ((features & row->when) != row->when) continue;
        snprintf(name, sizeof name, "%s%s", prefix, row->name);
        if (row->kind == R1__T_VECTOR) {
            st = r1__find_vector(m, (float **)field, name, ne0, required, err);
        } else {
            r1__weight *w = (r1__weight *)field;
            st = r1__find_weight(m, w, name, ne0, r1__dim(m, row->shape[1]), row->kind == R1__T_STACK ? r1__dim(m, row->shape[2]) : 1,
                                 required, err);
            w->packable = row->pack;
        }
        if (st != R1_OK) return st;
    }
    return R1_OK;
}

/* The views of layer L's fused matrices. Called at load, and again after packing: the views
   then point into the packed rows, which keeps whole groups of 8 in place, so a fused matrix
   may be packed only when every part's rows are a multiple of 8. */
static void r1__make_views(const r1_model *m, r1__layer *L) {
    size_t f;
    int p;
    for (f = 0; f < sizeof r1__fused_views / sizeof r1__fused_views[0]; f++) {
        const r1__fused_view *fv = &r1__fused_views[f];
        r1__weight *w = (r1__weight *)((char *)L + fv->fused);
        int row = 0;
        if (!w->t) continue;
        for (p = 0; p < fv->n_parts; p++) {
            r1__weight *part = (r1__weight *)((char *)L + fv->parts[p]);
            *part = *w;
            part->data = w->data + (size_t)row * w->row_bytes;
            part->n_out = (int)r1__dim(m, fv->sizes[p]);
            part->packable = R1__PACK_NO; /* the fused matrix is packed, or not, for all of them */
            if (part->n_out % 8 != 0) w->packable = R1__PACK_NO;
            row += part->n_out;
        }
    }
}

/* Frees the owned vectors of a schema's rows. */
static void r1__free_rows(const r1__tensor_row *rows, int n_rows, void *base) {
    int k;
    for (k = 0; k < n_rows; k++)
        if (rows[k].kind == R1__T_VECTOR) {
            float **v = (float **)((char *)base + rows[k].offset);
            R1_FREE(*v);
            *v = NULL;
        }
}

static void r1__model_free_owned(r1_model *m) {
    int i;
    if (m->layers)
        for (i = 0; i < m->n_layer; i++) r1__free_rows(r1__layer_schema, R1__N_ROWS(r1__layer_schema), &m->layers[i]);
    R1_FREE(m->layers);
    r1__free_rows(r1__model_schema, R1__N_ROWS(r1__model_schema), m);
    while (m->packed && m->n_packed > 0) R1_FREE(m->packed[--m->n_packed]);
    R1_FREE(m->packed);
}

/* Unmaps the file, around the holes r1__release_pages made (they are in increasing order). */
static void r1__unmap_model(r1_model *m) {
#if !defined(_WIN32)
    if (m->mapping.addr && m->n_holes > 0) {
        uintptr_t at = (uintptr_t)m->mapping.addr, end = at + m->mapping.size;
        int i;
        for (i = 0; i < m->n_holes; i++) {
            if (m->holes[2 * i] > at) munmap((void *)at, (size_t)(m->holes[2 * i] - at));
            at = m->holes[2 * i + 1];
        }
        if (end > at) munmap((void *)at, (size_t)(end - at));
        m->mapping.addr = NULL;
    }
#endif
    R1_FREE(m->holes);
    m->holes = NULL;
    m->n_holes = 0;
    r1__unmap_file(&m->mapping);
}

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
    R1__INT(n_swa, "attention.sliding_window", 0, 0);
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
    int features = r1__layer_features(m, i);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "blk.%d.", i);
    L->moe = (features & R1__L_MOE) != 0;
    R1__TRY(r1__load_rows(m, r1__layer_schema, R1__N_ROWS(r1__layer_schema), L, prefix, features, err));
    if (!m->gguf.header_only) r1__make_views(m, L);
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
    R1__TRY(r1__load_attention_hparams(m, err));
    if (m->arch->moe) R1__TRY(r1__load_moe_hparams(m, err));

    {   /* the embedding decides the vocabulary size */
        const r1__tensor *t = r1__gguf_tensor(&m->gguf, "token_embd.weight");
        if (!t) return r1__fail(err, R1_ERR_FORMAT, "model: missing tensor 'token_embd.weight'");
        if (t->ne[1] > (1 << 24)) return r1__fail(err, R1_ERR_FORMAT, "model: vocabulary of %lld rows is too large", (long long)t->ne[1]);
        m->n_vocab = (int)t->ne[1];
    }
    R1__TRY(r1__load_rows(m, r1__model_schema, R1__N_ROWS(r1__model_schema), m, "", R1__L_ANY, err));
    if (!m->output.t) { m->output = m->tok_embd; m->output.packable = R1__PACK_NO; } /* tied embeddings */

    m->layers = (r1__layer *)r1__calloc((size_t)m->n_layer, sizeof *m->layers);
    if (!m->layers) return r1__fail(err, R1_ERR_MEMORY, "model: out of memory for %d layers", m->n_layer);
    for (i = 0; i < (size_t)m->n_layer; i++) R1__TRY(r1__load_layer(m, (int)i, err));
    return R1_OK;
}

/* Asks Linux to back the 2 MiB-aligned part of a large buffer with huge pages (before it is
   first written). Prefill streams every weight once per batch: with 4 KiB pages, each page
   costs a TLB miss, and under virtualization a miss walks two page tables; a batched matmul
   ran 20-30 % slower out of 4 KiB pages than out of 2 MiB ones on such a machine. A hint
   only: refused or unsupported, nothing changes. */
#if defined(__linux__) && !defined(__cplusplus) && defined(__STRICT_ANSI__)
int posix_madvise(void *addr, size_t len, int advice); /* POSIX.1-2001; hidden when a strict C file
                                                          included system headers before r1.h */
#endif
#define R1__HUGE_PAGE ((size_t)2 << 20) /* bytes of a huge page, to which large streamed buffers are aligned */
static void r1__hugepage_hint(void *p, size_t n) {
#if defined(__linux__)
    /* MADV_HUGEPAGE is 14 on every Linux architecture; strict POSIX builds do not declare
       madvise or the name, but glibc's and musl's posix_madvise pass the advice on to it */
    const uintptr_t huge = (uintptr_t)R1__HUGE_PAGE;
    uintptr_t lo = ((uintptr_t)p + huge - 1) / huge * huge, hi = ((uintptr_t)p + n) / huge * huge;
    if (p && hi > lo) (void)posix_madvise((void *)lo, (size_t)(hi - lo), 14);
#else
    (void)p; (void)n;
#endif
}

/* p rounded up to a 2 MiB boundary, and the n bytes from there hinted for huge pages (the
   caller allocated 2 MiB more than it needs) */
static uint8_t *r1__huge_aligned(uint8_t *p, size_t n) {
    p += (R1__HUGE_PAGE - (size_t)((uintptr_t)p % R1__HUGE_PAGE)) % R1__HUGE_PAGE;
    r1__hugepage_hint(p, n);
    return p;
}

/* n zeroed bytes of a buffer that is streamed deep into a context (the KV cache): with huge_pages,
   from 2 MiB up, aligned to 2 MiB and hinted for huge pages like the packed weights. Out of
   4 KiB pages, attention 32,768 rows deep (1.5B shape, 940 MB of float16 keys and values) took
   64-65 ms per token against 54-55 from 2 MiB ones: a TLB miss every 16 rows of 256 bytes, each
   a walk of two page tables under virtualization. Resident memory then grows by 2 MiB per plane
   (a layer's and head's keys or values) at a time. *mem gets what R1_FREE takes. */
static void *r1__calloc_streamed(size_t n, int huge_pages, void **mem) {
    uint8_t *p;
    if (!huge_pages || n < R1__HUGE_PAGE || n > SIZE_MAX - R1__HUGE_PAGE) return *mem = r1__calloc(n, 1);
    p = (uint8_t *)R1_CALLOC(n + R1__HUGE_PAGE, 1); /* (large: fresh zero pages, not written here) */
    *mem = p;
    return p ? r1__huge_aligned(p, n) : NULL;
}

/* Gives the file pages of tensor t back: after packing, the copy is what is read, and resident
   memory stays near the file's size. Only whole pages inside the tensor, and only when no other
   tensor's bytes share them (a hostile file may overlap tensors); each hole is recorded, kept
   in increasing order, for r1__unmap_model. */
static void r1__release_pages(r1_model *m, const r1__tensor *t) {
#if !defined(_WIN32)
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), lo, hi;
    const uint8_t *base = (const uint8_t *)m->mapping.addr, *p = t->data;
    size_t n = (size_t)t->nbytes;
    uint64_t k;
    int i;
    if (!base || !m->holes || page == 0 || p < base || p + n > base + m->mapping.size) return;
    lo = ((uintptr_t)p + page - 1) / page * page;
    hi = ((uintptr_t)p + n) / page * page;
    if (hi <= lo) return;
    for (k = 0; k < m->gguf.n_tensors; k++) {
        const r1__tensor *o = &m->gguf.tensors[k];
        if (o != t && (uintptr_t)o->data < hi && (uintptr_t)o->data + (uintptr_t)o->nbytes > lo) return;
    }
    if (munmap((void *)lo, (size_t)(hi - lo)) != 0) return;
    for (i = m->n_holes; i > 0 && m->holes[2 * (i - 1)] > lo; i--) {
        m->holes[2 * i] = m->holes[2 * (i - 1)];
        m->holes[2 * i + 1] = m->holes[2 * (i - 1) + 1];
    }
    m->holes[2 * i] = lo;
    m->holes[2 * i + 1] = hi;
    m->n_holes++;
#else
    (void)m; (void)t; /* a view cannot be partly unmapped: the pages stay until they age out */
#endif
}

/* The machine's physical memory in bytes; 0 where unknown. */
static uint64_t r1__physical_memory(void) {
#if defined(_WIN32)
    MEMORYSTATUSEX st;
    st.dwLength = sizeof st;
    return GlobalMemoryStatusEx(&st) ? (uint64_t)st.ullTotalPhys : 0;
#elif defined(_SC_PHYS_PAGES)
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : 0;
#else
    return 0;
#endif
}

/* Whether the routed experts get packed too. Packing reads every expert at load and keeps the
   copy resident (the file's pages are given back), so it is done only when they fit in half the
   machine's memory; a larger model keeps them mapped and reads each token's experts from the
   file. R1_PACK_EXPERTS=0 / 1 decides instead. */
static int r1__pack_experts(const r1_model *m) {
    const char *env = getenv("R1_PACK_EXPERTS");
    uint64_t bytes = 0;
    int l;
    if (env && *env) return strcmp(env, "0") != 0;
    for (l = 0; l < m->n_layer; l++) {
        const r1__layer *L = &m->layers[l];
        if (L->gate_exps.t) bytes += L->gate_exps.t->nbytes + L->up_exps.t->nbytes + L->down_exps.t->nbytes;
    }
    return bytes > 0 && bytes <= r1__physical_memory() / 2;
}

/* The CPUs online, at least 1. */
static int r1__cpu_count(void) {
#if defined(_WIN32)
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    return si.dwNumberOfProcessors > 0 ? (int)si.dwNumberOfProcessors : 1;
#elif defined(_SC_NPROCESSORS_ONLN)
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
#else
    return 1;
#endif
}

/* groups [g0, g1) of 8 rows of one matrix into its packed copy */
typedef struct r1__pack_job { const r1__weight *w; uint8_t *buf; } r1__pack_job;
static void r1__pack_range(void *arg, int g0, int g1) {
    const r1__pack_job *job = (const r1__pack_job *)arg;
    const r1__weight *w = job->w;
    int g;
    for (g = g0; g < g1; g++)
        r1__types[w->type].pack8(w->t->data + (size_t)g * 8 * w->row_bytes, w->row_bytes, w->n_in, job->buf + (size_t)g * 8 * w->row_bytes);
}

/* w's rows into buf (w->t->nbytes): each whole group of 8 packed, the rows after the last one
   copied as they are */
static void r1__pack_weight(r1__pool *pool, const r1__weight *w, uint8_t *buf) {
    size_t grouped = w->t->nbytes / w->row_bytes / 8 * 8 * w->row_bytes;
    r1__pack_job job;
    job.w = w;
    job.buf = buf;
    r1__parallel_for(pool, (int)(w->t->nbytes / w->row_bytes / 8), 16, r1__pack_range, &job);
    memcpy(buf + grouped, w->t->data + grouped, (size_t)(w->t->nbytes - grouped));
}

/* Packs every matrix that the kernels have a packed version of (rows in groups of 8, see 5b)
   into owned memory, once, at load. The token embedding (read by rows) stays as it is, and the
   routed experts unless r1__pack_experts says otherwise. R1_NO_REPACK turns it off.
   All packed matrices share one allocation, aligned to 2 MiB and hinted for huge pages
   (r1__hugepage_hint): with one buffer per matrix, a third of the bytes sat in the 4 KiB
   pages at the buffers' ends, and decode streamed 25-40 % slower from those. Out of memory
   leaves everything unpacked. The copy is written by a few threads for the time of the load
   (most of it is page faults on the new memory). */
#define R1__PACK_THREADS 4
static int r1__packable(const r1_model *m, const r1__weight *w, int experts) {
    uint64_t rows;
    if (!w->t || w->packed || w->packable == R1__PACK_NO || (w->packable == R1__PACK_EXPERTS && !experts)) return 0;
    if (!r1__kernels_of(m->kernels, w->type)->dotq8 || w->n_in % 32 != 0) return 0;
    rows = w->t->nbytes / w->row_bytes;
    if (rows / 8 > INT32_MAX || w->t->nbytes > SIZE_MAX) return 0;
    if (w->n_out % 8 != 0) /* one matrix whose last rows do not fill a group: they stay unpacked, after
                              the groups, and run on the row kernel (which a stack's matrices, each
                              n_out rows from the last, would not line up for) */
        return rows == (uint64_t)w->n_out && r1__kernels_of(m->kernels, w->type)->dotq;
    return rows % 8 == 0;
}

/* Every weight of the schemas, in order: the model's, then each layer's (NULL past the end). */
static r1__weight *r1__weight_at(r1_model *m, int k) {
    int n_model = R1__N_ROWS(r1__model_schema), n_layer = R1__N_ROWS(r1__layer_schema);
    const r1__tensor_row *row;
    void *base;
    if (k < n_model) row = &r1__model_schema[k], base = m;
    else if (k - n_model < m->n_layer * n_layer) row = &r1__layer_schema[(k - n_model) % n_layer], base = &m->layers[(k - n_model) / n_layer];
    else return NULL;
    return row->kind == R1__T_VECTOR ? NULL : (r1__weight *)((char *)base + row->offset);
}

static void r1__repack(r1_model *m) {
    int l, k, n_slots, n_pack = 0, experts;
    size_t total = 0, at = 0;
    uint8_t *arena, *base;
    r1__pool pool;
    if (!m->kernels->repack || r1__env_flag("R1_NO_REPACK")) return;
    experts = r1__pack_experts(m);
    n_slots = R1__N_ROWS(r1__model_schema) + m->n_layer * R1__N_ROWS(r1__layer_schema);
    for (k = 0; k < n_slots; k++) { /* each matrix starts on a cache line */
        r1__weight *w = r1__weight_at(m, k);
        if (w && r1__packable(m, w, experts)) total += ((size_t)w->t->nbytes + 63) / 64 * 64, n_pack++;
    }
    if (n_pack == 0) return;
    m->packed = (uint8_t **)r1__calloc(1, sizeof(uint8_t *));
    m->holes = (uintptr_t *)r1__calloc((size_t)n_pack * 2 + 2, sizeof(uintptr_t));
    if (!m->packed || !m->holes || total > SIZE_MAX - R1__HUGE_PAGE || !(arena = (uint8_t *)R1_MALLOC(total + R1__HUGE_PAGE))) return;
    base = r1__huge_aligned(arena, total);
    m->packed[m->n_packed++] = arena;
    {
        int cpus = r1__cpu_count();
        if (r1__pool_init(&pool, cpus < R1__PACK_THREADS ? cpus : R1__PACK_THREADS, NULL) != R1_OK) r1__pool_init(&pool, 1, NULL);
    }
    for (k = 0; k < n_slots; k++) {
        r1__weight *w = r1__weight_at(m, k);
        uint8_t *buf = base + at;
        if (!w || !r1__packable(m, w, experts)) continue;
        at += ((size_t)w->t->nbytes + 63) / 64 * 64;
        r1__pack_weight(&pool, w, buf);
        w->data = buf;
        w->packed = 1;
        r1__release_pages(m, w->t);
    }
    r1__pool_destroy(&pool);
    for (l = 0; l < m->n_layer; l++) r1__make_views(m, &m->layers[l]); /* the views follow their packed rows */
}

static struct r1_tokenizer *r1__tokenizer_build(const r1__gguf *g, r1_error *err);
R1_API void r1_tokenizer_free(struct r1_tokenizer *t);

/* The vocabulary's size against the embedding's rows, before anything is built from it. */
static r1_status r1__check_vocab_rows(const r1_model *m, r1_error *err) {
    const r1__kv *toks = r1__gguf_find(&m->gguf, "tokenizer.ggml.tokens");
    if (toks && toks->type == R1__GGUF_ARRAY && toks->arr_n > (uint64_t)m->n_vocab)
        return r1__fail(err, R1_ERR_FORMAT, "model: the tokenizer has %llu tokens but token_embd.weight only %d rows",
                        (unsigned long long)toks->arr_n, m->n_vocab);
    return R1_OK;
}

static r1_model *r1__model_from(r1_model *m, const void *data, size_t size, r1_error *err) {
    int ok = r1__gguf_parse(&m->gguf, data, size, err) == R1_OK && r1__model_init(m, err) == R1_OK &&
             r1__check_vocab_rows(m, err) == R1_OK;
    if (ok) {
        m->tokenizer = r1__tokenizer_build(&m->gguf, err);
        if (!m->tokenizer && err && err->code != R1_OK) ok = 0;
    }
    if (ok) ok = (m->kernels = r1__pick_kernels(err)) != NULL;
    if (ok) ok = (m->stream_ahead = r1__stream_ahead(err)) >= 0;
    if (ok) r1__repack(m);
    if (!ok) {
        r1_tokenizer_free(m->tokenizer);
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
    r1_tokenizer_free(m->tokenizer);
    r1__model_free_owned(m);
    r1__gguf_free(&m->gguf);
    r1__unmap_model(m);
    R1_FREE(m);
}

R1_API const char *r1_model_arch(const r1_model *m) { return m ? m->arch_name : NULL; }
R1_API const char *r1_model_isa(const r1_model *m) { return m && m->kernels ? m->kernels->name : NULL; }
R1_API const struct r1_tokenizer *r1_model_tokenizer(const r1_model *m) { return m ? m->tokenizer : NULL; }
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

/* Bytes that n cache elements take in a cache of kv_type (n a multiple of 32 for Q8_0). */
static size_t r1__kv_bytes(int kv_type, size_t n) {
    return kv_type == R1_KV_Q8_0 ? n / 32 * sizeof(r1_block_q8_0) : n * (kv_type == R1_KV_F16 ? sizeof(uint16_t) : sizeof(float));
}

R1_API size_t r1_model_kv_bytes_per_token(const r1_model *m) {
    uint64_t k, v;
    if (!m) return 0;
    return (size_t)(r1__kv_floats_per_token_layer(m, &k, &v) * (uint64_t)m->n_layer * sizeof(float));
}

R1_API size_t r1_model_bytes_per_token(const r1_model *m) {
    double total = 0.0;
    uint64_t i;
    if (!m) return 0;
    for (i = 0; i < m->gguf.n_tensors; i++) {
        const r1__tensor *t = &m->gguf.tensors[i];
        double bytes = (double)t->nbytes;
        if (t == m->tok_embd.t && m->output.t != t) bytes = (double)m->tok_embd.row_bytes;
        else if (t->n_dims == 3 && m->n_expert > 0 && t->ne[2] == m->n_expert) /* ffn_*_exps */
            bytes *= (double)m->n_expert_used / (double)m->n_expert;
        total += bytes;
    }
    return (size_t)total;
}

/* ======================================================================================
   8. FORWARD PASS
   ====================================================================================== */

#define R1__BATCH 64          /* prompt tokens per forward pass: each weight is read from memory once per
                                 batch (64 rather than 32: prefill 5-14 % faster on the 1.5B shape) */
#define R1__BATCH_MOE 128     /* the same for a model with routed experts: each expert sees only the
                                 tokens routed to it (64 tokens gave a DeepSeek-V2-Lite expert 6 on
                                 average, mostly below the matrix unit's threshold, and read every
                                 expert's weights twice for a 128-token prompt); 128 made its pp128
                                 15-19 % faster, pp512 12-16 % (256: no more at pp512, with 30 MB
                                 more scratch; a dense model's prefill was 5-10 % slower at 128) */
#define R1__BATCH_MAX 128     /* the larger of the two: the batch arrays' size */
#define R1__MOE_HERE 16       /* an expert routed at most this many of a batch's tokens runs whole on one
                                 thread (its gate, up, silu and down, no hand-off between them), while
                                 the pool's other threads run other experts: see r1__moe (at most
                                 16: r1__matmul_here fills one group of the matrix unit's columns) */
#define R1__ATTN_CHUNK 512    /* cache rows per attention chunk: each chunk's softmax and weighted sum
                                 are computed alone, then folded in row order (see "Attention over
                                 the cache"), so results depend on this and not on threads or batching */
#define R1__ATTN_QUERIES 48   /* a batch's tokens attend several at a time, up to this many queries
                                 (tokens x the heads of a group) per piece: each chunk of cache rows
                                 is read once for all of them, not once per token */
static int r1__attn_width(const r1_model *m);
static size_t r1__attn_scratch_floats(const r1_model *m);

struct r1_context {
    r1_model *model;
    int n_ctx;                /* rows of the KV cache, shared by all sequences */
    int n_seq;                /* sequences; r1_eval extends sequence 0 */
    int *seq_len;             /* [n_seq] tokens in each sequence */
    int32_t *seq_rows;        /* [n_seq][n_ctx] the cache row holding each sequence position */
    int32_t *row_refs;        /* [n_ctx] sequences using each row (forks share rows) */
    int32_t *free_rows;       /* [n_ctx] stack of unused rows */
    int n_free;
    int32_t *row_token;       /* [n_ctx] the token each used row holds (for saved sessions) */
    int abort_requested;      /* set by r1_context_abort, taken by the evaluation that sees it */
    int n_batch;              /* prompt tokens per forward pass: R1__BATCH, or R1__BATCH_MOE */
    int batch_seq[R1__BATCH_MAX]; /* the batch being evaluated: each token's sequence, */
    int batch_pos[R1__BATCH_MAX]; /* position in it, */
    int batch_row[R1__BATCH_MAX]; /* and cache row */
    float *k_new, *v_new;     /* [n_batch][kv_k], [n_batch][kv_v] the batch's cache rows before scattering */
    r1__pool pool;
    size_t kv_k, kv_v;        /* elements per token and layer in each cache */
    int kv_heads;             /* planes per layer in each cache: the KV heads (1 for MLA's latent) */
    int kv_type;              /* R1_KV_F32 (float elements), R1_KV_F16 (uint16_t) or R1_KV_Q8_0
                                 (r1_block_q8_0, 32 elements each): never R1_KV_AUTO */
    void *k_cache;            /* [n_layer][kv_heads][n_ctx][kv_k / kv_heads]: keys, or MLA's [latent | rope key] */
    void *v_cache;            /* [n_layer][kv_heads][n_ctx][kv_v / kv_heads]: values (unused by MLA) */
    void *k_cache_mem;        /* the allocations behind k_cache and v_cache (r1__calloc_streamed) */
    void *v_cache_mem;
    float *inv_freq;          /* [n_rot/2] rotary frequencies, float32 as the reference computes them */
    float *rope_cs;           /* [n_batch][n_rot] each batch token's cosines, then sines, of its angles */
    /* scratch activations for a batch of up to n_batch tokens, one row each */
    int x_wide;               /* max(n_embd, n_head*head_dim_v): row stride of xb */
    int q_stride;             /* n_head * head_dim_k */
    int ff_stride;            /* max(n_ff, n_ff_exp * max(n_shared, 1)) */
    int xq_stride;            /* int8 blocks per row of xq */
    float *x;                 /* [B][n_embd] the residual streams */
    float *xb;                /* [B][x_wide] normed input / attention output */
    float *xb2;               /* [B][n_embd] a projection's output */
    float *moe_out;           /* [n_embd] sum of one token's experts' outputs */
    float *q;                 /* [B][q_stride] */
    float *q_a;               /* [B][max(q_lora, 1)] MLA's compressed query */
    float *q_abs;             /* [n_head * kv_lora] MLA: one token's queries absorbed into latent
                                 space, when its chunks are spread over the pool */
    float *mla_latent;        /* [B][n_head][kv_lora] MLA, a batch: each token and head's absorbed query (one
                                 matmul per head), then in its place that head's output in latent space */
    float *gate, *up;         /* [B][ff_stride] */
    float *router;            /* [B][n_expert] router logits, then scores */
    int *chosen;              /* [B][n_expert_used] each token's experts, in routing order */
    float *expert_w;          /* [B][n_expert_used] their weights */
    int *slot;                /* [B] (token, choice) slots of the tokens one expert runs on */
    float *moe_in;            /* [B][n_embd] those tokens' inputs, gathered */
    r1_block_q8x *moe_xq;     /* [B][xq_stride] the batch's expert inputs quantized once, when the
                                 experts' gate and up take quantized inputs (then gathered from here
                                 into xq per expert, instead of quantized again by each expert) */
    float *moe_parts;         /* [B][n_expert_used][n_embd] each chosen expert's output */
    int *expert_first;        /* [n_expert + 1] where each expert's slots start in `slot` (the
                                 batch's routing, sorted by expert) */
    int *expert_order;        /* [n_expert] the experts that run whole on one thread, most tokens first */
    r1_block_q8x *moe_t_xq;   /* [n_threads][R1__MOE_HERE][xq_stride] such an expert's inputs, quantized */
    r1_block_q8x16 *moe_t_xq16; /* [n_threads][xq_stride] the same by 16 columns (the matrix unit) */
    float *moe_t_ff;          /* [n_threads][2][R1__MOE_HERE][n_ff_exp] its gate, then up outputs */
    float *moe_t_io;          /* [n_threads][R1__MOE_HERE][n_embd] its inputs as floats, then its outputs */
    float *attn_scratch;      /* [n_threads][attn_scratch_stride] each pool thread's attention
                                 scratch (r1__attn_scratch) */
    size_t attn_scratch_stride;
    float *attn_part;         /* [n_head][chunks of n_ctx][w + 2] one token's chunk partials, when
                                 they are spread over the pool (w: r1__attn_width) */
    float *logits;            /* [n_vocab] */
    const r1__kernels *kernels; /* the integer dot products this CPU runs best */
    r1_block_q8x *xq;         /* [B][xq_stride] a matmul's inputs, quantized to int8 blocks */
    r1_block_q8x16 *xq16;     /* [B / 16][xq_stride] the same in groups of 16 columns, for the
                                 matrix-unit kernels (NULL when the CPU has none) */
    r1_block_q8x *xq_thread;  /* [n_threads][xq_stride] each pool thread's own (MLA's small matrices) */
    /* r1_gen_step's lists, kept between steps (grown to the most generations stepped at once) */
    int step_cap;             /* generations they have room for */
    int32_t *step_tok;        /* [step_cap * R1__FEED_MAX] the tokens to append, */
    int *step_seq;            /* [step_cap * R1__FEED_MAX] their sequences, */
    int *step_who;            /* [step_cap] which generation each last token belongs to */
    float *step_logits;       /* [step_cap][n_vocab] the last tokens' logits */
};

R1_API r1_context_params r1_context_default_params(void) {
    r1_context_params p;
    p.n_ctx = 0;
    p.n_threads = 1;
    p.n_seq = 1;
    p.kv_type = R1_KV_AUTO;
    p.oversubscribe = 0;
    p.kv_small_pages = 0;
    return p;
}

R1_API void r1_context_free(r1_context *c) {
    if (!c) return;
    r1__pool_destroy(&c->pool);
    R1_FREE(c->k_cache_mem); R1_FREE(c->v_cache_mem); R1_FREE(c->inv_freq); R1_FREE(c->rope_cs);
    R1_FREE(c->x); R1_FREE(c->xb); R1_FREE(c->xb2); R1_FREE(c->moe_out); R1_FREE(c->q);
    R1_FREE(c->q_a); R1_FREE(c->q_abs); R1_FREE(c->mla_latent); R1_FREE(c->attn_part); R1_FREE(c->attn_scratch);
    R1_FREE(c->gate); R1_FREE(c->up); R1_FREE(c->router); R1_FREE(c->logits);
    R1_FREE(c->chosen); R1_FREE(c->expert_w); R1_FREE(c->slot); R1_FREE(c->moe_in); R1_FREE(c->moe_xq); R1_FREE(c->moe_parts);
    R1_FREE(c->expert_first); R1_FREE(c->expert_order); R1_FREE(c->moe_t_xq); R1_FREE(c->moe_t_xq16); R1_FREE(c->moe_t_ff);
    R1_FREE(c->moe_t_io);
    R1_FREE(c->xq); R1_FREE(c->xq16); R1_FREE(c->xq_thread);
    R1_FREE(c->seq_len); R1_FREE(c->seq_rows); R1_FREE(c->row_refs); R1_FREE(c->free_rows); R1_FREE(c->row_token);
    R1_FREE(c->k_new); R1_FREE(c->v_new);
    R1_FREE(c->step_tok); R1_FREE(c->step_seq); R1_FREE(c->step_who); R1_FREE(c->step_logits);
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
    if (p.n_seq < 0 || p.n_seq > 4096) { r1__fail(err, R1_ERR_ARGUMENT, "r1_context_new: n_seq must be in [0, 4096], got %d", p.n_seq); return NULL; }
    if (p.kv_type < R1_KV_AUTO || p.kv_type > R1_KV_Q8_0) {
        r1__fail(err, R1_ERR_ARGUMENT, "r1_context_new: kv_type must be R1_KV_AUTO, R1_KV_F32, R1_KV_F16 or R1_KV_Q8_0, got %d",
                 p.kv_type);
        return NULL;
    }
    if (p.n_seq == 0) p.n_seq = 1;
    if (!p.oversubscribe && p.n_threads > r1__cpu_count()) p.n_threads = r1__cpu_count();
    if (p.n_ctx == 0) p.n_ctx = m->n_ctx_train > 0 && m->n_ctx_train < R1_DEFAULT_CTX ? m->n_ctx_train : R1_DEFAULT_CTX;
    c = (r1_context *)r1__calloc(1, sizeof *c);
    if (!c) { r1__fail(err, R1_ERR_MEMORY, "out of memory"); return NULL; }
    c->model = m;
    c->n_ctx = p.n_ctx;
    c->n_batch = m->arch->moe ? R1__BATCH_MOE : R1__BATCH;
    r1__kv_floats_per_token_layer(m, &k, &v);
    c->kv_k = (size_t)k;
    c->kv_v = (size_t)v;
    c->kv_heads = m->arch->mla ? 1 : m->n_head_kv;
    if (p.kv_type == R1_KV_AUTO) { /* wo is in every architecture and has the file's main type */
        int t = m->layers[0].wo.type;
        p.kv_type = t == R1_TYPE_F32 || t == R1_TYPE_F16 || t == R1_TYPE_BF16 || t == R1_TYPE_Q8_0 ? R1_KV_F32 : R1_KV_F16;
    }
    c->kv_type = p.kv_type;
    if (c->kv_type == R1_KV_Q8_0 && (c->kv_k / (size_t)c->kv_heads % 32 || c->kv_v / (size_t)c->kv_heads % 32 ||
                                     (m->arch->mla && m->kv_lora % 32))) {
        r1__fail(err, R1_ERR_ARGUMENT, "r1_context_new: a Q8_0 cache needs rows of whole blocks of 32; this model's are %zu wide%s",
                 c->kv_k / (size_t)c->kv_heads, m->arch->mla ? " (latent and rope key)" : " (keys)");
        r1_context_free(c);
        return NULL;
    }
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
    c->k_cache = r1__calloc_streamed(r1__kv_bytes(c->kv_type, (size_t)kv_k) + 1, !p.kv_small_pages, &c->k_cache_mem);
    c->v_cache = r1__calloc_streamed(r1__kv_bytes(c->kv_type, (size_t)kv_v) + 1, !p.kv_small_pages, &c->v_cache_mem);
    c->inv_freq = (float *)r1__calloc((size_t)m->n_rot / 2 + 1, sizeof(float));
    c->rope_cs = (float *)r1__calloc((size_t)c->n_batch * m->n_rot + 1, sizeof(float));
    c->x_wide = wide;
    c->q_stride = m->n_head * m->head_dim_k;
    c->ff_stride = ff;
    c->x = (float *)r1__calloc((size_t)c->n_batch * m->n_embd, sizeof(float));
    c->xb = (float *)r1__calloc((size_t)c->n_batch * wide, sizeof(float));
    c->xb2 = (float *)r1__calloc((size_t)c->n_batch * m->n_embd, sizeof(float));
    c->moe_out = (float *)r1__calloc((size_t)m->n_embd, sizeof(float));
    c->q = (float *)r1__calloc((size_t)c->n_batch * c->q_stride, sizeof(float));
    c->q_a = (float *)r1__calloc((size_t)c->n_batch * (m->q_lora + 1), sizeof(float));
    c->q_abs = (float *)r1__calloc((size_t)m->n_head * m->kv_lora + 1, sizeof(float));
    c->mla_latent = (float *)r1__calloc(m->arch->mla ? (size_t)c->n_batch * m->n_head * m->kv_lora : 1, sizeof(float));
    c->gate = (float *)r1__calloc((size_t)c->n_batch * ff, sizeof(float));
    c->up = (float *)r1__calloc((size_t)c->n_batch * ff, sizeof(float));
    c->router = (float *)r1__calloc((size_t)c->n_batch * m->n_expert + 1, sizeof(float));
    c->chosen = (int *)r1__calloc((size_t)c->n_batch * m->n_expert_used + 1, sizeof(int));
    c->expert_w = (float *)r1__calloc((size_t)c->n_batch * m->n_expert_used + 1, sizeof(float));
    c->slot = (int *)r1__calloc((size_t)c->n_batch * m->n_expert_used + 1, sizeof(int));
    c->moe_in = (float *)r1__calloc(m->arch->moe ? (size_t)c->n_batch * m->n_embd : 1, sizeof(float));
    c->moe_parts = (float *)r1__calloc(m->arch->moe ? (size_t)c->n_batch * m->n_expert_used * m->n_embd : 1, sizeof(float));
    c->attn_scratch_stride = r1__attn_scratch_floats(m);
    c->attn_scratch = (float *)r1__calloc((size_t)p.n_threads * c->attn_scratch_stride, sizeof(float));
    c->attn_part = (float *)r1__calloc((size_t)m->n_head * (size_t)((p.n_ctx + R1__ATTN_CHUNK - 1) / R1__ATTN_CHUNK) *
                                       ((size_t)r1__attn_width(m) + 2), sizeof(float));
    c->logits = (float *)r1__calloc((size_t)m->n_vocab, sizeof(float));
    {   /* the widest matvec input: the residual, the feed-forward, the attention output, the LoRAs */
        int widest = wide > ff ? wide : ff;
        if (m->n_head * m->head_dim_k > widest) widest = m->n_head * m->head_dim_k;
        if (m->q_lora > widest) widest = m->q_lora;
        if (m->kv_lora > widest) widest = m->kv_lora;
        c->xq_stride = widest / 32 + 1;
        c->xq = (r1_block_q8x *)r1__calloc((size_t)c->n_batch * c->xq_stride, sizeof(r1_block_q8x));
        if (r1__has_amx(m->kernels))
            c->xq16 = (r1_block_q8x16 *)r1__calloc((size_t)(c->n_batch + 15) / 16 * c->xq_stride, sizeof(r1_block_q8x16));
        c->xq_thread = (r1_block_q8x *)r1__calloc((size_t)p.n_threads * c->xq_stride, sizeof(r1_block_q8x));
        c->moe_xq = (r1_block_q8x *)r1__calloc(m->arch->moe ? (size_t)c->n_batch * c->xq_stride : 1, sizeof(r1_block_q8x));
        if (m->arch->moe) { /* the experts that run whole on one thread: each thread's scratch */
            size_t nt = (size_t)p.n_threads;
            c->moe_t_xq = (r1_block_q8x *)r1__calloc(nt * R1__MOE_HERE * c->xq_stride, sizeof(r1_block_q8x));
            if (r1__has_amx(m->kernels)) c->moe_t_xq16 = (r1_block_q8x16 *)r1__calloc(nt * c->xq_stride, sizeof(r1_block_q8x16));
            c->moe_t_ff = (float *)r1__calloc(nt * 2 * R1__MOE_HERE * (size_t)m->n_ff_exp, sizeof(float));
            c->moe_t_io = (float *)r1__calloc(nt * R1__MOE_HERE * (size_t)m->n_embd, sizeof(float));
        }
    }
    c->expert_first = (int *)r1__calloc((size_t)m->n_expert + 1, sizeof(int));
    c->expert_order = (int *)r1__calloc((size_t)m->n_expert + 1, sizeof(int));
    c->kernels = m->kernels; /* the ones the model's matrices were packed for */
    c->n_seq = p.n_seq;
    c->seq_len = (int *)r1__calloc((size_t)p.n_seq, sizeof(int));
    c->seq_rows = (int32_t *)r1__calloc((size_t)p.n_seq * (size_t)p.n_ctx, sizeof(int32_t));
    c->row_refs = (int32_t *)r1__calloc((size_t)p.n_ctx, sizeof(int32_t));
    c->free_rows = (int32_t *)r1__calloc((size_t)p.n_ctx, sizeof(int32_t));
    c->row_token = (int32_t *)r1__calloc((size_t)p.n_ctx, sizeof(int32_t));
    c->k_new = (float *)r1__calloc((size_t)c->n_batch * c->kv_k + 1, sizeof(float));
    c->v_new = (float *)r1__calloc((size_t)c->n_batch * c->kv_v + 1, sizeof(float));
    if (!c->seq_len || !c->seq_rows || !c->row_refs || !c->free_rows || !c->row_token || !c->k_new || !c->v_new ||
        !c->xq || (r1__has_amx(m->kernels) && !c->xq16) || !c->k_cache || !c->v_cache || !c->inv_freq || !c->rope_cs || !c->x || !c->xb || !c->xb2 || !c->moe_out || !c->q || !c->q_a ||
        !c->q_abs || !c->mla_latent || !c->attn_scratch || !c->attn_part || !c->gate || !c->up || !c->router || !c->logits || !c->chosen ||
        !c->expert_w || !c->slot || !c->moe_in || !c->moe_xq || !c->moe_parts || !c->xq_thread || !c->expert_first || !c->expert_order ||
        (m->arch->moe && (!c->moe_t_xq || (r1__has_amx(m->kernels) && !c->moe_t_xq16) || !c->moe_t_ff || !c->moe_t_io))) {
        r1__fail(err, R1_ERR_MEMORY, "r1_context_new: out of memory for a context of %d tokens", p.n_ctx);
        r1_context_free(c);
        return NULL;
    }
    r1__init_inv_freq(m, c->inv_freq);
    r1_context_reset(c);
    if (r1__pool_init(&c->pool, p.n_threads, err) != R1_OK) { r1_context_free(c); return NULL; }
    r1__ok(err);
    return c;
}

/* The abort flag: raised from another thread or a signal handler, taken between layers. */
#if R1__GNU
static int r1__abort_take(int *flag) { return __atomic_exchange_n(flag, 0, __ATOMIC_ACQ_REL); }
static void r1__abort_raise(int *flag) { __atomic_store_n(flag, 1, __ATOMIC_RELEASE); }
#else
static int r1__abort_take(int *flag) {
    volatile int *f = flag;
    int v = *f;
    if (v) *f = 0;
    return v;
}
static void r1__abort_raise(int *flag) { *(volatile int *)flag = 1; }
#endif

R1_API void r1_context_abort(r1_context *c) {
    if (c) r1__abort_raise(&c->abort_requested);
}

R1_API const float *r1_context_logits(const r1_context *c) { return c ? c->logits : NULL; }
R1_API int r1_context_n_past(const r1_context *c) { return c ? c->seq_len[0] : 0; }
R1_API int r1_context_n_ctx(const r1_context *c) { return c ? c->n_ctx : 0; }
R1_API int r1_context_n_seq(const r1_context *c) { return c ? c->n_seq : 0; }
R1_API int r1_context_n_threads(const r1_context *c) { return c ? c->pool.n_threads : 0; }
R1_API int r1_context_n_free(const r1_context *c) { return c ? c->n_free : 0; }

R1_API size_t r1_context_kv_bytes_per_token(const r1_context *c) {
    if (!c) return 0;
    return r1__kv_bytes(c->kv_type, r1_model_kv_bytes_per_token(c->model) / sizeof(float));
}
R1_API int r1_seq_n_past(const r1_context *c, int seq) { return c && seq >= 0 && seq < c->n_seq ? c->seq_len[seq] : 0; }

R1_API void r1_context_reset(r1_context *c) {
    int i;
    if (!c) return;
    for (i = 0; i < c->n_seq; i++) c->seq_len[i] = 0;
    for (i = 0; i < c->n_ctx; i++) {
        c->row_refs[i] = 0;
        c->free_rows[i] = c->n_ctx - 1 - i; /* popped from the end: rows 0, 1, 2, ... in order */
    }
    c->n_free = c->n_ctx;
}

/* Drop a sequence's positions from n_keep on; rows no other sequence uses become free. */
static void r1__seq_cut(r1_context *c, int seq, int n_keep) {
    int32_t *rows = c->seq_rows + (size_t)seq * c->n_ctx;
    int p;
    for (p = c->seq_len[seq] - 1; p >= n_keep; p--)
        if (--c->row_refs[rows[p]] == 0) c->free_rows[c->n_free++] = rows[p];
    c->seq_len[seq] = n_keep;
}

R1_API r1_status r1_seq_truncate(r1_context *c, int seq, int n_keep) {
    if (!c || seq < 0 || seq >= c->n_seq || n_keep < 0 || n_keep > c->seq_len[seq]) return R1_ERR_ARGUMENT;
    r1__seq_cut(c, seq, n_keep);
    return R1_OK;
}

R1_API r1_status r1_context_truncate(r1_context *c, int n_keep) { return r1_seq_truncate(c, 0, n_keep); }

R1_API r1_status r1_seq_fork(r1_context *c, int dst, int src, r1_error *err) {
    int p, n;
    if (!c) return r1__fail(err, R1_ERR_ARGUMENT, "r1_seq_fork: context is NULL");
    if (src < 0 || src >= c->n_seq || dst < 0 || dst >= c->n_seq)
        return r1__fail(err, R1_ERR_ARGUMENT, "r1_seq_fork: sequences must be in [0, %d), got %d -> %d", c->n_seq, src, dst);
    if (src != dst) {
        r1__seq_cut(c, dst, 0);
        n = c->seq_len[src];
        for (p = 0; p < n; p++) {
            int32_t row = c->seq_rows[(size_t)src * c->n_ctx + p];
            c->seq_rows[(size_t)dst * c->n_ctx + p] = row;
            c->row_refs[row]++;
        }
        c->seq_len[dst] = n;
    }
    r1__ok(err);
    return R1_OK;
}

/* Y = W X for a batch of n inputs, for up to R1__MAX_FUSED matrices that read the same inputs
   (q, k and v; gate and up) in one job: the inputs are quantized once, and the threads meet once.
   Rows are handed out in chunks of groups of 8, each thread's from a contiguous run of its own
   (r1__matvec_worker), and a thread that streams faster takes the others' next chunks; each
   row's result comes from the same code whoever computes it, so results never depend on the
   thread count. Every input runs through a chunk's rows while they
   are in cache: a weight is read once per batch. */
#define R1__MAX_FUSED 3
/* Batches at least this wide go to the matrix unit, where there is one: a call costs about the
   same for 6 columns as for 16, while the 512-bit kernels take up to 8 (R1__TILE16) in one pass
   over the weights, which their L2 prefetch streams from memory behind the arithmetic. Where
   the type's tile preparation is dear (the k-quants' sub-block scales) the vector kernels stay
   ahead longer: 1.5B shape, verifying k tokens, ms on the unit / the vector kernels: Q4_K_M
   k = 9, 12, 14, 16: 98 / 79, 101 / 89, 104 / 93-100, 109 / 116; Q8_0 k = 9-14 1.45-1.57 x one
   token on the unit against 1.55-1.95 x on the vector kernels. */
static int r1__amx_min_cols(int type) {
    return type == R1_TYPE_Q8_0 || type == R1_TYPE_Q4_0 ? 9 : 15;
}
#define R1__SMALL_BATCH 16     /* batches up to this wide run each row group through all their inputs */
#define R1__CHUNKS_PER_THREAD 8 /* per matrix: enough to even out, few enough that the counters stay cold */
#define R1__MAX_RUNS 64         /* threads with a run of chunks of their own (more help the others) */
typedef struct r1__claim { int next; char pad[60]; } r1__claim; /* a run's next chunk, alone on its cache line */
typedef struct r1__matvec_job {
    int n_mat;                         /* matrices in this job */
    r1__matrix w[R1__MAX_FUSED];
    float *y[R1__MAX_FUSED];           /* [n][y_stride[i]] */
    int y_stride[R1__MAX_FUSED];
    r1__dotq_fn dotq[R1__MAX_FUSED];   /* integer path: the inputs quantized into xq */
    r1__dotq8_fn dotq8[R1__MAX_FUSED]; /* the same over rows packed by 8 */
    r1__dotq16_fn dotq16[R1__MAX_FUSED]; /* and two such groups at once (or NULL) */
    r1__dotamx_fn dotamx[R1__MAX_FUSED]; /* two groups against a batch on the matrix unit (or NULL) */
    int chunk[R1__MAX_FUSED];          /* groups of 8 rows per chunk */
    int first_chunk[R1__MAX_FUSED + 1];/* matrix i owns chunks [first_chunk[i], first_chunk[i + 1]) */
    const float *x;                    /* [n][x_stride] */
    int n, x_stride, xq_stride;
    const r1_block_q8x *xq;            /* [n][xq_stride] */
    r1_block_q8x16 *xq16;              /* [(n + 15) / 16][xq_stride] the same by 16 columns, when a
                                          matrix of the job runs on the matrix unit (else NULL) */
    void (*quantize)(const float *x, r1_block_q8x *out, int n); /* the context's quantizer */
    int stream_ahead;                  /* bytes the kernels prefetch ahead for one input column */
    int decode_two_groups;             /* one input through the two-group kernels (r1__kernels) */
    int n_runs;                        /* the chunks split into this many runs, */
    r1__claim claim[R1__MAX_RUNS];     /* each taken in order from claim[run].next (atomic) */
} r1__matvec_job;

/* 8 h packed rows from row r of matrix i (h = 2: the two-group kernel) times inputs b .. b + R1__TILE16
   (the 8-row kernels take them R1__TILE at a time) */
static void r1__matvec_tile(const r1__matvec_job *job, int i, int r, int h, int b, float *tile) {
    const r1__matrix *w = &job->w[i];
    const r1_block_q8x *xq = job->xq + (size_t)b * job->xq_stride;
    float *y = job->y[i];
    int ys = job->y_stride[i], nb = w->n_in / 32, n = job->n - b < R1__TILE16 ? job->n - b : R1__TILE16, c, c0, k;
    if (h == 2) {
        job->dotq16[i](w->data + (size_t)r * w->row_bytes, 8 * w->row_bytes, xq, job->xq_stride, nb, n, job->stream_ahead, tile);
        for (c = 0; c < n; c++)
            for (k = 0; k < 16; k++) y[(size_t)(b + c) * ys + r + k] = tile[8 * R1__TILE16 * (k / 8) + 8 * c + k % 8];
        return;
    }
    for (c0 = 0; c0 < n; c0 += R1__TILE) {
        int nc = n - c0 < R1__TILE ? n - c0 : R1__TILE;
        job->dotq8[i](w->data + (size_t)r * w->row_bytes, xq + (size_t)c0 * job->xq_stride, job->xq_stride, nb, nc, job->stream_ahead, tile);
        for (c = 0; c < nc; c++)
            for (k = 0; k < 8; k++) y[(size_t)(b + c0 + c) * ys + r + k] = tile[8 * c + k];
    }
}

/* rows [r0, r1) of matrix i, every input */
static void r1__matvec_rows(const r1__matvec_job *job, int i, int r0, int r1) {
    const r1__matrix *w = &job->w[i];
    float *y = job->y[i], tile[2 * 8 * R1__TILE16];
    int ys = job->y_stride[i], nb = w->n_in / 32, r, b, c, k, h = 1;
    if (job->dotq8[i]) { /* rows packed by 8: two groups at a time for a batch, where the type has it */
        /* a packed matrix's last n_out % 8 rows (a vocabulary that is not a multiple of 8) stay
           as they were, after the groups: they run row by row below */
        int rows_end = r1;
        r1 = r1 < w->n_out / 8 * 8 ? r1 : w->n_out / 8 * 8;
        for (r = r0; r < r1; r += 8 * h) {
            if (job->dotamx[i] && job->xq16 && r + 16 <= r1) { /* the same bits on the matrix unit, 16 columns a call */
                float sums[16 * 16];
                h = 2;
                for (b = 0; b < job->n; b += 16) {
                    int nc = job->n - b < 16 ? job->n - b : 16;
                    job->dotamx[i](w->data + (size_t)r * w->row_bytes, 8 * w->row_bytes, job->xq16 + (size_t)(b / 16) * job->xq_stride,
                                   nb, nc, sums);
                    for (c = 0; c < nc; c++) memcpy(y + (size_t)(b + c) * ys + r, sums + 16 * c, 16 * sizeof(float));
                }
                continue;
            }
            break;
        }
        /* the vector kernels. A large batch (a prompt) takes a tile of inputs at a time through
           all the chunk's rows, so the inputs stay in L1 while the chunk's weights come from L2
           (row groups outside would stream the whole batch from memory once per group); a small
           one (several sequences decoding) takes each row group through all its inputs, so
           weights read from memory once serve them all from L1 */
        if (job->n <= R1__SMALL_BATCH) {
            for (; r < r1; r += 8 * h) {
                h = job->dotq16[i] && (job->n > 1 || job->decode_two_groups) && r + 16 <= r1 ? 2 : 1;
                for (b = 0; b < job->n; b += R1__TILE16) r1__matvec_tile(job, i, r, h, b, tile);
            }
        } else {
            for (b = 0; b < job->n && r < r1; b += R1__TILE16) {
                int rr;
                for (rr = r; rr < r1; rr += 8 * h) {
                    h = job->dotq16[i] && rr + 16 <= r1 ? 2 : 1;
                    r1__matvec_tile(job, i, rr, h, b, tile);
                }
            }
        }
        if (rows_end <= r1) return;
        r0 = r1 > r0 ? r1 : r0, r1 = rows_end;
    }
    for (r = r0; r < r1; r++) {
        const uint8_t *row = w->data + (size_t)r * w->row_bytes;
        if (job->dotq[i]) { /* R1__ROWS rows x R1__TILE inputs per call: each block read once per tile */
            /* rows in pairs only for batches: one token's matvec streams faster one row at a time */
            int nr = r + 1 < r1 && job->n > 1 ? R1__ROWS : 1;
            for (b = 0; b < job->n; b += R1__TILE) {
                int nc = job->n - b < R1__TILE ? job->n - b : R1__TILE;
                job->dotq[i](row, w->row_bytes, nr, job->xq + (size_t)b * job->xq_stride, job->xq_stride, nb, nc, tile);
                for (k = 0; k < nr; k++)
                    for (c = 0; c < nc; c++) y[(size_t)(b + c) * ys + r + k] = tile[k * R1__TILE + c];
            }
            r += nr - 1;
        } else {
            r1__dot_fn dot = r1__types[w->type].dot;
            for (b = 0; b < job->n; b++) y[(size_t)b * ys + r] = dot(row, job->x + (size_t)b * job->x_stride, w->n_in);
        }
    }
}

/* chunk k of a job (numbered across its matrices) */
static void r1__matvec_chunk(const r1__matvec_job *job, int k) {
    int i = 0, r0, r1;
    while (k >= job->first_chunk[i + 1]) i++;
    r0 = (k - job->first_chunk[i]) * job->chunk[i] * 8;
    r1 = r0 + job->chunk[i] * 8 < job->w[i].n_out ? r0 + job->chunk[i] * 8 : job->w[i].n_out;
    r1__matvec_rows(job, i, r0, r1);
}

/* Thread t owns run t: a contiguous range of chunks, so it streams one stretch of the weights
   (the fused matrices lie one after another in memory) instead of hopping between stretches
   as chunks dealt round-robin made it (decode ran 8 % faster, prefill 5-9 % on 2 cores). A
   thread done with its run takes the next chunks of the others', so a slow or preempted
   thread is still helped out. Without atomics each thread does its own run. */
static void r1__matvec_worker(void *arg, int ith, int nth) {
    r1__matvec_job *job = (r1__matvec_job *)arg;
    int total = job->first_chunk[job->n_mat], v, k;
    (void)nth;
    for (v = 0; v < job->n_runs; v++) {
        int run = (ith + v) % job->n_runs, end = (int)((int64_t)total * (run + 1) / job->n_runs);
#if R1__SPIN
        while ((k = r1__atomic_add(&job->claim[run].next, 1) - 1) < end) r1__matvec_chunk(job, k);
#else
        if (ith >= job->n_runs) return; /* (only with more than R1__MAX_RUNS threads) */
        for (k = (int)((int64_t)total * run / job->n_runs); k < end; k++) r1__matvec_chunk(job, k);
        return;
#endif
    }
}

/* whether the context's kernels for w's type take its inputs quantized */
static int r1__quantized_inputs(const r1_context *c, const r1__matrix *w) {
    const r1__type_kernels *tk = r1__kernels_of(c->kernels, w->type);
    return (w->n_in % 32 == 0 && tk->dotq) || (w->packed && tk->dotq8);
}

/* Matrix i of a job: its output and the kernels the context's CPU runs for its type. Returns
   whether those kernels want the inputs quantized. */
static int r1__job_matrix(const r1_context *c, r1__matvec_job *job, int i, const r1__matrix *w, float *y, int y_stride) {
    const r1__type_kernels *tk = r1__kernels_of(c->kernels, w->type);
    job->w[i] = *w;
    job->y[i] = y;
    job->y_stride[i] = y_stride;
    job->dotq[i] = w->n_in % 32 == 0 ? tk->dotq : NULL;
    job->dotq8[i] = w->packed ? tk->dotq8 : NULL;
    job->dotq16[i] = w->packed ? tk->dotq16 : NULL;
    job->dotamx[i] = w->packed ? tk->dotamx : NULL;
    job->stream_ahead = c->model->stream_ahead;
    job->decode_two_groups = c->kernels->decode_two_groups;
    return r1__quantized_inputs(c, w);
}

/* quantizes inputs [b0, b1) of a job */
static void r1__quantize_range(void *arg, int b0, int b1) {
    const r1__matvec_job *job = (const r1__matvec_job *)arg;
    int b;
    for (b = b0; b < b1; b++) {
        r1_block_q8x *xq = (r1_block_q8x *)job->xq + (size_t)b * job->xq_stride;
        job->quantize(job->x + (size_t)b * job->x_stride, xq, job->w[0].n_in);
        if (job->xq16) r1__q8x16_column(xq, job->w[0].n_in / 32, job->xq16 + (size_t)(b / 16) * job->xq_stride, b % 16);
    }
}

/* n rows of d floats (x_stride apart) quantized into out's rows (c->xq_stride blocks apart),
   split over the pool */
typedef struct r1__quantize_job {
    const r1_context *c;
    const float *x;
    r1_block_q8x *out;
    int x_stride, d;
} r1__quantize_job;
static void r1__quantize_rows_range(void *arg, int b0, int b1) {
    const r1__quantize_job *j = (const r1__quantize_job *)arg;
    int b;
    for (b = b0; b < b1; b++) j->c->kernels->quantize(j->x + (size_t)b * j->x_stride, j->out + (size_t)b * j->c->xq_stride, j->d);
}
static void r1__quantize_rows(r1_context *c, const float *x, int x_stride, r1_block_q8x *out, int d, int n) {
    r1__quantize_job j;
    j.c = c, j.x = x, j.out = out, j.x_stride = x_stride, j.d = d;
    r1__parallel_for(&c->pool, n, 4, r1__quantize_rows_range, &j);
}

/* y[i] = w[i] x for the n_mat matrices (same n_in), n inputs x_stride apart. xq_ready: the
   inputs already quantized, [n][c->xq_stride] (the caller checked that every matrix takes them
   so: r1__quantized_inputs), and x is not read; NULL: x is quantized into c->xq. */
/* What a job over n inputs of the n_mat matrices needs however it runs: the inputs (quantized
   ones in xq), each matrix's output and kernels, the matrix unit only from r1__amx_min_cols
   inputs on (then its columns in xq16). Returns whether the inputs are to be quantized. */
static int r1__job_begin(const r1_context *c, r1__matvec_job *job, int n_mat, const r1__matrix *w, float *const *y,
                         const int *y_stride, const float *x, int x_stride, int n, const r1_block_q8x *xq, r1_block_q8x16 *xq16) {
    int i, quantize = 0;
    job->n_mat = n_mat;
    job->x = x;
    job->n = n;
    job->x_stride = x_stride;
    job->xq_stride = c->xq_stride;
    job->xq = xq;
    job->xq16 = NULL;
    job->quantize = c->kernels->quantize;
    for (i = 0; i < n_mat; i++) {
        quantize |= r1__job_matrix(c, job, i, &w[i], y[i], y_stride[i]);
        if (job->dotamx[i] && n < r1__amx_min_cols(w[i].type)) job->dotamx[i] = NULL;
        if (job->dotamx[i]) job->xq16 = xq16; /* packed rows: n_in % 32 == 0 */
    }
    return quantize;
}

static void r1__matmul_fused(r1_context *c, int n_mat, const r1__matrix *w, float *const *y, const int *y_stride,
                             const float *x, int x_stride, int n, const r1_block_q8x *xq_ready) {
    r1__matvec_job job;
    int i, nth = c->pool.n_threads;
    int quantize = r1__job_begin(c, &job, n_mat, w, y, y_stride, x, x_stride, n, xq_ready ? xq_ready : c->xq, c->xq16);
    job.first_chunk[0] = 0;
    for (i = 0; i < n_mat; i++) {
        int groups = (w[i].n_out + 7) / 8;
        job.chunk[i] = groups > nth * R1__CHUNKS_PER_THREAD ? (groups + nth * R1__CHUNKS_PER_THREAD - 1) / (nth * R1__CHUNKS_PER_THREAD) : 1;
        /* a batch (and decode on the 512-bit sets) runs two groups at a time where the kernels
           can (the two-group and matrix-unit kernels): an odd chunk would leave each chunk's last
           group to the one-group kernel, which takes a batch 4 columns at a time (an expert of
           1,408 rows: chunks of 11) */
        if ((n > 1 || job.decode_two_groups) && (job.dotq16[i] || job.dotamx[i]) && job.chunk[i] % 2 && job.chunk[i] < groups)
            job.chunk[i]++;
        job.first_chunk[i + 1] = job.first_chunk[i] + (groups + job.chunk[i] - 1) / job.chunk[i];
    }
    job.n_runs = nth < R1__MAX_RUNS ? nth : R1__MAX_RUNS;
    for (i = 0; i < job.n_runs; i++) job.claim[i].next = (int)((int64_t)job.first_chunk[n_mat] * i / job.n_runs);
    if (job.xq16) /* the last group's columns past n are zeros */
        for (i = n; i % 16; i++) r1__q8x16_column(NULL, w[0].n_in / 32, job.xq16 + (size_t)(i / 16) * job.xq_stride, i % 16);
    if (xq_ready) { /* only the matrix unit's copy by 16 columns to make */
        for (i = 0; job.xq16 && i < n; i++)
            r1__q8x16_column(job.xq + (size_t)i * job.xq_stride, w[0].n_in / 32, job.xq16 + (size_t)(i / 16) * job.xq_stride, i % 16);
    } else if (quantize) r1__parallel_for(&c->pool, n, 4, r1__quantize_range, &job);
    r1__pool_run(&c->pool, r1__matvec_worker, &job);
}

static void r1__matmul(r1_context *c, r1__matrix w, const float *x, int x_stride, float *y, int y_stride, int n) {
    r1__matmul_fused(c, 1, &w, &y, &y_stride, x, x_stride, n, NULL);
}

/* r1__matmul_fused on the calling thread alone (a pool job's piece), n <= 16 inputs: xq_ready as
   there, else x is quantized into xq (when the kernels take it so); xq16: room for one group of
   16 columns, for the matrix unit. Every row through the same kernels as the pool's (a row's
   result does not depend on which thread or chunk runs it), so the same bits. */
static void r1__matmul_here(const r1_context *c, int n_mat, const r1__matrix *w, float *const *y, const int *y_stride,
                            const float *x, int x_stride, int n, const r1_block_q8x *xq_ready, r1_block_q8x *xq,
                            r1_block_q8x16 *xq16) {
    r1__matvec_job job;
    int i, quantize = r1__job_begin(c, &job, n_mat, w, y, y_stride, x, x_stride, n, xq_ready ? xq_ready : xq, xq16);
    if (!xq_ready && quantize)
        for (i = 0; i < n; i++) c->kernels->quantize(x + (size_t)i * x_stride, xq + (size_t)i * c->xq_stride, w[0].n_in);
    for (i = 0; job.xq16 && i < 16; i++)
        r1__q8x16_column(i < n ? job.xq + (size_t)i * job.xq_stride : NULL, w[0].n_in / 32, job.xq16, i);
    for (i = 0; i < n_mat; i++) r1__matvec_rows(&job, i, 0, w[i].n_out);
}

/* out = x / sqrt(mean(x^2) + eps) * weight */
static void r1__rmsnorm(float *out, const float *x, const float *weight, int n, float eps) {
    float ss = 0.0f, scale;
    int i;
    for (i = 0; i < n; i++) ss += x[i] * x[i];
    scale = 1.0f / sqrtf(ss / (float)n + eps);
    for (i = 0; i < n; i++) out[i] = x[i] * scale * weight[i];
}

/* The batch's rotations: cosines and sines (times the attention factor) of each token's
   angles, once per batch for every head of every layer. */
static void r1__rope_table(r1_context *c, int n) {
    const r1_model *m = c->model;
    int half = m->n_rot / 2, b, i;
    for (b = 0; b < n; b++) {
        float *cs = c->rope_cs + (size_t)b * m->n_rot;
        for (i = 0; i < half; i++) {
            float angle = (float)c->batch_pos[b] * c->inv_freq[i];
            cs[i] = cosf(angle) * m->rope_attn_factor;
            cs[half + i] = sinf(angle) * m->rope_attn_factor;
        }
    }
}

/* Rotates the first n_rot dims of one head: cs holds its position's cosines, then sines. */
static void r1__rope(float *v, const float *cs, int n_rot, int style) {
    int i, half = n_rot / 2;
    for (i = 0; i < half; i++) {
        int a = style == R1__ROPE_NEOX ? i : 2 * i, b = style == R1__ROPE_NEOX ? i + half : 2 * i + 1;
        float x0 = v[a], x1 = v[b];
        v[a] = x0 * cs[i] - x1 * cs[half + i];
        v[b] = x0 * cs[half + i] + x1 * cs[i];
    }
}

/* rmsnorm of n rows (strides in floats), split over the pool for batches */
typedef struct r1__norm_job {
    float *out;
    const float *x, *weight;
    int out_stride, x_stride, d;
    float eps;
} r1__norm_job;
static void r1__norm_range(void *arg, int b0, int b1) {
    const r1__norm_job *j = (const r1__norm_job *)arg;
    int b;
    for (b = b0; b < b1; b++) r1__rmsnorm(j->out + (size_t)b * j->out_stride, j->x + (size_t)b * j->x_stride, j->weight, j->d, j->eps);
}
static void r1__rmsnorm_rows(r1_context *c, float *out, int out_stride, const float *x, int x_stride, const float *weight, int d, int n) {
    r1__norm_job j;
    j.out = out, j.out_stride = out_stride, j.x = x, j.x_stride = x_stride, j.weight = weight, j.d = d, j.eps = c->model->rms_eps;
    r1__parallel_for(&c->pool, n, 8, r1__norm_range, &j);
}

/* The softmax without its division, over att[0..n) in place: att[t] = e^(att[t] - max), the
   maximum into *max_out and the sum of the exponentials into *sum_out. An exponential below the
   smallest normal float times the sum is 0: the sum is at least 1 (the maximum's e^0), so no
   such term could change it or any output of normal size, and multiply-adds on subnormal
   weights take a microcode assist on many x86 cores (the weighted sum ran 45x slower on them;
   long contexts have many). */
static void r1__softmax_part(const r1__kernels *k, float *att, int n, float *max_out, float *sum_out) {
    float m[8], max, sum, tiny;
    int t, i;
    /* the maximum through 8 running maxima (one chain was bound by the compare's latency deep
       in a context); the largest of them is the largest element, whichever order they meet */
    for (i = 0; i < 8; i++) m[i] = -INFINITY;
    for (t = 0; t + 8 <= n; t += 8)
        for (i = 0; i < 8; i++) m[i] = att[t + i] > m[i] ? att[t + i] : m[i];
    for (; t < n; t++) m[0] = att[t] > m[0] ? att[t] : m[0];
    for (max = m[0], i = 1; i < 8; i++) max = m[i] > max ? m[i] : max;
    sum = k->exp_sum_f32(att, max, n);
    tiny = FLT_MIN * sum;
    if (tiny <= FLT_MAX) {
        /* The weights e^x are >= +0 (or NaN), so as unsigned integers their bits order as their
           values: the cut is an integer mask (which compilers vectorize; a float select they do
           not, for the compare's exceptions). */
        uint32_t tiny_bits;
        memcpy(&tiny_bits, &tiny, sizeof tiny_bits);
        for (t = 0; t < n; t++) {
            uint32_t a_bits;
            memcpy(&a_bits, &att[t], sizeof a_bits);
            a_bits &= 0u - (uint32_t)(a_bits >= tiny_bits);
            memcpy(&att[t], &a_bits, sizeof a_bits);
        }
    } else /* a sum of Inf or NaN (a NaN or infinite score): left as it comes out */
        for (t = 0; t < n; t++) att[t] = att[t] < tiny ? 0.0f : att[t];
    *max_out = max;
    *sum_out = sum;
}

/* softmax over att[0..n) in place (the cut applied before the division, so that no divisor
   meets a subnormal: those took the microcode assist) */
static void r1__softmax(const r1__kernels *k, float *att, int n) {
    float max, sum;
    int t;
    r1__softmax_part(k, att, n, &max, &sum);
    for (t = 0; t < n; t++) att[t] = att[t] / sum;
}

/* The cache's elements are float, float16 or Q8_0 blocks (c->kv_type); these write a row's
   worth and run the attention kernels from element `at` of a layer's cache, whichever they are
   (for Q8_0, `at`, widths and strides are whole blocks of 32). */
static void r1__cache_store(const r1_context *c, void *cache, size_t at, const float *src, size_t n) {
    size_t i;
    if (c->kv_type == R1_KV_F16)
        for (i = 0; i < n; i++) ((uint16_t *)cache)[at + i] = r1_fp32_to_fp16(src[i]);
    else if (c->kv_type == R1_KV_Q8_0)
        r1__q8_0_from_float(src, (r1_block_q8_0 *)cache + at / 32, (int64_t)n);
    else
        memcpy((float *)cache + at, src, n * sizeof(float));
}

/* Where a cache plane starts: each (layer, KV head) keeps its rows together ([n_ctx][width],
   width = the head's elements), so a thread attending with one KV head streams only that
   head's bytes (rows of all heads side by side made every thread read every head's lines). */
static size_t r1__kv_plane(const r1_context *c, int layer, int head, size_t width) {
    return ((size_t)layer * (size_t)c->kv_heads + (size_t)head) * (size_t)c->n_ctx * width;
}

/* One token's keys or values (all KV heads side by side in src, row_width elements) into cache
   row `row` of the layer's planes. */
static void r1__cache_store_row(const r1_context *c, void *cache, int layer, int row, const float *src, size_t row_width) {
    size_t w = row_width / (size_t)c->kv_heads;
    int h;
    for (h = 0; h < c->kv_heads; h++) r1__cache_store(c, cache, r1__kv_plane(c, layer, h, w) + (size_t)row * w, src + h * w, w);
}

static void r1__cache_scores(const r1_context *c, const void *cache, size_t at, size_t stride, const int32_t *rows, int n,
                             const float *q, size_t q_stride, int nq, int d, float scale, float *out, size_t out_stride) {
    if (c->kv_type == R1_KV_F16)
        c->kernels->scores_f16((const uint16_t *)cache + at, stride, rows, n, q, q_stride, nq, d, scale, out, out_stride);
    else if (c->kv_type == R1_KV_Q8_0)
        c->kernels->scores_q8_0((const r1_block_q8_0 *)cache + at / 32, stride / 32, rows, n, q, q_stride, nq, d, scale, out, out_stride);
    else c->kernels->scores_f32((const float *)cache + at, stride, rows, n, q, q_stride, nq, d, scale, out, out_stride);
}

static void r1__cache_mix(const r1_context *c, float *out, size_t out_stride, const float *w, size_t w_stride, int nq,
                          const void *cache, size_t at, size_t stride, const int32_t *rows, int n, int d) {
    if (c->kv_type == R1_KV_F16) c->kernels->mix_f16(out, out_stride, w, w_stride, nq, (const uint16_t *)cache + at, stride, rows, n, d);
    else if (c->kv_type == R1_KV_Q8_0)
        c->kernels->mix_q8_0(out, out_stride, w, w_stride, nq, (const r1_block_q8_0 *)cache + at / 32, stride / 32, rows, n, d);
    else c->kernels->mix_f32(out, out_stride, w, w_stride, nq, (const float *)cache + at, stride, rows, n, d);
}

/* y = W x for one small matrix inside a pool job (MLA's per-head k_b / v_b): through the int8
   kernels when the type has them (x quantized into the thread's own blocks), else float dots. */
static void r1__rows_times(const r1_context *c, const r1__matrix *w, const float *x, float *y, r1_block_q8x *xq) {
    int y_stride = 0; /* one input, run by the calling thread alone */
    r1__matmul_here(c, 1, w, &y, &y_stride, x, 0, 1, NULL, xq, NULL);
}

/* ---- Attention over the cache ---------------------------------------------------------

   Each token attends over the cache rows its sequence has seen, in chunks of R1__ATTN_CHUNK
   rows. Per chunk and query: the scores; the softmax without its division (the chunk's maximum
   m, the sum l of e^(score - m)); and o, the chunk's value rows weighted by those
   exponentials. The chunks fold into a running (M, L, O) in row order (r1__attn_fold), and the
   output is O / L. The chunking depends on the row count alone, so any thread may compute any
   chunk: one token deep in a context spreads its chunks over the pool (flash-decoding: every
   thread streams its share of the cache rows, once for all the heads that read them), while a
   batch gives each thread whole tokens; both give the same bits, whatever the thread count. */

/* One layer's attention for tokens [first, n) of the batch, cut into pieces for the pool */
typedef struct r1__attn_job {
    r1_context *c;
    int layer;
    int first;                /* the first token of the batch that attends */
    int n;                    /* the batch's tokens: [first, n) attend */
    int tokens;               /* whole: tokens per piece (their queries go through each chunk together) */
    int split;                /* 1: one token (first), whose chunks are pieces of their own, their
                                 partials kept in c->attn_part and folded afterwards;
                                 0: a piece is a whole token's group (all chunks, folded in place) */
    int n_groups;             /* query groups per token: the KV heads, or 1 (MLA: one latent plane) */
    int group;                /* heads per group */
    int spans;                /* each group's heads in this many spans (more pieces for few tokens) */
    int n_chunks;             /* split: the token's chunks */
    int mla_batch;            /* MLA, a batch: the queries were absorbed for all its tokens at once
                                 (c->mla_latent), and the outputs replace them there, expanded after */
    r1__claims pieces;        /* whole: token block x group x span; split: chunk x group x span */
    r1__claims heads;         /* split: per head, the steps before and after the chunks */
} r1__attn_job;

/* A pool thread's attention scratch for up to r1__attn_queries queries: w is the width attended
   (head_dim_v, or MLA's kv_lora) */
typedef struct r1__attn_scratch {
    float *att;               /* [queries][R1__ATTN_CHUNK] one chunk's scores, then exponentials */
    float *part;              /* [queries][w + 2] one chunk's partials: m, l, then o */
    float *run;               /* [queries][w + 2] the folded state: M, L, then O */
    float *q;                 /* [queries][w or head_dim_k] the piece's queries side by side
                                 (MLA: absorbed into latent space) */
    float *q_rope;            /* [queries][head_dim_k] MLA: the heads' queries, for their rope parts */
} r1__attn_scratch;

static int r1__attn_width(const r1_model *m) { return m->arch->mla ? m->kv_lora : m->head_dim_v; }
/* the most queries a piece holds: a token's heads, or several tokens' groups */
static int r1__attn_queries(const r1_model *m) { return m->n_head > R1__ATTN_QUERIES ? m->n_head : R1__ATTN_QUERIES; }
/* a query's floats in r1__attn_scratch.q */
static int r1__attn_q_width(const r1_model *m) { return m->arch->mla ? m->kv_lora : m->head_dim_k; }

static r1__attn_scratch r1__attn_scratch_of(const r1_context *c, int ith) {
    const r1_model *m = c->model;
    size_t w2 = (size_t)r1__attn_width(m) + 2, h = (size_t)r1__attn_queries(m);
    r1__attn_scratch s;
    s.att = c->attn_scratch + (size_t)ith * c->attn_scratch_stride;
    s.part = s.att + h * R1__ATTN_CHUNK;
    s.run = s.part + h * w2;
    s.q = s.run + h * w2;
    s.q_rope = s.q + h * (size_t)r1__attn_q_width(m);
    return s;
}

/* the floats of one thread's scratch (see above) */
static size_t r1__attn_scratch_floats(const r1_model *m) {
    size_t w2 = (size_t)r1__attn_width(m) + 2;
    return (size_t)r1__attn_queries(m) *
               (R1__ATTN_CHUNK + 2 * w2 + (size_t)r1__attn_q_width(m) + (m->arch->mla ? (size_t)m->head_dim_k : 0)) + 16;
}

/* The cache rows token b sees: its sequence's positions 0 .. batch_pos[b], or the last n_swa */
static const int32_t *r1__seen_rows(const r1_context *c, int b, int *seen) {
    int pos = c->batch_pos[b], n_swa = c->model->n_swa;
    int first = n_swa > 0 && pos >= n_swa ? pos + 1 - n_swa : 0;
    *seen = pos + 1 - first;
    return c->seq_rows + (size_t)c->batch_seq[b] * c->n_ctx + first;
}

/* The scores of n rows (rows[0..n)) for nq queries of one group into att (R1__ATTN_CHUNK apart):
   q and q_rope as in r1__attn_chunk */
static void r1__group_scores(const r1_context *c, int layer, int kvh, const float *q, const float *q_rope, int nq,
                             const int32_t *rows, int n, float *att) {
    const r1_model *m = c->model;
    int w = r1__attn_width(m), hk = m->head_dim_k;
    if (m->arch->mla) {
        size_t plane = r1__kv_plane(c, layer, 0, c->kv_k); /* the layer's one plane: latent, then rope key */
        r1__cache_scores(c, c->k_cache, plane, c->kv_k, rows, n, q, (size_t)w, nq, w, m->kq_scale, att, R1__ATTN_CHUNK);
        r1__cache_scores(c, c->k_cache, plane + (size_t)w, c->kv_k, rows, n, q_rope, (size_t)hk, nq, m->n_rot, m->kq_scale, att,
                         R1__ATTN_CHUNK);
    } else {
        r1__cache_scores(c, c->k_cache, r1__kv_plane(c, layer, kvh, (size_t)hk), (size_t)hk, rows, n, q, (size_t)hk, nq, hk,
                         m->kq_scale, att, R1__ATTN_CHUNK);
    }
}

/* One chunk of rows for nt tokens' nq queries each (one group's heads), the tokens seeing the
   same rows: token t the first n_of[t] of rows[0..R1__ATTN_CHUNK) (none if n_of[t] <= 0).
   Each query's partial (m, l, o: w + 2 floats) into part, part_stride floats apart. GQA: q are
   the queries (hk apart), against KV head kvh's keys and values (q_rope unread, may be NULL).
   MLA: q are the absorbed queries (kv_lora apart) and q_rope the heads' rope parts (hk apart),
   against the latent plane. */
static void r1__attn_chunk(const r1_context *c, int layer, int kvh, const float *q, const float *q_rope, int nq, int nt,
                           const int *n_of, const int32_t *rows, float *att, float *part, size_t part_stride) {
    const r1_model *m = c->model;
    int w = r1__attn_width(m), hk = m->head_dim_k, all = nq * nt, i, j, t, t1, n = 0, shared = R1__ATTN_CHUNK;
    for (t = 0; t < nt; t++) {
        n = n_of[t] > n ? n_of[t] : n;
        shared = n_of[t] > 0 && n_of[t] < shared ? n_of[t] : shared;
    }
    for (j = 0; j < all; j++)
        for (i = 0; i < n; i++) att[(size_t)j * R1__ATTN_CHUNK + i] = 0.0f;
    /* 1. scores: the rows every token sees, down to a multiple of 4, for all the queries at once;
       each token's further rows for its own. A split at a multiple of 4 changes no score (see
       r1__kernels), so each is what the token alone gets. */
    shared = nt == 1 ? n : shared - shared % 4;
    if (shared > 0) r1__group_scores(c, layer, kvh, q, q_rope, all, rows, shared, att);
    for (t = 0; t < nt; t++)
        if (n_of[t] > shared)
            r1__group_scores(c, layer, kvh, q + (size_t)t * nq * r1__attn_q_width(m), q_rope ? q_rope + (size_t)t * nq * hk : NULL, nq,
                             rows + shared, n_of[t] - shared, att + (size_t)t * nq * R1__ATTN_CHUNK + shared);
    for (t = 0; t < nt; t = t1) {
        /* tokens [t, t1) see the same rows: one weighted sum for all their queries */
        const size_t at = (size_t)t * (size_t)nq;
        for (t1 = t + 1; t1 < nt && n_of[t1] == n_of[t]; t1++) {}
        if (n_of[t] <= 0) continue;
        /* 2. the softmax without its division: m, l */
        for (j = 0; j < nq * (t1 - t); j++)
            r1__softmax_part(c->kernels, att + (at + (size_t)j) * R1__ATTN_CHUNK, n_of[t], part + (at + (size_t)j) * part_stride,
                             part + (at + (size_t)j) * part_stride + 1);
        /* 3. the weighted sum of the value rows (MLA: of the latents): o */
        for (j = 0; j < nq * (t1 - t); j++)
            for (i = 0; i < w; i++) part[(at + (size_t)j) * part_stride + 2 + (size_t)i] = 0.0f;
        if (m->arch->mla)
            r1__cache_mix(c, part + at * part_stride + 2, part_stride, att + at * R1__ATTN_CHUNK, R1__ATTN_CHUNK, nq * (t1 - t),
                          c->k_cache, r1__kv_plane(c, layer, 0, c->kv_k), c->kv_k, rows, n_of[t], w);
        else
            r1__cache_mix(c, part + at * part_stride + 2, part_stride, att + at * R1__ATTN_CHUNK, R1__ATTN_CHUNK, nq * (t1 - t),
                          c->v_cache, r1__kv_plane(c, layer, kvh, (size_t)w), (size_t)w, rows, n_of[t], w);
    }
}

/* Folds one chunk's partial (m, l, o of w) into a query's running state (M, L, O), both
   rescaled to the larger maximum: the one place where chunks meet, always in row order, by
   this one function (kept out of line, so that every path computes it with the same
   instructions). */
#if R1__GNU
__attribute__((noinline))
#elif R1__MSVC
__declspec(noinline)
#endif
static void r1__attn_fold(float *run, const float *part, int w, int first) {
    float top, a, b;
    int i;
    if (first) {
        memcpy(run, part, ((size_t)w + 2) * sizeof(float));
        return;
    }
    top = run[0] > part[0] ? run[0] : part[0];
    a = expf(run[0] - top);
    b = expf(part[0] - top);
    run[0] = top;
    run[1] = run[1] * a + part[1] * b;
    for (i = 0; i < w; i++) run[2 + i] = run[2 + i] * a + part[2 + i] * b;
}

/* MLA, head h of token b: q_abs = W_UK^T q_nope (tmp: r floats of scratch for older files) */
static void r1__mla_absorb(const r1_context *c, const r1__layer *L, int b, int h, float *q_abs, float *tmp, r1_block_q8x *xq) {
    const r1_model *m = c->model;
    int nope = m->head_dim_nope, hv = m->head_dim_v, r = m->kv_lora, i, j;
    const float *q_nope = c->q + (size_t)b * c->q_stride + (size_t)h * m->head_dim_k;
    if (L->wk_b.t) {
        r1__matrix kb = r1__mat(&L->wk_b, h);
        r1__rows_times(c, &kb, q_nope, q_abs, xq);
    } else { /* older files keep one kv_b [kv_lora, n_head*(nope+v)]: summed one dequantized row at a time */
        const uint8_t *kv_b_head = L->wkv_b.t->data + (size_t)h * (nope + hv) * L->wkv_b.row_bytes;
        for (i = 0; i < r; i++) q_abs[i] = 0.0f;
        for (j = 0; j < nope; j++) {
            r1__types[L->wkv_b.type].to_float(kv_b_head + (size_t)j * L->wkv_b.row_bytes, tmp, r);
            for (i = 0; i < r; i++) q_abs[i] += q_nope[j] * tmp[i];
        }
    }
}

/* Head h of token b, its folded state run (M, L, O) done: O / L is the head's output (MLA: in
   latent space, expanded by W_UV) into xb */
static void r1__attn_finish(const r1_context *c, const r1__layer *L, int b, int h, float *run, r1_block_q8x *xq) {
    const r1_model *m = c->model;
    int w = r1__attn_width(m), hv = m->head_dim_v, i;
    float *o = run + 2, *out = c->xb + (size_t)b * c->x_wide + (size_t)h * hv;
    for (i = 0; i < w; i++) o[i] = o[i] / run[1];
    if (!m->arch->mla) {
        memcpy(out, o, (size_t)w * sizeof(float));
    } else if (L->wk_b.t) {
        r1__matrix vb = r1__mat(&L->wv_b, h);
        r1__rows_times(c, &vb, o, out, xq);
    } else {
        const uint8_t *kv_b_head = L->wkv_b.t->data + (size_t)h * (m->head_dim_nope + hv) * L->wkv_b.row_bytes;
        for (i = 0; i < hv; i++) out[i] = r1__types[L->wkv_b.type].dot(kv_b_head + (size_t)(m->head_dim_nope + i) * L->wkv_b.row_bytes, o, w);
    }
}

/* piece k's heads [*h0, *h1) and its token block or chunk index (returned) */
static int r1__attn_piece(const r1__attn_job *job, int k, int *h0, int *h1) {
    int span = k % job->spans, g = k / job->spans % job->n_groups;
    *h0 = g * job->group + job->group * span / job->spans;
    *h1 = g * job->group + job->group * (span + 1) / job->spans;
    return k / job->spans / job->n_groups;
}

/* Heads [h0, h1) of tokens [b0, b0 + nt), which see the same rows (seen[t] of them), over all
   their chunks, folded and finished */
static void r1__attend_tokens(const r1__attn_job *job, int b0, int nt, const int32_t *rows, const int *seen, int h0, int h1,
                              int ith) {
    r1_context *c = job->c;
    const r1_model *m = c->model;
    const r1__layer *L = &m->layers[job->layer];
    r1__attn_scratch s = r1__attn_scratch_of(c, ith);
    r1_block_q8x *xq = c->xq_thread + (size_t)ith * c->xq_stride;
    int w = r1__attn_width(m), hk = m->head_dim_k, nq = h1 - h0, qw = r1__attn_q_width(m), most = 0, n_of[R1__ATTN_QUERIES];
    int t0, t, j, h;
    size_t w2 = (size_t)w + 2;
    /* 1. the queries side by side, token by token (MLA: absorbed) */
    for (t = 0; t < nt; t++) {
        int b = b0 + t;
        const float *q = c->q + (size_t)b * c->q_stride + (size_t)h0 * hk;
        float *into = s.q + (size_t)t * nq * qw;
        if (job->mla_batch)
            memcpy(into, c->mla_latent + ((size_t)(b - job->first) * m->n_head + (size_t)h0) * w, (size_t)nq * w * sizeof(float));
        else if (m->arch->mla)
            for (h = h0; h < h1; h++) r1__mla_absorb(c, L, b, h, into + (size_t)(h - h0) * w, s.part, xq);
        else memcpy(into, q, (size_t)nq * hk * sizeof(float));
        if (m->arch->mla) memcpy(s.q_rope + (size_t)t * nq * hk, q, (size_t)nq * hk * sizeof(float));
        most = seen[t] > most ? seen[t] : most;
    }
    /* 2. each chunk for all the tokens, folded into each query's running state */
    for (t0 = 0; t0 < most; t0 += R1__ATTN_CHUNK) {
        for (t = 0; t < nt; t++) n_of[t] = seen[t] - t0 < R1__ATTN_CHUNK ? seen[t] - t0 : R1__ATTN_CHUNK;
        r1__attn_chunk(c, job->layer, h0 / job->group, s.q, m->arch->mla ? s.q_rope + m->head_dim_nope : NULL, nq, nt, n_of, rows + t0,
                       s.att, s.part, w2);
        for (t = 0; t < nt; t++)
            for (j = t * nq; n_of[t] > 0 && j < (t + 1) * nq; j++)
                r1__attn_fold(s.run + (size_t)j * w2, s.part + (size_t)j * w2, w, t0 == 0);
    }
    /* 3. O / L, each head's output */
    for (t = 0; t < nt; t++)
        for (h = h0; h < h1; h++) {
            int b = b0 + t;
            float *run = s.run + ((size_t)t * nq + (size_t)(h - h0)) * w2;
            if (job->mla_batch) { /* in latent space, over the head's query (read by now); expanded for the whole batch after */
                float *o = c->mla_latent + ((size_t)(b - job->first) * m->n_head + (size_t)h) * w;
                for (j = 0; j < w; j++) o[j] = run[2 + j] / run[1];
            } else r1__attn_finish(c, L, b, h, run, xq);
        }
}

/* Whole pieces: heads [h0, h1) of tokens [b0, b1) over all their chunks. Runs of tokens that
   see the same rows (one sequence's) attend together, so each chunk's rows are read once for
   all of them; every query's result depends on its own rows alone, so the same bits. */
static void r1__attend_whole(const r1__attn_job *job, int b0, int b1, int h0, int h1, int ith) {
    int seen[R1__ATTN_QUERIES], b, e;
    const int32_t *rows, *next;
    for (b = b0; b < b1; b = e) {
        rows = r1__seen_rows(job->c, b, &seen[0]);
        for (e = b + 1; e < b1; e++) {
            next = r1__seen_rows(job->c, e, &seen[e - b]);
            if (next != rows) break;
        }
        r1__attend_tokens(job, b, e - b, rows, seen, h0, h1, ith);
    }
}

/* Split pieces: heads [h0, h1) of the job's one token over chunk k, partials into c->attn_part
   ([n_head][n_chunks][w + 2]) */
static void r1__attend_chunk(const r1__attn_job *job, int chunk, int h0, int h1, int ith) {
    r1_context *c = job->c;
    const r1_model *m = c->model;
    r1__attn_scratch s = r1__attn_scratch_of(c, ith);
    int b = job->first, w = r1__attn_width(m), hk = m->head_dim_k, seen, t0 = chunk * R1__ATTN_CHUNK, n;
    size_t w2 = (size_t)w + 2;
    const int32_t *rows = r1__seen_rows(c, b, &seen);
    const float *q = c->q + (size_t)b * c->q_stride + (size_t)h0 * hk, *q_rope = q + m->head_dim_nope;
    if (m->arch->mla) q = c->q_abs + (size_t)h0 * w;
    n = seen - t0 < R1__ATTN_CHUNK ? seen - t0 : R1__ATTN_CHUNK;
    r1__attn_chunk(c, job->layer, h0 / job->group, q, q_rope, h1 - h0, 1, &n, rows + t0, s.att,
                   c->attn_part + ((size_t)h0 * job->n_chunks + (size_t)chunk) * w2, (size_t)job->n_chunks * w2);
}

static void r1__attn_worker(void *arg, int ith, int nth) {
    r1__attn_job *job = (r1__attn_job *)arg;
    int k, mine = -1, h0, h1, i;
    while ((k = r1__claim_next(&job->pieces, &mine, ith, nth)) >= 0) {
        i = r1__attn_piece(job, k, &h0, &h1);
        if (h0 == h1) continue;
        if (job->split) r1__attend_chunk(job, i, h0, h1, ith);
        else {
            int b0 = job->first + i * job->tokens;
            r1__attend_whole(job, b0, b0 + job->tokens < job->n ? b0 + job->tokens : job->n, h0, h1, ith);
        }
    }
}

/* Split, before the chunks: MLA's absorbed queries, per head, into c->q_abs */
static void r1__attn_absorb_worker(void *arg, int ith, int nth) {
    r1__attn_job *job = (r1__attn_job *)arg;
    r1_context *c = job->c;
    int h, mine = -1;
    while ((h = r1__claim_next(&job->heads, &mine, ith, nth)) >= 0)
        r1__mla_absorb(c, &c->model->layers[job->layer], job->first, h, c->q_abs + (size_t)h * c->model->kv_lora,
                       r1__attn_scratch_of(c, ith).part, c->xq_thread + (size_t)ith * c->xq_stride);
}

/* Split, after the chunks: per head, the partials folded in order and finished */
static void r1__attn_fold_worker(void *arg, int ith, int nth) {
    r1__attn_job *job = (r1__attn_job *)arg;
    r1_context *c = job->c;
    r1__attn_scratch s = r1__attn_scratch_of(c, ith);
    int w = r1__attn_width(c->model), h, k, mine = -1;
    size_t w2 = (size_t)w + 2;
    while ((h = r1__claim_next(&job->heads, &mine, ith, nth)) >= 0) {
        for (k = 0; k < job->n_chunks; k++) r1__attn_fold(s.run, c->attn_part + ((size_t)h * job->n_chunks + (size_t)k) * w2, w, k == 0);
        r1__attn_finish(c, &c->model->layers[job->layer], job->first, h, s.run, c->xq_thread + (size_t)ith * c->xq_stride);
    }
}

/* Tokens [lo, n) of the batch attend over the cache: -> xb rows lo.., [n_head * head_dim_v] each */
static void r1__attend(r1_context *c, int layer, int lo, int n) {
    const r1_model *m = c->model;
    const r1__layer *L = &m->layers[layer];
    int nth = c->pool.n_threads, seen, base;
    r1__attn_job job;
    job.c = c;
    job.layer = layer;
    job.first = lo;
    job.n_groups = m->arch->mla ? 1 : m->n_head_kv;
    job.group = m->n_head / job.n_groups;
    r1__seen_rows(c, lo, &seen);
    job.n_chunks = (seen + R1__ATTN_CHUNK - 1) / R1__ATTN_CHUNK;
    /* one token, deeper than a chunk, whose groups are fewer than the threads: its chunks become the pieces */
    job.split = n - lo == 1 && job.n_chunks > 1 && job.n_groups < nth;
    /* else blocks of tokens, as many as a piece's queries allow while the pieces still outnumber
       the threads twice (no result depends on the blocks) */
    job.n = n;
    job.tokens = R1__ATTN_QUERIES / job.group > 1 ? R1__ATTN_QUERIES / job.group : 1;
    while (job.tokens > 1 && (n - lo + job.tokens - 1) / job.tokens * job.n_groups < 2 * nth) job.tokens--;
    base = (job.split ? job.n_chunks : (n - lo + job.tokens - 1) / job.tokens) * job.n_groups;
    /* still fewer pieces than threads: each group's heads in spans (no result depends on it) */
    job.spans = 1;
    if (base < nth) job.spans = (nth + base - 1) / base < job.group ? (nth + base - 1) / base : job.group;
    r1__claims_init(&job.pieces, base * job.spans);
    /* MLA over a batch: each head's W_UK (and after, W_UV) as one matmul over the batch's tokens
       instead of one matvec per token and head: the same kernels on the same inputs, so the same
       bits, with each head's matrix read once per batch */
    job.mla_batch = m->arch->mla && !job.split && n - lo > 1 && L->wk_b.t;
    if (job.mla_batch) {
        int h;
        for (h = 0; h < m->n_head; h++)
            r1__matmul(c, r1__mat(&L->wk_b, h), c->q + (size_t)lo * c->q_stride + (size_t)h * m->head_dim_k, c->q_stride,
                       c->mla_latent + (size_t)h * m->kv_lora, m->n_head * m->kv_lora, n - lo);
    }
    if (job.split && m->arch->mla) {
        r1__claims_init(&job.heads, m->n_head);
        r1__pool_run(&c->pool, r1__attn_absorb_worker, &job);
    }
    r1__pool_run(&c->pool, r1__attn_worker, &job);
    if (job.split) {
        r1__claims_init(&job.heads, m->n_head);
        r1__pool_run(&c->pool, r1__attn_fold_worker, &job);
    }
    if (job.mla_batch) {
        int h;
        for (h = 0; h < m->n_head; h++)
            r1__matmul(c, r1__mat(&L->wv_b, h), c->mla_latent + (size_t)h * m->kv_lora, m->n_head * m->kv_lora,
                       c->xb + (size_t)lo * c->x_wide + (size_t)h * m->head_dim_v, c->x_wide, n - lo);
    }
}

/* y[0..n) += other[0..n): a residual connection, or a bias */
static void r1__add_rows(float *y, const float *other, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) y[i] += other[i];
}

static void r1__add_bias(float *y, const float *bias, int n) {
    if (bias) r1__add_rows(y, bias, (size_t)n);
}

/* gate = silu(gate) * up for tokens [b0, b1) */
typedef struct r1__silu_job { r1_context *c; int n_ff; } r1__silu_job;
static void r1__silu_times_range(void *arg, int b0, int b1) {
    const r1__silu_job *job = (const r1__silu_job *)arg;
    int FS = job->c->ff_stride, b;
    for (b = b0; b < b1; b++) job->c->kernels->silu_mul_f32(job->c->gate + (size_t)b * FS, job->c->up + (size_t)b * FS, job->n_ff);
}

/* out = down(silu(gate(x)) * up(x)) for n inputs (rows x_stride apart) at once; out rows n_embd apart */
static void r1__swiglu(r1_context *c, r1__matrix gate, r1__matrix up, r1__matrix down, const float *x, int x_stride, float *out, int n,
                       const r1_block_q8x *xq_ready) {
    int FS = c->ff_stride;
    r1__silu_job ga;
    r1__matrix gate_up[2];
    float *out2[2];
    int stride2[2];
    gate_up[0] = gate, gate_up[1] = up, out2[0] = c->gate, out2[1] = c->up, stride2[0] = stride2[1] = FS;
    r1__matmul_fused(c, 2, gate_up, out2, stride2, x, x_stride, n, xq_ready);
    ga.c = c;
    ga.n_ff = gate.n_out;
    r1__parallel_for(&c->pool, n, 2, r1__silu_times_range, &ga);
    r1__matmul(c, down, c->gate, FS, out, c->model->n_embd, n);
}

/* Picks the experts for one token and their weights (DeepSeekMoE / Qwen3-MoE routing):
   scores by softmax or sigmoid; the selection bias and group limits affect only which experts
   are chosen; the weights are the plain scores, renormalized and scaled as configured. */
static int r1__route(r1_context *c, const r1__layer *L, float *score, int *chosen, float *weights) {
    /* score: the router's logits, turned into the scores in place */
    const r1_model *m = c->model;
    int n = m->n_expert, per_group = n / m->n_group, e, g, k, n_used = m->n_expert_used;
    float choice[4096], sum = 0.0f;
    if (m->gating == R1__GATING_SIGMOID) {
        for (e = 0; e < n; e++) score[e] = 1.0f / (1.0f + expf(-score[e]));
    } else {
        r1__softmax(c->kernels, score, n);
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

/* ---- Attention block steps ----------------------------------------------------------- */

/* RMSNorm of each of n_heads heads of d floats, in place (Qwen3's q / k norms) */
static void r1__norm_heads(float *v, int n_heads, int d, const float *weight, float eps) {
    int h;
    for (h = 0; h < n_heads; h++) r1__rmsnorm(v + (size_t)h * d, v + (size_t)h * d, weight, d, eps);
}

/* Rotates each of n_heads heads, stride floats apart, from `first` on: cs holds the token's
   cosines, then sines */
static void r1__rope_heads(float *v, int n_heads, int stride, int first, const float *cs, int n_rot, int style) {
    int h;
    for (h = 0; h < n_heads; h++) r1__rope(v + (size_t)h * stride + first, cs, n_rot, style);
}

/* Grouped-query attention, the projections: q into c->q, this batch's keys and values into
   k_new / v_new (one job: the inputs are quantized once). */
static void r1__gqa_projections(r1_context *c, const r1__layer *L, int n) {
    r1__matrix qkv[3];
    float *out[3];
    int stride[3];
    qkv[0] = r1__mat(&L->wq, 0), out[0] = c->q, stride[0] = c->q_stride;
    qkv[1] = r1__mat(&L->wk, 0), out[1] = c->k_new, stride[1] = (int)c->kv_k;
    qkv[2] = r1__mat(&L->wv, 0), out[2] = c->v_new, stride[2] = (int)c->kv_v;
    r1__matmul_fused(c, 3, qkv, out, stride, c->xb, c->x_wide, n, NULL);
}

/* Multi-head latent attention, the projections: the query (through the q LoRA when there is
   one) into c->q; the latent and the shared rope key, this batch's cache rows, into k_new. */
static void r1__mla_projections(r1_context *c, const r1__layer *L, int n) {
    const r1_model *m = c->model;
    if (L->wq_a.t) {
        r1__matmul(c, r1__mat(&L->wq_a, 0), c->xb, c->x_wide, c->q_a, m->q_lora, n);
        r1__rmsnorm_rows(c, c->q_a, m->q_lora, c->q_a, m->q_lora, L->q_a_norm, m->q_lora, n);
        r1__matmul(c, r1__mat(&L->wq_b, 0), c->q_a, m->q_lora, c->q, c->q_stride, n);
    } else {
        r1__matmul(c, r1__mat(&L->wq, 0), c->xb, c->x_wide, c->q, c->q_stride, n);
    }
    r1__matmul(c, r1__mat(&L->wkv_a, 0), c->xb, c->x_wide, c->k_new, (int)c->kv_k, n);
}

/* Grouped-query attention, per token after the projections (tokens [b0, b1), split over the
   pool): biases, per-head norms, rotation, then k and v into the token's cache row. */
static void r1__gqa_prepare_range(void *arg, int b0, int b1) {
    const r1__attn_job *job = (const r1__attn_job *)arg;
    r1_context *c = job->c;
    const r1_model *m = c->model;
    const r1__layer *L = &m->layers[job->layer];
    int hk = m->head_dim_k, style = m->arch->rope_style, b;
    for (b = b0; b < b1; b++) {
        float *q = c->q + (size_t)b * c->q_stride, *k = c->k_new + (size_t)b * c->kv_k, *v = c->v_new + (size_t)b * c->kv_v;
        const float *cs = c->rope_cs + (size_t)b * m->n_rot;
        /* 1. biases (Qwen2) */
        r1__add_bias(q, L->bq, m->n_head * hk);
        r1__add_bias(k, L->bk, (int)c->kv_k);
        r1__add_bias(v, L->bv, (int)c->kv_v);
        /* 2. per-head RMSNorm before rotation (Qwen3) */
        if (L->q_norm) {
            r1__norm_heads(q, m->n_head, hk, L->q_norm, m->rms_eps);
            r1__norm_heads(k, m->n_head_kv, hk, L->k_norm, m->rms_eps);
        }
        /* 3. rotation */
        r1__rope_heads(q, m->n_head, hk, 0, cs, m->n_rot, style);
        r1__rope_heads(k, m->n_head_kv, hk, 0, cs, m->n_rot, style);
        /* 4. cache write */
        r1__cache_store_row(c, c->k_cache, job->layer, c->batch_row[b], k, c->kv_k);
        r1__cache_store_row(c, c->v_cache, job->layer, c->batch_row[b], v, c->kv_v);
    }
}

/* Multi-head latent attention, per token after the projections: the latent normalized, the
   shared rope key and each head's rope part of q rotated, the cache row written. */
static void r1__mla_prepare_range(void *arg, int b0, int b1) {
    const r1__attn_job *job = (const r1__attn_job *)arg;
    r1_context *c = job->c;
    const r1_model *m = c->model;
    const r1__layer *L = &m->layers[job->layer];
    int style = m->arch->rope_style, b;
    for (b = b0; b < b1; b++) {
        float *q = c->q + (size_t)b * c->q_stride, *k = c->k_new + (size_t)b * c->kv_k;
        const float *cs = c->rope_cs + (size_t)b * m->n_rot;
        r1__rmsnorm(k, k, L->kv_a_norm, m->kv_lora, m->rms_eps);                    /* 1. latent norm */
        r1__rope(k + m->kv_lora, cs, m->n_rot, style);                              /* 2. rotation */
        r1__rope_heads(q, m->n_head, m->head_dim_k, m->head_dim_nope, cs, m->n_rot, style);
        r1__cache_store_row(c, c->k_cache, job->layer, c->batch_row[b], k, c->kv_k); /* 3. cache write */
    }
}

/* The attention block of layer l for a batch of n tokens: every token's key and value go to
   the cache; tokens [lo, n) then attend over their sequences and add the result to their
   residual streams (lo == n: the cache rows are all this layer owes). */
static void r1__attention_block(r1_context *c, int l, int n, int lo) {
    const r1_model *m = c->model;
    const r1__layer *L = &m->layers[l];
    int n_embd = m->n_embd, W = c->x_wide, nr = n - lo;
    r1__attn_job job;
    job.c = c;
    job.layer = l;
    /* 1. pre-norm: x -> xb */
    r1__rmsnorm_rows(c, c->xb, W, c->x, n_embd, L->attn_norm, n_embd, n);
    /* 2. projections: q, and the cache rows k (and v) */
    if (m->arch->mla) r1__mla_projections(c, L, n);
    else r1__gqa_projections(c, L, n);
    /* 3. per token: biases, norms, rotation, cache write */
    r1__parallel_for(&c->pool, n, 4, m->arch->mla ? r1__mla_prepare_range : r1__gqa_prepare_range, &job);
    if (nr == 0) return;
    /* 4. attention over the cache: -> xb rows lo.., [n_head * head_dim_v] each */
    r1__attend(c, l, lo, n);
    /* 5. output projection and residual */
    r1__matmul(c, r1__mat(&L->wo, 0), c->xb + (size_t)lo * W, W, c->xb2, n_embd, nr);
    r1__add_rows(c->x + (size_t)lo * n_embd, c->xb2, (size_t)nr * n_embd);
}

/* ---- Feed-forward block steps --------------------------------------------------------- */

/* Experts routed few tokens run whole on one thread each (see R1__MOE_HERE): piece k of the
   job is expert c->expert_order[k]. */
typedef struct r1__moe_job {
    r1_context *c;
    const r1__layer *L;
    const r1_block_q8x *xq;   /* the batch's inputs quantized once (or NULL: floats from c->xb) */
    r1__claims experts;
} r1__moe_job;

static void r1__moe_here_worker(void *arg, int ith, int nth) {
    r1__moe_job *job = (r1__moe_job *)arg;
    r1_context *c = job->c;
    const r1_model *m = c->model;
    const r1__layer *L = job->L;
    int n_embd = m->n_embd, K = m->n_expert_used, F = m->n_ff_exp, k, mine = -1, b;
    size_t xqs = (size_t)c->xq_stride;
    r1_block_q8x *xq = c->moe_t_xq + (size_t)ith * R1__MOE_HERE * xqs;
    r1_block_q8x16 *xq16 = c->moe_t_xq16 ? c->moe_t_xq16 + (size_t)ith * xqs : NULL;
    float *gate = c->moe_t_ff + (size_t)ith * 2 * R1__MOE_HERE * F, *up = gate + (size_t)R1__MOE_HERE * F;
    float *io = c->moe_t_io + (size_t)ith * R1__MOE_HERE * n_embd;
    while ((k = r1__claim_next(&job->experts, &mine, ith, nth)) >= 0) {
        int e = c->expert_order[k], first = c->expert_first[e], cnt = c->expert_first[e + 1] - first;
        const int *slot = c->slot + first;
        r1__matrix gate_up[2], down = r1__mat(&L->down_exps, e);
        float *out2[2];
        int stride2[2];
        gate_up[0] = r1__mat(&L->gate_exps, e), gate_up[1] = r1__mat(&L->up_exps, e);
        out2[0] = gate, out2[1] = up, stride2[0] = stride2[1] = F;
        /* 1. gather its tokens' inputs */
        for (b = 0; b < cnt; b++) {
            if (job->xq) memcpy(xq + (size_t)b * xqs, job->xq + (size_t)(slot[b] / K) * xqs, (size_t)(n_embd / 32) * sizeof(r1_block_q8x));
            else memcpy(io + (size_t)b * n_embd, c->xb + (size_t)(slot[b] / K) * c->x_wide, (size_t)n_embd * sizeof(float));
        }
        /* 2. gate and up, silu(gate) * up, down */
        r1__matmul_here(c, 2, gate_up, out2, stride2, io, n_embd, cnt, job->xq ? xq : NULL, xq, xq16);
        for (b = 0; b < cnt; b++) c->kernels->silu_mul_f32(gate + (size_t)b * F, up + (size_t)b * F, gate_up[0].n_out);
        r1__matmul_here(c, 1, &down, &io, &n_embd, gate, F, cnt, NULL, xq, xq16);
        /* 3. its outputs to their slots */
        for (b = 0; b < cnt; b++) memcpy(c->moe_parts + (size_t)slot[b] * n_embd, io + (size_t)b * n_embd, (size_t)n_embd * sizeof(float));
    }
}

/* Routed experts (and shared ones) for nr tokens whose normed inputs are xb's rows: -> xb2's
   rows. Every token is routed first; then each chosen expert runs once over all the tokens
   routed to it (its weights read once per batch, only chosen experts' pages touched); each
   token then sums its experts' outputs in its own routing order, exactly as token by token. */
static void r1__moe(r1_context *c, const r1__layer *L, int nr) {
    const r1_model *m = c->model;
    int n_embd = m->n_embd, W = c->x_wide, K = m->n_expert_used, e, b, j, cnt, n_few = 0, n_here = 0;
    size_t xqs = (size_t)c->xq_stride;
    r1__matrix gate0 = r1__mat(&L->gate_exps, 0), up0 = r1__mat(&L->up_exps, 0);
    /* the experts' inputs quantized once per token, when the experts take them so (all experts
       of a layer share one type), rather than once by each of its experts */
    const r1_block_q8x *xq = r1__quantized_inputs(c, &gate0) && r1__quantized_inputs(c, &up0) ? c->moe_xq : NULL;
    int i;
    /* 1. routing: each token's K experts and their weights; the slots sorted by expert */
    r1__matmul(c, r1__mat(&L->gate_inp, 0), c->xb, W, c->router, m->n_expert, nr);
    for (b = 0; b < nr; b++) r1__route(c, L, c->router + (size_t)b * m->n_expert, c->chosen + b * K, c->expert_w + b * K);
    if (xq) r1__quantize_rows(c, c->xb, W, c->moe_xq, n_embd, nr);
    /* the slots sorted by expert: expert e's are slot[expert_first[e] .. expert_first[e + 1]) */
    for (e = 0; e <= m->n_expert; e++) c->expert_first[e] = 0;
    for (j = 0; j < nr * K; j++) c->expert_first[c->chosen[j] + 1]++;
    for (e = 0; e < m->n_expert; e++) c->expert_first[e + 1] += c->expert_first[e];
    for (e = 0; e < m->n_expert; e++) c->expert_order[e] = c->expert_first[e]; /* (for now: its next free slot) */
    for (j = 0; j < nr * K; j++) c->slot[c->expert_order[c->chosen[j]]++] = j;
    /* which experts run whole on one thread: those with few tokens, when they are enough to keep
       every thread busy (else each is spread over the pool, as one token's experts on many cores) */
    for (e = 0; e < m->n_expert; e++) {
        cnt = c->expert_first[e + 1] - c->expert_first[e];
        n_few += cnt > 0 && cnt <= R1__MOE_HERE;
    }
    if (n_few < 2 * c->pool.n_threads || gate0.n_out > m->n_ff_exp) n_few = 0;
    /* 2. the experts with many tokens (all, without such a split): one after another, each spread
       over the pool (gather its tokens' inputs, run it, scatter its outputs to their slots) */
    for (e = 0; e < m->n_expert; e++) {
        int first = c->expert_first[e];
        cnt = c->expert_first[e + 1] - first;
        if (cnt == 0) continue;
        if (n_few && cnt <= R1__MOE_HERE) { /* for step 3: into expert_order, most tokens first */
            int t;
            for (t = n_here++; t > 0 && c->expert_first[c->expert_order[t - 1] + 1] - c->expert_first[c->expert_order[t - 1]] < cnt; t--)
                c->expert_order[t] = c->expert_order[t - 1];
            c->expert_order[t] = e;
            continue;
        }
        for (i = 0; i < cnt; i++) {
            j = c->slot[first + i];
            if (xq) memcpy(c->xq + (size_t)i * xqs, xq + (size_t)(j / K) * xqs, (size_t)(n_embd / 32) * sizeof(r1_block_q8x));
            else memcpy(c->moe_in + (size_t)i * n_embd, c->xb + (size_t)(j / K) * W, (size_t)n_embd * sizeof(float));
        }
        r1__swiglu(c, r1__mat(&L->gate_exps, e), r1__mat(&L->up_exps, e), r1__mat(&L->down_exps, e), c->moe_in, n_embd, c->xb2, cnt,
                   xq ? c->xq : NULL);
        for (i = 0; i < cnt; i++)
            memcpy(c->moe_parts + (size_t)c->slot[first + i] * n_embd, c->xb2 + (size_t)i * n_embd, (size_t)n_embd * sizeof(float));
    }
    /* 3. the experts with few: each whole on one thread, the pool's threads on different experts,
       most tokens first (the same kernels on the same inputs as above: the same bits) */
    if (n_here > 0) {
        r1__moe_job job;
        job.c = c;
        job.L = L;
        job.xq = xq;
        r1__claims_init(&job.experts, n_here);
        r1__pool_run(&c->pool, r1__moe_here_worker, &job);
    }
    /* 4. the shared experts see every token: -> xb2 (their inputs are the routed ones, quantized
       the same way where their type takes them so) */
    if (L->gate_shexp.t) {
        r1__matrix sg = r1__mat(&L->gate_shexp, 0), su = r1__mat(&L->up_shexp, 0);
        r1__swiglu(c, sg, su, r1__mat(&L->down_shexp, 0), c->xb, W, c->xb2, nr,
                   xq && r1__quantized_inputs(c, &sg) && r1__quantized_inputs(c, &su) ? xq : NULL);
    }
    /* 5. per token: the weighted sum of its experts, plus the shared output -> xb2 */
    for (b = 0; b < nr; b++) {
        float *out = c->xb2 + (size_t)b * n_embd;
        for (i = 0; i < n_embd; i++) c->moe_out[i] = 0.0f;
        for (e = 0; e < K; e++) {
            const float *part = c->moe_parts + (size_t)(b * K + e) * n_embd;
            for (i = 0; i < n_embd; i++) c->moe_out[i] += c->expert_w[b * K + e] * part[i];
        }
        if (L->gate_shexp.t)
            for (i = 0; i < n_embd; i++) c->moe_out[i] += out[i];
        memcpy(out, c->moe_out, (size_t)n_embd * sizeof(float));
    }
}

/* The feed-forward block of a layer for tokens [lo, lo + nr) of the batch. */
static void r1__ffn_block(r1_context *c, const r1__layer *L, int lo, int nr) {
    const r1_model *m = c->model;
    int n_embd = m->n_embd, W = c->x_wide;
    float *x = c->x + (size_t)lo * n_embd;
    /* 1. pre-norm: x -> xb */
    r1__rmsnorm_rows(c, c->xb, W, x, n_embd, L->ffn_norm, n_embd, nr);
    /* 2. one SwiGLU, or routed experts: -> xb2 */
    if (L->moe) r1__moe(c, L, nr);
    else r1__swiglu(c, r1__mat(&L->w_gate, 0), r1__mat(&L->w_up, 0), r1__mat(&L->w_down, 0), c->xb, W, c->xb2, nr, NULL);
    /* 3. residual */
    r1__add_rows(x, c->xb2, (size_t)nr * n_embd);
}

/* ---- The network ---------------------------------------------------------------------- */

/* x's rows: the tokens' embedding rows, as floats */
static void r1__embed_tokens(r1_context *c, const int32_t *tokens, int n) {
    const r1_model *m = c->model;
    int b;
    for (b = 0; b < n; b++)
        r1__types[m->tok_embd.type].to_float(m->tok_embd.t->data + (size_t)tokens[b] * m->tok_embd.row_bytes,
                                             c->x + (size_t)b * m->n_embd, m->n_embd);
}

/* logits of tokens [first, n): final norm, then the output matrix */
static void r1__output_logits(r1_context *c, int first, int n, float *logits) {
    const r1_model *m = c->model;
    int W = c->x_wide, b;
    for (b = first; b < n; b++) r1__rmsnorm(c->xb + (size_t)(b - first) * W, c->x + (size_t)b * m->n_embd, m->output_norm, m->n_embd, m->rms_eps);
    r1__matmul(c, r1__mat(&m->output, 0), c->xb, W, logits, m->n_vocab, n - first);
}

/* A batch of n tokens through the whole network, layer by layer: every matrix multiplies all n
   at once. The caller put each token's sequence, position and cache row in c->batch_seq /
   batch_pos / batch_row; keys and values are computed into k_new / v_new and scattered to
   those rows before attention, so a token sees its own sequence's earlier rows (a shared
   prefix included) and itself. Writes each token's logits to logits + b*n_vocab when
   all_logits, else only the last token's to logits. */
static int r1__forward(r1_context *c, const int32_t *tokens, int n, float *logits, int all_logits) {
    const r1_model *m = c->model;
    int l;
    r1__embed_tokens(c, tokens, n);
    r1__rope_table(c, n); /* each token's cosines and sines, shared by every head of every layer */
    for (l = 0; l < m->n_layer; l++) {
        if (r1__abort_take(&c->abort_requested)) return 0;
        /* past the cache rows, the last layer only matters for the positions whose logits are
           asked for: tokens [lo, n), none when no logits are (a prompt's earlier batches) */
        int lo = l < m->n_layer - 1 ? 0 : !logits ? n : all_logits ? 0 : n - 1;
        r1__attention_block(c, l, n, lo);
        if (lo == n) break;
        r1__ffn_block(c, &m->layers[l], lo, n - lo);
    }
    if (logits) r1__output_logits(c, all_logits ? 0 : n - 1, n, logits);
    return 1;
}

/* Claims cache rows for tokens appended to seqs[0..n) and fills the batch description. */
static void r1__batch_begin(r1_context *c, const int32_t *tokens, const int *seqs, int n) {
    int b;
    for (b = 0; b < n; b++) {
        int s = seqs[b], row = c->free_rows[--c->n_free];
        c->batch_seq[b] = s;
        c->batch_pos[b] = c->seq_len[s]++;
        c->batch_row[b] = row;
        c->row_refs[row] = 1;
        c->seq_rows[(size_t)s * c->n_ctx + c->batch_pos[b]] = row;
        c->row_token[row] = tokens[b];
    }
}

static r1_status r1__check_tokens(const r1_context *c, const char *fn, const int32_t *tokens, int n, r1_error *err) {
    int i;
    if (n < 0 || (n > 0 && !tokens)) return r1__fail(err, R1_ERR_ARGUMENT, "%s: no tokens given", fn);
    if (n > c->n_free)
        return r1__fail(err, R1_ERR_CONTEXT_FULL, "%s: %d tokens do not fit: %d of %d context positions are used",
                        fn, n, c->n_ctx - c->n_free, c->n_ctx);
    for (i = 0; i < n; i++)
        if (tokens[i] < 0 || tokens[i] >= c->model->n_vocab)
            return r1__fail(err, R1_ERR_ARGUMENT, "%s: token %d (at index %d) is outside the vocabulary [0, %d)",
                            fn, tokens[i], i, c->model->n_vocab);
    return R1_OK;
}

/* r1_eval_seq without dropping a stale abort (generation calls it between its steps). */
static r1_status r1__eval_seq(r1_context *c, int seq, const int32_t *tokens, int n_tokens, float *all_logits, r1_error *err) {
    int i, b, seqs[R1__BATCH_MAX];
    if (!c) return r1__fail(err, R1_ERR_ARGUMENT, "r1_eval: context is NULL");
    if (seq < 0 || seq >= c->n_seq) return r1__fail(err, R1_ERR_ARGUMENT, "r1_eval: sequence %d is not in [0, %d)", seq, c->n_seq);
    R1__TRY(r1__check_tokens(c, "r1_eval", tokens, n_tokens, err)); /* full context: R1_ERR_CONTEXT_FULL, err or not */
    for (b = 0; b < c->n_batch; b++) seqs[b] = seq;
    for (i = 0; i < n_tokens; i += c->n_batch) { /* the prompt in batches: each weight read once per batch */
        int nb = n_tokens - i < c->n_batch ? n_tokens - i : c->n_batch, last = i + nb == n_tokens;
        float *out = all_logits ? all_logits + (size_t)i * c->model->n_vocab : last ? c->logits : NULL;
        r1__batch_begin(c, tokens + i, seqs, nb);
        if (!r1__forward(c, tokens + i, nb, out, all_logits != NULL)) { /* keep the batches before this one */
            r1__seq_cut(c, seq, c->seq_len[seq] - nb);
            return r1__fail(err, R1_ERR_ABORTED, "r1_eval: aborted after %d of %d tokens", i, n_tokens);
        }
    }
    if (all_logits && n_tokens > 0)
        memcpy(c->logits, all_logits + (size_t)(n_tokens - 1) * c->model->n_vocab, (size_t)c->model->n_vocab * sizeof(float));
    r1__ok(err);
    return R1_OK;
}

R1_API r1_status r1_eval_seq(r1_context *c, int seq, const int32_t *tokens, int n_tokens, float *all_logits, r1_error *err) {
    if (c) r1__abort_take(&c->abort_requested); /* raised while nothing ran: dropped */
    return r1__eval_seq(c, seq, tokens, n_tokens, all_logits, err);
}

R1_API r1_status r1_eval(r1_context *c, const int32_t *tokens, int n_tokens, float *all_logits, r1_error *err) {
    return r1_eval_seq(c, 0, tokens, n_tokens, all_logits, err);
}

static r1_status r1__decode_batch(r1_context *c, const int32_t *tokens, const int *seqs, int n, float *logits, r1_error *err) {
    int i;
    if (!c) return r1__fail(err, R1_ERR_ARGUMENT, "r1_decode_batch: context is NULL");
    R1__TRY(r1__check_tokens(c, "r1_decode_batch", tokens, n, err));
    if (n > 0 && !seqs) return r1__fail(err, R1_ERR_ARGUMENT, "r1_decode_batch: seqs is NULL");
    for (i = 0; i < n; i++)
        if (seqs[i] < 0 || seqs[i] >= c->n_seq)
            return r1__fail(err, R1_ERR_ARGUMENT, "r1_decode_batch: sequence %d (at index %d) is not in [0, %d)", seqs[i], i, c->n_seq);
    for (i = 0; i < n; i += c->n_batch) {
        int nb = n - i < c->n_batch ? n - i : c->n_batch;
        r1__batch_begin(c, tokens + i, seqs + i, nb);
        if (!r1__forward(c, tokens + i, nb, logits ? logits + (size_t)i * c->model->n_vocab : NULL, 1)) {
            int j; /* nothing is appended: drop this call's tokens, last first */
            for (j = i + nb - 1; j >= 0; j--) r1__seq_cut(c, seqs[j], c->seq_len[seqs[j]] - 1);
            return r1__fail(err, R1_ERR_ABORTED, "r1_decode_batch: aborted");
        }
    }
    r1__ok(err);
    return R1_OK;
}

R1_API r1_status r1_decode_batch(r1_context *c, const int32_t *tokens, const int *seqs, int n, float *logits, r1_error *err) {
    if (c) r1__abort_take(&c->abort_requested); /* raised while nothing ran: dropped */
    return r1__decode_batch(c, tokens, seqs, n, logits, err);
}

/* ---- Saved sessions ---------------------------------------------------------------------------
   A session file holds what a context needs to go on as if it never stopped: the cache rows in
   use (not the whole allocation) with the token each holds, every sequence's list of rows, and
   the last logits. Its header names the model by a hash of its tensor layout and the first
   bytes of each tensor, so it loads only into the model that wrote it. Layout (little-endian):
       "r1sessn\1"  u32 version  u32 cache type (0 float32, 1 float16, 2 Q8_0: the elements below)
       u64 model hash  u32 n_layer kv_k kv_v n_vocab
       u32 n_seq  u32 n_rows  i32 token[n_rows]  per sequence: u32 len, u32 row[len]
       f32 logits[n_vocab]  per layer: keys [n_rows][kv_k], values [n_rows][kv_v]  "end\n" */

static const char r1__session_magic[8] = { 'r', '1', 's', 'e', 's', 's', 'n', 1 };
static const int r1__session_kv_types[3] = { R1_KV_F32, R1_KV_F16, R1_KV_Q8_0 }; /* by the header's cache type */
static const char *const r1__session_kv_names[3] = { "float32", "float16", "Q8_0" };
static uint32_t r1__session_kv_code(int kv_type) { /* the table's inverse */
    uint32_t code = 0;
    while (code < 2 && r1__session_kv_types[code] != kv_type) code++;
    return code;
}
#define R1__SESSION_VERSION 1u

/* FNV-1a, streamable: the hash of a + b continues from the state after a. */
#define R1__FNV_START 1469598103934665603ull
static uint64_t r1__fnv(uint64_t h, const char *s, size_t n) {
    size_t i;
    for (i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The model's identity for sessions: tensor names, types and shapes, and each tensor's first
   64 bytes (two fine-tunes of one architecture differ there). */
static uint64_t r1__model_hash(const r1_model *m) {
    uint64_t h = R1__FNV_START, i;
    h = r1__fnv(h, m->arch_name, strlen(m->arch_name));
    for (i = 0; i < m->gguf.n_tensors; i++) {
        const r1__tensor *t = &m->gguf.tensors[i];
        h = r1__fnv(h, t->name.ptr, (size_t)t->name.len);
        h = r1__fnv(h, (const char *)&t->type, sizeof t->type);
        h = r1__fnv(h, (const char *)t->ne, sizeof t->ne);
        if (t->data) h = r1__fnv(h, (const char *)t->data, t->nbytes < 64 ? (size_t)t->nbytes : 64);
    }
    return h;
}

typedef struct r1__sink {
    unsigned char *buf;       /* a caller's buffer, or NULL */
    size_t size, pos;         /* its size; bytes written (or counted when there is no buffer) */
    FILE *f;                  /* or a file */
    int failed;
} r1__sink;

static void r1__put(r1__sink *s, const void *p, size_t n) {
    if (s->failed || n == 0) return;
    if (s->f) { if (fwrite(p, 1, n, s->f) != n) s->failed = 1; }
    else if (s->buf) { if (n > s->size - s->pos) s->failed = 1; else memcpy(s->buf + s->pos, p, n); }
    s->pos += n;
}
static void r1__put32(r1__sink *s, uint32_t v) { r1__put(s, &v, 4); }

static void r1__session_write(const r1_context *c, r1__sink *s) {
    const r1_model *m = c->model;
    int32_t *index = (int32_t *)r1__calloc((size_t)c->n_ctx, sizeof *index), *used;
    uint32_t n_rows = 0, r, q;
    int l, seq;
    uint64_t h = r1__model_hash(m);
    if (!index) { s->failed = 1; return; }
    used = index; /* rows in use, in row order; index[row] = its place among them (reused array) */
    for (r = 0; r < (uint32_t)c->n_ctx; r++) index[r] = c->row_refs[r] > 0 ? (int32_t)n_rows++ : -1;
    r1__put(s, r1__session_magic, 8);
    r1__put32(s, R1__SESSION_VERSION);
    r1__put32(s, r1__session_kv_code(c->kv_type));
    r1__put(s, &h, 8);
    r1__put32(s, (uint32_t)m->n_layer); r1__put32(s, (uint32_t)c->kv_k); r1__put32(s, (uint32_t)c->kv_v);
    r1__put32(s, (uint32_t)m->n_vocab);
    r1__put32(s, (uint32_t)c->n_seq);
    r1__put32(s, n_rows);
    for (r = 0; r < (uint32_t)c->n_ctx; r++)
        if (index[r] >= 0) r1__put(s, &c->row_token[r], 4);
    for (seq = 0; seq < c->n_seq; seq++) {
        r1__put32(s, (uint32_t)c->seq_len[seq]);
        for (q = 0; q < (uint32_t)c->seq_len[seq]; q++) r1__put32(s, (uint32_t)index[c->seq_rows[(size_t)seq * c->n_ctx + q]]);
    }
    r1__put(s, c->logits, (size_t)m->n_vocab * sizeof(float));
    for (l = 0; l < m->n_layer; l++)
        for (q = 0; q < 2; q++) {
            size_t w = (q == 0 ? c->kv_k : c->kv_v) / (size_t)c->kv_heads; /* a head's elements */
            const unsigned char *base = (const unsigned char *)(q == 0 ? c->k_cache : c->v_cache);
            int h;
            for (r = 0; r < (uint32_t)c->n_ctx && w > 0; r++)
                if (used[r] >= 0) /* the row as the token's heads side by side */
                    for (h = 0; h < c->kv_heads; h++)
                        r1__put(s, base + r1__kv_bytes(c->kv_type, r1__kv_plane(c, l, h, w) + r * w), r1__kv_bytes(c->kv_type, w));
        }
    r1__put(s, "end\n", 4);
    R1_FREE(index);
}

R1_API size_t r1_context_save_size(const r1_context *c) {
    r1__sink s;
    if (!c) return 0;
    memset(&s, 0, sizeof s);
    r1__session_write(c, &s);
    return s.failed ? 0 : s.pos;
}

R1_API r1_status r1_context_save_buffer(const r1_context *c, void *buf, size_t size, size_t *written, r1_error *err) {
    r1__sink s;
    if (written) *written = 0;
    if (!c || !buf) return r1__fail(err, R1_ERR_ARGUMENT, "r1_context_save_buffer: bad arguments");
    memset(&s, 0, sizeof s);
    s.buf = (unsigned char *)buf;
    s.size = size;
    r1__session_write(c, &s);
    if (s.failed) return r1__fail(err, s.pos > size ? R1_ERR_ARGUMENT : R1_ERR_MEMORY,
                                  "r1_context_save_buffer: the session needs %zu bytes, the buffer has %zu", r1_context_save_size(c), size);
    if (written) *written = s.pos;
    r1__ok(err);
    return R1_OK;
}

/* Written to "<path>.part", then renamed over path: a failure never leaves a broken session or
   replaces the one that was there. */
R1_API r1_status r1_context_save(const r1_context *c, const char *path, r1_error *err) {
    r1__sink s;
    char *part;
    size_t n;
    int closed;
    if (!c || !path || !path[0]) return r1__fail(err, R1_ERR_ARGUMENT, "r1_context_save: bad arguments");
    n = strlen(path);
    if (!(part = (char *)R1_MALLOC(n + 6))) return r1__fail(err, R1_ERR_MEMORY, "out of memory");
    memcpy(part, path, n);
    memcpy(part + n, ".part", 6);
    memset(&s, 0, sizeof s);
    if (!(s.f = r1__fopen(part, "wb"))) {
        r1__fail(err, R1_ERR_IO, "r1_context_save: cannot write '%.200s'", part);
        R1_FREE(part);
        return R1_ERR_IO;
    }
    r1__session_write(c, &s);
    closed = fclose(s.f) == 0;
    if (s.failed || !closed || r1__rename(part, path) != 0) {
        r1__remove(part);
        R1_FREE(part);
        return r1__fail(err, R1_ERR_IO, "r1_context_save: cannot write '%.200s' (disk full?)", path);
    }
    R1_FREE(part);
    r1__ok(err);
    return R1_OK;
}

typedef struct r1__src {
    const unsigned char *p, *end;
} r1__src;
static int r1__get(r1__src *s, void *out, size_t n) {
    if ((size_t)(s->end - s->p) < n) return 0;
    memcpy(out, s->p, n);
    s->p += n;
    return 1;
}

R1_API r1_status r1_context_load_buffer(r1_context *c, const void *buf, size_t size, r1_error *err) {
    const r1_model *m;
    r1__src s;
    char magic[8];
    uint32_t version = 0, kv_code = 0, n_layer = 0, kv_k = 0, kv_v = 0, n_vocab = 0, n_seq = 0, n_rows = 0, r, q, len = 0;
    uint64_t h;
    const unsigned char *tokens;
    int32_t *refs;
    const unsigned char *seq_start;
    size_t kv_bytes;
    int seq, l;
    if (!c || (!buf && size)) return r1__fail(err, R1_ERR_ARGUMENT, "r1_context_load: bad arguments");
    m = c->model;
    s.p = (const unsigned char *)buf;
    s.end = s.p + size;
    if (!r1__get(&s, magic, 8) || memcmp(magic, r1__session_magic, 8) != 0)
        return r1__fail(err, R1_ERR_FORMAT, "session: not an r1.h session (bad magic)");
    if (!r1__get(&s, &version, 4) || version != R1__SESSION_VERSION)
        return r1__fail(err, R1_ERR_UNSUPPORTED, "session: version %u, this r1.h reads %u", version, R1__SESSION_VERSION);
    if (!r1__get(&s, &kv_code, 4) || !r1__get(&s, &h, 8) || !r1__get(&s, &n_layer, 4) || !r1__get(&s, &kv_k, 4) ||
        !r1__get(&s, &kv_v, 4) || !r1__get(&s, &n_vocab, 4) || !r1__get(&s, &n_seq, 4) || !r1__get(&s, &n_rows, 4))
        return r1__fail(err, R1_ERR_FORMAT, "session: truncated header");
    if (h != r1__model_hash(m) || n_layer != (uint32_t)m->n_layer || kv_k != c->kv_k || kv_v != c->kv_v || n_vocab != (uint32_t)m->n_vocab)
        return r1__fail(err, R1_ERR_ARGUMENT, "session: it was saved from another model");
    if (kv_code > 2) return r1__fail(err, R1_ERR_FORMAT, "session: unknown cache type %u", kv_code);
    if (r1__session_kv_types[kv_code] != c->kv_type)
        return r1__fail(err, R1_ERR_ARGUMENT, "session: its cache is %s, this context's %s (kv_type)", r1__session_kv_names[kv_code],
                        r1__session_kv_names[r1__session_kv_code(c->kv_type)]);
    if (n_seq > (uint32_t)c->n_seq) return r1__fail(err, R1_ERR_ARGUMENT, "session: %u sequences, the context holds %d (n_seq)", n_seq, c->n_seq);
    if (n_rows > (uint32_t)c->n_ctx)
        return r1__fail(err, R1_ERR_CONTEXT_FULL, "session: %u tokens do not fit a context of %d (n_ctx)", n_rows, c->n_ctx);
    /* check everything before touching the context: tokens, sequences, then the exact size */
    tokens = s.p;
    if ((size_t)(s.end - s.p) / 4 < n_rows) return r1__fail(err, R1_ERR_FORMAT, "session: truncated tokens");
    refs = (int32_t *)r1__calloc((size_t)n_rows + 1, sizeof *refs);
    if (!refs) return r1__fail(err, R1_ERR_MEMORY, "out of memory");
    for (r = 0; r < n_rows; r++) {
        int32_t t;
        memcpy(&t, s.p + 4 * (size_t)r, 4);
        if (t < 0 || t >= m->n_vocab) { R1_FREE(refs); return r1__fail(err, R1_ERR_FORMAT, "session: token %d outside the vocabulary", t); }
    }
    s.p += 4 * (size_t)n_rows;
    seq_start = s.p;
    for (seq = 0; seq < (int)n_seq; seq++) {
        if (!r1__get(&s, &len, 4) || len > n_rows || (size_t)(s.end - s.p) / 4 < len) {
            R1_FREE(refs);
            return r1__fail(err, R1_ERR_FORMAT, "session: sequence %d is truncated or longer than its rows", seq);
        }
        for (q = 0; q < len; q++) {
            uint32_t row = 0;
            r1__get(&s, &row, 4);
            if (row >= n_rows) { R1_FREE(refs); return r1__fail(err, R1_ERR_FORMAT, "session: sequence %d names row %u of %u", seq, row, n_rows); }
            refs[row]++;
        }
    }
    for (r = 0; r < n_rows; r++)
        if (refs[r] == 0) { R1_FREE(refs); return r1__fail(err, R1_ERR_FORMAT, "session: row %u belongs to no sequence", r); }
    kv_bytes = (size_t)n_layer * n_rows * r1__kv_bytes(c->kv_type, kv_k + kv_v); /* below the context's own cache size */
    if ((size_t)(s.end - s.p) != (size_t)n_vocab * sizeof(float) + kv_bytes + 4 ||
        memcmp(s.end - 4, "end\n", 4) != 0) {
        R1_FREE(refs);
        return r1__fail(err, R1_ERR_FORMAT, "session: %zu bytes after the sequences, %zu expected", (size_t)(s.end - s.p),
                        (size_t)n_vocab * sizeof(float) + kv_bytes + 4);
    }
    /* valid: rebuild the context. Saved row i goes to the i-th free row. */
    r1_context_reset(c);
    for (r = 0; r < n_rows; r++) {
        int32_t row = c->free_rows[--c->n_free];
        c->row_refs[row] = refs[r];
        memcpy(&c->row_token[row], tokens + 4 * (size_t)r, 4);
        refs[r] = row; /* from here: saved row -> context row */
    }
    s.p = seq_start;
    for (seq = 0; seq < (int)n_seq; seq++) {
        r1__get(&s, &len, 4);
        for (q = 0; q < len; q++) {
            uint32_t row = 0;
            r1__get(&s, &row, 4);
            c->seq_rows[(size_t)seq * c->n_ctx + q] = refs[row];
        }
        c->seq_len[seq] = (int)len;
    }
    r1__get(&s, c->logits, (size_t)n_vocab * sizeof(float));
    for (l = 0; l < (int)n_layer; l++)
        for (q = 0; q < 2; q++) {
            size_t w = (q == 0 ? kv_k : kv_v) / (size_t)c->kv_heads; /* a head's elements */
            unsigned char *base = (unsigned char *)(q == 0 ? c->k_cache : c->v_cache);
            int h;
            for (r = 0; r < n_rows && w > 0; r++)
                for (h = 0; h < c->kv_heads; h++) {
                    memcpy(base + r1__kv_bytes(c->kv_type, r1__kv_plane(c, l, h, w) + (size_t)refs[r] * w), s.p, r1__kv_bytes(c->kv_type, w));
                    s.p += r1__kv_bytes(c->kv_type, w);
                }
        }
    R1_FREE(refs);
    r1__ok(err);
    return R1_OK;
}

R1_API r1_status r1_context_load(r1_context *c, const char *path, r1_error *err) {
    r1__mapping map;
    r1_status st;
    if (!c || !path) return r1__fail(err, R1_ERR_ARGUMENT, "r1_context_load: bad arguments");
    if ((st = r1__map_file(&map, path, err)) != R1_OK) return st;
    st = r1_context_load_buffer(c, map.addr, map.size, err);
    if (st != R1_OK && err) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%.100s: %.150s", path, err->message);
        memcpy(err->message, msg, sizeof msg);
    }
    r1__unmap_file(&map);
    return st;
}

R1_API int r1_seq_tokens(const r1_context *c, int seq, int32_t *out, int max) {
    int p, n;
    if (!c || seq < 0 || seq >= c->n_seq || max < 0 || (max > 0 && !out)) return -1;
    n = c->seq_len[seq];
    for (p = 0; p < n && p < max; p++) out[p] = c->row_token[c->seq_rows[(size_t)seq * c->n_ctx + p]];
    return n;
}

/* ======================================================================================
   9. TOKENIZER
   Byte-level BPE exact to Hugging Face `tokenizers`: added tokens are cut out first (longest
   match), the rest is NFC-normalized where the tokenizer asks for it, split by the
   pre-tokenizer's regex (hand-written matchers below, one per family), mapped byte by byte to
   the GPT-2 alphabet, and merged by rank.
   ====================================================================================== */

/* BEGIN GENERATED UNICODE TABLES (tools/gen_unicode.py, Unicode 15.0.0) */
static const uint32_t r1__uc_class[2253] = {
    0x0,0x4e,0x70,0x106,0x10b,0x124,0x12b,0x15c,0x163,0x182,0x1d3,0x1e4,0x1fb,0x209,0x2db,0x2f4,
    0x2fb,0x304,0x309,0x3db,0x3e4,0x3eb,0x3f4,0x3f8,0x42e,0x430,0x506,0x50b,0x514,0x53b,0x544,0x551,
    0x55b,0x564,0x568,0x574,0x592,0x5a4,0x5a9,0x5b3,0x5c4,0x5ca,0x5d1,0x5db,0x5e2,0x5fb,0x601,0x6bc,
    0x6c1,0x7bc,0x7c1,0x1614,0x1631,0x1694,0x1701,0x172c,0x1761,0x176c,0x1771,0x177c,0x1805,0x1b81,
    0x1bac,0x1bb1,0x1bc0,0x1bd1,0x1bf3,0x1bf9,0x1c00,0x1c24,0x1c31,0x1c3b,0x1c41,0x1c58,0x1c61,
    0x1c68,0x1c71,0x1d10,0x1d19,0x1fb4,0x1fb9,0x2414,0x241d,0x2451,0x2980,0x2989,0x2ab8,0x2ac9,
    0x2ad3,0x2b01,0x2c4b,0x2c58,0x2c6c,0x2c80,0x2c8d,0x2df3,0x2dfd,0x2e03,0x2e0d,0x2e1b,0x2e25,
    0x2e33,0x2e3d,0x2e40,0x2e81,0x2f58,0x2f79,0x2f9b,0x2fa8,0x3034,0x304b,0x305c,0x3063,0x3074,
    0x3085,0x30db,0x30e0,0x30eb,0x3101,0x325d,0x3302,0x3353,0x3371,0x3385,0x3389,0x36a3,0x36a9,
    0x36b5,0x36e8,0x36f4,0x36fd,0x3729,0x373d,0x374c,0x3755,0x3771,0x3782,0x37d1,0x37ec,0x37f9,
    0x3803,0x3870,0x3881,0x388d,0x3891,0x3985,0x3a58,0x3a69,0x3d35,0x3d89,0x3d90,0x3e02,0x3e51,
    0x3f5d,0x3fa1,0x3fb4,0x3fbb,0x3fd1,0x3fd8,0x3fed,0x3ff4,0x4001,0x40b5,0x40d1,0x40dd,0x4121,
    0x412d,0x4141,0x414d,0x4170,0x4183,0x41f8,0x4201,0x42cd,0x42e0,0x42f3,0x42f8,0x4301,0x4358,
    0x4381,0x4444,0x4449,0x4478,0x44c5,0x4501,0x4655,0x4710,0x471d,0x4821,0x49d5,0x49e9,0x49f5,
    0x4a81,0x4a8d,0x4ac1,0x4b15,0x4b23,0x4b32,0x4b83,0x4b89,0x4c0d,0x4c20,0x4c29,0x4c68,0x4c79,
    0x4c88,0x4c99,0x4d48,0x4d51,0x4d88,0x4d91,0x4d98,0x4db1,0x4dd0,0x4de5,0x4de9,0x4df5,0x4e28,
    0x4e3d,0x4e48,0x4e5d,0x4e71,0x4e78,0x4ebd,0x4ec0,0x4ee1,0x4ef0,0x4ef9,0x4f15,0x4f20,0x4f32,
    0x4f81,0x4f94,0x4fa2,0x4fd4,0x4fe1,0x4feb,0x4ff5,0x4ff8,0x500d,0x5020,0x5029,0x5058,0x5079,
    0x5088,0x5099,0x5148,0x5151,0x5188,0x5191,0x51a0,0x51a9,0x51b8,0x51c1,0x51d0,0x51e5,0x51e8,
    0x51f5,0x5218,0x523d,0x5248,0x525d,0x5270,0x528d,0x5290,0x52c9,0x52e8,0x52f1,0x52f8,0x5332,
    0x5385,0x5391,0x53ad,0x53b3,0x53b8,0x540d,0x5420,0x5429,0x5470,0x5479,0x5490,0x5499,0x5548,
    0x5551,0x5588,0x5591,0x55a0,0x55a9,0x55d0,0x55e5,0x55e9,0x55f5,0x5630,0x563d,0x5650,0x565d,
    0x5670,0x5681,0x5688,0x5701,0x5715,0x5720,0x5732,0x5783,0x578c,0x5790,0x57c9,0x57d5,0x5800,
    0x580d,0x5820,0x5829,0x5868,0x5879,0x5888,0x5899,0x5948,0x5951,0x5988,0x5991,0x59a0,0x59a9,
    0x59d0,0x59e5,0x59e9,0x59f5,0x5a28,0x5a3d,0x5a48,0x5a5d,0x5a70,0x5aad,0x5ac0,0x5ae1,0x5af0,
    0x5af9,0x5b15,0x5b20,0x5b32,0x5b84,0x5b89,0x5b92,0x5bc0,0x5c15,0x5c19,0x5c20,0x5c29,0x5c58,
    0x5c71,0x5c88,0x5c91,0x5cb0,0x5cc9,0x5cd8,0x5ce1,0x5ce8,0x5cf1,0x5d00,0x5d19,0x5d28,0x5d41,
    0x5d58,0x5d71,0x5dd0,0x5df5,0x5e18,0x5e35,0x5e48,0x5e55,0x5e70,0x5e81,0x5e88,0x5ebd,0x5ec0,
    0x5f32,0x5f9c,0x5fd8,0x6005,0x6029,0x6068,0x6071,0x6088,0x6091,0x6148,0x6151,0x61d0,0x61e5,
    0x61e9,0x61f5,0x6228,0x6235,0x6248,0x6255,0x6270,0x62ad,0x62b8,0x62c1,0x62d8,0x62e9,0x62f0,
    0x6301,0x6315,0x6320,0x6332,0x6380,0x63bb,0x63c2,0x63fc,0x6401,0x640d,0x6423,0x6429,0x6468,
    0x6471,0x6488,0x6491,0x6548,0x6551,0x65a0,0x65a9,0x65d0,0x65e5,0x65e9,0x65f5,0x6628,0x6635,
    0x6648,0x6655,0x6670,0x66ad,0x66b8,0x66e9,0x66f8,0x6701,0x6715,0x6720,0x6732,0x6780,0x6789,
    0x679d,0x67a0,0x6805,0x6821,0x6868,0x6871,0x6888,0x6891,0x69dd,0x69e9,0x69f5,0x6a28,0x6a35,
    0x6a48,0x6a55,0x6a71,0x6a7c,0x6a80,0x6aa1,0x6abd,0x6ac2,0x6af9,0x6b15,0x6b20,0x6b32,0x6bcc,
    0x6bd1,0x6c00,0x6c0d,0x6c20,0x6c29,0x6cb8,0x6cd1,0x6d90,0x6d99,0x6de0,0x6de9,0x6df0,0x6e01,
    0x6e38,0x6e55,0x6e58,0x6e7d,0x6ea8,0x6eb5,0x6eb8,0x6ec5,0x6f00,0x6f32,0x6f80,0x6f95,0x6fa3,
    0x6fa8,0x7009,0x718d,0x7191,0x71a5,0x71d8,0x71fc,0x7201,0x723d,0x727b,0x7282,0x72d3,0x72e0,
    0x7409,0x7418,0x7421,0x7428,0x7431,0x7458,0x7461,0x7520,0x7529,0x7530,0x7539,0x758d,0x7591,
    0x75a5,0x75e9,0x75f0,0x7601,0x7628,0x7631,0x7638,0x7645,0x7678,0x7682,0x76d0,0x76e1,0x7700,
    0x7801,0x780c,0x7823,0x789c,0x78a3,0x78ac,0x78c5,0x78d4,0x7902,0x79a4,0x79ad,0x79b4,0x79bd,
    0x79c4,0x79cd,0x79d3,0x79f5,0x7a01,0x7a40,0x7a49,0x7b68,0x7b8d,0x7c2b,0x7c35,0x7c41,0x7c6d,
    0x7cc0,0x7ccd,0x7de8,0x7df4,0x7e35,0x7e3c,0x7e68,0x7e74,0x7e83,0x7eac,0x7ecb,0x7ed8,0x8001,
    0x815d,0x81f9,0x8202,0x8253,0x8281,0x82b5,0x82d1,0x82f5,0x8309,0x8315,0x8329,0x833d,0x8371,
    0x838d,0x83a9,0x8415,0x8471,0x847d,0x8482,0x84d5,0x84f4,0x8501,0x8630,0x8639,0x8640,0x8669,
    0x8670,0x8681,0x87db,0x87e1,0x9248,0x9251,0x9270,0x9281,0x92b8,0x92c1,0x92c8,0x92d1,0x92f0,
    0x9301,0x9448,0x9451,0x9470,0x9481,0x9588,0x9591,0x95b0,0x95c1,0x95f8,0x9601,0x9608,0x9611,
    0x9630,0x9641,0x96b8,0x96c1,0x9888,0x9891,0x98b0,0x98c1,0x9ad8,0x9aed,0x9b03,0x9b4a,0x9be8,
    0x9c01,0x9c84,0x9cd0,0x9d01,0x9fb0,0x9fc1,0x9ff0,0xa003,0xa009,0xb36c,0xb373,0xb379,0xb406,
    0xb409,0xb4db,0xb4e8,0xb501,0xb75b,0xb772,0xb789,0xb7c8,0xb801,0xb895,0xb8b0,0xb8f9,0xb995,
    0xb9ab,0xb9b8,0xba01,0xba95,0xbaa0,0xbb01,0xbb68,0xbb71,0xbb88,0xbb95,0xbba0,0xbc01,0xbda5,
    0xbea3,0xbeb9,0xbec3,0xbedc,0xbee1,0xbeed,0xbef0,0xbf02,0xbf50,0xbf82,0xbfd0,0xc003,0xc05d,
    0xc070,0xc07d,0xc082,0xc0d0,0xc101,0xc3c8,0xc401,0xc42d,0xc439,0xc54d,0xc551,0xc558,0xc581,
    0xc7b0,0xc801,0xc8f8,0xc905,0xc960,0xc985,0xc9e0,0xca04,0xca08,0xca23,0xca32,0xca81,0xcb70,
    0xcb81,0xcba8,0xcc01,0xcd60,0xcd81,0xce50,0xce82,0xced8,0xcef4,0xd001,0xd0bd,0xd0e0,0xd0f3,
    0xd101,0xd2ad,0xd2f8,0xd305,0xd3e8,0xd3fd,0xd402,0xd450,0xd482,0xd4d0,0xd503,0xd539,0xd543,
    0xd570,0xd585,0xd678,0xd805,0xd829,0xd9a5,0xda29,0xda68,0xda82,0xdad3,0xdb0c,0xdb5d,0xdba4,
    0xdbeb,0xdbf8,0xdc05,0xdc19,0xdd0d,0xdd71,0xdd82,0xddd1,0xdf35,0xdfa0,0xdfe3,0xe001,0xe125,
    0xe1c0,0xe1db,0xe202,0xe250,0xe269,0xe282,0xe2d1,0xe3f3,0xe401,0xe448,0xe481,0xe5d8,0xe5e9,
    0xe603,0xe640,0xe685,0xe69b,0xe6a5,0xe749,0xe76d,0xe771,0xe7a5,0xe7a9,0xe7bd,0xe7d1,0xe7d8,
    0xe801,0xee05,0xf001,0xf8b0,0xf8c1,0xf8f0,0xf901,0xfa30,0xfa41,0xfa70,0xfa81,0xfac0,0xfac9,
    0xfad0,0xfad9,0xfae0,0xfae9,0xfaf0,0xfaf9,0xfbf0,0xfc01,0xfda8,0xfdb1,0xfdec,0xfdf1,0xfdfc,
    0xfe11,0xfe28,0xfe31,0xfe6c,0xfe81,0xfea0,0xfeb1,0xfee0,0xfeec,0xff01,0xff6c,0xff80,0xff91,
    0xffa8,0xffb1,0xffec,0xfff8,0x10006,0x10058,0x10083,0x10146,0x10150,0x1017e,0x10183,0x10224,
    0x1022b,0x10294,0x1029b,0x102fe,0x10300,0x10382,0x10389,0x10390,0x103a2,0x103d4,0x103eb,0x103f9,
    0x10402,0x10454,0x1046b,0x10478,0x10481,0x104e8,0x10504,0x10608,0x10685,0x10788,0x10804,0x10811,
    0x1081c,0x10839,0x10844,0x10851,0x108a4,0x108a9,0x108b4,0x108c9,0x108f4,0x10921,0x1092c,0x10931,
    0x1093c,0x10941,0x1094c,0x10951,0x10974,0x10979,0x109d4,0x109e1,0x10a04,0x10a29,0x10a54,0x10a71,
    0x10a7c,0x10a82,0x10c19,0x10c2a,0x10c54,0x10c60,0x10c84,0x11843,0x11864,0x1194b,0x1195c,0x12138,
    0x12204,0x12258,0x12302,0x124e4,0x12752,0x12804,0x13b43,0x13bb2,0x13ca4,0x13e2b,0x13e3c,0x13f33,
    0x13f84,0x14c1b,0x14ccc,0x14ec3,0x14ee4,0x14fe3,0x14ff4,0x15ba0,0x15bb4,0x15cb0,0x15cbc,0x16001,
    0x1672c,0x16759,0x1677d,0x16791,0x167a0,0x167cb,0x167ea,0x167f3,0x16801,0x16930,0x16939,0x16940,
    0x16969,0x16970,0x16981,0x16b40,0x16b79,0x16b83,0x16b88,0x16bfd,0x16c01,0x16cb8,0x16d01,0x16d38,
    0x16d41,0x16d78,0x16d81,0x16db8,0x16dc1,0x16df8,0x16e01,0x16e38,0x16e41,0x16e78,0x16e81,0x16eb8,
    0x16ec1,0x16ef8,0x16f05,0x17003,0x17179,0x17183,0x17284,0x17293,0x172f0,0x17404,0x174d0,0x174dc,
    0x177a0,0x17804,0x17eb0,0x17f84,0x17fe0,0x18006,0x1800b,0x18024,0x18029,0x1803a,0x18043,0x18094,
    0x180a3,0x18104,0x1810a,0x18155,0x18183,0x18189,0x181b4,0x181c2,0x181d9,0x181eb,0x181f4,0x18200,
    0x18209,0x184b8,0x184cd,0x184dc,0x184e9,0x18503,0x18509,0x187db,0x187e1,0x18800,0x18829,0x18980,
    0x18989,0x18c78,0x18c84,0x18c92,0x18cb4,0x18d01,0x18e04,0x18f20,0x18f81,0x19004,0x190f8,0x19102,
    0x19154,0x19242,0x19284,0x1928a,0x19304,0x19402,0x19454,0x1958a,0x19604,0x1a001,0x26e04,0x27001,
    0x52468,0x52484,0x52638,0x52681,0x527f3,0x52801,0x5306b,0x53081,0x53102,0x53151,0x53160,0x53201,
    0x5337d,0x5339b,0x533a5,0x533f3,0x533f9,0x534f5,0x53501,0x53732,0x53785,0x53793,0x537c0,0x53804,
    0x538b9,0x53904,0x53911,0x53c4c,0x53c59,0x53e58,0x53e81,0x53e90,0x53e99,0x53ea0,0x53ea9,0x53ed0,
    0x53f91,0x54015,0x54019,0x54035,0x54039,0x5405d,0x54061,0x5411d,0x54144,0x54165,0x54168,0x54182,
    0x541b4,0x541d0,0x54201,0x543a3,0x543c0,0x54405,0x54411,0x545a5,0x54630,0x54673,0x54682,0x546d0,
    0x54705,0x54791,0x547c3,0x547d9,0x547e3,0x547e9,0x547fd,0x54802,0x54851,0x54935,0x54973,0x54981,
    0x54a3d,0x54aa0,0x54afb,0x54b01,0x54be8,0x54c05,0x54c21,0x54d9d,0x54e0b,0x54e70,0x54e79,0x54e82,
    0x54ed0,0x54ef3,0x54f01,0x54f2d,0x54f31,0x54f82,0x54fd1,0x54ff8,0x55001,0x5514d,0x551b8,0x55201,
    0x5521d,0x55221,0x55265,0x55270,0x55282,0x552d0,0x552e3,0x55301,0x553bc,0x553d1,0x553dd,0x553f1,
    0x55585,0x55589,0x55595,0x555a9,0x555bd,0x555c9,0x555f5,0x55601,0x5560d,0x55611,0x55618,0x556d9,
    0x556f3,0x55701,0x5575d,0x55783,0x55791,0x557ad,0x557b8,0x55809,0x55838,0x55849,0x55878,0x55889,
    0x558b8,0x55901,0x55938,0x55941,0x55978,0x55981,0x55adc,0x55ae1,0x55b54,0x55b60,0x55b81,0x55f1d,
    0x55f5b,0x55f65,0x55f70,0x55f82,0x55fd0,0x56001,0x6bd20,0x6bd81,0x6be38,0x6be59,0x6bfe0,0x7c801,
    0x7d370,0x7d381,0x7d6d0,0x7d801,0x7d838,0x7d899,0x7d8c0,0x7d8e9,0x7d8f5,0x7d8f9,0x7d94c,0x7d951,
    0x7d9b8,0x7d9c1,0x7d9e8,0x7d9f1,0x7d9f8,0x7da01,0x7da10,0x7da19,0x7da28,0x7da31,0x7dd94,0x7de18,
    0x7de99,0x7e9f3,0x7ea04,0x7ea81,0x7ec80,0x7ec91,0x7ee40,0x7ee7c,0x7ee80,0x7ef81,0x7efe4,0x7f005,
    0x7f083,0x7f0d0,0x7f105,0x7f183,0x7f298,0x7f2a3,0x7f314,0x7f31b,0x7f324,0x7f338,0x7f343,0x7f34c,
    0x7f353,0x7f360,0x7f381,0x7f3a8,0x7f3b1,0x7f7e8,0x7f80b,0x7f824,0x7f82b,0x7f85c,0x7f863,0x7f882,
    0x7f8d3,0x7f8e4,0x7f8fb,0x7f909,0x7f9db,0x7f9f4,0x7f9fb,0x7fa04,0x7fa09,0x7fadb,0x7fae4,0x7faeb,
    0x7faf4,0x7fafb,0x7fb31,0x7fdf8,0x7fe11,0x7fe40,0x7fe51,0x7fe80,0x7fe91,0x7fec0,0x7fed1,0x7fee8,
    0x7ff04,0x7ff38,0x7ff44,0x7ff78,0x7ffe4,0x7fff0,0x80001,0x80060,0x80069,0x80138,0x80141,0x801d8,
    0x801e1,0x801f0,0x801f9,0x80270,0x80281,0x802f0,0x80401,0x807d8,0x80803,0x80818,0x8083a,0x809a0,
    0x809bc,0x80a02,0x80bcc,0x80c52,0x80c64,0x80c78,0x80c84,0x80ce8,0x80d04,0x80d08,0x80e84,0x80fed,
    0x80ff0,0x81401,0x814e8,0x81501,0x81688,0x81705,0x8170a,0x817e0,0x81801,0x81902,0x81920,0x81969,
    0x81a0a,0x81a11,0x81a52,0x81a58,0x81a81,0x81bb5,0x81bd8,0x81c01,0x81cf0,0x81cfb,0x81d01,0x81e20,
    0x81e41,0x81e83,0x81e8a,0x81eb0,0x82001,0x824f0,0x82502,0x82550,0x82581,0x826a0,0x826c1,0x827e0,
    0x82801,0x82940,0x82981,0x82b20,0x82b7b,0x82b81,0x82bd8,0x82be1,0x82c58,0x82c61,0x82c98,0x82ca1,
    0x82cb0,0x82cb9,0x82d10,0x82d19,0x82d90,0x82d99,0x82dd0,0x82dd9,0x82de8,0x83001,0x839b8,0x83a01,
    0x83ab0,0x83b01,0x83b40,0x83c01,0x83c30,0x83c39,0x83d88,0x83d91,0x83dd8,0x84001,0x84030,0x84041,
    0x84048,0x84051,0x841b0,0x841b9,0x841c8,0x841e1,0x841e8,0x841f9,0x842b0,0x842bb,0x842c2,0x84301,
    0x843bc,0x843ca,0x84401,0x844f8,0x8453a,0x84580,0x84701,0x84798,0x847a1,0x847b0,0x847da,0x84801,
    0x848b2,0x848e0,0x848fb,0x84901,0x849d0,0x849fb,0x84a00,0x84c01,0x84dc0,0x84de2,0x84df1,0x84e02,
    0x84e80,0x84e92,0x85001,0x8500d,0x85020,0x8502d,0x85038,0x85065,0x85081,0x850a0,0x850a9,0x850c0,
    0x850c9,0x851b0,0x851c5,0x851d8,0x851fd,0x85202,0x85248,0x85283,0x852c8,0x85301,0x853ea,0x853fb,
    0x85401,0x854ea,0x85500,0x85601,0x85644,0x85649,0x8572d,0x85738,0x8575a,0x85783,0x857b8,0x85801,
    0x859b0,0x859cb,0x85a01,0x85ab0,0x85ac2,0x85b01,0x85b98,0x85bc2,0x85c01,0x85c90,0x85ccb,0x85ce8,
    0x85d4a,0x85d80,0x86001,0x86248,0x86401,0x86598,0x86601,0x86798,0x867d2,0x86801,0x86925,0x86940,
    0x86982,0x869d0,0x87302,0x873f8,0x87401,0x87550,0x8755d,0x8756b,0x87570,0x87581,0x87590,0x877ed,
    0x87801,0x878ea,0x87939,0x87940,0x87981,0x87a35,0x87a8a,0x87aab,0x87ad0,0x87b81,0x87c15,0x87c33,
    0x87c50,0x87d81,0x87e2a,0x87e60,0x87f01,0x87fb8,0x88005,0x88019,0x881c5,0x8823b,0x88270,0x88292,
    0x88385,0x88389,0x8839d,0x883a9,0x883b0,0x883fd,0x88419,0x88585,0x885db,0x885e8,0x885f3,0x88615,
    0x88618,0x88681,0x88748,0x88782,0x887d0,0x88805,0x88819,0x8893d,0x889a8,0x889b2,0x88a03,0x88a21,
    0x88a2d,0x88a39,0x88a40,0x88a81,0x88b9d,0x88ba3,0x88bb1,0x88bb8,0x88c05,0x88c19,0x88d9d,0x88e09,
    0x88e2b,0x88e4d,0x88e6b,0x88e75,0x88e82,0x88ed1,0x88edb,0x88ee1,0x88eeb,0x88f00,0x88f0a,0x88fa8,
    0x89001,0x89090,0x89099,0x89165,0x891c3,0x891f5,0x891f9,0x8920d,0x89210,0x89401,0x89438,0x89441,
    0x89448,0x89451,0x89470,0x89479,0x894f0,0x894f9,0x8954b,0x89550,0x89581,0x896fd,0x89758,0x89782,
    0x897d0,0x89805,0x89820,0x89829,0x89868,0x89879,0x89888,0x89899,0x89948,0x89951,0x89988,0x89991,
    0x899a0,0x899a9,0x899d0,0x899dd,0x899e9,0x899f5,0x89a28,0x89a3d,0x89a48,0x89a5d,0x89a70,0x89a81,
    0x89a88,0x89abd,0x89ac0,0x89ae9,0x89b15,0x89b20,0x89b35,0x89b68,0x89b85,0x89ba8,0x8a001,0x8a1ad,
    0x8a239,0x8a25b,0x8a282,0x8a2d3,0x8a2e0,0x8a2eb,0x8a2f5,0x8a2f9,0x8a310,0x8a401,0x8a585,0x8a621,
    0x8a633,0x8a639,0x8a640,0x8a682,0x8a6d0,0x8ac01,0x8ad7d,0x8adb0,0x8adc5,0x8ae0b,0x8aec1,0x8aee5,
    0x8aef0,0x8b001,0x8b185,0x8b20b,0x8b221,0x8b228,0x8b282,0x8b2d0,0x8b303,0x8b368,0x8b401,0x8b55d,
    0x8b5c1,0x8b5cb,0x8b5d0,0x8b602,0x8b650,0x8b801,0x8b8d8,0x8b8ed,0x8b960,0x8b982,0x8b9e3,0x8b9fc,
    0x8ba01,0x8ba38,0x8c001,0x8c165,0x8c1db,0x8c1e0,0x8c501,0x8c702,0x8c798,0x8c7f9,0x8c838,0x8c849,
    0x8c850,0x8c861,0x8c8a0,0x8c8a9,0x8c8b8,0x8c8c1,0x8c985,0x8c9b0,0x8c9bd,0x8c9c8,0x8c9dd,0x8c9f9,
    0x8ca05,0x8ca09,0x8ca15,0x8ca23,0x8ca38,0x8ca82,0x8cad0,0x8cd01,0x8cd40,0x8cd51,0x8ce8d,0x8cec0,
    0x8ced5,0x8cf09,0x8cf13,0x8cf19,0x8cf25,0x8cf28,0x8d001,0x8d00d,0x8d059,0x8d19d,0x8d1d1,0x8d1dd,
    0x8d1fb,0x8d23d,0x8d240,0x8d281,0x8d28d,0x8d2e1,0x8d455,0x8d4d3,0x8d4e9,0x8d4f3,0x8d518,0x8d581,
    0x8d7c8,0x8d803,0x8d850,0x8e001,0x8e048,0x8e051,0x8e17d,0x8e1b8,0x8e1c5,0x8e201,0x8e20b,0x8e230,
    0x8e282,0x8e368,0x8e383,0x8e391,0x8e480,0x8e495,0x8e540,0x8e54d,0x8e5b8,0x8e801,0x8e838,0x8e841,
    0x8e850,0x8e859,0x8e98d,0x8e9b8,0x8e9d5,0x8e9d8,0x8e9e5,0x8e9f0,0x8e9fd,0x8ea31,0x8ea3d,0x8ea40,
    0x8ea82,0x8ead0,0x8eb01,0x8eb30,0x8eb39,0x8eb48,0x8eb51,0x8ec55,0x8ec78,0x8ec85,0x8ec90,0x8ec9d,
    0x8ecc1,0x8ecc8,0x8ed02,0x8ed50,0x8f701,0x8f79d,0x8f7bb,0x8f7c8,0x8f805,0x8f811,0x8f81d,0x8f821,
    0x8f888,0x8f891,0x8f9a5,0x8f9d8,0x8f9f5,0x8fa1b,0x8fa82,0x8fad0,0x8fd81,0x8fd88,0x8fe02,0x8feac,
    0x8ff90,0x8fffb,0x90001,0x91cd0,0x92002,0x92378,0x92383,0x923a8,0x92401,0x92a20,0x97c81,0x97f8b,
    0x97f98,0x98001,0x9a180,0x9a205,0x9a209,0x9a23d,0x9a2b0,0xa2001,0xa3238,0xb4001,0xb51c8,0xb5201,
    0xb52f8,0xb5302,0xb5350,0xb5373,0xb5381,0xb55f8,0xb5602,0xb5650,0xb5681,0xb5770,0xb5785,0xb57ab,
    0xb57b0,0xb5801,0xb5985,0xb59bb,0xb59e4,0xb5a01,0xb5a23,0xb5a2c,0xb5a30,0xb5a82,0xb5ad0,0xb5ada,
    0xb5b10,0xb5b19,0xb5bc0,0xb5be9,0xb5c80,0xb7201,0xb7402,0xb74bb,0xb74d8,0xb7801,0xb7a58,0xb7a7d,
    0xb7a81,0xb7a8d,0xb7c40,0xb7c7d,0xb7c99,0xb7d00,0xb7f01,0xb7f13,0xb7f19,0xb7f25,0xb7f28,0xb7f85,
    0xb7f90,0xb8001,0xc3fc0,0xc4001,0xc66b0,0xc6801,0xc6848,0xd7f81,0xd7fa0,0xd7fa9,0xd7fe0,0xd7fe9,
    0xd7ff8,0xd8001,0xd8918,0xd8991,0xd8998,0xd8a81,0xd8a98,0xd8aa9,0xd8ab0,0xd8b21,0xd8b40,0xd8b81,
    0xd97e0,0xde001,0xde358,0xde381,0xde3e8,0xde401,0xde448,0xde481,0xde4d0,0xde4e4,0xde4ed,0xde4fb,
    0xde500,0xe7805,0xe7970,0xe7985,0xe7a38,0xe7a84,0xe7e20,0xe8004,0xe87b0,0xe8804,0xe8938,0xe894c,
    0xe8b2d,0xe8b54,0xe8b6d,0xe8b98,0xe8bdd,0xe8c1c,0xe8c2d,0xe8c64,0xe8d55,0xe8d74,0xe8f58,0xe9004,
    0xe9215,0xe922c,0xe9230,0xe9602,0xe96a0,0xe9702,0xe97a0,0xe9804,0xe9ab8,0xe9b02,0xe9bc8,0xea001,
    0xea2a8,0xea2b1,0xea4e8,0xea4f1,0xea500,0xea511,0xea518,0xea529,0xea538,0xea549,0xea568,0xea571,
    0xea5d0,0xea5d9,0xea5e0,0xea5e9,0xea620,0xea629,0xea830,0xea839,0xea858,0xea869,0xea8a8,0xea8b1,
    0xea8e8,0xea8f1,0xea9d0,0xea9d9,0xea9f8,0xeaa01,0xeaa28,0xeaa31,0xeaa38,0xeaa51,0xeaa88,0xeaa91,
    0xeb530,0xeb541,0xeb60c,0xeb611,0xeb6dc,0xeb6e1,0xeb7dc,0xeb7e1,0xeb8ac,0xeb8b1,0xeb9ac,0xeb9b1,
    0xeba7c,0xeba81,0xebb7c,0xebb81,0xebc4c,0xebc51,0xebd4c,0xebd51,0xebe1c,0xebe21,0xebe60,0xebe72,
    0xec004,0xed005,0xed1bc,0xed1dd,0xed36c,0xed3ad,0xed3b4,0xed425,0xed42c,0xed43b,0xed460,0xed4dd,
    0xed500,0xed50d,0xed580,0xef801,0xef8f8,0xef929,0xef958,0xf0005,0xf0038,0xf0045,0xf00c8,0xf00dd,
    0xf0110,0xf011d,0xf0128,0xf0135,0xf0158,0xf0181,0xf0370,0xf047d,0xf0480,0xf0801,0xf0968,0xf0985,
    0xf09b9,0xf09f0,0xf0a02,0xf0a50,0xf0a71,0xf0a7c,0xf0a80,0xf1481,0xf1575,0xf1578,0xf1601,0xf1765,
    0xf1782,0xf17d0,0xf17fc,0xf1800,0xf2681,0xf2765,0xf2782,0xf27d0,0xf3f01,0xf3f38,0xf3f41,0xf3f60,
    0xf3f69,0xf3f78,0xf3f81,0xf3ff8,0xf4001,0xf4628,0xf463a,0xf4685,0xf46b8,0xf4801,0xf4a25,0xf4a59,
    0xf4a60,0xf4a82,0xf4ad0,0xf4af3,0xf4b00,0xf638a,0xf6564,0xf656a,0xf6584,0xf658a,0xf65a8,0xf680a,
    0xf6974,0xf697a,0xf69f0,0xf7001,0xf7020,0xf7029,0xf7100,0xf7109,0xf7118,0xf7121,0xf7128,0xf7139,
    0xf7140,0xf7149,0xf7198,0xf71a1,0xf71c0,0xf71c9,0xf71d0,0xf71d9,0xf71e0,0xf7211,0xf7218,0xf7239,
    0xf7240,0xf7249,0xf7250,0xf7259,0xf7260,0xf7269,0xf7280,0xf7289,0xf7298,0xf72a1,0xf72a8,0xf72b9,
    0xf72c0,0xf72c9,0xf72d0,0xf72d9,0xf72e0,0xf72e9,0xf72f0,0xf72f9,0xf7300,0xf7309,0xf7318,0xf7321,
    0xf7328,0xf7339,0xf7358,0xf7361,0xf7398,0xf73a1,0xf73c0,0xf73c9,0xf73e8,0xf73f1,0xf73f8,0xf7401,
    0xf7450,0xf7459,0xf74e0,0xf7509,0xf7520,0xf7529,0xf7550,0xf7559,0xf75e0,0xf7784,0xf7790,0xf8004,
    0xf8160,0xf8184,0xf84a0,0xf8504,0xf8578,0xf858c,0xf8600,0xf860c,0xf8680,0xf868c,0xf87b0,0xf8802,
    0xf886c,0xf8d70,0xf8f34,0xf9018,0xf9084,0xf91e0,0xf9204,0xf9248,0xf9284,0xf9290,0xf9304,0xf9330,
    0xf9804,0xfb6c0,0xfb6e4,0xfb768,0xfb784,0xfb7e8,0xfb804,0xfbbb8,0xfbbdc,0xfbed0,0xfbf04,0xfbf60,
    0xfbf84,0xfbf88,0xfc004,0xfc060,0xfc084,0xfc240,0xfc284,0xfc2d0,0xfc304,0xfc440,0xfc484,0xfc570,
    0xfc584,0xfc590,0xfc804,0xfd2a0,0xfd304,0xfd370,0xfd384,0xfd3e8,0xfd404,0xfd448,0xfd484,0xfd5f0,
    0xfd5fc,0xfd630,0xfd674,0xfd6e0,0xfd704,0xfd748,0xfd784,0xfd7c8,0xfd804,0xfdc98,0xfdca4,0xfde58,
    0xfdf82,0xfdfd0,0x100001,0x153700,0x153801,0x15b9d0,0x15ba01,0x15c0f0,0x15c101,0x167510,
    0x167581,0x175f08,0x17c001,0x17d0f0,0x180001,0x189a58,0x189a81,0x191d80,0x700805,0x700f80,
};
static const uint32_t r1__uc_ccc[581] = {
    0x0,0x300e6,0x315e8,0x316dc,0x31ae8,0x31bd8,0x31cdc,0x321ca,0x323dc,0x327ca,0x329dc,0x33401,
    0x339dc,0x33de6,0x345f0,0x346e6,0x347dc,0x34ae6,0x34ddc,0x34f00,0x350e6,0x353dc,0x357e6,0x358e8,
    0x359dc,0x35be6,0x35ce9,0x35dea,0x35fe9,0x360ea,0x362e9,0x363e6,0x37000,0x483e6,0x48800,0x591dc,
    0x592e6,0x596dc,0x597e6,0x59ade,0x59bdc,0x59ce6,0x5a2dc,0x5a8e6,0x5aadc,0x5abe6,0x5adde,0x5aee4,
    0x5afe6,0x5b00a,0x5b10b,0x5b20c,0x5b30d,0x5b40e,0x5b50f,0x5b610,0x5b711,0x5b812,0x5b913,0x5bb14,
    0x5bc15,0x5bd16,0x5be00,0x5bf17,0x5c000,0x5c118,0x5c219,0x5c300,0x5c4e6,0x5c5dc,0x5c600,0x5c712,
    0x5c800,0x610e6,0x6181e,0x6191f,0x61a20,0x61b00,0x64b1b,0x64c1c,0x64d1d,0x64e1e,0x64f1f,0x65020,
    0x65121,0x65222,0x653e6,0x655dc,0x657e6,0x65cdc,0x65de6,0x65fdc,0x66000,0x67023,0x67100,0x6d6e6,
    0x6dd00,0x6dfe6,0x6e3dc,0x6e4e6,0x6e500,0x6e7e6,0x6e900,0x6eadc,0x6ebe6,0x6eddc,0x6ee00,0x71124,
    0x71200,0x730e6,0x731dc,0x732e6,0x734dc,0x735e6,0x737dc,0x73ae6,0x73bdc,0x73de6,0x73edc,0x73fe6,
    0x742dc,0x743e6,0x744dc,0x745e6,0x746dc,0x747e6,0x748dc,0x749e6,0x74b00,0x7ebe6,0x7f2dc,0x7f3e6,
    0x7f400,0x7fddc,0x7fe00,0x816e6,0x81a00,0x81be6,0x82400,0x825e6,0x82800,0x829e6,0x82e00,0x859dc,
    0x85c00,0x898e6,0x899dc,0x89ce6,0x8a000,0x8cae6,0x8cfdc,0x8d4e6,0x8e200,0x8e3dc,0x8e4e6,0x8e6dc,
    0x8e7e6,0x8e9dc,0x8eae6,0x8eddc,0x8f01b,0x8f11c,0x8f21d,0x8f3e6,0x8f6dc,0x8f7e6,0x8f9dc,0x8fbe6,
    0x90000,0x93c07,0x93d00,0x94d09,0x94e00,0x951e6,0x952dc,0x953e6,0x95500,0x9bc07,0x9bd00,0x9cd09,
    0x9ce00,0x9fee6,0x9ff00,0xa3c07,0xa3d00,0xa4d09,0xa4e00,0xabc07,0xabd00,0xacd09,0xace00,0xb3c07,
    0xb3d00,0xb4d09,0xb4e00,0xbcd09,0xbce00,0xc3c07,0xc3d00,0xc4d09,0xc4e00,0xc5554,0xc565b,0xc5700,
    0xcbc07,0xcbd00,0xccd09,0xcce00,0xd3b09,0xd3d00,0xd4d09,0xd4e00,0xdca09,0xdcb00,0xe3867,0xe3a09,
    0xe3b00,0xe486b,0xe4c00,0xeb876,0xeba09,0xebb00,0xec87a,0xecc00,0xf18dc,0xf1a00,0xf35dc,0xf3600,
    0xf37dc,0xf3800,0xf39d8,0xf3a00,0xf7181,0xf7282,0xf7300,0xf7484,0xf7500,0xf7a82,0xf7e00,0xf8082,
    0xf8100,0xf82e6,0xf8409,0xf8500,0xf86e6,0xf8800,0xfc6dc,0xfc700,0x103707,0x103800,0x103909,
    0x103b00,0x108ddc,0x108e00,0x135de6,0x136000,0x171409,0x171600,0x173409,0x173500,0x17d209,
    0x17d300,0x17dde6,0x17de00,0x18a9e4,0x18aa00,0x1939de,0x193ae6,0x193bdc,0x193c00,0x1a17e6,
    0x1a18dc,0x1a1900,0x1a6009,0x1a6100,0x1a75e6,0x1a7d00,0x1a7fdc,0x1a8000,0x1ab0e6,0x1ab5dc,
    0x1abbe6,0x1abddc,0x1abe00,0x1abfdc,0x1ac1e6,0x1ac3dc,0x1ac5e6,0x1acadc,0x1acbe6,0x1acf00,
    0x1b3407,0x1b3500,0x1b4409,0x1b4500,0x1b6be6,0x1b6cdc,0x1b6de6,0x1b7400,0x1baa09,0x1bac00,
    0x1be607,0x1be700,0x1bf209,0x1bf400,0x1c3707,0x1c3800,0x1cd0e6,0x1cd300,0x1cd401,0x1cd5dc,
    0x1cdae6,0x1cdcdc,0x1ce0e6,0x1ce100,0x1ce201,0x1ce900,0x1ceddc,0x1cee00,0x1cf4e6,0x1cf500,
    0x1cf8e6,0x1cfa00,0x1dc0e6,0x1dc2dc,0x1dc3e6,0x1dcadc,0x1dcbe6,0x1dcdea,0x1dced6,0x1dcfdc,
    0x1dd0ca,0x1dd1e6,0x1df6e8,0x1df7e4,0x1df9dc,0x1dfada,0x1dfbe6,0x1dfce9,0x1dfddc,0x1dfee6,
    0x1dffdc,0x1e0000,0x20d0e6,0x20d201,0x20d4e6,0x20d801,0x20dbe6,0x20dd00,0x20e1e6,0x20e200,
    0x20e501,0x20e7e6,0x20e8dc,0x20e9e6,0x20ea01,0x20ecdc,0x20f0e6,0x20f100,0x2cefe6,0x2cf200,
    0x2d7f09,0x2d8000,0x2de0e6,0x2e0000,0x302ada,0x302be4,0x302ce8,0x302dde,0x302ee0,0x303000,
    0x309908,0x309b00,0xa66fe6,0xa67000,0xa674e6,0xa67e00,0xa69ee6,0xa6a000,0xa6f0e6,0xa6f200,
    0xa80609,0xa80700,0xa82c09,0xa82d00,0xa8c409,0xa8c500,0xa8e0e6,0xa8f200,0xa92bdc,0xa92e00,
    0xa95309,0xa95400,0xa9b307,0xa9b400,0xa9c009,0xa9c100,0xaab0e6,0xaab100,0xaab2e6,0xaab4dc,
    0xaab500,0xaab7e6,0xaab900,0xaabee6,0xaac000,0xaac1e6,0xaac200,0xaaf609,0xaaf700,0xabed09,
    0xabee00,0xfb1e1a,0xfb1f00,0xfe20e6,0xfe27dc,0xfe2ee6,0xfe3000,0x101fddc,0x101fe00,0x102e0dc,
    0x102e100,0x10376e6,0x1037b00,0x10a0ddc,0x10a0e00,0x10a0fe6,0x10a1000,0x10a38e6,0x10a3901,
    0x10a3adc,0x10a3b00,0x10a3f09,0x10a4000,0x10ae5e6,0x10ae6dc,0x10ae700,0x10d24e6,0x10d2800,
    0x10eabe6,0x10ead00,0x10efddc,0x10f0000,0x10f46dc,0x10f48e6,0x10f4bdc,0x10f4ce6,0x10f4ddc,
    0x10f5100,0x10f82e6,0x10f83dc,0x10f84e6,0x10f85dc,0x10f8600,0x1104609,0x1104700,0x1107009,
    0x1107100,0x1107f09,0x1108000,0x110b909,0x110ba07,0x110bb00,0x11100e6,0x1110300,0x1113309,
    0x1113500,0x1117307,0x1117400,0x111c009,0x111c100,0x111ca07,0x111cb00,0x1123509,0x1123607,
    0x1123700,0x112e907,0x112ea09,0x112eb00,0x1133b07,0x1133d00,0x1134d09,0x1134e00,0x11366e6,
    0x1136d00,0x11370e6,0x1137500,0x1144209,0x1144300,0x1144607,0x1144700,0x1145ee6,0x1145f00,
    0x114c209,0x114c307,0x114c400,0x115bf09,0x115c007,0x115c100,0x1163f09,0x1164000,0x116b609,
    0x116b707,0x116b800,0x1172b09,0x1172c00,0x1183909,0x1183a07,0x1183b00,0x1193d09,0x1193f00,
    0x1194307,0x1194400,0x119e009,0x119e100,0x11a3409,0x11a3500,0x11a4709,0x11a4800,0x11a9909,
    0x11a9a00,0x11c3f09,0x11c4000,0x11d4207,0x11d4300,0x11d4409,0x11d4600,0x11d9709,0x11d9800,
    0x11f4109,0x11f4300,0x16af001,0x16af500,0x16b30e6,0x16b3700,0x16ff006,0x16ff200,0x1bc9e01,
    0x1bc9f00,0x1d165d8,0x1d16701,0x1d16a00,0x1d16de2,0x1d16ed8,0x1d17300,0x1d17bdc,0x1d18300,
    0x1d185e6,0x1d18adc,0x1d18c00,0x1d1aae6,0x1d1ae00,0x1d242e6,0x1d24500,0x1e000e6,0x1e00700,
    0x1e008e6,0x1e01900,0x1e01be6,0x1e02200,0x1e023e6,0x1e02500,0x1e026e6,0x1e02b00,0x1e08fe6,
    0x1e09000,0x1e130e6,0x1e13700,0x1e2aee6,0x1e2af00,0x1e2ece6,0x1e2f000,0x1e4ece8,0x1e4eedc,
    0x1e4efe6,0x1e4f000,0x1e8d0dc,0x1e8d700,0x1e944e6,0x1e94a07,0x1e94b00,
};
static const uint32_t r1__uc_decomp[2061][3] = {
    {0xc0,0x41,0x300},{0xc1,0x41,0x301},{0xc2,0x41,0x302},{0xc3,0x41,0x303},{0xc4,0x41,0x308},
    {0xc5,0x41,0x30a},{0xc7,0x43,0x327},{0xc8,0x45,0x300},{0xc9,0x45,0x301},{0xca,0x45,0x302},
    {0xcb,0x45,0x308},{0xcc,0x49,0x300},{0xcd,0x49,0x301},{0xce,0x49,0x302},{0xcf,0x49,0x308},
    {0xd1,0x4e,0x303},{0xd2,0x4f,0x300},{0xd3,0x4f,0x301},{0xd4,0x4f,0x302},{0xd5,0x4f,0x303},
    {0xd6,0x4f,0x308},{0xd9,0x55,0x300},{0xda,0x55,0x301},{0xdb,0x55,0x302},{0xdc,0x55,0x308},
    {0xdd,0x59,0x301},{0xe0,0x61,0x300},{0xe1,0x61,0x301},{0xe2,0x61,0x302},{0xe3,0x61,0x303},
    {0xe4,0x61,0x308},{0xe5,0x61,0x30a},{0xe7,0x63,0x327},{0xe8,0x65,0x300},{0xe9,0x65,0x301},
    {0xea,0x65,0x302},{0xeb,0x65,0x308},{0xec,0x69,0x300},{0xed,0x69,0x301},{0xee,0x69,0x302},
    {0xef,0x69,0x308},{0xf1,0x6e,0x303},{0xf2,0x6f,0x300},{0xf3,0x6f,0x301},{0xf4,0x6f,0x302},
    {0xf5,0x6f,0x303},{0xf6,0x6f,0x308},{0xf9,0x75,0x300},{0xfa,0x75,0x301},{0xfb,0x75,0x302},
    {0xfc,0x75,0x308},{0xfd,0x79,0x301},{0xff,0x79,0x308},{0x100,0x41,0x304},{0x101,0x61,0x304},
    {0x102,0x41,0x306},{0x103,0x61,0x306},{0x104,0x41,0x328},{0x105,0x61,0x328},{0x106,0x43,0x301},
    {0x107,0x63,0x301},{0x108,0x43,0x302},{0x109,0x63,0x302},{0x10a,0x43,0x307},{0x10b,0x63,0x307},
    {0x10c,0x43,0x30c},{0x10d,0x63,0x30c},{0x10e,0x44,0x30c},{0x10f,0x64,0x30c},{0x112,0x45,0x304},
    {0x113,0x65,0x304},{0x114,0x45,0x306},{0x115,0x65,0x306},{0x116,0x45,0x307},{0x117,0x65,0x307},
    {0x118,0x45,0x328},{0x119,0x65,0x328},{0x11a,0x45,0x30c},{0x11b,0x65,0x30c},{0x11c,0x47,0x302},
    {0x11d,0x67,0x302},{0x11e,0x47,0x306},{0x11f,0x67,0x306},{0x120,0x47,0x307},{0x121,0x67,0x307},
    {0x122,0x47,0x327},{0x123,0x67,0x327},{0x124,0x48,0x302},{0x125,0x68,0x302},{0x128,0x49,0x303},
    {0x129,0x69,0x303},{0x12a,0x49,0x304},{0x12b,0x69,0x304},{0x12c,0x49,0x306},{0x12d,0x69,0x306},
    {0x12e,0x49,0x328},{0x12f,0x69,0x328},{0x130,0x49,0x307},{0x134,0x4a,0x302},{0x135,0x6a,0x302},
    {0x136,0x4b,0x327},{0x137,0x6b,0x327},{0x139,0x4c,0x301},{0x13a,0x6c,0x301},{0x13b,0x4c,0x327},
    {0x13c,0x6c,0x327},{0x13d,0x4c,0x30c},{0x13e,0x6c,0x30c},{0x143,0x4e,0x301},{0x144,0x6e,0x301},
    {0x145,0x4e,0x327},{0x146,0x6e,0x327},{0x147,0x4e,0x30c},{0x148,0x6e,0x30c},{0x14c,0x4f,0x304},
    {0x14d,0x6f,0x304},{0x14e,0x4f,0x306},{0x14f,0x6f,0x306},{0x150,0x4f,0x30b},{0x151,0x6f,0x30b},
    {0x154,0x52,0x301},{0x155,0x72,0x301},{0x156,0x52,0x327},{0x157,0x72,0x327},{0x158,0x52,0x30c},
    {0x159,0x72,0x30c},{0x15a,0x53,0x301},{0x15b,0x73,0x301},{0x15c,0x53,0x302},{0x15d,0x73,0x302},
    {0x15e,0x53,0x327},{0x15f,0x73,0x327},{0x160,0x53,0x30c},{0x161,0x73,0x30c},{0x162,0x54,0x327},
    {0x163,0x74,0x327},{0x164,0x54,0x30c},{0x165,0x74,0x30c},{0x168,0x55,0x303},{0x169,0x75,0x303},
    {0x16a,0x55,0x304},{0x16b,0x75,0x304},{0x16c,0x55,0x306},{0x16d,0x75,0x306},{0x16e,0x55,0x30a},
    {0x16f,0x75,0x30a},{0x170,0x55,0x30b},{0x171,0x75,0x30b},{0x172,0x55,0x328},{0x173,0x75,0x328},
    {0x174,0x57,0x302},{0x175,0x77,0x302},{0x176,0x59,0x302},{0x177,0x79,0x302},{0x178,0x59,0x308},
    {0x179,0x5a,0x301},{0x17a,0x7a,0x301},{0x17b,0x5a,0x307},{0x17c,0x7a,0x307},{0x17d,0x5a,0x30c},
    {0x17e,0x7a,0x30c},{0x1a0,0x4f,0x31b},{0x1a1,0x6f,0x31b},{0x1af,0x55,0x31b},{0x1b0,0x75,0x31b},
    {0x1cd,0x41,0x30c},{0x1ce,0x61,0x30c},{0x1cf,0x49,0x30c},{0x1d0,0x69,0x30c},{0x1d1,0x4f,0x30c},
    {0x1d2,0x6f,0x30c},{0x1d3,0x55,0x30c},{0x1d4,0x75,0x30c},{0x1d5,0xdc,0x304},{0x1d6,0xfc,0x304},
    {0x1d7,0xdc,0x301},{0x1d8,0xfc,0x301},{0x1d9,0xdc,0x30c},{0x1da,0xfc,0x30c},{0x1db,0xdc,0x300},
    {0x1dc,0xfc,0x300},{0x1de,0xc4,0x304},{0x1df,0xe4,0x304},{0x1e0,0x226,0x304},
    {0x1e1,0x227,0x304},{0x1e2,0xc6,0x304},{0x1e3,0xe6,0x304},{0x1e6,0x47,0x30c},{0x1e7,0x67,0x30c},
    {0x1e8,0x4b,0x30c},{0x1e9,0x6b,0x30c},{0x1ea,0x4f,0x328},{0x1eb,0x6f,0x328},{0x1ec,0x1ea,0x304},
    {0x1ed,0x1eb,0x304},{0x1ee,0x1b7,0x30c},{0x1ef,0x292,0x30c},{0x1f0,0x6a,0x30c},
    {0x1f4,0x47,0x301},{0x1f5,0x67,0x301},{0x1f8,0x4e,0x300},{0x1f9,0x6e,0x300},{0x1fa,0xc5,0x301},
    {0x1fb,0xe5,0x301},{0x1fc,0xc6,0x301},{0x1fd,0xe6,0x301},{0x1fe,0xd8,0x301},{0x1ff,0xf8,0x301},
    {0x200,0x41,0x30f},{0x201,0x61,0x30f},{0x202,0x41,0x311},{0x203,0x61,0x311},{0x204,0x45,0x30f},
    {0x205,0x65,0x30f},{0x206,0x45,0x311},{0x207,0x65,0x311},{0x208,0x49,0x30f},{0x209,0x69,0x30f},
    {0x20a,0x49,0x311},{0x20b,0x69,0x311},{0x20c,0x4f,0x30f},{0x20d,0x6f,0x30f},{0x20e,0x4f,0x311},
    {0x20f,0x6f,0x311},{0x210,0x52,0x30f},{0x211,0x72,0x30f},{0x212,0x52,0x311},{0x213,0x72,0x311},
    {0x214,0x55,0x30f},{0x215,0x75,0x30f},{0x216,0x55,0x311},{0x217,0x75,0x311},{0x218,0x53,0x326},
    {0x219,0x73,0x326},{0x21a,0x54,0x326},{0x21b,0x74,0x326},{0x21e,0x48,0x30c},{0x21f,0x68,0x30c},
    {0x226,0x41,0x307},{0x227,0x61,0x307},{0x228,0x45,0x327},{0x229,0x65,0x327},{0x22a,0xd6,0x304},
    {0x22b,0xf6,0x304},{0x22c,0xd5,0x304},{0x22d,0xf5,0x304},{0x22e,0x4f,0x307},{0x22f,0x6f,0x307},
    {0x230,0x22e,0x304},{0x231,0x22f,0x304},{0x232,0x59,0x304},{0x233,0x79,0x304},{0x340,0x300,0x0},
    {0x341,0x301,0x0},{0x343,0x313,0x0},{0x344,0x308,0x301},{0x374,0x2b9,0x0},{0x37e,0x3b,0x0},
    {0x385,0xa8,0x301},{0x386,0x391,0x301},{0x387,0xb7,0x0},{0x388,0x395,0x301},{0x389,0x397,0x301},
    {0x38a,0x399,0x301},{0x38c,0x39f,0x301},{0x38e,0x3a5,0x301},{0x38f,0x3a9,0x301},
    {0x390,0x3ca,0x301},{0x3aa,0x399,0x308},{0x3ab,0x3a5,0x308},{0x3ac,0x3b1,0x301},
    {0x3ad,0x3b5,0x301},{0x3ae,0x3b7,0x301},{0x3af,0x3b9,0x301},{0x3b0,0x3cb,0x301},
    {0x3ca,0x3b9,0x308},{0x3cb,0x3c5,0x308},{0x3cc,0x3bf,0x301},{0x3cd,0x3c5,0x301},
    {0x3ce,0x3c9,0x301},{0x3d3,0x3d2,0x301},{0x3d4,0x3d2,0x308},{0x400,0x415,0x300},
    {0x401,0x415,0x308},{0x403,0x413,0x301},{0x407,0x406,0x308},{0x40c,0x41a,0x301},
    {0x40d,0x418,0x300},{0x40e,0x423,0x306},{0x419,0x418,0x306},{0x439,0x438,0x306},
    {0x450,0x435,0x300},{0x451,0x435,0x308},{0x453,0x433,0x301},{0x457,0x456,0x308},
    {0x45c,0x43a,0x301},{0x45d,0x438,0x300},{0x45e,0x443,0x306},{0x476,0x474,0x30f},
    {0x477,0x475,0x30f},{0x4c1,0x416,0x306},{0x4c2,0x436,0x306},{0x4d0,0x410,0x306},
    {0x4d1,0x430,0x306},{0x4d2,0x410,0x308},{0x4d3,0x430,0x308},{0x4d6,0x415,0x306},
    {0x4d7,0x435,0x306},{0x4da,0x4d8,0x308},{0x4db,0x4d9,0x308},{0x4dc,0x416,0x308},
    {0x4dd,0x436,0x308},{0x4de,0x417,0x308},{0x4df,0x437,0x308},{0x4e2,0x418,0x304},
    {0x4e3,0x438,0x304},{0x4e4,0x418,0x308},{0x4e5,0x438,0x308},{0x4e6,0x41e,0x308},
    {0x4e7,0x43e,0x308},{0x4ea,0x4e8,0x308},{0x4eb,0x4e9,0x308},{0x4ec,0x42d,0x308},
    {0x4ed,0x44d,0x308},{0x4ee,0x423,0x304},{0x4ef,0x443,0x304},{0x4f0,0x423,0x308},
    {0x4f1,0x443,0x308},{0x4f2,0x423,0x30b},{0x4f3,0x443,0x30b},{0x4f4,0x427,0x308},
    {0x4f5,0x447,0x308},{0x4f8,0x42b,0x308},{0x4f9,0x44b,0x308},{0x622,0x627,0x653},
    {0x623,0x627,0x654},{0x624,0x648,0x654},{0x625,0x627,0x655},{0x626,0x64a,0x654},
    {0x6c0,0x6d5,0x654},{0x6c2,0x6c1,0x654},{0x6d3,0x6d2,0x654},{0x929,0x928,0x93c},
    {0x931,0x930,0x93c},{0x934,0x933,0x93c},{0x958,0x915,0x93c},{0x959,0x916,0x93c},
    {0x95a,0x917,0x93c},{0x95b,0x91c,0x93c},{0x95c,0x921,0x93c},{0x95d,0x922,0x93c},
    {0x95e,0x92b,0x93c},{0x95f,0x92f,0x93c},{0x9cb,0x9c7,0x9be},{0x9cc,0x9c7,0x9d7},
    {0x9dc,0x9a1,0x9bc},{0x9dd,0x9a2,0x9bc},{0x9df,0x9af,0x9bc},{0xa33,0xa32,0xa3c},
    {0xa36,0xa38,0xa3c},{0xa59,0xa16,0xa3c},{0xa5a,0xa17,0xa3c},{0xa5b,0xa1c,0xa3c},
    {0xa5e,0xa2b,0xa3c},{0xb48,0xb47,0xb56},{0xb4b,0xb47,0xb3e},{0xb4c,0xb47,0xb57},
    {0xb5c,0xb21,0xb3c},{0xb5d,0xb22,0xb3c},{0xb94,0xb92,0xbd7},{0xbca,0xbc6,0xbbe},
    {0xbcb,0xbc7,0xbbe},{0xbcc,0xbc6,0xbd7},{0xc48,0xc46,0xc56},{0xcc0,0xcbf,0xcd5},
    {0xcc7,0xcc6,0xcd5},{0xcc8,0xcc6,0xcd6},{0xcca,0xcc6,0xcc2},{0xccb,0xcca,0xcd5},
    {0xd4a,0xd46,0xd3e},{0xd4b,0xd47,0xd3e},{0xd4c,0xd46,0xd57},{0xdda,0xdd9,0xdca},
    {0xddc,0xdd9,0xdcf},{0xddd,0xddc,0xdca},{0xdde,0xdd9,0xddf},{0xf43,0xf42,0xfb7},
    {0xf4d,0xf4c,0xfb7},{0xf52,0xf51,0xfb7},{0xf57,0xf56,0xfb7},{0xf5c,0xf5b,0xfb7},
    {0xf69,0xf40,0xfb5},{0xf73,0xf71,0xf72},{0xf75,0xf71,0xf74},{0xf76,0xfb2,0xf80},
    {0xf78,0xfb3,0xf80},{0xf81,0xf71,0xf80},{0xf93,0xf92,0xfb7},{0xf9d,0xf9c,0xfb7},
    {0xfa2,0xfa1,0xfb7},{0xfa7,0xfa6,0xfb7},{0xfac,0xfab,0xfb7},{0xfb9,0xf90,0xfb5},
    {0x1026,0x1025,0x102e},{0x1b06,0x1b05,0x1b35},{0x1b08,0x1b07,0x1b35},{0x1b0a,0x1b09,0x1b35},
    {0x1b0c,0x1b0b,0x1b35},{0x1b0e,0x1b0d,0x1b35},{0x1b12,0x1b11,0x1b35},{0x1b3b,0x1b3a,0x1b35},
    {0x1b3d,0x1b3c,0x1b35},{0x1b40,0x1b3e,0x1b35},{0x1b41,0x1b3f,0x1b35},{0x1b43,0x1b42,0x1b35},
    {0x1e00,0x41,0x325},{0x1e01,0x61,0x325},{0x1e02,0x42,0x307},{0x1e03,0x62,0x307},
    {0x1e04,0x42,0x323},{0x1e05,0x62,0x323},{0x1e06,0x42,0x331},{0x1e07,0x62,0x331},
    {0x1e08,0xc7,0x301},{0x1e09,0xe7,0x301},{0x1e0a,0x44,0x307},{0x1e0b,0x64,0x307},
    {0x1e0c,0x44,0x323},{0x1e0d,0x64,0x323},{0x1e0e,0x44,0x331},{0x1e0f,0x64,0x331},
    {0x1e10,0x44,0x327},{0x1e11,0x64,0x327},{0x1e12,0x44,0x32d},{0x1e13,0x64,0x32d},
    {0x1e14,0x112,0x300},{0x1e15,0x113,0x300},{0x1e16,0x112,0x301},{0x1e17,0x113,0x301},
    {0x1e18,0x45,0x32d},{0x1e19,0x65,0x32d},{0x1e1a,0x45,0x330},{0x1e1b,0x65,0x330},
    {0x1e1c,0x228,0x306},{0x1e1d,0x229,0x306},{0x1e1e,0x46,0x307},{0x1e1f,0x66,0x307},
    {0x1e20,0x47,0x304},{0x1e21,0x67,0x304},{0x1e22,0x48,0x307},{0x1e23,0x68,0x307},
    {0x1e24,0x48,0x323},{0x1e25,0x68,0x323},{0x1e26,0x48,0x308},{0x1e27,0x68,0x308},
    {0x1e28,0x48,0x327},{0x1e29,0x68,0x327},{0x1e2a,0x48,0x32e},{0x1e2b,0x68,0x32e},
    {0x1e2c,0x49,0x330},{0x1e2d,0x69,0x330},{0x1e2e,0xcf,0x301},{0x1e2f,0xef,0x301},
    {0x1e30,0x4b,0x301},{0x1e31,0x6b,0x301},{0x1e32,0x4b,0x323},{0x1e33,0x6b,0x323},
    {0x1e34,0x4b,0x331},{0x1e35,0x6b,0x331},{0x1e36,0x4c,0x323},{0x1e37,0x6c,0x323},
    {0x1e38,0x1e36,0x304},{0x1e39,0x1e37,0x304},{0x1e3a,0x4c,0x331},{0x1e3b,0x6c,0x331},
    {0x1e3c,0x4c,0x32d},{0x1e3d,0x6c,0x32d},{0x1e3e,0x4d,0x301},{0x1e3f,0x6d,0x301},
    {0x1e40,0x4d,0x307},{0x1e41,0x6d,0x307},{0x1e42,0x4d,0x323},{0x1e43,0x6d,0x323},
    {0x1e44,0x4e,0x307},{0x1e45,0x6e,0x307},{0x1e46,0x4e,0x323},{0x1e47,0x6e,0x323},
    {0x1e48,0x4e,0x331},{0x1e49,0x6e,0x331},{0x1e4a,0x4e,0x32d},{0x1e4b,0x6e,0x32d},
    {0x1e4c,0xd5,0x301},{0x1e4d,0xf5,0x301},{0x1e4e,0xd5,0x308},{0x1e4f,0xf5,0x308},
    {0x1e50,0x14c,0x300},{0x1e51,0x14d,0x300},{0x1e52,0x14c,0x301},{0x1e53,0x14d,0x301},
    {0x1e54,0x50,0x301},{0x1e55,0x70,0x301},{0x1e56,0x50,0x307},{0x1e57,0x70,0x307},
    {0x1e58,0x52,0x307},{0x1e59,0x72,0x307},{0x1e5a,0x52,0x323},{0x1e5b,0x72,0x323},
    {0x1e5c,0x1e5a,0x304},{0x1e5d,0x1e5b,0x304},{0x1e5e,0x52,0x331},{0x1e5f,0x72,0x331},
    {0x1e60,0x53,0x307},{0x1e61,0x73,0x307},{0x1e62,0x53,0x323},{0x1e63,0x73,0x323},
    {0x1e64,0x15a,0x307},{0x1e65,0x15b,0x307},{0x1e66,0x160,0x307},{0x1e67,0x161,0x307},
    {0x1e68,0x1e62,0x307},{0x1e69,0x1e63,0x307},{0x1e6a,0x54,0x307},{0x1e6b,0x74,0x307},
    {0x1e6c,0x54,0x323},{0x1e6d,0x74,0x323},{0x1e6e,0x54,0x331},{0x1e6f,0x74,0x331},
    {0x1e70,0x54,0x32d},{0x1e71,0x74,0x32d},{0x1e72,0x55,0x324},{0x1e73,0x75,0x324},
    {0x1e74,0x55,0x330},{0x1e75,0x75,0x330},{0x1e76,0x55,0x32d},{0x1e77,0x75,0x32d},
    {0x1e78,0x168,0x301},{0x1e79,0x169,0x301},{0x1e7a,0x16a,0x308},{0x1e7b,0x16b,0x308},
    {0x1e7c,0x56,0x303},{0x1e7d,0x76,0x303},{0x1e7e,0x56,0x323},{0x1e7f,0x76,0x323},
    {0x1e80,0x57,0x300},{0x1e81,0x77,0x300},{0x1e82,0x57,0x301},{0x1e83,0x77,0x301},
    {0x1e84,0x57,0x308},{0x1e85,0x77,0x308},{0x1e86,0x57,0x307},{0x1e87,0x77,0x307},
    {0x1e88,0x57,0x323},{0x1e89,0x77,0x323},{0x1e8a,0x58,0x307},{0x1e8b,0x78,0x307},
    {0x1e8c,0x58,0x308},{0x1e8d,0x78,0x308},{0x1e8e,0x59,0x307},{0x1e8f,0x79,0x307},
    {0x1e90,0x5a,0x302},{0x1e91,0x7a,0x302},{0x1e92,0x5a,0x323},{0x1e93,0x7a,0x323},
    {0x1e94,0x5a,0x331},{0x1e95,0x7a,0x331},{0x1e96,0x68,0x331},{0x1e97,0x74,0x308},
    {0x1e98,0x77,0x30a},{0x1e99,0x79,0x30a},{0x1e9b,0x17f,0x307},{0x1ea0,0x41,0x323},
    {0x1ea1,0x61,0x323},{0x1ea2,0x41,0x309},{0x1ea3,0x61,0x309},{0x1ea4,0xc2,0x301},
    {0x1ea5,0xe2,0x301},{0x1ea6,0xc2,0x300},{0x1ea7,0xe2,0x300},{0x1ea8,0xc2,0x309},
    {0x1ea9,0xe2,0x309},{0x1eaa,0xc2,0x303},{0x1eab,0xe2,0x303},{0x1eac,0x1ea0,0x302},
    {0x1ead,0x1ea1,0x302},{0x1eae,0x102,0x301},{0x1eaf,0x103,0x301},{0x1eb0,0x102,0x300},
    {0x1eb1,0x103,0x300},{0x1eb2,0x102,0x309},{0x1eb3,0x103,0x309},{0x1eb4,0x102,0x303},
    {0x1eb5,0x103,0x303},{0x1eb6,0x1ea0,0x306},{0x1eb7,0x1ea1,0x306},{0x1eb8,0x45,0x323},
    {0x1eb9,0x65,0x323},{0x1eba,0x45,0x309},{0x1ebb,0x65,0x309},{0x1ebc,0x45,0x303},
    {0x1ebd,0x65,0x303},{0x1ebe,0xca,0x301},{0x1ebf,0xea,0x301},{0x1ec0,0xca,0x300},
    {0x1ec1,0xea,0x300},{0x1ec2,0xca,0x309},{0x1ec3,0xea,0x309},{0x1ec4,0xca,0x303},
    {0x1ec5,0xea,0x303},{0x1ec6,0x1eb8,0x302},{0x1ec7,0x1eb9,0x302},{0x1ec8,0x49,0x309},
    {0x1ec9,0x69,0x309},{0x1eca,0x49,0x323},{0x1ecb,0x69,0x323},{0x1ecc,0x4f,0x323},
    {0x1ecd,0x6f,0x323},{0x1ece,0x4f,0x309},{0x1ecf,0x6f,0x309},{0x1ed0,0xd4,0x301},
    {0x1ed1,0xf4,0x301},{0x1ed2,0xd4,0x300},{0x1ed3,0xf4,0x300},{0x1ed4,0xd4,0x309},
    {0x1ed5,0xf4,0x309},{0x1ed6,0xd4,0x303},{0x1ed7,0xf4,0x303},{0x1ed8,0x1ecc,0x302},
    {0x1ed9,0x1ecd,0x302},{0x1eda,0x1a0,0x301},{0x1edb,0x1a1,0x301},{0x1edc,0x1a0,0x300},
    {0x1edd,0x1a1,0x300},{0x1ede,0x1a0,0x309},{0x1edf,0x1a1,0x309},{0x1ee0,0x1a0,0x303},
    {0x1ee1,0x1a1,0x303},{0x1ee2,0x1a0,0x323},{0x1ee3,0x1a1,0x323},{0x1ee4,0x55,0x323},
    {0x1ee5,0x75,0x323},{0x1ee6,0x55,0x309},{0x1ee7,0x75,0x309},{0x1ee8,0x1af,0x301},
    {0x1ee9,0x1b0,0x301},{0x1eea,0x1af,0x300},{0x1eeb,0x1b0,0x300},{0x1eec,0x1af,0x309},
    {0x1eed,0x1b0,0x309},{0x1eee,0x1af,0x303},{0x1eef,0x1b0,0x303},{0x1ef0,0x1af,0x323},
    {0x1ef1,0x1b0,0x323},{0x1ef2,0x59,0x300},{0x1ef3,0x79,0x300},{0x1ef4,0x59,0x323},
    {0x1ef5,0x79,0x323},{0x1ef6,0x59,0x309},{0x1ef7,0x79,0x309},{0x1ef8,0x59,0x303},
    {0x1ef9,0x79,0x303},{0x1f00,0x3b1,0x313},{0x1f01,0x3b1,0x314},{0x1f02,0x1f00,0x300},
    {0x1f03,0x1f01,0x300},{0x1f04,0x1f00,0x301},{0x1f05,0x1f01,0x301},{0x1f06,0x1f00,0x342},
    {0x1f07,0x1f01,0x342},{0x1f08,0x391,0x313},{0x1f09,0x391,0x314},{0x1f0a,0x1f08,0x300},
    {0x1f0b,0x1f09,0x300},{0x1f0c,0x1f08,0x301},{0x1f0d,0x1f09,0x301},{0x1f0e,0x1f08,0x342},
    {0x1f0f,0x1f09,0x342},{0x1f10,0x3b5,0x313},{0x1f11,0x3b5,0x314},{0x1f12,0x1f10,0x300},
    {0x1f13,0x1f11,0x300},{0x1f14,0x1f10,0x301},{0x1f15,0x1f11,0x301},{0x1f18,0x395,0x313},
    {0x1f19,0x395,0x314},{0x1f1a,0x1f18,0x300},{0x1f1b,0x1f19,0x300},{0x1f1c,0x1f18,0x301},
    {0x1f1d,0x1f19,0x301},{0x1f20,0x3b7,0x313},{0x1f21,0x3b7,0x314},{0x1f22,0x1f20,0x300},
    {0x1f23,0x1f21,0x300},{0x1f24,0x1f20,0x301},{0x1f25,0x1f21,0x301},{0x1f26,0x1f20,0x342},
    {0x1f27,0x1f21,0x342},{0x1f28,0x397,0x313},{0x1f29,0x397,0x314},{0x1f2a,0x1f28,0x300},
    {0x1f2b,0x1f29,0x300},{0x1f2c,0x1f28,0x301},{0x1f2d,0x1f29,0x301},{0x1f2e,0x1f28,0x342},
    {0x1f2f,0x1f29,0x342},{0x1f30,0x3b9,0x313},{0x1f31,0x3b9,0x314},{0x1f32,0x1f30,0x300},
    {0x1f33,0x1f31,0x300},{0x1f34,0x1f30,0x301},{0x1f35,0x1f31,0x301},{0x1f36,0x1f30,0x342},
    {0x1f37,0x1f31,0x342},{0x1f38,0x399,0x313},{0x1f39,0x399,0x314},{0x1f3a,0x1f38,0x300},
    {0x1f3b,0x1f39,0x300},{0x1f3c,0x1f38,0x301},{0x1f3d,0x1f39,0x301},{0x1f3e,0x1f38,0x342},
    {0x1f3f,0x1f39,0x342},{0x1f40,0x3bf,0x313},{0x1f41,0x3bf,0x314},{0x1f42,0x1f40,0x300},
    {0x1f43,0x1f41,0x300},{0x1f44,0x1f40,0x301},{0x1f45,0x1f41,0x301},{0x1f48,0x39f,0x313},
    {0x1f49,0x39f,0x314},{0x1f4a,0x1f48,0x300},{0x1f4b,0x1f49,0x300},{0x1f4c,0x1f48,0x301},
    {0x1f4d,0x1f49,0x301},{0x1f50,0x3c5,0x313},{0x1f51,0x3c5,0x314},{0x1f52,0x1f50,0x300},
    {0x1f53,0x1f51,0x300},{0x1f54,0x1f50,0x301},{0x1f55,0x1f51,0x301},{0x1f56,0x1f50,0x342},
    {0x1f57,0x1f51,0x342},{0x1f59,0x3a5,0x314},{0x1f5b,0x1f59,0x300},{0x1f5d,0x1f59,0x301},
    {0x1f5f,0x1f59,0x342},{0x1f60,0x3c9,0x313},{0x1f61,0x3c9,0x314},{0x1f62,0x1f60,0x300},
    {0x1f63,0x1f61,0x300},{0x1f64,0x1f60,0x301},{0x1f65,0x1f61,0x301},{0x1f66,0x1f60,0x342},
    {0x1f67,0x1f61,0x342},{0x1f68,0x3a9,0x313},{0x1f69,0x3a9,0x314},{0x1f6a,0x1f68,0x300},
    {0x1f6b,0x1f69,0x300},{0x1f6c,0x1f68,0x301},{0x1f6d,0x1f69,0x301},{0x1f6e,0x1f68,0x342},
    {0x1f6f,0x1f69,0x342},{0x1f70,0x3b1,0x300},{0x1f71,0x3ac,0x0},{0x1f72,0x3b5,0x300},
    {0x1f73,0x3ad,0x0},{0x1f74,0x3b7,0x300},{0x1f75,0x3ae,0x0},{0x1f76,0x3b9,0x300},
    {0x1f77,0x3af,0x0},{0x1f78,0x3bf,0x300},{0x1f79,0x3cc,0x0},{0x1f7a,0x3c5,0x300},
    {0x1f7b,0x3cd,0x0},{0x1f7c,0x3c9,0x300},{0x1f7d,0x3ce,0x0},{0x1f80,0x1f00,0x345},
    {0x1f81,0x1f01,0x345},{0x1f82,0x1f02,0x345},{0x1f83,0x1f03,0x345},{0x1f84,0x1f04,0x345},
    {0x1f85,0x1f05,0x345},{0x1f86,0x1f06,0x345},{0x1f87,0x1f07,0x345},{0x1f88,0x1f08,0x345},
    {0x1f89,0x1f09,0x345},{0x1f8a,0x1f0a,0x345},{0x1f8b,0x1f0b,0x345},{0x1f8c,0x1f0c,0x345},
    {0x1f8d,0x1f0d,0x345},{0x1f8e,0x1f0e,0x345},{0x1f8f,0x1f0f,0x345},{0x1f90,0x1f20,0x345},
    {0x1f91,0x1f21,0x345},{0x1f92,0x1f22,0x345},{0x1f93,0x1f23,0x345},{0x1f94,0x1f24,0x345},
    {0x1f95,0x1f25,0x345},{0x1f96,0x1f26,0x345},{0x1f97,0x1f27,0x345},{0x1f98,0x1f28,0x345},
    {0x1f99,0x1f29,0x345},{0x1f9a,0x1f2a,0x345},{0x1f9b,0x1f2b,0x345},{0x1f9c,0x1f2c,0x345},
    {0x1f9d,0x1f2d,0x345},{0x1f9e,0x1f2e,0x345},{0x1f9f,0x1f2f,0x345},{0x1fa0,0x1f60,0x345},
    {0x1fa1,0x1f61,0x345},{0x1fa2,0x1f62,0x345},{0x1fa3,0x1f63,0x345},{0x1fa4,0x1f64,0x345},
    {0x1fa5,0x1f65,0x345},{0x1fa6,0x1f66,0x345},{0x1fa7,0x1f67,0x345},{0x1fa8,0x1f68,0x345},
    {0x1fa9,0x1f69,0x345},{0x1faa,0x1f6a,0x345},{0x1fab,0x1f6b,0x345},{0x1fac,0x1f6c,0x345},
    {0x1fad,0x1f6d,0x345},{0x1fae,0x1f6e,0x345},{0x1faf,0x1f6f,0x345},{0x1fb0,0x3b1,0x306},
    {0x1fb1,0x3b1,0x304},{0x1fb2,0x1f70,0x345},{0x1fb3,0x3b1,0x345},{0x1fb4,0x3ac,0x345},
    {0x1fb6,0x3b1,0x342},{0x1fb7,0x1fb6,0x345},{0x1fb8,0x391,0x306},{0x1fb9,0x391,0x304},
    {0x1fba,0x391,0x300},{0x1fbb,0x386,0x0},{0x1fbc,0x391,0x345},{0x1fbe,0x3b9,0x0},
    {0x1fc1,0xa8,0x342},{0x1fc2,0x1f74,0x345},{0x1fc3,0x3b7,0x345},{0x1fc4,0x3ae,0x345},
    {0x1fc6,0x3b7,0x342},{0x1fc7,0x1fc6,0x345},{0x1fc8,0x395,0x300},{0x1fc9,0x388,0x0},
    {0x1fca,0x397,0x300},{0x1fcb,0x389,0x0},{0x1fcc,0x397,0x345},{0x1fcd,0x1fbf,0x300},
    {0x1fce,0x1fbf,0x301},{0x1fcf,0x1fbf,0x342},{0x1fd0,0x3b9,0x306},{0x1fd1,0x3b9,0x304},
    {0x1fd2,0x3ca,0x300},{0x1fd3,0x390,0x0},{0x1fd6,0x3b9,0x342},{0x1fd7,0x3ca,0x342},
    {0x1fd8,0x399,0x306},{0x1fd9,0x399,0x304},{0x1fda,0x399,0x300},{0x1fdb,0x38a,0x0},
    {0x1fdd,0x1ffe,0x300},{0x1fde,0x1ffe,0x301},{0x1fdf,0x1ffe,0x342},{0x1fe0,0x3c5,0x306},
    {0x1fe1,0x3c5,0x304},{0x1fe2,0x3cb,0x300},{0x1fe3,0x3b0,0x0},{0x1fe4,0x3c1,0x313},
    {0x1fe5,0x3c1,0x314},{0x1fe6,0x3c5,0x342},{0x1fe7,0x3cb,0x342},{0x1fe8,0x3a5,0x306},
    {0x1fe9,0x3a5,0x304},{0x1fea,0x3a5,0x300},{0x1feb,0x38e,0x0},{0x1fec,0x3a1,0x314},
    {0x1fed,0xa8,0x300},{0x1fee,0x385,0x0},{0x1fef,0x60,0x0},{0x1ff2,0x1f7c,0x345},
    {0x1ff3,0x3c9,0x345},{0x1ff4,0x3ce,0x345},{0x1ff6,0x3c9,0x342},{0x1ff7,0x1ff6,0x345},
    {0x1ff8,0x39f,0x300},{0x1ff9,0x38c,0x0},{0x1ffa,0x3a9,0x300},{0x1ffb,0x38f,0x0},
    {0x1ffc,0x3a9,0x345},{0x1ffd,0xb4,0x0},{0x2000,0x2002,0x0},{0x2001,0x2003,0x0},
    {0x2126,0x3a9,0x0},{0x212a,0x4b,0x0},{0x212b,0xc5,0x0},{0x219a,0x2190,0x338},
    {0x219b,0x2192,0x338},{0x21ae,0x2194,0x338},{0x21cd,0x21d0,0x338},{0x21ce,0x21d4,0x338},
    {0x21cf,0x21d2,0x338},{0x2204,0x2203,0x338},{0x2209,0x2208,0x338},{0x220c,0x220b,0x338},
    {0x2224,0x2223,0x338},{0x2226,0x2225,0x338},{0x2241,0x223c,0x338},{0x2244,0x2243,0x338},
    {0x2247,0x2245,0x338},{0x2249,0x2248,0x338},{0x2260,0x3d,0x338},{0x2262,0x2261,0x338},
    {0x226d,0x224d,0x338},{0x226e,0x3c,0x338},{0x226f,0x3e,0x338},{0x2270,0x2264,0x338},
    {0x2271,0x2265,0x338},{0x2274,0x2272,0x338},{0x2275,0x2273,0x338},{0x2278,0x2276,0x338},
    {0x2279,0x2277,0x338},{0x2280,0x227a,0x338},{0x2281,0x227b,0x338},{0x2284,0x2282,0x338},
    {0x2285,0x2283,0x338},{0x2288,0x2286,0x338},{0x2289,0x2287,0x338},{0x22ac,0x22a2,0x338},
    {0x22ad,0x22a8,0x338},{0x22ae,0x22a9,0x338},{0x22af,0x22ab,0x338},{0x22e0,0x227c,0x338},
    {0x22e1,0x227d,0x338},{0x22e2,0x2291,0x338},{0x22e3,0x2292,0x338},{0x22ea,0x22b2,0x338},
    {0x22eb,0x22b3,0x338},{0x22ec,0x22b4,0x338},{0x22ed,0x22b5,0x338},{0x2329,0x3008,0x0},
    {0x232a,0x3009,0x0},{0x2adc,0x2add,0x338},{0x304c,0x304b,0x3099},{0x304e,0x304d,0x3099},
    {0x3050,0x304f,0x3099},{0x3052,0x3051,0x3099},{0x3054,0x3053,0x3099},{0x3056,0x3055,0x3099},
    {0x3058,0x3057,0x3099},{0x305a,0x3059,0x3099},{0x305c,0x305b,0x3099},{0x305e,0x305d,0x3099},
    {0x3060,0x305f,0x3099},{0x3062,0x3061,0x3099},{0x3065,0x3064,0x3099},{0x3067,0x3066,0x3099},
    {0x3069,0x3068,0x3099},{0x3070,0x306f,0x3099},{0x3071,0x306f,0x309a},{0x3073,0x3072,0x3099},
    {0x3074,0x3072,0x309a},{0x3076,0x3075,0x3099},{0x3077,0x3075,0x309a},{0x3079,0x3078,0x3099},
    {0x307a,0x3078,0x309a},{0x307c,0x307b,0x3099},{0x307d,0x307b,0x309a},{0x3094,0x3046,0x3099},
    {0x309e,0x309d,0x3099},{0x30ac,0x30ab,0x3099},{0x30ae,0x30ad,0x3099},{0x30b0,0x30af,0x3099},
    {0x30b2,0x30b1,0x3099},{0x30b4,0x30b3,0x3099},{0x30b6,0x30b5,0x3099},{0x30b8,0x30b7,0x3099},
    {0x30ba,0x30b9,0x3099},{0x30bc,0x30bb,0x3099},{0x30be,0x30bd,0x3099},{0x30c0,0x30bf,0x3099},
    {0x30c2,0x30c1,0x3099},{0x30c5,0x30c4,0x3099},{0x30c7,0x30c6,0x3099},{0x30c9,0x30c8,0x3099},
    {0x30d0,0x30cf,0x3099},{0x30d1,0x30cf,0x309a},{0x30d3,0x30d2,0x3099},{0x30d4,0x30d2,0x309a},
    {0x30d6,0x30d5,0x3099},{0x30d7,0x30d5,0x309a},{0x30d9,0x30d8,0x3099},{0x30da,0x30d8,0x309a},
    {0x30dc,0x30db,0x3099},{0x30dd,0x30db,0x309a},{0x30f4,0x30a6,0x3099},{0x30f7,0x30ef,0x3099},
    {0x30f8,0x30f0,0x3099},{0x30f9,0x30f1,0x3099},{0x30fa,0x30f2,0x3099},{0x30fe,0x30fd,0x3099},
    {0xf900,0x8c48,0x0},{0xf901,0x66f4,0x0},{0xf902,0x8eca,0x0},{0xf903,0x8cc8,0x0},
    {0xf904,0x6ed1,0x0},{0xf905,0x4e32,0x0},{0xf906,0x53e5,0x0},{0xf907,0x9f9c,0x0},
    {0xf908,0x9f9c,0x0},{0xf909,0x5951,0x0},{0xf90a,0x91d1,0x0},{0xf90b,0x5587,0x0},
    {0xf90c,0x5948,0x0},{0xf90d,0x61f6,0x0},{0xf90e,0x7669,0x0},{0xf90f,0x7f85,0x0},
    {0xf910,0x863f,0x0},{0xf911,0x87ba,0x0},{0xf912,0x88f8,0x0},{0xf913,0x908f,0x0},
    {0xf914,0x6a02,0x0},{0xf915,0x6d1b,0x0},{0xf916,0x70d9,0x0},{0xf917,0x73de,0x0},
    {0xf918,0x843d,0x0},{0xf919,0x916a,0x0},{0xf91a,0x99f1,0x0},{0xf91b,0x4e82,0x0},
    {0xf91c,0x5375,0x0},{0xf91d,0x6b04,0x0},{0xf91e,0x721b,0x0},{0xf91f,0x862d,0x0},
    {0xf920,0x9e1e,0x0},{0xf921,0x5d50,0x0},{0xf922,0x6feb,0x0},{0xf923,0x85cd,0x0},
    {0xf924,0x8964,0x0},{0xf925,0x62c9,0x0},{0xf926,0x81d8,0x0},{0xf927,0x881f,0x0},
    {0xf928,0x5eca,0x0},{0xf929,0x6717,0x0},{0xf92a,0x6d6a,0x0},{0xf92b,0x72fc,0x0},
    {0xf92c,0x90ce,0x0},{0xf92d,0x4f86,0x0},{0xf92e,0x51b7,0x0},{0xf92f,0x52de,0x0},
    {0xf930,0x64c4,0x0},{0xf931,0x6ad3,0x0},{0xf932,0x7210,0x0},{0xf933,0x76e7,0x0},
    {0xf934,0x8001,0x0},{0xf935,0x8606,0x0},{0xf936,0x865c,0x0},{0xf937,0x8def,0x0},
    {0xf938,0x9732,0x0},{0xf939,0x9b6f,0x0},{0xf93a,0x9dfa,0x0},{0xf93b,0x788c,0x0},
    {0xf93c,0x797f,0x0},{0xf93d,0x7da0,0x0},{0xf93e,0x83c9,0x0},{0xf93f,0x9304,0x0},
    {0xf940,0x9e7f,0x0},{0xf941,0x8ad6,0x0},{0xf942,0x58df,0x0},{0xf943,0x5f04,0x0},
    {0xf944,0x7c60,0x0},{0xf945,0x807e,0x0},{0xf946,0x7262,0x0},{0xf947,0x78ca,0x0},
    {0xf948,0x8cc2,0x0},{0xf949,0x96f7,0x0},{0xf94a,0x58d8,0x0},{0xf94b,0x5c62,0x0},
    {0xf94c,0x6a13,0x0},{0xf94d,0x6dda,0x0},{0xf94e,0x6f0f,0x0},{0xf94f,0x7d2f,0x0},
    {0xf950,0x7e37,0x0},{0xf951,0x964b,0x0},{0xf952,0x52d2,0x0},{0xf953,0x808b,0x0},
    {0xf954,0x51dc,0x0},{0xf955,0x51cc,0x0},{0xf956,0x7a1c,0x0},{0xf957,0x7dbe,0x0},
    {0xf958,0x83f1,0x0},{0xf959,0x9675,0x0},{0xf95a,0x8b80,0x0},{0xf95b,0x62cf,0x0},
    {0xf95c,0x6a02,0x0},{0xf95d,0x8afe,0x0},{0xf95e,0x4e39,0x0},{0xf95f,0x5be7,0x0},
    {0xf960,0x6012,0x0},{0xf961,0x7387,0x0},{0xf962,0x7570,0x0},{0xf963,0x5317,0x0},
    {0xf964,0x78fb,0x0},{0xf965,0x4fbf,0x0},{0xf966,0x5fa9,0x0},{0xf967,0x4e0d,0x0},
    {0xf968,0x6ccc,0x0},{0xf969,0x6578,0x0},{0xf96a,0x7d22,0x0},{0xf96b,0x53c3,0x0},
    {0xf96c,0x585e,0x0},{0xf96d,0x7701,0x0},{0xf96e,0x8449,0x0},{0xf96f,0x8aaa,0x0},
    {0xf970,0x6bba,0x0},{0xf971,0x8fb0,0x0},{0xf972,0x6c88,0x0},{0xf973,0x62fe,0x0},
    {0xf974,0x82e5,0x0},{0xf975,0x63a0,0x0},{0xf976,0x7565,0x0},{0xf977,0x4eae,0x0},
    {0xf978,0x5169,0x0},{0xf979,0x51c9,0x0},{0xf97a,0x6881,0x0},{0xf97b,0x7ce7,0x0},
    {0xf97c,0x826f,0x0},{0xf97d,0x8ad2,0x0},{0xf97e,0x91cf,0x0},{0xf97f,0x52f5,0x0},
    {0xf980,0x5442,0x0},{0xf981,0x5973,0x0},{0xf982,0x5eec,0x0},{0xf983,0x65c5,0x0},
    {0xf984,0x6ffe,0x0},{0xf985,0x792a,0x0},{0xf986,0x95ad,0x0},{0xf987,0x9a6a,0x0},
    {0xf988,0x9e97,0x0},{0xf989,0x9ece,0x0},{0xf98a,0x529b,0x0},{0xf98b,0x66c6,0x0},
    {0xf98c,0x6b77,0x0},{0xf98d,0x8f62,0x0},{0xf98e,0x5e74,0x0},{0xf98f,0x6190,0x0},
    {0xf990,0x6200,0x0},{0xf991,0x649a,0x0},{0xf992,0x6f23,0x0},{0xf993,0x7149,0x0},
    {0xf994,0x7489,0x0},{0xf995,0x79ca,0x0},{0xf996,0x7df4,0x0},{0xf997,0x806f,0x0},
    {0xf998,0x8f26,0x0},{0xf999,0x84ee,0x0},{0xf99a,0x9023,0x0},{0xf99b,0x934a,0x0},
    {0xf99c,0x5217,0x0},{0xf99d,0x52a3,0x0},{0xf99e,0x54bd,0x0},{0xf99f,0x70c8,0x0},
    {0xf9a0,0x88c2,0x0},{0xf9a1,0x8aaa,0x0},{0xf9a2,0x5ec9,0x0},{0xf9a3,0x5ff5,0x0},
    {0xf9a4,0x637b,0x0},{0xf9a5,0x6bae,0x0},{0xf9a6,0x7c3e,0x0},{0xf9a7,0x7375,0x0},
    {0xf9a8,0x4ee4,0x0},{0xf9a9,0x56f9,0x0},{0xf9aa,0x5be7,0x0},{0xf9ab,0x5dba,0x0},
    {0xf9ac,0x601c,0x0},{0xf9ad,0x73b2,0x0},{0xf9ae,0x7469,0x0},{0xf9af,0x7f9a,0x0},
    {0xf9b0,0x8046,0x0},{0xf9b1,0x9234,0x0},{0xf9b2,0x96f6,0x0},{0xf9b3,0x9748,0x0},
    {0xf9b4,0x9818,0x0},{0xf9b5,0x4f8b,0x0},{0xf9b6,0x79ae,0x0},{0xf9b7,0x91b4,0x0},
    {0xf9b8,0x96b8,0x0},{0xf9b9,0x60e1,0x0},{0xf9ba,0x4e86,0x0},{0xf9bb,0x50da,0x0},
    {0xf9bc,0x5bee,0x0},{0xf9bd,0x5c3f,0x0},{0xf9be,0x6599,0x0},{0xf9bf,0x6a02,0x0},
    {0xf9c0,0x71ce,0x0},{0xf9c1,0x7642,0x0},{0xf9c2,0x84fc,0x0},{0xf9c3,0x907c,0x0},
    {0xf9c4,0x9f8d,0x0},{0xf9c5,0x6688,0x0},{0xf9c6,0x962e,0x0},{0xf9c7,0x5289,0x0},
    {0xf9c8,0x677b,0x0},{0xf9c9,0x67f3,0x0},{0xf9ca,0x6d41,0x0},{0xf9cb,0x6e9c,0x0},
    {0xf9cc,0x7409,0x0},{0xf9cd,0x7559,0x0},{0xf9ce,0x786b,0x0},{0xf9cf,0x7d10,0x0},
    {0xf9d0,0x985e,0x0},{0xf9d1,0x516d,0x0},{0xf9d2,0x622e,0x0},{0xf9d3,0x9678,0x0},
    {0xf9d4,0x502b,0x0},{0xf9d5,0x5d19,0x0},{0xf9d6,0x6dea,0x0},{0xf9d7,0x8f2a,0x0},
    {0xf9d8,0x5f8b,0x0},{0xf9d9,0x6144,0x0},{0xf9da,0x6817,0x0},{0xf9db,0x7387,0x0},
    {0xf9dc,0x9686,0x0},{0xf9dd,0x5229,0x0},{0xf9de,0x540f,0x0},{0xf9df,0x5c65,0x0},
    {0xf9e0,0x6613,0x0},{0xf9e1,0x674e,0x0},{0xf9e2,0x68a8,0x0},{0xf9e3,0x6ce5,0x0},
    {0xf9e4,0x7406,0x0},{0xf9e5,0x75e2,0x0},{0xf9e6,0x7f79,0x0},{0xf9e7,0x88cf,0x0},
    {0xf9e8,0x88e1,0x0},{0xf9e9,0x91cc,0x0},{0xf9ea,0x96e2,0x0},{0xf9eb,0x533f,0x0},
    {0xf9ec,0x6eba,0x0},{0xf9ed,0x541d,0x0},{0xf9ee,0x71d0,0x0},{0xf9ef,0x7498,0x0},
    {0xf9f0,0x85fa,0x0},{0xf9f1,0x96a3,0x0},{0xf9f2,0x9c57,0x0},{0xf9f3,0x9e9f,0x0},
    {0xf9f4,0x6797,0x0},{0xf9f5,0x6dcb,0x0},{0xf9f6,0x81e8,0x0},{0xf9f7,0x7acb,0x0},
    {0xf9f8,0x7b20,0x0},{0xf9f9,0x7c92,0x0},{0xf9fa,0x72c0,0x0},{0xf9fb,0x7099,0x0},
    {0xf9fc,0x8b58,0x0},{0xf9fd,0x4ec0,0x0},{0xf9fe,0x8336,0x0},{0xf9ff,0x523a,0x0},
    {0xfa00,0x5207,0x0},{0xfa01,0x5ea6,0x0},{0xfa02,0x62d3,0x0},{0xfa03,0x7cd6,0x0},
    {0xfa04,0x5b85,0x0},{0xfa05,0x6d1e,0x0},{0xfa06,0x66b4,0x0},{0xfa07,0x8f3b,0x0},
    {0xfa08,0x884c,0x0},{0xfa09,0x964d,0x0},{0xfa0a,0x898b,0x0},{0xfa0b,0x5ed3,0x0},
    {0xfa0c,0x5140,0x0},{0xfa0d,0x55c0,0x0},{0xfa10,0x585a,0x0},{0xfa12,0x6674,0x0},
    {0xfa15,0x51de,0x0},{0xfa16,0x732a,0x0},{0xfa17,0x76ca,0x0},{0xfa18,0x793c,0x0},
    {0xfa19,0x795e,0x0},{0xfa1a,0x7965,0x0},{0xfa1b,0x798f,0x0},{0xfa1c,0x9756,0x0},
    {0xfa1d,0x7cbe,0x0},{0xfa1e,0x7fbd,0x0},{0xfa20,0x8612,0x0},{0xfa22,0x8af8,0x0},
    {0xfa25,0x9038,0x0},{0xfa26,0x90fd,0x0},{0xfa2a,0x98ef,0x0},{0xfa2b,0x98fc,0x0},
    {0xfa2c,0x9928,0x0},{0xfa2d,0x9db4,0x0},{0xfa2e,0x90de,0x0},{0xfa2f,0x96b7,0x0},
    {0xfa30,0x4fae,0x0},{0xfa31,0x50e7,0x0},{0xfa32,0x514d,0x0},{0xfa33,0x52c9,0x0},
    {0xfa34,0x52e4,0x0},{0xfa35,0x5351,0x0},{0xfa36,0x559d,0x0},{0xfa37,0x5606,0x0},
    {0xfa38,0x5668,0x0},{0xfa39,0x5840,0x0},{0xfa3a,0x58a8,0x0},{0xfa3b,0x5c64,0x0},
    {0xfa3c,0x5c6e,0x0},{0xfa3d,0x6094,0x0},{0xfa3e,0x6168,0x0},{0xfa3f,0x618e,0x0},
    {0xfa40,0x61f2,0x0},{0xfa41,0x654f,0x0},{0xfa42,0x65e2,0x0},{0xfa43,0x6691,0x0},
    {0xfa44,0x6885,0x0},{0xfa45,0x6d77,0x0},{0xfa46,0x6e1a,0x0},{0xfa47,0x6f22,0x0},
    {0xfa48,0x716e,0x0},{0xfa49,0x722b,0x0},{0xfa4a,0x7422,0x0},{0xfa4b,0x7891,0x0},
    {0xfa4c,0x793e,0x0},{0xfa4d,0x7949,0x0},{0xfa4e,0x7948,0x0},{0xfa4f,0x7950,0x0},
    {0xfa50,0x7956,0x0},{0xfa51,0x795d,0x0},{0xfa52,0x798d,0x0},{0xfa53,0x798e,0x0},
    {0xfa54,0x7a40,0x0},{0xfa55,0x7a81,0x0},{0xfa56,0x7bc0,0x0},{0xfa57,0x7df4,0x0},
    {0xfa58,0x7e09,0x0},{0xfa59,0x7e41,0x0},{0xfa5a,0x7f72,0x0},{0xfa5b,0x8005,0x0},
    {0xfa5c,0x81ed,0x0},{0xfa5d,0x8279,0x0},{0xfa5e,0x8279,0x0},{0xfa5f,0x8457,0x0},
    {0xfa60,0x8910,0x0},{0xfa61,0x8996,0x0},{0xfa62,0x8b01,0x0},{0xfa63,0x8b39,0x0},
    {0xfa64,0x8cd3,0x0},{0xfa65,0x8d08,0x0},{0xfa66,0x8fb6,0x0},{0xfa67,0x9038,0x0},
    {0xfa68,0x96e3,0x0},{0xfa69,0x97ff,0x0},{0xfa6a,0x983b,0x0},{0xfa6b,0x6075,0x0},
    {0xfa6c,0x242ee,0x0},{0xfa6d,0x8218,0x0},{0xfa70,0x4e26,0x0},{0xfa71,0x51b5,0x0},
    {0xfa72,0x5168,0x0},{0xfa73,0x4f80,0x0},{0xfa74,0x5145,0x0},{0xfa75,0x5180,0x0},
    {0xfa76,0x52c7,0x0},{0xfa77,0x52fa,0x0},{0xfa78,0x559d,0x0},{0xfa79,0x5555,0x0},
    {0xfa7a,0x5599,0x0},{0xfa7b,0x55e2,0x0},{0xfa7c,0x585a,0x0},{0xfa7d,0x58b3,0x0},
    {0xfa7e,0x5944,0x0},{0xfa7f,0x5954,0x0},{0xfa80,0x5a62,0x0},{0xfa81,0x5b28,0x0},
    {0xfa82,0x5ed2,0x0},{0xfa83,0x5ed9,0x0},{0xfa84,0x5f69,0x0},{0xfa85,0x5fad,0x0},
    {0xfa86,0x60d8,0x0},{0xfa87,0x614e,0x0},{0xfa88,0x6108,0x0},{0xfa89,0x618e,0x0},
    {0xfa8a,0x6160,0x0},{0xfa8b,0x61f2,0x0},{0xfa8c,0x6234,0x0},{0xfa8d,0x63c4,0x0},
    {0xfa8e,0x641c,0x0},{0xfa8f,0x6452,0x0},{0xfa90,0x6556,0x0},{0xfa91,0x6674,0x0},
    {0xfa92,0x6717,0x0},{0xfa93,0x671b,0x0},{0xfa94,0x6756,0x0},{0xfa95,0x6b79,0x0},
    {0xfa96,0x6bba,0x0},{0xfa97,0x6d41,0x0},{0xfa98,0x6edb,0x0},{0xfa99,0x6ecb,0x0},
    {0xfa9a,0x6f22,0x0},{0xfa9b,0x701e,0x0},{0xfa9c,0x716e,0x0},{0xfa9d,0x77a7,0x0},
    {0xfa9e,0x7235,0x0},{0xfa9f,0x72af,0x0},{0xfaa0,0x732a,0x0},{0xfaa1,0x7471,0x0},
    {0xfaa2,0x7506,0x0},{0xfaa3,0x753b,0x0},{0xfaa4,0x761d,0x0},{0xfaa5,0x761f,0x0},
    {0xfaa6,0x76ca,0x0},{0xfaa7,0x76db,0x0},{0xfaa8,0x76f4,0x0},{0xfaa9,0x774a,0x0},
    {0xfaaa,0x7740,0x0},{0xfaab,0x78cc,0x0},{0xfaac,0x7ab1,0x0},{0xfaad,0x7bc0,0x0},
    {0xfaae,0x7c7b,0x0},{0xfaaf,0x7d5b,0x0},{0xfab0,0x7df4,0x0},{0xfab1,0x7f3e,0x0},
    {0xfab2,0x8005,0x0},{0xfab3,0x8352,0x0},{0xfab4,0x83ef,0x0},{0xfab5,0x8779,0x0},
    {0xfab6,0x8941,0x0},{0xfab7,0x8986,0x0},{0xfab8,0x8996,0x0},{0xfab9,0x8abf,0x0},
    {0xfaba,0x8af8,0x0},{0xfabb,0x8acb,0x0},{0xfabc,0x8b01,0x0},{0xfabd,0x8afe,0x0},
    {0xfabe,0x8aed,0x0},{0xfabf,0x8b39,0x0},{0xfac0,0x8b8a,0x0},{0xfac1,0x8d08,0x0},
    {0xfac2,0x8f38,0x0},{0xfac3,0x9072,0x0},{0xfac4,0x9199,0x0},{0xfac5,0x9276,0x0},
    {0xfac6,0x967c,0x0},{0xfac7,0x96e3,0x0},{0xfac8,0x9756,0x0},{0xfac9,0x97db,0x0},
    {0xfaca,0x97ff,0x0},{0xfacb,0x980b,0x0},{0xfacc,0x983b,0x0},{0xfacd,0x9b12,0x0},
    {0xface,0x9f9c,0x0},{0xfacf,0x2284a,0x0},{0xfad0,0x22844,0x0},{0xfad1,0x233d5,0x0},
    {0xfad2,0x3b9d,0x0},{0xfad3,0x4018,0x0},{0xfad4,0x4039,0x0},{0xfad5,0x25249,0x0},
    {0xfad6,0x25cd0,0x0},{0xfad7,0x27ed3,0x0},{0xfad8,0x9f43,0x0},{0xfad9,0x9f8e,0x0},
    {0xfb1d,0x5d9,0x5b4},{0xfb1f,0x5f2,0x5b7},{0xfb2a,0x5e9,0x5c1},{0xfb2b,0x5e9,0x5c2},
    {0xfb2c,0xfb49,0x5c1},{0xfb2d,0xfb49,0x5c2},{0xfb2e,0x5d0,0x5b7},{0xfb2f,0x5d0,0x5b8},
    {0xfb30,0x5d0,0x5bc},{0xfb31,0x5d1,0x5bc},{0xfb32,0x5d2,0x5bc},{0xfb33,0x5d3,0x5bc},
    {0xfb34,0x5d4,0x5bc},{0xfb35,0x5d5,0x5bc},{0xfb36,0x5d6,0x5bc},{0xfb38,0x5d8,0x5bc},
    {0xfb39,0x5d9,0x5bc},{0xfb3a,0x5da,0x5bc},{0xfb3b,0x5db,0x5bc},{0xfb3c,0x5dc,0x5bc},
    {0xfb3e,0x5de,0x5bc},{0xfb40,0x5e0,0x5bc},{0xfb41,0x5e1,0x5bc},{0xfb43,0x5e3,0x5bc},
    {0xfb44,0x5e4,0x5bc},{0xfb46,0x5e6,0x5bc},{0xfb47,0x5e7,0x5bc},{0xfb48,0x5e8,0x5bc},
    {0xfb49,0x5e9,0x5bc},{0xfb4a,0x5ea,0x5bc},{0xfb4b,0x5d5,0x5b9},{0xfb4c,0x5d1,0x5bf},
    {0xfb4d,0x5db,0x5bf},{0xfb4e,0x5e4,0x5bf},{0x1109a,0x11099,0x110ba},{0x1109c,0x1109b,0x110ba},
    {0x110ab,0x110a5,0x110ba},{0x1112e,0x11131,0x11127},{0x1112f,0x11132,0x11127},
    {0x1134b,0x11347,0x1133e},{0x1134c,0x11347,0x11357},{0x114bb,0x114b9,0x114ba},
    {0x114bc,0x114b9,0x114b0},{0x114be,0x114b9,0x114bd},{0x115ba,0x115b8,0x115af},
    {0x115bb,0x115b9,0x115af},{0x11938,0x11935,0x11930},{0x1d15e,0x1d157,0x1d165},
    {0x1d15f,0x1d158,0x1d165},{0x1d160,0x1d15f,0x1d16e},{0x1d161,0x1d15f,0x1d16f},
    {0x1d162,0x1d15f,0x1d170},{0x1d163,0x1d15f,0x1d171},{0x1d164,0x1d15f,0x1d172},
    {0x1d1bb,0x1d1b9,0x1d165},{0x1d1bc,0x1d1ba,0x1d165},{0x1d1bd,0x1d1bb,0x1d16e},
    {0x1d1be,0x1d1bc,0x1d16e},{0x1d1bf,0x1d1bb,0x1d16f},{0x1d1c0,0x1d1bc,0x1d16f},
    {0x2f800,0x4e3d,0x0},{0x2f801,0x4e38,0x0},{0x2f802,0x4e41,0x0},{0x2f803,0x20122,0x0},
    {0x2f804,0x4f60,0x0},{0x2f805,0x4fae,0x0},{0x2f806,0x4fbb,0x0},{0x2f807,0x5002,0x0},
    {0x2f808,0x507a,0x0},{0x2f809,0x5099,0x0},{0x2f80a,0x50e7,0x0},{0x2f80b,0x50cf,0x0},
    {0x2f80c,0x349e,0x0},{0x2f80d,0x2063a,0x0},{0x2f80e,0x514d,0x0},{0x2f80f,0x5154,0x0},
    {0x2f810,0x5164,0x0},{0x2f811,0x5177,0x0},{0x2f812,0x2051c,0x0},{0x2f813,0x34b9,0x0},
    {0x2f814,0x5167,0x0},{0x2f815,0x518d,0x0},{0x2f816,0x2054b,0x0},{0x2f817,0x5197,0x0},
    {0x2f818,0x51a4,0x0},{0x2f819,0x4ecc,0x0},{0x2f81a,0x51ac,0x0},{0x2f81b,0x51b5,0x0},
    {0x2f81c,0x291df,0x0},{0x2f81d,0x51f5,0x0},{0x2f81e,0x5203,0x0},{0x2f81f,0x34df,0x0},
    {0x2f820,0x523b,0x0},{0x2f821,0x5246,0x0},{0x2f822,0x5272,0x0},{0x2f823,0x5277,0x0},
    {0x2f824,0x3515,0x0},{0x2f825,0x52c7,0x0},{0x2f826,0x52c9,0x0},{0x2f827,0x52e4,0x0},
    {0x2f828,0x52fa,0x0},{0x2f829,0x5305,0x0},{0x2f82a,0x5306,0x0},{0x2f82b,0x5317,0x0},
    {0x2f82c,0x5349,0x0},{0x2f82d,0x5351,0x0},{0x2f82e,0x535a,0x0},{0x2f82f,0x5373,0x0},
    {0x2f830,0x537d,0x0},{0x2f831,0x537f,0x0},{0x2f832,0x537f,0x0},{0x2f833,0x537f,0x0},
    {0x2f834,0x20a2c,0x0},{0x2f835,0x7070,0x0},{0x2f836,0x53ca,0x0},{0x2f837,0x53df,0x0},
    {0x2f838,0x20b63,0x0},{0x2f839,0x53eb,0x0},{0x2f83a,0x53f1,0x0},{0x2f83b,0x5406,0x0},
    {0x2f83c,0x549e,0x0},{0x2f83d,0x5438,0x0},{0x2f83e,0x5448,0x0},{0x2f83f,0x5468,0x0},
    {0x2f840,0x54a2,0x0},{0x2f841,0x54f6,0x0},{0x2f842,0x5510,0x0},{0x2f843,0x5553,0x0},
    {0x2f844,0x5563,0x0},{0x2f845,0x5584,0x0},{0x2f846,0x5584,0x0},{0x2f847,0x5599,0x0},
    {0x2f848,0x55ab,0x0},{0x2f849,0x55b3,0x0},{0x2f84a,0x55c2,0x0},{0x2f84b,0x5716,0x0},
    {0x2f84c,0x5606,0x0},{0x2f84d,0x5717,0x0},{0x2f84e,0x5651,0x0},{0x2f84f,0x5674,0x0},
    {0x2f850,0x5207,0x0},{0x2f851,0x58ee,0x0},{0x2f852,0x57ce,0x0},{0x2f853,0x57f4,0x0},
    {0x2f854,0x580d,0x0},{0x2f855,0x578b,0x0},{0x2f856,0x5832,0x0},{0x2f857,0x5831,0x0},
    {0x2f858,0x58ac,0x0},{0x2f859,0x214e4,0x0},{0x2f85a,0x58f2,0x0},{0x2f85b,0x58f7,0x0},
    {0x2f85c,0x5906,0x0},{0x2f85d,0x591a,0x0},{0x2f85e,0x5922,0x0},{0x2f85f,0x5962,0x0},
    {0x2f860,0x216a8,0x0},{0x2f861,0x216ea,0x0},{0x2f862,0x59ec,0x0},{0x2f863,0x5a1b,0x0},
    {0x2f864,0x5a27,0x0},{0x2f865,0x59d8,0x0},{0x2f866,0x5a66,0x0},{0x2f867,0x36ee,0x0},
    {0x2f868,0x36fc,0x0},{0x2f869,0x5b08,0x0},{0x2f86a,0x5b3e,0x0},{0x2f86b,0x5b3e,0x0},
    {0x2f86c,0x219c8,0x0},{0x2f86d,0x5bc3,0x0},{0x2f86e,0x5bd8,0x0},{0x2f86f,0x5be7,0x0},
    {0x2f870,0x5bf3,0x0},{0x2f871,0x21b18,0x0},{0x2f872,0x5bff,0x0},{0x2f873,0x5c06,0x0},
    {0x2f874,0x5f53,0x0},{0x2f875,0x5c22,0x0},{0x2f876,0x3781,0x0},{0x2f877,0x5c60,0x0},
    {0x2f878,0x5c6e,0x0},{0x2f879,0x5cc0,0x0},{0x2f87a,0x5c8d,0x0},{0x2f87b,0x21de4,0x0},
    {0x2f87c,0x5d43,0x0},{0x2f87d,0x21de6,0x0},{0x2f87e,0x5d6e,0x0},{0x2f87f,0x5d6b,0x0},
    {0x2f880,0x5d7c,0x0},{0x2f881,0x5de1,0x0},{0x2f882,0x5de2,0x0},{0x2f883,0x382f,0x0},
    {0x2f884,0x5dfd,0x0},{0x2f885,0x5e28,0x0},{0x2f886,0x5e3d,0x0},{0x2f887,0x5e69,0x0},
    {0x2f888,0x3862,0x0},{0x2f889,0x22183,0x0},{0x2f88a,0x387c,0x0},{0x2f88b,0x5eb0,0x0},
    {0x2f88c,0x5eb3,0x0},{0x2f88d,0x5eb6,0x0},{0x2f88e,0x5eca,0x0},{0x2f88f,0x2a392,0x0},
    {0x2f890,0x5efe,0x0},{0x2f891,0x22331,0x0},{0x2f892,0x22331,0x0},{0x2f893,0x8201,0x0},
    {0x2f894,0x5f22,0x0},{0x2f895,0x5f22,0x0},{0x2f896,0x38c7,0x0},{0x2f897,0x232b8,0x0},
    {0x2f898,0x261da,0x0},{0x2f899,0x5f62,0x0},{0x2f89a,0x5f6b,0x0},{0x2f89b,0x38e3,0x0},
    {0x2f89c,0x5f9a,0x0},{0x2f89d,0x5fcd,0x0},{0x2f89e,0x5fd7,0x0},{0x2f89f,0x5ff9,0x0},
    {0x2f8a0,0x6081,0x0},{0x2f8a1,0x393a,0x0},{0x2f8a2,0x391c,0x0},{0x2f8a3,0x6094,0x0},
    {0x2f8a4,0x226d4,0x0},{0x2f8a5,0x60c7,0x0},{0x2f8a6,0x6148,0x0},{0x2f8a7,0x614c,0x0},
    {0x2f8a8,0x614e,0x0},{0x2f8a9,0x614c,0x0},{0x2f8aa,0x617a,0x0},{0x2f8ab,0x618e,0x0},
    {0x2f8ac,0x61b2,0x0},{0x2f8ad,0x61a4,0x0},{0x2f8ae,0x61af,0x0},{0x2f8af,0x61de,0x0},
    {0x2f8b0,0x61f2,0x0},{0x2f8b1,0x61f6,0x0},{0x2f8b2,0x6210,0x0},{0x2f8b3,0x621b,0x0},
    {0x2f8b4,0x625d,0x0},{0x2f8b5,0x62b1,0x0},{0x2f8b6,0x62d4,0x0},{0x2f8b7,0x6350,0x0},
    {0x2f8b8,0x22b0c,0x0},{0x2f8b9,0x633d,0x0},{0x2f8ba,0x62fc,0x0},{0x2f8bb,0x6368,0x0},
    {0x2f8bc,0x6383,0x0},{0x2f8bd,0x63e4,0x0},{0x2f8be,0x22bf1,0x0},{0x2f8bf,0x6422,0x0},
    {0x2f8c0,0x63c5,0x0},{0x2f8c1,0x63a9,0x0},{0x2f8c2,0x3a2e,0x0},{0x2f8c3,0x6469,0x0},
    {0x2f8c4,0x647e,0x0},{0x2f8c5,0x649d,0x0},{0x2f8c6,0x6477,0x0},{0x2f8c7,0x3a6c,0x0},
    {0x2f8c8,0x654f,0x0},{0x2f8c9,0x656c,0x0},{0x2f8ca,0x2300a,0x0},{0x2f8cb,0x65e3,0x0},
    {0x2f8cc,0x66f8,0x0},{0x2f8cd,0x6649,0x0},{0x2f8ce,0x3b19,0x0},{0x2f8cf,0x6691,0x0},
    {0x2f8d0,0x3b08,0x0},{0x2f8d1,0x3ae4,0x0},{0x2f8d2,0x5192,0x0},{0x2f8d3,0x5195,0x0},
    {0x2f8d4,0x6700,0x0},{0x2f8d5,0x669c,0x0},{0x2f8d6,0x80ad,0x0},{0x2f8d7,0x43d9,0x0},
    {0x2f8d8,0x6717,0x0},{0x2f8d9,0x671b,0x0},{0x2f8da,0x6721,0x0},{0x2f8db,0x675e,0x0},
    {0x2f8dc,0x6753,0x0},{0x2f8dd,0x233c3,0x0},{0x2f8de,0x3b49,0x0},{0x2f8df,0x67fa,0x0},
    {0x2f8e0,0x6785,0x0},{0x2f8e1,0x6852,0x0},{0x2f8e2,0x6885,0x0},{0x2f8e3,0x2346d,0x0},
    {0x2f8e4,0x688e,0x0},{0x2f8e5,0x681f,0x0},{0x2f8e6,0x6914,0x0},{0x2f8e7,0x3b9d,0x0},
    {0x2f8e8,0x6942,0x0},{0x2f8e9,0x69a3,0x0},{0x2f8ea,0x69ea,0x0},{0x2f8eb,0x6aa8,0x0},
    {0x2f8ec,0x236a3,0x0},{0x2f8ed,0x6adb,0x0},{0x2f8ee,0x3c18,0x0},{0x2f8ef,0x6b21,0x0},
    {0x2f8f0,0x238a7,0x0},{0x2f8f1,0x6b54,0x0},{0x2f8f2,0x3c4e,0x0},{0x2f8f3,0x6b72,0x0},
    {0x2f8f4,0x6b9f,0x0},{0x2f8f5,0x6bba,0x0},{0x2f8f6,0x6bbb,0x0},{0x2f8f7,0x23a8d,0x0},
    {0x2f8f8,0x21d0b,0x0},{0x2f8f9,0x23afa,0x0},{0x2f8fa,0x6c4e,0x0},{0x2f8fb,0x23cbc,0x0},
    {0x2f8fc,0x6cbf,0x0},{0x2f8fd,0x6ccd,0x0},{0x2f8fe,0x6c67,0x0},{0x2f8ff,0x6d16,0x0},
    {0x2f900,0x6d3e,0x0},{0x2f901,0x6d77,0x0},{0x2f902,0x6d41,0x0},{0x2f903,0x6d69,0x0},
    {0x2f904,0x6d78,0x0},{0x2f905,0x6d85,0x0},{0x2f906,0x23d1e,0x0},{0x2f907,0x6d34,0x0},
    {0x2f908,0x6e2f,0x0},{0x2f909,0x6e6e,0x0},{0x2f90a,0x3d33,0x0},{0x2f90b,0x6ecb,0x0},
    {0x2f90c,0x6ec7,0x0},{0x2f90d,0x23ed1,0x0},{0x2f90e,0x6df9,0x0},{0x2f90f,0x6f6e,0x0},
    {0x2f910,0x23f5e,0x0},{0x2f911,0x23f8e,0x0},{0x2f912,0x6fc6,0x0},{0x2f913,0x7039,0x0},
    {0x2f914,0x701e,0x0},{0x2f915,0x701b,0x0},{0x2f916,0x3d96,0x0},{0x2f917,0x704a,0x0},
    {0x2f918,0x707d,0x0},{0x2f919,0x7077,0x0},{0x2f91a,0x70ad,0x0},{0x2f91b,0x20525,0x0},
    {0x2f91c,0x7145,0x0},{0x2f91d,0x24263,0x0},{0x2f91e,0x719c,0x0},{0x2f91f,0x243ab,0x0},
    {0x2f920,0x7228,0x0},{0x2f921,0x7235,0x0},{0x2f922,0x7250,0x0},{0x2f923,0x24608,0x0},
    {0x2f924,0x7280,0x0},{0x2f925,0x7295,0x0},{0x2f926,0x24735,0x0},{0x2f927,0x24814,0x0},
    {0x2f928,0x737a,0x0},{0x2f929,0x738b,0x0},{0x2f92a,0x3eac,0x0},{0x2f92b,0x73a5,0x0},
    {0x2f92c,0x3eb8,0x0},{0x2f92d,0x3eb8,0x0},{0x2f92e,0x7447,0x0},{0x2f92f,0x745c,0x0},
    {0x2f930,0x7471,0x0},{0x2f931,0x7485,0x0},{0x2f932,0x74ca,0x0},{0x2f933,0x3f1b,0x0},
    {0x2f934,0x7524,0x0},{0x2f935,0x24c36,0x0},{0x2f936,0x753e,0x0},{0x2f937,0x24c92,0x0},
    {0x2f938,0x7570,0x0},{0x2f939,0x2219f,0x0},{0x2f93a,0x7610,0x0},{0x2f93b,0x24fa1,0x0},
    {0x2f93c,0x24fb8,0x0},{0x2f93d,0x25044,0x0},{0x2f93e,0x3ffc,0x0},{0x2f93f,0x4008,0x0},
    {0x2f940,0x76f4,0x0},{0x2f941,0x250f3,0x0},{0x2f942,0x250f2,0x0},{0x2f943,0x25119,0x0},
    {0x2f944,0x25133,0x0},{0x2f945,0x771e,0x0},{0x2f946,0x771f,0x0},{0x2f947,0x771f,0x0},
    {0x2f948,0x774a,0x0},{0x2f949,0x4039,0x0},{0x2f94a,0x778b,0x0},{0x2f94b,0x4046,0x0},
    {0x2f94c,0x4096,0x0},{0x2f94d,0x2541d,0x0},{0x2f94e,0x784e,0x0},{0x2f94f,0x788c,0x0},
    {0x2f950,0x78cc,0x0},{0x2f951,0x40e3,0x0},{0x2f952,0x25626,0x0},{0x2f953,0x7956,0x0},
    {0x2f954,0x2569a,0x0},{0x2f955,0x256c5,0x0},{0x2f956,0x798f,0x0},{0x2f957,0x79eb,0x0},
    {0x2f958,0x412f,0x0},{0x2f959,0x7a40,0x0},{0x2f95a,0x7a4a,0x0},{0x2f95b,0x7a4f,0x0},
    {0x2f95c,0x2597c,0x0},{0x2f95d,0x25aa7,0x0},{0x2f95e,0x25aa7,0x0},{0x2f95f,0x7aee,0x0},
    {0x2f960,0x4202,0x0},{0x2f961,0x25bab,0x0},{0x2f962,0x7bc6,0x0},{0x2f963,0x7bc9,0x0},
    {0x2f964,0x4227,0x0},{0x2f965,0x25c80,0x0},{0x2f966,0x7cd2,0x0},{0x2f967,0x42a0,0x0},
    {0x2f968,0x7ce8,0x0},{0x2f969,0x7ce3,0x0},{0x2f96a,0x7d00,0x0},{0x2f96b,0x25f86,0x0},
    {0x2f96c,0x7d63,0x0},{0x2f96d,0x4301,0x0},{0x2f96e,0x7dc7,0x0},{0x2f96f,0x7e02,0x0},
    {0x2f970,0x7e45,0x0},{0x2f971,0x4334,0x0},{0x2f972,0x26228,0x0},{0x2f973,0x26247,0x0},
    {0x2f974,0x4359,0x0},{0x2f975,0x262d9,0x0},{0x2f976,0x7f7a,0x0},{0x2f977,0x2633e,0x0},
    {0x2f978,0x7f95,0x0},{0x2f979,0x7ffa,0x0},{0x2f97a,0x8005,0x0},{0x2f97b,0x264da,0x0},
    {0x2f97c,0x26523,0x0},{0x2f97d,0x8060,0x0},{0x2f97e,0x265a8,0x0},{0x2f97f,0x8070,0x0},
    {0x2f980,0x2335f,0x0},{0x2f981,0x43d5,0x0},{0x2f982,0x80b2,0x0},{0x2f983,0x8103,0x0},
    {0x2f984,0x440b,0x0},{0x2f985,0x813e,0x0},{0x2f986,0x5ab5,0x0},{0x2f987,0x267a7,0x0},
    {0x2f988,0x267b5,0x0},{0x2f989,0x23393,0x0},{0x2f98a,0x2339c,0x0},{0x2f98b,0x8201,0x0},
    {0x2f98c,0x8204,0x0},{0x2f98d,0x8f9e,0x0},{0x2f98e,0x446b,0x0},{0x2f98f,0x8291,0x0},
    {0x2f990,0x828b,0x0},{0x2f991,0x829d,0x0},{0x2f992,0x52b3,0x0},{0x2f993,0x82b1,0x0},
    {0x2f994,0x82b3,0x0},{0x2f995,0x82bd,0x0},{0x2f996,0x82e6,0x0},{0x2f997,0x26b3c,0x0},
    {0x2f998,0x82e5,0x0},{0x2f999,0x831d,0x0},{0x2f99a,0x8363,0x0},{0x2f99b,0x83ad,0x0},
    {0x2f99c,0x8323,0x0},{0x2f99d,0x83bd,0x0},{0x2f99e,0x83e7,0x0},{0x2f99f,0x8457,0x0},
    {0x2f9a0,0x8353,0x0},{0x2f9a1,0x83ca,0x0},{0x2f9a2,0x83cc,0x0},{0x2f9a3,0x83dc,0x0},
    {0x2f9a4,0x26c36,0x0},{0x2f9a5,0x26d6b,0x0},{0x2f9a6,0x26cd5,0x0},{0x2f9a7,0x452b,0x0},
    {0x2f9a8,0x84f1,0x0},{0x2f9a9,0x84f3,0x0},{0x2f9aa,0x8516,0x0},{0x2f9ab,0x273ca,0x0},
    {0x2f9ac,0x8564,0x0},{0x2f9ad,0x26f2c,0x0},{0x2f9ae,0x455d,0x0},{0x2f9af,0x4561,0x0},
    {0x2f9b0,0x26fb1,0x0},{0x2f9b1,0x270d2,0x0},{0x2f9b2,0x456b,0x0},{0x2f9b3,0x8650,0x0},
    {0x2f9b4,0x865c,0x0},{0x2f9b5,0x8667,0x0},{0x2f9b6,0x8669,0x0},{0x2f9b7,0x86a9,0x0},
    {0x2f9b8,0x8688,0x0},{0x2f9b9,0x870e,0x0},{0x2f9ba,0x86e2,0x0},{0x2f9bb,0x8779,0x0},
    {0x2f9bc,0x8728,0x0},{0x2f9bd,0x876b,0x0},{0x2f9be,0x8786,0x0},{0x2f9bf,0x45d7,0x0},
    {0x2f9c0,0x87e1,0x0},{0x2f9c1,0x8801,0x0},{0x2f9c2,0x45f9,0x0},{0x2f9c3,0x8860,0x0},
    {0x2f9c4,0x8863,0x0},{0x2f9c5,0x27667,0x0},{0x2f9c6,0x88d7,0x0},{0x2f9c7,0x88de,0x0},
    {0x2f9c8,0x4635,0x0},{0x2f9c9,0x88fa,0x0},{0x2f9ca,0x34bb,0x0},{0x2f9cb,0x278ae,0x0},
    {0x2f9cc,0x27966,0x0},{0x2f9cd,0x46be,0x0},{0x2f9ce,0x46c7,0x0},{0x2f9cf,0x8aa0,0x0},
    {0x2f9d0,0x8aed,0x0},{0x2f9d1,0x8b8a,0x0},{0x2f9d2,0x8c55,0x0},{0x2f9d3,0x27ca8,0x0},
    {0x2f9d4,0x8cab,0x0},{0x2f9d5,0x8cc1,0x0},{0x2f9d6,0x8d1b,0x0},{0x2f9d7,0x8d77,0x0},
    {0x2f9d8,0x27f2f,0x0},{0x2f9d9,0x20804,0x0},{0x2f9da,0x8dcb,0x0},{0x2f9db,0x8dbc,0x0},
    {0x2f9dc,0x8df0,0x0},{0x2f9dd,0x208de,0x0},{0x2f9de,0x8ed4,0x0},{0x2f9df,0x8f38,0x0},
    {0x2f9e0,0x285d2,0x0},{0x2f9e1,0x285ed,0x0},{0x2f9e2,0x9094,0x0},{0x2f9e3,0x90f1,0x0},
    {0x2f9e4,0x9111,0x0},{0x2f9e5,0x2872e,0x0},{0x2f9e6,0x911b,0x0},{0x2f9e7,0x9238,0x0},
    {0x2f9e8,0x92d7,0x0},{0x2f9e9,0x92d8,0x0},{0x2f9ea,0x927c,0x0},{0x2f9eb,0x93f9,0x0},
    {0x2f9ec,0x9415,0x0},{0x2f9ed,0x28bfa,0x0},{0x2f9ee,0x958b,0x0},{0x2f9ef,0x4995,0x0},
    {0x2f9f0,0x95b7,0x0},{0x2f9f1,0x28d77,0x0},{0x2f9f2,0x49e6,0x0},{0x2f9f3,0x96c3,0x0},
    {0x2f9f4,0x5db2,0x0},{0x2f9f5,0x9723,0x0},{0x2f9f6,0x29145,0x0},{0x2f9f7,0x2921a,0x0},
    {0x2f9f8,0x4a6e,0x0},{0x2f9f9,0x4a76,0x0},{0x2f9fa,0x97e0,0x0},{0x2f9fb,0x2940a,0x0},
    {0x2f9fc,0x4ab2,0x0},{0x2f9fd,0x29496,0x0},{0x2f9fe,0x980b,0x0},{0x2f9ff,0x980b,0x0},
    {0x2fa00,0x9829,0x0},{0x2fa01,0x295b6,0x0},{0x2fa02,0x98e2,0x0},{0x2fa03,0x4b33,0x0},
    {0x2fa04,0x9929,0x0},{0x2fa05,0x99a7,0x0},{0x2fa06,0x99c2,0x0},{0x2fa07,0x99fe,0x0},
    {0x2fa08,0x4bce,0x0},{0x2fa09,0x29b30,0x0},{0x2fa0a,0x9b12,0x0},{0x2fa0b,0x9c40,0x0},
    {0x2fa0c,0x9cfd,0x0},{0x2fa0d,0x4cce,0x0},{0x2fa0e,0x4ced,0x0},{0x2fa0f,0x9d67,0x0},
    {0x2fa10,0x2a0ce,0x0},{0x2fa11,0x4cf8,0x0},{0x2fa12,0x2a105,0x0},{0x2fa13,0x2a20e,0x0},
    {0x2fa14,0x2a291,0x0},{0x2fa15,0x9ebb,0x0},{0x2fa16,0x4d56,0x0},{0x2fa17,0x9ef9,0x0},
    {0x2fa18,0x9efe,0x0},{0x2fa19,0x9f05,0x0},{0x2fa1a,0x9f0f,0x0},{0x2fa1b,0x9f16,0x0},
    {0x2fa1c,0x9f3b,0x0},{0x2fa1d,0x2a600,0x0},
};
static const uint32_t r1__uc_comp[941][3] = {
    {0x3c,0x338,0x226e},{0x3d,0x338,0x2260},{0x3e,0x338,0x226f},{0x41,0x300,0xc0},{0x41,0x301,0xc1},
    {0x41,0x302,0xc2},{0x41,0x303,0xc3},{0x41,0x304,0x100},{0x41,0x306,0x102},{0x41,0x307,0x226},
    {0x41,0x308,0xc4},{0x41,0x309,0x1ea2},{0x41,0x30a,0xc5},{0x41,0x30c,0x1cd},{0x41,0x30f,0x200},
    {0x41,0x311,0x202},{0x41,0x323,0x1ea0},{0x41,0x325,0x1e00},{0x41,0x328,0x104},
    {0x42,0x307,0x1e02},{0x42,0x323,0x1e04},{0x42,0x331,0x1e06},{0x43,0x301,0x106},
    {0x43,0x302,0x108},{0x43,0x307,0x10a},{0x43,0x30c,0x10c},{0x43,0x327,0xc7},{0x44,0x307,0x1e0a},
    {0x44,0x30c,0x10e},{0x44,0x323,0x1e0c},{0x44,0x327,0x1e10},{0x44,0x32d,0x1e12},
    {0x44,0x331,0x1e0e},{0x45,0x300,0xc8},{0x45,0x301,0xc9},{0x45,0x302,0xca},{0x45,0x303,0x1ebc},
    {0x45,0x304,0x112},{0x45,0x306,0x114},{0x45,0x307,0x116},{0x45,0x308,0xcb},{0x45,0x309,0x1eba},
    {0x45,0x30c,0x11a},{0x45,0x30f,0x204},{0x45,0x311,0x206},{0x45,0x323,0x1eb8},{0x45,0x327,0x228},
    {0x45,0x328,0x118},{0x45,0x32d,0x1e18},{0x45,0x330,0x1e1a},{0x46,0x307,0x1e1e},
    {0x47,0x301,0x1f4},{0x47,0x302,0x11c},{0x47,0x304,0x1e20},{0x47,0x306,0x11e},{0x47,0x307,0x120},
    {0x47,0x30c,0x1e6},{0x47,0x327,0x122},{0x48,0x302,0x124},{0x48,0x307,0x1e22},
    {0x48,0x308,0x1e26},{0x48,0x30c,0x21e},{0x48,0x323,0x1e24},{0x48,0x327,0x1e28},
    {0x48,0x32e,0x1e2a},{0x49,0x300,0xcc},{0x49,0x301,0xcd},{0x49,0x302,0xce},{0x49,0x303,0x128},
    {0x49,0x304,0x12a},{0x49,0x306,0x12c},{0x49,0x307,0x130},{0x49,0x308,0xcf},{0x49,0x309,0x1ec8},
    {0x49,0x30c,0x1cf},{0x49,0x30f,0x208},{0x49,0x311,0x20a},{0x49,0x323,0x1eca},{0x49,0x328,0x12e},
    {0x49,0x330,0x1e2c},{0x4a,0x302,0x134},{0x4b,0x301,0x1e30},{0x4b,0x30c,0x1e8},
    {0x4b,0x323,0x1e32},{0x4b,0x327,0x136},{0x4b,0x331,0x1e34},{0x4c,0x301,0x139},
    {0x4c,0x30c,0x13d},{0x4c,0x323,0x1e36},{0x4c,0x327,0x13b},{0x4c,0x32d,0x1e3c},
    {0x4c,0x331,0x1e3a},{0x4d,0x301,0x1e3e},{0x4d,0x307,0x1e40},{0x4d,0x323,0x1e42},
    {0x4e,0x300,0x1f8},{0x4e,0x301,0x143},{0x4e,0x303,0xd1},{0x4e,0x307,0x1e44},{0x4e,0x30c,0x147},
    {0x4e,0x323,0x1e46},{0x4e,0x327,0x145},{0x4e,0x32d,0x1e4a},{0x4e,0x331,0x1e48},
    {0x4f,0x300,0xd2},{0x4f,0x301,0xd3},{0x4f,0x302,0xd4},{0x4f,0x303,0xd5},{0x4f,0x304,0x14c},
    {0x4f,0x306,0x14e},{0x4f,0x307,0x22e},{0x4f,0x308,0xd6},{0x4f,0x309,0x1ece},{0x4f,0x30b,0x150},
    {0x4f,0x30c,0x1d1},{0x4f,0x30f,0x20c},{0x4f,0x311,0x20e},{0x4f,0x31b,0x1a0},{0x4f,0x323,0x1ecc},
    {0x4f,0x328,0x1ea},{0x50,0x301,0x1e54},{0x50,0x307,0x1e56},{0x52,0x301,0x154},
    {0x52,0x307,0x1e58},{0x52,0x30c,0x158},{0x52,0x30f,0x210},{0x52,0x311,0x212},
    {0x52,0x323,0x1e5a},{0x52,0x327,0x156},{0x52,0x331,0x1e5e},{0x53,0x301,0x15a},
    {0x53,0x302,0x15c},{0x53,0x307,0x1e60},{0x53,0x30c,0x160},{0x53,0x323,0x1e62},
    {0x53,0x326,0x218},{0x53,0x327,0x15e},{0x54,0x307,0x1e6a},{0x54,0x30c,0x164},
    {0x54,0x323,0x1e6c},{0x54,0x326,0x21a},{0x54,0x327,0x162},{0x54,0x32d,0x1e70},
    {0x54,0x331,0x1e6e},{0x55,0x300,0xd9},{0x55,0x301,0xda},{0x55,0x302,0xdb},{0x55,0x303,0x168},
    {0x55,0x304,0x16a},{0x55,0x306,0x16c},{0x55,0x308,0xdc},{0x55,0x309,0x1ee6},{0x55,0x30a,0x16e},
    {0x55,0x30b,0x170},{0x55,0x30c,0x1d3},{0x55,0x30f,0x214},{0x55,0x311,0x216},{0x55,0x31b,0x1af},
    {0x55,0x323,0x1ee4},{0x55,0x324,0x1e72},{0x55,0x328,0x172},{0x55,0x32d,0x1e76},
    {0x55,0x330,0x1e74},{0x56,0x303,0x1e7c},{0x56,0x323,0x1e7e},{0x57,0x300,0x1e80},
    {0x57,0x301,0x1e82},{0x57,0x302,0x174},{0x57,0x307,0x1e86},{0x57,0x308,0x1e84},
    {0x57,0x323,0x1e88},{0x58,0x307,0x1e8a},{0x58,0x308,0x1e8c},{0x59,0x300,0x1ef2},
    {0x59,0x301,0xdd},{0x59,0x302,0x176},{0x59,0x303,0x1ef8},{0x59,0x304,0x232},{0x59,0x307,0x1e8e},
    {0x59,0x308,0x178},{0x59,0x309,0x1ef6},{0x59,0x323,0x1ef4},{0x5a,0x301,0x179},
    {0x5a,0x302,0x1e90},{0x5a,0x307,0x17b},{0x5a,0x30c,0x17d},{0x5a,0x323,0x1e92},
    {0x5a,0x331,0x1e94},{0x61,0x300,0xe0},{0x61,0x301,0xe1},{0x61,0x302,0xe2},{0x61,0x303,0xe3},
    {0x61,0x304,0x101},{0x61,0x306,0x103},{0x61,0x307,0x227},{0x61,0x308,0xe4},{0x61,0x309,0x1ea3},
    {0x61,0x30a,0xe5},{0x61,0x30c,0x1ce},{0x61,0x30f,0x201},{0x61,0x311,0x203},{0x61,0x323,0x1ea1},
    {0x61,0x325,0x1e01},{0x61,0x328,0x105},{0x62,0x307,0x1e03},{0x62,0x323,0x1e05},
    {0x62,0x331,0x1e07},{0x63,0x301,0x107},{0x63,0x302,0x109},{0x63,0x307,0x10b},{0x63,0x30c,0x10d},
    {0x63,0x327,0xe7},{0x64,0x307,0x1e0b},{0x64,0x30c,0x10f},{0x64,0x323,0x1e0d},
    {0x64,0x327,0x1e11},{0x64,0x32d,0x1e13},{0x64,0x331,0x1e0f},{0x65,0x300,0xe8},{0x65,0x301,0xe9},
    {0x65,0x302,0xea},{0x65,0x303,0x1ebd},{0x65,0x304,0x113},{0x65,0x306,0x115},{0x65,0x307,0x117},
    {0x65,0x308,0xeb},{0x65,0x309,0x1ebb},{0x65,0x30c,0x11b},{0x65,0x30f,0x205},{0x65,0x311,0x207},
    {0x65,0x323,0x1eb9},{0x65,0x327,0x229},{0x65,0x328,0x119},{0x65,0x32d,0x1e19},
    {0x65,0x330,0x1e1b},{0x66,0x307,0x1e1f},{0x67,0x301,0x1f5},{0x67,0x302,0x11d},
    {0x67,0x304,0x1e21},{0x67,0x306,0x11f},{0x67,0x307,0x121},{0x67,0x30c,0x1e7},{0x67,0x327,0x123},
    {0x68,0x302,0x125},{0x68,0x307,0x1e23},{0x68,0x308,0x1e27},{0x68,0x30c,0x21f},
    {0x68,0x323,0x1e25},{0x68,0x327,0x1e29},{0x68,0x32e,0x1e2b},{0x68,0x331,0x1e96},
    {0x69,0x300,0xec},{0x69,0x301,0xed},{0x69,0x302,0xee},{0x69,0x303,0x129},{0x69,0x304,0x12b},
    {0x69,0x306,0x12d},{0x69,0x308,0xef},{0x69,0x309,0x1ec9},{0x69,0x30c,0x1d0},{0x69,0x30f,0x209},
    {0x69,0x311,0x20b},{0x69,0x323,0x1ecb},{0x69,0x328,0x12f},{0x69,0x330,0x1e2d},
    {0x6a,0x302,0x135},{0x6a,0x30c,0x1f0},{0x6b,0x301,0x1e31},{0x6b,0x30c,0x1e9},
    {0x6b,0x323,0x1e33},{0x6b,0x327,0x137},{0x6b,0x331,0x1e35},{0x6c,0x301,0x13a},
    {0x6c,0x30c,0x13e},{0x6c,0x323,0x1e37},{0x6c,0x327,0x13c},{0x6c,0x32d,0x1e3d},
    {0x6c,0x331,0x1e3b},{0x6d,0x301,0x1e3f},{0x6d,0x307,0x1e41},{0x6d,0x323,0x1e43},
    {0x6e,0x300,0x1f9},{0x6e,0x301,0x144},{0x6e,0x303,0xf1},{0x6e,0x307,0x1e45},{0x6e,0x30c,0x148},
    {0x6e,0x323,0x1e47},{0x6e,0x327,0x146},{0x6e,0x32d,0x1e4b},{0x6e,0x331,0x1e49},
    {0x6f,0x300,0xf2},{0x6f,0x301,0xf3},{0x6f,0x302,0xf4},{0x6f,0x303,0xf5},{0x6f,0x304,0x14d},
    {0x6f,0x306,0x14f},{0x6f,0x307,0x22f},{0x6f,0x308,0xf6},{0x6f,0x309,0x1ecf},{0x6f,0x30b,0x151},
    {0x6f,0x30c,0x1d2},{0x6f,0x30f,0x20d},{0x6f,0x311,0x20f},{0x6f,0x31b,0x1a1},{0x6f,0x323,0x1ecd},
    {0x6f,0x328,0x1eb},{0x70,0x301,0x1e55},{0x70,0x307,0x1e57},{0x72,0x301,0x155},
    {0x72,0x307,0x1e59},{0x72,0x30c,0x159},{0x72,0x30f,0x211},{0x72,0x311,0x213},
    {0x72,0x323,0x1e5b},{0x72,0x327,0x157},{0x72,0x331,0x1e5f},{0x73,0x301,0x15b},
    {0x73,0x302,0x15d},{0x73,0x307,0x1e61},{0x73,0x30c,0x161},{0x73,0x323,0x1e63},
    {0x73,0x326,0x219},{0x73,0x327,0x15f},{0x74,0x307,0x1e6b},{0x74,0x308,0x1e97},
    {0x74,0x30c,0x165},{0x74,0x323,0x1e6d},{0x74,0x326,0x21b},{0x74,0x327,0x163},
    {0x74,0x32d,0x1e71},{0x74,0x331,0x1e6f},{0x75,0x300,0xf9},{0x75,0x301,0xfa},{0x75,0x302,0xfb},
    {0x75,0x303,0x169},{0x75,0x304,0x16b},{0x75,0x306,0x16d},{0x75,0x308,0xfc},{0x75,0x309,0x1ee7},
    {0x75,0x30a,0x16f},{0x75,0x30b,0x171},{0x75,0x30c,0x1d4},{0x75,0x30f,0x215},{0x75,0x311,0x217},
    {0x75,0x31b,0x1b0},{0x75,0x323,0x1ee5},{0x75,0x324,0x1e73},{0x75,0x328,0x173},
    {0x75,0x32d,0x1e77},{0x75,0x330,0x1e75},{0x76,0x303,0x1e7d},{0x76,0x323,0x1e7f},
    {0x77,0x300,0x1e81},{0x77,0x301,0x1e83},{0x77,0x302,0x175},{0x77,0x307,0x1e87},
    {0x77,0x308,0x1e85},{0x77,0x30a,0x1e98},{0x77,0x323,0x1e89},{0x78,0x307,0x1e8b},
    {0x78,0x308,0x1e8d},{0x79,0x300,0x1ef3},{0x79,0x301,0xfd},{0x79,0x302,0x177},
    {0x79,0x303,0x1ef9},{0x79,0x304,0x233},{0x79,0x307,0x1e8f},{0x79,0x308,0xff},
    {0x79,0x309,0x1ef7},{0x79,0x30a,0x1e99},{0x79,0x323,0x1ef5},{0x7a,0x301,0x17a},
    {0x7a,0x302,0x1e91},{0x7a,0x307,0x17c},{0x7a,0x30c,0x17e},{0x7a,0x323,0x1e93},
    {0x7a,0x331,0x1e95},{0xa8,0x300,0x1fed},{0xa8,0x301,0x385},{0xa8,0x342,0x1fc1},
    {0xc2,0x300,0x1ea6},{0xc2,0x301,0x1ea4},{0xc2,0x303,0x1eaa},{0xc2,0x309,0x1ea8},
    {0xc4,0x304,0x1de},{0xc5,0x301,0x1fa},{0xc6,0x301,0x1fc},{0xc6,0x304,0x1e2},{0xc7,0x301,0x1e08},
    {0xca,0x300,0x1ec0},{0xca,0x301,0x1ebe},{0xca,0x303,0x1ec4},{0xca,0x309,0x1ec2},
    {0xcf,0x301,0x1e2e},{0xd4,0x300,0x1ed2},{0xd4,0x301,0x1ed0},{0xd4,0x303,0x1ed6},
    {0xd4,0x309,0x1ed4},{0xd5,0x301,0x1e4c},{0xd5,0x304,0x22c},{0xd5,0x308,0x1e4e},
    {0xd6,0x304,0x22a},{0xd8,0x301,0x1fe},{0xdc,0x300,0x1db},{0xdc,0x301,0x1d7},{0xdc,0x304,0x1d5},
    {0xdc,0x30c,0x1d9},{0xe2,0x300,0x1ea7},{0xe2,0x301,0x1ea5},{0xe2,0x303,0x1eab},
    {0xe2,0x309,0x1ea9},{0xe4,0x304,0x1df},{0xe5,0x301,0x1fb},{0xe6,0x301,0x1fd},{0xe6,0x304,0x1e3},
    {0xe7,0x301,0x1e09},{0xea,0x300,0x1ec1},{0xea,0x301,0x1ebf},{0xea,0x303,0x1ec5},
    {0xea,0x309,0x1ec3},{0xef,0x301,0x1e2f},{0xf4,0x300,0x1ed3},{0xf4,0x301,0x1ed1},
    {0xf4,0x303,0x1ed7},{0xf4,0x309,0x1ed5},{0xf5,0x301,0x1e4d},{0xf5,0x304,0x22d},
    {0xf5,0x308,0x1e4f},{0xf6,0x304,0x22b},{0xf8,0x301,0x1ff},{0xfc,0x300,0x1dc},{0xfc,0x301,0x1d8},
    {0xfc,0x304,0x1d6},{0xfc,0x30c,0x1da},{0x102,0x300,0x1eb0},{0x102,0x301,0x1eae},
    {0x102,0x303,0x1eb4},{0x102,0x309,0x1eb2},{0x103,0x300,0x1eb1},{0x103,0x301,0x1eaf},
    {0x103,0x303,0x1eb5},{0x103,0x309,0x1eb3},{0x112,0x300,0x1e14},{0x112,0x301,0x1e16},
    {0x113,0x300,0x1e15},{0x113,0x301,0x1e17},{0x14c,0x300,0x1e50},{0x14c,0x301,0x1e52},
    {0x14d,0x300,0x1e51},{0x14d,0x301,0x1e53},{0x15a,0x307,0x1e64},{0x15b,0x307,0x1e65},
    {0x160,0x307,0x1e66},{0x161,0x307,0x1e67},{0x168,0x301,0x1e78},{0x169,0x301,0x1e79},
    {0x16a,0x308,0x1e7a},{0x16b,0x308,0x1e7b},{0x17f,0x307,0x1e9b},{0x1a0,0x300,0x1edc},
    {0x1a0,0x301,0x1eda},{0x1a0,0x303,0x1ee0},{0x1a0,0x309,0x1ede},{0x1a0,0x323,0x1ee2},
    {0x1a1,0x300,0x1edd},{0x1a1,0x301,0x1edb},{0x1a1,0x303,0x1ee1},{0x1a1,0x309,0x1edf},
    {0x1a1,0x323,0x1ee3},{0x1af,0x300,0x1eea},{0x1af,0x301,0x1ee8},{0x1af,0x303,0x1eee},
    {0x1af,0x309,0x1eec},{0x1af,0x323,0x1ef0},{0x1b0,0x300,0x1eeb},{0x1b0,0x301,0x1ee9},
    {0x1b0,0x303,0x1eef},{0x1b0,0x309,0x1eed},{0x1b0,0x323,0x1ef1},{0x1b7,0x30c,0x1ee},
    {0x1ea,0x304,0x1ec},{0x1eb,0x304,0x1ed},{0x226,0x304,0x1e0},{0x227,0x304,0x1e1},
    {0x228,0x306,0x1e1c},{0x229,0x306,0x1e1d},{0x22e,0x304,0x230},{0x22f,0x304,0x231},
    {0x292,0x30c,0x1ef},{0x391,0x300,0x1fba},{0x391,0x301,0x386},{0x391,0x304,0x1fb9},
    {0x391,0x306,0x1fb8},{0x391,0x313,0x1f08},{0x391,0x314,0x1f09},{0x391,0x345,0x1fbc},
    {0x395,0x300,0x1fc8},{0x395,0x301,0x388},{0x395,0x313,0x1f18},{0x395,0x314,0x1f19},
    {0x397,0x300,0x1fca},{0x397,0x301,0x389},{0x397,0x313,0x1f28},{0x397,0x314,0x1f29},
    {0x397,0x345,0x1fcc},{0x399,0x300,0x1fda},{0x399,0x301,0x38a},{0x399,0x304,0x1fd9},
    {0x399,0x306,0x1fd8},{0x399,0x308,0x3aa},{0x399,0x313,0x1f38},{0x399,0x314,0x1f39},
    {0x39f,0x300,0x1ff8},{0x39f,0x301,0x38c},{0x39f,0x313,0x1f48},{0x39f,0x314,0x1f49},
    {0x3a1,0x314,0x1fec},{0x3a5,0x300,0x1fea},{0x3a5,0x301,0x38e},{0x3a5,0x304,0x1fe9},
    {0x3a5,0x306,0x1fe8},{0x3a5,0x308,0x3ab},{0x3a5,0x314,0x1f59},{0x3a9,0x300,0x1ffa},
    {0x3a9,0x301,0x38f},{0x3a9,0x313,0x1f68},{0x3a9,0x314,0x1f69},{0x3a9,0x345,0x1ffc},
    {0x3ac,0x345,0x1fb4},{0x3ae,0x345,0x1fc4},{0x3b1,0x300,0x1f70},{0x3b1,0x301,0x3ac},
    {0x3b1,0x304,0x1fb1},{0x3b1,0x306,0x1fb0},{0x3b1,0x313,0x1f00},{0x3b1,0x314,0x1f01},
    {0x3b1,0x342,0x1fb6},{0x3b1,0x345,0x1fb3},{0x3b5,0x300,0x1f72},{0x3b5,0x301,0x3ad},
    {0x3b5,0x313,0x1f10},{0x3b5,0x314,0x1f11},{0x3b7,0x300,0x1f74},{0x3b7,0x301,0x3ae},
    {0x3b7,0x313,0x1f20},{0x3b7,0x314,0x1f21},{0x3b7,0x342,0x1fc6},{0x3b7,0x345,0x1fc3},
    {0x3b9,0x300,0x1f76},{0x3b9,0x301,0x3af},{0x3b9,0x304,0x1fd1},{0x3b9,0x306,0x1fd0},
    {0x3b9,0x308,0x3ca},{0x3b9,0x313,0x1f30},{0x3b9,0x314,0x1f31},{0x3b9,0x342,0x1fd6},
    {0x3bf,0x300,0x1f78},{0x3bf,0x301,0x3cc},{0x3bf,0x313,0x1f40},{0x3bf,0x314,0x1f41},
    {0x3c1,0x313,0x1fe4},{0x3c1,0x314,0x1fe5},{0x3c5,0x300,0x1f7a},{0x3c5,0x301,0x3cd},
    {0x3c5,0x304,0x1fe1},{0x3c5,0x306,0x1fe0},{0x3c5,0x308,0x3cb},{0x3c5,0x313,0x1f50},
    {0x3c5,0x314,0x1f51},{0x3c5,0x342,0x1fe6},{0x3c9,0x300,0x1f7c},{0x3c9,0x301,0x3ce},
    {0x3c9,0x313,0x1f60},{0x3c9,0x314,0x1f61},{0x3c9,0x342,0x1ff6},{0x3c9,0x345,0x1ff3},
    {0x3ca,0x300,0x1fd2},{0x3ca,0x301,0x390},{0x3ca,0x342,0x1fd7},{0x3cb,0x300,0x1fe2},
    {0x3cb,0x301,0x3b0},{0x3cb,0x342,0x1fe7},{0x3ce,0x345,0x1ff4},{0x3d2,0x301,0x3d3},
    {0x3d2,0x308,0x3d4},{0x406,0x308,0x407},{0x410,0x306,0x4d0},{0x410,0x308,0x4d2},
    {0x413,0x301,0x403},{0x415,0x300,0x400},{0x415,0x306,0x4d6},{0x415,0x308,0x401},
    {0x416,0x306,0x4c1},{0x416,0x308,0x4dc},{0x417,0x308,0x4de},{0x418,0x300,0x40d},
    {0x418,0x304,0x4e2},{0x418,0x306,0x419},{0x418,0x308,0x4e4},{0x41a,0x301,0x40c},
    {0x41e,0x308,0x4e6},{0x423,0x304,0x4ee},{0x423,0x306,0x40e},{0x423,0x308,0x4f0},
    {0x423,0x30b,0x4f2},{0x427,0x308,0x4f4},{0x42b,0x308,0x4f8},{0x42d,0x308,0x4ec},
    {0x430,0x306,0x4d1},{0x430,0x308,0x4d3},{0x433,0x301,0x453},{0x435,0x300,0x450},
    {0x435,0x306,0x4d7},{0x435,0x308,0x451},{0x436,0x306,0x4c2},{0x436,0x308,0x4dd},
    {0x437,0x308,0x4df},{0x438,0x300,0x45d},{0x438,0x304,0x4e3},{0x438,0x306,0x439},
    {0x438,0x308,0x4e5},{0x43a,0x301,0x45c},{0x43e,0x308,0x4e7},{0x443,0x304,0x4ef},
    {0x443,0x306,0x45e},{0x443,0x308,0x4f1},{0x443,0x30b,0x4f3},{0x447,0x308,0x4f5},
    {0x44b,0x308,0x4f9},{0x44d,0x308,0x4ed},{0x456,0x308,0x457},{0x474,0x30f,0x476},
    {0x475,0x30f,0x477},{0x4d8,0x308,0x4da},{0x4d9,0x308,0x4db},{0x4e8,0x308,0x4ea},
    {0x4e9,0x308,0x4eb},{0x627,0x653,0x622},{0x627,0x654,0x623},{0x627,0x655,0x625},
    {0x648,0x654,0x624},{0x64a,0x654,0x626},{0x6c1,0x654,0x6c2},{0x6d2,0x654,0x6d3},
    {0x6d5,0x654,0x6c0},{0x928,0x93c,0x929},{0x930,0x93c,0x931},{0x933,0x93c,0x934},
    {0x9c7,0x9be,0x9cb},{0x9c7,0x9d7,0x9cc},{0xb47,0xb3e,0xb4b},{0xb47,0xb56,0xb48},
    {0xb47,0xb57,0xb4c},{0xb92,0xbd7,0xb94},{0xbc6,0xbbe,0xbca},{0xbc6,0xbd7,0xbcc},
    {0xbc7,0xbbe,0xbcb},{0xc46,0xc56,0xc48},{0xcbf,0xcd5,0xcc0},{0xcc6,0xcc2,0xcca},
    {0xcc6,0xcd5,0xcc7},{0xcc6,0xcd6,0xcc8},{0xcca,0xcd5,0xccb},{0xd46,0xd3e,0xd4a},
    {0xd46,0xd57,0xd4c},{0xd47,0xd3e,0xd4b},{0xdd9,0xdca,0xdda},{0xdd9,0xdcf,0xddc},
    {0xdd9,0xddf,0xdde},{0xddc,0xdca,0xddd},{0x1025,0x102e,0x1026},{0x1b05,0x1b35,0x1b06},
    {0x1b07,0x1b35,0x1b08},{0x1b09,0x1b35,0x1b0a},{0x1b0b,0x1b35,0x1b0c},{0x1b0d,0x1b35,0x1b0e},
    {0x1b11,0x1b35,0x1b12},{0x1b3a,0x1b35,0x1b3b},{0x1b3c,0x1b35,0x1b3d},{0x1b3e,0x1b35,0x1b40},
    {0x1b3f,0x1b35,0x1b41},{0x1b42,0x1b35,0x1b43},{0x1e36,0x304,0x1e38},{0x1e37,0x304,0x1e39},
    {0x1e5a,0x304,0x1e5c},{0x1e5b,0x304,0x1e5d},{0x1e62,0x307,0x1e68},{0x1e63,0x307,0x1e69},
    {0x1ea0,0x302,0x1eac},{0x1ea0,0x306,0x1eb6},{0x1ea1,0x302,0x1ead},{0x1ea1,0x306,0x1eb7},
    {0x1eb8,0x302,0x1ec6},{0x1eb9,0x302,0x1ec7},{0x1ecc,0x302,0x1ed8},{0x1ecd,0x302,0x1ed9},
    {0x1f00,0x300,0x1f02},{0x1f00,0x301,0x1f04},{0x1f00,0x342,0x1f06},{0x1f00,0x345,0x1f80},
    {0x1f01,0x300,0x1f03},{0x1f01,0x301,0x1f05},{0x1f01,0x342,0x1f07},{0x1f01,0x345,0x1f81},
    {0x1f02,0x345,0x1f82},{0x1f03,0x345,0x1f83},{0x1f04,0x345,0x1f84},{0x1f05,0x345,0x1f85},
    {0x1f06,0x345,0x1f86},{0x1f07,0x345,0x1f87},{0x1f08,0x300,0x1f0a},{0x1f08,0x301,0x1f0c},
    {0x1f08,0x342,0x1f0e},{0x1f08,0x345,0x1f88},{0x1f09,0x300,0x1f0b},{0x1f09,0x301,0x1f0d},
    {0x1f09,0x342,0x1f0f},{0x1f09,0x345,0x1f89},{0x1f0a,0x345,0x1f8a},{0x1f0b,0x345,0x1f8b},
    {0x1f0c,0x345,0x1f8c},{0x1f0d,0x345,0x1f8d},{0x1f0e,0x345,0x1f8e},{0x1f0f,0x345,0x1f8f},
    {0x1f10,0x300,0x1f12},{0x1f10,0x301,0x1f14},{0x1f11,0x300,0x1f13},{0x1f11,0x301,0x1f15},
    {0x1f18,0x300,0x1f1a},{0x1f18,0x301,0x1f1c},{0x1f19,0x300,0x1f1b},{0x1f19,0x301,0x1f1d},
    {0x1f20,0x300,0x1f22},{0x1f20,0x301,0x1f24},{0x1f20,0x342,0x1f26},{0x1f20,0x345,0x1f90},
    {0x1f21,0x300,0x1f23},{0x1f21,0x301,0x1f25},{0x1f21,0x342,0x1f27},{0x1f21,0x345,0x1f91},
    {0x1f22,0x345,0x1f92},{0x1f23,0x345,0x1f93},{0x1f24,0x345,0x1f94},{0x1f25,0x345,0x1f95},
    {0x1f26,0x345,0x1f96},{0x1f27,0x345,0x1f97},{0x1f28,0x300,0x1f2a},{0x1f28,0x301,0x1f2c},
    {0x1f28,0x342,0x1f2e},{0x1f28,0x345,0x1f98},{0x1f29,0x300,0x1f2b},{0x1f29,0x301,0x1f2d},
    {0x1f29,0x342,0x1f2f},{0x1f29,0x345,0x1f99},{0x1f2a,0x345,0x1f9a},{0x1f2b,0x345,0x1f9b},
    {0x1f2c,0x345,0x1f9c},{0x1f2d,0x345,0x1f9d},{0x1f2e,0x345,0x1f9e},{0x1f2f,0x345,0x1f9f},
    {0x1f30,0x300,0x1f32},{0x1f30,0x301,0x1f34},{0x1f30,0x342,0x1f36},{0x1f31,0x300,0x1f33},
    {0x1f31,0x301,0x1f35},{0x1f31,0x342,0x1f37},{0x1f38,0x300,0x1f3a},{0x1f38,0x301,0x1f3c},
    {0x1f38,0x342,0x1f3e},{0x1f39,0x300,0x1f3b},{0x1f39,0x301,0x1f3d},{0x1f39,0x342,0x1f3f},
    {0x1f40,0x300,0x1f42},{0x1f40,0x301,0x1f44},{0x1f41,0x300,0x1f43},{0x1f41,0x301,0x1f45},
    {0x1f48,0x300,0x1f4a},{0x1f48,0x301,0x1f4c},{0x1f49,0x300,0x1f4b},{0x1f49,0x301,0x1f4d},
    {0x1f50,0x300,0x1f52},{0x1f50,0x301,0x1f54},{0x1f50,0x342,0x1f56},{0x1f51,0x300,0x1f53},
    {0x1f51,0x301,0x1f55},{0x1f51,0x342,0x1f57},{0x1f59,0x300,0x1f5b},{0x1f59,0x301,0x1f5d},
    {0x1f59,0x342,0x1f5f},{0x1f60,0x300,0x1f62},{0x1f60,0x301,0x1f64},{0x1f60,0x342,0x1f66},
    {0x1f60,0x345,0x1fa0},{0x1f61,0x300,0x1f63},{0x1f61,0x301,0x1f65},{0x1f61,0x342,0x1f67},
    {0x1f61,0x345,0x1fa1},{0x1f62,0x345,0x1fa2},{0x1f63,0x345,0x1fa3},{0x1f64,0x345,0x1fa4},
    {0x1f65,0x345,0x1fa5},{0x1f66,0x345,0x1fa6},{0x1f67,0x345,0x1fa7},{0x1f68,0x300,0x1f6a},
    {0x1f68,0x301,0x1f6c},{0x1f68,0x342,0x1f6e},{0x1f68,0x345,0x1fa8},{0x1f69,0x300,0x1f6b},
    {0x1f69,0x301,0x1f6d},{0x1f69,0x342,0x1f6f},{0x1f69,0x345,0x1fa9},{0x1f6a,0x345,0x1faa},
    {0x1f6b,0x345,0x1fab},{0x1f6c,0x345,0x1fac},{0x1f6d,0x345,0x1fad},{0x1f6e,0x345,0x1fae},
    {0x1f6f,0x345,0x1faf},{0x1f70,0x345,0x1fb2},{0x1f74,0x345,0x1fc2},{0x1f7c,0x345,0x1ff2},
    {0x1fb6,0x345,0x1fb7},{0x1fbf,0x300,0x1fcd},{0x1fbf,0x301,0x1fce},{0x1fbf,0x342,0x1fcf},
    {0x1fc6,0x345,0x1fc7},{0x1ff6,0x345,0x1ff7},{0x1ffe,0x300,0x1fdd},{0x1ffe,0x301,0x1fde},
    {0x1ffe,0x342,0x1fdf},{0x2190,0x338,0x219a},{0x2192,0x338,0x219b},{0x2194,0x338,0x21ae},
    {0x21d0,0x338,0x21cd},{0x21d2,0x338,0x21cf},{0x21d4,0x338,0x21ce},{0x2203,0x338,0x2204},
    {0x2208,0x338,0x2209},{0x220b,0x338,0x220c},{0x2223,0x338,0x2224},{0x2225,0x338,0x2226},
    {0x223c,0x338,0x2241},{0x2243,0x338,0x2244},{0x2245,0x338,0x2247},{0x2248,0x338,0x2249},
    {0x224d,0x338,0x226d},{0x2261,0x338,0x2262},{0x2264,0x338,0x2270},{0x2265,0x338,0x2271},
    {0x2272,0x338,0x2274},{0x2273,0x338,0x2275},{0x2276,0x338,0x2278},{0x2277,0x338,0x2279},
    {0x227a,0x338,0x2280},{0x227b,0x338,0x2281},{0x227c,0x338,0x22e0},{0x227d,0x338,0x22e1},
    {0x2282,0x338,0x2284},{0x2283,0x338,0x2285},{0x2286,0x338,0x2288},{0x2287,0x338,0x2289},
    {0x2291,0x338,0x22e2},{0x2292,0x338,0x22e3},{0x22a2,0x338,0x22ac},{0x22a8,0x338,0x22ad},
    {0x22a9,0x338,0x22ae},{0x22ab,0x338,0x22af},{0x22b2,0x338,0x22ea},{0x22b3,0x338,0x22eb},
    {0x22b4,0x338,0x22ec},{0x22b5,0x338,0x22ed},{0x3046,0x3099,0x3094},{0x304b,0x3099,0x304c},
    {0x304d,0x3099,0x304e},{0x304f,0x3099,0x3050},{0x3051,0x3099,0x3052},{0x3053,0x3099,0x3054},
    {0x3055,0x3099,0x3056},{0x3057,0x3099,0x3058},{0x3059,0x3099,0x305a},{0x305b,0x3099,0x305c},
    {0x305d,0x3099,0x305e},{0x305f,0x3099,0x3060},{0x3061,0x3099,0x3062},{0x3064,0x3099,0x3065},
    {0x3066,0x3099,0x3067},{0x3068,0x3099,0x3069},{0x306f,0x3099,0x3070},{0x306f,0x309a,0x3071},
    {0x3072,0x3099,0x3073},{0x3072,0x309a,0x3074},{0x3075,0x3099,0x3076},{0x3075,0x309a,0x3077},
    {0x3078,0x3099,0x3079},{0x3078,0x309a,0x307a},{0x307b,0x3099,0x307c},{0x307b,0x309a,0x307d},
    {0x309d,0x3099,0x309e},{0x30a6,0x3099,0x30f4},{0x30ab,0x3099,0x30ac},{0x30ad,0x3099,0x30ae},
    {0x30af,0x3099,0x30b0},{0x30b1,0x3099,0x30b2},{0x30b3,0x3099,0x30b4},{0x30b5,0x3099,0x30b6},
    {0x30b7,0x3099,0x30b8},{0x30b9,0x3099,0x30ba},{0x30bb,0x3099,0x30bc},{0x30bd,0x3099,0x30be},
    {0x30bf,0x3099,0x30c0},{0x30c1,0x3099,0x30c2},{0x30c4,0x3099,0x30c5},{0x30c6,0x3099,0x30c7},
    {0x30c8,0x3099,0x30c9},{0x30cf,0x3099,0x30d0},{0x30cf,0x309a,0x30d1},{0x30d2,0x3099,0x30d3},
    {0x30d2,0x309a,0x30d4},{0x30d5,0x3099,0x30d6},{0x30d5,0x309a,0x30d7},{0x30d8,0x3099,0x30d9},
    {0x30d8,0x309a,0x30da},{0x30db,0x3099,0x30dc},{0x30db,0x309a,0x30dd},{0x30ef,0x3099,0x30f7},
    {0x30f0,0x3099,0x30f8},{0x30f1,0x3099,0x30f9},{0x30f2,0x3099,0x30fa},{0x30fd,0x3099,0x30fe},
    {0x11099,0x110ba,0x1109a},{0x1109b,0x110ba,0x1109c},{0x110a5,0x110ba,0x110ab},
    {0x11131,0x11127,0x1112e},{0x11132,0x11127,0x1112f},{0x11347,0x1133e,0x1134b},
    {0x11347,0x11357,0x1134c},{0x114b9,0x114b0,0x114bc},{0x114b9,0x114ba,0x114bb},
    {0x114b9,0x114bd,0x114be},{0x115b8,0x115af,0x115ba},{0x115b9,0x115af,0x115bb},
    {0x11935,0x11930,0x11938},
};
/* END GENERATED UNICODE TABLES */

enum { R1__UC_OTHER = 0, R1__UC_L = 1, R1__UC_N = 2, R1__UC_P = 3, R1__UC_S = 4, R1__UC_M = 5, R1__UC_SPACE = 6 };

static int r1__uc_class_of(uint32_t cp) {
    size_t lo = 0, hi = sizeof r1__uc_class / sizeof r1__uc_class[0];
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if ((r1__uc_class[mid] >> 3) <= cp) lo = mid;
        else hi = mid;
    }
    return (int)(r1__uc_class[lo] & 7);
}

static int r1__uc_ccc_of(uint32_t cp) {
    size_t lo = 0, hi = sizeof r1__uc_ccc / sizeof r1__uc_ccc[0];
    if (cp < 0x300) return 0;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if ((r1__uc_ccc[mid] >> 8) <= cp) lo = mid;
        else hi = mid;
    }
    return (int)(r1__uc_ccc[lo] & 0xff);
}

/* Reads one code point; returns its byte length, or 0 for invalid UTF-8 (overlongs,
   surrogates and values past U+10FFFF included). */
static int r1__utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
    uint32_t c;
    int len, i;
    if (n == 0) return 0;
    c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xc2 && c <= 0xdf) { len = 2; c &= 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { len = 3; c &= 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { len = 4; c &= 0x07; }
    else return 0;
    if (n < (size_t)len) return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        if (i == 1 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) || (s[0] == 0xf0 && s[1] < 0x90) ||
                       (s[0] == 0xf4 && s[1] > 0x8f)))
            return 0;
        c = c << 6 | (s[i] & 0x3f);
    }
    *cp = c;
    return len;
}

static size_t r1__utf8_encode(uint32_t cp, char *out) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xc0 | cp >> 6); out[1] = (char)(0x80 | (cp & 0x3f)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12); out[1] = (char)(0x80 | ((cp >> 6) & 0x3f)); out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18); out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Length of the invalid or incomplete sequence at s that one U+FFFD replaces (the maximal
   prefix of a valid sequence, as Rust's from_utf8_lossy and the Unicode standard do). */
static size_t r1__utf8_bad_len(const unsigned char *s, size_t n) {
    size_t len, i;
    unsigned char lo = 0x80, hi = 0xbf;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) len = 2;
    else if (s[0] >= 0xe0 && s[0] <= 0xef) len = 3;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4) len = 4;
    else return 1;
    if (s[0] == 0xe0) lo = 0xa0;
    if (s[0] == 0xed) hi = 0x9f;
    if (s[0] == 0xf0) lo = 0x90;
    if (s[0] == 0xf4) hi = 0x8f;
    for (i = 1; i < len && i < n; i++) {
        if (s[i] < lo || s[i] > hi) break;
        lo = 0x80;
        hi = 0xbf;
    }
    return i;
}

/* ---- NFC: canonical decomposition, canonical order, canonical composition ---- */

#define R1__HANGUL_S 0xac00
#define R1__HANGUL_L 0x1100
#define R1__HANGUL_V 0x1161
#define R1__HANGUL_T 0x11a7
#define R1__HANGUL_N 588 /* V count * T count */
#define R1__HANGUL_COUNT 11172

static const uint32_t *r1__uc_find3(const uint32_t (*table)[3], size_t n, uint32_t a, uint32_t b, int two_keys) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int less = table[mid][0] < a || (two_keys && table[mid][0] == a && table[mid][1] < b);
        if (less) lo = mid + 1;
        else hi = mid;
    }
    if (lo < n && table[lo][0] == a && (!two_keys || table[lo][1] == b)) return table[lo];
    return NULL;
}

/* Appends the full canonical decomposition of cp; returns the new length. */
static size_t r1__nfd_push(uint32_t cp, uint32_t *out, size_t n) {
    const uint32_t *d;
    if (cp >= R1__HANGUL_S && cp < R1__HANGUL_S + R1__HANGUL_COUNT) {
        uint32_t s = cp - R1__HANGUL_S, t = s % 28;
        out[n++] = R1__HANGUL_L + s / R1__HANGUL_N;
        out[n++] = R1__HANGUL_V + (s % R1__HANGUL_N) / 28;
        if (t) out[n++] = R1__HANGUL_T + t;
        return n;
    }
    d = cp >= 0xc0 ? r1__uc_find3(r1__uc_decomp, sizeof r1__uc_decomp / sizeof r1__uc_decomp[0], cp, 0, 0) : NULL;
    if (!d) { out[n++] = cp; return n; }
    n = r1__nfd_push(d[1], out, n);
    if (d[2]) n = r1__nfd_push(d[2], out, n);
    return n;
}

static uint32_t r1__nfc_compose_pair(uint32_t a, uint32_t b) {
    const uint32_t *c;
    if (a >= R1__HANGUL_L && a < R1__HANGUL_L + 19 && b >= R1__HANGUL_V && b < R1__HANGUL_V + 21)
        return R1__HANGUL_S + ((a - R1__HANGUL_L) * 21 + (b - R1__HANGUL_V)) * 28;
    if (a >= R1__HANGUL_S && a < R1__HANGUL_S + R1__HANGUL_COUNT && (a - R1__HANGUL_S) % 28 == 0 && b > R1__HANGUL_T &&
        b < R1__HANGUL_T + 28)
        return a + (b - R1__HANGUL_T);
    c = r1__uc_find3(r1__uc_comp, sizeof r1__uc_comp / sizeof r1__uc_comp[0], a, b, 1);
    return c ? c[2] : 0;
}

/* NFC of cps[0..n) into out (room for 4*n: a code point decomposes into at most 4);
   returns the new length. */
static size_t r1__nfc(const uint32_t *cps, size_t n, uint32_t *out) {
    size_t i, m = 0, starter = 0, w;
    int last_class = -1;
    for (i = 0; i < n; i++) m = r1__nfd_push(cps[i], out, m);
    for (i = 1; i < m; i++) { /* canonical order: stable sort of each run of non-starters by class */
        size_t j = i;
        int cc = r1__uc_ccc_of(out[i]);
        if (cc == 0) continue;
        while (j > 0 && r1__uc_ccc_of(out[j - 1]) > cc) { uint32_t t = out[j]; out[j] = out[j - 1]; out[j - 1] = t; j--; }
    }
    if (m == 0) return 0;
    last_class = r1__uc_ccc_of(out[0]) ? 256 : 0; /* a leading non-starter composes with nothing */
    for (i = 1, w = 1; i < m; i++) {
        uint32_t ch = out[i], comp;
        int cc = r1__uc_ccc_of(ch);
        comp = last_class != 256 ? r1__nfc_compose_pair(out[starter], ch) : 0;
        if (comp && (last_class < cc || last_class == 0)) {
            out[starter] = comp;
            continue;
        }
        if (cc == 0) { starter = w; last_class = 0; }
        else last_class = cc;
        out[w++] = ch;
    }
    return w;
}

/* ---- the vocabulary ---- */

enum { R1__TOK_NORMAL = 1, R1__TOK_UNKNOWN = 2, R1__TOK_CONTROL = 3, R1__TOK_USER = 4, R1__TOK_UNUSED = 5, R1__TOK_BYTE = 6 };
enum { R1__PRE_QWEN2, R1__PRE_LLAMA3, R1__PRE_DEEPSEEK3, R1__PRE_UNKNOWN };
enum { R1__CHAT_R1, R1__CHAT_CHATML };

/* Open-addressing hash table from byte strings or id pairs to ids. */
typedef struct r1__slot {
    uint64_t key;             /* string hash or (a << 32 | b) + 1; 0 = empty */
    int32_t val;              /* token id, or merge index */
    int32_t unused;
} r1__slot;

typedef struct r1__hash {
    r1__slot *slots;
    size_t cap;               /* power of two */
} r1__hash;

static uint64_t r1__hash_bytes(const char *s, size_t n) { return r1__fnv(R1__FNV_START, s, n) | 1; }

/* Slot of a key: a 64-bit mix, so every bit of the key reaches the low bits used as index. */
static size_t r1__hash_slot(uint64_t key, size_t cap) {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdull;
    key ^= key >> 33;
    return (size_t)key & (cap - 1);
}

static int r1__hash_init(r1__hash *h, size_t n) {
    h->cap = 16;
    while (h->cap < n + n / 2) h->cap *= 2; /* load factor <= 2/3 */
    h->slots = (r1__slot *)r1__calloc(h->cap, sizeof *h->slots);
    return h->slots != NULL;
}

static void r1__hash_free(r1__hash *h) { R1_FREE(h->slots); memset(h, 0, sizeof *h); }

/* Value of a key without comparing texts (-1 if absent): used at load for the merge list,
   whose strings come from the same file as the vocabulary (a 64-bit collision there could only
   mislabel a merge of that file, never read out of bounds). */
static int32_t r1__hash_find(const r1__hash *h, uint64_t key) {
    size_t i = r1__hash_slot(key, h->cap);
    while (h->slots[i].key) {
        if (h->slots[i].key == key) return h->slots[i].val;
        i = (i + 1) & (h->cap - 1);
    }
    return -1;
}

struct r1_tokenizer {
    r1__mapping mapping;      /* when loaded on its own from a file */
    r1__gguf gguf;            /* when loaded on its own (else the model's holds the strings) */
    int owns_gguf;
    int n_tokens;             /* tokenizer.ggml.tokens entries */
    const r1__str *text;      /* [n_tokens] token strings as stored (GPT-2 byte alphabet) */
    uint8_t *type;            /* [n_tokens] R1__TOK_* */
    char *bytes;              /* every token's decoded bytes, back to back */
    uint32_t *bytes_off;      /* [n_tokens + 1] offsets into bytes */
    r1__hash by_text;         /* token string -> id */
    r1__hash merges;          /* (left id << 32 | right id) -> merge index */
    int32_t *merge_result;    /* [n_merges] merged token id; the index is the rank */
    uint64_t *merge_pair;     /* [n_merges] the pair's R1__PAIR_KEY; 0 where a merge repeats an earlier one */
    int32_t byte_token[256];  /* id of each single byte's token */
    char byte_char[256][2];   /* each byte's character in the GPT-2 alphabet, UTF-8 (<= 2 bytes) */
    uint8_t byte_char_len[256];
    int32_t *added;           /* ids of control and user-defined tokens, by first byte, longest first */
    int n_added;
    int added_start[257];     /* added[added_start[b] .. added_start[b+1]) start with byte b */
    int pre;                  /* R1__PRE_* */
    int nfc;                  /* normalize to NFC first (the Qwen2 family's tokenizer.json does) */
    int ignore_merges;        /* a piece that is itself a token skips merging (Llama 3) */
    int32_t bos, eos;         /* -1 when absent */
    int add_bos;
    int32_t think_open, think_close; /* "<think>" and "</think>", -1 when absent */
    int chat;                 /* R1__CHAT_* */
    char pre_name[32];
};

/* The GPT-2 byte alphabet: printable bytes stand for themselves, the rest map to U+0100.. */
static void r1__byte_alphabet(uint32_t *byte_to_cp) {
    int b, n = 0;
    for (b = 0; b < 256; b++) {
        int printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
        byte_to_cp[b] = printable ? (uint32_t)b : (uint32_t)(256 + n++);
    }
}

static int32_t r1__hash_get_text(const r1_tokenizer *t, const char *s, size_t n) {
    uint64_t key = r1__hash_bytes(s, n);
    size_t i = r1__hash_slot(key, t->by_text.cap);
    while (t->by_text.slots[i].key) {
        if (t->by_text.slots[i].key == key) {
            int32_t id = t->by_text.slots[i].val;
            if (t->text[id].len == n && memcmp(t->text[id].ptr, s, n) == 0) return id;
        }
        i = (i + 1) & (t->by_text.cap - 1);
    }
    return -1;
}

/* the merges table's key of the pair (a, b): never 0, the empty slot */
#define R1__PAIR_KEY(a, b) (((uint64_t)(uint32_t)(a) << 32 | (uint32_t)(b)) + 1)

static int32_t r1__merge_rank(const r1_tokenizer *t, int32_t a, int32_t b) {
    uint64_t key = R1__PAIR_KEY(a, b);
    size_t i;
    if (!t->merges.cap) return -1;
    i = r1__hash_slot(key, t->merges.cap);
    while (t->merges.slots[i].key) {
        if (t->merges.slots[i].key == key) return t->merges.slots[i].val;
        i = (i + 1) & (t->merges.cap - 1);
    }
    return -1;
}

R1_API void r1_tokenizer_free(r1_tokenizer *t) {
    if (!t) return;
    r1__hash_free(&t->by_text);
    r1__hash_free(&t->merges);
    R1_FREE(t->type); R1_FREE(t->bytes); R1_FREE(t->bytes_off); R1_FREE(t->merge_result); R1_FREE(t->merge_pair); R1_FREE(t->added);
    if (t->owns_gguf) { r1__gguf_free(&t->gguf); r1__unmap_file(&t->mapping); }
    R1_FREE(t);
}

static int32_t r1__tok_special_id(const r1__gguf *g, const char *key, int n, r1_error *err, int *bad) {
    int64_t v;
    const r1__kv *kv = r1__gguf_find(g, key);
    if (!kv) return -1;
    if (!r1__kv_int(kv, &v) || v < 0 || v >= n) {
        r1__fail(err, R1_ERR_FORMAT, "tokenizer: '%s' is not a token id below %d", key, n);
        *bad = 1;
    }
    return (int32_t)v;
}

static int r1__cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Builds the tokenizer from a parsed GGUF. Returns NULL with err set when the metadata is
   malformed; with err->code R1_OK when the file simply has no BPE tokenizer. */
static r1_tokenizer *r1__tokenizer_build(const r1__gguf *g, r1_error *err) {
    const r1__kv *model = r1__gguf_find(g, "tokenizer.ggml.model"), *toks = r1__gguf_find(g, "tokenizer.ggml.tokens");
    const r1__kv *types = r1__gguf_find(g, "tokenizer.ggml.token_type"), *merges = r1__gguf_find(g, "tokenizer.ggml.merges");
    const r1__kv *pre = r1__gguf_find(g, "tokenizer.ggml.pre"), *tpl = r1__gguf_find(g, "tokenizer.chat_template");
    const r1__kv *add_bos = r1__gguf_find(g, "tokenizer.ggml.add_bos_token");
    r1_tokenizer *t;
    uint32_t byte_to_cp[256], cp_to_byte[324];
    size_t total = 0, i;
    int n, bad = 0, b;

    r1__ok(err);
    if (!model || !toks) return NULL;
    if (model->type != R1__GGUF_STRING || !r1__str_eq(model->str, "gpt2")) return NULL; /* not byte-level BPE */
    if (toks->type != R1__GGUF_ARRAY || toks->arr_type != R1__GGUF_STRING || toks->arr_n == 0 || toks->arr_n > (1u << 24)) {
        r1__fail(err, R1_ERR_FORMAT, "tokenizer: tokenizer.ggml.tokens must be a non-empty string array");
        return NULL;
    }
    n = (int)toks->arr_n;
    if (types && (types->type != R1__GGUF_ARRAY || types->arr_n != (uint64_t)n ||
                  (types->arr_type != R1__GGUF_I32 && types->arr_type != R1__GGUF_U32))) {
        r1__fail(err, R1_ERR_FORMAT, "tokenizer: tokenizer.ggml.token_type must be an i32 array of %d entries", n);
        return NULL;
    }
    if (merges && (merges->type != R1__GGUF_ARRAY || merges->arr_type != R1__GGUF_STRING || merges->arr_n > (1u << 24))) {
        r1__fail(err, R1_ERR_FORMAT, "tokenizer: tokenizer.ggml.merges must be a string array");
        return NULL;
    }
    t = (r1_tokenizer *)r1__calloc(1, sizeof *t);
    if (!t) { r1__fail(err, R1_ERR_MEMORY, "tokenizer: out of memory"); return NULL; }
    t->n_tokens = n;
    t->text = toks->strs;
    t->type = (uint8_t *)r1__calloc((size_t)n, 1);
    t->bytes_off = (uint32_t *)r1__calloc((size_t)n + 1, sizeof *t->bytes_off);
    if (!t->type || !t->bytes_off || !r1__hash_init(&t->by_text, (size_t)n)) goto oom;
    for (i = 0; i < (size_t)n; i++) {
        int32_t ty = R1__TOK_NORMAL;
        if (types) memcpy(&ty, types->data + 4 * i, 4);
        t->type[i] = (uint8_t)(ty >= 1 && ty <= 6 ? ty : R1__TOK_NORMAL);
        total += (size_t)t->text[i].len;
        if (total > ((size_t)1 << 31)) { r1__fail(err, R1_ERR_FORMAT, "tokenizer: the vocabulary text is too large"); goto fail; }
    }
    /* token string -> id (the first of duplicates wins) */
    for (i = 0; i < (size_t)n; i++) {
        uint64_t key = r1__hash_bytes(t->text[i].ptr, (size_t)t->text[i].len);
        size_t s = r1__hash_slot(key, t->by_text.cap);
        if (r1__hash_get_text(t, t->text[i].ptr, (size_t)t->text[i].len) >= 0) continue;
        while (t->by_text.slots[s].key) s = (s + 1) & (t->by_text.cap - 1);
        t->by_text.slots[s].key = key;
        t->by_text.slots[s].val = (int32_t)i;
    }
    /* decoded bytes of every token, as HF's ByteLevel decoder gives them: mapped back through
       the byte alphabet when every character belongs to it, else the raw text */
    r1__byte_alphabet(byte_to_cp);
    for (i = 0; i < 324; i++) cp_to_byte[i] = 0xffffffffu;
    for (b = 0; b < 256; b++) cp_to_byte[byte_to_cp[b]] = (uint32_t)b;
    t->bytes = (char *)R1_MALLOC(total + 1);
    if (!t->bytes) goto oom;
    total = 0;
    for (i = 0; i < (size_t)n; i++) {
        const unsigned char *s = (const unsigned char *)t->text[i].ptr;
        size_t len = (size_t)t->text[i].len, k = 0, w = total;
        int mapped = 1;
        while (k < len && mapped) {
            uint32_t cp;
            int l = r1__utf8_decode(s + k, len - k, &cp);
            if (!l || cp >= 324 || cp_to_byte[cp] == 0xffffffffu) mapped = 0;
            else { t->bytes[w++] = (char)cp_to_byte[cp]; k += (size_t)l; }
        }
        if (!mapped) { memcpy(t->bytes + total, s, len); w = total + len; }
        t->bytes_off[i] = (uint32_t)total;
        total = w;
    }
    t->bytes_off[n] = (uint32_t)total;
    for (b = 0; b < 256; b++) {
        char buf[4];
        size_t l = r1__utf8_encode(byte_to_cp[b], buf);
        t->byte_token[b] = r1__hash_get_text(t, buf, l);
        memcpy(t->byte_char[b], buf, l);
        t->byte_char_len[b] = (uint8_t)l;
    }
    /* merges: "left right" -> rank; both halves and their concatenation must be tokens.
       First pass, sequential over the list: hash both halves and the joined text. Second pass:
       resolve the three ids, prefetching the slots a few merges ahead (this is memory-latency
       bound: a 150k-merge list costs ~450k random probes). */
    if (merges && merges->arr_n > 0) {
        size_t nm = (size_t)merges->arr_n, ahead = 16;
        uint64_t *hashes = (uint64_t *)r1__calloc(nm * 3, sizeof(uint64_t));
        t->merge_result = (int32_t *)r1__calloc(nm, sizeof(int32_t));
        t->merge_pair = (uint64_t *)r1__calloc(nm, sizeof(uint64_t));
        if (!hashes || !t->merge_result || !t->merge_pair || !r1__hash_init(&t->merges, nm)) { R1_FREE(hashes); goto oom; }
        for (i = 0; i < nm; i++) {
            const char *s = merges->strs[i].ptr, *sp;
            size_t len = (size_t)merges->strs[i].len;
            uint64_t ha;
            sp = len ? (const char *)memchr(s + 1, ' ', len - 1) : NULL;
            if (!sp) { r1__fail(err, R1_ERR_FORMAT, "tokenizer: merge #%d has no space", (int)i); R1_FREE(hashes); goto fail; }
            ha = r1__fnv(R1__FNV_START, s, (size_t)(sp - s));
            hashes[3 * i] = ha | 1;
            hashes[3 * i + 1] = r1__hash_bytes(sp + 1, len - (size_t)(sp - s) - 1);
            hashes[3 * i + 2] = r1__fnv(ha, sp + 1, len - (size_t)(sp - s) - 1) | 1;
        }
        for (i = 0; i < nm; i++) {
            int32_t a, bb, r;
            if (i + ahead < nm) {
                R1__PREFETCH(&t->by_text.slots[r1__hash_slot(hashes[3 * (i + ahead)], t->by_text.cap)]);
                R1__PREFETCH(&t->by_text.slots[r1__hash_slot(hashes[3 * (i + ahead) + 1], t->by_text.cap)]);
                R1__PREFETCH(&t->by_text.slots[r1__hash_slot(hashes[3 * (i + ahead) + 2], t->by_text.cap)]);
            }
            a = r1__hash_find(&t->by_text, hashes[3 * i]);
            bb = r1__hash_find(&t->by_text, hashes[3 * i + 1]);
            r = r1__hash_find(&t->by_text, hashes[3 * i + 2]);
            if (a < 0 || bb < 0 || r < 0) {
                const char *s = merges->strs[i].ptr;
                size_t len = (size_t)merges->strs[i].len;
                r1__fail(err, R1_ERR_FORMAT, "tokenizer: merge #%d '%.*s' does not join two tokens into a token", (int)i,
                         (int)(len < 40 ? len : 40), s);
                R1_FREE(hashes);
                goto fail;
            }
            hashes[3 * i] = R1__PAIR_KEY(a, bb);
            hashes[3 * i + 1] = (uint64_t)r;
        }
        for (i = 0; i < nm; i++) { /* third pass: insert, prefetching the slots ahead */
            uint64_t key = hashes[3 * i];
            size_t slot;
            if (i + ahead < nm) R1__PREFETCH(&t->merges.slots[r1__hash_slot(hashes[3 * (i + ahead)], t->merges.cap)]);
            slot = r1__hash_slot(key, t->merges.cap);
            while (t->merges.slots[slot].key && t->merges.slots[slot].key != key) slot = (slot + 1) & (t->merges.cap - 1);
            if (t->merges.slots[slot].key) continue; /* a repeated merge keeps its first rank */
            t->merges.slots[slot].key = key;
            t->merges.slots[slot].val = (int32_t)i;
            t->merge_result[i] = (int32_t)hashes[3 * i + 1];
            t->merge_pair[i] = key;
        }
        R1_FREE(hashes);
    }
    /* added tokens, matched in text longest first */
    t->added = (int32_t *)r1__calloc((size_t)n, sizeof(int32_t));
    if (!t->added) goto oom;
    for (i = 0; i < (size_t)n; i++)
        if ((t->type[i] == R1__TOK_CONTROL || t->type[i] == R1__TOK_USER) && t->text[i].len > 0) t->added[t->n_added++] = (int32_t)i;
    {   /* bucket by first byte (counting sort), each bucket longest first */
        int32_t *sorted = (int32_t *)r1__calloc((size_t)t->n_added + 1, sizeof(int32_t));
        int count[257] = { 0 }, k;
        if (!sorted) goto oom;
        for (k = 0; k < t->n_added; k++) count[(unsigned char)t->text[t->added[k]].ptr[0] + 1]++;
        for (b = 0; b < 256; b++) count[b + 1] += count[b];
        memcpy(t->added_start, count, sizeof count);
        for (k = 0; k < t->n_added; k++) sorted[count[(unsigned char)t->text[t->added[k]].ptr[0]]++] = t->added[k];
        R1_FREE(t->added);
        t->added = sorted;
        {   /* each bucket longest first, ids ascending among equal lengths: sorted as one integer
               per token, (UINT32_MAX - length) << 32 | id (a file's 200k added tokens that share
               a first byte cost seconds as an insertion sort) */
            uint64_t *keys = (uint64_t *)r1__calloc((size_t)t->n_added + 1, sizeof(uint64_t));
            if (!keys) goto oom;
            for (b = 0; b < 256; b++) {
                int lo = t->added_start[b], hi = t->added_start[b + 1], x;
                if (hi - lo < 2) continue;
                for (x = lo; x < hi; x++)
                    keys[x] = (uint64_t)(UINT32_MAX - (uint32_t)t->text[t->added[x]].len) << 32 | (uint32_t)t->added[x];
                qsort(keys + lo, (size_t)(hi - lo), sizeof *keys, r1__cmp_u64);
                for (x = lo; x < hi; x++) t->added[x] = (int32_t)(keys[x] & 0xffffffffu);
            }
            R1_FREE(keys);
        }
    }
    t->bos = r1__tok_special_id(g, "tokenizer.ggml.bos_token_id", n, err, &bad);
    t->eos = r1__tok_special_id(g, "tokenizer.ggml.eos_token_id", n, err, &bad);
    if (bad) goto fail;
    t->add_bos = add_bos && add_bos->type == R1__GGUF_BOOL ? *add_bos->data : 0;
    t->think_open = r1__hash_get_text(t, "<think>", 7);
    t->think_close = r1__hash_get_text(t, "</think>", 8);
    t->pre = R1__PRE_UNKNOWN;
    snprintf(t->pre_name, sizeof t->pre_name, "%s", "default");
    if (pre && pre->type == R1__GGUF_STRING) {
        snprintf(t->pre_name, sizeof t->pre_name, "%.*s", (int)(pre->str.len < 31 ? pre->str.len : 31), pre->str.ptr);
        if (r1__str_eq(pre->str, "qwen2") || r1__str_eq(pre->str, "deepseek-r1-qwen")) { t->pre = R1__PRE_QWEN2; t->nfc = 1; }
        else if (r1__str_eq(pre->str, "llama-bpe") || r1__str_eq(pre->str, "llama3")) { t->pre = R1__PRE_LLAMA3; t->ignore_merges = 1; }
        else if (r1__str_eq(pre->str, "deepseek-v3")) t->pre = R1__PRE_DEEPSEEK3;
    }
    t->chat = R1__CHAT_R1;
    if (tpl && tpl->type == R1__GGUF_STRING) {
        static const char user_tag[] = "<\xef\xbd\x9cUser\xef\xbd\x9c>";
        int has_r1 = 0, has_chatml = 0;
        uint64_t k;
        for (k = 0; k + 12 <= tpl->str.len; k++) {
            if (k + sizeof user_tag - 1 <= tpl->str.len && memcmp(tpl->str.ptr + k, user_tag, sizeof user_tag - 1) == 0) has_r1 = 1;
            if (memcmp(tpl->str.ptr + k, "<|im_start|>", 12) == 0) has_chatml = 1;
        }
        if (!has_r1 && has_chatml) t->chat = R1__CHAT_CHATML;
    }
    return t;
oom:
    r1__fail(err, R1_ERR_MEMORY, "tokenizer: out of memory");
fail:
    r1_tokenizer_free(t);
    return NULL;
}

R1_API r1_tokenizer *r1_tokenizer_load(const char *path, r1_error *err) {
    r1__mapping m;
    r1__gguf g;
    r1_tokenizer *t;
    if (!path) { r1__fail(err, R1_ERR_ARGUMENT, "r1_tokenizer_load: path is NULL"); return NULL; }
    if (r1__map_file(&m, path, err) != R1_OK) return NULL;
    if (r1__gguf_parse(&g, m.addr, m.size, err) != R1_OK) { r1__unmap_file(&m); return NULL; }
    t = r1__tokenizer_build(&g, err);
    if (!t) {
        if (!err || err->code == R1_OK) r1__fail(err, R1_ERR_UNSUPPORTED, "'%s' has no byte-level BPE tokenizer", path);
        r1__gguf_free(&g);
        r1__unmap_file(&m);
        return NULL;
    }
    t->gguf = g;
    t->mapping = m;
    t->owns_gguf = 1;
    return t;
}

R1_API int r1_tokenizer_n_tokens(const r1_tokenizer *t) { return t ? t->n_tokens : 0; }
R1_API int32_t r1_token_bos(const r1_tokenizer *t) { return t ? t->bos : -1; }
R1_API int32_t r1_token_eos(const r1_tokenizer *t) { return t ? t->eos : -1; }
R1_API int r1_token_is_control(const r1_tokenizer *t, int32_t id) {
    return t && id >= 0 && id < t->n_tokens && t->type[id] == R1__TOK_CONTROL;
}
R1_API int32_t r1_token_lookup(const r1_tokenizer *t, const char *text) {
    return t && text ? r1__hash_get_text(t, text, strlen(text)) : -1;
}

/* ---- pre-tokenizer matchers: each returns the end of the match at i, or 0 for none ---- */

typedef struct r1__cps {
    const uint32_t *cp;       /* code points */
    const uint8_t *cls;       /* their R1__UC_* classes */
    size_t n;
} r1__cps;

#define R1__IS(k, c) (s->cls[k] == (c))
static int r1__is_crlf(uint32_t c) { return c == '\r' || c == '\n'; }

/* (?i:'s|'t|'re|'ve|'m|'ll|'d) */
static size_t r1__m_contraction(const r1__cps *s, size_t i) {
    uint32_t a, b;
    if (s->cp[i] != '\'' || i + 1 >= s->n) return 0;
    a = s->cp[i + 1] | 0x20;
    b = i + 2 < s->n ? (s->cp[i + 2] | 0x20) : 0;
    if (a == 's' || s->cp[i + 1] == 0x17f || a == 't' || a == 'm' || a == 'd') return i + 2;
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return i + 3;
    return 0;
}

/* \s*[\r\n]+ : ends after the last \r or \n of the whitespace run at i */
static size_t r1__m_newlines(const r1__cps *s, size_t i) {
    size_t j = i, end = 0;
    while (j < s->n && R1__IS(j, R1__UC_SPACE)) { if (r1__is_crlf(s->cp[j])) end = j + 1; j++; }
    return end;
}

/* \s+(?!\S) then \s+ : a whitespace run, leaving its last space to the next word */
static size_t r1__m_spaces(const r1__cps *s, size_t i) {
    size_t j = i;
    while (j < s->n && R1__IS(j, R1__UC_SPACE)) j++;
    if (j == i) return 0;
    if (j == s->n || j - i == 1) return j;
    return j - 1;
}

/* The Qwen2 / Llama 3 expression (digits: max_digits 1 or 3):
   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,max}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+ */
static size_t r1__match_gpt4(const r1__cps *s, size_t i, int max_digits) {
    size_t j;
    if ((j = r1__m_contraction(s, i)) != 0) return j;
    j = i;
    if (!r1__is_crlf(s->cp[j]) && !R1__IS(j, R1__UC_L) && !R1__IS(j, R1__UC_N) && j + 1 < s->n && R1__IS(j + 1, R1__UC_L)) j++;
    if (R1__IS(j, R1__UC_L)) {
        while (j < s->n && R1__IS(j, R1__UC_L)) j++;
        return j;
    }
    if (R1__IS(i, R1__UC_N)) {
        for (j = i; j < s->n && j - i < (size_t)max_digits && R1__IS(j, R1__UC_N); j++) {}
        return j;
    }
    j = i;
    if (s->cp[j] == ' ' && j + 1 < s->n && !R1__IS(j + 1, R1__UC_SPACE) && !R1__IS(j + 1, R1__UC_L) && !R1__IS(j + 1, R1__UC_N)) j++;
    if (!R1__IS(j, R1__UC_SPACE) && !R1__IS(j, R1__UC_L) && !R1__IS(j, R1__UC_N)) {
        while (j < s->n && !R1__IS(j, R1__UC_SPACE) && !R1__IS(j, R1__UC_L) && !R1__IS(j, R1__UC_N)) j++;
        while (j < s->n && r1__is_crlf(s->cp[j])) j++;
        return j;
    }
    if ((j = r1__m_newlines(s, i)) != 0) return j;
    return r1__m_spaces(s, i);
}

/* DeepSeek-V3, step 1: \p{N}{1,3} */
static size_t r1__match_ds_digits(const r1__cps *s, size_t i) {
    size_t j = i;
    while (j < s->n && j - i < 3 && R1__IS(j, R1__UC_N)) j++;
    return j > i ? j : 0;
}

/* DeepSeek-V3, step 2: [一-龥\u3040-ゟ゠-ヿ]+ */
static int r1__is_cjk(uint32_t c) { return (c >= 0x4e00 && c <= 0x9fa5) || (c >= 0x3040 && c <= 0x30ff); }
static size_t r1__match_ds_cjk(const r1__cps *s, size_t i) {
    size_t j = i;
    while (j < s->n && r1__is_cjk(s->cp[j])) j++;
    return j > i ? j : 0;
}

/* DeepSeek-V3, step 3:
   [!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+|
   ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+ */
static int r1__is_ascii_punct(uint32_t c) { return c < 128 && c > 32 && c != 127 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9'); }
static int r1__is_ascii_alpha(uint32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static size_t r1__match_ds_words(const r1__cps *s, size_t i) {
    size_t j = i;
#define R1__LM(k) (R1__IS(k, R1__UC_L) || R1__IS(k, R1__UC_M))
#define R1__PS(k) (R1__IS(k, R1__UC_P) || R1__IS(k, R1__UC_S))
    if (r1__is_ascii_punct(s->cp[i]) && i + 1 < s->n && r1__is_ascii_alpha(s->cp[i + 1])) {
        for (j = i + 1; j < s->n && r1__is_ascii_alpha(s->cp[j]); j++) {}
        return j;
    }
    j = i;
    if (!r1__is_crlf(s->cp[j]) && !R1__IS(j, R1__UC_L) && !R1__PS(j) && j + 1 < s->n && R1__LM(j + 1)) j++;
    if (R1__LM(j)) {
        while (j < s->n && R1__LM(j)) j++;
        return j;
    }
    j = i;
    if (s->cp[j] == ' ' && j + 1 < s->n && R1__PS(j + 1)) j++;
    if (R1__PS(j)) {
        while (j < s->n && R1__PS(j)) j++;
        while (j < s->n && r1__is_crlf(s->cp[j])) j++;
        return j;
    }
#undef R1__LM
#undef R1__PS
    if ((j = r1__m_newlines(s, i)) != 0) return j;
    return r1__m_spaces(s, i);
}

/* ---- BPE ---- */

typedef struct r1__tok_out {
    int32_t *ids;
    int n, cap;               /* ids written / room (counting continues past cap) */
} r1__tok_out;

static void r1__emit(r1__tok_out *o, int32_t id) {
    if (o->n < o->cap) o->ids[o->n] = id;
    o->n++;
}

/* BPE over n symbols in O(n log n): the symbols in a linked list, every adjacent pair that has a
   merge in a min-heap by (rank, position). Popping gives the lowest rank, leftmost on ties, as
   the scan below does (and Hugging Face's word merges); an entry whose pair has changed since
   it was pushed is skipped. Each merge pushes at most two pairs, so the heap holds < 3n.
   A candidate is one integer, rank << 32 | pos (lowest rank first, leftmost on ties: one
   compare); it is stale when the symbols at pos and after it are no longer that rank's pair
   (merge_pair). */
#ifndef R1__BPE_HEAP_MIN
#define R1__BPE_HEAP_MIN 65 /* shorter pieces scan (fewer allocations); the tests also run with 1 */
#endif
#define R1__BPE_RANK(c) ((int32_t)((c) >> 32))
#define R1__BPE_POS(c) ((int32_t)((c) & 0xffffffffu))

/* An 8-ary min-heap whose 8 children of a node fill one 64-byte line (r1__bpe_heap aligns it):
   a third of a binary heap's levels, one cache miss per level, which is what a piece of a
   million symbols pays for (its heap does not fit in cache). */
static void r1__heap_sift_down(uint64_t *h, size_t n, size_t i) {
    uint64_t x = h[i];
    for (;;) {
        size_t c = 8 * i + 1, best = c, k, end = c + 8 < n ? c + 8 : n;
        if (c >= n) break;
        for (k = c + 1; k < end; k++)
            if (h[k] < h[best]) best = k;
        if (h[best] >= x) break;
        h[i] = h[best];
        i = best;
    }
    h[i] = x;
}

static void r1__heap_push(uint64_t *h, size_t *n, uint64_t c) {
    size_t i = (*n)++;
    while (i > 0 && c < h[(i - 1) / 8]) { h[i] = h[(i - 1) / 8]; i = (i - 1) / 8; }
    h[i] = c;
}

static uint64_t r1__heap_pop(uint64_t *h, size_t *n) {
    uint64_t top = h[0];
    if (--*n > 0) {
        h[0] = h[*n];
        r1__heap_sift_down(h, *n, 0);
    }
    return top;
}

/* pushes the candidate (a, next of a) when both exist and merge */
static void r1__bpe_candidate(const r1_tokenizer *t, const int32_t *sym, const int32_t *next, int32_t a, uint64_t *h, size_t *nh) {
    int32_t b = next[a], rank;
    if (b < 0 || sym[a] < 0 || sym[b] < 0) return;
    if ((rank = r1__merge_rank(t, sym[a], sym[b])) >= 0) r1__heap_push(h, nh, (uint64_t)(uint32_t)rank << 32 | (uint32_t)a);
}

static int r1__bpe_heap(const r1_tokenizer *t, int32_t *sym, size_t n, r1__tok_out *o) {
    int32_t *prev = (int32_t *)R1_MALLOC(n * sizeof(int32_t)), *next = (int32_t *)R1_MALLOC(n * sizeof(int32_t));
    unsigned char *dead = (unsigned char *)R1_CALLOC(n, 1);
    /* each merge adds at most 2 candidates to the n - 1 first ones; 8 more entries to align */
    uint64_t *buf = (uint64_t *)R1_MALLOC((3 * n + 8) * sizeof(uint64_t)), *heap;
    size_t nh = 0, i;
    int32_t a;
    if (!prev || !next || !dead || !buf) { R1_FREE(prev); R1_FREE(next); R1_FREE(dead); R1_FREE(buf); return 0; }
    heap = buf + (7 - ((uintptr_t)buf / sizeof(uint64_t)) % 8); /* heap + 1 on a 64-byte line: children stay together */
    for (i = 0; i < n; i++) { prev[i] = (int32_t)i - 1; next[i] = i + 1 < n ? (int32_t)i + 1 : -1; }
    for (i = 0; i + 1 < n; i++) {
        int32_t rank = sym[i] >= 0 && sym[i + 1] >= 0 ? r1__merge_rank(t, sym[i], sym[i + 1]) : -1;
        if (rank >= 0) heap[nh++] = (uint64_t)(uint32_t)rank << 32 | (uint32_t)i;
    }
    for (i = nh / 8 + 1; i-- > 0;) r1__heap_sift_down(heap, nh, i); /* heapify: O(n) */
    while (nh > 0) {
        uint64_t c = r1__heap_pop(heap, &nh);
        int32_t pos = R1__BPE_POS(c), rank = R1__BPE_RANK(c), b = next[pos];
        if (dead[pos] || b < 0 || R1__PAIR_KEY(sym[pos], sym[b]) != t->merge_pair[rank]) continue; /* stale */
        sym[pos] = t->merge_result[rank];
        dead[b] = 1;
        next[pos] = next[b];
        if (next[b] >= 0) prev[next[b]] = pos;
        if (prev[pos] >= 0) r1__bpe_candidate(t, sym, next, prev[pos], heap, &nh);
        r1__bpe_candidate(t, sym, next, pos, heap, &nh);
    }
    for (a = 0; a >= 0; a = next[a])
        if (sym[a] >= 0) r1__emit(o, sym[a]);
    R1_FREE(prev);
    R1_FREE(next);
    R1_FREE(dead);
    R1_FREE(buf);
    return 1;
}

/* Merges one piece (raw bytes) by rank: the lowest-ranked adjacent pair first, leftmost on ties. */
static int r1__bpe(const r1_tokenizer *t, const unsigned char *s, size_t n, r1__tok_out *o) {
    enum { SMALL = 64 };
    int32_t sym_small[SMALL];
    int32_t *sym = n <= SMALL ? sym_small : (int32_t *)R1_MALLOC(n * sizeof(int32_t));
    int heap_path = n >= R1__BPE_HEAP_MIN;
    size_t m = n, i;
    if (!sym) return 0;
    if (t->ignore_merges && n <= 128) { /* the piece as one token, when it is one */
        char buf[256];
        size_t l = 0;
        int32_t whole;
        buf[0] = 0; /* an empty piece reads nothing; said for GCC's uninitialized-use analysis */
        for (i = 0; i < n; i++) { memcpy(buf + l, t->byte_char[s[i]], t->byte_char_len[s[i]]); l += t->byte_char_len[s[i]]; }
        whole = r1__hash_get_text(t, buf, l);
        if (whole >= 0) {
            r1__emit(o, whole);
            if (sym != sym_small) R1_FREE(sym);
            return 1;
        }
    }
    for (i = 0; i < n; i++) sym[i] = t->byte_token[s[i]];
    if (heap_path) { /* long pieces: the same merges in O(n log n) */
        int ok = r1__bpe_heap(t, sym, n, o);
        if (sym != sym_small) R1_FREE(sym);
        return ok;
    }
    while (m > 1) { /* short pieces: scan for the lowest-ranked pair, leftmost on ties */
        int32_t best_rank = INT32_MAX;
        size_t best = 0;
        for (i = 0; i + 1 < m; i++) {
            int32_t r = sym[i] >= 0 && sym[i + 1] >= 0 ? r1__merge_rank(t, sym[i], sym[i + 1]) : -1;
            if (r >= 0 && r < best_rank) { best_rank = r; best = i; }
        }
        if (best_rank == INT32_MAX) break;
        sym[best] = t->merge_result[best_rank];
        memmove(sym + best + 1, sym + best + 2, (m - best - 2) * sizeof(int32_t));
        m--;
    }
    for (i = 0; i < m; i++)
        if (sym[i] >= 0) r1__emit(o, sym[i]);
    if (sym != sym_small) R1_FREE(sym);
    return 1;
}

/* Splits cps[from, to) with one matcher; unmatched stretches become pieces too (Isolated). */
typedef size_t (*r1__matcher)(const r1__cps *s, size_t i);

static size_t r1__m_gpt4_1(const r1__cps *s, size_t i) { return r1__match_gpt4(s, i, 1); }
static size_t r1__m_gpt4_3(const r1__cps *s, size_t i) { return r1__match_gpt4(s, i, 3); }

/* Runs the pre-tokenizer steps from `step` on the range, then BPE on each final piece. */
static int r1__pretok(const r1_tokenizer *t, const r1__cps *s, size_t from, size_t to, int step, char *scratch,
                      r1__tok_out *o) {
    static const r1__matcher ds_steps[3] = { r1__match_ds_digits, r1__match_ds_cjk, r1__match_ds_words };
    r1__matcher match;
    int n_steps = t->pre == R1__PRE_DEEPSEEK3 ? 3 : 1;
    size_t i = from, gap = from;
    if (step == n_steps) { /* a final piece: UTF-8 bytes, then BPE */
        size_t l = 0, k;
        for (k = from; k < to; k++) l += r1__utf8_encode(s->cp[k], scratch + l);
        return r1__bpe(t, (const unsigned char *)scratch, l, o);
    }
    match = t->pre == R1__PRE_DEEPSEEK3 ? ds_steps[step] : t->pre == R1__PRE_LLAMA3 ? r1__m_gpt4_3 : r1__m_gpt4_1;
    while (i < to) {
        r1__cps view = *s;
        size_t end;
        view.n = to; /* a match never runs past the piece it splits */
        end = match(&view, i);
        if (end > i) {
            if (gap < i && !r1__pretok(t, s, gap, i, step + 1, scratch, o)) return 0;
            if (!r1__pretok(t, s, i, end, step + 1, scratch, o)) return 0;
            i = gap = end;
        } else {
            i++;
        }
    }
    if (gap < to && !r1__pretok(t, s, gap, to, step + 1, scratch, o)) return 0;
    return 1;
}

/* Ordinary text (no added tokens inside): normalize, classify, pre-tokenize, merge. */
static r1_status r1__encode_text(const r1_tokenizer *t, const char *text, size_t len, r1__tok_out *o, r1_error *err) {
    uint32_t *cp = NULL, *norm = NULL;
    uint8_t *cls = NULL;
    char *scratch = NULL;
    size_t n = 0, k = 0, i;
    r1__cps s;
    r1_status st = R1_OK;
    if (len == 0) return R1_OK;
    cp = (uint32_t *)R1_MALLOC(len * sizeof(uint32_t));
    if (!cp) return r1__fail(err, R1_ERR_MEMORY, "tokenize: out of memory");
    while (k < len) {
        int l = r1__utf8_decode((const unsigned char *)text + k, len - k, &cp[n]);
        if (!l) { R1_FREE(cp); return r1__fail(err, R1_ERR_ARGUMENT, "tokenize: invalid UTF-8 at byte %zu", k); }
        k += (size_t)l;
        n++;
    }
    if (t->nfc) {
        int needed = 0;
        for (i = 0; i < n && !needed; i++) needed = cp[i] >= 0x300;
        if (needed) {
            norm = (uint32_t *)R1_MALLOC(n * 4 * sizeof(uint32_t));
            if (!norm) { R1_FREE(cp); return r1__fail(err, R1_ERR_MEMORY, "tokenize: out of memory"); }
            n = r1__nfc(cp, n, norm);
            R1_FREE(cp);
            cp = norm;
        }
    }
    cls = (uint8_t *)R1_MALLOC(n + 1);
    scratch = (char *)R1_MALLOC(n * 4 + 1);
    if (!cls || !scratch) { st = r1__fail(err, R1_ERR_MEMORY, "tokenize: out of memory"); goto done; }
    for (i = 0; i < n; i++) cls[i] = (uint8_t)(cp[i] < 128 ? (cp[i] == ' ' || (cp[i] >= 9 && cp[i] <= 13) ? R1__UC_SPACE
                                                     : (cp[i] | 0x20) >= 'a' && (cp[i] | 0x20) <= 'z' ? R1__UC_L
                                                     : cp[i] >= '0' && cp[i] <= '9' ? R1__UC_N
                                                     : r1__uc_class_of(cp[i]))
                                                  : r1__uc_class_of(cp[i]));
    s.cp = cp;
    s.cls = cls;
    s.n = n;
    if (!r1__pretok(t, &s, 0, n, 0, scratch, o)) st = r1__fail(err, R1_ERR_MEMORY, "tokenize: out of memory");
done:
    R1_FREE(cp);
    R1_FREE(cls);
    R1_FREE(scratch);
    return st;
}

/* protect: NULL to match added tokens anywhere; else a byte per text byte, nonzero where an
   added token must not be matched (a message's content); 1 for plain text everywhere */
static int r1__tokenize(const r1_tokenizer *t, const char *text, size_t len, int add_bos, const unsigned char *protect,
                        int plain, int32_t *ids, int max_ids, r1_error *err) {
    r1__tok_out o;
    size_t i = 0, seg = 0;
    if (!t || (!text && len) || max_ids < 0 || (max_ids > 0 && !ids)) {
        r1__fail(err, R1_ERR_ARGUMENT, "r1_tokenize: bad arguments");
        return -1;
    }
    if (t->pre == R1__PRE_UNKNOWN) {
        r1__fail(err, R1_ERR_UNSUPPORTED, "r1_tokenize: pre-tokenizer '%s' is not supported", t->pre_name);
        return -1;
    }
    o.ids = ids;
    o.n = 0;
    o.cap = max_ids;
    if (add_bos && t->bos >= 0) r1__emit(&o, t->bos);
    while (i < len && !plain) { /* cut out added tokens, longest first at each position */
        int k, found = -1, b0 = (unsigned char)text[i];
        if (protect && protect[i]) { i++; continue; }
        for (k = t->added_start[b0]; k < t->added_start[b0 + 1]; k++) {
            const r1__str *a = &t->text[t->added[k]];
            if (a->len <= len - i && memcmp(text + i, a->ptr, (size_t)a->len) == 0 &&
                (!protect || !memchr(protect + i, 1, (size_t)a->len))) { found = t->added[k]; break; }
        }
        if (found < 0) { i++; continue; }
        if (r1__encode_text(t, text + seg, i - seg, &o, err) != R1_OK) return -1;
        r1__emit(&o, found);
        i += (size_t)t->text[found].len;
        seg = i;
    }
    if (r1__encode_text(t, text + seg, len - seg, &o, err) != R1_OK) return -1;
    r1__ok(err);
    return o.n;
}

R1_API int r1_tokenize(const r1_tokenizer *t, const char *text, size_t len, int add_bos, int32_t *ids, int max_ids,
                       r1_error *err) {
    return r1__tokenize(t, text, len, add_bos, NULL, 0, ids, max_ids, err);
}

R1_API int r1_tokenize_plain(const r1_tokenizer *t, const char *text, size_t len, int add_bos, int32_t *ids, int max_ids,
                             r1_error *err) {
    return r1__tokenize(t, text, len, add_bos, NULL, 1, ids, max_ids, err);
}

/* The bytes a token stands for (not NUL-terminated); unused padding ids give nothing. */
R1_API const char *r1_token_bytes(const r1_tokenizer *t, int32_t id, size_t *len) {
    if (!t || id < 0 || id >= t->n_tokens || t->type[id] == R1__TOK_UNUSED) { if (len) *len = 0; return ""; }
    if (len) *len = t->bytes_off[id + 1] - t->bytes_off[id];
    return t->bytes + t->bytes_off[id];
}

/* Appends src to out as valid UTF-8, each invalid sequence becoming U+FFFD; with
   `hold_incomplete`, an unfinished sequence at the end is left unread. Returns bytes read. */
static size_t r1__utf8_lossy(const unsigned char *src, size_t n, int hold_incomplete, char *out, size_t size, size_t *out_len) {
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int l = r1__utf8_decode(src + i, n - i, &cp);
        if (l) {
            if (*out_len + (size_t)l <= size) memcpy(out + *out_len, src + i, (size_t)l);
            *out_len += (size_t)l;
            i += (size_t)l;
            continue;
        }
        {
            size_t bad = r1__utf8_bad_len(src + i, n - i);
            if (hold_incomplete && i + bad == n && bad < 4 && src[i] >= 0xc2 && src[i] <= 0xf4) {
                /* could still complete: wait for the next token */
                size_t need = src[i] >= 0xf0 ? 4 : src[i] >= 0xe0 ? 3 : 2;
                if (bad < need) break;
            }
            if (*out_len + 3 <= size) memcpy(out + *out_len, "\xef\xbf\xbd", 3);
            *out_len += 3;
            i += bad;
        }
    }
    return i;
}

R1_API size_t r1_detokenize(const r1_tokenizer *t, const int32_t *ids, int n, char *out, size_t size) {
    size_t total = 0, out_len = 0;
    int i;
    unsigned char *buf;
    if (!t || !ids || n <= 0) { if (out && size) out[0] = 0; return 0; }
    for (i = 0; i < n; i++) { size_t l; r1_token_bytes(t, ids[i], &l); total += l; }
    buf = (unsigned char *)R1_MALLOC(total + 1);
    if (!buf) { if (out && size) out[0] = 0; return 0; }
    total = 0;
    for (i = 0; i < n; i++) { size_t l; const char *b = r1_token_bytes(t, ids[i], &l); memcpy(buf + total, b, l); total += l; }
    r1__utf8_lossy(buf, total, 0, out, size ? size - 1 : 0, &out_len);
    if (out && size) out[out_len < size ? out_len : size - 1] = 0;
    R1_FREE(buf);
    return out_len;
}

R1_API size_t r1_decoder_push(r1_decoder *d, const r1_tokenizer *t, int32_t id, char *out, size_t size) {
    size_t len = 0, out_len = 0, used;
    const char *b;
    unsigned char buf[64];
    if (!d || !t || !out || size < 8) return 0;
    b = r1_token_bytes(t, id, &len);
    /* pending bytes (at most 3) first, then the token, fed through in small chunks */
    memcpy(buf, d->pending, (size_t)d->n_pending);
    {
        size_t fill = (size_t)d->n_pending, k = 0;
        d->n_pending = 0;
        for (;;) {
            size_t take = len - k < sizeof buf - fill ? len - k : sizeof buf - fill;
            memcpy(buf + fill, b + k, take);
            k += take;
            fill += take;
            used = r1__utf8_lossy(buf, fill, 1, out, size - 1, &out_len);
            memmove(buf, buf + used, fill - used);
            fill -= used;
            if (k == len) break;
        }
        memcpy(d->pending, buf, fill);
        d->n_pending = (int)fill;
    }
    if (out_len > size - 1) out_len = size - 1;
    out[out_len] = 0;
    return out_len;
}

R1_API size_t r1_decoder_flush(r1_decoder *d, char *out, size_t size) {
    size_t out_len = 0;
    if (!d || !out || size < 8) return 0;
    r1__utf8_lossy(d->pending, (size_t)d->n_pending, 0, out, size - 1, &out_len);
    d->n_pending = 0;
    out[out_len] = 0;
    return out_len;
}

/* ======================================================================================
   10. SAMPLER
   Hugging Face's order: penalties, temperature, top-k, top-p, min-p, then one draw from a
   seeded generator (splitmix64), so a seed always gives the same tokens.
   ====================================================================================== */

struct r1_sampler {
    r1_sampler_params p;
    int n_vocab;
    uint64_t state;           /* splitmix64 state */
    int32_t *history;         /* ring of the last penalty_last_n tokens */
    int n_history, head;
    int *counts;              /* [n_vocab] occurrences in the history */
    float *probs;             /* [n_vocab] scratch */
    int32_t *order;           /* [n_vocab] scratch: candidate ids */
};

R1_API r1_sampler_params r1_sampler_default_params(void) {
    r1_sampler_params p;
    p.temperature = 0.6f;     /* DeepSeek-R1's recommendation */
    p.top_p = 0.95f;
    p.top_k = 0;
    p.min_p = 0.0f;
    p.repeat_penalty = 1.0f;
    p.presence_penalty = 0.0f;
    p.frequency_penalty = 0.0f;
    p.penalty_last_n = 64;
    p.seed = 0;
    return p;
}

R1_API void r1_sampler_free(r1_sampler *s) {
    if (!s) return;
    R1_FREE(s->history); R1_FREE(s->counts); R1_FREE(s->probs); R1_FREE(s->order);
    R1_FREE(s);
}

R1_API r1_sampler *r1_sampler_new(const r1_sampler_params *params, int n_vocab, r1_error *err) {
    r1_sampler *s;
    r1_sampler_params p = params ? *params : r1_sampler_default_params();
    if (n_vocab <= 0 || n_vocab > (1 << 24)) { r1__fail(err, R1_ERR_ARGUMENT, "r1_sampler_new: bad n_vocab %d", n_vocab); return NULL; }
    if (!(p.temperature >= 0) || !(p.top_p > 0 && p.top_p <= 1) || !(p.min_p >= 0 && p.min_p <= 1) || p.top_k < 0 ||
        !(p.repeat_penalty > 0) || p.penalty_last_n < 0 || p.penalty_last_n > (1 << 20) || !(p.presence_penalty == p.presence_penalty) ||
        !(p.frequency_penalty == p.frequency_penalty)) {
        r1__fail(err, R1_ERR_ARGUMENT, "r1_sampler_new: temperature >= 0, 0 < top_p <= 1, 0 <= min_p <= 1, top_k >= 0, repeat_penalty > 0");
        return NULL;
    }
    s = (r1_sampler *)r1__calloc(1, sizeof *s);
    if (!s) { r1__fail(err, R1_ERR_MEMORY, "out of memory"); return NULL; }
    s->p = p;
    s->n_vocab = n_vocab;
    s->state = p.seed ^ 0x9e3779b97f4a7c15ull;
    s->history = (int32_t *)r1__calloc((size_t)p.penalty_last_n + 1, sizeof(int32_t));
    s->counts = (int *)r1__calloc((size_t)n_vocab, sizeof(int));
    s->probs = (float *)r1__calloc((size_t)n_vocab, sizeof(float));
    s->order = (int32_t *)r1__calloc((size_t)n_vocab, sizeof(int32_t));
    if (!s->history || !s->counts || !s->probs || !s->order) { r1_sampler_free(s); r1__fail(err, R1_ERR_MEMORY, "out of memory"); return NULL; }
    r1__ok(err);
    return s;
}

R1_API void r1_sampler_accept(r1_sampler *s, int32_t id) {
    if (!s || id < 0 || id >= s->n_vocab || s->p.penalty_last_n == 0) return;
    if (s->n_history == s->p.penalty_last_n) { /* forget the oldest */
        s->counts[s->history[s->head]]--;
        s->n_history--;
    }
    s->history[s->head] = id;
    s->head = (s->head + 1) % s->p.penalty_last_n;
    s->n_history++;
    s->counts[id]++;
}

R1_API void r1_sampler_reset(r1_sampler *s) {
    if (!s) return;
    memset(s->counts, 0, (size_t)s->n_vocab * sizeof(int));
    s->n_history = s->head = 0;
}

static uint64_t r1__splitmix(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* "x comes before y": higher probability first, lower id on ties (deterministic order) */
static int r1__before(const float *p, int32_t x, int32_t y) { return p[x] > p[y] || (p[x] == p[y] && x < y); }

/* A heap of candidate ids whose root comes first in that order. */
static void r1__sift_down(int32_t *h, int n, int i, const float *p) {
    for (;;) {
        int c = 2 * i + 1;
        int32_t t;
        if (c >= n) return;
        if (c + 1 < n && r1__before(p, h[c + 1], h[c])) c++;
        if (!r1__before(p, h[c], h[i])) return;
        t = h[i]; h[i] = h[c]; h[c] = t;
        i = c;
    }
}

/* Candidates best first, taken from the heap only as far as the filters look: the heap
   occupies order[0, heap_n); each taken id goes to the end, so the i-th best is
   order[n - 1 - i]. Building the heap is O(n), each candidate O(log n): a peaked distribution
   (a model at temperature 0.6 with top-p 0.95) needs a handful of them, not a sort of the
   whole vocabulary. */
typedef struct r1__cands {
    int32_t *order;
    int n, heap_n, taken;
    const float *p;
} r1__cands;

static int r1__cands_take(r1__cands *c, int want) {
    while (c->taken < want && c->heap_n > 0) {
        int32_t best = c->order[0];
        c->order[0] = c->order[--c->heap_n];
        r1__sift_down(c->order, c->heap_n, 0, c->p);
        c->order[c->heap_n] = best; /* = order[n - 1 - taken] */
        c->taken++;
    }
    return c->taken >= want;
}
#define R1__CAND(c, i) ((c)->order[(c)->n - 1 - (i)])

R1_API int32_t r1_sampler_sample(r1_sampler *s, const float *logits) {
    int n, i, k;
    float *p, max = -INFINITY, sum = 0.0f, cum, all, pmax;
    double u;
    r1__cands c;
    if (!s || !logits) return -1;
    n = s->n_vocab;
    p = s->probs;
    for (i = 0; i < n; i++) {
        float l = logits[i];
        int cnt = s->counts[i];
        if (cnt > 0) { /* repetition (CTRL-style), then presence and frequency (OpenAI-style) */
            l = l > 0 ? l / s->p.repeat_penalty : l * s->p.repeat_penalty;
            l -= s->p.presence_penalty + s->p.frequency_penalty * (float)cnt;
        }
        p[i] = l;
    }
    if (s->p.temperature == 0.0f) return r1_argmax(p, n);
    for (i = 0; i < n; i++) {
        p[i] /= s->p.temperature;
        if (p[i] > max) max = p[i];
    }
    if (!(max > -INFINITY)) return r1_argmax(logits, n); /* every logit -inf or NaN */
    for (i = 0; i < n; i++) { p[i] = expf(p[i] - max); sum += p[i]; }
    pmax = 1.0f / sum; /* the best token's probability */
    for (i = 0; i < n; i++) p[i] /= sum;
    all = 0.0f; /* the mass of every token, in id order (about 1) */
    for (i = 0; i < n; i++) all += p[i];
    if (!(s->p.top_k > 0 || s->p.top_p < 1.0f || s->p.min_p > 0.0f)) { /* every token, in id order */
        u = (double)(r1__splitmix(&s->state) >> 11) * (1.0 / 9007199254740992.0) * all;
        cum = 0.0f;
        for (i = 0; i < n; i++) {
            cum += p[i];
            if (u < cum) return i;
        }
        return n - 1;
    }
    /* candidates best first: top-k, then the smallest prefix reaching top_p of their mass
       (renormalized), then those at least min_p x the best */
    {
        /* Only tokens at least tau can be candidates when those already hold what the filters
           need (top_p's mass, with room for rounding; top_k of them; every token min_p keeps):
           then the best-first prefix the filters take lies among them. tau starts at the best
           probability / 2^12 and drops by 2^12 until they do (at worst: every token). */
        float tau = pmax / 4096.0f;
        for (;;) {
            float held = 0.0f;
            int m = 0, enough;
            for (i = 0; i < n; i++)
                if (p[i] >= tau) { s->order[m++] = i; held += p[i]; }
            enough = m == n || ((s->p.top_p >= 1.0f || held >= (s->p.top_p + 1e-3f) * all) &&
                                (s->p.top_k == 0 || m >= s->p.top_k) &&
                                (s->p.top_p < 1.0f || s->p.top_k > 0 || tau <= s->p.min_p * pmax));
            if (enough || tau == 0.0f) { c.n = m; break; }
            tau = tau > FLT_MIN * 4096.0f ? tau / 4096.0f : 0.0f;
        }
        c.order = s->order;
        c.heap_n = c.n;
        c.taken = 0;
        c.p = p;
        for (i = c.n / 2 - 1; i >= 0; i--) r1__sift_down(c.order, c.n, i, p);
        k = s->p.top_k > 0 && s->p.top_k < n ? s->p.top_k : n;
    }
    if (s->p.top_p < 1.0f) {
        float mass = 0.0f;
        if (k < n) { /* the top-k's mass */
            r1__cands_take(&c, k);
            for (i = 0; i < k; i++) mass += p[R1__CAND(&c, i)];
        } else {     /* everything's */
            mass = all;
        }
        cum = 0.0f;
        for (i = 0; i < k && r1__cands_take(&c, i + 1); i++) {
            cum += p[R1__CAND(&c, i)] / mass;
            if (cum >= s->p.top_p) { k = i + 1; break; }
        }
    }
    if (k > c.n) k = c.n; /* (only where the filters stop short of the tokens held) */
    if (s->p.min_p > 0.0f) { /* drop tokens below min_p x the best */
        float floor_p;
        r1__cands_take(&c, 1);
        floor_p = s->p.min_p * p[R1__CAND(&c, 0)];
        for (i = 1; i < k && r1__cands_take(&c, i + 1); i++)
            if (p[R1__CAND(&c, i)] < floor_p) { k = i; break; }
    }
    r1__cands_take(&c, k);
    sum = 0.0f;
    for (i = 0; i < k; i++) sum += p[R1__CAND(&c, i)];
    u = (double)(r1__splitmix(&s->state) >> 11) * (1.0 / 9007199254740992.0) * sum;
    cum = 0.0f;
    for (i = 0; i < k; i++) {
        cum += p[R1__CAND(&c, i)];
        if (u < cum) return R1__CAND(&c, i);
    }
    return R1__CAND(&c, k - 1);
}

/* ======================================================================================
   10b. JSON AND GRAMMARS
   JSON: a small read-only DOM (configs, schemas, requests), bounded in depth. Grammars: GBNF
   compiled to rules of alternatives of elements. Matching keeps the set of parse stacks the
   text so far can be in (a pushdown automaton run breadth-first); each stack is a hash-consed
   list, so equal stacks are one integer. Sampling under a grammar checks the drawn token and,
   only when it is refused, every token (sorted by bytes, so neighbours share their prefix's
   work) to draw again among those allowed.
   ====================================================================================== */

/* A growing NUL-terminated string. */
typedef struct r1__text {
    char *s;
    size_t len, cap;
} r1__text;

static int r1__text_add(r1__text *x, const char *s, size_t n) {
    if (x->len + n + 1 > x->cap) {
        size_t nc = x->cap ? x->cap * 2 : 256;
        char *ns;
        while (nc < x->len + n + 1) nc *= 2;
        ns = (char *)R1_REALLOC(x->s, nc);
        if (!ns) return 0;
        x->s = ns;
        x->cap = nc;
    }
    memcpy(x->s + x->len, s, n);
    x->len += n;
    x->s[x->len] = 0;
    return 1;
}

typedef struct r1__jp {
    const char *p, *end;
    r1_error *err;
    int depth;
} r1__jp;

static int r1__jfail(r1__jp *jp, const char *what) {
    r1__fail(jp->err, R1_ERR_FORMAT, "json: %s", what);
    return 0;
}

static void r1__json_clear(r1_json *j) {
    size_t i;
    for (i = 0; i < j->n; i++) r1__json_clear(&j->items[i]);
    R1_FREE(j->items);
    R1_FREE(j->str);
    R1_FREE(j->key);
}

R1_API void r1_json_free(r1_json *j) {
    if (!j) return;
    r1__json_clear(j);
    R1_FREE(j);
}

/* JSON's whitespace; also what a grammar lets through before its text after </think> (r1__gm_byte),
   which the answer text then drops (r1__gen_answer_text): one set, so the two cannot disagree */
static int r1__is_blank(uint32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void r1__jskip(r1__jp *jp) {
    while (jp->p < jp->end && r1__is_blank((unsigned char)*jp->p)) jp->p++;
}

static int r1__jhex4(r1__jp *jp, unsigned *out) {
    int i;
    *out = 0;
    if (jp->end - jp->p < 4) return r1__jfail(jp, "truncated \\u escape");
    for (i = 0; i < 4; i++) {
        char c = *jp->p++;
        *out <<= 4;
        if (c >= '0' && c <= '9') *out |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') *out |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') *out |= (unsigned)(c - 'A' + 10);
        else return r1__jfail(jp, "bad \\u escape");
    }
    return 1;
}

/* Parses a string starting at the opening quote; the decoded text is never longer than the source. */
static int r1__jstring(r1__jp *jp, char **out, size_t *out_len) {
    const char *start = ++jp->p;
    char *buf, *w;
    while (jp->p < jp->end && *jp->p != '"') {
        if (*jp->p == '\\') jp->p++;
        jp->p++;
    }
    if (jp->p >= jp->end) return r1__jfail(jp, "unterminated string");
    buf = (char *)R1_MALLOC((size_t)(jp->p - start) + 1);
    if (!buf) { r1__fail(jp->err, R1_ERR_MEMORY, "json: out of memory"); return 0; }
    w = buf;
    jp->end = jp->end; /* re-scan, decoding */
    jp->p = start;
    while (*jp->p != '"') {
        unsigned char c = (unsigned char)*jp->p++;
        if (c < 0x20) { R1_FREE(buf); return r1__jfail(jp, "control character in string"); }
        if (c != '\\') { *w++ = (char)c; continue; }
        c = (unsigned char)*jp->p++;
        switch (c) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '/': *w++ = '/'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u': {
            unsigned cp, lo;
            if (!r1__jhex4(jp, &cp)) { R1_FREE(buf); return 0; }
            if (cp >= 0xd800 && cp < 0xdc00 && jp->end - jp->p >= 6 && jp->p[0] == '\\' && jp->p[1] == 'u') {
                const char *save = jp->p;
                jp->p += 2;
                if (!r1__jhex4(jp, &lo)) { R1_FREE(buf); return 0; }
                if (lo >= 0xdc00 && lo < 0xe000) cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                else jp->p = save;
            }
            if (cp >= 0xd800 && cp < 0xe000) cp = 0xfffd; /* lone surrogate */
            w += r1__utf8_encode(cp, w); /* r1.h section 9 */
            break;
        }
        default: R1_FREE(buf); return r1__jfail(jp, "bad escape in string");
        }
    }
    jp->p++; /* closing quote */
    *w = 0;
    *out = buf;
    *out_len = (size_t)(w - buf);
    return 1;
}

static int r1__jvalue(r1__jp *jp, r1_json *v);

static int r1__jpush(r1__jp *jp, r1_json *parent, size_t *cap, r1_json **slot) {
    if (parent->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        r1_json *ni = (r1_json *)R1_REALLOC(parent->items, nc * sizeof *ni);
        if (!ni) { r1__fail(jp->err, R1_ERR_MEMORY, "json: out of memory"); return 0; }
        parent->items = ni;
        *cap = nc;
    }
    *slot = &parent->items[parent->n];
    memset(*slot, 0, sizeof **slot);
    return 1;
}

static int r1__jvalue(r1__jp *jp, r1_json *v) {
    r1__jskip(jp);
    if (jp->p >= jp->end) return r1__jfail(jp, "unexpected end of input");
    if (++jp->depth > 256) return r1__jfail(jp, "nesting too deep");
    switch (*jp->p) {
    case '{': case '[': {
        char close = *jp->p == '{' ? '}' : ']';
        size_t cap = 0;
        v->type = close == '}' ? R1_JSON_OBJECT : R1_JSON_ARRAY;
        jp->p++;
        r1__jskip(jp);
        if (jp->p < jp->end && *jp->p == close) { jp->p++; break; }
        for (;;) {
            r1_json *item;
            if (!r1__jpush(jp, v, &cap, &item)) return 0;
            if (v->type == R1_JSON_OBJECT) {
                r1__jskip(jp);
                if (jp->p >= jp->end || *jp->p != '"') return r1__jfail(jp, "expected a member name");
                if (!r1__jstring(jp, &item->key, &item->key_len)) return 0;
                r1__jskip(jp);
                if (jp->p >= jp->end || *jp->p != ':') { R1_FREE(item->key); return r1__jfail(jp, "expected ':'"); }
                jp->p++;
            }
            v->n++; /* counted before parsing so a failure frees what was read */
            if (!r1__jvalue(jp, item)) return 0;
            r1__jskip(jp);
            if (jp->p < jp->end && *jp->p == ',') { jp->p++; continue; }
            if (jp->p < jp->end && *jp->p == close) { jp->p++; break; }
            return r1__jfail(jp, "expected ',' or a closing bracket");
        }
        break;
    }
    case '"':
        v->type = R1_JSON_STRING;
        if (!r1__jstring(jp, &v->str, &v->len)) return 0;
        break;
    case 't': case 'f': case 'n': {
        static const char *words[3] = { "true", "false", "null" };
        int i;
        for (i = 0; i < 3; i++) {
            size_t n = strlen(words[i]);
            if ((size_t)(jp->end - jp->p) >= n && memcmp(jp->p, words[i], n) == 0) {
                v->type = i == 2 ? R1_JSON_NULL : R1_JSON_BOOL;
                v->boolean = i == 0;
                jp->p += n;
                break;
            }
        }
        if (i == 3) return r1__jfail(jp, "unknown literal");
        break;
    }
    default: {
        char buf[64];
        size_t n = 0;
        char *endp;
        while (jp->p + n < jp->end && n < sizeof buf - 1 && strchr("+-0123456789.eE", jp->p[n])) n++;
        if (n == 0) return r1__jfail(jp, "unexpected character");
        memcpy(buf, jp->p, n);
        buf[n] = 0;
        v->type = R1_JSON_NUMBER;
        v->number = strtod(buf, &endp);
        if ((size_t)(endp - buf) != n) return r1__jfail(jp, "bad number");
        jp->p += n;
        /* NaN / Infinity are not JSON, but Python writes them into config files */
        break;
    }
    }
    jp->depth--;
    return 1;
}

R1_API r1_json *r1_json_parse(const char *text, size_t len, r1_error *err) {
    r1__jp jp;
    r1_json *root;
    if (!text) { r1__fail(err, R1_ERR_ARGUMENT, "json: no text"); return NULL; }
    root = (r1_json *)r1__calloc(1, sizeof *root);
    if (!root) { r1__fail(err, R1_ERR_MEMORY, "json: out of memory"); return NULL; }
    jp.p = text;
    jp.end = text + len;
    jp.err = err;
    jp.depth = 0;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) jp.p += 3; /* BOM */
    if (!r1__jvalue(&jp, root)) { r1_json_free(root); return NULL; }
    r1__jskip(&jp);
    if (jp.p != jp.end) { r1__jfail(&jp, "trailing characters after the value"); r1_json_free(root); return NULL; }
    return root;
}

R1_API r1_json *r1_json_parse_file(const char *path, r1_error *err) {
    r1__mapping m;
    r1_json *j;
    if (r1__map_file(&m, path, err) != R1_OK) return NULL;
    j = r1_json_parse((const char *)m.addr, m.size, err);
    if (!j && err) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%.100s: %.150s", path, err->message);
        memcpy(err->message, msg, sizeof msg);
    }
    r1__unmap_file(&m);
    return j;
}

R1_API const r1_json *r1_json_get(const r1_json *o, const char *key) {
    size_t i, n;
    if (!o || o->type != R1_JSON_OBJECT || !key) return NULL;
    n = strlen(key);
    for (i = 0; i < o->n; i++)
        if (o->items[i].key_len == n && memcmp(o->items[i].key, key, n) == 0) return &o->items[i];
    return NULL;
}


/* ---- Grammar: the compiled form ---------------------------------------------------------- */

enum {
    R1__GE_END = 0,  /* the end of an alternative */
    R1__GE_CHAR = 1, /* one code point inside ranges [a, a + b) of the range table */
    R1__GE_NOT = 2,  /* one code point inside none of them ([^...], and `.` with no ranges) */
    R1__GE_REF = 3   /* rule a */
};
typedef struct r1__gelem {
    int32_t kind, a, b;
} r1__gelem;

/* One token's bytes, for the table of tokens sorted by their bytes. */
typedef struct r1__gtok {
    const unsigned char *s;
    int32_t len, id;
} r1__gtok;

#define R1__G_MAX_ELEMS (1 << 20) /* elements of a compiled grammar (repetitions copy their atom) */
#define R1__G_MAX_RULES (1 << 16)
#define R1__G_MAX_REPEAT 10000    /* the m and n of {m,n} */
#define R1__G_MAX_NEST 64         /* groups inside groups */
#define R1__G_MAX_NODES (1 << 22) /* stack cells one matcher may make (about 100 MB): beyond, ambiguity */

struct r1_grammar {
    r1__gelem *elems;         /* every rule's alternatives, each ended by R1__GE_END */
    uint32_t *ranges;         /* [n_ranges][2] inclusive code point ranges of the character elements */
    int32_t *rule_alt;        /* [n_rules + 1] rule r's alternatives are alt_start[rule_alt[r] .. rule_alt[r + 1]) */
    int32_t *alt_start;       /* each alternative's first element */
    int32_t n_elems, n_ranges, n_rules, root;
    const r1_tokenizer *tok;  /* the tokens the grammar chooses among (NULL: matching text only) */
    r1__gtok *sorted;         /* the tokenizer's text tokens sorted by bytes: neighbours share prefixes */
    int32_t n_sorted, max_token_len;
    int32_t *ends;            /* the end-of-turn tokens, allowed once the text is complete */
    int32_t n_ends;
};

static int r1__is_end_of_turn(const r1_tokenizer *t, int32_t id); /* section 11 */

/* Grows the array whose pointer is at p (any object pointer type) to hold need items of size
   bytes, doubling; 0 when it cannot. The pointer is read and written with memcpy, not through a
   void ** lvalue, so no pointer type is accessed as another. */
static int r1__grow(void *p, int32_t *cap, int64_t need, size_t size) {
    int64_t nc;
    void *old, *np;
    if (need <= *cap) return 1;
    nc = *cap ? (int64_t)*cap * 2 : 16;
    while (nc < need) nc *= 2;
    if (nc > INT32_MAX || (uint64_t)nc > SIZE_MAX / size) return 0;
    memcpy(&old, p, sizeof old);
    np = R1_REALLOC(old, (size_t)nc * size);
    if (!np) return 0;
    memcpy(p, &np, sizeof np);
    *cap = (int32_t)nc;
    return 1;
}

/* ---- Grammar: the GBNF parser ------------------------------------------------------------ */

typedef struct r1__gvec {
    r1__gelem *e;
    int32_t n, cap;
} r1__gvec;

typedef struct r1__gparse {
    const char *start, *p, *end;
    r1_error *err;
    int failed, nest;
    r1__gvec *rules;          /* each rule's elements, alternatives ended by R1__GE_END */
    char **names;             /* [rule] its name (NULL for a group or a repetition) */
    int *defined;             /* [rule] its definition was read */
    int32_t n_rules, cap_rules, cap_names, cap_defined;
    int32_t *table;           /* open addressing: named rules' ids, -1 empty */
    int32_t table_cap;
    uint32_t *ranges;
    int32_t n_ranges, cap_ranges;
    int64_t total;            /* elements written */
} r1__gparse;

static int r1__gfail(r1__gparse *gp, const char *what) {
    const char *q;
    int line = 1;
    if (gp->failed) return 0;
    for (q = gp->start; q < gp->p && q < gp->end; q++) line += *q == '\n';
    gp->failed = 1;
    r1__fail(gp->err, R1_ERR_FORMAT, "grammar: line %d: %s", line, what);
    return 0;
}
static int r1__gnomem(r1__gparse *gp) {
    if (!gp->failed) r1__fail(gp->err, R1_ERR_MEMORY, "grammar: out of memory");
    gp->failed = 1;
    return 0;
}

static int r1__gpush(r1__gparse *gp, int32_t rule, int32_t kind, int32_t a, int32_t b) {
    r1__gvec *v = &gp->rules[rule];
    if (++gp->total > R1__G_MAX_ELEMS) return r1__gfail(gp, "too large (more than 2^20 elements once repetitions are spelled out)");
    if (!r1__grow(&v->e, &v->cap, (int64_t)v->n + 1, sizeof *v->e)) return r1__gnomem(gp);
    v->e[v->n].kind = kind;
    v->e[v->n].a = a;
    v->e[v->n].b = b;
    v->n++;
    return 1;
}

static int32_t r1__grange(r1__gparse *gp, uint32_t lo, uint32_t hi) {
    if (!r1__grow(&gp->ranges, &gp->cap_ranges, 2 * ((int64_t)gp->n_ranges + 1), sizeof *gp->ranges)) return r1__gnomem(gp) - 1;
    gp->ranges[2 * gp->n_ranges] = lo;
    gp->ranges[2 * gp->n_ranges + 1] = hi;
    return gp->n_ranges++;
}

static uint32_t r1__ghash(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    while (n--) h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

/* A new rule: named (looked up first: references may come before definitions) or a group. */
static int32_t r1__grule(r1__gparse *gp, const char *name, size_t n) {
    int32_t r, i;
    if (name) {
        uint32_t mask = (uint32_t)gp->table_cap - 1, h;
        if (gp->table_cap)
            for (h = r1__ghash(name, n) & mask; gp->table[h] >= 0; h = (h + 1) & mask) {
                const char *o = gp->names[gp->table[h]];
                if (strlen(o) == n && memcmp(o, name, n) == 0) return gp->table[h];
            }
    }
    if (gp->n_rules >= R1__G_MAX_RULES) return r1__gfail(gp, "more than 65536 rules (groups and repetitions count)") - 1;
    if (!r1__grow(&gp->rules, &gp->cap_rules, (int64_t)gp->n_rules + 1, sizeof *gp->rules) ||
        !r1__grow(&gp->names, &gp->cap_names, (int64_t)gp->n_rules + 1, sizeof *gp->names) ||
        !r1__grow(&gp->defined, &gp->cap_defined, (int64_t)gp->n_rules + 1, sizeof *gp->defined))
        return r1__gnomem(gp) - 1;
    r = gp->n_rules++;
    memset(&gp->rules[r], 0, sizeof gp->rules[r]);
    gp->names[r] = NULL;
    gp->defined[r] = name == NULL;
    if (!name) return r;
    if (!(gp->names[r] = (char *)R1_MALLOC(n + 1))) return r1__gnomem(gp) - 1;
    memcpy(gp->names[r], name, n);
    gp->names[r][n] = 0;
    if (2 * (gp->n_rules + 1) > gp->table_cap) { /* rehash every named rule */
        int32_t cap = gp->table_cap ? gp->table_cap * 2 : 64;
        int32_t *t;
        while (cap < 2 * (gp->n_rules + 1)) cap *= 2;
        if (!(t = (int32_t *)R1_MALLOC((size_t)cap * sizeof *t))) return r1__gnomem(gp) - 1;
        for (i = 0; i < cap; i++) t[i] = -1;
        R1_FREE(gp->table);
        gp->table = t;
        gp->table_cap = cap;
        for (i = 0; i < gp->n_rules; i++)
            if (gp->names[i]) {
                uint32_t h = r1__ghash(gp->names[i], strlen(gp->names[i])) & (uint32_t)(cap - 1);
                while (t[h] >= 0) h = (h + 1) & (uint32_t)(cap - 1);
                t[h] = i;
            }
    } else {
        uint32_t mask = (uint32_t)gp->table_cap - 1, h = r1__ghash(name, n) & mask;
        while (gp->table[h] >= 0) h = (h + 1) & mask;
        gp->table[h] = r;
    }
    return r;
}

static void r1__gskip(r1__gparse *gp, int newline_ok) {
    while (gp->p < gp->end) {
        char c = *gp->p;
        if (c == ' ' || c == '\t' || c == '\r' || (c == '\n' && newline_ok)) gp->p++;
        else if (c == '#') while (gp->p < gp->end && *gp->p != '\n') gp->p++;
        else break;
    }
}

static int r1__gname_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int r1__ghex(r1__gparse *gp, int digits, uint32_t *out) {
    *out = 0;
    while (digits--) {
        char c = gp->p < gp->end ? *gp->p++ : 0;
        *out <<= 4;
        if (c >= '0' && c <= '9') *out |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') *out |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') *out |= (uint32_t)(c - 'A' + 10);
        else return r1__gfail(gp, "bad hex digit in an escape");
    }
    if (*out > 0x10ffff) return r1__gfail(gp, "escape beyond U+10FFFF");
    return 1;
}

/* One character of a literal or a class: an escape or a UTF-8 sequence. */
static int r1__gchar(r1__gparse *gp, uint32_t *cp) {
    int l;
    if (gp->p >= gp->end) return r1__gfail(gp, "unterminated literal or class");
    if (*gp->p != '\\') {
        l = r1__utf8_decode((const unsigned char *)gp->p, (size_t)(gp->end - gp->p), cp);
        if (l <= 0) return r1__gfail(gp, "invalid UTF-8");
        gp->p += l;
        return 1;
    }
    if (++gp->p >= gp->end) return r1__gfail(gp, "unterminated escape");
    switch (*gp->p++) {
    case 'n': *cp = '\n'; return 1;
    case 'r': *cp = '\r'; return 1;
    case 't': *cp = '\t'; return 1;
    case 'x': return r1__ghex(gp, 2, cp);
    case 'u': return r1__ghex(gp, 4, cp);
    case 'U': return r1__ghex(gp, 8, cp);
    case '\\': case '"': case '\'': case '[': case ']': case '-': case '^': case '/': case '.': *cp = (unsigned char)gp->p[-1]; return 1;
    default: gp->p--; return r1__gfail(gp, "unknown escape");
    }
}

static int r1__galts(r1__gparse *gp, int32_t rule, int nested);

/* Replaces the atom rule[atom ..] by itself repeated min to max times (max -1: unbounded),
   through new rules: X? is R ::= X | ; X* is S ::= X S | ; {m,n} spells X m times, then
   n - m nested optionals. */
static int r1__grepeat(r1__gparse *gp, int32_t rule, int32_t atom, int64_t min, int64_t max) {
    int32_t n = gp->rules[rule].n - atom, i, r, inner = -1;
    int64_t k;
    r1__gelem *x = (r1__gelem *)R1_MALLOC((size_t)(n > 0 ? n : 1) * sizeof *x);
    if (!x) return r1__gnomem(gp);
    if (n > 0) memcpy(x, gp->rules[rule].e + atom, (size_t)n * sizeof *x); /* (an empty literal: e may be NULL) */
    gp->rules[rule].n = atom;
    gp->total -= n;
    for (k = 0; k < min && !gp->failed; k++)
        for (i = 0; i < n; i++) r1__gpush(gp, rule, x[i].kind, x[i].a, x[i].b);
    if (max < 0 && !gp->failed) { /* S ::= X S | */
        if ((r = r1__grule(gp, NULL, 0)) >= 0) {
            for (i = 0; i < n; i++) r1__gpush(gp, r, x[i].kind, x[i].a, x[i].b);
            r1__gpush(gp, r, R1__GE_REF, r, 0);
            r1__gpush(gp, r, R1__GE_END, 0, 0);
            r1__gpush(gp, r, R1__GE_END, 0, 0);
            r1__gpush(gp, rule, R1__GE_REF, r, 0);
        }
    }
    for (k = min; max >= 0 && k < max && !gp->failed; k++) { /* R_k ::= X R_(k-1) | */
        if ((r = r1__grule(gp, NULL, 0)) < 0) break;
        for (i = 0; i < n; i++) r1__gpush(gp, r, x[i].kind, x[i].a, x[i].b);
        if (inner >= 0) r1__gpush(gp, r, R1__GE_REF, inner, 0);
        r1__gpush(gp, r, R1__GE_END, 0, 0);
        r1__gpush(gp, r, R1__GE_END, 0, 0);
        inner = r;
    }
    if (inner >= 0 && !gp->failed) r1__gpush(gp, rule, R1__GE_REF, inner, 0);
    R1_FREE(x);
    return !gp->failed;
}

static int r1__gcount(r1__gparse *gp, int64_t *out) {
    *out = 0;
    if (gp->p >= gp->end || *gp->p < '0' || *gp->p > '9') return r1__gfail(gp, "expected a number in {m,n}");
    while (gp->p < gp->end && *gp->p >= '0' && *gp->p <= '9') {
        *out = *out * 10 + (*gp->p++ - '0');
        if (*out > R1__G_MAX_REPEAT) return r1__gfail(gp, "repetition count above 10000");
    }
    return 1;
}

/* One alternative: atoms, each with its postfix operators, up to | ) or (at the top level)
   the end of the line. */
static int r1__gseq(r1__gparse *gp, int32_t rule, int nested) {
    for (;;) {
        int32_t atom;
        uint32_t cp, hi;
        char c;
        r1__gskip(gp, nested);
        if (gp->p >= gp->end) return 1;
        c = *gp->p;
        if (c == '|' || c == ')' || c == '\n') return 1;
        atom = gp->rules[rule].n;
        if (c == '"') {
            gp->p++;
            while (gp->p < gp->end && *gp->p != '"') {
                int32_t ri;
                if (!r1__gchar(gp, &cp) || (ri = r1__grange(gp, cp, cp)) < 0 || !r1__gpush(gp, rule, R1__GE_CHAR, ri, 1)) return 0;
            }
            if (gp->p >= gp->end) return r1__gfail(gp, "unterminated literal");
            gp->p++;
        } else if (c == '[') {
            int32_t first = gp->n_ranges, kind = R1__GE_CHAR;
            gp->p++;
            if (gp->p < gp->end && *gp->p == '^') { kind = R1__GE_NOT; gp->p++; }
            while (gp->p < gp->end && *gp->p != ']') {
                if (!r1__gchar(gp, &cp)) return 0;
                hi = cp;
                if (gp->end - gp->p >= 2 && gp->p[0] == '-' && gp->p[1] != ']') {
                    gp->p++;
                    if (!r1__gchar(gp, &hi)) return 0;
                    if (hi < cp) return r1__gfail(gp, "a class range runs backwards");
                }
                if (r1__grange(gp, cp, hi) < 0) return 0;
            }
            if (gp->p >= gp->end) return r1__gfail(gp, "unterminated character class");
            gp->p++;
            if (!r1__gpush(gp, rule, kind, first, gp->n_ranges - first)) return 0;
        } else if (c == '.') {
            gp->p++;
            if (!r1__gpush(gp, rule, R1__GE_NOT, 0, 0)) return 0;
        } else if (c == '(') {
            int32_t g;
            gp->p++;
            if (++gp->nest > R1__G_MAX_NEST) return r1__gfail(gp, "groups nested more than 64 deep");
            if ((g = r1__grule(gp, NULL, 0)) < 0 || !r1__galts(gp, g, 1)) return 0;
            gp->nest--;
            r1__gskip(gp, 1);
            if (gp->p >= gp->end || *gp->p != ')') return r1__gfail(gp, "expected ')'");
            gp->p++;
            if (!r1__gpush(gp, rule, R1__GE_REF, g, 0)) return 0;
        } else if (r1__gname_char(c)) {
            const char *name = gp->p;
            int32_t r;
            while (gp->p < gp->end && r1__gname_char(*gp->p)) gp->p++;
            if ((r = r1__grule(gp, name, (size_t)(gp->p - name))) < 0 || !r1__gpush(gp, rule, R1__GE_REF, r, 0)) return 0;
        } else {
            return r1__gfail(gp, "unexpected character");
        }
        while (gp->p < gp->end && (*gp->p == '?' || *gp->p == '*' || *gp->p == '+' || *gp->p == '{')) {
            int64_t min = 0, max = -1;
            c = *gp->p++;
            if (c == '?') max = 1;
            else if (c == '+') min = 1;
            else if (c == '{') {
                if (!r1__gcount(gp, &min)) return 0;
                max = min;
                if (gp->p < gp->end && *gp->p == ',') {
                    gp->p++;
                    max = -1;
                    if (gp->p < gp->end && *gp->p != '}' && !r1__gcount(gp, &max)) return 0;
                    if (max >= 0 && max < min) return r1__gfail(gp, "{m,n} with n < m");
                }
                if (gp->p >= gp->end || *gp->p != '}') return r1__gfail(gp, "expected '}'");
                gp->p++;
            }
            if (!r1__grepeat(gp, rule, atom, min, max)) return 0;
        }
    }
}

/* Alternatives separated by |, each ended by R1__GE_END. At the top level a line may start
   with | to continue the rule above it. */
static int r1__galts(r1__gparse *gp, int32_t rule, int nested) {
    for (;;) {
        const char *save;
        if (!r1__gseq(gp, rule, nested) || !r1__gpush(gp, rule, R1__GE_END, 0, 0)) return 0;
        r1__gskip(gp, nested);
        save = gp->p;
        if (!nested) r1__gskip(gp, 1);
        if (gp->p < gp->end && *gp->p == '|') {
            gp->p++;
            r1__gskip(gp, 1);
            continue;
        }
        gp->p = save;
        return 1;
    }
}

/* Rejects left recursion (a rule that can reach itself without reading a character), which
   would make matching loop, and works out which rules can match nothing on the way: a depth-
   first walk over "r can start with s" edges, with an explicit stack. */
static r1_status r1__gcheck_left(r1_grammar *g, r1_error *err) {
    enum { UNSEEN = 0, ACTIVE = 1, NULLABLE = 2, SOLID = 3 };
    typedef struct { int32_t rule, alt, elem; } frame;
    uint8_t *state = (uint8_t *)r1__calloc((size_t)g->n_rules, 1);
    frame *st = (frame *)R1_MALLOC((size_t)g->n_rules * sizeof *st);
    int32_t r, top;
    r1_status rc = R1_OK;
    if (!state || !st) { R1_FREE(state); R1_FREE(st); return r1__fail(err, R1_ERR_MEMORY, "grammar: out of memory"); }
    for (r = 0; r < g->n_rules && rc == R1_OK; r++) {
        if (state[r] != UNSEEN) continue;
        top = 0;
        st[0].rule = r; st[0].alt = g->rule_alt[r]; st[0].elem = -1;
        state[r] = ACTIVE;
        while (top >= 0 && rc == R1_OK) {
            frame *f = &st[top];
            const r1__gelem *e;
            if (f->alt == g->rule_alt[f->rule + 1]) { /* no alternative could be empty */
                state[f->rule] = SOLID;
                top--;
                continue;
            }
            if (f->elem < 0) f->elem = g->alt_start[f->alt];
            e = &g->elems[f->elem];
            if (e->kind == R1__GE_END) { state[f->rule] = NULLABLE; top--; continue; }
            if (e->kind != R1__GE_REF) { f->alt++; f->elem = -1; continue; } /* starts with a character */
            if (state[e->a] == ACTIVE) {
                rc = r1__fail(err, R1_ERR_FORMAT, "grammar: left recursion: a rule can reach itself before reading a character");
                break;
            }
            if (state[e->a] == UNSEEN) { /* visit it, then look at this element again */
                top++;
                st[top].rule = e->a; st[top].alt = g->rule_alt[e->a]; st[top].elem = -1;
                state[e->a] = ACTIVE;
                continue;
            }
            if (state[e->a] == NULLABLE) f->elem++;
            else { f->alt++; f->elem = -1; }
        }
    }
    R1_FREE(state);
    R1_FREE(st);
    return rc;
}

static void r1__gparse_free(r1__gparse *gp) {
    int32_t i;
    for (i = 0; i < gp->n_rules; i++) { R1_FREE(gp->rules[i].e); R1_FREE(gp->names[i]); }
    R1_FREE(gp->rules); R1_FREE(gp->names); R1_FREE(gp->defined); R1_FREE(gp->table); R1_FREE(gp->ranges);
}

R1_API void r1_grammar_free(r1_grammar *g) {
    if (!g) return;
    R1_FREE(g->elems); R1_FREE(g->ranges); R1_FREE(g->rule_alt); R1_FREE(g->alt_start); R1_FREE(g->sorted);
    R1_FREE(g->ends);
    R1_FREE(g);
}

static int r1__gtok_cmp(const void *a, const void *b) {
    const r1__gtok *x = (const r1__gtok *)a, *y = (const r1__gtok *)b;
    int32_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, (size_t)n);
    return c ? c : x->len != y->len ? (x->len < y->len ? -1 : 1) : (x->id > y->id) - (x->id < y->id);
}

R1_API r1_grammar *r1_grammar_new(const r1_tokenizer *tok, const char *text, size_t len, const char *root, r1_error *err) {
    r1__gparse gp;
    r1_grammar *g = NULL;
    int32_t i, j, n_alts = 0, at = 0, a = 0;
    memset(&gp, 0, sizeof gp);
    gp.err = err;
    if (!text) { r1__fail(err, R1_ERR_ARGUMENT, "r1_grammar_new: no text"); return NULL; }
    if (len > (1u << 24)) { r1__fail(err, R1_ERR_ARGUMENT, "r1_grammar_new: grammar text above 16 MiB"); return NULL; }
    if (!root) root = "root";
    gp.start = gp.p = text;
    gp.end = text + len;
    /* rules: name ::= alternatives */
    for (;;) {
        const char *name;
        int32_t r;
        r1__gskip(&gp, 1);
        if (gp.p >= gp.end) break;
        name = gp.p;
        while (gp.p < gp.end && r1__gname_char(*gp.p)) gp.p++;
        if (gp.p == name) { r1__gfail(&gp, "expected a rule name"); break; }
        if ((r = r1__grule(&gp, name, (size_t)(gp.p - name))) < 0) break;
        r1__gskip(&gp, 0);
        if (gp.end - gp.p < 3 || memcmp(gp.p, "::=", 3) != 0) { r1__gfail(&gp, "expected '::='"); break; }
        if (gp.defined[r]) { r1__gfail(&gp, "a rule is defined twice"); break; }
        gp.defined[r] = 1;
        gp.p += 3;
        r1__gskip(&gp, 1);
        if (!r1__galts(&gp, r, 0)) break;
        r1__gskip(&gp, 0);
        if (gp.p < gp.end && *gp.p != '\n') { r1__gfail(&gp, "unexpected character after a rule"); break; }
    }
    for (i = 0; i < gp.n_rules && !gp.failed; i++)
        if (!gp.defined[i]) {
            r1__fail(err, R1_ERR_FORMAT, "grammar: rule '%.64s' is used but not defined", gp.names[i]);
            gp.failed = 1;
        }
    if (!gp.failed) {
        int32_t r = -1;
        for (i = 0; i < gp.n_rules; i++)
            if (gp.names[i] && strcmp(gp.names[i], root) == 0) r = i;
        if (r < 0) { r1__fail(err, R1_ERR_FORMAT, "grammar: no rule named '%.64s'", root); gp.failed = 1; }
        /* flatten: rule after rule, and where each alternative starts */
        if (!gp.failed && !(g = (r1_grammar *)r1__calloc(1, sizeof *g))) r1__gnomem(&gp);
        if (g) {
            g->root = r;
            g->n_rules = gp.n_rules;
            g->n_elems = (int32_t)gp.total;
            for (i = 0; i < gp.n_rules; i++)
                for (j = 0; j < gp.rules[i].n; j++) n_alts += gp.rules[i].e[j].kind == R1__GE_END;
            g->elems = (r1__gelem *)R1_MALLOC((size_t)(g->n_elems + 1) * sizeof *g->elems);
            g->rule_alt = (int32_t *)R1_MALLOC((size_t)(g->n_rules + 1) * sizeof *g->rule_alt);
            g->alt_start = (int32_t *)R1_MALLOC((size_t)(n_alts + 1) * sizeof *g->alt_start);
            g->ranges = (uint32_t *)R1_MALLOC((size_t)(2 * gp.n_ranges + 1) * sizeof *g->ranges);
            if (!g->elems || !g->rule_alt || !g->alt_start || !g->ranges) r1__gnomem(&gp);
        }
        if (g && !gp.failed) {
            for (i = 0; i < gp.n_rules; i++) {
                g->rule_alt[i] = a;
                for (j = 0; j < gp.rules[i].n; j++) {
                    if (j == 0 || gp.rules[i].e[j - 1].kind == R1__GE_END) g->alt_start[a++] = at;
                    g->elems[at++] = gp.rules[i].e[j];
                }
            }
            g->rule_alt[gp.n_rules] = a;
            g->n_ranges = gp.n_ranges;
            if (gp.n_ranges) memcpy(g->ranges, gp.ranges, (size_t)gp.n_ranges * 2 * sizeof *g->ranges);
            if (r1__gcheck_left(g, err) != R1_OK) gp.failed = 1;
        }
    }
    r1__gparse_free(&gp);
    if (gp.failed) { r1_grammar_free(g); return NULL; }
    if (tok) { /* the tokens a generation picks among: every token with text, by bytes */
        int32_t n = r1_tokenizer_n_tokens(tok), k = 0;
        g->tok = tok;
        g->sorted = (r1__gtok *)R1_MALLOC((size_t)(n > 0 ? n : 1) * sizeof *g->sorted);
        g->ends = (int32_t *)R1_MALLOC(16 * sizeof *g->ends);
        if (!g->sorted || !g->ends) {
            r1_grammar_free(g);
            r1__fail(err, R1_ERR_MEMORY, "grammar: out of memory");
            return NULL;
        }
        for (i = 0; i < n; i++) {
            size_t l;
            const char *s = r1_token_bytes(tok, i, &l);
            if (r1__is_end_of_turn(tok, i) && g->n_ends < 16) g->ends[g->n_ends++] = i;
            if (!s || l == 0 || l > 4096 || r1_token_is_control(tok, i) || i == tok->think_open || i == tok->think_close) continue;
            g->sorted[k].s = (const unsigned char *)s;
            g->sorted[k].len = (int32_t)l;
            g->sorted[k].id = i;
            if ((int32_t)l > g->max_token_len) g->max_token_len = (int32_t)l;
            k++;
        }
        g->n_sorted = k;
        qsort(g->sorted, (size_t)k, sizeof *g->sorted, r1__gtok_cmp);
    }
    r1__ok(err);
    return g;
}

/* ---- Grammar: matching ------------------------------------------------------------------- *
   A parse stack lists, top first, where each open rule goes on: the next element to match,
   then where to return to. Cells are hash-consed (one cell per (element, rest of stack)), so a
   stack is one integer and equal stacks are equal integers; -1 is the empty stack (the text
   so far is complete). A matcher's state is the set of stacks the text can be in, each with a
   character element on top, plus a UTF-8 sequence in progress. */

typedef struct r1__gpos {
    int32_t off, len;         /* the stack set: sets[off .. off + len) */
    uint32_t cp;              /* the bits of a code point begun by earlier bytes */
    int32_t need;             /* continuation bytes it still needs */
    uint32_t least;           /* the smallest code point its length may encode (no overlong forms) */
    int32_t lead;             /* leading whitespace characters still skipped before the grammar's text */
} r1__gpos;

/* A token mask remembered for one state: inside a string or a number the state repeats after
   every character, and the mask with it. */
#define R1__GM_CACHE 8
typedef struct r1__gmask {
    int32_t *key;             /* the state: need, cp, least, lead, then its stacks sorted */
    int32_t n_key;
    uint32_t *bits;           /* [n_vocab / 32 + 1] the allowed tokens */
    int32_t n_ok;
    uint64_t used;            /* when it last served (the least recent one is replaced) */
} r1__gmask;

typedef struct r1__gm {
    const r1_grammar *g;
    int32_t *cell_pos;        /* [cell] the element it points at */
    int32_t *cell_next;       /* [cell] the rest of the stack (-1: none) */
    uint32_t *cell_mark;      /* [cell] the advance that last expanded it */
    int32_t n_cells, cap_cells, cap_next, cap_mark;
    int32_t *table;           /* open addressing: (pos, next) -> cell, -1 empty */
    int32_t table_cap;
    int32_t *sets;            /* stack sets, one after another */
    int32_t n_sets, cap_sets;
    int32_t *work;            /* the expansion's to-do list */
    int32_t cap_work;
    r1__gpos *walk;           /* [max_token_len + 1] per-byte states while masking */
    r1__gmask cache[R1__GM_CACHE]; /* masks of recent states */
    uint64_t clock;
    uint32_t mark;            /* this advance's stamp */
    int has_empty;            /* this advance produced the empty stack */
    int failed;               /* too many cells, or out of memory */
} r1__gm;

static void r1__gm_free(r1__gm *m) {
    int i;
    for (i = 0; i < R1__GM_CACHE; i++) { R1_FREE(m->cache[i].key); R1_FREE(m->cache[i].bits); }
    R1_FREE(m->cell_pos); R1_FREE(m->cell_next); R1_FREE(m->cell_mark); R1_FREE(m->table);
    R1_FREE(m->sets); R1_FREE(m->work); R1_FREE(m->walk);
    memset(m, 0, sizeof *m);
}

static int32_t r1__gm_cell(r1__gm *m, int32_t pos, int32_t next) {
    uint32_t mask, h;
    int32_t c, i;
    if (2 * (m->n_cells + 1) > m->table_cap) {
        int32_t cap = m->table_cap ? m->table_cap * 2 : 1024, *t;
        if (m->n_cells >= R1__G_MAX_NODES || !(t = (int32_t *)R1_MALLOC((size_t)cap * sizeof *t))) { m->failed = 1; return -1; }
        for (i = 0; i < cap; i++) t[i] = -1;
        for (i = 0; i < m->n_cells; i++) {
            h = ((uint32_t)m->cell_pos[i] * 2654435761u ^ (uint32_t)m->cell_next[i] * 40503u) & (uint32_t)(cap - 1);
            while (t[h] >= 0) h = (h + 1) & (uint32_t)(cap - 1);
            t[h] = i;
        }
        R1_FREE(m->table);
        m->table = t;
        m->table_cap = cap;
    }
    mask = (uint32_t)m->table_cap - 1;
    for (h = ((uint32_t)pos * 2654435761u ^ (uint32_t)next * 40503u) & mask; (c = m->table[h]) >= 0; h = (h + 1) & mask)
        if (m->cell_pos[c] == pos && m->cell_next[c] == next) return c;
    if (!r1__grow(&m->cell_pos, &m->cap_cells, (int64_t)m->n_cells + 1, sizeof *m->cell_pos) ||
        !r1__grow(&m->cell_next, &m->cap_next, (int64_t)m->n_cells + 1, sizeof *m->cell_next) ||
        !r1__grow(&m->cell_mark, &m->cap_mark, (int64_t)m->n_cells + 1, sizeof *m->cell_mark)) {
        m->failed = 1;
        return -1;
    }
    c = m->n_cells++;
    m->cell_pos[c] = pos;
    m->cell_next[c] = next;
    m->cell_mark[c] = 0;
    m->table[h] = c;
    return c;
}

static void r1__gm_emit(r1__gm *m, int32_t stack) {
    if (!r1__grow(&m->sets, &m->cap_sets, (int64_t)m->n_sets + 1, sizeof *m->sets)) { m->failed = 1; return; }
    m->sets[m->n_sets++] = stack;
}

/* Appends to the set being built every stack `stack` unfolds into with a character on top:
   an ended alternative returns to the rest of its stack; a rule reference pushes each of the
   rule's alternatives above its return point. A cell is unfolded once per advance. */
static void r1__gm_expand(r1__gm *m, int32_t stack) {
    const r1_grammar *g = m->g;
    int32_t n = 0;
    if (!r1__grow(&m->work, &m->cap_work, 1, sizeof *m->work)) { m->failed = 1; return; }
    m->work[n++] = stack;
    while (n > 0 && !m->failed) {
        int32_t s = m->work[--n], pos, a, ret;
        const r1__gelem *e;
        if (s < 0) {
            if (!m->has_empty) { m->has_empty = 1; r1__gm_emit(m, -1); }
            continue;
        }
        if (m->cell_mark[s] == m->mark) continue;
        m->cell_mark[s] = m->mark;
        pos = m->cell_pos[s];
        e = &g->elems[pos];
        if (e->kind == R1__GE_CHAR || e->kind == R1__GE_NOT) { r1__gm_emit(m, s); continue; }
        if (e->kind == R1__GE_END) { m->work[n++] = m->cell_next[s]; continue; } /* room: s's slot */
        /* where the rule returns to; a reference that ends its alternative returns straight to
           the rest of the stack (a tail call: X* loops keep one state instead of growing) */
        ret = g->elems[pos + 1].kind == R1__GE_END ? m->cell_next[s] : r1__gm_cell(m, pos + 1, m->cell_next[s]);
        if (ret < 0 && g->elems[pos + 1].kind != R1__GE_END) return;
        if (!r1__grow(&m->work, &m->cap_work, (int64_t)n + g->rule_alt[e->a + 1] - g->rule_alt[e->a], sizeof *m->work)) { m->failed = 1; return; }
        for (a = g->rule_alt[e->a + 1] - 1; a >= g->rule_alt[e->a]; a--) {
            int32_t c = r1__gm_cell(m, g->alt_start[a], ret);
            if (c < 0) return;
            m->work[n++] = c;
        }
    }
}

static void r1__gm_begin(r1__gm *m) {
    if (++m->mark == 0) { /* the stamp wrapped: clear the old ones */
        memset(m->cell_mark, 0, (size_t)m->n_cells * sizeof *m->cell_mark);
        m->mark = 1;
    }
    m->has_empty = 0;
}

static int r1__gm_char_ok(const r1_grammar *g, const r1__gelem *e, uint32_t cp) {
    int32_t i;
    for (i = 0; i < e->b; i++)
        if (cp >= g->ranges[2 * (e->a + i)] && cp <= g->ranges[2 * (e->a + i) + 1]) return e->kind == R1__GE_CHAR;
    return e->kind == R1__GE_NOT;
}

/* Can a stack's top character be anywhere in [lo, hi]? (for a UTF-8 sequence still open) */
static int r1__gm_range_ok(const r1_grammar *g, const r1__gelem *e, uint32_t lo, uint32_t hi) {
    int32_t i;
    for (i = 0; i < e->b; i++) {
        uint32_t a = g->ranges[2 * (e->a + i)], b = g->ranges[2 * (e->a + i) + 1];
        if (e->kind == R1__GE_CHAR && a <= hi && b >= lo) return 1;
        if (e->kind == R1__GE_NOT && a <= lo && b >= hi) return 0; /* all of it excluded */
    }
    return e->kind == R1__GE_NOT;
}

/* The stacks of set `in` that read code point cp, moved past it: a new set at the end of sets. */
static void r1__gm_advance(r1__gm *m, const r1__gpos *in, uint32_t cp, r1__gpos *out) {
    int32_t i;
    r1__gm_begin(m);
    out->off = m->n_sets;
    for (i = 0; i < in->len && !m->failed; i++) {
        int32_t s = m->sets[in->off + i], pos;
        if (s < 0) continue;
        pos = m->cell_pos[s];
        if (r1__gm_char_ok(m->g, &m->g->elems[pos], cp)) {
            int32_t c = r1__gm_cell(m, pos + 1, m->cell_next[s]);
            if (c >= 0) r1__gm_expand(m, c);
        }
    }
    out->len = m->failed ? 0 : m->n_sets - out->off;
}

/* One more byte: 1 and *out when some stack survives it, else 0. */
static int r1__gm_byte(r1__gm *m, const r1__gpos *in, unsigned char b, r1__gpos *out) {
    uint32_t cp;
    *out = *in;
    if (in->need > 0) {
        if ((b & 0xc0) != 0x80) return 0;
        out->cp = in->cp << 6 | (b & 0x3f);
        out->need = in->need - 1;
    } else if (b < 0x80) {
        out->cp = b;
    } else {
        if (b >= 0xc2 && b <= 0xdf) { out->cp = b & 0x1f; out->need = 1; out->least = 0x80; }
        else if (b >= 0xe0 && b <= 0xef) { out->cp = b & 0x0f; out->need = 2; out->least = 0x800; }
        else if (b >= 0xf0 && b <= 0xf4) { out->cp = b & 0x07; out->need = 3; out->least = 0x10000; }
        else return 0;
    }
    if (out->need > 0) { /* a sequence still open: some stack must accept a character it can become */
        uint32_t lo = out->cp << (6 * out->need), hi = lo | ((1u << (6 * out->need)) - 1);
        int32_t i;
        if (lo < out->least) lo = out->least;
        if (hi > 0x10ffff) hi = 0x10ffff;
        if (lo > hi) return 0;
        for (i = 0; i < in->len; i++) {
            int32_t s = m->sets[in->off + i];
            if (s >= 0 && r1__gm_range_ok(m->g, &m->g->elems[m->cell_pos[s]], lo, hi)) return 1;
        }
        return 0;
    }
    cp = out->cp;
    out->cp = 0;
    if (cp < out->least || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return 0; /* overlong, too large, surrogate */
    out->least = 0;
    if (in->lead > 0 && r1__is_blank(cp)) { out->lead = in->lead - 1; return 1; }
    out->lead = 0;
    r1__gm_advance(m, in, cp, out);
    return out->len > 0;
}

static int r1__gm_init(r1__gm *m, const r1_grammar *g, int lead_ws, r1__gpos *start) {
    int32_t a;
    memset(m, 0, sizeof *m);
    m->g = g;
    if (g->tok && !(m->walk = (r1__gpos *)R1_MALLOC((size_t)(g->max_token_len + 1) * sizeof *m->walk))) return 0;
    r1__gm_begin(m);
    for (a = g->rule_alt[g->root]; a < g->rule_alt[g->root + 1] && !m->failed; a++) {
        int32_t c = r1__gm_cell(m, g->alt_start[a], -1);
        if (c >= 0) r1__gm_expand(m, c);
    }
    start->off = 0;
    start->len = m->n_sets;
    start->cp = 0;
    start->need = 0;
    start->least = 0;
    start->lead = lead_ws;
    return !m->failed;
}

static int r1__gm_complete(const r1__gm *m, const r1__gpos *p) {
    int32_t i;
    if (p->need) return 0;
    for (i = 0; i < p->len; i++)
        if (m->sets[p->off + i] < 0) return 1;
    return 0;
}

/* The state after bytes s[0..n), or 0 when they are refused; the sets it made stay after the
   current one (the caller truncates or keeps them). */
static int r1__gm_bytes(r1__gm *m, const r1__gpos *at, const unsigned char *s, size_t n, r1__gpos *out) {
    r1__gpos cur = *at;
    size_t i;
    for (i = 0; i < n; i++) {
        if (!r1__gm_byte(m, &cur, s[i], out)) return 0;
        cur = *out;
    }
    *out = cur;
    return 1;
}

/* Makes *p the state after the bytes, keeping only its set (at the start of sets). */
static int r1__gm_commit(r1__gm *m, r1__gpos *p, const unsigned char *s, size_t n) {
    r1__gpos next;
    if (!r1__gm_bytes(m, p, s, n, &next)) { m->n_sets = p->off + p->len; return 0; }
    if (next.len > 0) memmove(m->sets, m->sets + next.off, (size_t)next.len * sizeof *m->sets);
    next.off = 0;
    m->n_sets = next.len;
    *p = next;
    return 1;
}

R1_API int r1_grammar_match(const r1_grammar *g, const char *text, size_t len) {
    r1__gm m;
    r1__gpos at, end;
    int result;
    if (!g || (!text && len)) return -1;
    if (!r1__gm_init(&m, g, 0, &at)) { r1__gm_free(&m); return -1; }
    if (!r1__gm_bytes(&m, &at, (const unsigned char *)text, len, &end)) result = m.failed ? -1 : R1_GRAMMAR_REJECT;
    else result = r1__gm_complete(&m, &end) ? R1_GRAMMAR_COMPLETE : R1_GRAMMAR_PREFIX;
    r1__gm_free(&m);
    return result;
}

/* Can the token follow the state? (its sets are dropped again) */
static int r1__gm_token_ok(r1__gm *m, const r1__gpos *at, const r1_tokenizer *t, int32_t id) {
    size_t n;
    const char *s;
    r1__gpos out;
    int ok;
    if (id < 0 || r1_token_is_control(t, id) || id == t->think_open || id == t->think_close) return 0; /* markers, not text */
    s = r1_token_bytes(t, id, &n);
    if (!s || n == 0) return 0;
    ok = r1__gm_bytes(m, at, (const unsigned char *)s, n, &out);
    m->n_sets = at->off + at->len;
    return ok;
}

/* Every text token the state allows: their logits copied into masked (the rest -inf).
   Tokens come sorted by bytes, so a token redoes only the bytes after what it shares with
   the one before, and a refused prefix refuses every token that starts with it. Returns
   how many are allowed. */
static int32_t r1__gm_mask_walk(r1__gm *m, const r1__gpos *at, const float *logits, float *masked, int n_vocab, uint32_t *bits) {
    const r1_grammar *g = m->g;
    const r1__gtok *prev = NULL;
    int32_t i, valid = 0, dead = -1, n_ok = 0;
    for (i = 0; i < n_vocab; i++) masked[i] = -INFINITY;
    m->walk[0] = *at;
    for (i = 0; i < g->n_sorted && !m->failed; i++) {
        const r1__gtok *t = &g->sorted[i];
        int32_t l = 0, d, lim;
        if (prev) {
            lim = prev->len < t->len ? prev->len : t->len;
            while (l < lim && prev->s[l] == t->s[l]) l++;
        }
        prev = t;
        if (dead >= 0 && l > dead) continue; /* starts with the refused prefix */
        d = l < valid ? l : valid;
        m->n_sets = m->walk[d].off + m->walk[d].len;
        dead = -1;
        for (; d < t->len; d++)
            if (!r1__gm_byte(m, &m->walk[d], t->s[d], &m->walk[d + 1])) { dead = d; break; }
        valid = dead >= 0 ? dead : t->len;
        if (dead < 0 && t->id < n_vocab) {
            masked[t->id] = logits[t->id];
            if (bits) bits[t->id >> 5] |= 1u << (t->id & 31);
            n_ok++;
        }
    }
    m->n_sets = at->off + at->len;
    return n_ok;
}

static int r1__cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* r1__gm_mask_walk, remembered per state: a state seen recently gets its mask back without
   the walk. */
static int32_t r1__gm_mask(r1__gm *m, const r1__gpos *at, const float *logits, float *masked, int n_vocab) {
    int32_t key[64], n_key = 5 + at->len, i, n_ok;
    r1__gmask *slot = NULL;
    if (n_key > 64) return r1__gm_mask_walk(m, at, logits, masked, n_vocab, NULL); /* a large state: not worth keeping */
    key[0] = at->need; key[1] = (int32_t)at->cp; key[2] = (int32_t)at->least; key[3] = at->lead; key[4] = at->len;
    memcpy(key + 5, m->sets + at->off, (size_t)at->len * sizeof *key);
    qsort(key + 5, (size_t)at->len, sizeof *key, r1__cmp_i32);
    m->clock++;
    for (i = 0; i < R1__GM_CACHE; i++) {
        r1__gmask *c = &m->cache[i];
        if (c->bits && c->n_key == n_key && memcmp(c->key, key, (size_t)n_key * sizeof *key) == 0) { /* seen: apply it */
            int32_t t;
            c->used = m->clock;
            for (t = 0; t < n_vocab; t++) masked[t] = c->bits[t >> 5] >> (t & 31) & 1 ? logits[t] : -INFINITY;
            return c->n_ok;
        }
        if (!slot || c->used < slot->used) slot = c;
    }
    R1_FREE(slot->key);
    R1_FREE(slot->bits);
    slot->key = (int32_t *)R1_MALLOC((size_t)n_key * sizeof *key);
    slot->bits = (uint32_t *)r1__calloc((size_t)n_vocab / 32 + 1, sizeof *slot->bits);
    if (!slot->key || !slot->bits) { R1_FREE(slot->key); R1_FREE(slot->bits); slot->key = NULL; slot->bits = NULL; }
    n_ok = r1__gm_mask_walk(m, at, logits, masked, n_vocab, slot->bits);
    if (!slot->bits || m->failed) { R1_FREE(slot->key); R1_FREE(slot->bits); slot->key = NULL; slot->bits = NULL; return n_ok; }
    memcpy(slot->key, key, (size_t)n_key * sizeof *key);
    slot->n_key = n_key;
    slot->n_ok = n_ok;
    slot->used = m->clock;
    return n_ok;
}

/* ---- JSON Schema -> GBNF ------------------------------------------------------------------ */

/* The JSON rules, once: under a schema's own rules, and under "root ::= json-object". */
#define R1__JSON_GBNF_RULES \
    "json-value ::= json-object | json-array | json-string | json-number | json-boolean | json-null\n" \
    "json-object ::= \"{\" json-ws ( json-string json-ws \":\" json-ws json-value json-ws ( \",\" json-ws json-string json-ws \":\" json-ws json-value json-ws )* )? \"}\"\n" \
    "json-array ::= \"[\" json-ws ( json-value json-ws ( \",\" json-ws json-value json-ws )* )? \"]\"\n" \
    "json-string ::= \"\\\"\" json-char* \"\\\"\"\n" \
    "json-char ::= [^\"\\\\\\x00-\\x1f] | \"\\\\\" ( [\"\\\\/bfnrt] | \"u\" [0-9a-fA-F]{4} )\n" \
    "json-number ::= json-integer ( \".\" [0-9]+ )? ( [eE] [-+]? [0-9]+ )?\n" \
    "json-integer ::= \"-\"? ( \"0\" | [1-9] [0-9]{0,15} )\n" \
    "json-boolean ::= \"true\" | \"false\"\n" \
    "json-null ::= \"null\"\n" \
    "json-ws ::= ( \" \" | \"\\n\" [ \\t]{0,20} )?\n"
static const char r1__json_gbnf_rules[] = R1__JSON_GBNF_RULES;
static const char r1__json_object_gbnf[] = "root ::= json-object\n" R1__JSON_GBNF_RULES;

R1_API const char *r1_grammar_json_gbnf(void) { return r1__json_object_gbnf; }

typedef struct r1__schema {
    r1__text out;             /* the rules written so far */
    int n_rules;              /* s1, s2, ... */
    int depth;
    int failed;
    r1_error *err;
} r1__schema;

static int r1__sfail(r1__schema *sc, r1_status code, const char *what, const char *detail) {
    if (!sc->failed) r1__fail(sc->err, code, "json schema: %s%.64s", what, detail ? detail : "");
    sc->failed = 1;
    return -1;
}

static void r1__sadd(r1__schema *sc, r1__text *t, const char *s) {
    if (!sc->failed && s && !r1__text_add(t, s, strlen(s))) r1__sfail(sc, R1_ERR_MEMORY, "out of memory", NULL);
}

/* A GBNF literal whose text is bytes s[0..n). */
static void r1__sliteral(r1__schema *sc, r1__text *t, const char *s, size_t n) {
    size_t i;
    char buf[8];
    r1__sadd(sc, t, "\"");
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { buf[0] = '\\'; buf[1] = (char)c; buf[2] = 0; }
        else if (c < 0x20) snprintf(buf, sizeof buf, "\\x%02x", c);
        else { buf[0] = (char)c; buf[1] = 0; }
        r1__sadd(sc, t, buf);
    }
    r1__sadd(sc, t, "\"");
}

/* A JSON value written compactly (for const and enum). */
static void r1__sjson(r1__schema *sc, r1__text *t, const r1_json *v) {
    size_t i;
    char buf[40];
    switch (v->type) {
    case R1_JSON_NULL: r1__sadd(sc, t, "null"); break;
    case R1_JSON_BOOL: r1__sadd(sc, t, v->boolean ? "true" : "false"); break;
    case R1_JSON_NUMBER:
        if (v->number == floor(v->number) && fabs(v->number) < 1e15) snprintf(buf, sizeof buf, "%.0f", v->number);
        else snprintf(buf, sizeof buf, "%.17g", v->number);
        r1__sadd(sc, t, buf);
        break;
    case R1_JSON_STRING:
        r1__sadd(sc, t, "\"");
        for (i = 0; i < v->len; i++) {
            unsigned char c = (unsigned char)v->str[i];
            if (c == '"') r1__sadd(sc, t, "\\\"");
            else if (c == '\\') r1__sadd(sc, t, "\\\\");
            else if (c == '\n') r1__sadd(sc, t, "\\n");
            else if (c == '\t') r1__sadd(sc, t, "\\t");
            else if (c == '\r') r1__sadd(sc, t, "\\r");
            else if (c < 0x20) { snprintf(buf, sizeof buf, "\\u%04x", c); r1__sadd(sc, t, buf); }
            else if (!sc->failed && !r1__text_add(t, (const char *)&v->str[i], 1)) r1__sfail(sc, R1_ERR_MEMORY, "out of memory", NULL);
        }
        r1__sadd(sc, t, "\"");
        break;
    case R1_JSON_ARRAY: case R1_JSON_OBJECT:
        r1__sadd(sc, t, v->type == R1_JSON_ARRAY ? "[" : "{");
        for (i = 0; i < v->n; i++) {
            if (i) r1__sadd(sc, t, ",");
            if (v->type == R1_JSON_OBJECT) {
                r1_json key;
                memset(&key, 0, sizeof key);
                key.type = R1_JSON_STRING;
                key.str = v->items[i].key;
                key.len = v->items[i].key_len;
                r1__sjson(sc, t, &key);
                r1__sadd(sc, t, ":");
            }
            r1__sjson(sc, t, &v->items[i]);
        }
        r1__sadd(sc, t, v->type == R1_JSON_ARRAY ? "]" : "}");
        break;
    }
}

/* A literal matching the JSON value v exactly. */
static void r1__sliteral_json(r1__schema *sc, r1__text *body, const r1_json *v) {
    r1__text j;
    memset(&j, 0, sizeof j);
    r1__sjson(sc, &j, v);
    if (!sc->failed) r1__sliteral(sc, body, j.s ? j.s : "", j.len);
    R1_FREE(j.s);
}

static int r1__srule(r1__schema *sc, const r1_json *schema);

/* Names a rule: "sN" into buf. */
static void r1__sname(char *buf, size_t size, int rule) { snprintf(buf, size, "s%d", rule); }

/* The rule body for one type name of the schema. */
static void r1__stype(r1__schema *sc, r1__text *body, const r1_json *schema, const char *type) {
    char name[24];
    if (strcmp(type, "string") == 0) r1__sadd(sc, body, "json-string");
    else if (strcmp(type, "number") == 0) r1__sadd(sc, body, "json-number");
    else if (strcmp(type, "integer") == 0) r1__sadd(sc, body, "json-integer");
    else if (strcmp(type, "boolean") == 0) r1__sadd(sc, body, "json-boolean");
    else if (strcmp(type, "null") == 0) r1__sadd(sc, body, "json-null");
    else if (strcmp(type, "array") == 0) {
        const r1_json *items = r1_json_get(schema, "items"), *mn = r1_json_get(schema, "minItems"), *mx = r1_json_get(schema, "maxItems");
        int item = -1;
        long lo = 0, hi = -1;
        char buf[64];
        if (mn && mn->type == R1_JSON_NUMBER && mn->number >= 0) lo = mn->number > 1000 ? 1000 : (long)mn->number;
        if (mx && mx->type == R1_JSON_NUMBER && mx->number >= 0) hi = mx->number > 1000 ? 1000 : (long)mx->number;
        if (hi >= 0 && hi < lo) { r1__sfail(sc, R1_ERR_FORMAT, "maxItems below minItems", NULL); return; }
        if (items && (item = r1__srule(sc, items)) < 0) return;
        if (items) r1__sname(name, sizeof name, item);
        else snprintf(name, sizeof name, "json-value");
        if (hi == 0) { r1__sadd(sc, body, "\"[\" json-ws \"]\""); return; }
        r1__sadd(sc, body, "\"[\" json-ws ");
        r1__sadd(sc, body, lo == 0 ? "( " : "");
        r1__sadd(sc, body, name);
        r1__sadd(sc, body, " json-ws ( \",\" json-ws ");
        r1__sadd(sc, body, name);
        if (hi < 0) snprintf(buf, sizeof buf, " json-ws ){%ld,}", lo > 1 ? lo - 1 : 0);
        else snprintf(buf, sizeof buf, " json-ws ){%ld,%ld}", lo > 1 ? lo - 1 : 0, hi - 1);
        r1__sadd(sc, body, buf);
        r1__sadd(sc, body, lo == 0 ? " )? \"]\"" : " \"]\"");
    } else if (strcmp(type, "object") == 0) {
        const r1_json *props = r1_json_get(schema, "properties"), *req = r1_json_get(schema, "required");
        size_t i, k, n;
        int *rules, *required;
        if (!props || props->type != R1_JSON_OBJECT || props->n == 0) {
            const r1_json *extra = r1_json_get(schema, "additionalProperties");
            r1__sadd(sc, body, extra && extra->type == R1_JSON_BOOL && !extra->boolean ? "\"{\" json-ws \"}\"" : "json-object");
            return;
        }
        n = props->n;
        rules = (int *)r1__calloc(n, sizeof *rules);
        required = (int *)r1__calloc(n, sizeof *required);
        if (!rules || !required) { R1_FREE(rules); R1_FREE(required); r1__sfail(sc, R1_ERR_MEMORY, "out of memory", NULL); return; }
        for (i = 0; i < n && !sc->failed; i++) {
            rules[i] = r1__srule(sc, &props->items[i]);
            if (req && req->type == R1_JSON_ARRAY)
                for (k = 0; k < req->n; k++)
                    if (req->items[k].type == R1_JSON_STRING && req->items[k].len == props->items[i].key_len &&
                        memcmp(req->items[k].str, props->items[i].key, req->items[k].len) == 0) required[i] = 1;
        }
        /* "{" then the first property present (every one before it optional), then each later
           one with its comma: present if required, optional otherwise; "}" */
        if (!sc->failed) {
            r1__text kv;
            size_t first;
            int all_optional = 1;
            memset(&kv, 0, sizeof kv);
            r1__sadd(sc, body, "\"{\" json-ws ( ");
            for (first = 0; first < n && !sc->failed; first++) {
                if (first > 0) r1__sadd(sc, body, " | ");
                for (i = first; i < n && !sc->failed; i++) {
                    r1_json key;
                    memset(&key, 0, sizeof key);
                    key.type = R1_JSON_STRING;
                    key.str = props->items[i].key;
                    key.len = props->items[i].key_len;
                    r1__sname(name, sizeof name, rules[i]);
                    kv.len = 0;
                    if (kv.s) kv.s[0] = 0;
                    if (i > first) r1__sadd(sc, &kv, "\",\" json-ws ");
                    r1__sliteral_json(sc, &kv, &key);
                    r1__sadd(sc, &kv, " json-ws \":\" json-ws ");
                    r1__sadd(sc, &kv, name);
                    r1__sadd(sc, &kv, " json-ws");
                    if (i == first || required[i]) { r1__sadd(sc, body, kv.s); r1__sadd(sc, body, " "); }
                    else { r1__sadd(sc, body, "( "); r1__sadd(sc, body, kv.s); r1__sadd(sc, body, " )? "); }
                }
                if (required[first]) { all_optional = 0; break; } /* a later first would skip it */
            }
            r1__sadd(sc, body, all_optional ? ")? \"}\"" : ") \"}\"");
            R1_FREE(kv.s);
        }
        R1_FREE(rules);
        R1_FREE(required);
    } else {
        r1__sfail(sc, R1_ERR_UNSUPPORTED, "unsupported type ", type);
    }
}

/* Writes a rule for the schema and returns its number (-1 on failure). */
static int r1__srule(r1__schema *sc, const r1_json *schema) {
    r1__text body;
    const r1_json *v;
    char name[24];
    int rule;
    size_t i;
    if (sc->failed) return -1;
    if (++sc->depth > 64) return r1__sfail(sc, R1_ERR_FORMAT, "nested more than 64 deep", NULL);
    memset(&body, 0, sizeof body);
    rule = ++sc->n_rules;
    if (schema->type == R1_JSON_BOOL) {
        if (!schema->boolean) return r1__sfail(sc, R1_ERR_UNSUPPORTED, "the schema false matches nothing", NULL);
        r1__sadd(sc, &body, "json-value");
    } else if (schema->type != R1_JSON_OBJECT) {
        return r1__sfail(sc, R1_ERR_FORMAT, "a schema must be an object or a boolean", NULL);
    } else if ((v = r1_json_get(schema, "$ref")) != NULL) {
        return r1__sfail(sc, R1_ERR_UNSUPPORTED, "$ref is not supported", NULL);
    } else if ((v = r1_json_get(schema, "const")) != NULL) {
        r1__sliteral_json(sc, &body, v);
    } else if ((v = r1_json_get(schema, "enum")) != NULL) {
        if (v->type != R1_JSON_ARRAY || v->n == 0) return r1__sfail(sc, R1_ERR_FORMAT, "enum must be a non-empty array", NULL);
        for (i = 0; i < v->n; i++) {
            if (i) r1__sadd(sc, &body, " | ");
            r1__sliteral_json(sc, &body, &v->items[i]);
        }
    } else if ((v = r1_json_get(schema, "anyOf")) != NULL || (v = r1_json_get(schema, "oneOf")) != NULL) {
        if (v->type != R1_JSON_ARRAY || v->n == 0) return r1__sfail(sc, R1_ERR_FORMAT, "anyOf / oneOf must be a non-empty array", NULL);
        for (i = 0; i < v->n && !sc->failed; i++) {
            int sub = r1__srule(sc, &v->items[i]);
            if (sub < 0) break;
            if (i) r1__sadd(sc, &body, " | ");
            r1__sname(name, sizeof name, sub);
            r1__sadd(sc, &body, name);
        }
    } else if ((v = r1_json_get(schema, "type")) != NULL) {
        if (v->type == R1_JSON_STRING) r1__stype(sc, &body, schema, v->str);
        else if (v->type == R1_JSON_ARRAY && v->n > 0) {
            for (i = 0; i < v->n && !sc->failed; i++) {
                if (v->items[i].type != R1_JSON_STRING) { r1__sfail(sc, R1_ERR_FORMAT, "a type list holds names", NULL); break; }
                if (i) r1__sadd(sc, &body, " | ");
                r1__sadd(sc, &body, "( ");
                r1__stype(sc, &body, schema, v->items[i].str);
                r1__sadd(sc, &body, " )");
            }
        } else return r1__sfail(sc, R1_ERR_FORMAT, "type must be a name or a list of names", NULL);
    } else if (r1_json_get(schema, "properties")) {
        r1__stype(sc, &body, schema, "object");
    } else if (r1_json_get(schema, "items")) {
        r1__stype(sc, &body, schema, "array");
    } else {
        r1__sadd(sc, &body, "json-value"); /* {}: anything */
    }
    if (!sc->failed) {
        r1__sname(name, sizeof name, rule);
        r1__sadd(sc, &sc->out, name);
        r1__sadd(sc, &sc->out, " ::= ");
        r1__sadd(sc, &sc->out, body.s ? body.s : "");
        r1__sadd(sc, &sc->out, "\n");
    }
    R1_FREE(body.s);
    sc->depth--;
    return sc->failed ? -1 : rule;
}

R1_API char *r1_json_schema_to_gbnf(const char *schema, size_t len, r1_error *err) {
    r1__schema sc;
    r1_json *j;
    int top;
    memset(&sc, 0, sizeof sc);
    sc.err = err;
    if (!(j = r1_json_parse(schema, len, err))) return NULL;
    r1__sadd(&sc, &sc.out, "root ::= s1\n");
    r1__sadd(&sc, &sc.out, r1__json_gbnf_rules);
    top = r1__srule(&sc, j);
    r1_json_free(j);
    if (top < 0 || sc.failed) { R1_FREE(sc.out.s); return NULL; }
    r1__ok(err);
    return sc.out.s;
}

R1_API r1_grammar *r1_grammar_from_json_schema(const r1_tokenizer *tok, const char *schema, size_t len, r1_error *err) {
    char *gbnf = r1_json_schema_to_gbnf(schema, len, err);
    r1_grammar *g;
    if (!gbnf) return NULL;
    g = r1_grammar_new(tok, gbnf, strlen(gbnf), "root", err);
    R1_FREE(gbnf);
    return g;
}

/* ======================================================================================
   11. CHAT AND REASONING
   Chat templates are rendered natively (no Jinja): DeepSeek-R1's, recognised from the GGUF's
   tokenizer.chat_template, and ChatML for other Qwen models. Generation streams pieces marked
   as thinking or answer, can cap the thinking, and stops at EOS or a stop string.
   ====================================================================================== */

#define R1__TAG_USER "<\xef\xbd\x9cUser\xef\xbd\x9c>"
#define R1__TAG_ASSISTANT "<\xef\xbd\x9c" "Assistant\xef\xbd\x9c>"
#define R1__TAG_EOS "<\xef\xbd\x9c" "end\xe2\x96\x81of\xe2\x96\x81sentence\xef\xbd\x9c>"
#define R1__TAG_BOS "<\xef\xbd\x9c" "begin\xe2\x96\x81of\xe2\x96\x81sentence\xef\xbd\x9c>"

typedef struct r1__sbuf {
    char *out;
    unsigned char *mask;      /* when not NULL: 1 under a message's content, 0 under the template's text */
    size_t size, len;
} r1__sbuf;

static void r1__sput_as(r1__sbuf *b, const char *s, size_t n, int content) {
    if (b->out && b->len + n < b->size) memcpy(b->out + b->len, s, n);
    else if (b->out && b->len < b->size) memcpy(b->out + b->len, s, b->size - 1 - b->len);
    if (b->mask && b->len + n < b->size) memset(b->mask + b->len, content, n);
    b->len += n;
}
static void r1__sput(r1__sbuf *b, const char *s, size_t n) { r1__sput_as(b, s, n, 0); }
static void r1__sputs(r1__sbuf *b, const char *s) { r1__sput_as(b, s, strlen(s), 0); }
static void r1__sput_content(r1__sbuf *b, const char *s) { r1__sput_as(b, s, strlen(s), 1); }

static long r1__chat_render(const r1_tokenizer *t, const r1_chat_message *msgs, int n, int add_generation_prompt,
                            r1__sbuf *sb, r1_error *err);

R1_API long r1_chat_render(const r1_tokenizer *t, const r1_chat_message *msgs, int n, int add_generation_prompt,
                           char *out, size_t size, r1_error *err) {
    r1__sbuf b;
    if (!t || (n > 0 && !msgs) || n < 0 || (size > 0 && !out)) { r1__fail(err, R1_ERR_ARGUMENT, "r1_chat_render: bad arguments"); return -1; }
    b.out = size ? out : NULL;
    b.mask = NULL;
    b.size = size;
    b.len = 0;
    return r1__chat_render(t, msgs, n, add_generation_prompt, &b, err);
}

R1_API int r1_chat_tokenize(const r1_tokenizer *t, const r1_chat_message *msgs, int n, int add_generation_prompt,
                            int32_t *ids, int max_ids, r1_error *err) {
    r1__sbuf b;
    long len;
    int count;
    if (!t || (n > 0 && !msgs) || n < 0 || max_ids < 0 || (max_ids > 0 && !ids)) {
        r1__fail(err, R1_ERR_ARGUMENT, "r1_chat_tokenize: bad arguments");
        return -1;
    }
    memset(&b, 0, sizeof b);
    len = r1__chat_render(t, msgs, n, add_generation_prompt, &b, err); /* the length */
    if (len < 0) return -1;
    b.out = (char *)R1_MALLOC((size_t)len + 1);
    b.mask = (unsigned char *)R1_MALLOC((size_t)len + 1);
    b.size = (size_t)len + 1;
    b.len = 0;
    if (!b.out || !b.mask) {
        R1_FREE(b.out);
        R1_FREE(b.mask);
        r1__fail(err, R1_ERR_MEMORY, "r1_chat_tokenize: out of memory for %ld bytes", len);
        return -1;
    }
    r1__chat_render(t, msgs, n, add_generation_prompt, &b, err);
    count = r1__tokenize(t, b.out, (size_t)len, 0, b.mask, 0, ids, max_ids, err);
    R1_FREE(b.out);
    R1_FREE(b.mask);
    return count;
}

static long r1__chat_render(const r1_tokenizer *t, const r1_chat_message *msgs, int n, int add_generation_prompt,
                            r1__sbuf *sb, r1_error *err) {
    r1__sbuf b = *sb;
    int i;
    if (add_generation_prompt < R1_CHAT_NO_PROMPT || add_generation_prompt > R1_CHAT_PROMPT_NO_THINK) {
        r1__fail(err, R1_ERR_ARGUMENT, "r1_chat_render: add_generation_prompt must be 0, 1 or 2, got %d", add_generation_prompt);
        return -1;
    }
    for (i = 0; i < n; i++) {
        const char *r = msgs[i].role;
        if (!r || !msgs[i].content || (strcmp(r, "system") && strcmp(r, "user") && strcmp(r, "assistant"))) {
            r1__fail(err, R1_ERR_ARGUMENT, "r1_chat_render: message %d needs role system, user or assistant and a content", i);
            return -1;
        }
    }
    if (t->chat == R1__CHAT_CHATML) {
        for (i = 0; i < n; i++) {
            r1__sputs(&b, "<|im_start|>");
            r1__sputs(&b, msgs[i].role);
            r1__sputs(&b, "\n");
            r1__sput_content(&b, msgs[i].content);
            r1__sputs(&b, "<|im_end|>\n");
        }
        if (add_generation_prompt) r1__sputs(&b, "<|im_start|>assistant\n");
        if (add_generation_prompt == R1_CHAT_PROMPT_NO_THINK) r1__sputs(&b, "<think>\n\n</think>\n\n");
    } else {
        /* DeepSeek-R1: BOS, the (last) system prompt, then the turns; earlier answers keep
           only what follows their last </think> */
        const char *system = "";
        size_t bos_len = 0;
        const char *bos = t->bos >= 0 ? r1_token_bytes(t, t->bos, &bos_len) : "";
        for (i = 0; i < n; i++)
            if (strcmp(msgs[i].role, "system") == 0) system = msgs[i].content;
        r1__sput(&b, bos, bos_len);
        r1__sput_content(&b, system);
        for (i = 0; i < n; i++) {
            if (strcmp(msgs[i].role, "user") == 0) {
                r1__sputs(&b, R1__TAG_USER);
                r1__sput_content(&b, msgs[i].content);
            } else if (strcmp(msgs[i].role, "assistant") == 0) {
                const char *c = msgs[i].content, *p = c, *last = NULL;
                while ((p = strstr(p, "</think>")) != NULL) { last = p; p += 8; }
                r1__sputs(&b, R1__TAG_ASSISTANT);
                r1__sput_content(&b, last ? last + 8 : c);
                r1__sputs(&b, R1__TAG_EOS);
            }
        }
        if (add_generation_prompt) r1__sputs(&b, R1__TAG_ASSISTANT "<think>\n");
        if (add_generation_prompt == R1_CHAT_PROMPT_NO_THINK) r1__sputs(&b, "\n</think>\n\n"); /* an empty thought */
    }
    if (b.out) b.out[b.len < b.size ? b.len : b.size - 1] = 0;
    *sb = b;
    r1__ok(err);
    return (long)b.len;
}

/* Tokens that end a turn: EOS and the end-of-turn control tokens of the supported families. */
static int r1__is_end_of_turn(const r1_tokenizer *t, int32_t id) {
    static const char *const ends[] = { "<|im_end|>", "<|eot_id|>", "<|end_of_text|>", "<|endoftext|>", "<|EOT|>", R1__TAG_EOS };
    size_t k, len;
    const char *s;
    if (id == t->eos) return 1;
    if (!r1_token_is_control(t, id)) return 0;
    s = r1_token_bytes(t, id, &len);
    for (k = 0; k < sizeof ends / sizeof ends[0]; k++)
        if (len == strlen(ends[k]) && memcmp(s, ends[k], len) == 0) return 1;
    return 0;
}

R1_API long r1_extract_boxed(const char *text, char *out, size_t size) {
    const char *p, *last = NULL;
    long best = -1;
    if (!text || !out || size == 0) return -1;
    for (p = strstr(text, "\\boxed{"); p; p = strstr(p + 1, "\\boxed{")) last = p;
    for (p = last; p; p = NULL) { /* the last one, if its braces balance */
        const char *start = p + 7, *q = start;
        int depth = 1;
        while (*q && depth > 0) {
            if (*q == '{') depth++;
            else if (*q == '}') depth--;
            if (depth > 0) q++;
        }
        if (depth == 0 && (size_t)(q - start) < size) {
            memcpy(out, start, (size_t)(q - start));
            out[q - start] = 0;
            best = (long)(q - start);
        }
    }
    if (best < 0) out[0] = 0;
    return best;
}

R1_API r1_generate_params r1_generate_default_params(void) {
    r1_generate_params p;
    memset(&p, 0, sizeof p);
    p.n_predict = 0;
    p.think_budget = -1;
    p.think_wrapup = NULL;
    p.think_allowance = 32;
    p.stop = NULL;
    p.n_stop = 0;
    p.sampling = r1_sampler_default_params();
    p.grammar = NULL;
    p.grammar_whole = 0;
    p.loop_detect = 1;
    p.loop_action = R1_LOOP_CLOSE;
    p.spec = R1_SPEC_NONE;
    p.draft_max = 8;
    p.draft = NULL;
    return p;
}

R1_API int r1_reasoning_effort_budget(const char *effort) {
    if (!effort) return -2;
    if (strcmp(effort, "none") == 0) return 0;
    if (strcmp(effort, "low") == 0) return 1024;
    if (strcmp(effort, "medium") == 0) return 4096;
    if (strcmp(effort, "high") == 0) return 16384;
    return -2;
}

R1_API void r1_generate_result_free(r1_generate_result *r) {
    if (!r) return;
    R1_FREE(r->thinking);
    R1_FREE(r->answer);
    r->thinking = r->answer = NULL;
}

/* How much of the answer's tail might still grow into a stop string (held back from the stream). */
static size_t r1__stop_holdback(const r1__text *a, const r1_generate_params *p) {
    size_t hold = 0;
    int k;
    for (k = 0; k < p->n_stop; k++) {
        size_t sl = strlen(p->stop[k]), l;
        for (l = sl > 1 ? sl - 1 : 0; l > hold; l--)
            if (l <= a->len && memcmp(a->s + a->len - l, p->stop[k], l) == 0) { hold = l; break; }
    }
    return hold;
}

/* ---- Loop detection ------------------------------------------------------------------------
   A thought that loops repeats spans it already wrote. Each thinking token ends an n-gram of
   the last R1__LOOP_N tokens; the detector keeps the set of n-grams seen in this thought and
   flags a loop when at least R1__LOOP_SHARE of the last R1__LOOP_WINDOW tokens end an n-gram
   seen before: a verbatim repeat of a span longer than the window, or shorter spans repeated
   again and again, with a few tokens changed between copies. O(1) per token. */
#define R1__LOOP_N 8
#define R1__LOOP_WINDOW 256
#define R1__LOOP_SHARE 0.9

typedef struct r1__loop {
    uint64_t *seen;           /* open addressing set of n-gram hashes (0 = empty slot) */
    size_t cap, n_seen;
    int32_t last[R1__LOOP_N]; /* the last tokens, a ring */
    uint8_t repeat[R1__LOOP_WINDOW]; /* a ring: did token i end a known n-gram */
    int n_tokens, n_repeat;   /* tokens pushed; repeats inside the window */
} r1__loop;

static void r1__loop_free(r1__loop *d) { R1_FREE(d->seen); memset(d, 0, sizeof *d); }

/* Takes one more thinking token: 1 when the thought now loops, 0 when not, -1 out of memory. */
static int r1__loop_push(r1__loop *d, int32_t id) {
    uint64_t h = 1469598103934665603ull;
    int i, rep = 0, slot = d->n_tokens % R1__LOOP_WINDOW;
    d->last[d->n_tokens % R1__LOOP_N] = id;
    d->n_tokens++;
    if (d->n_tokens >= R1__LOOP_N) {
        size_t mask, k;
        for (i = 0; i < R1__LOOP_N; i++) h = (h ^ (uint32_t)d->last[(d->n_tokens + i) % R1__LOOP_N]) * 1099511628211ull;
        h |= 1; /* never 0 */
        if (2 * (d->n_seen + 1) > d->cap) { /* grow and rehash */
            size_t nc = d->cap ? d->cap * 2 : 1024, j;
            uint64_t *ns = (uint64_t *)r1__calloc(nc, sizeof *ns);
            if (!ns) return -1;
            for (j = 0; j < d->cap; j++)
                if (d->seen[j]) {
                    for (k = (size_t)(d->seen[j] * 0x9E3779B97F4A7C15ull >> 20) & (nc - 1); ns[k]; k = (k + 1) & (nc - 1)) {}
                    ns[k] = d->seen[j];
                }
            R1_FREE(d->seen);
            d->seen = ns;
            d->cap = nc;
        }
        mask = d->cap - 1;
        for (k = (size_t)(h * 0x9E3779B97F4A7C15ull >> 20) & mask; d->seen[k] && d->seen[k] != h; k = (k + 1) & mask) {}
        if (d->seen[k]) rep = 1;
        else { d->seen[k] = h; d->n_seen++; }
    }
    if (d->n_tokens > R1__LOOP_WINDOW) d->n_repeat -= d->repeat[slot];
    d->repeat[slot] = (uint8_t)rep;
    d->n_repeat += rep;
    return d->n_tokens >= R1__LOOP_WINDOW && d->n_repeat >= (int)(R1__LOOP_SHARE * R1__LOOP_WINDOW);
}

/* ---- Generation ---------------------------------------------------------------------------- */

#define R1__WRAP_MAX 48  /* tokens of the wrap-up sentence */
#define R1__CLOSE_MAX 16 /* tokens of "\n</think>\n\n" */
#define R1__FEED_MAX (1 + R1__WRAP_MAX + R1__CLOSE_MAX) /* tokens one step appends at most */
#define R1__DRAFT_MAX 64 /* r1_generate_params.draft_max at most */
static const char r1__default_wrapup[] = "\n\nTime is up, so I will answer now with what I have.\n";

/* One generation in progress: the state r1_generate keeps for its sequence, and
   r1_generate_batch for each of its samples. */
typedef struct r1__gen {
    r1_generate_params p;
    r1_sampler *smp;
    r1_decoder dec;
    r1__text thinking, answer;
    size_t emitted;           /* answer bytes already streamed */
    int thinking_mode;        /* inside <think> */
    int n_gen, n_think;       /* tokens sampled; tokens in the thought (the wrap-up's included) */
    int stop, done;           /* R1_STOP_*, and whether it is over */
    int32_t wrap_ids[R1__WRAP_MAX], close_ids[R1__CLOSE_MAX];
    int n_wrap, n_close;      /* the wrap-up sentence's and the closing's tokens */
    int wrapped;              /* the wrap-up went in: the model has think_allowance tokens to close */
    int wrap_now;             /* put the wrap-up in at the next step (a loop was seen) */
    r1__loop loop;
    int loop_at;              /* thought tokens when a loop was seen, -1 none */
    r1__gm gm;                /* the grammar's matcher (when p.grammar), */
    r1__gpos gpos;            /* its state, */
    int gm_ready;             /* started (for the answer: when the thought closes) */
    float *masked;            /* [n_vocab] logits of the tokens the grammar allows */
    int n_vocab;
    r1_piece_fn on_piece;
    void *user;
    /* when stepped with others (r1_generate_batch, r1_gen_step): */
    const r1_tokenizer *t;
    int seq;                  /* its sequence */
    float *logits;            /* [n_vocab] the logits it samples from next */
    r1_status status;         /* R1_OK, or what ended it */
    r1_error error;           /* and the message */
} r1__gen;

static r1_status r1__gen_init(r1__gen *g, const r1_tokenizer *t, const r1_generate_params *p, int n_vocab,
                              const int32_t *prompt, int n_prompt, r1_piece_fn on_piece, void *user, r1_error *err) {
    r1_error local; /* the callee's code, whether or not the caller wants the message */
    r1_error *e = err ? err : &local;
    const char *wrap = p->think_wrapup ? p->think_wrapup : r1__default_wrapup;
    int i;
    memset(g, 0, sizeof *g);
    g->p = *p;
    g->stop = R1_STOP_LENGTH;
    g->loop_at = -1;
    g->n_vocab = n_vocab;
    g->on_piece = on_piece;
    g->user = user;
    for (i = 0; i < n_prompt; i++) { /* thinking when the prompt opened <think> and did not close it */
        if (prompt[i] == t->think_open) g->thinking_mode = 1;
        else if (prompt[i] == t->think_close) g->thinking_mode = 0;
    }
    if ((g->n_close = r1_tokenize(t, "\n</think>\n\n", 11, 0, g->close_ids, R1__CLOSE_MAX, e)) < 0) return e->code;
    if (g->n_close > R1__CLOSE_MAX) return r1__fail(err, R1_ERR_ARGUMENT, "generate: the thought's closing tokens do not fit");
    if ((g->n_wrap = r1_tokenize_plain(t, wrap, strlen(wrap), 0, g->wrap_ids, R1__WRAP_MAX, e)) < 0) return e->code;
    if (g->n_wrap > R1__WRAP_MAX) return r1__fail(err, R1_ERR_ARGUMENT, "generate: think_wrapup is %d tokens, at most %d", g->n_wrap, R1__WRAP_MAX);
    if (p->grammar) {
        if (p->grammar->tok != t) return r1__fail(err, R1_ERR_ARGUMENT, "generate: the grammar was made for another tokenizer (or none)");
        if (!(g->masked = (float *)R1_MALLOC((size_t)n_vocab * sizeof(float)))) return r1__fail(err, R1_ERR_MEMORY, "out of memory");
    }
    g->smp = r1_sampler_new(&p->sampling, n_vocab, e);
    if (!g->smp) return e->code;
    for (i = 0; i < n_prompt; i++) r1_sampler_accept(g->smp, prompt[i]);
    return R1_OK;
}

/* Appends text to the thinking and streams it. 0: the callback asked to stop. */
static int r1__gen_think_text(r1__gen *g, const char *s, size_t len, r1_error *err, r1_status *st) {
    if (!r1__text_add(&g->thinking, s, len)) { *st = r1__fail(err, R1_ERR_MEMORY, "out of memory"); return 0; }
    if (len && g->on_piece && g->on_piece(g->user, s, len, R1_PIECE_THINKING)) { g->stop = R1_STOP_CALLBACK; g->done = 1; return 0; }
    return 1;
}

/* The answer's new text: stop strings cut it, the part that cannot start one is streamed. */
static r1_status r1__gen_answer_text(r1__gen *g, const char *s, size_t len, r1_error *err) {
    r1__text *a = &g->answer;
    int hit = 0, k;
    size_t hold, cut = (size_t)-1;
    if (a->len == 0) while (len > 0 && r1__is_blank((unsigned char)*s)) { s++; len--; } /* after </think> */
    if (!r1__text_add(a, s, len)) return r1__fail(err, R1_ERR_MEMORY, "out of memory");
    for (k = 0; k < g->p.n_stop; k++) { /* a stop string ends the answer before it */
        const char *f = strstr(a->s + (g->emitted > 64 ? g->emitted - 64 : 0), g->p.stop[k]);
        if (f && (size_t)(f - a->s) < cut) { cut = (size_t)(f - a->s); hit = 1; }
    }
    if (hit) { a->len = cut; a->s[cut] = 0; }
    hold = hit ? 0 : r1__stop_holdback(a, &g->p);
    if (a->len - hold > g->emitted) {
        int halt = g->on_piece && g->on_piece(g->user, a->s + g->emitted, a->len - hold - g->emitted, R1_PIECE_ANSWER);
        g->emitted = a->len - hold;
        if (halt) { g->stop = R1_STOP_CALLBACK; g->done = 1; return R1_OK; }
    }
    if (hit) { g->stop = R1_STOP_STRING; g->done = 1; }
    return R1_OK;
}

/* Draws the next token, under the grammar when it applies: the drawn token if the grammar
   allows it, else a draw among the allowed ones (a refused draw is rare once the model
   follows the format, so the full mask is seldom built). -1 with *st set on failure. */
static int32_t r1__gen_draw(r1__gen *g, const r1_tokenizer *t, const float *logits, r1_error *err, r1_status *st) {
    int32_t id;
    int complete, ok;
    if (!g->p.grammar || (g->thinking_mode && !g->p.grammar_whole)) return r1_sampler_sample(g->smp, logits);
    if (!g->gm_ready) {
        /* an answer may start with the blank line that follows </think> (a few characters) */
        if (!r1__gm_init(&g->gm, g->p.grammar, g->p.grammar_whole ? 0 : 4, &g->gpos)) {
            *st = r1__fail(err, R1_ERR_MEMORY, "grammar: out of memory");
            return -1;
        }
        g->gm_ready = 1;
    }
    complete = r1__gm_complete(&g->gm, &g->gpos);
    if (complete && g->gpos.len == 1) return t->eos >= 0 ? t->eos : -1; /* nothing can follow: the answer is done */
    id = r1_sampler_sample(g->smp, logits);
    ok = r1__is_end_of_turn(t, id) ? complete : r1__gm_token_ok(&g->gm, &g->gpos, t, id);
    if (!ok) {
        int32_t n_ok = r1__gm_mask(&g->gm, &g->gpos, logits, g->masked, g->n_vocab), k;
        if (complete)
            for (k = 0; k < g->p.grammar->n_ends; k++) {
                g->masked[g->p.grammar->ends[k]] = logits[g->p.grammar->ends[k]];
                n_ok++;
            }
        if (g->gm.failed) { *st = r1__fail(err, R1_ERR_UNSUPPORTED, "grammar: too ambiguous (more than 2^22 parse states)"); return -1; }
        if (n_ok == 0) { *st = r1__fail(err, R1_ERR_UNSUPPORTED, "grammar: no token of the vocabulary can continue the answer"); return -1; }
        id = r1_sampler_sample(g->smp, g->masked);
    }
    if (!r1__is_end_of_turn(t, id)) {
        size_t n;
        const char *s = r1_token_bytes(t, id, &n);
        if (!r1__gm_commit(&g->gm, &g->gpos, (const unsigned char *)s, n)) {
            *st = r1__fail(err, g->gm.failed ? R1_ERR_UNSUPPORTED : R1_ERR_ARGUMENT, "grammar: the drawn token does not fit (too ambiguous?)");
            return -1;
        }
    }
    return id;
}

/* One step: either tokens the runtime puts into the thought (the closing when the budget is
   spent, the wrap-up sentence when it is near or a loop was seen), or one sampled token,
   taken in. Puts the tokens to append to the sequence in feed, or sets g->done. */
static r1_status r1__gen_step(r1__gen *g, const r1_tokenizer *t, const float *logits, int room, int32_t *feed, int *n_feed,
                              r1_error *err) {
    int32_t id;
    size_t len;
    int i, budget = g->p.think_budget, allowance = g->p.think_allowance > 0 ? g->p.think_allowance : 0;
    r1_status st = R1_OK;
    char piece[4096];
    *n_feed = 0;
    if (g->p.n_predict > 0 && g->n_gen >= g->p.n_predict) { g->stop = R1_STOP_LENGTH; g->done = 1; return R1_OK; }
    if (room <= 0) { g->stop = R1_STOP_CONTEXT; g->done = 1; return R1_OK; }
    if (g->thinking_mode && budget >= 0 && g->n_think >= budget) {
        /* out of thinking budget: close the thought as the model would, then answer */
        if (g->n_close > room) { g->stop = R1_STOP_CONTEXT; g->done = 1; return R1_OK; }
        for (i = 0; i < g->n_close; i++) { feed[(*n_feed)++] = g->close_ids[i]; r1_sampler_accept(g->smp, g->close_ids[i]); }
        g->thinking_mode = 0;
        return R1_OK;
    }
    if (g->thinking_mode && !g->wrapped && g->n_wrap > 0 &&
        (g->wrap_now || (budget >= 0 && g->n_think + g->n_wrap + allowance >= budget && g->n_think + g->n_wrap <= budget))) {
        /* the budget is near (or the thought loops): tell the model to wrap up, in its own thought */
        if (g->n_wrap > room) { g->stop = R1_STOP_CONTEXT; g->done = 1; return R1_OK; }
        for (i = 0; i < g->n_wrap; i++) { feed[(*n_feed)++] = g->wrap_ids[i]; r1_sampler_accept(g->smp, g->wrap_ids[i]); }
        g->n_think += g->n_wrap;
        g->wrapped = 1;
        if (g->wrap_now && (budget < 0 || g->n_think + allowance < budget))
            g->p.think_budget = g->n_think + allowance; /* a loop: close soon if the model does not */
        g->wrap_now = 0;
        r1__gen_think_text(g, g->p.think_wrapup ? g->p.think_wrapup : r1__default_wrapup,
                           strlen(g->p.think_wrapup ? g->p.think_wrapup : r1__default_wrapup), err, &st);
        return st;
    }
    id = r1__gen_draw(g, t, logits, err, &st);
    if (st != R1_OK) return st;
    g->n_gen++;
    if (id < 0 || r1__is_end_of_turn(t, id)) { g->stop = R1_STOP_EOS; g->done = 1; return R1_OK; }
    r1_sampler_accept(g->smp, id);
    if (id == t->think_open || id == t->think_close) {
        g->thinking_mode = id == t->think_open;
    } else {
        len = r1_decoder_push(&g->dec, t, id, piece, sizeof piece);
        if (g->thinking_mode) {
            g->n_think++;
            if (!r1__gen_think_text(g, piece, len, err, &st)) return st;
            if (g->p.loop_detect && g->loop_at < 0) {
                int loop = r1__loop_push(&g->loop, id);
                if (loop < 0) return r1__fail(err, R1_ERR_MEMORY, "out of memory");
                if (loop) {
                    g->loop_at = g->n_think;
                    if (g->p.loop_action == R1_LOOP_STOP) { g->stop = R1_STOP_LOOP; g->done = 1; return R1_OK; }
                    if (g->p.loop_action == R1_LOOP_PENALIZE) {
                        g->smp->p.repeat_penalty = g->smp->p.repeat_penalty < 1.0f ? 1.3f : g->smp->p.repeat_penalty * 1.3f;
                    } else if (g->n_wrap > 0 && !g->wrapped) {
                        g->wrap_now = 1;
                    } else { /* no wrap-up sentence, or it is in already: close now */
                        g->p.think_budget = g->n_think;
                    }
                }
            }
        } else {
            if ((st = r1__gen_answer_text(g, piece, len, err)) != R1_OK || g->done) return st;
        }
    }
    feed[(*n_feed)++] = id;
    return R1_OK;
}

/* What the decoder still holds and the held-back answer tail; then the result. */
static r1_status r1__gen_finish(r1__gen *g, r1_status st, r1_generate_result *res, r1_error *err) {
    char piece[16];
    size_t len = r1_decoder_flush(&g->dec, piece, sizeof piece);
    if (st == R1_OK && len && !r1__text_add(g->thinking_mode ? &g->thinking : &g->answer, piece, len))
        st = r1__fail(err, R1_ERR_MEMORY, "out of memory");
    if (st == R1_OK && !g->thinking_mode && g->answer.len > g->emitted && g->on_piece && g->stop != R1_STOP_CALLBACK)
        g->on_piece(g->user, g->answer.s + g->emitted, g->answer.len - g->emitted, R1_PIECE_ANSWER);
    r1_sampler_free(g->smp);
    g->smp = NULL;
    r1__loop_free(&g->loop);
    r1__gm_free(&g->gm);
    R1_FREE(g->masked);
    g->masked = NULL;
    if (st == R1_ERR_ABORTED) g->stop = R1_STOP_ABORTED;
    if ((st == R1_OK || st == R1_ERR_ABORTED) && res) {
        res->thinking = g->thinking.s ? g->thinking.s : (char *)r1__calloc(1, 1);
        res->answer = g->answer.s ? g->answer.s : (char *)r1__calloc(1, 1);
        res->n_tokens = g->n_gen;
        res->n_thinking_tokens = g->n_think;
        res->stop_reason = g->stop;
        res->loop_at = g->loop_at;
        if (!res->thinking || !res->answer) {
            R1_FREE(res->thinking); R1_FREE(res->answer);
            res->thinking = res->answer = NULL;
            return r1__fail(err, R1_ERR_MEMORY, "out of memory");
        }
    } else {
        R1_FREE(g->thinking.s);
        R1_FREE(g->answer.s);
    }
    return st;
}

static r1_status r1__generate_check(const r1_context *ctx, const r1_tokenizer *t, const int32_t *prompt, int n_prompt,
                                    const r1_generate_params *p, const char *fn, r1_error *err) {
    int k;
    if (!ctx || !t || n_prompt < 0 || (n_prompt > 0 && !prompt) || p->n_predict < 0 || p->n_stop < 0 || (p->n_stop > 0 && !p->stop))
        return r1__fail(err, R1_ERR_ARGUMENT, "%s: bad arguments", fn);
    for (k = 0; k < p->n_stop; k++)
        if (!p->stop[k] || !p->stop[k][0]) return r1__fail(err, R1_ERR_ARGUMENT, "%s: empty stop string", fn);
    if (p->loop_action < R1_LOOP_CLOSE || p->loop_action > R1_LOOP_STOP)
        return r1__fail(err, R1_ERR_ARGUMENT, "%s: loop_action must be R1_LOOP_CLOSE, R1_LOOP_PENALIZE or R1_LOOP_STOP", fn);
    if (p->spec < R1_SPEC_NONE || p->spec > R1_SPEC_DRAFT || (p->spec && (p->draft_max < 1 || p->draft_max > R1__DRAFT_MAX)))
        return r1__fail(err, R1_ERR_ARGUMENT, "%s: spec must be R1_SPEC_NONE, R1_SPEC_LOOKUP or R1_SPEC_DRAFT, with draft_max in 1..%d",
                        fn, R1__DRAFT_MAX);
    if (p->spec == R1_SPEC_DRAFT && (!p->draft || p->draft == ctx))
        return r1__fail(err, R1_ERR_ARGUMENT, "%s: R1_SPEC_DRAFT needs a draft context of its own", fn);
    if (p->spec == R1_SPEC_DRAFT && p->draft->model->n_vocab != ctx->model->n_vocab)
        return r1__fail(err, R1_ERR_ARGUMENT, "%s: the draft model has %d tokens, the model %d: they must share one vocabulary", fn,
                        p->draft->model->n_vocab, ctx->model->n_vocab);
    if (n_prompt == 0 && ctx->seq_len[0] == 0) return r1__fail(err, R1_ERR_ARGUMENT, "%s: nothing to continue from", fn);
    if (r1_tokenizer_n_tokens(t) > ctx->model->n_vocab) return r1__fail(err, R1_ERR_ARGUMENT, "%s: tokenizer does not fit the model", fn);
    return R1_OK;
}

/* ---- Prompt lookup (speculative decoding) --------------------------------------------------
   Reasoning repeats itself: numbers, names, whole expressions copied into the next line. The
   draft is what followed the last R1__LOOKUP_N tokens the latest time they occurred before in
   the sequence. An index from each n-gram to the position after its latest occurrence keeps
   every lookup and every new token O(1), however long the sequence grows. */
#define R1__LOOKUP_N 3

typedef struct r1__lookup {
    int32_t *toks;            /* the sequence's tokens (only those taken: drafts are not) */
    int n, cap;
    int32_t *slot;            /* open addressing: position after an n-gram + 1, 0 = empty */
    size_t n_slots;           /* a power of two, at least twice the n-grams held */
    size_t n_used;
} r1__lookup;

static size_t r1__lookup_hash(const int32_t *gram) {
    uint64_t h = 0x9E3779B97F4A7C15ull;
    int i;
    for (i = 0; i < R1__LOOKUP_N; i++) h = (h ^ (uint32_t)gram[i]) * 0xBF58476D1CE4E5B9ull;
    return (size_t)(h ^ (h >> 31));
}

/* The slot of the n-gram at gram (tokens gram[0..N)): where it is, or the empty one it would take. */
static size_t r1__lookup_find(const r1__lookup *lk, const int32_t *gram) {
    size_t mask = lk->n_slots - 1, k = r1__lookup_hash(gram) & mask;
    while (lk->slot[k]) {
        int pos = lk->slot[k] - 1;
        if (memcmp(lk->toks + pos - R1__LOOKUP_N, gram, sizeof(int32_t) * R1__LOOKUP_N) == 0) break;
        k = (k + 1) & mask;
    }
    return k;
}

/* Takes one token in: the n-gram before it now points here. 0: out of memory. */
static int r1__lookup_push(r1__lookup *lk, int32_t id) {
    if (lk->n == lk->cap) {
        int cap = lk->cap ? 2 * lk->cap : 1024;
        int32_t *t = (int32_t *)R1_REALLOC(lk->toks, sizeof(int32_t) * (size_t)cap);
        if (!t) return 0;
        lk->toks = t;
        lk->cap = cap;
    }
    lk->toks[lk->n++] = id;
    if (lk->n <= R1__LOOKUP_N) return 1;
    if (2 * (lk->n_used + 1) > lk->n_slots) { /* grow and re-insert every n-gram's latest position */
        size_t ns = lk->n_slots ? 2 * lk->n_slots : 4096, k;
        int32_t *old = lk->slot;
        size_t old_n = lk->n_slots;
        if (!(lk->slot = (int32_t *)r1__calloc(ns, sizeof(int32_t)))) { lk->slot = old; return 0; }
        lk->n_slots = ns;
        for (k = 0; k < old_n; k++)
            if (old[k]) lk->slot[r1__lookup_find(lk, lk->toks + old[k] - 1 - R1__LOOKUP_N)] = old[k];
        R1_FREE(old);
    }
    {
        size_t k = r1__lookup_find(lk, lk->toks + lk->n - 1 - R1__LOOKUP_N);
        if (!lk->slot[k]) lk->n_used++;
        lk->slot[k] = lk->n; /* the position after the n-gram (n - 1), plus one */
    }
    return 1;
}

/* Up to max tokens that followed the last n-gram's latest earlier occurrence; 0 when none. */
static int r1__lookup_draft(const r1__lookup *lk, int32_t *draft, int max) {
    size_t k;
    int pos, n = 0;
    if (lk->n < R1__LOOKUP_N || !lk->n_slots || max <= 0) return 0;
    k = r1__lookup_find(lk, lk->toks + lk->n - R1__LOOKUP_N);
    if (!lk->slot[k]) return 0;
    for (pos = lk->slot[k] - 1; pos < lk->n && n < max; pos++) draft[n++] = lk->toks[pos];
    return n;
}

static void r1__lookup_free(r1__lookup *lk) {
    R1_FREE(lk->toks);
    R1_FREE(lk->slot);
    memset(lk, 0, sizeof *lk);
}

/* R1_SPEC_DRAFT's drafting. toks[0..n) is the sequence: what the main context holds, then the
   token about to be fed (the lookup's token list). The draft context d holds a prefix of it (what
   the main context held after an earlier round, plus the draft's own guesses): it drops its
   guesses past toks[0..n - 1), takes in the rest, then continues greedily for up to max tokens.
   *n_out = 0 where max < 1 or the draft context has no room left (plain decoding from there). */
static r1_status r1__draft_tokens(r1_context *d, const int32_t *toks, int n, int32_t *draft, int max, int *n_out, r1_error *err) {
    r1_status st;
    int i;
    *n_out = 0;
    if (max < 1) return R1_OK;
    if (d->seq_len[0] > n - 1) r1_seq_truncate(d, 0, n - 1);
    if (n - d->seq_len[0] + max > d->n_free) return R1_OK;
    st = r1__eval_seq(d, 0, toks + d->seq_len[0], n - d->seq_len[0], NULL, err);
    for (i = 0; i < max && st == R1_OK; i++) {
        draft[i] = r1_argmax(d->logits, d->model->n_vocab);
        if (i + 1 < max) st = r1__eval_seq(d, 0, &draft[i], 1, NULL, err);
    }
    if (st == R1_OK) *n_out = max;
    return st;
}

/* r1_generate with a draft: the sampled token and up to draft_max drafted ones go through the
   model in one pass (every position's logits); then the generation steps through those logits
   as plain decoding would, one position at a time, while what it takes equals the draft. At the
   first difference (or the end) the cache drops the rows past what was taken, and the token it
   took instead goes in with the next pass. Batched logits are bit-identical to one token at a
   time, and the room each step sees is what plain decoding's would be, so every step gets the
   inputs plain decoding gives it: the output is the same, whatever the sampling. */
static r1_status r1__generate_spec(r1_context *ctx, const r1_tokenizer *t, r1__gen *g, r1_generate_result *counts,
                                   r1_error *err) {
    size_t n_vocab = (size_t)ctx->model->n_vocab;
    int32_t feed[R1__FEED_MAX], batch[1 + R1__DRAFT_MAX];
    float *all = (float *)R1_MALLOC(sizeof(float) * n_vocab * (size_t)(1 + g->p.draft_max));
    r1__lookup lk;
    r1_status st = R1_OK;
    int n_feed = 0, i, n_seq = ctx->seq_len[0];
    int want = g->p.draft_max; /* the next draft's length: halved after a miss, doubled after a full hit */
    memset(&lk, 0, sizeof lk);
    if (!all) return r1__fail(err, R1_ERR_MEMORY, "out of memory");
    for (i = 0; i < n_seq && st == R1_OK; i++) /* the tokens the sequence holds */
        if (!r1__lookup_push(&lk, ctx->row_token[ctx->seq_rows[i]])) st = r1__fail(err, R1_ERR_MEMORY, "out of memory");
    if (st == R1_OK) st = r1__gen_step(g, t, ctx->logits, ctx->n_free, feed, &n_feed, err);
    while (st == R1_OK && !g->done) {
        int n_draft = 0, base, j;
        for (i = 0; i < n_feed; i++)
            if (!r1__lookup_push(&lk, feed[i])) { st = r1__fail(err, R1_ERR_MEMORY, "out of memory"); break; }
        if (st != R1_OK) break;
        if (n_feed == 1 && g->p.spec == R1_SPEC_LOOKUP)
            n_draft = r1__lookup_draft(&lk, batch + 1, want < ctx->n_free - 1 ? want : ctx->n_free - 1);
        else if (n_feed == 1 &&
                 (st = r1__draft_tokens(g->p.draft, lk.toks, lk.n, batch + 1, want < ctx->n_free - 1 ? want : ctx->n_free - 1, &n_draft,
                                        err)) != R1_OK)
            break;
        if (n_draft == 0) { /* nothing to draft: one plain step */
            if ((st = r1__eval_seq(ctx, 0, feed, n_feed, NULL, err)) != R1_OK) break;
            st = r1__gen_step(g, t, ctx->logits, ctx->n_free, feed, &n_feed, err);
            continue;
        }
        batch[0] = feed[0];
        base = ctx->seq_len[0];
        if ((st = r1__eval_seq(ctx, 0, batch, 1 + n_draft, all, err)) != R1_OK) break;
        counts->n_drafted += n_draft;
        for (j = 0; j <= n_draft; j++) {
            /* the logits after batch[0..j]; plain decoding would hold n_draft - j rows fewer */
            st = r1__gen_step(g, t, all + (size_t)j * n_vocab, ctx->n_free + n_draft - j, feed, &n_feed, err);
            if (st != R1_OK || g->done || j == n_draft || n_feed != 1 || feed[0] != batch[1 + j]) break;
            counts->n_accepted++;
            if (!r1__lookup_push(&lk, feed[0])) { st = r1__fail(err, R1_ERR_MEMORY, "out of memory"); break; }
        }
        if (j < n_draft) r1_seq_truncate(ctx, 0, base + 1 + j); /* drop the rows past what was taken */
        want = j == n_draft ? (2 * want < g->p.draft_max ? 2 * want : g->p.draft_max) : (want / 2 > j + 1 ? want / 2 : j + 1);
    }
    R1_FREE(all);
    r1__lookup_free(&lk);
    return st;
}

R1_API r1_status r1_generate(r1_context *ctx, const r1_tokenizer *t, const int32_t *prompt, int n_prompt,
                             const r1_generate_params *params, r1_piece_fn on_piece, void *user,
                             r1_generate_result *res, r1_error *err) {
    r1_generate_params p = params ? *params : r1_generate_default_params();
    r1__gen g;
    r1_status st;
    int32_t feed[R1__FEED_MAX];
    int n_feed;
    if (res) memset(res, 0, sizeof *res);
    if ((st = r1__generate_check(ctx, t, prompt, n_prompt, &p, "r1_generate", err)) != R1_OK) return st;
    if ((st = r1__gen_init(&g, t, &p, ctx->model->n_vocab, prompt, n_prompt, on_piece, user, err)) != R1_OK) {
        r1__gen_finish(&g, st, NULL, NULL);
        return st;
    }
    r1__abort_take(&ctx->abort_requested); /* raised while nothing ran: dropped */
    if (n_prompt > 0) st = r1__eval_seq(ctx, 0, prompt, n_prompt, NULL, err);
    if (p.spec == R1_SPEC_DRAFT) r1_context_reset(p.draft);
    if (p.spec != R1_SPEC_NONE && st == R1_OK) {
        r1_generate_result counts;
        memset(&counts, 0, sizeof counts);
        st = r1__generate_spec(ctx, t, &g, &counts, err);
        st = r1__gen_finish(&g, st, res, err);
        if (res && (st == R1_OK || st == R1_ERR_ABORTED)) { res->n_drafted = counts.n_drafted; res->n_accepted = counts.n_accepted; }
        if (st == R1_OK) r1__ok(err);
        return st;
    }
    while (st == R1_OK) {
        st = r1__gen_step(&g, t, ctx->logits, ctx->n_free, feed, &n_feed, err);
        if (st != R1_OK || g.done) break;
        st = r1__eval_seq(ctx, 0, feed, n_feed, NULL, err);
    }
    st = r1__gen_finish(&g, st, res, err);
    if (st == R1_OK) r1__ok(err);
    return st;
}

/* Room in the context's step lists for n generations. */
static r1_status r1__step_reserve(r1_context *c, int n, r1_error *err) {
    size_t n_vocab = (size_t)c->model->n_vocab;
    int cap = c->step_cap;
    if (n <= cap) return R1_OK;
    while (cap < n) cap = cap ? 2 * cap : 8;
    R1_FREE(c->step_tok); R1_FREE(c->step_seq); R1_FREE(c->step_who); R1_FREE(c->step_logits);
    c->step_tok = (int32_t *)r1__calloc((size_t)cap * R1__FEED_MAX, sizeof(int32_t));
    c->step_seq = (int *)r1__calloc((size_t)cap * R1__FEED_MAX, sizeof(int));
    c->step_who = (int *)r1__calloc((size_t)cap, sizeof(int));
    c->step_logits = (float *)r1__calloc((size_t)cap * n_vocab, sizeof(float));
    if (!c->step_tok || !c->step_seq || !c->step_who || !c->step_logits) {
        R1_FREE(c->step_tok); R1_FREE(c->step_seq); R1_FREE(c->step_who); R1_FREE(c->step_logits);
        c->step_tok = NULL; c->step_seq = NULL; c->step_who = NULL; c->step_logits = NULL;
        c->step_cap = 0;
        return r1__fail(err, R1_ERR_MEMORY, "out of memory");
    }
    c->step_cap = cap;
    return R1_OK;
}

/* One step of several generations, each on its own sequence: every one not done takes its next
   tokens (from its own logits); then one pass appends the tokens the runtime put in before each
   one's last (no logits needed) and one more the last tokens, whose logits go back to each
   generation. A generation's own failure ends it alone (its status). */
static r1_status r1__gens_step(r1_context *c, r1__gen *const *gens, int n, r1_error *err) {
    int32_t feed[R1__FEED_MAX];
    int i, k, nf, n_live = 0, n_pre = 0, n_fin = 0, room;
    int32_t *pre, *fin;
    int *pre_seqs, *fin_seqs;
    size_t n_vocab = (size_t)c->model->n_vocab;
    r1_status st;
    for (i = 0; i < n; i++) n_live += !gens[i]->done;
    if (n_live == 0) return R1_OK;
    if ((st = r1__step_reserve(c, n_live, err)) != R1_OK) return st;
    fin = c->step_tok;              /* the last tokens first, then the ones before them */
    fin_seqs = c->step_seq;
    pre = c->step_tok + n_live;
    pre_seqs = c->step_seq + n_live;
    room = c->n_free / n_live;      /* an even share of the free rows: none can starve the others */
    for (i = 0; i < n; i++) {
        r1__gen *g = gens[i];
        if (g->done) continue;
        st = r1__gen_step(g, g->t, g->logits, room, feed, &nf, &g->error);
        if (st != R1_OK) { g->status = st; g->done = 1; continue; }
        if (g->done) continue;
        for (k = 0; k < nf - 1; k++) { pre[n_pre] = feed[k]; pre_seqs[n_pre++] = g->seq; }
        fin[n_fin] = feed[nf - 1];
        fin_seqs[n_fin] = g->seq;
        c->step_who[n_fin++] = i;
    }
    if (n_fin == 0) return R1_OK;
    if (n_pre > 0 && (st = r1__decode_batch(c, pre, pre_seqs, n_pre, NULL, err)) != R1_OK) return st;
    if ((st = r1__decode_batch(c, fin, fin_seqs, n_fin, c->step_logits, err)) != R1_OK) return st;
    for (k = 0; k < n_fin; k++) memcpy(gens[c->step_who[k]]->logits, c->step_logits + (size_t)k * n_vocab, n_vocab * sizeof(float));
    return R1_OK;
}

R1_API r1_status r1_generate_batch(r1_context *ctx, const r1_tokenizer *t, const int32_t *prompt, int n_prompt, int n_samples,
                                   const r1_generate_params *params, r1_generate_result *results, r1_error *err) {
    r1_generate_params p = params ? *params : r1_generate_default_params();
    r1__gen *gens = NULL, **live = NULL;
    int s, n_vocab, n_init = 0;
    float *logits = NULL;
    r1_status st;
    if ((st = r1__generate_check(ctx, t, prompt, n_prompt, &p, "r1_generate_batch", err)) != R1_OK) return st;
    if (!results || n_samples < 1 || n_samples > ctx->n_seq)
        return r1__fail(err, R1_ERR_ARGUMENT, "r1_generate_batch: n_samples must be in [1, n_seq = %d], got %d", ctx->n_seq, n_samples);
    memset(results, 0, (size_t)n_samples * sizeof *results);
    n_vocab = ctx->model->n_vocab;
    gens = (r1__gen *)r1__calloc((size_t)n_samples, sizeof *gens);
    live = (r1__gen **)r1__calloc((size_t)n_samples, sizeof *live);
    logits = (float *)r1__calloc((size_t)n_samples * (size_t)n_vocab, sizeof *logits);
    if (!gens || !live || !logits) { st = r1__fail(err, R1_ERR_MEMORY, "out of memory"); goto done; }
    for (s = 0; s < n_samples && st == R1_OK; s++, n_init++) {
        r1_generate_params ps = p;
        ps.sampling.seed = p.sampling.seed + (uint64_t)s; /* sample s draws from seed + s */
        st = r1__gen_init(&gens[s], t, &ps, n_vocab, prompt, n_prompt, NULL, NULL, err);
        gens[s].t = t;
        gens[s].seq = s;
        gens[s].logits = logits + (size_t)s * n_vocab;
        live[s] = &gens[s];
    }
    if (st != R1_OK) goto finish;
    /* the prompt once, in sequence 0; every other sample starts as a fork sharing its cache */
    r1__abort_take(&ctx->abort_requested); /* raised while nothing ran: dropped */
    if (n_prompt > 0 && (st = r1__eval_seq(ctx, 0, prompt, n_prompt, NULL, err)) != R1_OK) goto finish;
    for (s = 1; s < n_samples; s++) r1_seq_fork(ctx, s, 0, NULL);
    for (s = 0; s < n_samples; s++) memcpy(gens[s].logits, ctx->logits, (size_t)n_vocab * sizeof(float));
    for (;;) {
        int n_live = 0;
        if ((st = r1__gens_step(ctx, live, n_samples, err)) != R1_OK) goto finish;
        for (s = 0; s < n_samples; s++) {
            if (gens[s].status != R1_OK) { /* one sample's failure fails the call */
                st = gens[s].status;
                if (err) *err = gens[s].error;
                goto finish;
            }
            n_live += !gens[s].done;
        }
        if (n_live == 0) break;
    }
finish:
    for (s = 0; s < n_init; s++) {
        r1_status fs = r1__gen_finish(&gens[s], st, &results[s], err);
        if (st == R1_OK) st = fs;
    }
    if (st != R1_OK && st != R1_ERR_ABORTED) /* aborted: what each sample wrote is kept */
        for (s = 0; s < n_samples; s++) r1_generate_result_free(&results[s]);
done:
    R1_FREE(gens); R1_FREE(live); R1_FREE(logits);
    if (st == R1_OK) r1__ok(err);
    return st;
}

/* ---- Generations stepped by the caller ---- */
struct r1_gen {
    r1__gen g;                /* the generation (its own logits row) */
    r1_context *ctx;          /* the context its sequence is in */
};

R1_API r1_gen *r1_gen_new(r1_context *ctx, const r1_tokenizer *t, int seq, const int32_t *prompt, int n_prompt,
                          const r1_generate_params *params, r1_piece_fn on_piece, void *user, r1_error *err) {
    r1_generate_params p = params ? *params : r1_generate_default_params();
    r1_gen *x;
    r1_status st;
    if (!ctx || !t || seq < 0 || seq >= ctx->n_seq || n_prompt < 0 || (n_prompt > 0 && !prompt)) {
        r1__fail(err, R1_ERR_ARGUMENT, "r1_gen_new: bad arguments");
        return NULL;
    }
    if (ctx->seq_len[seq] == 0) { r1__fail(err, R1_ERR_ARGUMENT, "r1_gen_new: sequence %d holds no prompt", seq); return NULL; }
    if (r1__generate_check(ctx, t, prompt, n_prompt, &p, "r1_gen_new", err) != R1_OK) return NULL;
    x = (r1_gen *)r1__calloc(1, sizeof *x);
    if (!x || !(x->g.logits = (float *)R1_MALLOC((size_t)ctx->model->n_vocab * sizeof(float)))) {
        R1_FREE(x);
        r1__fail(err, R1_ERR_MEMORY, "out of memory");
        return NULL;
    }
    {
        float *logits = x->g.logits;
        st = r1__gen_init(&x->g, t, &p, ctx->model->n_vocab, prompt, n_prompt, on_piece, user, err);
        x->g.logits = logits; /* init clears the struct */
    }
    x->ctx = ctx;
    x->g.t = t;
    x->g.seq = seq;
    if (st != R1_OK) {
        r1__gen_finish(&x->g, st, NULL, NULL);
        R1_FREE(x->g.logits);
        R1_FREE(x);
        return NULL;
    }
    memcpy(x->g.logits, ctx->logits, (size_t)ctx->model->n_vocab * sizeof(float));
    r1__ok(err);
    return x;
}

R1_API r1_status r1_gen_step(r1_context *ctx, r1_gen *const *gens, int n, r1_error *err) {
    r1__gen *one[64] = { NULL }, **list = one;
    r1_status st;
    int i;
    if (!ctx || n < 0 || (n > 0 && !gens)) return r1__fail(err, R1_ERR_ARGUMENT, "r1_gen_step: bad arguments");
    for (i = 0; i < n; i++)
        if (!gens[i] || gens[i]->ctx != ctx) return r1__fail(err, R1_ERR_ARGUMENT, "r1_gen_step: generation %d is NULL or of another context", i);
    if (n > 64 && !(list = (r1__gen **)r1__calloc((size_t)n, sizeof *list))) return r1__fail(err, R1_ERR_MEMORY, "out of memory");
    for (i = 0; i < n; i++) list[i] = &gens[i]->g;
    r1__abort_take(&ctx->abort_requested); /* raised while nothing ran: dropped */
    st = r1__gens_step(ctx, list, n, err);
    if (list != one) R1_FREE(list);
    if (st == R1_OK) r1__ok(err);
    return st;
}

R1_API int r1_gen_done(const r1_gen *g) { return !g || g->g.done; }
R1_API int r1_gen_seq(const r1_gen *g) { return g ? g->g.seq : -1; }
R1_API int r1_gen_n_tokens(const r1_gen *g) { return g ? g->g.n_gen : 0; }
R1_API int r1_gen_n_thinking(const r1_gen *g) { return g ? g->g.n_think : 0; }

R1_API r1_status r1_gen_finish(r1_gen *g, r1_generate_result *res, r1_error *err) {
    r1_status st;
    if (res) memset(res, 0, sizeof *res);
    if (!g) return r1__fail(err, R1_ERR_ARGUMENT, "r1_gen_finish: generation is NULL");
    if (g->g.status != R1_OK && err) *err = g->g.error;
    if (!g->g.done) g->g.stop = R1_STOP_CALLBACK; /* ended by the caller */
    st = r1__gen_finish(&g->g, g->g.status, res, err);
    R1_FREE(g->g.logits);
    R1_FREE(g);
    if (st == R1_OK) r1__ok(err);
    return st;
}

#endif /* R1_IMPLEMENTATION_DONE */
#endif /* R1_IMPLEMENTATION */

/* ======================================================================================
   12. KERNEL BODIES, COMPILED ONCE PER ISA
   Section 5b includes this file again (R1_SELF) once per instruction set, and the attention
   loops once per cache element type, with R1__PASS naming the group below and a few macros
   naming the suffix, the target attribute and the ISA's primitives; every other section is
   skipped by its guards. So each kernel is written once, as real functions whose lines
   compiler errors, debuggers and sanitizers can point at.
   ====================================================================================== */
#if defined(R1__PASS)

/* The attention loops address a cache row's elements through LOADn(row, i); a row of n elements
   is R1__BYTES_OF(n) bytes, and R1__AT(row, i) points at element i (i a multiple of 32). One
   element per ELT for float and float16; Q8_0 rows are blocks of 32 (ELT = r1_block_q8_0). */
#ifndef R1__BYTES_OF
#define R1__BYTES_OF(n) ((size_t)(n) * sizeof(R1__ELT))
#endif
#ifndef R1__AT
#define R1__AT(p, i) ((p) + (i))
#endif

#if R1__PASS == R1__PASS_X86_ROWS /* the row kernels of section 5b's x86 part (one tile function per type and its shape dispatch): R1__SFX, R1__TARGET, R1__DOT32 */
/* q8_0: |w| times x with w's signs, scaled by dw * dx */
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q8_0_tile)(
    const uint8_t *rows, size_t rs, const r1_block_q8x *x, int xs, int nb, const int NR, const int NC, float *out) {
    int b;
    R1__TILE_BEGIN(NR, NC);
    for (b = 0; b < nb; b++) {
        R1__UNROLL for (r_ = 0; r_ < NR; r_++) {
            const r1_block_q8_0 *w = (const r1_block_q8_0 *)(rows + r_ * rs) + b;
            __m256i wq = R1__LOAD256(w->qs), wa = _mm256_sign_epi8(wq, wq);
            __m256 dw = _mm256_set1_ps(_cvtsh_ss(w->d));
            if ((b & 1) == 0) _mm_prefetch((const char *)w + 1024, _MM_HINT_T0);
            R1__UNROLL for (c_ = 0; c_ < NC; c_++) {
                const r1_block_q8x *xb = x + (size_t)c_ * xs + b;
                __m256i p = R1__DOT32(_mm256_setzero_si256(), wa, _mm256_sign_epi8(R1__LOAD256(xb->qs), wq));
                acc[r_][c_] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_mul_ps(dw, _mm256_broadcast_ss(&xb->d)), acc[r_][c_]);
            }
        }
    }
    R1__TILE_FINISH(NR, NC);
}
/* q4_0: nibbles 0..15 times x; the -8 comes off through the inputs' off8 lanes */
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q4_0_tile)(
    const uint8_t *rows, size_t rs, const r1_block_q8x *x, int xs, int nb, const int NR, const int NC, float *out) {
    const __m256i low4 = _mm256_set1_epi8(0x0f);
    int b;
    R1__TILE_BEGIN(NR, NC);
    for (b = 0; b < nb; b++) {
        R1__UNROLL for (r_ = 0; r_ < NR; r_++) {
            const r1_block_q4_0 *w = (const r1_block_q4_0 *)(rows + r_ * rs) + b;
            __m128i raw = _mm_loadu_si128((const __m128i *)w->qs);
            __m256i q = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(raw, 4), raw), low4);
            __m256 dw = _mm256_set1_ps(_cvtsh_ss(w->d));
            if ((b & 3) == 0) _mm_prefetch((const char *)w + 1024, _MM_HINT_T0);
            R1__UNROLL for (c_ = 0; c_ < NC; c_++) {
                const r1_block_q8x *xb = x + (size_t)c_ * xs + b;
                __m256i p = R1__DOT32(R1__LOAD256(xb->off8), q, R1__LOAD256(xb->qs));
                acc[r_][c_] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_mul_ps(dw, _mm256_broadcast_ss(&xb->d)), acc[r_][c_]);
            }
        }
    }
    R1__TILE_FINISH(NR, NC);
}
/* q4_k and q5_k (FIVE: the 5th bits from qh): sub-block s of super-block i meets input block
   8i+s; the 6-bit scales and mins are unpacked once per super-block; the mins' term is
   dmin*m * d_x*sum(x) per sub-block */
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q45_k_tile)(
    const uint8_t *rows, size_t rs, const int FIVE, const r1_block_q8x *x, int xs, int nb, const int NR, const int NC, float *out) {
    const __m256i low4 = _mm256_set1_epi8(0x0f), one = _mm256_set1_epi8(1);
    const size_t block_bytes = FIVE ? sizeof(r1_block_q5_k) : sizeof(r1_block_q4_k);
    float mins[R1__ROWS][R1__TILE];
    int i, j;
    R1__TILE_BEGIN(NR, NC);
    R1__UNROLL for (r_ = 0; r_ < NR; r_++)
        R1__UNROLL for (c_ = 0; c_ < NC; c_++) mins[r_][c_] = 0.0f;
    for (i = 0; i < nb / 8; i++) {
        R1__UNROLL for (r_ = 0; r_ < NR; r_++) {
            const r1_block_q4_k *w = (const r1_block_q4_k *)(const void *)(rows + r_ * rs + (size_t)i * block_bytes);
            const uint8_t *qh = (const uint8_t *)w + 16, *qs = FIVE ? qh + 32 : w->qs; /* both start d, dmin, scales[12] */
            float scd[8], mnd[8];
            /* the 8 scales and 8 mins, 4 at a time (the bits r1__k_scale_min picks) */
            uint32_t u0 = (uint32_t)r1__load_i32(w->scales), u1 = (uint32_t)r1__load_i32(w->scales + 4);
            uint32_t u2 = (uint32_t)r1__load_i32(w->scales + 8);
            __m128i scb = _mm_setr_epi32((int)(u0 & 0x3f3f3f3fu), (int)((u2 & 0x0f0f0f0fu) | ((u0 >> 2) & 0x30303030u)), 0, 0);
            __m128i mnb = _mm_setr_epi32((int)(u1 & 0x3f3f3f3fu), (int)(((u2 >> 4) & 0x0f0f0f0fu) | ((u1 >> 2) & 0x30303030u)), 0, 0);
            __m256i hb = FIVE ? R1__LOAD256(qh) : _mm256_setzero_si256();
            _mm256_storeu_ps(scd, _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(w->d)), _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(scb))));
            _mm256_storeu_ps(mnd, _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(w->dmin)), _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(mnb))));
            _mm_prefetch((const char *)w + 1024, _MM_HINT_T0);
            _mm_prefetch((const char *)w + 1024 + 64, _MM_HINT_T0);
            _mm_prefetch((const char *)w + 1024 + 128, _MM_HINT_T0);
            for (j = 0; j < 4; j++) {
                __m256i v = R1__LOAD256(qs + j * 32);
                __m256i lo = _mm256_and_si256(v, low4), hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low4);
                if (FIVE) {
                    lo = _mm256_or_si256(lo, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 2 * j), one), 4));
                    hi = _mm256_or_si256(hi, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 2 * j + 1), one), 4));
                }
                R1__UNROLL for (c_ = 0; c_ < NC; c_++) {
                    const r1_block_q8x *xb = x + (size_t)c_ * xs + 8 * i + 2 * j;
                    __m256i p0 = R1__DOT32(_mm256_setzero_si256(), lo, R1__LOAD256(xb[0].qs));
                    __m256i p1 = R1__DOT32(_mm256_setzero_si256(), hi, R1__LOAD256(xb[1].qs));
                    __m256 t = _mm256_mul_ps(_mm256_cvtepi32_ps(p0), _mm256_set1_ps(scd[2 * j] * xb[0].d));
                    t = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p1), _mm256_set1_ps(scd[2 * j + 1] * xb[1].d), t);
                    acc[r_][c_] = _mm256_add_ps(acc[r_][c_], t);
                }
            }
            R1__UNROLL for (c_ = 0; c_ < NC; c_++) {
                const r1_block_q8x *xb = x + (size_t)c_ * xs + 8 * i;
                float m = 0.0f;
                for (j = 0; j < 8; j++) m += mnd[j] * xb[j].dsum;
                mins[r_][c_] += m;
            }
        }
    }
    R1__TILE_FINISH(NR, NC);
    R1__UNROLL for (r_ = 0; r_ < NR; r_++)
        R1__UNROLL for (c_ = 0; c_ < NC; c_++) out[r_ * R1__TILE + c_] -= mins[r_][c_];
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q4_k_tile)(
    const uint8_t *rows, size_t rs, const r1_block_q8x *x, int xs, int nb, const int NR, const int NC, float *out) {
    R1__FN(r1__q45_k_tile)(rows, rs, 0, x, xs, nb, NR, NC, out);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q5_k_tile)(
    const uint8_t *rows, size_t rs, const r1_block_q8x *x, int xs, int nb, const int NR, const int NC, float *out) {
    R1__FN(r1__q45_k_tile)(rows, rs, 1, x, xs, nb, NR, NC, out);
}
/* q4_1, q5_0 and q5_1 (FIVE: the 5th bits, spread from qh to bit 4 of each byte; MIN: a min m
   per block): unsigned values times x, scaled by d * dx; q5_0's -16 comes off as 16*d*dx*sum(x)
   and a min adds m*dx*sum(x), per column in float */
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q451_tile)(
    const uint8_t *rows, size_t rs, const int FIVE, const int MIN, const r1_block_q8x *x, int xs, int nb, const int NR, const int NC, float *out) {
    const __m256i low4 = _mm256_set1_epi8(0x0f), bit4 = _mm256_set1_epi8(0x10);
    const __m256i spread = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
    const __m256i select = _mm256_set1_epi64x((long long)0x8040201008040201ull);
    const size_t block_bytes = 2 + (MIN ? 2 : 0) + (FIVE ? 4 : 0) + 16;
    float mins[R1__ROWS][R1__TILE];
    int b;
    R1__TILE_BEGIN(NR, NC);
    R1__UNROLL for (r_ = 0; r_ < NR; r_++)
        R1__UNROLL for (c_ = 0; c_ < NC; c_++) mins[r_][c_] = 0.0f;
    for (b = 0; b < nb; b++) {
        R1__UNROLL for (r_ = 0; r_ < NR; r_++) {
            const uint8_t *blk = rows + r_ * rs + (size_t)b * block_bytes, *qs = blk + block_bytes - 16;
            float d = _cvtsh_ss(r1__load_u16(blk)), m = MIN ? _cvtsh_ss(r1__load_u16(blk + 2)) : 0.0f;
            __m128i raw = _mm_loadu_si128((const __m128i *)(const void *)qs);
            __m256i q = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(raw, 4), raw), low4);
            if (FIVE) {
                __m256i h = _mm256_shuffle_epi8(_mm256_set1_epi32(r1__load_i32(blk + (MIN ? 4 : 2))), spread);
                q = _mm256_or_si256(q, _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_and_si256(h, select), select), bit4));
            }
            if ((b & 3) == 0) _mm_prefetch((const char *)blk + 1024, _MM_HINT_T0);
            R1__UNROLL for (c_ = 0; c_ < NC; c_++) {
                const r1_block_q8x *xb = x + (size_t)c_ * xs + b;
                __m256i p = R1__DOT32(_mm256_setzero_si256(), q, R1__LOAD256(xb->qs));
                acc[r_][c_] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(d * xb->d), acc[r_][c_]);
                if (MIN) mins[r_][c_] -= m * xb->dsum;
                else mins[r_][c_] += 16.0f * d * xb->dsum;
            }
        }
    }
    R1__TILE_FINISH(NR, NC);
    R1__UNROLL for (r_ = 0; r_ < NR; r_++)
        R1__UNROLL for (c_ = 0; c_ < NC; c_++) out[r_ * R1__TILE + c_] -= mins[r_][c_];
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q4_1_tile)(
    const uint8_t *rows, size_t rs, const r1_block_q8x *x, int xs, int nb, const int NR, const int NC, float *out) {
    R1__FN(r1__q451_tile)(rows, rs, 0, 1, x, xs, nb, NR, NC, out);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q5_0_tile)(
    const uint8_t *rows, size_t rs, const r1_block_q8x *x, int xs, int nb, const int NR, const int NC, float *out) {
    R1__FN(r1__q451_tile)(rows, rs, 1, 0, x, xs, nb, NR, NC, out);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q5_1_tile)(
    const uint8_t *rows, size_t rs, const r1_block_q8x *x, int xs, int nb, const int NR, const int NC, float *out) {
    R1__FN(r1__q451_tile)(rows, rs, 1, 1, x, xs, nb, NR, NC, out);
}
/* q6_k: 6-bit values 0..63 (the -32 comes off through 4 * off8), one scale per 16 */
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q6_k_tile)(
    const uint8_t *rows, size_t rs, const r1_block_q8x *x, int xs, int nb, const int NR, const int NC, float *out) {
    const __m256i low4 = _mm256_set1_epi8(0x0f), two = _mm256_set1_epi8(3);
    int i, h, k;
    R1__TILE_BEGIN(NR, NC);
    for (i = 0; i < nb / 8; i++) {
        R1__UNROLL for (r_ = 0; r_ < NR; r_++) {
            const r1_block_q6_k *w = (const r1_block_q6_k *)(rows + r_ * rs) + i;
            __m256 d = _mm256_set1_ps(_cvtsh_ss(w->d));
            __m128i s8 = _mm_loadu_si128((const __m128i *)w->scales);
            float scf[16]; /* d * the 16 scales */
            _mm256_storeu_ps(scf, _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(s8))));
            _mm256_storeu_ps(scf + 8, _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(s8, 8)))));
            _mm_prefetch((const char *)w + 1024, _MM_HINT_T0);
            _mm_prefetch((const char *)w + 1024 + 64, _MM_HINT_T0);
            _mm_prefetch((const char *)w + 1024 + 128, _MM_HINT_T0);
            _mm_prefetch((const char *)w + 1024 + 192, _MM_HINT_T0);
            R1__UNROLL for (h = 0; h < 2; h++) {
                __m256i qh = R1__LOAD256(w->qh + h * 32);
                __m256i ql0 = R1__LOAD256(w->ql + h * 64), ql1 = R1__LOAD256(w->ql + h * 64 + 32);
                for (k = 0; k < 4; k++) {
                    const float *sc = scf + h * 8 + k * 2;
                    __m256i lo = _mm256_and_si256(k / 2 ? _mm256_srli_epi16(k % 2 ? ql1 : ql0, 4) : (k % 2 ? ql1 : ql0), low4);
                    __m256i hi = _mm256_and_si256(_mm256_srli_epi16(qh, 2 * k), two);
                    __m256i q = _mm256_or_si256(lo, _mm256_slli_epi16(hi, 4));
                    __m256 s = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_set1_ps(sc[0])), _mm_set1_ps(sc[1]), 1);
                    R1__UNROLL for (c_ = 0; c_ < NC; c_++) {
                        const r1_block_q8x *xb = x + (size_t)c_ * xs + 8 * i + h * 4 + k;
                        __m256i p = R1__DOT32(_mm256_slli_epi32(R1__LOAD256(xb->off8), 2), q, R1__LOAD256(xb->qs));
                        acc[r_][c_] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_mul_ps(s, _mm256_broadcast_ss(&xb->d)), acc[r_][c_]);
                    }
                }
            }
        }
    }
    R1__TILE_FINISH(NR, NC);
}
/* q2_k and q3_k (THREE: q3_k's 3rd bit or-ed in from hmask): per input block s, the 2-bit
   fields times the input summed in int16 pairs, times each 16's scale in the widening
   multiply-add. The 16 scales (and q2_k's mins) are unpacked once per super-block into bytes; the
   mins (q2_k) or the offset of 4 (q3_k) come off for all 8 input blocks at once, each block's
   two 16-sums times its two mins (or scales) in one widening multiply-add, into the lanes of
   the same accumulator (its lanes are summed at the end) */
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q23_k_tile)(
    const uint8_t *rows, size_t rs, const int THREE, const r1_block_q8x *x, int xs, int nb, const int NR, const int NC, float *out) {
    const __m256i three = _mm256_set1_epi8(3), one = _mm256_set1_epi8(1);
    const __m128i low4 = _mm_set1_epi8(0x0f), pair = _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
    const size_t block_bytes = THREE ? sizeof(r1_block_q3_k) : sizeof(r1_block_q2_k);
    int i, s;
    R1__TILE_BEGIN(NR, NC);
    for (i = 0; i < nb / 8; i++) {
        __m256i xsums[R1__TILE]; /* each input block's two 16-sums, as int16 pairs */
        __m256 xd[R1__TILE];     /* each input block's scale */
        R1__UNROLL for (c_ = 0; c_ < NC; c_++) {
            const r1_block_q8x *xb = x + (size_t)c_ * xs + 8 * i;
            xsums[c_] = _mm256_setr_epi32(r1__load_i32(xb[0].sum), r1__load_i32(xb[1].sum), r1__load_i32(xb[2].sum), r1__load_i32(xb[3].sum),
                                          r1__load_i32(xb[4].sum), r1__load_i32(xb[5].sum), r1__load_i32(xb[6].sum), r1__load_i32(xb[7].sum));
            xd[c_] = _mm256_setr_ps(xb[0].d, xb[1].d, xb[2].d, xb[3].d, xb[4].d, xb[5].d, xb[6].d, xb[7].d);
        }
        R1__UNROLL for (r_ = 0; r_ < NR; r_++) {
            const uint8_t *blk = rows + r_ * rs + (size_t)i * block_bytes;
            const r1_block_q2_k *w2 = (const r1_block_q2_k *)(const void *)blk;
            const r1_block_q3_k *w3 = (const r1_block_q3_k *)(const void *)blk;
            const uint8_t *qs = THREE ? w3->qs : w2->qs;
            float d = _cvtsh_ss(THREE ? w3->d : w2->d);
            __m256i hm = THREE ? R1__LOAD256(w3->hmask) : _mm256_setzero_si256(), off16;
            __m128i sc8;   /* the 16 scales as int8 */
            __m256 off_f;  /* what the offsets' integer sums are scaled by, besides the input's d */
            if (THREE) {   /* 4 low bits from bytes 0-7 (low then high nibbles), 2 high bits from bytes 8-11 */
                __m128i lo = _mm_loadl_epi64((const __m128i *)(const void *)w3->scales);
                __m128i hi = _mm_srlv_epi32(_mm_set1_epi32(r1__load_i32(w3->scales + 8)), _mm_setr_epi32(0, 2, 4, 6));
                lo = _mm_unpacklo_epi64(_mm_and_si128(lo, low4), _mm_and_si128(_mm_srli_epi16(lo, 4), low4));
                sc8 = _mm_sub_epi8(_mm_or_si128(lo, _mm_slli_epi16(_mm_and_si128(hi, _mm_set1_epi8(3)), 4)), _mm_set1_epi8(32));
                off16 = _mm256_cvtepi8_epi16(sc8);
                off_f = _mm256_set1_ps(4.0f * d);
            } else {
                __m128i raw = _mm_loadu_si128((const __m128i *)(const void *)w2->scales);
                sc8 = _mm_and_si128(raw, low4);
                off16 = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(raw, 4), low4));
                off_f = _mm256_set1_ps(_cvtsh_ss(w2->dmin));
            }
            _mm_prefetch((const char *)blk + 1024, _MM_HINT_T0);
            _mm_prefetch((const char *)blk + 1024 + 64, _MM_HINT_T0);
            R1__UNROLL for (c_ = 0; c_ < NC; c_++)
                acc[r_][c_] = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(_mm256_madd_epi16(xsums[c_], off16)), _mm256_mul_ps(off_f, xd[c_]), acc[r_][c_]);
            for (s = 0; s < 8; s++) {
                __m256i q = _mm256_and_si256(_mm256_srli_epi16(R1__LOAD256(qs + 32 * (s / 4)), 2 * (s % 4)), three);
                __m256i scv = _mm256_cvtepi8_epi16(_mm_shuffle_epi8(sc8, _mm_add_epi8(pair, _mm_set1_epi8((char)(2 * s)))));
                if (THREE) q = _mm256_or_si256(q, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hm, s), one), 2));
                R1__UNROLL for (c_ = 0; c_ < NC; c_++) {
                    const r1_block_q8x *xb = x + (size_t)c_ * xs + 8 * i + s;
                    __m256i p = _mm256_madd_epi16(_mm256_maddubs_epi16(q, R1__LOAD256(xb->qs)), scv);
                    acc[r_][c_] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(d * xb->d), acc[r_][c_]);
                }
            }
        }
    }
    R1__TILE_FINISH(NR, NC);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q2_k_tile)(
    const uint8_t *rows, size_t rs, const r1_block_q8x *x, int xs, int nb, const int NR, const int NC, float *out) {
    R1__FN(r1__q23_k_tile)(rows, rs, 0, x, xs, nb, NR, NC, out);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q3_k_tile)(
    const uint8_t *rows, size_t rs, const r1_block_q8x *x, int xs, int nb, const int NR, const int NC, float *out) {
    R1__FN(r1__q23_k_tile)(rows, rs, 1, x, xs, nb, NR, NC, out);
}
R1__X86_DISPATCH(q2_k)
R1__X86_DISPATCH(q5_k)
R1__X86_DISPATCH(q4_1)
R1__X86_DISPATCH(q5_0)
R1__X86_DISPATCH(q5_1)
R1__X86_DISPATCH(q3_k)
R1__X86_DISPATCH(q8_0)
R1__X86_DISPATCH(q4_0)
R1__X86_DISPATCH(q4_k)
R1__X86_DISPATCH(q6_k)
#elif R1__PASS == R1__PASS_X86_PACKED /* the packed 8-row x86 kernels: R1__SFX, R1__TARGET, R1__VNNI (0 or 1), R1__DPBUSD */
/* NG groups of 8 rows (1 or 2; the second gs blocks after the first) share each input's
   broadcasts; group h's results go to out + 8 * R1__TILE16 * h */
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q8_0x8_tiles)(
    const r1_block_q8_0x8 *g, size_t gs, const int NG, const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    __m256 acc[2][R1__TILE];
    int b, c, i, h;
    R1__UNROLL for (h = 0; h < NG; h++) R1__UNROLL for (c = 0; c < NC; c++) acc[h][c] = _mm256_setzero_ps();
    for (b = 0; b < nb; b++) {
        __m256i p[2][R1__TILE];
        R1__UNROLL for (h = 0; h < NG; h++) {
            R1__UNROLL for (i = 0; i < 5; i++) _mm_prefetch((const char *)(g + gs * h + b) + ahead + 64 * i, _MM_HINT_T0);
            if (NG == 2) R1__UNROLL for (i = 0; i < 5; i++) _mm_prefetch((const char *)(g + gs * h + b) + R1__BATCH_L2_AHEAD + 64 * i, _MM_HINT_T1);
            R1__UNROLL for (c = 0; c < NC; c++) p[h][c] = _mm256_setzero_si256();
        }
        R1__UNROLL for (i = 0; i < 8; i++) {
            __m256i w[2], wa[2];
            R1__UNROLL for (h = 0; h < NG; h++) {
                w[h] = R1__LOAD256(g[gs * h + b].qs + 32 * i);
                wa[h] = _mm256_sign_epi8(w[h], w[h]);
            }
            R1__UNROLL for (c = 0; c < NC; c++) {
                __m256i xv = _mm256_set1_epi32(r1__load_i32(x[(size_t)c * xs + b].qs + 4 * i));
                R1__UNROLL for (h = 0; h < NG; h++) {
                    __m256i sx = _mm256_sign_epi8(xv, w[h]);
                    p[h][c] = R1__VNNI ? R1__DPBUSD(p[h][c], wa[h], sx)
                                   : _mm256_add_epi32(p[h][c], _mm256_madd_epi16(_mm256_maddubs_epi16(wa[h], sx), _mm256_set1_epi16(1)));
                    R1__KEEP(p[h][c]);
                }
            }
        }
        R1__UNROLL for (h = 0; h < NG; h++) {
            __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)g[gs * h + b].d));
            R1__UNROLL for (c = 0; c < NC; c++)
                acc[h][c] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p[h][c]), _mm256_mul_ps(dw, _mm256_broadcast_ss(&x[(size_t)c * xs + b].d)), acc[h][c]);
        }
    }
    R1__UNROLL for (h = 0; h < NG; h++) R1__UNROLL for (c = 0; c < NC; c++) _mm256_storeu_ps(out + 8 * R1__TILE16 * h + 8 * c, acc[h][c]);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q8_0x8_tile)(
    const r1_block_q8_0x8 *g, const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    R1__FN(r1__q8_0x8_tiles)(g, 0, 1, x, xs, nb, NC, ahead, out);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q4_0x8_tiles)(
    const r1_block_q4_0x8 *g, size_t gs, const int NG, const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    const __m256i low4 = _mm256_set1_epi8(0x0f);
    __m256 acc[2][R1__TILE];
    int b, c, i, h;
    R1__UNROLL for (h = 0; h < NG; h++) R1__UNROLL for (c = 0; c < NC; c++) acc[h][c] = _mm256_setzero_ps();
    for (b = 0; b < nb; b++) {
        __m256i p[2][R1__TILE];
        R1__UNROLL for (h = 0; h < NG; h++) {
            R1__UNROLL for (i = 0; i < 3; i++) _mm_prefetch((const char *)(g + gs * h + b) + ahead + 64 * i, _MM_HINT_T0);
            if (NG == 2) R1__UNROLL for (i = 0; i < 3; i++) _mm_prefetch((const char *)(g + gs * h + b) + R1__BATCH_L2_AHEAD + 64 * i, _MM_HINT_T1);
            R1__UNROLL for (c = 0; c < NC; c++)
                p[h][c] = R1__VNNI ? _mm256_set1_epi32(x[(size_t)c * xs + b].off) : _mm256_setzero_si256();
        }
        R1__UNROLL for (i = 0; i < 4; i++) {
            __m256i lo[2], hi[2];
            R1__UNROLL for (h = 0; h < NG; h++) {
                __m256i v = R1__LOAD256(g[gs * h + b].qs + 32 * i);
                lo[h] = _mm256_and_si256(v, low4);
                hi[h] = _mm256_and_si256(_mm256_srli_epi16(v, 4), low4);
            }
            R1__UNROLL for (c = 0; c < NC; c++) {
                const int8_t *xq = x[(size_t)c * xs + b].qs;
                __m256i x0 = _mm256_set1_epi32(r1__load_i32(xq + 4 * i));
                __m256i x1 = _mm256_set1_epi32(r1__load_i32(xq + 16 + 4 * i));
                R1__UNROLL for (h = 0; h < NG; h++) {
                    if (R1__VNNI) p[h][c] = R1__DPBUSD(R1__DPBUSD(p[h][c], lo[h], x0), hi[h], x1);
                    else p[h][c] = _mm256_add_epi16(p[h][c], _mm256_add_epi16(_mm256_maddubs_epi16(lo[h], x0), _mm256_maddubs_epi16(hi[h], x1)));
                    R1__KEEP(p[h][c]);
                }
            }
        }
        R1__UNROLL for (h = 0; h < NG; h++) {
            __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)g[gs * h + b].d));
            R1__UNROLL for (c = 0; c < NC; c++) {
                __m256i q = R1__VNNI ? p[h][c] : _mm256_add_epi32(_mm256_madd_epi16(p[h][c], _mm256_set1_epi16(1)), _mm256_set1_epi32(x[(size_t)c * xs + b].off));
                acc[h][c] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(q), _mm256_mul_ps(dw, _mm256_broadcast_ss(&x[(size_t)c * xs + b].d)), acc[h][c]);
            }
        }
    }
    R1__UNROLL for (h = 0; h < NG; h++) R1__UNROLL for (c = 0; c < NC; c++) _mm256_storeu_ps(out + 8 * R1__TILE16 * h + 8 * c, acc[h][c]);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q4_0x8_tile)(
    const r1_block_q4_0x8 *g, const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    R1__FN(r1__q4_0x8_tiles)(g, 0, 1, x, xs, nb, NC, ahead, out);
}
/* q4_k and q5_k (HIGH: the 5th bits or-ed in from their planes): per sub-block, nibble x
   input products summed in int16 (8 at most for 4 bits, 4 for 5), widened to int32 (with
   VNNI summed straight into int32: the same integers), then
   scaled by (d * sc) * dx (the matrix-unit kernels scale this way too, and d * sc is one
   multiply per row for a whole batch); the 6-bit scales and mins of the 8 rows are picked
   as r1__q4_kx8_scales does. Both block types start with d, dmin and scales; q5_k's 5th
   bits come before its nibbles. */
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__kx8_tiles)(
    const uint8_t *blocks, size_t block_bytes, const int HIGH, size_t gbytes, const int NG, const r1_block_q8x *x, int xs,
    int nb, const int NC, int ahead, float *out) {
    const __m256i low4 = _mm256_set1_epi8(0x0f), one8 = _mm256_set1_epi8(1);
    __m256 acc[2][R1__TILE];
    int b, c, i, s, h;
    R1__UNROLL for (h = 0; h < NG; h++) R1__UNROLL for (c = 0; c < NC; c++) acc[h][c] = _mm256_setzero_ps();
    for (b = 0; b < nb / 8; b++) {
        for (s = 0; s < 8; s++) {
            __m256i p[2][R1__TILE], p32[2][R1__TILE];
            __m256 scf[2], mnf[2];
            const uint8_t *qs[2], *qh[2];
            R1__UNROLL for (h = 0; h < NG; h++) {
                const r1_block_q4_kx8 *g = (const r1_block_q4_kx8 *)(const void *)(blocks + gbytes * h + b * block_bytes);
                __m128i sc8, mn8;
                qh[h] = (const uint8_t *)g + 128;
                qs[h] = (HIGH ? qh[h] + 256 : g->qs) + 256 * (s / 2);
                r1__kx8_scale_min(R1__LOAD64(g->scales[s % 4]), R1__LOAD64(g->scales[s % 4 + 4]),
                                  R1__LOAD64(g->scales[s % 4 + 8]), s, &sc8, &mn8);
                scf[h] = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(sc8));
                mnf[h] = _mm256_mul_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)g->dmin)), _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(mn8)));
                R1__UNROLL for (i = 0; i < 3; i++) _mm_prefetch((const char *)g + ahead + 64 * (3 * s + i), _MM_HINT_T0);
                if (NG == 2) R1__UNROLL for (i = 0; i < 3; i++) _mm_prefetch((const char *)g + R1__BATCH_L2_AHEAD + 64 * (3 * s + i), _MM_HINT_T1);
                R1__UNROLL for (c = 0; c < NC; c++) p32[h][c] = p[h][c] = _mm256_setzero_si256();
            }
            R1__UNROLL for (i = 0; i < 8; i++) {
                __m256i q[2];
                R1__UNROLL for (h = 0; h < NG; h++) {
                    __m256i v = R1__LOAD256(qs[h] + 32 * i);
                    q[h] = _mm256_and_si256(s % 2 ? _mm256_srli_epi16(v, 4) : v, low4);
                    if (HIGH) q[h] = _mm256_or_si256(q[h], _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(R1__LOAD256(qh[h] + 32 * i), s), one8), 4));
                    if (!R1__VNNI && i % (HIGH ? 4 : 8) == 0) R1__UNROLL for (c = 0; c < NC; c++) p[h][c] = _mm256_setzero_si256();
                }
                R1__UNROLL for (c = 0; c < NC; c++) {
                    __m256i xv = _mm256_set1_epi32(r1__load_i32(x[(size_t)c * xs + 8 * b + s].qs + 4 * i));
                    R1__UNROLL for (h = 0; h < NG; h++) {
                        if (R1__VNNI) { /* straight into int32: the same sums */
                            p32[h][c] = R1__DPBUSD(p32[h][c], q[h], xv);
                            R1__KEEP(p32[h][c]);
                        } else {
                            p[h][c] = _mm256_add_epi16(p[h][c], _mm256_maddubs_epi16(q[h], xv));
                            R1__KEEP(p[h][c]);
                        }
                    }
                }
                if (!R1__VNNI && i % (HIGH ? 4 : 8) == (HIGH ? 3 : 7))
                    R1__UNROLL for (h = 0; h < NG; h++) R1__UNROLL for (c = 0; c < NC; c++)
                        p32[h][c] = _mm256_add_epi32(p32[h][c], _mm256_madd_epi16(p[h][c], _mm256_set1_epi16(1)));
            }
            R1__UNROLL for (h = 0; h < NG; h++) {
                const r1_block_q4_kx8 *g = (const r1_block_q4_kx8 *)(const void *)(blocks + gbytes * h + b * block_bytes);
                __m256 dsc = _mm256_mul_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)g->d)), scf[h]);
                R1__UNROLL for (c = 0; c < NC; c++) {
                    const r1_block_q8x *xb = x + (size_t)c * xs + 8 * b + s;
                    acc[h][c] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p32[h][c]), _mm256_mul_ps(dsc, _mm256_broadcast_ss(&xb->d)), acc[h][c]);
                    acc[h][c] = _mm256_fnmadd_ps(mnf[h], _mm256_broadcast_ss(&xb->dsum), acc[h][c]);
                }
            }
        }
    }
    R1__UNROLL for (h = 0; h < NG; h++) R1__UNROLL for (c = 0; c < NC; c++) _mm256_storeu_ps(out + 8 * R1__TILE16 * h + 8 * c, acc[h][c]);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q4_kx8_tiles)(
    const r1_block_q4_kx8 *g, size_t gs, const int NG, const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    R1__FN(r1__kx8_tiles)((const uint8_t *)g, sizeof *g, 0, gs * sizeof *g, NG, x, xs, nb, NC, ahead, out);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q5_kx8_tiles)(
    const r1_block_q5_kx8 *g, size_t gs, const int NG, const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    R1__FN(r1__kx8_tiles)((const uint8_t *)g, sizeof *g, 1, gs * sizeof *g, NG, x, xs, nb, NC, ahead, out);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q4_kx8_tile)(
    const r1_block_q4_kx8 *g, const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    R1__FN(r1__q4_kx8_tiles)(g, 0, 1, x, xs, nb, NC, ahead, out);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q5_kx8_tile)(
    const r1_block_q5_kx8 *g, const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    R1__FN(r1__q5_kx8_tiles)(g, 0, 1, x, xs, nb, NC, ahead, out);
}
/* q6_k: 6-bit values 0..63, pairs of products summed in int16 (at most 2 * 2 * 63 * 127),
   times the row's scale and summed per 16 in the widening multiply-add, as is the offset
   of 32 (the input's -16 * sum in both halves, times the scale); with VNNI each 16 products
   go into int32 from -32 * sum and are then multiplied by the scale and added as floats (the
   same integers, exactly: see r1__q6_kx16_zmm) */
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q6_kx8_tile)(
    const r1_block_q6_kx8 *g, const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    const __m256i low4 = _mm256_set1_epi8(0x0f), low2 = _mm256_set1_epi8(3);
    __m256 acc[R1__TILE];
    int b, c, h, k, i, half;
    R1__UNROLL for (c = 0; c < NC; c++) acc[c] = _mm256_setzero_ps();
    for (b = 0; b < nb / 8; b++) {
        __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)g[b].d));
        R1__UNROLL for (h = 0; h < 2; h++)
            for (k = 0; k < 4; k++) {
                __m256i p[R1__TILE];
                __m256 pf[R1__TILE]; /* VNNI: the same integers as floats (exact: see r1__q6_kx16_zmm) */
                R1__UNROLL for (i = 0; i < 4; i++) _mm_prefetch((const char *)(g + b) + ahead + 64 * (16 * h + 4 * k + i), _MM_HINT_T0);
                R1__UNROLL for (c = 0; c < NC; c++) p[c] = _mm256_setzero_si256(), pf[c] = _mm256_setzero_ps();
                for (half = 0; half < 2; half++) {
                    __m128i s8 = _mm_loadl_epi64((const __m128i *)(const void *)g[b].scales[8 * h + 2 * k + half]);
                    __m256i sc16 = _mm256_cvtepi8_epi16(_mm_unpacklo_epi8(s8, s8));
                    __m256 scf = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(s8));
                    __m256i q[4];
                    R1__UNROLL for (i = 0; i < 4; i++) {
                        int at = 4 * half + i;
                        __m256i lv = R1__LOAD256(g[b].ql + 512 * h + 256 * (k % 2) + 32 * at);
                        __m256i hv = R1__LOAD256(g[b].qh + 256 * h + 32 * at);
                        __m256i lo = _mm256_and_si256(k / 2 ? _mm256_srli_epi16(lv, 4) : lv, low4);
                        __m256i hi = _mm256_and_si256(_mm256_srli_epi16(hv, 2 * k), low2);
                        q[i] = _mm256_or_si256(lo, _mm256_slli_epi16(hi, 4));
                    }
                    R1__UNROLL for (c = 0; c < NC; c++) {
                        const r1_block_q8x *xb = x + (size_t)c * xs + 8 * b + 4 * h + k;
                        const int8_t *xq = xb->qs + 16 * half;
                        __m256i t;
                        if (R1__VNNI) { /* 16 products into int32 from -32 * sum(x), then times the scale: the same integers */
                            t = _mm256_set1_epi32(-32 * xb->sum[half]);
                            t = R1__DPBUSD(t, q[0], _mm256_set1_epi32(r1__load_i32(xq)));
                            t = R1__DPBUSD(t, q[1], _mm256_set1_epi32(r1__load_i32(xq + 4)));
                            t = R1__DPBUSD(t, q[2], _mm256_set1_epi32(r1__load_i32(xq + 8)));
                            t = R1__DPBUSD(t, q[3], _mm256_set1_epi32(r1__load_i32(xq + 12)));
                            pf[c] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(t), scf, pf[c]);
                        } else {
                            __m256i t0 = _mm256_add_epi16(_mm256_maddubs_epi16(q[0], _mm256_set1_epi32(r1__load_i32(xq))),
                                                          _mm256_maddubs_epi16(q[1], _mm256_set1_epi32(r1__load_i32(xq + 4))));
                            __m256i t1 = _mm256_add_epi16(_mm256_maddubs_epi16(q[2], _mm256_set1_epi32(r1__load_i32(xq + 8))),
                                                          _mm256_maddubs_epi16(q[3], _mm256_set1_epi32(r1__load_i32(xq + 12))));
                            t = _mm256_add_epi32(_mm256_madd_epi16(t0, sc16), _mm256_madd_epi16(t1, sc16));
                            t = _mm256_add_epi32(t, _mm256_madd_epi16(_mm256_set1_epi32(xb->off16[half]), sc16));
                            p[c] = _mm256_add_epi32(p[c], t);
                            R1__KEEP(p[c]);
                        }
                    }
                }
                R1__UNROLL for (c = 0; c < NC; c++)
                    acc[c] = _mm256_fmadd_ps(R1__VNNI ? pf[c] : _mm256_cvtepi32_ps(p[c]), _mm256_mul_ps(dw, _mm256_broadcast_ss(&x[(size_t)c * xs + 8 * b + 4 * h + k].d)), acc[c]);
            }
    }
    R1__UNROLL for (c = 0; c < NC; c++) _mm256_storeu_ps(out + 8 * c, acc[c]);
}
/* q5_0: each row's 4 fifth bits of a step spread to 4 bytes by one multiply (bit k to
   byte k), then to bit 4; int16 sums every 4 products at most */
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q5_0x8_tile)(
    const r1_block_q5_0x8 *g, const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    const __m256i low4 = _mm256_set1_epi8(0x0f), nib = _mm256_set1_epi32(0x0f);
    const __m256i spread = _mm256_set1_epi32(0x00204081), bytes = _mm256_set1_epi32(0x01010101);
    __m256 acc[R1__TILE];
    int b, c, i, half;
    R1__UNROLL for (c = 0; c < NC; c++) acc[c] = _mm256_setzero_ps();
    for (b = 0; b < nb; b++) {
        __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)g[b].d));
        __m256i qh = R1__LOAD256(g[b].qh), p[R1__TILE];
        R1__UNROLL for (i = 0; i < 3; i++) _mm_prefetch((const char *)(g + b) + ahead + 64 * i, _MM_HINT_T0);
        R1__UNROLL for (c = 0; c < NC; c++) p[c] = _mm256_set1_epi32(2 * x[(size_t)c * xs + b].off);
        for (half = 0; half < 2; half++) { /* steps 0-1 then 2-3: 4 products per int16 pair */
            __m256i s16[R1__TILE];
            R1__UNROLL for (c = 0; c < NC; c++) s16[c] = _mm256_setzero_si256();
            R1__UNROLL for (i = 2 * half; i < 2 * half + 2; i++) {
                __m256i v = R1__LOAD256(g[b].qs + 32 * i);
                __m256i bl = _mm256_and_si256(_mm256_mullo_epi32(_mm256_and_si256(_mm256_srli_epi32(qh, 4 * i), nib), spread), bytes);
                __m256i bh = _mm256_and_si256(_mm256_mullo_epi32(_mm256_and_si256(_mm256_srli_epi32(qh, 16 + 4 * i), nib), spread), bytes);
                __m256i lo = _mm256_or_si256(_mm256_and_si256(v, low4), _mm256_slli_epi32(bl, 4));
                __m256i hi = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(v, 4), low4), _mm256_slli_epi32(bh, 4));
                R1__UNROLL for (c = 0; c < NC; c++) {
                    const int8_t *xq = x[(size_t)c * xs + b].qs;
                    s16[c] = _mm256_add_epi16(s16[c], _mm256_add_epi16(_mm256_maddubs_epi16(lo, _mm256_set1_epi32(r1__load_i32(xq + 4 * i))),
                                                                       _mm256_maddubs_epi16(hi, _mm256_set1_epi32(r1__load_i32(xq + 16 + 4 * i)))));
                    R1__KEEP(s16[c]);
                }
            }
            R1__UNROLL for (c = 0; c < NC; c++) p[c] = _mm256_add_epi32(p[c], _mm256_madd_epi16(s16[c], _mm256_set1_epi16(1)));
        }
        R1__UNROLL for (c = 0; c < NC; c++)
            acc[c] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p[c]), _mm256_mul_ps(dw, _mm256_broadcast_ss(&x[(size_t)c * xs + b].d)), acc[c]);
    }
    R1__UNROLL for (c = 0; c < NC; c++) _mm256_storeu_ps(out + 8 * c, acc[c]);
}
/* q2_k and q3_k (THREE): per sub-block, the 2-bit fields (and q3_k's third bits) times the
   broadcast input, summed in int16 per 16 (at most 8 * 7 * 127), times each row's scale of
   that 16 in the widening multiply-add; q2_k's minimums (q3_k's offset of 4, times the
   scales) meet the input's two 16-sums in one more multiply-add per sub-block */
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__k23x8_tile)(
    const uint8_t *blocks, const int THREE, const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    const __m256i three = _mm256_set1_epi8(3), one8 = _mm256_set1_epi8(1);
    const __m128i low4 = _mm_set1_epi8(0x0f);
    const size_t block_bytes = THREE ? sizeof(r1_block_q3_kx8) : sizeof(r1_block_q2_kx8);
    __m256 acc[R1__TILE];
    int b, c, i, s;
    R1__UNROLL for (c = 0; c < NC; c++) acc[c] = _mm256_setzero_ps();
    for (b = 0; b < nb / 8; b++) {
        const r1_block_q2_kx8 *g2 = (const r1_block_q2_kx8 *)(const void *)(blocks + b * block_bytes);
        const r1_block_q3_kx8 *g3 = (const r1_block_q3_kx8 *)(const void *)(blocks + b * block_bytes);
        const uint8_t *qs = THREE ? g3->qs : g2->qs;
        __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(THREE ? g3->d : g2->d)));
        __m256 dm = THREE ? _mm256_setzero_ps() : _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)g2->dmin));
        for (s = 0; s < 8; s++) {
            __m128i sc[2], mn[2];
            __m256i sc16[2], pair16, p16[R1__TILE], p32[R1__TILE];
            int h;
            R1__UNROLL for (i = 0; i < 3; i++) _mm_prefetch((const char *)g2 + ahead + 64 * (3 * s + i), _MM_HINT_T0);
            R1__UNROLL for (h = 0; h < 2; h++) {
                int gi = 2 * s + h; /* the 16s' scales of the 8 rows: 8 bytes */
                if (THREE) {
                    __m128i lo = _mm_loadl_epi64((const __m128i *)(const void *)g3->scales[gi % 8]);
                    __m128i hi = _mm_loadl_epi64((const __m128i *)(const void *)g3->scales[8 + gi % 4]);
                    lo = _mm_and_si128(gi / 8 ? _mm_srli_epi16(lo, 4) : lo, low4);
                    hi = _mm_and_si128(_mm_srli_epi16(hi, 2 * (gi / 4)), _mm_set1_epi8(3));
                    sc[h] = mn[h] = _mm_sub_epi8(_mm_or_si128(lo, _mm_slli_epi16(hi, 4)), _mm_set1_epi8(32));
                } else {
                    __m128i raw = _mm_loadl_epi64((const __m128i *)(const void *)g2->scales[gi]);
                    sc[h] = _mm_and_si128(raw, low4);
                    mn[h] = _mm_and_si128(_mm_srli_epi16(raw, 4), low4);
                }
                sc16[h] = _mm256_cvtepi8_epi16(_mm_unpacklo_epi8(sc[h], sc[h]));
            }
            pair16 = _mm256_cvtepi8_epi16(_mm_unpacklo_epi8(mn[0], mn[1]));
            R1__UNROLL for (c = 0; c < NC; c++) p16[c] = p32[c] = _mm256_setzero_si256();
            R1__UNROLL for (i = 0; i < 8; i++) {
                __m256i q = _mm256_and_si256(_mm256_srli_epi16(R1__LOAD256(qs + 256 * (s / 4) + 32 * i), 2 * (s % 4)), three);
                if (THREE) q = _mm256_or_si256(q, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(R1__LOAD256(g3->hmask + 32 * i), s), one8), 2));
                R1__UNROLL for (c = 0; c < NC; c++) {
                    p16[c] = _mm256_add_epi16(p16[c], _mm256_maddubs_epi16(q, _mm256_set1_epi32(r1__load_i32(x[(size_t)c * xs + 8 * b + s].qs + 4 * i))));
                    R1__KEEP(p16[c]);
                }
                if (i % 4 == 3)
                    R1__UNROLL for (c = 0; c < NC; c++) {
                        p32[c] = _mm256_add_epi32(p32[c], _mm256_madd_epi16(p16[c], sc16[i / 4]));
                        p16[c] = _mm256_setzero_si256();
                    }
            }
            R1__UNROLL for (c = 0; c < NC; c++) {
                const r1_block_q8x *xb = x + (size_t)c * xs + 8 * b + s;
                __m256i m = _mm256_madd_epi16(pair16, _mm256_set1_epi32(r1__load_i32(xb->sum)));
                __m256 dx = _mm256_broadcast_ss(&xb->d);
                if (THREE) {
                    acc[c] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(p32[c], _mm256_slli_epi32(m, 2))), _mm256_mul_ps(dw, dx), acc[c]);
                } else {
                    acc[c] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p32[c]), _mm256_mul_ps(dw, dx), acc[c]);
                    acc[c] = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(m), _mm256_mul_ps(dm, dx), acc[c]);
                }
            }
        }
    }
    R1__UNROLL for (c = 0; c < NC; c++) _mm256_storeu_ps(out + 8 * c, acc[c]);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q2_kx8_tile)(
    const r1_block_q2_kx8 *g, const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    R1__FN(r1__k23x8_tile)((const uint8_t *)g, 0, x, xs, nb, NC, ahead, out);
}
R1__TARGET static R1__ALWAYS_INLINE void R1__FN(r1__q3_kx8_tile)(
    const r1_block_q3_kx8 *g, const r1_block_q8x *x, int xs, int nb, const int NC, int ahead, float *out) {
    R1__FN(r1__k23x8_tile)((const uint8_t *)g, 1, x, xs, nb, NC, ahead, out);
}
R1__X86_PACKED_DISPATCH(q2_k, r1_block_q2_kx8)
R1__X86_PACKED_DISPATCH(q3_k, r1_block_q3_kx8)
R1__X86_PACKED_DISPATCH(q5_0, r1_block_q5_0x8)
R1__X86_PACKED_DISPATCH(q6_k, r1_block_q6_kx8)
R1__X86_PACKED_DISPATCH(q4_k, r1_block_q4_kx8)
R1__X86_PACKED_DISPATCH(q5_k, r1_block_q5_kx8)
R1__X86_PACKED_DISPATCH(q8_0, r1_block_q8_0x8)
R1__X86_PACKED_DISPATCH(q4_0, r1_block_q4_0x8)
#if !R1__ZMM16 /* the AVX-512 VNNI set's two-group kernels are the 512-bit ones (r1__dotq16_*_zmm) */
R1__X86_PACKED_DISPATCH16(q8_0, r1_block_q8_0x8)
R1__X86_PACKED_DISPATCH16(q4_0, r1_block_q4_0x8)
R1__X86_PACKED_DISPATCH16(q4_k, r1_block_q4_kx8)
R1__X86_PACKED_DISPATCH16(q5_k, r1_block_q5_kx8)
#endif
#elif R1__PASS == R1__PASS_ATTN_C /* the plain-C attention loops for one cache element type: R1__ESFX, R1__ELT, R1__LOAD1, R1__DOT */
static void R1__NAME3(r1__scores, R1__ESFX, c)(const R1__ELT *base, size_t stride, const int32_t *rows, int n, const float *q,
                                 size_t q_stride, int nq, int d, float scale, float *out, size_t out_stride) {
    int t, j;
    for (t = 0; t < n; t++)
        for (j = 0; j < nq; j++) out[j * out_stride + t] += scale * R1__DOT(base + (size_t)rows[t] * stride, q + j * q_stride, d);
}
static void R1__NAME3(r1__mix, R1__ESFX, c)(float *out, size_t out_stride, const float *w, size_t w_stride, int nq, const R1__ELT *base,
                              size_t stride, const int32_t *rows, int n, int d) {
    int t, i, j;
    for (t = 0; t < n; t++) {
        const R1__ELT *v = base + (size_t)rows[t] * stride;
        for (j = 0; j < nq; j++)
            for (i = 0; i < d; i++) out[j * out_stride + i] += w[j * w_stride + t] * R1__LOAD1(v, i);
    }
}
#elif R1__PASS == R1__PASS_ATTN_AVX2 /* the AVX2 attention loops: R1__ESFX, R1__ELT, R1__LOAD8, R1__LOAD1, R1__DOT */
/* Rows t, t+1 of a 4-row group against NQ queries (NQ <= R1__ATTN_Q): each 8-element slice of
   the two rows is loaded (and converted) once for all NQ, 2 x NQ accumulators in registers.
   Every (row, query) sums its slices in order and reduces through the same horizontal-add tree
   as a lone row would, so grouping changes no bit. */
R1__TARGET_AVX2 static R1__ALWAYS_INLINE void R1__NAME3(r1__scores_pair, R1__ESFX, avx2)(
    const R1__ELT *r0, const R1__ELT *r1, const float *q0, size_t q_stride, const int NQ, int d, float scale, float *out0,
    size_t out_stride, int t) {
    __m256 a[R1__ATTN_Q][2];
    float tail[R1__ATTN_Q][2], v[4];
    int i, j;
    R1__UNROLL for (j = 0; j < NQ; j++) {
        a[j][0] = a[j][1] = _mm256_setzero_ps();
        tail[j][0] = tail[j][1] = 0.0f;
    }
    for (i = 0; i + 8 <= d; i += 8) {
        __m256 v0 = R1__LOAD8(r0, i), v1 = R1__LOAD8(r1, i);
        R1__UNROLL for (j = 0; j < NQ; j++) {
            __m256 qv = _mm256_loadu_ps(q0 + (size_t)j * q_stride + i);
            R1__KEEP(qv); /* one load for both rows (folded into each multiply-add it was two) */
            a[j][0] = _mm256_fmadd_ps(v0, qv, a[j][0]);
            a[j][1] = _mm256_fmadd_ps(v1, qv, a[j][1]);
        }
    }
    for (; i < d; i++)
        for (j = 0; j < NQ; j++) {
            tail[j][0] += R1__LOAD1(r0, i) * q0[(size_t)j * q_stride + i];
            tail[j][1] += R1__LOAD1(r1, i) * q0[(size_t)j * q_stride + i];
        }
    R1__UNROLL for (j = 0; j < NQ; j += 2) { /* queries j and j1 together: lanes (j, t), (j, t+1), (j1, t), (j1, t+1) */
        const int j1 = j + 1 < NQ ? j + 1 : j;
        __m256 s = _mm256_hadd_ps(_mm256_hadd_ps(a[j][0], a[j][1]), _mm256_hadd_ps(a[j1][0], a[j1][1]));
        __m128 sum = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
        sum = _mm_add_ps(sum, _mm_setr_ps(tail[j][0], tail[j][1], tail[j1][0], tail[j1][1]));
        _mm_storeu_ps(v, _mm_mul_ps(sum, _mm_set1_ps(scale)));
        out0[(size_t)j * out_stride + t] += v[0];
        out0[(size_t)j * out_stride + t + 1] += v[1];
        if (j1 != j) {
            out0[(size_t)j1 * out_stride + t] += v[2];
            out0[(size_t)j1 * out_stride + t + 1] += v[3];
        }
    }
}
/* Scores of n cache rows for nq queries: groups of 4 rows through the pairs above (per tile of
   R1__MIX_ROWS rows, every block of queries while the tile is in L1), the last n % 4 rows one
   dot at a time. */
R1__TARGET_AVX2 static void R1__NAME3(r1__scores, R1__ESFX, avx2)(
    const R1__ELT *base, size_t stride, const int32_t *rows, int n, const float *q0, size_t q_stride, int nq, int d,
    float scale, float *out0, size_t out_stride) {
    int n4 = n - n % 4, t, t0, t1, j, j0, nj;
    for (t0 = 0; t0 < n4; t0 = t1) {
        t1 = t0 + R1__MIX_ROWS < n4 ? t0 + R1__MIX_ROWS : n4;
        for (j0 = 0; j0 < nq; j0 += R1__ATTN_Q) {
            const float *q = q0 + (size_t)j0 * q_stride;
            float *out = out0 + (size_t)j0 * out_stride;
            nj = nq - j0 < R1__ATTN_Q ? nq - j0 : R1__ATTN_Q;
            for (t = t0; t < t1; t += 2) {
                const R1__ELT *r0 = base + (size_t)rows[t] * stride, *r1 = base + (size_t)rows[t + 1] * stride;
                switch (nj) { /* a constant count of queries: the accumulators stay in registers */
                case 1: R1__NAME3(r1__scores_pair, R1__ESFX, avx2)(r0, r1, q, q_stride, 1, d, scale, out, out_stride, t); break;
                case 2: R1__NAME3(r1__scores_pair, R1__ESFX, avx2)(r0, r1, q, q_stride, 2, d, scale, out, out_stride, t); break;
                case 3: R1__NAME3(r1__scores_pair, R1__ESFX, avx2)(r0, r1, q, q_stride, 3, d, scale, out, out_stride, t); break;
                case 4: R1__NAME3(r1__scores_pair, R1__ESFX, avx2)(r0, r1, q, q_stride, 4, d, scale, out, out_stride, t); break;
                case 5: R1__NAME3(r1__scores_pair, R1__ESFX, avx2)(r0, r1, q, q_stride, 5, d, scale, out, out_stride, t); break;
                default: R1__NAME3(r1__scores_pair, R1__ESFX, avx2)(r0, r1, q, q_stride, 6, d, scale, out, out_stride, t); break;
                }
            }
        }
    }
    for (t = n4; t < n; t++)
        for (j = 0; j < nq; j++) out0[j * out_stride + t] += scale * R1__DOT(base + (size_t)rows[t] * stride, q0 + j * q_stride, d);
}
/* Columns [i, i + 16) of NQ queries' outputs over rows [t0, t1): each 16-element slice of a row
   is loaded (and converted) once for all NQ; each output sums its rows in order, one
   multiply-add at a time, as a lone query would. */
R1__TARGET_AVX2 static R1__ALWAYS_INLINE void R1__NAME3(r1__mix_slice, R1__ESFX, avx2)(
    float *out0, size_t out_stride, const float *w0, size_t w_stride, const int NQ, const R1__ELT *base, size_t stride,
    const int32_t *rows, int t0, int t1, int i) {
    __m256 o[R1__ATTN_Q][2];
    int t, j;
    R1__UNROLL for (j = 0; j < NQ; j++) {
        o[j][0] = _mm256_loadu_ps(out0 + (size_t)j * out_stride + i);
        o[j][1] = _mm256_loadu_ps(out0 + (size_t)j * out_stride + i + 8);
    }
    for (t = t0; t < t1; t++) {
        const R1__ELT *v = base + (size_t)rows[t] * stride;
        __m256 v0 = R1__LOAD8(v, i), v1 = R1__LOAD8(v, i + 8);
        R1__UNROLL for (j = 0; j < NQ; j++) {
            __m256 wv = _mm256_set1_ps(w0[(size_t)j * w_stride + t]);
            o[j][0] = _mm256_fmadd_ps(wv, v0, o[j][0]);
            o[j][1] = _mm256_fmadd_ps(wv, v1, o[j][1]);
        }
    }
    R1__UNROLL for (j = 0; j < NQ; j++) {
        _mm256_storeu_ps(out0 + (size_t)j * out_stride + i, o[j][0]);
        _mm256_storeu_ps(out0 + (size_t)j * out_stride + i + 8, o[j][1]);
    }
}
R1__TARGET_AVX2 static void R1__NAME3(r1__mix, R1__ESFX, avx2)(
    float *out0, size_t out_stride, const float *w0, size_t w_stride, int nq, const R1__ELT *base, size_t stride,
    const int32_t *rows, int n, int d) {
    int t, t0, t1, i = 0, j, j0, nj;
    for (t0 = 0; t0 < n; t0 = t1) {
        t1 = t0 + R1__MIX_ROWS < n ? t0 + R1__MIX_ROWS : n;
        r1__prefetch_rows(base, R1__BYTES_OF(d), stride * sizeof(R1__ELT), rows, t0 + R1__AHEAD, t1 + R1__AHEAD, n);
        for (j0 = 0; j0 < nq; j0 += R1__ATTN_Q) {
            float *outb = out0 + (size_t)j0 * out_stride;
            const float *wb = w0 + (size_t)j0 * w_stride;
            nj = nq - j0 < R1__ATTN_Q ? nq - j0 : R1__ATTN_Q;
            for (i = 0; i + 16 <= d; i += 16)
                switch (nj) { /* a constant count of queries: the outputs stay in registers */
                case 1: R1__NAME3(r1__mix_slice, R1__ESFX, avx2)(outb, out_stride, wb, w_stride, 1, base, stride, rows, t0, t1, i); break;
                case 2: R1__NAME3(r1__mix_slice, R1__ESFX, avx2)(outb, out_stride, wb, w_stride, 2, base, stride, rows, t0, t1, i); break;
                case 3: R1__NAME3(r1__mix_slice, R1__ESFX, avx2)(outb, out_stride, wb, w_stride, 3, base, stride, rows, t0, t1, i); break;
                case 4: R1__NAME3(r1__mix_slice, R1__ESFX, avx2)(outb, out_stride, wb, w_stride, 4, base, stride, rows, t0, t1, i); break;
                case 5: R1__NAME3(r1__mix_slice, R1__ESFX, avx2)(outb, out_stride, wb, w_stride, 5, base, stride, rows, t0, t1, i); break;
                default: R1__NAME3(r1__mix_slice, R1__ESFX, avx2)(outb, out_stride, wb, w_stride, 6, base, stride, rows, t0, t1, i); break;
                }
            for (j = 0; j < nj; j++) { /* the columns past the last 16 */
                float *out = outb + (size_t)j * out_stride;
                const float *w = wb + (size_t)j * w_stride;
                int k = i;
                for (; k + 8 <= d; k += 8) {
                    __m256 o = _mm256_loadu_ps(out + k);
                    for (t = t0; t < t1; t++) o = _mm256_fmadd_ps(_mm256_set1_ps(w[t]), R1__LOAD8(base + (size_t)rows[t] * stride, k), o);
                    _mm256_storeu_ps(out + k, o);
                }
                for (; k < d; k++)
                    for (t = t0; t < t1; t++) out[k] += w[t] * R1__LOAD1(base + (size_t)rows[t] * stride, k);
            }
        }
    }
}
#elif R1__PASS == R1__PASS_MIX_AVX512 /* the AVX-512 weighted sum: R1__ESFX, R1__ELT, R1__LOAD16 */
/* Columns [i, i + 64) of NQ queries' outputs (NQ <= R1__MIX_Q, a constant: no test per query in
   the loop) over rows [t0, t1) */
R1__TARGET_AVX512F static R1__ALWAYS_INLINE void R1__NAME3(r1__mix_block, R1__ESFX, avx512)(
    float *out0, size_t out_stride, const float *w0, size_t w_stride, const int NQ, const R1__ELT *base, size_t stride,
    const int32_t *rows, int t0, int t1, int i) {
    __m512 o[R1__MIX_Q][4];
    int t, j, k;
    R1__UNROLL for (j = 0; j < NQ; j++)
        R1__UNROLL for (k = 0; k < 4; k++) o[j][k] = _mm512_loadu_ps(out0 + (size_t)j * out_stride + i + 16 * k);
    for (t = t0; t < t1; t++) {
        const R1__ELT *v = base + (size_t)rows[t] * stride;
        __m512 vv[4];
        R1__UNROLL for (k = 0; k < 4; k++) vv[k] = R1__LOAD16(v, i + 16 * k);
        R1__UNROLL for (j = 0; j < NQ; j++) {
            __m512 wv = _mm512_set1_ps(w0[(size_t)j * w_stride + t]);
            R1__UNROLL for (k = 0; k < 4; k++) o[j][k] = _mm512_fmadd_ps(wv, vv[k], o[j][k]);
        }
    }
    R1__UNROLL for (j = 0; j < NQ; j++)
        R1__UNROLL for (k = 0; k < 4; k++) _mm512_storeu_ps(out0 + (size_t)j * out_stride + i + 16 * k, o[j][k]);
}
R1__TARGET_AVX512F static void R1__NAME3(r1__mix, R1__ESFX, avx512)(
    float *out0, size_t out_stride, const float *w0, size_t w_stride, int nq, const R1__ELT *base, size_t stride,
    const int32_t *rows, int n, int d) {
    int t0, t1, i, j0, nj;
    for (t0 = 0; t0 < n; t0 = t1) {
        t1 = t0 + R1__MIX_ROWS < n ? t0 + R1__MIX_ROWS : n;
        r1__prefetch_rows(base, R1__BYTES_OF(d), stride * sizeof(R1__ELT), rows, t0 + R1__AHEAD, t1 + R1__AHEAD, n);
        for (j0 = 0; j0 < nq; j0 += R1__MIX_Q) {
            float *out = out0 + (size_t)j0 * out_stride;
            const float *w = w0 + (size_t)j0 * w_stride;
            nj = nq - j0 < R1__MIX_Q ? nq - j0 : R1__MIX_Q;
            for (i = 0; i + 64 <= d; i += 64)
                switch (nj) { /* a constant count of queries: the outputs stay in registers */
                case 1: R1__NAME3(r1__mix_block, R1__ESFX, avx512)(out, out_stride, w, w_stride, 1, base, stride, rows, t0, t1, i); break;
                case 2: R1__NAME3(r1__mix_block, R1__ESFX, avx512)(out, out_stride, w, w_stride, 2, base, stride, rows, t0, t1, i); break;
                case 3: R1__NAME3(r1__mix_block, R1__ESFX, avx512)(out, out_stride, w, w_stride, 3, base, stride, rows, t0, t1, i); break;
                case 4: R1__NAME3(r1__mix_block, R1__ESFX, avx512)(out, out_stride, w, w_stride, 4, base, stride, rows, t0, t1, i); break;
                case 5: R1__NAME3(r1__mix_block, R1__ESFX, avx512)(out, out_stride, w, w_stride, 5, base, stride, rows, t0, t1, i); break;
                default: R1__NAME3(r1__mix_block, R1__ESFX, avx512)(out, out_stride, w, w_stride, 6, base, stride, rows, t0, t1, i); break;
                }
        }
    }
    if (d % 64) /* the columns past the last 64: the AVX2 loops (each output still sums its rows in order) */
        R1__NAME3(r1__mix, R1__ESFX, avx2)(out0 + (d - d % 64), out_stride, w0, w_stride, nq, R1__AT(base, d - d % 64), stride, rows, n, d % 64);
}
#elif R1__PASS == R1__PASS_SCORES_AVX512 /* the AVX-512 scores: R1__ESFX, R1__ELT, R1__LOAD16, R1__LOAD16_FIRST */
/* 4 rows r[0..4) (the valid first nt) against NQ queries (NQ <= R1__MIX_Q, a constant: no test
   per query in the loop): their scores added into out[j * out_stride + 0..nt) */
R1__TARGET_AVX512BW static R1__ALWAYS_INLINE void R1__NAME3(r1__scores_block, R1__ESFX, avx512)(
    const R1__ELT *const *r, int nt, const float *q0, size_t q_stride, const int NQ, int d, __mmask16 tail, float scale,
    float *out0, size_t out_stride) {
    __m512 a[R1__MIX_Q][4], rv[4];
    int i, k, j;
    R1__UNROLL for (j = 0; j < NQ; j++)
        R1__UNROLL for (k = 0; k < 4; k++) a[j][k] = _mm512_setzero_ps();
    for (i = 0; i + 16 <= d; i += 16) {
        R1__UNROLL for (k = 0; k < 4; k++) rv[k] = R1__LOAD16(r[k], i);
        R1__UNROLL for (j = 0; j < NQ; j++) {
            __m512 qv = _mm512_loadu_ps(q0 + (size_t)j * q_stride + i);
            R1__UNROLL for (k = 0; k < 4; k++) a[j][k] = _mm512_fmadd_ps(rv[k], qv, a[j][k]);
        }
    }
    if (tail) {
        R1__UNROLL for (k = 0; k < 4; k++) rv[k] = R1__LOAD16_FIRST(tail, r[k], i);
        R1__UNROLL for (j = 0; j < NQ; j++) {
            __m512 qv = _mm512_maskz_loadu_ps(tail, q0 + (size_t)j * q_stride + i);
            R1__UNROLL for (k = 0; k < 4; k++) a[j][k] = _mm512_fmadd_ps(rv[k], qv, a[j][k]);
        }
    }
    R1__UNROLL for (j = 0; j < NQ; j += 4) { /* queries j .. j + 3 (past NQ: zeros, whose results are dropped) */
        __m512 s[16];
        float v[16];
        int jj;
        R1__UNROLL for (jj = 0; jj < 4; jj++)
            R1__UNROLL for (k = 0; k < 4; k++) s[4 * jj + k] = j + jj < NQ ? a[j + jj][k] : _mm512_setzero_ps();
        _mm512_storeu_ps(v, _mm512_mul_ps(r1__tree16_512(s), _mm512_set1_ps(scale)));
        R1__UNROLL for (jj = 0; jj < 4; jj++) {
            float *out;
            if (j + jj >= NQ) break;
            out = out0 + (size_t)(j + jj) * out_stride;
            if (nt == 4) _mm_storeu_ps(out, _mm_add_ps(_mm_loadu_ps(out), _mm_loadu_ps(v + 4 * jj)));
            else for (k = 0; k < nt; k++) out[k] += v[4 * jj + k];
        }
    }
}
R1__TARGET_AVX512BW static void R1__NAME3(r1__scores, R1__ESFX, avx512)(
    const R1__ELT *base, size_t stride, const int32_t *rows, int n, const float *q0, size_t q_stride, int nq, int d,
    float scale, float *out0, size_t out_stride) {
    const __mmask16 tail = (__mmask16)((1u << (d % 16)) - 1u);
    int t, k, j0, nj, nt;
    for (t = 0; t < n; t += 4) {
        const R1__ELT *r[4];
        nt = n - t < 4 ? n - t : 4;
        R1__UNROLL for (k = 0; k < 4; k++) r[k] = base + (size_t)rows[t + (k < nt ? k : nt - 1)] * stride;
        r1__prefetch_rows(base, R1__BYTES_OF(d), stride * sizeof(R1__ELT), rows, t + R1__SCORES_AHEAD, t + R1__SCORES_AHEAD + 4, n);
        for (j0 = 0; j0 < nq; j0 += R1__MIX_Q) {
            const float *q = q0 + (size_t)j0 * q_stride;
            float *out = out0 + (size_t)j0 * out_stride + t;
            nj = nq - j0 < R1__MIX_Q ? nq - j0 : R1__MIX_Q;
            switch (nj) { /* a constant count of queries: the sums stay in registers */
            case 1: R1__NAME3(r1__scores_block, R1__ESFX, avx512)(r, nt, q, q_stride, 1, d, tail, scale, out, out_stride); break;
            case 2: R1__NAME3(r1__scores_block, R1__ESFX, avx512)(r, nt, q, q_stride, 2, d, tail, scale, out, out_stride); break;
            case 3: R1__NAME3(r1__scores_block, R1__ESFX, avx512)(r, nt, q, q_stride, 3, d, tail, scale, out, out_stride); break;
            case 4: R1__NAME3(r1__scores_block, R1__ESFX, avx512)(r, nt, q, q_stride, 4, d, tail, scale, out, out_stride); break;
            case 5: R1__NAME3(r1__scores_block, R1__ESFX, avx512)(r, nt, q, q_stride, 5, d, tail, scale, out, out_stride); break;
            default: R1__NAME3(r1__scores_block, R1__ESFX, avx512)(r, nt, q, q_stride, 6, d, tail, scale, out, out_stride); break;
            }
        }
    }
}
#elif R1__PASS == R1__PASS_AMX /* the matrix-unit kernel of one type, over its R1__AMX_TYPE_prep and _scale steps: R1__AMX_TYPE, R1__AMX_BLOCK */
R1__AMX_TARGET static R1__ALWAYS_INLINE void R1__NAME2(r1__dotamx_cols, R1__AMX_TYPE)(
    const uint8_t *group, size_t gbytes, const r1_block_q8x16 *x, int nb, int nc, float *out, const int NCOL) {
    R1__ALIGNED(64) int8_t w[2][512];
    R1__ALIGNED(64) int32_t sums[2][16 * 16];
    const R1__AMX_BLOCK *g0 = (const R1__AMX_BLOCK *)(const void *)group, *g1 = (const R1__AMX_BLOCK *)(const void *)(group + gbytes);
    __m512 acc[16];
    int j, c;
    R1__UNROLL for (c = 0; c < NCOL; c++) acc[c] = _mm512_setzero_ps();
    r1__amx_begin(32, NCOL);
    R1__NAME3(r1__amx, R1__AMX_TYPE, prep)(g0, g1, 0, w[0]);
    if (nb > 1) R1__NAME3(r1__amx, R1__AMX_TYPE, prep)(g0, g1, 1, w[1]);
    for (j = 0; j < nb; j += 2) {
        R1__TILE_LOAD(4, w[0], 64);
        R1__TILE_LOAD(2, x[j].qs, 32);
        R1__TILE_ZERO(0);
        R1__TILE_DP(0, 2, 4);
        if (j + 1 < nb) {
            R1__TILE_LOAD(5, w[1], 64);
            R1__TILE_LOAD(3, x[j + 1].qs, 32);
            R1__TILE_ZERO(1);
            R1__TILE_DP(1, 3, 5);
        }
        if (j > 0) {
            R1__NAME3(r1__amx, R1__AMX_TYPE, scale)(g0, g1, j - 2, sums[0], x + j - 2, acc, NCOL);
            R1__NAME3(r1__amx, R1__AMX_TYPE, scale)(g0, g1, j - 1, sums[1], x + j - 1, acc, NCOL);
        }
        if (j + 2 < nb) R1__NAME3(r1__amx, R1__AMX_TYPE, prep)(g0, g1, j + 2, w[0]);
        if (j + 3 < nb) R1__NAME3(r1__amx, R1__AMX_TYPE, prep)(g0, g1, j + 3, w[1]);
        R1__TILE_STORE(0, sums[0], 64);
        if (j + 1 < nb) R1__TILE_STORE(1, sums[1], 64);
    }
    j -= 2; /* the last pair, or single step */
    R1__NAME3(r1__amx, R1__AMX_TYPE, scale)(g0, g1, j, sums[0], x + j, acc, NCOL);
    if (j + 1 < nb) R1__NAME3(r1__amx, R1__AMX_TYPE, scale)(g0, g1, j + 1, sums[1], x + j + 1, acc, NCOL);
    r1__amx_end();
    for (c = 0; c < nc; c++) _mm512_storeu_ps(out + 16 * c, acc[c]);
}
R1__AMX_WIDTHS(R1__AMX_TYPE)
#elif R1__PASS == R1__PASS_NEON_ROWS /* the NEON row kernels and their column loops: R1__SFX, R1__TARGET, R1__DOT16 */
R1__TARGET static float R1__FN(r1__dot1q_q8_0)(const void *row, const r1_block_q8x *x, int nb) {
    const r1_block_q8_0 *w = (const r1_block_q8_0 *)row;
    float32x4_t acc = vdupq_n_f32(0.0f);
    int b;
    for (b = 0; b < nb; b++) {
        int32x4_t p = vdupq_n_s32(0);
        p = R1__DOT16(p, vld1q_s8(w[b].qs), vld1q_s8(x[b].qs));
        p = R1__DOT16(p, vld1q_s8(w[b].qs + 16), vld1q_s8(x[b].qs + 16));
        acc = vmlaq_n_f32(acc, vcvtq_f32_s32(p), r1_fp16_to_fp32(w[b].d) * x[b].d);
    }
    return vaddvq_f32(acc);
}
R1__TARGET static float R1__FN(r1__dot1q_q4_0)(const void *row, const r1_block_q8x *x, int nb) {
    const r1_block_q4_0 *w = (const r1_block_q4_0 *)row;
    float32x4_t acc = vdupq_n_f32(0.0f);
    int b;
    for (b = 0; b < nb; b++) {
        uint8x16_t raw = vld1q_u8(w[b].qs);
        int32x4_t p = vdupq_n_s32(0);
        /* nibbles 0..15 as int8; the -8 is taken off as 8 * sum(x), in integers */
        p = R1__DOT16(p, vreinterpretq_s8_u8(vandq_u8(raw, vdupq_n_u8(0x0f))), vld1q_s8(x[b].qs));
        p = R1__DOT16(p, vreinterpretq_s8_u8(vshrq_n_u8(raw, 4)), vld1q_s8(x[b].qs + 16));
        p = vsetq_lane_s32(vgetq_lane_s32(p, 0) - 8 * (x[b].sum[0] + x[b].sum[1]), p, 0);
        acc = vmlaq_n_f32(acc, vcvtq_f32_s32(p), r1_fp16_to_fp32(w[b].d) * x[b].d);
    }
    return vaddvq_f32(acc);
}
R1__COLUMNS_OF(R1__FN(r1__dotq_q8_0), R1__FN(r1__dot1q_q8_0))
R1__COLUMNS_OF(R1__FN(r1__dotq_q4_0), R1__FN(r1__dot1q_q4_0))
#elif R1__PASS == R1__PASS_NEON_PACKED /* the packed 8-row NEON kernels: R1__SFX, R1__TARGET, R1__DOT4 */
R1__TARGET static void R1__FN(r1__dotq8_q8_0)(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    const r1_block_q8_0x8 *g = (const r1_block_q8_0x8 *)group;
    int c, b, i;
    (void)ahead;
    for (c = 0; c < nc; c++) {
        float32x4_t acc0 = vdupq_n_f32(0.0f), acc1 = vdupq_n_f32(0.0f), d0, d1;
        for (b = 0; b < nb; b++) {
            const r1_block_q8x *xb = x + (size_t)c * xs + b;
            int32x4_t p0 = vdupq_n_s32(0), p1 = vdupq_n_s32(0);
            R1__UNROLL for (i = 0; i < 8; i++) {
                int8x16_t xv = R1__DUP4(xb->qs + 4 * i);
                p0 = R1__DOT4(p0, vld1q_s8(g[b].qs + 32 * i), xv);
                p1 = R1__DOT4(p1, vld1q_s8(g[b].qs + 32 * i + 16), xv);
            }
            R1__F16X8(g[b].d, d0, d1);
            acc0 = vfmaq_f32(acc0, vcvtq_f32_s32(p0), vmulq_n_f32(d0, xb->d));
            acc1 = vfmaq_f32(acc1, vcvtq_f32_s32(p1), vmulq_n_f32(d1, xb->d));
        }
        vst1q_f32(out + 8 * c, acc0);
        vst1q_f32(out + 8 * c + 4, acc1);
    }
}
R1__TARGET static void R1__FN(r1__dotq8_q4_0)(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    const r1_block_q4_0x8 *g = (const r1_block_q4_0x8 *)group;
    const uint8x16_t low4 = vdupq_n_u8(0x0f);
    int c, b, i, h;
    (void)ahead;
    for (c = 0; c < nc; c++) {
        float32x4_t acc0 = vdupq_n_f32(0.0f), acc1 = vdupq_n_f32(0.0f), d0, d1;
        for (b = 0; b < nb; b++) {
            const r1_block_q8x *xb = x + (size_t)c * xs + b;
            int32x4_t p[2];
            p[0] = p[1] = vdupq_n_s32(xb->off);
            R1__UNROLL for (i = 0; i < 4; i++) {
                int8x16_t x0 = R1__DUP4(xb->qs + 4 * i), x1 = R1__DUP4(xb->qs + 16 + 4 * i);
                R1__UNROLL for (h = 0; h < 2; h++) {
                    uint8x16_t v = vld1q_u8(g[b].qs + 32 * i + 16 * h);
                    p[h] = R1__DOT4(p[h], vreinterpretq_s8_u8(vandq_u8(v, low4)), x0);
                    p[h] = R1__DOT4(p[h], vreinterpretq_s8_u8(vshrq_n_u8(v, 4)), x1);
                }
            }
            R1__F16X8(g[b].d, d0, d1);
            acc0 = vfmaq_f32(acc0, vcvtq_f32_s32(p[0]), vmulq_n_f32(d0, xb->d));
            acc1 = vfmaq_f32(acc1, vcvtq_f32_s32(p[1]), vmulq_n_f32(d1, xb->d));
        }
        vst1q_f32(out + 8 * c, acc0);
        vst1q_f32(out + 8 * c + 4, acc1);
    }
}
R1__TARGET static void R1__FN(r1__dotq8_q5_0)(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    const r1_block_q5_0x8 *g = (const r1_block_q5_0x8 *)group;
    const uint8x16_t low4 = vdupq_n_u8(0x0f), bytes = vreinterpretq_u8_u32(vdupq_n_u32(0x01010101));
    int c, b, i, h;
    (void)ahead;
    for (c = 0; c < nc; c++) {
        float32x4_t acc0 = vdupq_n_f32(0.0f), acc1 = vdupq_n_f32(0.0f), d0, d1;
        for (b = 0; b < nb; b++) {
            const r1_block_q8x *xb = x + (size_t)c * xs + b;
            int32x4_t p[2];
            p[0] = p[1] = vdupq_n_s32(2 * xb->off);
            R1__UNROLL for (i = 0; i < 4; i++) {
                int8x16_t x0 = R1__DUP4(xb->qs + 4 * i), x1 = R1__DUP4(xb->qs + 16 + 4 * i);
                R1__UNROLL for (h = 0; h < 2; h++) { /* rows 4h .. 4h+3: their 4 fifth bits to 4 bytes */
                    uint32x4_t qh = vld1q_u32((const uint32_t *)(const void *)(g[b].qh + 16 * h));
                    uint8x16_t bl = vandq_u8(vreinterpretq_u8_u32(vmulq_n_u32(vandq_u32(vshlq_u32(qh, vdupq_n_s32(-4 * i)), vdupq_n_u32(15)), 0x00204081)), bytes);
                    uint8x16_t bh = vandq_u8(vreinterpretq_u8_u32(vmulq_n_u32(vandq_u32(vshlq_u32(qh, vdupq_n_s32(-16 - 4 * i)), vdupq_n_u32(15)), 0x00204081)), bytes);
                    uint8x16_t v = vld1q_u8(g[b].qs + 32 * i + 16 * h);
                    p[h] = R1__DOT4(p[h], vreinterpretq_s8_u8(vorrq_u8(vandq_u8(v, low4), vshlq_n_u8(bl, 4))), x0);
                    p[h] = R1__DOT4(p[h], vreinterpretq_s8_u8(vorrq_u8(vshrq_n_u8(v, 4), vshlq_n_u8(bh, 4))), x1);
                }
            }
            R1__F16X8(g[b].d, d0, d1);
            acc0 = vfmaq_f32(acc0, vcvtq_f32_s32(p[0]), vmulq_n_f32(d0, xb->d));
            acc1 = vfmaq_f32(acc1, vcvtq_f32_s32(p[1]), vmulq_n_f32(d1, xb->d));
        }
        vst1q_f32(out + 8 * c, acc0);
        vst1q_f32(out + 8 * c + 4, acc1);
    }
}
/* q4_k and q5_k (HIGH: the 5th bits): per sub-block the 8 rows' dots scaled by
   (d * sc) * dx, less dmin * m * dx * sum(x), as the C twin */
R1__TARGET static inline void R1__FN(r1__kx8_neon)(const uint8_t *d16, const uint8_t *dmin16, const uint8_t scales[12][8],
                                                const uint8_t *qs, const uint8_t *qh, const r1_block_q8x *xb, float32x4_t acc[2]) {
    const uint8x16_t low4 = vdupq_n_u8(0x0f), one = vdupq_n_u8(1);
    uint64_t sc[8], mn[8];
    float32x4_t d[2], dm[2];
    int s, i, h;
    r1__q4_kx8_scales(scales, sc, mn);
    R1__F16X8((const uint16_t *)(const void *)d16, d[0], d[1]);
    R1__F16X8((const uint16_t *)(const void *)dmin16, dm[0], dm[1]);
    for (s = 0; s < 8; s++) {
        uint32x4_t scv[2], mnv[2];
        int32x4_t p[2];
        p[0] = p[1] = vdupq_n_s32(0);
        R1__U8X8((const uint8_t *)&sc[s], scv[0], scv[1]);
        R1__U8X8((const uint8_t *)&mn[s], mnv[0], mnv[1]);
        R1__UNROLL for (i = 0; i < 8; i++) {
            int8x16_t xv = R1__DUP4(xb[s].qs + 4 * i);
            R1__UNROLL for (h = 0; h < 2; h++) {
                uint8x16_t v = vld1q_u8(qs + 256 * (s / 2) + 32 * i + 16 * h);
                uint8x16_t q = s % 2 ? vshrq_n_u8(v, 4) : vandq_u8(v, low4);
                if (qh) q = vorrq_u8(q, vshlq_n_u8(vandq_u8(vshlq_u8(vld1q_u8(qh + 32 * i + 16 * h), vdupq_n_s8((int8_t)-s)), one), 4));
                p[h] = R1__DOT4(p[h], vreinterpretq_s8_u8(q), xv);
            }
        }
        R1__UNROLL for (h = 0; h < 2; h++) {
            float32x4_t dsc = vmulq_f32(d[h], vcvtq_f32_u32(scv[h]));
            acc[h] = vfmaq_f32(acc[h], vcvtq_f32_s32(p[h]), vmulq_n_f32(dsc, xb[s].d));
            acc[h] = vfmsq_f32(acc[h], vmulq_f32(dm[h], vcvtq_f32_u32(mnv[h])), vdupq_n_f32(xb[s].dsum));
        }
    }
}
R1__TARGET static void R1__FN(r1__dotq8_q4_k)(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    const r1_block_q4_kx8 *g = (const r1_block_q4_kx8 *)group;
    int c, b;
    (void)ahead;
    for (c = 0; c < nc; c++) {
        float32x4_t acc[2];
        acc[0] = acc[1] = vdupq_n_f32(0.0f);
        for (b = 0; b < nb / 8; b++)
            R1__FN(r1__kx8_neon)((const uint8_t *)g[b].d, (const uint8_t *)g[b].dmin, g[b].scales, g[b].qs, NULL, x + (size_t)c * xs + 8 * b, acc);
        vst1q_f32(out + 8 * c, acc[0]);
        vst1q_f32(out + 8 * c + 4, acc[1]);
    }
}
R1__TARGET static void R1__FN(r1__dotq8_q5_k)(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    const r1_block_q5_kx8 *g = (const r1_block_q5_kx8 *)group;
    int c, b;
    (void)ahead;
    for (c = 0; c < nc; c++) {
        float32x4_t acc[2];
        acc[0] = acc[1] = vdupq_n_f32(0.0f);
        for (b = 0; b < nb / 8; b++)
            R1__FN(r1__kx8_neon)((const uint8_t *)g[b].d, (const uint8_t *)g[b].dmin, g[b].scales, g[b].qs, g[b].qh, x + (size_t)c * xs + 8 * b, acc);
        vst1q_f32(out + 8 * c, acc[0]);
        vst1q_f32(out + 8 * c + 4, acc[1]);
    }
}
/* q2_k and q3_k (THREE): per 16, scale * sum(q x) in integers, q3_k's offset of 4 as the
   lanes' start of -4 * sum(x); q2_k's minimums times each 16's input sum, scaled by dmin
   * dx; the 8 rows' scales of a 16 unpacked together (8 bytes) */
R1__TARGET static void R1__FN(r1__k23x8_neon)(const uint8_t *blocks, const int THREE, const r1_block_q8x *x, int xs, int nb, int nc,
                                           float *out) {
    const uint8x16_t low2 = vdupq_n_u8(3), one = vdupq_n_u8(1);
    const size_t block_bytes = THREE ? sizeof(r1_block_q3_kx8) : sizeof(r1_block_q2_kx8);
    int c, b, s, half, i, h;
    for (c = 0; c < nc; c++) {
        float32x4_t acc[2], d[2], dm[2];
        acc[0] = acc[1] = vdupq_n_f32(0.0f);
        for (b = 0; b < nb / 8; b++) {
            const r1_block_q2_kx8 *g2 = (const r1_block_q2_kx8 *)(const void *)(blocks + b * block_bytes);
            const r1_block_q3_kx8 *g3 = (const r1_block_q3_kx8 *)(const void *)(blocks + b * block_bytes);
            const uint8_t *qs = THREE ? g3->qs : g2->qs;
            R1__F16X8(THREE ? g3->d : g2->d, d[0], d[1]);
            if (!THREE) R1__F16X8(g2->dmin, dm[0], dm[1]);
            for (s = 0; s < 8; s++) {
                const r1_block_q8x *xb = x + (size_t)c * xs + 8 * b + s;
                int32x4_t p[2], m[2];
                p[0] = p[1] = m[0] = m[1] = vdupq_n_s32(0);
                for (half = 0; half < 2; half++) {
                    int gi = 2 * s + half;
                    int16x8_t sc16, mn16;
                    int32x4_t ph[2];
                    if (THREE) {
                        uint8x8_t lo = vld1_u8(g3->scales[gi % 8]), hi = vld1_u8(g3->scales[8 + gi % 4]);
                        lo = gi / 8 ? vshr_n_u8(lo, 4) : vand_u8(lo, vdup_n_u8(0x0f));
                        hi = vand_u8(vshl_u8(hi, vdup_n_s8((int8_t)(-2 * (gi / 4)))), vdup_n_u8(3));
                        sc16 = vsubq_s16(vreinterpretq_s16_u16(vmovl_u8(vorr_u8(lo, vshl_n_u8(hi, 4)))), vdupq_n_s16(32));
                        mn16 = sc16;
                    } else {
                        uint8x8_t raw = vld1_u8(g2->scales[gi]);
                        sc16 = vreinterpretq_s16_u16(vmovl_u8(vand_u8(raw, vdup_n_u8(0x0f))));
                        mn16 = vreinterpretq_s16_u16(vmovl_u8(vshr_n_u8(raw, 4)));
                    }
                    ph[0] = ph[1] = vdupq_n_s32(THREE ? -4 * xb->sum[half] : 0);
                    R1__UNROLL for (i = 4 * half; i < 4 * half + 4; i++) {
                        int8x16_t xv = R1__DUP4(xb->qs + 4 * i);
                        R1__UNROLL for (h = 0; h < 2; h++) {
                            uint8x16_t v = vld1q_u8(qs + 256 * (s / 4) + 32 * i + 16 * h);
                            uint8x16_t q = vandq_u8(vshlq_u8(v, vdupq_n_s8((int8_t)(-2 * (s % 4)))), low2);
                            if (THREE) {
                                uint8x16_t hb = vld1q_u8(g3->hmask + 32 * i + 16 * h);
                                q = vorrq_u8(q, vshlq_n_u8(vandq_u8(vshlq_u8(hb, vdupq_n_s8((int8_t)-s)), one), 2));
                            }
                            ph[h] = R1__DOT4(ph[h], vreinterpretq_s8_u8(q), xv);
                        }
                    }
                    p[0] = vmlaq_s32(p[0], ph[0], vmovl_s16(vget_low_s16(sc16)));
                    p[1] = vmlaq_s32(p[1], ph[1], vmovl_s16(vget_high_s16(sc16)));
                    if (!THREE) {
                        m[0] = vmlaq_n_s32(m[0], vmovl_s16(vget_low_s16(mn16)), xb->sum[half]);
                        m[1] = vmlaq_n_s32(m[1], vmovl_s16(vget_high_s16(mn16)), xb->sum[half]);
                    }
                }
                R1__UNROLL for (h = 0; h < 2; h++) {
                    acc[h] = vfmaq_f32(acc[h], vcvtq_f32_s32(p[h]), vmulq_n_f32(d[h], xb->d));
                    if (!THREE) acc[h] = vfmsq_f32(acc[h], vcvtq_f32_s32(m[h]), vmulq_n_f32(dm[h], xb->d));
                }
            }
        }
        vst1q_f32(out + 8 * c, acc[0]);
        vst1q_f32(out + 8 * c + 4, acc[1]);
    }
}
R1__TARGET static void R1__FN(r1__dotq8_q2_k)(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    (void)ahead;
    R1__FN(r1__k23x8_neon)(group, 0, x, xs, nb, nc, out);
}
R1__TARGET static void R1__FN(r1__dotq8_q3_k)(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    (void)ahead;
    R1__FN(r1__k23x8_neon)(group, 1, x, xs, nb, nc, out);
}
/* q6_k: per 16, sc * (sum(q x) - 32 sum(x)) in integers; per input block, times d * dx */
R1__TARGET static void R1__FN(r1__dotq8_q6_k)(const uint8_t *group, const r1_block_q8x *x, int xs, int nb, int nc, int ahead, float *out) {
    const r1_block_q6_kx8 *g = (const r1_block_q6_kx8 *)group;
    const uint8x16_t low4 = vdupq_n_u8(0x0f), low2 = vdupq_n_u8(3);
    int c, b, hh, k, half, i, h;
    (void)ahead;
    for (c = 0; c < nc; c++) {
        float32x4_t acc[2], d[2];
        acc[0] = acc[1] = vdupq_n_f32(0.0f);
        for (b = 0; b < nb / 8; b++) {
            R1__F16X8(g[b].d, d[0], d[1]);
            R1__UNROLL for (hh = 0; hh < 2; hh++)
                for (k = 0; k < 4; k++) {
                    const r1_block_q8x *xb = x + (size_t)c * xs + 8 * b + 4 * hh + k;
                    int32x4_t p[2];
                    p[0] = p[1] = vdupq_n_s32(0);
                    for (half = 0; half < 2; half++) {
                        int16x8_t sc16 = vmovl_s8(vld1_s8(g[b].scales[8 * hh + 2 * k + half]));
                        int32x4_t ph[2];
                        ph[0] = ph[1] = vdupq_n_s32(-32 * xb->sum[half]);
                        R1__UNROLL for (i = 4 * half; i < 4 * half + 4; i++) {
                            int8x16_t xv = R1__DUP4(xb->qs + 4 * i);
                            R1__UNROLL for (h = 0; h < 2; h++) {
                                uint8x16_t lv = vld1q_u8(g[b].ql + 512 * hh + 256 * (k % 2) + 32 * i + 16 * h);
                                uint8x16_t hv = vld1q_u8(g[b].qh + 256 * hh + 32 * i + 16 * h);
                                uint8x16_t lo = k / 2 ? vshrq_n_u8(lv, 4) : vandq_u8(lv, low4);
                                uint8x16_t hi = vandq_u8(vshlq_u8(hv, vdupq_n_s8((int8_t)(-2 * k))), low2);
                                ph[h] = R1__DOT4(ph[h], vreinterpretq_s8_u8(vorrq_u8(lo, vshlq_n_u8(hi, 4))), xv);
                            }
                        }
                        p[0] = vmlaq_s32(p[0], ph[0], vmovl_s16(vget_low_s16(sc16)));
                        p[1] = vmlaq_s32(p[1], ph[1], vmovl_s16(vget_high_s16(sc16)));
                    }
                    R1__UNROLL for (h = 0; h < 2; h++) acc[h] = vfmaq_f32(acc[h], vcvtq_f32_s32(p[h]), vmulq_n_f32(d[h], xb->d));
                }
        }
        vst1q_f32(out + 8 * c, acc[0]);
        vst1q_f32(out + 8 * c + 4, acc[1]);
    }
}
#elif R1__PASS == R1__PASS_ATTN_NEON /* the NEON attention loops: R1__ESFX, R1__ELT, R1__LOAD4, R1__LOAD1, R1__DOT */
/* Rows t..t+3 against NQ queries (NQ <= R1__ATTN_Q): each 4-element slice of the 4 rows is
   loaded (and converted) once for all NQ, 4 x NQ accumulators in registers (NEON has 32).
   Every (row, query) sums and reduces as a lone query's would, so grouping changes no bit. */
static R1__ALWAYS_INLINE void R1__NAME3(r1__scores_quad, R1__ESFX, neon)(
    const R1__ELT *const *r, const float *q0, size_t q_stride, const int NQ, int d, float scale, float *out0,
    size_t out_stride, int t) {
    float32x4_t a[R1__ATTN_Q][4];
    float tail[R1__ATTN_Q][4];
    int i, j, k;
    R1__UNROLL for (j = 0; j < NQ; j++)
        R1__UNROLL for (k = 0; k < 4; k++) {
            a[j][k] = vdupq_n_f32(0.0f);
            tail[j][k] = 0.0f;
        }
    for (i = 0; i + 4 <= d; i += 4) {
        float32x4_t v[4];
        R1__UNROLL for (k = 0; k < 4; k++) v[k] = R1__LOAD4(r[k], i);
        R1__UNROLL for (j = 0; j < NQ; j++) {
            float32x4_t qv = vld1q_f32(q0 + (size_t)j * q_stride + i);
            R1__UNROLL for (k = 0; k < 4; k++) a[j][k] = vfmaq_f32(a[j][k], v[k], qv);
        }
    }
    for (; i < d; i++)
        for (j = 0; j < NQ; j++)
            for (k = 0; k < 4; k++) tail[j][k] += R1__LOAD1(r[k], i) * q0[(size_t)j * q_stride + i];
    R1__UNROLL for (j = 0; j < NQ; j++) {
        float *out = out0 + (size_t)j * out_stride + t;
        float32x4_t sum = vaddq_f32(vpaddq_f32(vpaddq_f32(a[j][0], a[j][1]), vpaddq_f32(a[j][2], a[j][3])), vld1q_f32(tail[j]));
        vst1q_f32(out, vaddq_f32(vld1q_f32(out), vmulq_n_f32(sum, scale)));
    }
}
/* Scores of n cache rows for nq queries: groups of 4 rows (per tile of R1__MIX_ROWS rows, every
   block of queries while the tile is in L1), the last n % 4 rows one dot at a time. */
static void R1__NAME3(r1__scores, R1__ESFX, neon)(const R1__ELT *base, size_t stride, const int32_t *rows, int n, const float *q0,
                                    size_t q_stride, int nq, int d, float scale, float *out0, size_t out_stride) {
    int n4 = n - n % 4, t, t0, t1, j, j0, nj, k;
    for (t0 = 0; t0 < n4; t0 = t1) {
        t1 = t0 + R1__MIX_ROWS < n4 ? t0 + R1__MIX_ROWS : n4;
        for (j0 = 0; j0 < nq; j0 += R1__ATTN_Q) {
            const float *q = q0 + (size_t)j0 * q_stride;
            float *out = out0 + (size_t)j0 * out_stride;
            nj = nq - j0 < R1__ATTN_Q ? nq - j0 : R1__ATTN_Q;
            for (t = t0; t < t1; t += 4) {
                const R1__ELT *r[4];
                for (k = 0; k < 4; k++) r[k] = base + (size_t)rows[t + k] * stride;
                switch (nj) { /* a constant count of queries: the accumulators stay in registers */
                case 1: R1__NAME3(r1__scores_quad, R1__ESFX, neon)(r, q, q_stride, 1, d, scale, out, out_stride, t); break;
                case 2: R1__NAME3(r1__scores_quad, R1__ESFX, neon)(r, q, q_stride, 2, d, scale, out, out_stride, t); break;
                case 3: R1__NAME3(r1__scores_quad, R1__ESFX, neon)(r, q, q_stride, 3, d, scale, out, out_stride, t); break;
                case 4: R1__NAME3(r1__scores_quad, R1__ESFX, neon)(r, q, q_stride, 4, d, scale, out, out_stride, t); break;
                case 5: R1__NAME3(r1__scores_quad, R1__ESFX, neon)(r, q, q_stride, 5, d, scale, out, out_stride, t); break;
                default: R1__NAME3(r1__scores_quad, R1__ESFX, neon)(r, q, q_stride, 6, d, scale, out, out_stride, t); break;
                }
            }
        }
    }
    for (t = n4; t < n; t++)
        for (j = 0; j < nq; j++) out0[j * out_stride + t] += scale * R1__DOT(base + (size_t)rows[t] * stride, q0 + j * q_stride, d);
}
/* Columns [i, i + 16) of NQ queries' outputs over rows [t0, t1), each row slice loaded once for
   all NQ; each output sums its rows in order, one multiply-add at a time. */
static R1__ALWAYS_INLINE void R1__NAME3(r1__mix_slice, R1__ESFX, neon)(
    float *out0, size_t out_stride, const float *w0, size_t w_stride, const int NQ, const R1__ELT *base, size_t stride,
    const int32_t *rows, int t0, int t1, int i) {
    float32x4_t o[R1__ATTN_Q][4];
    int t, j, k;
    R1__UNROLL for (j = 0; j < NQ; j++)
        R1__UNROLL for (k = 0; k < 4; k++) o[j][k] = vld1q_f32(out0 + (size_t)j * out_stride + i + 4 * k);
    for (t = t0; t < t1; t++) {
        const R1__ELT *v = base + (size_t)rows[t] * stride;
        float32x4_t vv[4];
        R1__UNROLL for (k = 0; k < 4; k++) vv[k] = R1__LOAD4(v, i + 4 * k);
        R1__UNROLL for (j = 0; j < NQ; j++) {
            float32x4_t wv = vdupq_n_f32(w0[(size_t)j * w_stride + t]);
            R1__UNROLL for (k = 0; k < 4; k++) o[j][k] = vfmaq_f32(o[j][k], vv[k], wv);
        }
    }
    R1__UNROLL for (j = 0; j < NQ; j++)
        R1__UNROLL for (k = 0; k < 4; k++) vst1q_f32(out0 + (size_t)j * out_stride + i + 4 * k, o[j][k]);
}
static void R1__NAME3(r1__mix, R1__ESFX, neon)(float *out0, size_t out_stride, const float *w0, size_t w_stride, int nq,
                                 const R1__ELT *base, size_t stride, const int32_t *rows, int n, int d) {
    int t, t0, t1, i = 0, j, j0, nj;
    for (t0 = 0; t0 < n; t0 = t1) {
        t1 = t0 + R1__MIX_ROWS < n ? t0 + R1__MIX_ROWS : n;
        r1__prefetch_rows(base, R1__BYTES_OF(d), stride * sizeof(R1__ELT), rows, t0 + R1__AHEAD, t1 + R1__AHEAD, n);
        for (j0 = 0; j0 < nq; j0 += R1__ATTN_Q) {
            float *outb = out0 + (size_t)j0 * out_stride;
            const float *wb = w0 + (size_t)j0 * w_stride;
            nj = nq - j0 < R1__ATTN_Q ? nq - j0 : R1__ATTN_Q;
            for (i = 0; i + 16 <= d; i += 16)
                switch (nj) { /* a constant count of queries: the outputs stay in registers */
                case 1: R1__NAME3(r1__mix_slice, R1__ESFX, neon)(outb, out_stride, wb, w_stride, 1, base, stride, rows, t0, t1, i); break;
                case 2: R1__NAME3(r1__mix_slice, R1__ESFX, neon)(outb, out_stride, wb, w_stride, 2, base, stride, rows, t0, t1, i); break;
                case 3: R1__NAME3(r1__mix_slice, R1__ESFX, neon)(outb, out_stride, wb, w_stride, 3, base, stride, rows, t0, t1, i); break;
                case 4: R1__NAME3(r1__mix_slice, R1__ESFX, neon)(outb, out_stride, wb, w_stride, 4, base, stride, rows, t0, t1, i); break;
                case 5: R1__NAME3(r1__mix_slice, R1__ESFX, neon)(outb, out_stride, wb, w_stride, 5, base, stride, rows, t0, t1, i); break;
                default: R1__NAME3(r1__mix_slice, R1__ESFX, neon)(outb, out_stride, wb, w_stride, 6, base, stride, rows, t0, t1, i); break;
                }
            for (j = 0; j < nj; j++) { /* the columns past the last 16 */
                float *out = outb + (size_t)j * out_stride;
                const float *w = wb + (size_t)j * w_stride;
                int k = i;
                for (; k + 4 <= d; k += 4) {
                    float32x4_t o = vld1q_f32(out + k);
                    for (t = t0; t < t1; t++) o = vfmaq_f32(o, R1__LOAD4(base + (size_t)rows[t] * stride, k), vdupq_n_f32(w[t]));
                    vst1q_f32(out + k, o);
                }
                for (; k < d; k++)
                    for (t = t0; t < t1; t++) out[k] += w[t] * R1__LOAD1(base + (size_t)rows[t] * stride, k);
            }
        }
    }
}
#else
#error "r1.h: unknown kernel pass"
#endif

#undef R1__PASS
#undef R1__SFX
#undef R1__TARGET
#undef R1__DOT32
#undef R1__VNNI
#undef R1__ZMM16
#undef R1__DPBUSD
#undef R1__DOT16
#undef R1__DOT4
#undef R1__ESFX
#undef R1__ELT
#undef R1__LOAD1
#undef R1__LOAD4
#undef R1__LOAD8
#undef R1__LOAD16
#undef R1__LOAD16_FIRST
#undef R1__BYTES_OF
#undef R1__AT
#undef R1__DOT
#undef R1__AMX_TYPE
#undef R1__AMX_BLOCK
#endif /* R1__PASS */
