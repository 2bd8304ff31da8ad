/* r1: command-line front end of r1.h.
     r1 logits   -m M.gguf --ids 1,2,3 -o out.f32        every position's logits, float32 LE
     r1 generate -m M.gguf --ids 1,2,3 -n 24 --greedy --print-ids
     r1 tokenize -m M.gguf [--jsonl]                      stdin -> ids (JSON lines in and out)
     r1 run      -m M.gguf -p "question"                  one answer, thinking streamed first
     r1 chat     -m M.gguf                                multi-turn; /reset, /think on|off, /quit
     r1 eval     -m M.gguf --data problems.jsonl -k 16    pass@1 and cons@k on {"question", "answer"} lines
                                                          (optional "messages", "think", "category")
   r1 --help, r1 COMMAND --help, r1 --version. Errors go to stderr with exit status 1 and name
   the option or value at fault. Ctrl-C stops the answer being written (a second one, or one at
   the chat prompt, exits); on a terminal the thinking is dimmed unless NO_COLOR is set. */
#define R1_IMPLEMENTATION
#include "../r1.h"
#define R1_QUANT_IMPLEMENTATION
#include "../r1_quant.h" /* JSON for tokenize --jsonl */

#include <signal.h>
#include <time.h>
#if defined(_WIN32)
#include <io.h>
#include <process.h>
#define r1_isatty(fd) _isatty(fd)
#define r1_getpid() _getpid()
#else
#include <unistd.h>
#define r1_isatty(fd) isatty(fd)
#define r1_getpid() getpid()
#endif

typedef struct options {
    const char *command, *model, *ids, *out, *prompt, *system, *data;
    int k;
    const char *stop[8];
    int n_stop;
    int n_predict, n_threads, n_ctx, greedy, print_ids, jsonl, hide_thinking, think_budget, no_think, single_turn;
    int kv_type, verbose, seed_given;
    const char *grammar_file; /* --grammar: GBNF for the answer */
    const char *json_schema;  /* --json-schema: a file or the JSON itself */
    int json;                 /* --json: any JSON object */
    const char *session;      /* chat --session: resume from and save to this file */
    int loop_action;          /* --loop: -1 off, else an R1_LOOP_* */
    int spec, draft_max;      /* --spec (an R1_SPEC_*), --draft-max (0: the default) */
    const char *draft_model;  /* -md: the draft model's file (--spec draft) */
    r1_context *draft;        /* a context on it, made with the main one */
    r1_grammar *grammar;      /* compiled from the three above */
    int color;                /* dim the thinking (stdout is a terminal and NO_COLOR is unset) */
    r1_sampler_params sampling;
    char *prompt_owned;       /* --file's contents */
} options;

/* ---- options ---- */

typedef struct command_def {
    const char *name, *args, *what;
} command_def;
static const command_def commands[] = {
    { "run", "-m MODEL.gguf -p \"question\"", "one answer, the thinking streamed first" },
    { "chat", "-m MODEL.gguf [--session FILE]", "a conversation: /reset, /think on|off, /quit; Ctrl-C stops an answer" },
    { "eval", "-m MODEL.gguf --data PROBLEMS.jsonl [-k 16]", "pass@1 and cons@k over {\"question\", \"answer\"} lines" },
    { "tokenize", "-m MODEL.gguf [--jsonl]", "stdin -> ids (with --jsonl: {\"text\"} lines -> {\"ids\", \"decoded\"})" },
    { "generate", "-m MODEL.gguf --ids 1,2,3 [-n 24] [--greedy] [--print-ids]", "continue a list of token ids" },
    { "logits", "-m MODEL.gguf --ids 1,2,3 -o OUT.f32", "every position's logits, float32 little-endian" },
};
#define N_COMMANDS (int)(sizeof commands / sizeof commands[0])

enum {
    O_MODEL, O_IDS, O_OUT, O_PROMPT, O_FILE, O_SYSTEM, O_DATA, O_K, O_STOP, O_N, O_THREADS, O_CTX, O_KV, O_THINK_BUDGET,
    O_TEMP, O_TOP_P, O_TOP_K, O_MIN_P, O_REPEAT, O_PRESENCE, O_FREQUENCY, O_SEED, O_GREEDY, O_PRINT_IDS, O_JSONL,
    O_HIDE_THINKING, O_NO_THINK, O_SINGLE_TURN, O_VERBOSE, O_HELP, O_VERSION, O_GRAMMAR, O_JSON_SCHEMA, O_JSON, O_EFFORT,
    O_SESSION, O_LOOP, O_SPEC, O_DRAFT_MAX, O_DRAFT_MODEL
};
typedef struct option_def {
    int id;
    const char *names[3];     /* the short form first; llama.cpp's long forms are aliases */
    const char *value;        /* the value's name, NULL for a flag */
    const char *help;
} option_def;
static const option_def option_defs[] = {
    { O_MODEL, { "-m", "--model", NULL }, "FILE", "the GGUF model" },
    { O_PROMPT, { "-p", "--prompt", NULL }, "TEXT", "run: the question" },
    { O_FILE, { "-f", "--file", NULL }, "FILE", "run: read the question from a file" },
    { O_SYSTEM, { "--system", NULL, NULL }, "TEXT", "a system prompt" },
    { O_N, { "-n", "--n-predict", NULL }, "N", "most tokens to generate (0: until the end; generate: 24)" },
    { O_THREADS, { "-t", "--threads", NULL }, "N", "threads (default: the physical cores)" },
    { O_CTX, { "-c", "--ctx-size", NULL }, "N", "context size in tokens (default: the model's, up to 32768; memory is used as it fills)" },
    { O_KV, { "--kv", NULL, NULL }, "auto|f32|f16|q8_0", "KV-cache element type" },
    { O_TEMP, { "--temp", NULL, NULL }, "T", "temperature, a finite number >= 0 (0: greedy; default 0.6)" },
    { O_TOP_P, { "--top-p", NULL, NULL }, "P", "nucleus mass in (0, 1] (default 0.95)" },
    { O_TOP_K, { "--top-k", NULL, NULL }, "K", "keep the K likeliest tokens (0: off)" },
    { O_MIN_P, { "--min-p", NULL, NULL }, "P", "drop tokens below P x the likeliest's probability, P in [0, 1]" },
    { O_REPEAT, { "--repeat-penalty", NULL, NULL }, "R", "> 1 discourages recent tokens (1: off)" },
    { O_PRESENCE, { "--presence-penalty", NULL, NULL }, "P", "subtracted once from a recent token's logit" },
    { O_FREQUENCY, { "--frequency-penalty", NULL, NULL }, "F", "subtracted per occurrence" },
    { O_SEED, { "-s", "--seed", NULL }, "S", "sampling seed (default: a random one, printed with -v)" },
    { O_GREEDY, { "--greedy", NULL, NULL }, NULL, "always the likeliest token" },
    { O_THINK_BUDGET, { "--think-budget", NULL, NULL }, "N", "at most N tokens of thinking, wrapped up near the end (-1: no limit)" },
    { O_EFFORT, { "--effort", "--reasoning-effort", NULL }, "low|medium|high", "a thinking budget of 1024, 4096 or 16384 tokens" },
    { O_LOOP, { "--loop", NULL, NULL }, "close|penalize|stop|off", "when the thought loops (default: close, as out of budget)" },
    { O_SPEC, { "--spec", NULL, NULL }, "lookup|draft|off",
      "speculative decoding: draft from earlier text or a smaller model (same output, fewer passes)" },
    { O_DRAFT_MAX, { "--draft-max", NULL, NULL }, "N", "--spec: most tokens drafted at a time (default 8, at most 64)" },
    { O_DRAFT_MODEL, { "-md", "--model-draft", NULL }, "FILE", "--spec draft: the draft model (same vocabulary; implies --spec draft)" },
    { O_GRAMMAR, { "--grammar", NULL, NULL }, "FILE", "the answer (after the thinking) follows this GBNF grammar" },
    { O_JSON_SCHEMA, { "--json-schema", NULL, NULL }, "FILE|JSON", "the answer is JSON matching this schema" },
    { O_JSON, { "--json", NULL, NULL }, NULL, "the answer is a JSON object" },
    { O_HIDE_THINKING, { "--hide-thinking", NULL, NULL }, NULL, "print the answer only" },
    { O_NO_THINK, { "--no-think", NULL, NULL }, NULL, "answer without thinking" },
    { O_STOP, { "--stop", NULL, NULL }, "TEXT", "stop the answer at TEXT (up to 8)" },
    { O_SINGLE_TURN, { "--single-turn", NULL, NULL }, NULL, "chat: answer every line on its own, without the earlier turns" },
    { O_SESSION, { "--session", NULL, NULL }, "FILE", "chat: resume the conversation saved in FILE, and save it after every turn" },
    { O_DATA, { "--data", NULL, NULL }, "FILE", "eval: the problems" },
    { O_K, { "-k", NULL, NULL }, "K", "eval: samples per problem, >= 1 (default 16)" },
    { O_IDS, { "--ids", NULL, NULL }, "1,2,3", "generate, logits: the prompt's token ids" },
    { O_OUT, { "-o", "--output", NULL }, "FILE", "logits: where to write them" },
    { O_PRINT_IDS, { "--print-ids", NULL, NULL }, NULL, "generate: print the ids generated" },
    { O_JSONL, { "--jsonl", NULL, NULL }, NULL, "tokenize: JSON lines in and out" },
    { O_VERBOSE, { "-v", "--verbose", NULL }, NULL, "print the seed, threads and load time (eval: every wrong answer)" },
    { O_HELP, { "-h", "--help", NULL }, NULL, "this help" },
    { O_VERSION, { "--version", NULL, NULL }, NULL, "the version" },
};
#define N_OPTIONS (int)(sizeof option_defs / sizeof option_defs[0])

static void print_help(FILE *f, const char *command) {
    int i, j;
    fprintf(f, "r1 %s: DeepSeek-R1-style reasoning models on the CPU (r1.h)\n\n", R1_VERSION);
    for (i = 0; i < N_COMMANDS; i++)
        if (!command || strcmp(command, commands[i].name) == 0)
            fprintf(f, "%s r1 %-8s %s\n      %s\n", i == 0 || command ? "usage:" : "      ", commands[i].name, commands[i].args,
                    commands[i].what);
    fprintf(f, "\noptions:\n");
    for (i = 0; i < N_OPTIONS; i++) {
        char names[64] = "";
        for (j = 0; j < 3 && option_defs[i].names[j]; j++) {
            strcat(names, j ? ", " : "");
            strcat(names, option_defs[i].names[j]);
        }
        if (option_defs[i].value) { strcat(names, " "); strcat(names, option_defs[i].value); }
        fprintf(f, "  %-28s %s\n", names, option_defs[i].help);
    }
}

static int usage_error(const char *fmt, const char *arg) {
    fprintf(stderr, "r1: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (r1 --help lists the options)\n");
    return 1;
}

static int bad_value(const char *option, const char *want, const char *got) {
    fprintf(stderr, "r1: %s must be %s, got '%s'\n", option, want, got);
    return 1;
}

/* Edit distance, for "did you mean" (short strings only). */
static int edit_distance(const char *a, const char *b) {
    int la = (int)strlen(a), lb = (int)strlen(b), i, j, row[64];
    if (la > 63 || lb > 63) return 99;
    for (j = 0; j <= lb; j++) row[j] = j;
    for (i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

static const option_def *find_option(const char *name) {
    int i, j;
    for (i = 0; i < N_OPTIONS; i++)
        for (j = 0; j < 3 && option_defs[i].names[j]; j++)
            if (strcmp(name, option_defs[i].names[j]) == 0) return &option_defs[i];
    return NULL;
}

static int unknown_option(const char *name) {
    const char *best = NULL;
    int i, j, best_d = 3;
    for (i = 0; i < N_OPTIONS; i++)
        for (j = 0; j < 3 && option_defs[i].names[j]; j++) {
            int d = edit_distance(name, option_defs[i].names[j]);
            if (d < best_d) { best_d = d; best = option_defs[i].names[j]; }
        }
    fprintf(stderr, "r1: unknown option '%s'", name);
    if (best) fprintf(stderr, " (did you mean %s?)", best);
    fprintf(stderr, "\n");
    return 1;
}

/* The physical cores: the CPUs online over the hardware threads per core (Linux's topology). */
static int default_threads(void) {
    int online = r1__cpu_count(), per_core = 1;
#if defined(__linux__)
    FILE *f = fopen("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list", "r");
    char line[128];
    if (f && fgets(line, sizeof line, f)) { /* "0,64" or "0-1": the siblings of cpu0 */
        int lo, hi;
        if (sscanf(line, "%d-%d", &lo, &hi) == 2 && hi > lo) per_core = hi - lo + 1;
        else { char *p; for (p = line; *p; p++) per_core += *p == ','; }
    }
    if (f) fclose(f);
#endif
    return online / per_core > 0 ? online / per_core : 1;
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

static int parse_float(const char *s, float *out) {
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v == v) || v > 1e30 || v < -1e30) return 0; /* finite numbers only */
    *out = (float)v;
    return 1;
}

/* Ctrl-C: stops the answer being generated; a second one, or one with no answer under way,
   ends the program as Ctrl-C does. */
static volatile sig_atomic_t generating, interrupted;
static r1_context *generating_ctx; /* the context a Ctrl-C aborts */
static void on_sigint(int sig) {
    if (!generating || interrupted) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    interrupted = 1;
    r1_context_abort(generating_ctx); /* stops at the next layer, a long prompt included */
    signal(sig, on_sigint); /* (where signal() resets the handler) */
}

/* Reads all of a stream, up to MAX_INPUT bytes; NULL on failure or past that (r1 tokenize <
   /dev/zero would otherwise grow until the OOM killer came). */
#define MAX_INPUT ((size_t)1 << 30)
static char *read_all(FILE *f, size_t *len) {
    size_t cap = 65536, n = 0, got;
    char *buf = (char *)malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap && cap >= MAX_INPUT) {
            fprintf(stderr, "r1: the input is larger than %zu MB\n", MAX_INPUT >> 20);
            free(buf);
            return NULL;
        }
        if (n == cap) {
            char *nb = (char *)realloc(buf, cap *= 2);
            if (!nb) { free(buf); return NULL; }
            buf = nb;
        }
    }
    *len = n;
    return buf;
}

/* a regular file (a FIFO or device as --data or --file is refused rather than waited on) */
static int regular_file(const char *path) {
#if !defined(_WIN32)
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) return 1;
#else
    FILE *f = r1__fopen(path, "rb");
    if (f) { fclose(f); return 1; }
#endif
    fprintf(stderr, "r1: '%s' is not a regular file\n", path);
    return 0;
}

/* ---- tokenize ---- */

static void json_string(FILE *f, const char *s, size_t n) {
    size_t i;
    fputc('"', f);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c == '\n') fputs("\\n", f);
        else if (c == '\r') fputs("\\r", f);
        else if (c == '\t') fputs("\\t", f);
        else if (c < 0x20 || c == 0x7f) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static int tokenize_text(const r1_tokenizer *tok, const char *text, size_t len, int32_t **ids, int *n) {
    r1_error err;
    int need = r1_tokenize(tok, text, len, 0, NULL, 0, &err);
    if (need < 0) { fprintf(stderr, "r1: %s\n", err.message); return 0; }
    *ids = (int32_t *)malloc(((size_t)need + 1) * sizeof(int32_t));
    if (!*ids) { fprintf(stderr, "r1: out of memory\n"); return 0; }
    *n = r1_tokenize(tok, text, len, 0, *ids, need, &err);
    return *n >= 0;
}

/* A conversation as ids, the safe way: the template's markers are control tokens, what the
   messages say is plain text (a user typing "<｜Assistant｜>" cannot end the turn). */
static int chat_ids(const r1_tokenizer *tok, const r1_chat_message *msgs, int n_msgs, int prompt, int32_t **ids, int *n) {
    r1_error err;
    int need = r1_chat_tokenize(tok, msgs, n_msgs, prompt, NULL, 0, &err);
    if (need < 0) { fprintf(stderr, "r1: %s\n", err.message); return 0; }
    *ids = (int32_t *)malloc(((size_t)need + 1) * sizeof(int32_t));
    if (!*ids) { fprintf(stderr, "r1: out of memory\n"); return 0; }
    *n = r1_chat_tokenize(tok, msgs, n_msgs, prompt, *ids, need, &err);
    if (*n < 0) { fprintf(stderr, "r1: %s\n", err.message); free(*ids); *ids = NULL; return 0; }
    return 1;
}

static int cmd_tokenize(const options *o, const r1_tokenizer *tok) {
    size_t len = 0;
    char *in = read_all(stdin, &len);
    int rc = 0;
    if (!in) { fprintf(stderr, "r1: cannot read stdin\n"); return 1; }
    if (!o->jsonl) {
        int32_t *ids = NULL;
        int n = 0, i;
        if (!tokenize_text(tok, in, len, &ids, &n)) rc = 1;
        for (i = 0; rc == 0 && i < n; i++) printf(i ? ",%d" : "%d", ids[i]);
        if (rc == 0) printf("\n");
        free(ids);
    } else {
        size_t p = 0;
        int line_no = 0;
        while (p < len && rc == 0) {
            char *nl = (char *)memchr(in + p, '\n', len - p);
            size_t end = nl ? (size_t)(nl - in) : len;
            r1_error err;
            r1_json *j;
            const r1_json *text;
            line_no++;
            if (end == p) { p = end + 1; continue; }
            j = r1_json_parse(in + p, end - p, &err);
            text = j ? r1_json_get(j, "text") : NULL;
            if (!text || text->type != R1_JSON_STRING) {
                fprintf(stderr, "r1: line %d: expected {\"text\": \"...\"}%s%s\n", line_no, j ? "" : ": ", j ? "" : err.message);
                rc = 1;
            } else {
                int32_t *ids = NULL;
                int n = 0, i;
                if (!tokenize_text(tok, text->str, text->len, &ids, &n)) rc = 1;
                else {
                    size_t dl = r1_detokenize(tok, ids, n, NULL, 0);
                    char *dec = (char *)malloc(dl + 1);
                    r1_detokenize(tok, ids, n, dec, dl + 1);
                    printf("{\"ids\": [");
                    for (i = 0; i < n; i++) printf(i ? ", %d" : "%d", ids[i]);
                    printf("], \"decoded\": ");
                    json_string(stdout, dec, dl);
                    printf("}\n");
                    free(dec);
                }
                free(ids);
            }
            r1_json_free(j);
            p = end + 1;
        }
    }
    free(in);
    return rc;
}

/* ---- run and chat ---- */

/* --grammar FILE, --json-schema FILE|JSON, --json: the grammar the answers follow. */
static int load_grammar(options *o, const r1_tokenizer *tok) {
    r1_error err;
    char *text = NULL;
    size_t len = 0;
    const char *path = o->grammar_file ? o->grammar_file : o->json_schema;
    if (!!o->grammar_file + !!o->json_schema + o->json > 1) { fprintf(stderr, "r1: give one of --grammar, --json-schema, --json\n"); return 0; }
    if (o->json) {
        o->grammar = r1_grammar_new(tok, r1_grammar_json_gbnf(), strlen(r1_grammar_json_gbnf()), NULL, &err);
    } else if (path) {
        int inline_json = o->json_schema && (o->json_schema[0] == '{' || o->json_schema[0] == '[');
        FILE *f = inline_json ? NULL : regular_file(path) ? r1__fopen(path, "rb") : NULL;
        if (!inline_json) {
            text = f ? read_all(f, &len) : NULL;
            if (f) fclose(f);
            if (!text) { fprintf(stderr, "r1: cannot read '%s'\n", path); return 0; }
        }
        o->grammar = o->grammar_file ? r1_grammar_new(tok, text, len, NULL, &err)
                                     : r1_grammar_from_json_schema(tok, inline_json ? o->json_schema : text,
                                                                   inline_json ? strlen(o->json_schema) : len, &err);
        free(text);
    } else {
        return 1;
    }
    if (!o->grammar) { fprintf(stderr, "r1: %s\n", err.message); return 0; }
    return 1;
}

typedef struct printer {
    int hide_thinking;
    int color;                /* dim the thinking with ANSI escapes */
    int last_kind;            /* kind of the last piece printed, 0 before any */
    int at_line_start;        /* the last byte printed was a newline */
} printer;

#define DIM "\033[2m"
#define PLAIN "\033[0m"

static int print_piece(void *user, const char *text, size_t len, int kind) {
    printer *pr = (printer *)user;
    if (kind == R1_PIECE_THINKING && pr->hide_thinking) return 0;
    if (kind != pr->last_kind) {
        if (kind == R1_PIECE_THINKING) fputs(pr->color ? DIM "<think>\n" : "<think>\n", stdout);
        else if (pr->last_kind == R1_PIECE_THINKING) {
            fputs(pr->at_line_start ? "</think>\n\n" : "\n</think>\n\n", stdout);
            if (pr->color) fputs(PLAIN, stdout);
        }
        pr->last_kind = kind;
    }
    if (len) pr->at_line_start = text[len - 1] == '\n';
    fwrite(text, 1, len, stdout);
    fflush(stdout);
    return 0;
}

typedef struct chat {
    const options *o;
    r1_model *model;
    r1_context *ctx;
    const r1_tokenizer *tok;
    r1_chat_message *msgs;    /* the conversation (strings owned) */
    int n_msgs, cap_msgs;
    int32_t *cached;          /* the tokens the KV cache holds, to reuse the common prefix */
    int n_cached;
    int no_think;
} chat;

static char *dup_str(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = (char *)malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

static int chat_add(chat *c, const char *role, const char *content) {
    if (c->n_msgs == c->cap_msgs) {
        int nc = c->cap_msgs ? c->cap_msgs * 2 : 8;
        r1_chat_message *nm = (r1_chat_message *)realloc(c->msgs, (size_t)nc * sizeof *nm);
        if (!nm) return 0;
        c->msgs = nm;
        c->cap_msgs = nc;
    }
    c->msgs[c->n_msgs].role = role;
    c->msgs[c->n_msgs].content = dup_str(content);
    return c->msgs[c->n_msgs++].content != NULL;
}

static void chat_free_messages(chat *c) {
    int i;
    for (i = 0; i < c->n_msgs; i++) free((char *)c->msgs[i].content);
    c->n_msgs = 0;
}

/* back to the start: only the system prompt, if any */
static void chat_clear(chat *c) {
    chat_free_messages(c);
    if (c->o->system) chat_add(c, "system", c->o->system);
}

/* One user turn: render the whole conversation, reuse the cached prefix, generate. */
static int chat_turn(chat *c, const char *user_text) {
    r1_error err;
    r1_generate_params gp = r1_generate_default_params();
    r1_generate_result res;
    r1_status st;
    printer pr;
    int32_t *ids = NULL;
    int n = 0, common = 0;
    if (!chat_add(c, "user", user_text)) return 0;
    /* no_think: an empty thought, so the model answers directly */
    if (!chat_ids(c->tok, c->msgs, c->n_msgs, c->no_think ? R1_CHAT_PROMPT_NO_THINK : R1_CHAT_PROMPT, &ids, &n)) {
        c->n_msgs--;
        free((char *)c->msgs[c->n_msgs].content);
        return 0;
    }
    while (common < n && common < c->n_cached && common < r1_context_n_past(c->ctx) && ids[common] == c->cached[common]) common++;
    if (common == n) common--; /* re-evaluate the last token to get its logits */
    r1_context_truncate(c->ctx, common);
    if (n > r1_context_n_ctx(c->ctx)) {
        fprintf(stderr, "r1: the %s (%d tokens) does not fit the context of %d tokens%s\n", c->n_msgs > 1 ? "conversation" : "prompt", n,
                r1_context_n_ctx(c->ctx), c->n_msgs > 1 ? "; /reset to start over" : " (-c sets its size)");
        free(ids);
        c->n_msgs--;
        free((char *)c->msgs[c->n_msgs].content);
        return 2;
    }
    gp.n_predict = c->o->n_predict;
    gp.think_budget = c->o->think_budget;
    gp.sampling = c->o->sampling;
    gp.stop = c->o->stop;
    gp.n_stop = c->o->n_stop;
    gp.grammar = c->o->grammar;
    gp.loop_detect = c->o->loop_action >= 0;
    gp.loop_action = c->o->loop_action >= 0 ? c->o->loop_action : R1_LOOP_CLOSE;
    gp.spec = c->o->spec;
    gp.draft = c->o->draft;
    if (c->o->draft_max > 0) gp.draft_max = c->o->draft_max;
    pr.hide_thinking = c->o->hide_thinking;
    pr.color = c->o->color;
    pr.last_kind = c->no_think ? R1_PIECE_ANSWER : 0;
    pr.at_line_start = 1;
    interrupted = 0;
    generating_ctx = c->ctx;
    generating = 1;
    st = r1_generate(c->ctx, c->tok, ids + common, n - common, &gp, print_piece, &pr, &res, &err);
    if (st != R1_OK && st != R1_ERR_ABORTED) {
        generating = 0;
        if (pr.color) fputs(PLAIN, stdout);
        fprintf(stderr, "\nr1: %s\n", err.message);
        free(ids);
        return 0;
    }
    generating = 0;
    if (pr.last_kind == R1_PIECE_THINKING) fputs(pr.at_line_start ? "</think>\n\n" : "\n</think>\n\n", stdout);
    if (pr.color) fputs(PLAIN, stdout);
    printf("\n");
    if (interrupted) fprintf(stderr, "r1: stopped\n");
    if (res.stop_reason == R1_STOP_CONTEXT)
        fprintf(stderr, "r1: the context of %d tokens is full%s: -c sets a larger one\n", r1_context_n_ctx(c->ctx),
                pr.last_kind == R1_PIECE_THINKING ? " in the middle of the thought" : "");
    if (res.loop_at >= 0 && c->o->verbose) fprintf(stderr, "r1: the thought looped (seen after %d tokens)\n", res.loop_at);
    if (gp.spec && c->o->verbose)
        fprintf(stderr, "r1: %d tokens, %d drafted, %d of them kept (%d passes instead of %d)\n", res.n_tokens, res.n_drafted,
                res.n_accepted, res.n_tokens - res.n_accepted, res.n_tokens);
    fflush(stdout);
    /* the cache now holds the prompt and what was generated; only the prompt part is known here */
    free(c->cached);
    c->cached = ids;
    c->n_cached = n;
    chat_add(c, "assistant", res.answer);
    r1_generate_result_free(&res);
    if (c->o->session && r1_context_save(c->ctx, c->o->session, &err) != R1_OK) {
        fprintf(stderr, "r1: %s\n", err.message);
        return 0;
    }
    return 1;
}

/* --session: the conversation back from a saved context. Its tokens are the rendered turns
   (R1's template), read back into messages by the template's markers. */
static int chat_resume(chat *c, const char *path) {
    r1_error err;
    int32_t user = r1_token_lookup(c->tok, "<\xef\xbd\x9cUser\xef\xbd\x9c>"), assistant = r1_token_lookup(c->tok, "<\xef\xbd\x9c" "Assistant\xef\xbd\x9c>");
    int n, i, start = 0, n_turns = 0;
    const char *role = NULL; /* the message being read: after <｜User｜> or <｜Assistant｜>; else system text */
    FILE *f = r1__fopen(path, "rb");
    if (!f) return 1; /* none yet: it is written after the first turn */
    fclose(f);
    if (user < 0 || assistant < 0) { fprintf(stderr, "r1: --session needs a model with DeepSeek-R1's chat template\n"); return 0; }
    if (r1_context_load(c->ctx, path, &err) != R1_OK) { fprintf(stderr, "r1: %s\n", err.message); return 0; }
    n = r1_seq_tokens(c->ctx, 0, NULL, 0);
    free(c->cached);
    c->cached = (int32_t *)malloc(((size_t)n + 1) * sizeof(int32_t));
    if (!c->cached) return 0;
    c->n_cached = r1_seq_tokens(c->ctx, 0, c->cached, n);
    chat_free_messages(c);
    for (i = 0; i <= n; i++) { /* split at the template's markers (control tokens) */
        int32_t id = i < n ? c->cached[i] : -1;
        if (i < n && !r1_token_is_control(c->tok, id)) continue;
        if (role || i > start) {
            size_t len = r1_detokenize(c->tok, c->cached + start, i - start, NULL, 0);
            char *text = (char *)malloc(len + 1);
            const char *body;
            if (!text) return 0;
            r1_detokenize(c->tok, c->cached + start, i - start, text, len + 1);
            body = text;
            if (role && strcmp(role, "assistant") == 0) { /* the answer, as r1_generate returns it: no thought, no leading blank */
                const char *close = strstr(body, "</think>");
                while (close) { body = close + 8; close = strstr(body, "</think>"); }
                while (*body == '\n' || *body == ' ') body++;
            }
            if (!chat_add(c, role ? role : "system", body)) { free(text); return 0; }
            n_turns += role && strcmp(role, "user") == 0;
            free(text);
        }
        role = id == user ? "user" : id == assistant ? "assistant" : NULL;
        start = i + 1;
    }
    fprintf(stderr, "r1: resumed %d turn%s (%d tokens) from %s\n", n_turns, n_turns == 1 ? "" : "s", c->n_cached, path);
    return 1;
}

/* ---- eval: the DeepSeek-R1 protocol: k samples per question at the sampling settings,
   pass@1 = mean correctness over samples, cons@k = correctness of the majority answer ---- */

/* Answers compare as numbers when both parse as numbers, else as text without spaces. */
static int same_answer(const char *a, const char *b) {
    char x[256], y[256];
    size_t i, n = 0, m = 0;
    char *ea, *eb;
    double va, vb;
    for (i = 0; a[i] && n < sizeof x - 1; i++) if (a[i] != ' ') x[n++] = a[i];
    for (i = 0; b[i] && m < sizeof y - 1; i++) if (b[i] != ' ') y[m++] = b[i];
    x[n] = y[m] = 0;
    va = strtod(x, &ea);
    vb = strtod(y, &eb);
    if (n && m && !*ea && !*eb) return va == vb;
    return strcmp(x, y) == 0;
}

/* Per-category totals of an eval ("category" on the problem lines). */
#define EVAL_MAX_CATEGORIES 32
typedef struct eval_category {
    char name[64]; /* the line's "category" */
    int n;         /* problems */
    double pass;   /* sum of per-problem pass@1 */
    double cons;   /* problems whose majority answer is right */
} eval_category;

static eval_category *eval_category_of(eval_category *cats, int *n_cats, const char *name) {
    int i;
    for (i = 0; i < *n_cats; i++)
        if (strcmp(cats[i].name, name) == 0) return &cats[i];
    if (*n_cats == EVAL_MAX_CATEGORIES) return NULL; /* further names are counted only in the totals */
    memset(&cats[*n_cats], 0, sizeof cats[0]);
    snprintf(cats[*n_cats].name, sizeof cats[0].name, "%s", name);
    return &cats[(*n_cats)++];
}

/* The prompt of one eval line: its earlier turns ("messages": [{"role", "content"}, ...]), if any,
   then the question; "think": false renders an empty thought. 0 with a message on a bad line. */
static int eval_prompt(const r1_tokenizer *tok, const r1_json *line, const char *question, int32_t **ids, int *n,
                       char *why, size_t why_size) {
    const r1_json *msgs = r1_json_get(line, "messages"), *think = r1_json_get(line, "think");
    r1_chat_message m[17];
    int n_m = 0, ok;
    size_t i;
    if (msgs && (msgs->type != R1_JSON_ARRAY || msgs->n > 16)) {
        snprintf(why, why_size, "\"messages\" must be an array of at most 16 {\"role\", \"content\"} objects");
        return 0;
    }
    if (think && think->type != R1_JSON_BOOL) { snprintf(why, why_size, "\"think\" must be true or false"); return 0; }
    for (i = 0; msgs && i < msgs->n; i++) {
        const r1_json *role = r1_json_get(&msgs->items[i], "role"), *content = r1_json_get(&msgs->items[i], "content");
        if (!role || role->type != R1_JSON_STRING || !content || content->type != R1_JSON_STRING) {
            snprintf(why, why_size, "message %d needs \"role\" and \"content\" (strings)", (int)i);
            return 0;
        }
        m[n_m].role = role->str;
        m[n_m++].content = content->str;
    }
    m[n_m].role = "user";
    m[n_m++].content = question;
    ok = chat_ids(tok, m, n_m, think && !think->boolean ? R1_CHAT_PROMPT_NO_THINK : R1_CHAT_PROMPT, ids, n);
    if (!ok) snprintf(why, why_size, "the conversation could not be rendered or tokenized");
    return ok;
}

static int cmd_eval(options *o, r1_model *model, r1_context *ctx) {
    const r1_tokenizer *tok = r1_model_tokenizer(model);
    FILE *f = regular_file(o->data) ? r1__fopen(o->data, "rb") : NULL;
    size_t len = 0, p = 0;
    char *in = f ? read_all(f, &len) : NULL;
    int n_q = 0, n_lines = 0, line_no = 0, i, k = o->k > 0 ? o->k : 16, n_cats = 0;
    double pass_sum = 0, cons_sum = 0, t0 = r1_seconds();
    eval_category cats[EVAL_MAX_CATEGORIES], *cat;
    long tokens = 0, drafted = 0, kept = 0;
    if (f) fclose(f);
    if (o->spec && k != 1) { fprintf(stderr, "r1: --spec needs -k 1 (the samples of -k N are decoded together instead)\n"); free(in); return 1; }
    if (!in) { fprintf(stderr, "r1: cannot read '%s'\n", o->data); return 1; }
    for (i = 0; (size_t)i < len; i++) n_lines += in[i] == '\n';
    while (p < len) {
        char *nl = (char *)memchr(in + p, '\n', len - p);
        size_t end = nl ? (size_t)(nl - in) : len;
        r1_error err;
        r1_json *j;
        const r1_json *q, *a, *category;
        char answer[256], (*got)[256] = NULL, why[160];
        int32_t *ids = NULL;
        int n = 0, s, correct = 0, best = -1, best_votes = 0;
        r1_generate_params gp = r1_generate_default_params();
        r1_generate_result *res;
        size_t start = p;
        p = end + 1;
        line_no++;
        while (start < end && (in[start] == ' ' || in[start] == '\t' || in[start] == '\r')) start++;
        if (start == end) continue; /* blank lines are allowed */
        if (!(j = r1_json_parse(in + start, end - start, &err))) {
            fprintf(stderr, "r1: %s line %d: %s\n", o->data, line_no, err.message);
            free(in);
            return 1;
        }
        q = r1_json_get(j, "question");
        a = r1_json_get(j, "answer");
        category = r1_json_get(j, "category");
        if (!q || q->type != R1_JSON_STRING || !a || (a->type != R1_JSON_STRING && a->type != R1_JSON_NUMBER) ||
            (category && category->type != R1_JSON_STRING)) {
            fprintf(stderr, "r1: %s line %d: needs \"question\" (a string) and \"answer\" (a string or number); \"category\" is a string\n",
                    o->data, line_no);
            r1_json_free(j); free(in); return 1;
        }
        if (a->type == R1_JSON_NUMBER) snprintf(answer, sizeof answer, "%.17g", a->number);
        else snprintf(answer, sizeof answer, "%s", a->str ? a->str : "");
        if (!eval_prompt(tok, j, q->str, &ids, &n, why, sizeof why)) {
            fprintf(stderr, "r1: %s line %d: %s\n", o->data, line_no, why);
            r1_json_free(j); free(in); return 1;
        }
        /* the k samples share one prefill (forked sequences) and step together */
        got = (char (*)[256])calloc((size_t)k, sizeof *got);
        res = (r1_generate_result *)calloc((size_t)k, sizeof *res);
        r1_context_reset(ctx);
        gp.sampling = o->sampling;
        gp.sampling.seed = o->sampling.seed + (uint64_t)n_q * 104729u; /* sample s: seed + s */
        gp.n_predict = o->n_predict > 0 ? o->n_predict : 0;
        gp.think_budget = o->think_budget;
        gp.spec = o->spec; /* -k 1 only (checked above): one sequence, r1_generate */
        gp.draft = o->draft;
        if (o->draft_max > 0) gp.draft_max = o->draft_max;
        if (!got || !res || (o->spec ? r1_generate(ctx, tok, ids, n, &gp, NULL, NULL, res, &err)
                                     : r1_generate_batch(ctx, tok, ids, n, k, &gp, res, &err)) != R1_OK) {
            fprintf(stderr, "r1: %s line %d: %s\n", o->data, line_no, got && res ? err.message : "out of memory");
            free(ids); free(got); free(res); r1_json_free(j); free(in);
            return 1;
        }
        drafted += res[0].n_drafted;
        kept += res[0].n_accepted;
        for (s = 0; s < k; s++) {
            tokens += res[s].n_tokens;
            if (r1_extract_boxed(res[s].answer, got[s], sizeof got[s]) < 0) r1_extract_boxed(res[s].thinking, got[s], sizeof got[s]);
            correct += got[s][0] && same_answer(got[s], answer);
            if (o->verbose && !(got[s][0] && same_answer(got[s], answer))) /* -v: each wrong sample, for reading */
                fprintf(stderr, "r1: %s line %d, sample %d: expected %s, got '%s'\n<think>\n%s\n</think>\n%s\n\n", o->data, line_no, s, answer,
                        got[s], res[s].thinking, res[s].answer);
            r1_generate_result_free(&res[s]);
        }
        free(res);
        for (s = 0; s < k; s++) { /* majority vote over the extracted answers (first seen on ties) */
            int votes = 0, t;
            if (!got[s][0]) continue;
            for (t = 0; t < k; t++) votes += got[t][0] && same_answer(got[s], got[t]);
            if (votes > best_votes) { best_votes = votes; best = s; }
        }
        pass_sum += (double)correct / k;
        cons_sum += best >= 0 && same_answer(got[best], answer);
        n_q++;
        if (category && (cat = eval_category_of(cats, &n_cats, category->str)) != NULL) {
            cat->n++;
            cat->pass += (double)correct / k;
            cat->cons += best >= 0 && same_answer(got[best], answer);
        }
        if (r1_isatty(2)) /* a progress line only where it can be redrawn */
            fprintf(stderr, "\r[%-30.*s] %d/%d  pass@1 %.3f", (int)(30.0 * n_q / (n_lines ? n_lines : 1)), "##############################",
                    n_q, n_lines, pass_sum / n_q);
        free(ids);
        free(got);
        r1_json_free(j);
    }
    if (r1_isatty(2)) fprintf(stderr, "\n");
    free(in);
    if (n_q == 0) { fprintf(stderr, "r1: no problems in '%s'\n", o->data); return 1; }
    printf("{\"pass@1\": %.4f, \"cons@k\": %.4f, \"k\": %d, \"n\": %d, \"tok_s\": %.2f", pass_sum / n_q, cons_sum / n_q, k, n_q,
           tokens / (r1_seconds() - t0));
    if (o->spec) printf(", \"drafted\": %ld, \"kept\": %ld, \"passes\": %ld", drafted, kept, tokens - kept);
    if (n_cats) {
        printf(", \"categories\": {");
        for (i = 0; i < n_cats; i++) {
            printf("%s", i ? ", " : "");
            json_string(stdout, cats[i].name, strlen(cats[i].name));
            printf(": {\"n\": %d, \"pass@1\": %.4f, \"cons@k\": %.4f}", cats[i].n, cats[i].pass / cats[i].n, cats[i].cons / cats[i].n);
        }
        printf("}");
    }
    printf("}\n");
    return 0;
}

static int cmd_chat(options *o, r1_model *model, r1_context *ctx, int one_shot) {
    chat c;
    char line[65536];
    int interactive = !one_shot && r1_isatty(0), ok = 1;
    memset(&c, 0, sizeof c);
    c.o = o;
    c.model = model;
    c.ctx = ctx;
    c.tok = r1_model_tokenizer(model);
    c.no_think = o->no_think;
    chat_clear(&c);
    if (o->session && !chat_resume(&c, o->session)) { chat_free_messages(&c); free(c.msgs); free(c.cached); return 1; }
    if (one_shot) ok = chat_turn(&c, o->prompt) == 1;
    else {
        if (interactive) fprintf(stderr, "r1 chat: /reset, /think on|off, /quit\n");
        for (;;) {
            size_t l;
            if (interactive) { fputs("> ", stdout); fflush(stdout); }
            if (!fgets(line, sizeof line, stdin)) break;
            l = strlen(line);
            while (l > 0 && (line[l - 1] == '\n' || line[l - 1] == '\r')) line[--l] = 0;
            if (l == 0) continue;
            if (strcmp(line, "/quit") == 0 || strcmp(line, "/exit") == 0) break;
            if (strcmp(line, "/reset") == 0) { chat_clear(&c); c.n_cached = 0; r1_context_reset(ctx); continue; }
            if (strcmp(line, "/think on") == 0) { c.no_think = 0; continue; }
            if (strcmp(line, "/think off") == 0) { c.no_think = 1; continue; }
            if (!interactive) printf("> %s\n", line);
            if (o->single_turn) { chat_clear(&c); c.n_cached = 0; r1_context_reset(ctx); } /* every line on its own */
            {
                int turn = chat_turn(&c, line);
                if (turn == 0) { ok = 0; break; }
                if (turn == 2 && !interactive) ok = 0; /* reported; a script sees the failure in the status */
            }
        }
    }
    chat_free_messages(&c);
    free(c.msgs);
    free(c.cached);
    return ok ? 0 : 1;
}

int main(int argc, char **argv) {
    options o;
    r1_error err;
    r1_model *model = NULL, *draft_model = NULL;
    r1_context *ctx = NULL;
    r1_context_params cp = r1_context_default_params();
    int32_t *ids = NULL;
    int n_ids = 0, i, rc = 1, text_mode, spec_given = 0;

    memset(&o, 0, sizeof o);
    o.n_predict = -1;
    o.n_threads = 0;   /* the physical cores */
    o.think_budget = -1;
    o.k = 16;
    o.sampling = r1_sampler_default_params();
    if (argc < 2) { print_help(stderr, NULL); return 1; }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        print_help(stdout, NULL);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) { printf("r1 %s\n", R1_VERSION); return 0; }
    o.command = argv[1];
    for (i = 0; i < N_COMMANDS && strcmp(o.command, commands[i].name) != 0; i++) {}
    if (i == N_COMMANDS) {
        fprintf(stderr, "r1: unknown command '%s' (commands: run, chat, eval, tokenize, generate, logits; r1 --help)\n", o.command);
        return 1;
    }
    for (i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const option_def *od = find_option(a);
        int ok = 1;
        if (!od) return unknown_option(a);
        if (od->value && !v) return usage_error("option '%s' needs a value", a);
        if (od->value) i++;
        switch (od->id) {
        case O_HELP: print_help(stdout, o.command); return 0;
        case O_VERSION: printf("r1 %s\n", R1_VERSION); return 0;
        case O_VERBOSE: o.verbose = 1; break;
        case O_GREEDY: o.greedy = 1; break;
        case O_PRINT_IDS: o.print_ids = 1; break;
        case O_JSONL: o.jsonl = 1; break;
        case O_HIDE_THINKING: o.hide_thinking = 1; break;
        case O_NO_THINK: o.no_think = 1; break;
        case O_SINGLE_TURN: o.single_turn = 1; break;
        case O_JSON: o.json = 1; break;
        case O_GRAMMAR: o.grammar_file = v; break;
        case O_JSON_SCHEMA: o.json_schema = v; break;
        case O_SESSION: o.session = v; break;
        case O_EFFORT:
            o.think_budget = r1_reasoning_effort_budget(v);
            if (o.think_budget < -1) return bad_value(a, "low, medium, high or none", v);
            break;
        case O_SPEC:
            o.spec = !strcmp(v, "lookup") ? R1_SPEC_LOOKUP : !strcmp(v, "draft") ? R1_SPEC_DRAFT : !strcmp(v, "off") ? R1_SPEC_NONE : -1;
            if (o.spec < 0) return bad_value(a, "lookup, draft or off", v);
            spec_given = 1;
            break;
        case O_DRAFT_MODEL: o.draft_model = v; break;
        case O_DRAFT_MAX: ok = parse_int(v, &o.draft_max) && o.draft_max >= 1 && o.draft_max <= 64; if (!ok) return bad_value(a, "an integer in [1, 64]", v); break;
        case O_LOOP:
            o.loop_action = !strcmp(v, "close") ? R1_LOOP_CLOSE : !strcmp(v, "penalize") ? R1_LOOP_PENALIZE : !strcmp(v, "stop") ? R1_LOOP_STOP
                          : !strcmp(v, "off") ? -1 : -2;
            if (o.loop_action < -1) return bad_value(a, "close, penalize, stop or off", v);
            break;
        case O_MODEL: o.model = v; break;
        case O_IDS: o.ids = v; break;
        case O_OUT: o.out = v; break;
        case O_PROMPT: o.prompt = v; break;
        case O_FILE: {
            FILE *f = regular_file(v) ? r1__fopen(v, "rb") : NULL;
            size_t len = 0;
            free(o.prompt_owned);
            o.prompt_owned = f ? read_all(f, &len) : NULL;
            if (f) fclose(f);
            if (!o.prompt_owned) { fprintf(stderr, "r1: cannot read '%s'\n", v); return 1; }
            o.prompt_owned[len] = 0; /* read_all leaves room: its buffer outgrows the data */
            o.prompt = o.prompt_owned;
            break;
        }
        case O_SYSTEM: o.system = v; break;
        case O_DATA: o.data = v; break;
        case O_STOP:
            if (o.n_stop == 8) return usage_error("at most 8 %s strings", a);
            o.stop[o.n_stop++] = v;
            break;
        case O_K: ok = parse_int(v, &o.k) && o.k >= 1; if (!ok) return bad_value(a, "an integer >= 1", v); break;
        case O_N: ok = parse_int(v, &o.n_predict) && o.n_predict >= -1; if (!ok) return bad_value(a, "an integer >= 0", v); break;
        case O_THREADS: ok = parse_int(v, &o.n_threads) && o.n_threads >= 1 && o.n_threads <= 1024; if (!ok) return bad_value(a, "an integer in [1, 1024]", v); break;
        case O_CTX: ok = parse_int(v, &o.n_ctx) && o.n_ctx >= 0; if (!ok) return bad_value(a, "an integer >= 0", v); break;
        case O_KV:
            o.kv_type = strcmp(v, "auto") == 0 ? R1_KV_AUTO : strcmp(v, "f32") == 0 ? R1_KV_F32 : strcmp(v, "f16") == 0 ? R1_KV_F16
                        : strcmp(v, "q8_0") == 0 ? R1_KV_Q8_0 : -1;
            if (o.kv_type < 0) return bad_value(a, "auto, f32, f16 or q8_0", v);
            break;
        case O_THINK_BUDGET: ok = parse_int(v, &o.think_budget) && o.think_budget >= -1; if (!ok) return bad_value(a, "an integer >= -1", v); break;
        case O_TEMP: ok = parse_float(v, &o.sampling.temperature) && o.sampling.temperature >= 0; if (!ok) return bad_value(a, "a finite number >= 0", v); break;
        case O_TOP_P: ok = parse_float(v, &o.sampling.top_p) && o.sampling.top_p > 0 && o.sampling.top_p <= 1; if (!ok) return bad_value(a, "a number in (0, 1]", v); break;
        case O_TOP_K: ok = parse_int(v, &o.sampling.top_k) && o.sampling.top_k >= 0; if (!ok) return bad_value(a, "an integer >= 0", v); break;
        case O_MIN_P: ok = parse_float(v, &o.sampling.min_p) && o.sampling.min_p >= 0 && o.sampling.min_p <= 1; if (!ok) return bad_value(a, "a number in [0, 1]", v); break;
        case O_REPEAT: ok = parse_float(v, &o.sampling.repeat_penalty) && o.sampling.repeat_penalty > 0; if (!ok) return bad_value(a, "a finite number > 0", v); break;
        case O_PRESENCE: ok = parse_float(v, &o.sampling.presence_penalty); if (!ok) return bad_value(a, "a finite number", v); break;
        case O_FREQUENCY: ok = parse_float(v, &o.sampling.frequency_penalty); if (!ok) return bad_value(a, "a finite number", v); break;
        case O_SEED: {
            char *end;
            o.sampling.seed = strtoull(v, &end, 10);
            if (end == v || *end || *v == '-') return bad_value(a, "an unsigned integer", v);
            o.seed_given = 1;
            break;
        }
        }
    }
    if (o.greedy) o.sampling.temperature = 0.0f;
    if (o.draft_model && !spec_given) o.spec = R1_SPEC_DRAFT;
    if (o.spec == R1_SPEC_DRAFT && !o.draft_model) return usage_error("--spec draft needs a draft model: %s", "-md DRAFT.gguf");
    if (o.draft_model && o.spec != R1_SPEC_DRAFT) return usage_error("-md goes with --spec draft, not %s", "--spec lookup|off");
    if (!o.seed_given) /* a different draw every run, as the tools users know do */
        o.sampling.seed = (uint64_t)time(NULL) * 6364136223846793005ULL ^ (uint64_t)r1_getpid() * 1442695040888963407ULL ^ (uint64_t)clock();
    if (o.n_threads == 0) o.n_threads = default_threads();
    o.color = r1_isatty(1) && !getenv("NO_COLOR");
    if (!o.model) return usage_error("%s needs a model: -m MODEL.gguf", o.command);
    text_mode = strcmp(o.command, "run") == 0 || strcmp(o.command, "chat") == 0 || strcmp(o.command, "tokenize") == 0 ||
                strcmp(o.command, "eval") == 0;
    if (strcmp(o.command, "eval") == 0 && !o.data) return usage_error("%s needs --data PROBLEMS.jsonl", o.command);
    if (!text_mode && !o.ids) return usage_error("%s needs --ids 1,2,3", o.command);
    if (strcmp(o.command, "logits") == 0 && !o.out) return usage_error("%s needs -o OUT.f32", o.command);
    if (strcmp(o.command, "logits") == 0 && o.model && r1__same_file(o.out, o.model))
        return usage_error("-o '%s' is the model file: it would be overwritten", o.out);
    if (strcmp(o.command, "run") == 0 && !o.prompt) return usage_error("%s needs a question: -p \"...\" or -f FILE", o.command);
    cp.kv_type = o.kv_type;
    if (o.verbose) fprintf(stderr, "r1: seed %llu, %d threads\n", (unsigned long long)o.sampling.seed, o.n_threads);
    if (o.ids) {
        n_ids = parse_ids(o.ids, &ids);
        if (n_ids < 0) { fprintf(stderr, "r1: --ids must be comma-separated integers\n"); return 1; }
    }

    if (strcmp(o.command, "tokenize") == 0) { /* the tokenizer alone: vocab-only files work too */
        r1_tokenizer *tok = r1_tokenizer_load(o.model, &err);
        if (!tok) { fprintf(stderr, "r1: %s\n", err.message); goto done; }
        rc = cmd_tokenize(&o, tok);
        r1_tokenizer_free(tok);
        goto done;
    }
    {   /* a line about the load for large files (or with -v): they take a while */
        double t0 = r1_seconds();
        FILE *f = r1__fopen(o.model, "rb");
        long long size = -1;
        if (f && fseek(f, 0, SEEK_END) == 0) size = (long long)ftell(f);
        if (f) fclose(f);
        model = r1_model_load(o.model, &err);
        if (!model) { fprintf(stderr, "r1: %s\n", err.message); goto done; }
        if (o.verbose || size > 100LL * 1000 * 1000)
            fprintf(stderr, "r1: %s (%.0f MB, %s) loaded in %.1f s, %d threads\n", o.model, size / 1e6, r1_model_arch(model),
                    r1_seconds() - t0, o.n_threads);
    }
    if (signal(SIGINT, on_sigint) == SIG_IGN) signal(SIGINT, SIG_IGN); /* started with Ctrl-C ignored (nohup, &): keep it so */
    if (text_mode && !r1_model_tokenizer(model)) { fprintf(stderr, "r1: %s has no byte-level BPE tokenizer\n", o.model); goto done; }
    if (text_mode && !load_grammar(&o, r1_model_tokenizer(model))) goto done;
    cp.n_threads = o.n_threads;
    if (strcmp(o.command, "eval") == 0) { /* k sequences, each with a full context window of rows */
        int window = o.n_ctx > 0 ? o.n_ctx : r1_model_n_ctx_train(model) > 0 && r1_model_n_ctx_train(model) < 4096 ? r1_model_n_ctx_train(model) : 4096;
        cp.n_seq = o.k > 0 ? o.k : 16;
        cp.n_ctx = (int)((long long)window * cp.n_seq > (1 << 30) ? (1 << 30) : (long long)window * cp.n_seq);
        if (o.n_predict < 0) o.n_predict = 0;
    } else if (text_mode) {
        cp.n_ctx = o.n_ctx; /* 0: the model's training context, up to 4096 */
        if (o.n_predict < 0) o.n_predict = 0;
    } else {
        if (o.n_predict < 0) o.n_predict = 24;
        cp.n_ctx = o.n_ctx ? o.n_ctx : n_ids + o.n_predict;
    }
    ctx = r1_context_new(model, &cp, &err);
    if (!ctx) { fprintf(stderr, "r1: %s\n", err.message); goto done; }
    if (o.spec == R1_SPEC_DRAFT) { /* the draft model, with a context like the main one (one sequence: drafts go with -k 1) */
        r1_context_params dp = cp;
        dp.n_ctx = r1_context_n_ctx(ctx) / cp.n_seq;
        dp.n_seq = 1;
        if (!(draft_model = r1_model_load(o.draft_model, &err)) || !(o.draft = r1_context_new(draft_model, &dp, &err))) {
            fprintf(stderr, "r1: draft model %s: %s\n", o.draft_model, err.message);
            goto done;
        }
    }

    if (strcmp(o.command, "eval") == 0) {
        rc = cmd_eval(&o, model, ctx);
    } else if (text_mode) {
        rc = cmd_chat(&o, model, ctx, strcmp(o.command, "run") == 0);
    } else if (strcmp(o.command, "logits") == 0) {
        size_t n = (size_t)n_ids * (size_t)r1_model_n_vocab(model);
        float *logits = (float *)malloc(n * sizeof(float));
        FILE *f;
        if (!logits) { fprintf(stderr, "r1: out of memory\n"); goto done; }
        if (r1_eval(ctx, ids, n_ids, logits, &err) != R1_OK) { fprintf(stderr, "r1: %s\n", err.message); free(logits); goto done; }
        f = r1__fopen(o.out, "wb");
        if (!f || fwrite(logits, sizeof(float), n, f) != n) {
            fprintf(stderr, "r1: cannot write '%s'\n", o.out);
            if (f) fclose(f);
            free(logits);
            goto done;
        }
        free(logits);
        if (fclose(f) != 0) { fprintf(stderr, "r1: cannot write '%s'\n", o.out); goto done; }
        rc = 0;
    } else {
        /* generate: the prompt goes through the cache once, then one token at a time */
        r1_sampler *smp = r1_sampler_new(&o.sampling, r1_model_n_vocab(model), &err);
        if (!smp) { fprintf(stderr, "r1: %s\n", err.message); goto done; }
        if (r1_eval(ctx, ids, n_ids, NULL, &err) != R1_OK) { fprintf(stderr, "r1: %s\n", err.message); r1_sampler_free(smp); goto done; }
        for (i = 0; i < n_ids; i++) r1_sampler_accept(smp, ids[i]);
        for (i = 0; i < o.n_predict; i++) {
            int32_t next = r1_sampler_sample(smp, r1_context_logits(ctx));
            r1_sampler_accept(smp, next);
            if (o.print_ids) printf(i ? ",%d" : "%d", next);
            if (i + 1 < o.n_predict && r1_eval(ctx, &next, 1, NULL, &err) != R1_OK) {
                fprintf(stderr, "\nr1: %s\n", err.message);
                r1_sampler_free(smp);
                goto done;
            }
        }
        if (o.print_ids) printf("\n");
        r1_sampler_free(smp);
        rc = 0;
    }
done:
    r1_grammar_free(o.grammar);
    free(o.prompt_owned);
    free(ids);
    r1_context_free(o.draft);
    r1_model_free(draft_model);
    r1_context_free(ctx);
    r1_model_free(model);
    return rc;
}
