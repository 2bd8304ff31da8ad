/* r1-server: an OpenAI-compatible HTTP server for r1.h, with a web chat.

     r1-server -m MODEL.gguf [--host 127.0.0.1] [--port 8080] [-t N] [-c N] [--parallel K]
               [--api-key KEY] [--queue N] [--max-conns N] [--max-body BYTES] [--timeout S]

   Endpoints: POST /v1/chat/completions, POST /v1/completions, GET /v1/models, GET /health, and
   GET / (the web chat). Thinking goes to reasoning_content, the answer to content (DeepSeek's
   convention); stream: true sends server-sent events.

   How it runs: one thread owns the sockets and the model. Each turn of its loop it polls the
   sockets (reading requests, writing responses), admits queued requests to free sequences of
   the context, evaluates up to one chunk of one waiting prompt, then advances every running
   generation by one token in a single r1_gen_step, so K requests share each weight read. A new
   prompt reuses the cache rows of the sequence (idle or running) that shares its longest
   prefix: the same system prompt, the previous turn of a conversation. The model's own threads
   (-t) do the arithmetic.

   Only libc, the OS's sockets (POSIX or Winsock) and r1.h. Every request is checked before it
   reaches the model: bad input gets an OpenAI-style JSON error with its HTTP status. */
#if defined(_WIN32)
#include <winsock2.h> /* before windows.h (which r1.h includes), so the old winsock.h stays out */
#include <ws2tcpip.h>
#endif
#define R1_IMPLEMENTATION
#include "../r1.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(_WIN32)
typedef SOCKET srv_socket;
#define SRV_NO_SOCKET INVALID_SOCKET
#define srv_poll WSAPoll
typedef WSAPOLLFD srv_pollfd;
#define srv_close_socket closesocket
static int srv_would_block(void) { return WSAGetLastError() == WSAEWOULDBLOCK; }
static int srv_interrupted(void) { return WSAGetLastError() == WSAEINTR; }
#else
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>
typedef int srv_socket;
#define SRV_NO_SOCKET (-1)
#define srv_poll poll
typedef struct pollfd srv_pollfd;
#define srv_close_socket close
static int srv_would_block(void) { return errno == EAGAIN || errno == EWOULDBLOCK; }
static int srv_interrupted(void) { return errno == EINTR; }
static int srv_out_of_fds(void) { return errno == EMFILE || errno == ENFILE; }
#endif
#if !defined(MSG_NOSIGNAL)
#define MSG_NOSIGNAL 0 /* elsewhere SIGPIPE is ignored instead */
#endif

#define SRV_MAX_N 16          /* choices one request may ask for (n) */
#define SRV_MAX_STOP 4        /* stop strings per request, as OpenAI allows */
#define SRV_HEAD_LIMIT 16384  /* bytes of request line and headers */
#define SRV_OUT_LIMIT (64u << 20) /* bytes queued for a client that does not read: it is dropped */

/* ======================================================================================
   Byte buffers and JSON output
   ====================================================================================== */
typedef struct srv_buf {
    char *s;                  /* bytes (NUL-terminated when non-empty) */
    size_t len, cap;
} srv_buf;

static int srv_buf_reserve(srv_buf *b, size_t extra) {
    size_t need = b->len + extra + 1, cap = b->cap ? b->cap : 256;
    char *s;
    if (need < b->len) return 0;
    if (need <= b->cap) return 1;
    while (cap < need) {
        if (cap > ((size_t)-1) / 2) return 0;
        cap *= 2;
    }
    if (!(s = (char *)realloc(b->s, cap))) return 0;
    b->s = s;
    b->cap = cap;
    return 1;
}
static int srv_buf_add(srv_buf *b, const void *p, size_t n) {
    if (!srv_buf_reserve(b, n)) return 0;
    if (n) memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = 0;
    return 1;
}
static int srv_buf_str(srv_buf *b, const char *s) { return srv_buf_add(b, s, strlen(s)); }
static int srv_buf_printf(srv_buf *b, const char *fmt, ...) {
    va_list ap;
    int n;
    char small[256];
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return 0;
    if ((size_t)n < sizeof small) return srv_buf_add(b, small, (size_t)n);
    if (!srv_buf_reserve(b, (size_t)n)) return 0;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 1;
}
static void srv_buf_free(srv_buf *b) { free(b->s); memset(b, 0, sizeof *b); }
/* Drops the first n bytes. */
static void srv_buf_consume(srv_buf *b, size_t n) {
    if (n >= b->len) { b->len = 0; if (b->s) b->s[0] = 0; return; }
    memmove(b->s, b->s + n, b->len - n);
    b->len -= n;
    b->s[b->len] = 0;
}

/* A JSON string literal: quotes, backslashes and control characters escaped (the text itself is
   UTF-8 from the detokenizer or from a parsed request, so it is passed through). */
static int srv_json_str(srv_buf *b, const char *s, size_t n) {
    size_t i, run = 0;
    if (!srv_buf_add(b, "\"", 1)) return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[8];
        if (c == '"') esc = "\\\"";
        else if (c == '\\') esc = "\\\\";
        else if (c == '\n') esc = "\\n";
        else if (c == '\r') esc = "\\r";
        else if (c == '\t') esc = "\\t";
        else if (c < 0x20 || c == 0x7f) { snprintf(u, sizeof u, "\\u%04x", c); esc = u; }
        if (!esc) continue;
        if (!srv_buf_add(b, s + run, i - run) || !srv_buf_str(b, esc)) return 0;
        run = i + 1;
    }
    return srv_buf_add(b, s + run, n - run) && srv_buf_add(b, "\"", 1);
}

/* A parsed JSON value written back as JSON (a request's json_schema, for the grammar). */
static int srv_json_write(srv_buf *b, const r1_json *v, int depth) {
    size_t i;
    if (depth > 64) return 0;
    switch (v->type) {
    case R1_JSON_NULL: return srv_buf_str(b, "null");
    case R1_JSON_BOOL: return srv_buf_str(b, v->boolean ? "true" : "false");
    case R1_JSON_NUMBER: return srv_buf_printf(b, "%.17g", v->number);
    case R1_JSON_STRING: return srv_json_str(b, v->str, v->len);
    case R1_JSON_ARRAY:
    case R1_JSON_OBJECT:
        if (!srv_buf_str(b, v->type == R1_JSON_ARRAY ? "[" : "{")) return 0;
        for (i = 0; i < v->n; i++) {
            if (i && !srv_buf_str(b, ",")) return 0;
            if (v->type == R1_JSON_OBJECT && (!srv_json_str(b, v->items[i].key, v->items[i].key_len) || !srv_buf_str(b, ":"))) return 0;
            if (!srv_json_write(b, &v->items[i], depth + 1)) return 0;
        }
        return srv_buf_str(b, v->type == R1_JSON_ARRAY ? "]" : "}");
    }
    return 0;
}

/* ======================================================================================
   HTTP requests: the head (request line and headers), parsed once it is complete
   ====================================================================================== */
typedef struct srv_http {
    char method[16];          /* GET, POST, ... */
    char path[256];           /* the target without its query string */
    int minor;                /* HTTP/1.minor */
    long long content_length; /* -1 when absent */
    int chunked;              /* Transfer-Encoding was given (not supported for requests) */
    int keep_alive;           /* the connection stays open after the response */
    int expect_continue;      /* Expect: 100-continue */
    char auth[512];           /* the Authorization header's value */
    size_t head_len;          /* bytes of the head, its blank line included */
} srv_http;

enum { SRV_HEAD_MORE = 0, SRV_HEAD_OK = 1, SRV_HEAD_BAD = -1, SRV_HEAD_TOO_LARGE = -2 };

static int srv_ieq(const char *a, size_t n, const char *b) {
    size_t i;
    if (strlen(b) != n) return 0;
    for (i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
        if (x != y) return 0;
    }
    return 1;
}
/* Does a comma-separated header value hold token (case-insensitive)? */
static int srv_has_token(const char *v, size_t n, const char *token) {
    size_t i = 0;
    while (i < n) {
        size_t s, e;
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) i++;
        s = i;
        while (i < n && v[i] != ',') i++;
        e = i;
        while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t')) e--;
        if (e > s && srv_ieq(v + s, e - s, token)) return 1;
    }
    return 0;
}

/* Parses the head at the start of data[0..len): SRV_HEAD_MORE until its blank line has come. */
static int srv_http_parse(const char *data, size_t len, srv_http *h) {
    size_t end = 0, i, line_start, n;
    const char *p, *sp1, *sp2, *eol;
    memset(h, 0, sizeof *h);
    h->content_length = -1;
    for (i = 0; i + 3 < len; i++)
        if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') { end = i + 4; break; }
    if (!end) return len > SRV_HEAD_LIMIT ? SRV_HEAD_TOO_LARGE : SRV_HEAD_MORE;
    if (end > SRV_HEAD_LIMIT) return SRV_HEAD_TOO_LARGE;
    h->head_len = end;
    /* request line: METHOD SP target SP HTTP/1.x */
    eol = data;
    while (eol[0] != '\r') eol++;
    sp1 = memchr(data, ' ', (size_t)(eol - data));
    if (!sp1 || sp1 == data || (size_t)(sp1 - data) >= sizeof h->method) return SRV_HEAD_BAD;
    sp2 = memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1));
    if (!sp2 || sp2 == sp1 + 1) return SRV_HEAD_BAD;
    if (eol - sp2 - 1 != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0 || (sp2[8] != '0' && sp2[8] != '1')) return SRV_HEAD_BAD;
    for (p = data; p < sp1; p++)
        if (*p < 'A' || *p > 'Z') return SRV_HEAD_BAD;
    memcpy(h->method, data, (size_t)(sp1 - data));
    h->minor = sp2[8] - '0';
    n = (size_t)(sp2 - sp1 - 1);
    for (i = 0; i < n && sp1[1 + i] != '?' && sp1[1 + i] != '#'; i++) {}
    if (i >= sizeof h->path) i = sizeof h->path - 1; /* long paths are not ours anyway: 404 */
    memcpy(h->path, sp1 + 1, i);
    for (p = h->path; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f) return SRV_HEAD_BAD;
    h->keep_alive = h->minor == 1;
    /* headers: name ":" value, one per line; no obsolete line folding */
    line_start = (size_t)(eol - data) + 2;
    while (line_start < end - 2) {
        const char *line = data + line_start, *colon, *v;
        size_t line_len, name_len, v_len;
        eol = line;
        while (eol[0] != '\r') eol++;
        if (eol[1] != '\n') return SRV_HEAD_BAD;
        line_len = (size_t)(eol - line);
        colon = memchr(line, ':', line_len);
        if (!colon || colon == line || line[0] == ' ' || line[0] == '\t') return SRV_HEAD_BAD;
        name_len = (size_t)(colon - line);
        for (i = 0; i < name_len; i++)
            if (line[i] == ' ' || line[i] == '\t' || (unsigned char)line[i] < 0x21) return SRV_HEAD_BAD;
        v = colon + 1;
        v_len = line_len - name_len - 1;
        while (v_len && (*v == ' ' || *v == '\t')) { v++; v_len--; }
        while (v_len && (v[v_len - 1] == ' ' || v[v_len - 1] == '\t')) v_len--;
        if (srv_ieq(line, name_len, "content-length")) {
            long long cl = 0;
            if (v_len == 0 || v_len > 15) return SRV_HEAD_BAD;
            for (i = 0; i < v_len; i++) {
                if (v[i] < '0' || v[i] > '9') return SRV_HEAD_BAD;
                cl = cl * 10 + (v[i] - '0');
            }
            if (h->content_length >= 0 && h->content_length != cl) return SRV_HEAD_BAD; /* two that differ */
            h->content_length = cl;
        } else if (srv_ieq(line, name_len, "transfer-encoding")) {
            h->chunked = 1;
        } else if (srv_ieq(line, name_len, "connection")) {
            if (srv_has_token(v, v_len, "close")) h->keep_alive = 0;
            else if (srv_has_token(v, v_len, "keep-alive")) h->keep_alive = 1;
        } else if (srv_ieq(line, name_len, "expect")) {
            if (srv_has_token(v, v_len, "100-continue")) h->expect_continue = 1;
        } else if (srv_ieq(line, name_len, "authorization")) {
            if (v_len >= sizeof h->auth) v_len = sizeof h->auth - 1;
            memcpy(h->auth, v, v_len);
            h->auth[v_len] = 0;
        }
        line_start += line_len + 2;
    }
    return SRV_HEAD_OK;
}

/* Compares a presented key with the expected one in time that does not depend on where they differ. */
static int srv_key_ok(const char *given, const char *want) {
    size_t i, n = strlen(want), m = strlen(given);
    unsigned diff = (unsigned)(n ^ m);
    for (i = 0; i < n; i++) diff |= (unsigned)(unsigned char)want[i] ^ (unsigned)(unsigned char)(i < m ? given[i] : 0);
    return diff == 0;
}

/* ======================================================================================
   API requests: a chat or completion request's JSON checked and turned into parameters
   ====================================================================================== */
enum { SRV_CHAT = 0, SRV_COMPLETION = 1 };
enum { SRV_FORMAT_TEXT = 0, SRV_FORMAT_JSON_OBJECT = 1, SRV_FORMAT_JSON_SCHEMA = 2 };

typedef struct srv_request {
    int kind;                 /* SRV_CHAT or SRV_COMPLETION */
    r1_chat_message *msgs;    /* chat: the messages (contents owned in texts) */
    int n_msgs;
    char **texts;             /* [n_msgs] each message's content, joined from its parts */
    char *prompt;             /* completion: the prompt text (owned) */
    size_t prompt_len;
    int stream;               /* server-sent events */
    int include_usage;        /* stream_options.include_usage: a last chunk with usage */
    int n;                    /* choices */
    int max_tokens;           /* 0 = until the model stops or the context is full */
    r1_sampler_params sampling;
    int seed_given;
    char *stop[SRV_MAX_STOP]; /* owned */
    int n_stop;
    int think_budget;         /* -1 unlimited */
    int no_think;             /* reasoning_effort "none": the thought is closed empty */
    int format;               /* SRV_FORMAT_* */
    char *schema;             /* json_schema: the schema as JSON text (owned) */
} srv_request;

static void srv_request_free(srv_request *r) {
    int i;
    for (i = 0; i < r->n_msgs; i++) free(r->texts[i]);
    free(r->texts);
    free(r->msgs);
    free(r->prompt);
    for (i = 0; i < r->n_stop; i++) free(r->stop[i]);
    free(r->schema);
    memset(r, 0, sizeof *r);
}

static char *srv_strndup(const char *s, size_t n) {
    char *d = (char *)malloc(n + 1);
    if (d) { memcpy(d, s, n); d[n] = 0; }
    return d;
}

/* A request problem: the message and the parameter at fault (for the error's "param"). */
typedef struct srv_problem {
    int status;               /* HTTP status */
    char message[512];
    char param[64];
} srv_problem;

static int srv_bad(srv_problem *pb, int status, const char *param, const char *fmt, ...) {
    va_list ap;
    pb->status = status;
    snprintf(pb->param, sizeof pb->param, "%s", param ? param : "");
    va_start(ap, fmt);
    vsnprintf(pb->message, sizeof pb->message, fmt, ap);
    va_end(ap);
    return 0;
}

/* A number member in [lo, hi]; absent or null leaves *out. 0 on a wrong type or range. */
static int srv_get_number(const r1_json *o, const char *key, double lo, double hi, double *out, srv_problem *pb) {
    const r1_json *v = r1_json_get(o, key);
    if (!v || v->type == R1_JSON_NULL) return 1;
    if (v->type != R1_JSON_NUMBER) return srv_bad(pb, 400, key, "'%s' must be a number", key);
    if (!(v->number >= lo && v->number <= hi)) return srv_bad(pb, 400, key, "'%s' must be in [%g, %g], got %g", key, lo, hi, v->number);
    *out = v->number;
    return 1;
}
static int srv_get_int(const r1_json *o, const char *key, double lo, double hi, int *out, srv_problem *pb) {
    const r1_json *v = r1_json_get(o, key);
    if (!v || v->type == R1_JSON_NULL) return 1;
    /* the range first: a number past long long's range may not be converted to test it */
    if (v->type != R1_JSON_NUMBER || v->number != floor(v->number)) return srv_bad(pb, 400, key, "'%s' must be an integer", key);
    if (!(v->number >= lo && v->number <= hi)) return srv_bad(pb, 400, key, "'%s' must be in [%.0f, %.0f], got %.0f", key, lo, hi, v->number);
    *out = (int)v->number;
    return 1;
}
static int srv_get_bool(const r1_json *o, const char *key, int *out, srv_problem *pb) {
    const r1_json *v = r1_json_get(o, key);
    if (!v || v->type == R1_JSON_NULL) return 1;
    if (v->type != R1_JSON_BOOL) return srv_bad(pb, 400, key, "'%s' must be true or false", key);
    *out = v->boolean;
    return 1;
}

/* A message's content: a string, null, or an array of {"type": "text", "text": ...} parts. */
static int srv_content(const r1_json *c, char **out, srv_problem *pb) {
    srv_buf b;
    size_t i;
    memset(&b, 0, sizeof b);
    if (!c || c->type == R1_JSON_NULL) { *out = srv_strndup("", 0); return *out ? 1 : srv_bad(pb, 500, NULL, "out of memory"); }
    if (c->type == R1_JSON_STRING) {
        if (memchr(c->str, 0, c->len)) return srv_bad(pb, 400, "messages", "a message's content holds a NUL character");
        *out = srv_strndup(c->str, c->len);
        return *out ? 1 : srv_bad(pb, 500, NULL, "out of memory");
    }
    if (c->type != R1_JSON_ARRAY) return srv_bad(pb, 400, "messages", "a message's content must be a string or an array of text parts");
    for (i = 0; i < c->n; i++) {
        const r1_json *part = &c->items[i], *type = r1_json_get(part, "type"), *text = r1_json_get(part, "text");
        if (part->type != R1_JSON_OBJECT || !type || type->type != R1_JSON_STRING || strcmp(type->str, "text") != 0 || !text ||
            text->type != R1_JSON_STRING || memchr(text->str, 0, text->len)) {
            srv_buf_free(&b);
            return srv_bad(pb, 400, "messages", "content parts must be {\"type\": \"text\", \"text\": \"...\"} (this model reads text only)");
        }
        if (!srv_buf_add(&b, text->str, text->len)) { srv_buf_free(&b); return srv_bad(pb, 500, NULL, "out of memory"); }
    }
    *out = b.s ? b.s : srv_strndup("", 0);
    return *out ? 1 : srv_bad(pb, 500, NULL, "out of memory");
}

/* Checks a request body and fills r. max_n: the most choices (the server's parallel sequences). */
static int srv_request_parse(const char *body, size_t len, int kind, int max_n, srv_request *r, srv_problem *pb) {
    r1_error err;
    r1_json *root;
    const r1_json *v;
    double num;
    int ok = 0;
    memset(r, 0, sizeof *r);
    memset(pb, 0, sizeof *pb);
    r->kind = kind;
    r->n = 1;
    r->think_budget = -1;
    r->sampling = r1_sampler_default_params(); /* R1's recommendation: temperature 0.6, top_p 0.95 */
    r->sampling.penalty_last_n = 256;
    if (!(root = r1_json_parse(body, len, &err))) return srv_bad(pb, 400, NULL, "the body is not valid JSON: %s", err.message);
    if (root->type != R1_JSON_OBJECT) { srv_bad(pb, 400, NULL, "the body must be a JSON object"); goto done; }
    if (kind == SRV_CHAT) {
        const r1_json *msgs = r1_json_get(root, "messages");
        size_t i;
        if (!msgs) { srv_bad(pb, 400, "messages", "'messages' is required"); goto done; }
        if (msgs->type != R1_JSON_ARRAY || msgs->n == 0) { srv_bad(pb, 400, "messages", "'messages' must be a non-empty array"); goto done; }
        if (msgs->n > 100000) { srv_bad(pb, 400, "messages", "too many messages"); goto done; }
        r->msgs = (r1_chat_message *)calloc(msgs->n, sizeof *r->msgs);
        r->texts = (char **)calloc(msgs->n, sizeof *r->texts);
        if (!r->msgs || !r->texts) { srv_bad(pb, 500, NULL, "out of memory"); goto done; }
        for (i = 0; i < msgs->n; i++) {
            const r1_json *m = &msgs->items[i], *role = r1_json_get(m, "role");
            if (m->type != R1_JSON_OBJECT || !role || role->type != R1_JSON_STRING) {
                srv_bad(pb, 400, "messages", "messages[%zu] must be an object with a string 'role'", i);
                goto done;
            }
            if (!strcmp(role->str, "system") || !strcmp(role->str, "developer")) r->msgs[i].role = "system";
            else if (!strcmp(role->str, "user")) r->msgs[i].role = "user";
            else if (!strcmp(role->str, "assistant")) r->msgs[i].role = "assistant";
            else {
                srv_bad(pb, 400, "messages", "messages[%zu]: role must be system, developer, user or assistant", i);
                goto done;
            }
            if (!srv_content(r1_json_get(m, "content"), &r->texts[i], pb)) goto done;
            r->msgs[i].content = r->texts[i];
            r->n_msgs = (int)i + 1;
        }
    } else {
        const r1_json *p = r1_json_get(root, "prompt");
        if (p && p->type == R1_JSON_ARRAY && p->n == 1 && p->items[0].type == R1_JSON_STRING) p = &p->items[0];
        if (!p || p->type != R1_JSON_STRING) { srv_bad(pb, 400, "prompt", "'prompt' must be a string"); goto done; }
        if (memchr(p->str, 0, p->len)) { srv_bad(pb, 400, "prompt", "the prompt holds a NUL character"); goto done; }
        if (!(r->prompt = srv_strndup(p->str, p->len))) { srv_bad(pb, 500, NULL, "out of memory"); goto done; }
        r->prompt_len = p->len;
    }
    if (!srv_get_bool(root, "stream", &r->stream, pb)) goto done;
    if ((v = r1_json_get(root, "stream_options")) && v->type != R1_JSON_NULL) {
        if (v->type != R1_JSON_OBJECT) { srv_bad(pb, 400, "stream_options", "'stream_options' must be an object"); goto done; }
        if (!srv_get_bool(v, "include_usage", &r->include_usage, pb)) goto done;
    }
    if (!srv_get_int(root, "n", 1, max_n, &r->n, pb)) goto done;
    if (!srv_get_int(root, "max_tokens", 1, 1e9, &r->max_tokens, pb)) goto done;
    if (!srv_get_int(root, "max_completion_tokens", 1, 1e9, &r->max_tokens, pb)) goto done;
    num = r->sampling.temperature;
    if (!srv_get_number(root, "temperature", 0, 2, &num, pb)) goto done;
    r->sampling.temperature = (float)num;
    num = r->sampling.top_p;
    if (!srv_get_number(root, "top_p", 0, 1, &num, pb)) goto done;
    if (num <= 0) { srv_bad(pb, 400, "top_p", "'top_p' must be in (0, 1]"); goto done; }
    r->sampling.top_p = (float)num;
    if (!srv_get_int(root, "top_k", 0, 1e9, &r->sampling.top_k, pb)) goto done;
    num = r->sampling.min_p;
    if (!srv_get_number(root, "min_p", 0, 1, &num, pb)) goto done;
    r->sampling.min_p = (float)num;
    num = r->sampling.presence_penalty;
    if (!srv_get_number(root, "presence_penalty", -2, 2, &num, pb)) goto done;
    r->sampling.presence_penalty = (float)num;
    num = r->sampling.frequency_penalty;
    if (!srv_get_number(root, "frequency_penalty", -2, 2, &num, pb)) goto done;
    r->sampling.frequency_penalty = (float)num;
    num = -1;
    if (!srv_get_number(root, "seed", -9007199254740991.0, 9007199254740991.0, &num, pb)) goto done;
    if (num != -1) {
        if (num != floor(num)) { srv_bad(pb, 400, "seed", "'seed' must be an integer"); goto done; }
        r->sampling.seed = (uint64_t)(long long)num;
        r->seed_given = 1;
    }
    if ((v = r1_json_get(root, "stop")) && v->type != R1_JSON_NULL) {
        size_t i;
        const r1_json *one = v;
        size_t n = v->type == R1_JSON_ARRAY ? v->n : 1;
        if (v->type != R1_JSON_STRING && v->type != R1_JSON_ARRAY) { srv_bad(pb, 400, "stop", "'stop' must be a string or an array of strings"); goto done; }
        if (n > SRV_MAX_STOP) { srv_bad(pb, 400, "stop", "at most %d stop strings", SRV_MAX_STOP); goto done; }
        for (i = 0; i < n; i++) {
            if (v->type == R1_JSON_ARRAY) one = &v->items[i];
            if (one->type != R1_JSON_STRING) { srv_bad(pb, 400, "stop", "'stop' must be a string or an array of strings"); goto done; }
            if (one->len == 0 || one->len > 256 || memchr(one->str, 0, one->len)) {
                srv_bad(pb, 400, "stop", "a stop string must have 1 to 256 bytes and no NUL");
                goto done;
            }
            if (!(r->stop[r->n_stop] = srv_strndup(one->str, one->len))) { srv_bad(pb, 500, NULL, "out of memory"); goto done; }
            r->n_stop++;
        }
    }
    if ((v = r1_json_get(root, "reasoning_effort")) && v->type != R1_JSON_NULL) {
        int b = v->type == R1_JSON_STRING ? r1_reasoning_effort_budget(v->str) : -2;
        if (b == -2) { srv_bad(pb, 400, "reasoning_effort", "'reasoning_effort' must be none, low, medium or high"); goto done; }
        if (b == 0) r->no_think = 1;
        else r->think_budget = b;
    }
    if (!srv_get_int(root, "max_reasoning_tokens", 0, 1e9, &r->think_budget, pb)) goto done;
    if ((v = r1_json_get(root, "logprobs")) && v->type == R1_JSON_BOOL && v->boolean) {
        srv_bad(pb, 400, "logprobs", "logprobs are not supported by this server");
        goto done;
    }
    if ((v = r1_json_get(root, "response_format")) && v->type != R1_JSON_NULL) {
        const r1_json *type = r1_json_get(v, "type");
        if (v->type != R1_JSON_OBJECT || !type || type->type != R1_JSON_STRING) {
            srv_bad(pb, 400, "response_format", "'response_format' must be an object with a 'type'");
            goto done;
        }
        if (!strcmp(type->str, "text")) r->format = SRV_FORMAT_TEXT;
        else if (!strcmp(type->str, "json_object")) r->format = SRV_FORMAT_JSON_OBJECT;
        else if (!strcmp(type->str, "json_schema")) {
            const r1_json *js = r1_json_get(v, "json_schema"), *schema = js ? r1_json_get(js, "schema") : NULL;
            srv_buf b;
            if (!schema || (schema->type != R1_JSON_OBJECT && schema->type != R1_JSON_BOOL)) {
                srv_bad(pb, 400, "response_format", "json_schema needs {\"json_schema\": {\"schema\": {...}}}");
                goto done;
            }
            memset(&b, 0, sizeof b);
            if (!srv_json_write(&b, schema, 0)) { srv_buf_free(&b); srv_bad(pb, 400, "response_format", "the schema is too deep"); goto done; }
            r->schema = b.s;
            r->format = SRV_FORMAT_JSON_SCHEMA;
        } else {
            srv_bad(pb, 400, "response_format", "response_format type must be text, json_object or json_schema");
            goto done;
        }
    }
    ok = 1;
done:
    r1_json_free(root);
    if (!ok) srv_request_free(r);
    return ok;
}

#if !defined(R1_SERVER_NO_MAIN)
/* ======================================================================================
   The server: connections, jobs (requests given to the model) and the sequences they run on
   ====================================================================================== */
typedef struct srv_conn {
    srv_socket fd;            /* SRV_NO_SOCKET when the slot is free */
    srv_buf in;               /* bytes received and not yet handled */
    srv_buf out;              /* bytes to send */
    size_t out_sent;          /* of out, already sent */
    double t_request;         /* when the request being read began (0: none under way) */
    double t_progress;        /* the last time anything moved (idle and stalled-write timeouts) */
    int keep_alive;           /* keep the connection after the response */
    int closing;              /* close once out is sent */
    int job;                  /* the job answering this connection's request, or -1 */
    int continue_sent;        /* "100 Continue" went out for the request under way */
    int lingering;            /* answered and shut for writing: what the client still sends is
                                 read and dropped until it closes (so it reads the response
                                 instead of a reset), for a few seconds at most */
} srv_conn;

enum { SRV_JOB_FREE = 0, SRV_JOB_QUEUED, SRV_JOB_PREFILL, SRV_JOB_DECODE };

struct srv_job;
typedef struct srv_choice {
    struct srv_job *job;
    int index;                /* the choice's index in the response */
    int seq;                  /* its sequence in the context */
    r1_gen *gen;              /* NULL before the prompt is in, and after it finished */
    r1_generate_result res;   /* filled when it finished */
    r1_status status;         /* how it ended */
    char error[256];
    int finished;
} srv_choice;

typedef struct srv_job {
    int state;                /* SRV_JOB_* */
    int conn;                 /* the connection it answers, -1 once the client left */
    srv_request req;
    int32_t *prompt;          /* the prompt's tokens */
    int n_prompt;
    int n_done;               /* prompt tokens in choice 0's sequence so far */
    int n_cached;             /* of them, reused from the cache */
    r1_generate_params gp;
    r1_grammar *grammar;
    double t_arrived, t_first;/* when it came, and its first token */
    long long order;          /* arrival order (the queue is first come, first served) */
    char id[40];
    long long created;
    int header_sent;          /* stream: the response head went out */
    struct srv_server *server;
    srv_choice ch[SRV_MAX_N];
} srv_job;

typedef struct srv_slot {
    int job;                  /* the job using this sequence, or -1 */
    int32_t *tokens;          /* what the sequence holds (kept when idle, for prefix reuse) */
    int n_tokens;
    double last_used;         /* for evicting the least recently used idle cache */
} srv_slot;

typedef struct srv_options {
    const char *model, *host, *api_key;
    int port, n_threads, n_ctx, parallel, queue, max_conns, timeout, quiet;
    long long max_body;
} srv_options;

typedef struct srv_server {
    srv_options o;
    r1_model *model;
    const r1_tokenizer *tok;
    r1_context *ctx;
    char model_name[128];
    srv_socket listener;
    srv_socket spare;         /* a descriptor held back: freed to accept and refuse when out of them */
    srv_conn *conns;          /* [max_conns + 1] the last is scratch for refusing */
    srv_job *jobs;            /* [parallel + queue] */
    int n_jobs;
    srv_slot *slots;          /* [parallel] one per sequence */
    long long next_order, next_id;
    int32_t *scratch;         /* [n_ctx] tokens read back from a sequence */
    srv_pollfd *pfds;
    int *pfd_conn;
} srv_server;

static volatile sig_atomic_t srv_stop_requested;
static void srv_on_signal(int sig) { (void)sig; srv_stop_requested = 1; }

static void srv_log(const srv_server *s, const char *fmt, ...) {
    va_list ap;
    if (s->o.quiet) return;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static const char *srv_reason(int status) {
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

/* ---- Sending ---------------------------------------------------------------------------- */
static void srv_conn_close(srv_server *s, int ci);

static void srv_flush(srv_server *s, int ci) {
    srv_conn *c = &s->conns[ci];
    while (c->out_sent < c->out.len) {
        size_t left = c->out.len - c->out_sent;
        int chunk = left > (1u << 20) ? (1 << 20) : (int)left;
        long n = (long)send(c->fd, c->out.s + c->out_sent, chunk, MSG_NOSIGNAL);
        if (n < 0) {
            if (srv_interrupted()) continue;
            if (srv_would_block()) break;
            srv_conn_close(s, ci); /* the client is gone */
            return;
        }
        c->out_sent += (size_t)n;
        c->t_progress = r1_seconds();
    }
    if (c->out_sent == c->out.len) {
        c->out.len = c->out_sent = 0;
        if (c->closing && !c->lingering) {
#if defined(_WIN32)
            shutdown(c->fd, SD_SEND);
#else
            shutdown(c->fd, SHUT_WR);
#endif
            c->lingering = 1;
            c->t_progress = r1_seconds();
        }
    } else if (c->out.len - c->out_sent > SRV_OUT_LIMIT) {
        srv_conn_close(s, ci); /* it does not read what it asked for */
    }
}

/* A complete response with a body. */
static void srv_respond(srv_server *s, int ci, int status, const char *type, const char *body, size_t len) {
    srv_conn *c = &s->conns[ci];
    int ok = srv_buf_printf(&c->out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nCache-Control: no-store\r\n%s\r\n",
                            status, srv_reason(status), type, len, c->keep_alive ? "" : "Connection: close\r\n");
    if (!ok || !srv_buf_add(&c->out, body, len)) { srv_conn_close(s, ci); return; }
    if (!c->keep_alive) c->closing = 1;
    srv_flush(s, ci);
}

static void srv_respond_error(srv_server *s, int ci, int status, const char *param, const char *fmt, ...) {
    char msg[600];
    srv_buf b;
    va_list ap;
    const char *type = status == 401 ? "authentication_error" : status == 429 ? "rate_limit_exceeded"
                     : status >= 500 ? "server_error" : "invalid_request_error";
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    memset(&b, 0, sizeof b);
    srv_buf_str(&b, "{\"error\":{\"message\":");
    srv_json_str(&b, msg, strlen(msg));
    srv_buf_printf(&b, ",\"type\":\"%s\",\"param\":", type);
    if (param && param[0]) srv_json_str(&b, param, strlen(param));
    else srv_buf_str(&b, "null");
    if (!srv_buf_printf(&b, ",\"code\":%s}}", status == 400 && strstr(msg, "context length") ? "\"context_length_exceeded\"" : "null")) {
        srv_buf_free(&b);
        srv_conn_close(s, ci);
        return;
    }
    srv_respond(s, ci, status, "application/json", b.s, b.len);
    srv_buf_free(&b);
}

/* Streams: the head once, then each event as one chunk of the chunked encoding. */
static void srv_stream_head(srv_server *s, srv_job *j) {
    srv_conn *c;
    if (j->conn < 0 || j->header_sent) return;
    c = &s->conns[j->conn];
    srv_buf_str(&c->out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                         "Transfer-Encoding: chunked\r\n");
    if (!c->keep_alive) srv_buf_str(&c->out, "Connection: close\r\n");
    srv_buf_str(&c->out, "\r\n");
    j->header_sent = 1;
}
static void srv_stream_event(srv_server *s, srv_job *j, const char *data, size_t len) {
    srv_conn *c;
    if (j->conn < 0) return;
    srv_stream_head(s, j);
    c = &s->conns[j->conn];
    if (!srv_buf_printf(&c->out, "%zx\r\ndata: ", len + 8) || !srv_buf_add(&c->out, data, len) || !srv_buf_str(&c->out, "\n\n\r\n"))
        c->closing = 1;
}

/* The start of a chunk object: {"id":...,"object":...,"created":...,"model":...,"choices":[ */
static void srv_chunk_start(const srv_server *s, const srv_job *j, srv_buf *b) {
    srv_buf_printf(b, "{\"id\":\"%s\",\"object\":\"%s\",\"created\":%lld,\"model\":", j->id,
                   j->req.kind == SRV_CHAT ? "chat.completion.chunk" : "text_completion", j->created);
    srv_json_str(b, s->model_name, strlen(s->model_name));
    srv_buf_str(b, ",\"choices\":[");
}


/* Each piece of text a generation streams: one event (after the first token's time is noted). */
static int srv_on_piece(void *user, const char *text, size_t len, int kind) {
    srv_choice *ch = (srv_choice *)user;
    srv_job *j = ch->job;
    srv_server *s = j->server;
    srv_buf b;
    if (j->t_first == 0) j->t_first = r1_seconds();
    if (!j->req.stream || j->conn < 0 || len == 0) return 0;
    memset(&b, 0, sizeof b);
    srv_chunk_start(s, j, &b);
    if (j->req.kind == SRV_CHAT) {
        srv_buf_printf(&b, "{\"index\":%d,\"delta\":{\"%s\":", ch->index, kind == R1_PIECE_THINKING ? "reasoning_content" : "content");
        srv_json_str(&b, text, len);
        srv_buf_str(&b, "},\"logprobs\":null,\"finish_reason\":null}]}");
    } else {
        srv_buf_printf(&b, "{\"index\":%d,\"text\":", ch->index);
        srv_json_str(&b, text, len);
        srv_buf_str(&b, ",\"logprobs\":null,\"finish_reason\":null}]}");
    }
    if (b.s) srv_stream_event(s, j, b.s, b.len);
    srv_buf_free(&b);
    return 0;
}

static const char *srv_finish_reason(int stop) {
    return stop == R1_STOP_LENGTH || stop == R1_STOP_CONTEXT ? "length" : "stop";
}

/* ---- Sequences -------------------------------------------------------------------------- */
/* Tokens a and b share from the start. */
static int srv_common_prefix(const int32_t *a, int na, const int32_t *b, int nb) {
    int i, n = na < nb ? na : nb;
    for (i = 0; i < n && a[i] == b[i]; i++) {}
    return i;
}

/* A sequence is done with: its cache stays, remembered for the next prompt that shares it. */
static void srv_slot_release(srv_server *s, int seq) {
    srv_slot *sl = &s->slots[seq];
    int n = r1_seq_tokens(s->ctx, seq, sl->tokens, r1_context_n_ctx(s->ctx));
    sl->n_tokens = n < 0 ? 0 : n;
    sl->job = -1;
    sl->last_used = r1_seconds();
}

/* Frees the cache of idle sequences, least recently used first, until rows are free (or none is left). */
static void srv_make_room(srv_server *s, int rows, int keep_seq) {
    while (r1_context_n_free(s->ctx) < rows) {
        int i, lru = -1;
        for (i = 0; i < s->o.parallel; i++)
            if (s->slots[i].job < 0 && i != keep_seq && r1_seq_n_past(s->ctx, i) > 0 && (lru < 0 || s->slots[i].last_used < s->slots[lru].last_used)) lru = i;
        if (lru < 0) return;
        r1_seq_truncate(s->ctx, lru, 0);
        s->slots[lru].n_tokens = 0;
    }
}

/* ---- Jobs ------------------------------------------------------------------------------- */
static void srv_job_free(srv_job *j) {
    int k;
    for (k = 0; k < j->req.n; k++) {
        if (j->ch[k].gen) r1_gen_finish(j->ch[k].gen, NULL, NULL);
        r1_generate_result_free(&j->ch[k].res);
    }
    srv_request_free(&j->req);
    free(j->prompt);
    r1_grammar_free(j->grammar);
    memset(j, 0, sizeof *j);
    j->state = SRV_JOB_FREE;
    j->conn = -1;
}

/* The job's sequences go back (their caches kept), the job is freed. */
static void srv_job_end(srv_server *s, srv_job *j) {
    int k;
    if (j->state == SRV_JOB_PREFILL || j->state == SRV_JOB_DECODE)
        for (k = 0; k < j->req.n; k++) {
            if (j->ch[k].gen) { r1_gen_finish(j->ch[k].gen, NULL, NULL); j->ch[k].gen = NULL; }
            srv_slot_release(s, j->ch[k].seq);
        }
    if (j->conn >= 0) s->conns[j->conn].job = -1;
    srv_job_free(j);
}

static void srv_usage(const srv_job *j, srv_buf *b) {
    int k, completion = 0, reasoning = 0;
    for (k = 0; k < j->req.n; k++) {
        completion += j->ch[k].res.n_tokens;
        reasoning += j->ch[k].res.n_thinking_tokens;
    }
    srv_buf_printf(b, "\"usage\":{\"prompt_tokens\":%d,\"completion_tokens\":%d,\"total_tokens\":%d,"
                      "\"prompt_tokens_details\":{\"cached_tokens\":%d},\"completion_tokens_details\":{\"reasoning_tokens\":%d}}",
                   j->n_prompt, completion, j->n_prompt + completion, j->n_cached, reasoning);
}

static void srv_conn_process(srv_server *s, int ci);

/* Every choice is over: the response (or the stream's last events), then the job ends. */
static void srv_job_complete(srv_server *s, srv_job *j) {
    int k, failed = -1, ci = j->conn;
    srv_buf b;
    for (k = 0; k < j->req.n; k++) {
        srv_choice *ch = &j->ch[k];
        r1_error err;
        if (!ch->gen) continue;
        ch->status = r1_gen_finish(ch->gen, &ch->res, &err);
        ch->gen = NULL;
        if (ch->status != R1_OK) { snprintf(ch->error, sizeof ch->error, "%s", err.message); if (failed < 0) failed = k; }
        ch->finished = 1;
    }
    memset(&b, 0, sizeof b);
    if (j->req.stream && ci >= 0) {
        for (k = 0; k < j->req.n; k++) {
            b.len = 0;
            if (j->ch[k].status != R1_OK) continue;
            srv_chunk_start(s, j, &b);
            if (j->req.kind == SRV_CHAT) srv_buf_printf(&b, "{\"index\":%d,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"%s\"}]}", k, srv_finish_reason(j->ch[k].res.stop_reason));
            else srv_buf_printf(&b, "{\"index\":%d,\"text\":\"\",\"logprobs\":null,\"finish_reason\":\"%s\"}]}", k, srv_finish_reason(j->ch[k].res.stop_reason));
            if (b.s) srv_stream_event(s, j, b.s, b.len);
        }
        if (failed >= 0) {
            b.len = 0;
            srv_buf_str(&b, "{\"error\":{\"message\":");
            srv_json_str(&b, j->ch[failed].error, strlen(j->ch[failed].error));
            srv_buf_str(&b, ",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
            if (b.s) srv_stream_event(s, j, b.s, b.len);
        }
        if (j->req.include_usage) {
            b.len = 0;
            srv_chunk_start(s, j, &b);
            srv_buf_str(&b, "],");
            srv_usage(j, &b);
            srv_buf_str(&b, "}");
            if (b.s) srv_stream_event(s, j, b.s, b.len);
        }
        srv_stream_event(s, j, "[DONE]", 6);
        if (j->conn >= 0) {
            srv_conn *c = &s->conns[j->conn];
            srv_buf_str(&c->out, "0\r\n\r\n");
            if (!c->keep_alive) c->closing = 1;
        }
    } else if (ci >= 0 && failed >= 0) {
        srv_respond_error(s, ci, j->ch[failed].status == R1_ERR_UNSUPPORTED ? 400 : 500, NULL, "%s", j->ch[failed].error);
    } else if (ci >= 0) {
        srv_buf_printf(&b, "{\"id\":\"%s\",\"object\":\"%s\",\"created\":%lld,\"model\":", j->id,
                       j->req.kind == SRV_CHAT ? "chat.completion" : "text_completion", j->created);
        srv_json_str(&b, s->model_name, strlen(s->model_name));
        srv_buf_str(&b, ",\"choices\":[");
        for (k = 0; k < j->req.n; k++) {
            const r1_generate_result *r = &j->ch[k].res;
            if (k) srv_buf_str(&b, ",");
            srv_buf_printf(&b, "{\"index\":%d,", k);
            if (j->req.kind == SRV_CHAT) {
                srv_buf_str(&b, "\"message\":{\"role\":\"assistant\",\"content\":");
                srv_json_str(&b, r->answer, strlen(r->answer));
                srv_buf_str(&b, ",\"reasoning_content\":");
                srv_json_str(&b, r->thinking, strlen(r->thinking));
                srv_buf_str(&b, "},");
            } else {
                srv_buf_str(&b, "\"text\":"); /* the thought (if the model opened one) and the answer */
                if (r->thinking[0]) {
                    srv_buf t;
                    memset(&t, 0, sizeof t);
                    srv_buf_str(&t, r->thinking);
                    srv_buf_str(&t, r->answer);
                    srv_json_str(&b, t.s ? t.s : "", t.len);
                    srv_buf_free(&t);
                } else {
                    srv_json_str(&b, r->answer, strlen(r->answer));
                }
                srv_buf_str(&b, ",");
            }
            srv_buf_printf(&b, "\"logprobs\":null,\"finish_reason\":\"%s\"}", srv_finish_reason(r->stop_reason));
        }
        srv_buf_str(&b, "],");
        srv_usage(j, &b);
        if (!srv_buf_str(&b, "}")) srv_respond_error(s, ci, 500, NULL, "out of memory");
        else srv_respond(s, ci, 200, "application/json", b.s, b.len);
    }
    srv_buf_free(&b);
    {
        double t = r1_seconds();
        int toks = 0;
        for (k = 0; k < j->req.n; k++) toks += j->ch[k].res.n_tokens;
        srv_log(s, "%s: %d prompt tokens (%d cached), %d generated in %.0f ms (first after %.0f ms)", j->id, j->n_prompt, j->n_cached,
                toks, (t - j->t_arrived) * 1e3, j->t_first > 0 ? (j->t_first - j->t_arrived) * 1e3 : 0.0);
    }
    srv_job_end(s, j);
    if (ci >= 0 && s->conns[ci].fd != SRV_NO_SOCKET) {
        srv_flush(s, ci);
        if (s->conns[ci].fd != SRV_NO_SOCKET) srv_conn_process(s, ci); /* a request that came meanwhile */
    }
}

/* A request checked and tokenized becomes a queued job (or gets its error response). */
static void srv_job_create(srv_server *s, int ci, int kind, const char *body, size_t len) {
    srv_problem pb;
    srv_request req;
    srv_job *j = NULL;
    r1_error err;
    int i, n, busy = 0;
    if (!srv_request_parse(body, len, kind, s->o.parallel, &req, &pb)) {
        srv_respond_error(s, ci, pb.status, pb.param, "%s", pb.message);
        return;
    }
    for (i = 0; i < s->n_jobs; i++) {
        if (s->jobs[i].state != SRV_JOB_FREE) busy++;
        else if (!j) j = &s->jobs[i];
    }
    if (!j || busy >= s->o.parallel + s->o.queue) {
        srv_request_free(&req);
        srv_respond_error(s, ci, 429, NULL, "the server is busy (%d requests running or queued); try again", busy);
        return;
    }
    memset(j, 0, sizeof *j);
    j->req = req;
    j->server = s;
    j->conn = -1;
    if (kind == SRV_CHAT) {
        int mode = req.no_think ? R1_CHAT_PROMPT_NO_THINK : R1_CHAT_PROMPT;
        n = r1_chat_tokenize(s->tok, req.msgs, req.n_msgs, mode, NULL, 0, &err);
        if (n >= 0 && (j->prompt = (int32_t *)malloc(((size_t)n + 1) * sizeof(int32_t))) != NULL)
            n = r1_chat_tokenize(s->tok, req.msgs, req.n_msgs, mode, j->prompt, n + 1, &err);
    } else {
        n = r1_tokenize_plain(s->tok, req.prompt, req.prompt_len, 1, NULL, 0, &err);
        if (n >= 0 && (j->prompt = (int32_t *)malloc(((size_t)n + 1) * sizeof(int32_t))) != NULL)
            n = r1_tokenize_plain(s->tok, req.prompt, req.prompt_len, 1, j->prompt, n + 1, &err);
    }
    if (n < 0 || !j->prompt) {
        srv_respond_error(s, ci, n < 0 ? 400 : 500, kind == SRV_CHAT ? "messages" : "prompt", "%s", n < 0 ? err.message : "out of memory");
        srv_job_free(j);
        return;
    }
    j->n_prompt = n;
    if (n == 0) {
        srv_respond_error(s, ci, 400, "prompt", "the prompt is empty");
        srv_job_free(j);
        return;
    }
    if (n >= r1_context_n_ctx(s->ctx)) {
        srv_respond_error(s, ci, 400, kind == SRV_CHAT ? "messages" : "prompt",
                          "This model's maximum context length is %d tokens. However, your %s resulted in %d tokens.",
                          r1_context_n_ctx(s->ctx), kind == SRV_CHAT ? "messages" : "prompt", n);
        srv_job_free(j);
        return;
    }
    if (req.format == SRV_FORMAT_JSON_OBJECT) {
        const char *g = r1_grammar_json_gbnf();
        j->grammar = r1_grammar_new(s->tok, g, strlen(g), NULL, &err);
    } else if (req.format == SRV_FORMAT_JSON_SCHEMA) {
        j->grammar = r1_grammar_from_json_schema(s->tok, req.schema, strlen(req.schema), &err);
    }
    if (req.format != SRV_FORMAT_TEXT && !j->grammar) {
        srv_respond_error(s, ci, 400, "response_format", "%s", err.message);
        srv_job_free(j);
        return;
    }
    j->gp = r1_generate_default_params();
    j->gp.n_predict = req.max_tokens;
    j->gp.think_budget = req.think_budget;
    j->gp.stop = (const char *const *)j->req.stop;
    j->gp.n_stop = req.n_stop;
    j->gp.sampling = req.sampling;
    if (!req.seed_given) j->gp.sampling.seed = (uint64_t)time(NULL) * 2654435761u + (uint64_t)s->next_id * 40503u;
    j->gp.grammar = j->grammar;
    j->gp.grammar_whole = req.no_think || kind == SRV_COMPLETION; /* no thought: the grammar covers all */
    for (i = 0; i < req.n; i++) {
        j->ch[i].job = j;
        j->ch[i].index = i;
        j->ch[i].seq = -1;
    }
    j->t_arrived = r1_seconds();
    j->created = (long long)time(NULL);
    snprintf(j->id, sizeof j->id, "%s-%lld", kind == SRV_CHAT ? "chatcmpl" : "cmpl", ++s->next_id);
    j->order = s->next_order++;
    j->conn = ci;
    j->state = SRV_JOB_QUEUED;
    s->conns[ci].job = (int)(j - s->jobs);
}

/* Gives the oldest queued jobs free sequences, the first reusing the longest cached prefix of
   its prompt: from an idle sequence (truncated there), or forked from any sequence. */
static void srv_admit(srv_server *s) {
    for (;;) {
        srv_job *j = NULL;
        int i, k, n_idle = 0, dst = -1, dst_l = -1, src = -1, src_l = 0, keep;
        for (i = 0; i < s->n_jobs; i++)
            if (s->jobs[i].state == SRV_JOB_QUEUED && (!j || s->jobs[i].order < j->order)) j = &s->jobs[i];
        if (!j) return;
        for (i = 0; i < s->o.parallel; i++) n_idle += s->slots[i].job < 0;
        if (n_idle < j->req.n) return; /* first come, first served */
        for (i = 0; i < s->o.parallel; i++) {
            srv_slot *sl = &s->slots[i];
            int have = r1_seq_n_past(s->ctx, i), l;
            l = srv_common_prefix(sl->tokens, sl->n_tokens < have ? sl->n_tokens : have, j->prompt, j->n_prompt - 1);
            if (sl->job < 0 && (l > dst_l || (l == dst_l && sl->last_used < s->slots[dst].last_used))) { dst = i; dst_l = l; }
            if (l > src_l) { src = i; src_l = l; }
        }
        keep = dst_l;
        if (src >= 0 && src != dst && src_l > dst_l) { /* another sequence holds more of it: share its rows */
            r1_seq_fork(s->ctx, dst, src, NULL);
            keep = src_l;
        }
        r1_seq_truncate(s->ctx, dst, keep);
        s->slots[dst].job = (int)(j - s->jobs);
        memcpy(s->slots[dst].tokens, j->prompt, (size_t)j->n_prompt * sizeof(int32_t));
        s->slots[dst].n_tokens = j->n_prompt;
        j->ch[0].seq = dst;
        j->n_done = j->n_cached = keep;
        for (k = 1; k < j->req.n; k++) { /* the other choices fork from the first after its prompt */
            int pick = -1;
            for (i = 0; i < s->o.parallel; i++)
                if (s->slots[i].job < 0 && (pick < 0 || s->slots[i].last_used < s->slots[pick].last_used)) pick = i;
            r1_seq_truncate(s->ctx, pick, 0);
            s->slots[pick].job = (int)(j - s->jobs);
            s->slots[pick].n_tokens = 0;
            j->ch[k].seq = pick;
        }
        j->state = SRV_JOB_PREFILL;
    }
}

/* The stream's opening: each choice's role. */
static void srv_stream_open(srv_server *s, srv_job *j) {
    int k;
    srv_buf b;
    if (!j->req.stream || j->conn < 0) return;
    srv_stream_head(s, j);
    if (j->req.kind != SRV_CHAT) return;
    memset(&b, 0, sizeof b);
    for (k = 0; k < j->req.n; k++) {
        b.len = 0;
        srv_chunk_start(s, j, &b);
        srv_buf_printf(&b, "{\"index\":%d,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}", k);
        if (b.s) srv_stream_event(s, j, b.s, b.len);
    }
    srv_buf_free(&b);
}

/* One chunk of the oldest waiting prompt; when it is all in, its generations start. Returns
   whether it did anything. */
static int srv_prefill(srv_server *s, int decoding) {
    srv_job *j = NULL;
    r1_error err;
    int i, k, chunk, seq;
    for (i = 0; i < s->n_jobs; i++)
        if (s->jobs[i].state == SRV_JOB_PREFILL && (!j || s->jobs[i].order < j->order)) j = &s->jobs[i];
    if (!j) return 0;
    seq = j->ch[0].seq;
    /* a short chunk while others are decoding, so their tokens keep coming */
    chunk = decoding ? 64 : 512;
    if (chunk > j->n_prompt - j->n_done) chunk = j->n_prompt - j->n_done;
    srv_make_room(s, chunk + 16, seq);
    if (r1_eval_seq(s->ctx, seq, j->prompt + j->n_done, chunk, NULL, &err) != R1_OK) {
        if (j->conn >= 0) srv_respond_error(s, j->conn, 503, NULL, "the prompt could not be evaluated: %s", err.message);
        srv_job_end(s, j);
        return 1;
    }
    j->n_done += chunk;
    if (j->n_done < j->n_prompt) return 1;
    for (k = 0; k < j->req.n; k++) {
        r1_generate_params gp = j->gp;
        gp.sampling.seed = j->gp.sampling.seed + (uint64_t)k; /* choice k draws from seed + k, as r1_generate_batch */
        if (k > 0) r1_seq_fork(s->ctx, j->ch[k].seq, seq, NULL);
        j->ch[k].gen = r1_gen_new(s->ctx, s->tok, j->ch[k].seq, j->prompt, j->n_prompt, &gp, srv_on_piece, &j->ch[k], &err);
        if (!j->ch[k].gen) {
            if (j->conn >= 0) srv_respond_error(s, j->conn, 500, NULL, "%s", err.message);
            srv_job_end(s, j);
            return 1;
        }
    }
    j->state = SRV_JOB_DECODE;
    srv_stream_open(s, j);
    return 1;
}

/* One token for every running generation, in one pass; finished jobs respond. */
static int srv_decode(srv_server *s) {
    r1_gen *gens[4096];
    r1_error err;
    int i, k, n = 0, n_live = 0;
    for (i = 0; i < s->n_jobs; i++)
        if (s->jobs[i].state == SRV_JOB_DECODE)
            for (k = 0; k < s->jobs[i].req.n; k++)
                if (s->jobs[i].ch[k].gen && n < 4096) {
                    gens[n++] = s->jobs[i].ch[k].gen;
                    n_live += !r1_gen_done(s->jobs[i].ch[k].gen);
                }
    if (n_live > 0) {
        srv_make_room(s, 2 * n_live, -1); /* idle caches give way to running generations */
        if (r1_gen_step(s->ctx, gens, n, &err) != R1_OK) {
            for (i = 0; i < s->n_jobs; i++)
                if (s->jobs[i].state == SRV_JOB_DECODE) {
                    if (s->jobs[i].conn >= 0 && !s->jobs[i].header_sent) srv_respond_error(s, s->jobs[i].conn, 500, NULL, "%s", err.message);
                    else if (s->jobs[i].conn >= 0) s->conns[s->jobs[i].conn].closing = 1;
                    srv_job_end(s, &s->jobs[i]);
                }
            return 1;
        }
    }
    for (i = 0; i < s->n_jobs; i++) {
        srv_job *j = &s->jobs[i];
        int done = 1;
        if (j->state != SRV_JOB_DECODE) continue;
        for (k = 0; k < j->req.n; k++) done &= r1_gen_done(j->ch[k].gen);
        if (done) srv_job_complete(s, j);
        else if (j->conn >= 0) srv_flush(s, j->conn);
    }
    return n_live > 0;
}

/* ---- Connections ------------------------------------------------------------------------- */
static void srv_conn_close(srv_server *s, int ci) {
    srv_conn *c = &s->conns[ci];
    if (c->fd == SRV_NO_SOCKET) return;
    if (c->job >= 0) {
        srv_job *j = &s->jobs[c->job];
        j->conn = -1; /* the job ends at the next turn of the loop: its sequences free at once */
        c->job = -1;
    }
    srv_close_socket(c->fd);
    srv_buf_free(&c->in);
    srv_buf_free(&c->out);
    memset(c, 0, sizeof *c);
    c->fd = SRV_NO_SOCKET;
    c->job = -1;
}

static const char *const *srv_page(void); /* the web chat, at the end of this file */

static void srv_route(srv_server *s, int ci, const srv_http *h, const char *body, size_t len) {
    const char *p = h->path;
    int is_get = !strcmp(h->method, "GET");
    if (!strncmp(p, "/v1/", 4) && s->o.api_key) {
        if (strncmp(h->auth, "Bearer ", 7) != 0 || !srv_key_ok(h->auth + 7, s->o.api_key)) {
            srv_respond_error(s, ci, 401, NULL, "a valid API key is required (Authorization: Bearer KEY)");
            return;
        }
    }
    if (!strcmp(p, "/") || !strcmp(p, "/index.html")) {
        srv_buf b;
        int i;
        if (!is_get) { srv_respond_error(s, ci, 405, NULL, "use GET for %s", p); return; }
        memset(&b, 0, sizeof b);
        for (i = 0; srv_page()[i]; i++) srv_buf_str(&b, srv_page()[i]);
        srv_respond(s, ci, 200, "text/html; charset=utf-8", b.s ? b.s : "", b.len);
        srv_buf_free(&b);
    } else if (!strcmp(p, "/health")) {
        char out[256];
        int i, idle = 0, queued = 0;
        if (!is_get) { srv_respond_error(s, ci, 405, NULL, "use GET for %s", p); return; }
        for (i = 0; i < s->o.parallel; i++) idle += s->slots[i].job < 0;
        for (i = 0; i < s->n_jobs; i++) queued += s->jobs[i].state == SRV_JOB_QUEUED;
        snprintf(out, sizeof out, "{\"status\":\"ok\",\"slots_idle\":%d,\"slots_total\":%d,\"queued\":%d}", idle, s->o.parallel, queued);
        srv_respond(s, ci, 200, "application/json", out, strlen(out));
    } else if (!strcmp(p, "/v1/models")) {
        srv_buf b;
        if (!is_get) { srv_respond_error(s, ci, 405, NULL, "use GET for %s", p); return; }
        memset(&b, 0, sizeof b);
        srv_buf_str(&b, "{\"object\":\"list\",\"data\":[{\"id\":");
        srv_json_str(&b, s->model_name, strlen(s->model_name));
        srv_buf_printf(&b, ",\"object\":\"model\",\"created\":%lld,\"owned_by\":\"r1.h\",\"meta\":{\"n_ctx\":%d,\"n_vocab\":%d,\"isa\":\"%s\"}}]}",
                       (long long)time(NULL), r1_context_n_ctx(s->ctx), r1_model_n_vocab(s->model), r1_model_isa(s->model));
        srv_respond(s, ci, 200, "application/json", b.s ? b.s : "", b.len);
        srv_buf_free(&b);
    } else if (!strcmp(p, "/v1/chat/completions") || !strcmp(p, "/v1/completions")) {
        if (strcmp(h->method, "POST") != 0) { srv_respond_error(s, ci, 405, NULL, "use POST for %s", p); return; }
        srv_job_create(s, ci, !strcmp(p, "/v1/chat/completions") ? SRV_CHAT : SRV_COMPLETION, body, len);
    } else {
        srv_respond_error(s, ci, 404, NULL, "no such endpoint: %s %s", h->method, p);
    }
}

/* Handles the complete requests a connection has sent, one at a time (a request waits while
   the one before it is answered). */
static void srv_conn_process(srv_server *s, int ci) {
    srv_conn *c = &s->conns[ci];
    while (c->fd != SRV_NO_SOCKET && c->job < 0 && !c->closing && c->in.len > 0) {
        srv_http h;
        long long body_len;
        int r = srv_http_parse(c->in.s, c->in.len, &h);
        if (!c->t_request) c->t_request = r1_seconds();
        if (r == SRV_HEAD_MORE) return;
        if (r != SRV_HEAD_OK) {
            c->keep_alive = 0;
            if (r == SRV_HEAD_TOO_LARGE) srv_respond_error(s, ci, 431, NULL, "the request head is over %d bytes", SRV_HEAD_LIMIT);
            else srv_respond_error(s, ci, 400, NULL, "malformed HTTP request");
            return;
        }
        c->keep_alive = h.keep_alive;
        if (h.chunked) {
            c->keep_alive = 0;
            srv_respond_error(s, ci, 501, NULL, "chunked request bodies are not supported: send Content-Length");
            return;
        }
        body_len = h.content_length < 0 ? 0 : h.content_length;
        if (!strcmp(h.method, "POST") && h.content_length < 0) {
            c->keep_alive = 0;
            srv_respond_error(s, ci, 411, NULL, "a POST needs a Content-Length");
            return;
        }
        if (body_len > s->o.max_body) {
            c->keep_alive = 0;
            srv_respond_error(s, ci, 413, NULL, "the body is %lld bytes, over the limit of %lld (--max-body)", body_len, s->o.max_body);
            return;
        }
        if (c->in.len < h.head_len + (size_t)body_len) {
            if (h.expect_continue && !c->continue_sent) {
                srv_buf_str(&c->out, "HTTP/1.1 100 Continue\r\n\r\n");
                c->continue_sent = 1;
                srv_flush(s, ci);
            }
            return;
        }
        srv_route(s, ci, &h, c->in.s + h.head_len, (size_t)body_len);
        if (c->fd == SRV_NO_SOCKET) return;
        srv_buf_consume(&c->in, h.head_len + (size_t)body_len);
        c->continue_sent = 0;
        c->t_request = 0;
    }
    if (c->fd != SRV_NO_SOCKET && c->in.len == 0) c->t_request = 0;
}

static void srv_set_nonblocking(srv_socket fd) {
#if defined(_WIN32)
    u_long one = 1;
    ioctlsocket(fd, FIONBIO, &one);
#else
    int fl = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
#endif
}

/* A connection beyond the limit: told so, and closed. */
static void srv_refuse(srv_socket fd) {
    static const char msg[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 112\r\n"
                              "Connection: close\r\n\r\n"
                              "{\"error\":{\"message\":\"too many connections; try again\",\"type\":\"server_error\",\"param\":null,\"code\":null}}       ";
    srv_set_nonblocking(fd);
    (void)send(fd, msg, (int)sizeof msg - 1, MSG_NOSIGNAL);
    srv_close_socket(fd);
}

static void srv_accept(srv_server *s) {
    int k;
    for (k = 0; k < 64; k++) {
        int i, slot = -1;
        srv_socket fd = accept(s->listener, NULL, NULL);
        if (fd == SRV_NO_SOCKET) {
#if !defined(_WIN32)
            if (srv_out_of_fds() && s->spare >= 0) { /* out of descriptors: use the spare one to refuse */
                close(s->spare);
                fd = accept(s->listener, NULL, NULL);
                if (fd != SRV_NO_SOCKET) srv_refuse(fd);
                s->spare = open("/dev/null", O_RDONLY);
                continue;
            }
#endif
            return;
        }
        for (i = 0; i < s->o.max_conns; i++)
            if (s->conns[i].fd == SRV_NO_SOCKET) { slot = i; break; }
        if (slot < 0) { srv_refuse(fd); continue; }
        srv_set_nonblocking(fd);
        {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof one);
        }
        s->conns[slot].fd = fd;
        s->conns[slot].job = -1;
        s->conns[slot].t_progress = r1_seconds();
    }
}

static void srv_read(srv_server *s, int ci) {
    srv_conn *c = &s->conns[ci];
    char tmp[16384];
    for (;;) {
        long n;
        if (c->in.len > (size_t)s->o.max_body + SRV_HEAD_LIMIT + sizeof tmp) break; /* it can hold one request: the rest waits */
        n = (long)recv(c->fd, tmp, (int)sizeof tmp, 0);
        if (n == 0) { srv_conn_close(s, ci); return; } /* the client closed (a disconnect frees its job) */
        if (n < 0) {
            if (srv_interrupted()) continue;
            if (!srv_would_block()) srv_conn_close(s, ci);
            break;
        }
        if (c->closing) { c->t_progress = c->lingering ? c->t_progress : r1_seconds(); continue; } /* answered already: dropped */
        if (!srv_buf_add(&c->in, tmp, (size_t)n)) { srv_conn_close(s, ci); return; }
        c->t_progress = r1_seconds();
        if ((size_t)n < sizeof tmp) break;
    }
    if (c->fd != SRV_NO_SOCKET) srv_conn_process(s, ci);
}

/* Slow or idle clients: a request must arrive within the timeout, a reader must keep reading. */
static void srv_timeouts(srv_server *s) {
    double now = r1_seconds();
    int i;
    for (i = 0; i < s->o.max_conns; i++) {
        srv_conn *c = &s->conns[i];
        if (c->fd == SRV_NO_SOCKET) continue;
        if (c->lingering) {
            if (now - c->t_progress > 2.0) srv_conn_close(s, i);
        } else if (c->out.len > c->out_sent) {
            if (now - c->t_progress > s->o.timeout) srv_conn_close(s, i);
        } else if (c->job < 0 && c->t_request > 0 && now - c->t_request > s->o.timeout) {
            c->keep_alive = 0;
            srv_respond_error(s, i, 408, NULL, "the request did not arrive within %d s", s->o.timeout);
        } else if (c->job < 0 && c->in.len == 0 && now - c->t_progress > 2.0 * s->o.timeout + 30) {
            srv_conn_close(s, i); /* idle keep-alive */
        }
    }
}

/* Jobs whose client left end at once (their sequences go back). */
static void srv_reap(srv_server *s) {
    int i;
    for (i = 0; i < s->n_jobs; i++)
        if (s->jobs[i].state != SRV_JOB_FREE && s->jobs[i].conn < 0) {
            srv_log(s, "%s: the client left; its sequences are free", s->jobs[i].id);
            srv_job_end(s, &s->jobs[i]);
        }
}

static int srv_listen(srv_server *s) {
    struct addrinfo hints, *res = NULL, *ai;
    char port[16];
    int rc;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    snprintf(port, sizeof port, "%d", s->o.port);
    if ((rc = getaddrinfo(s->o.host, port, &hints, &res)) != 0) {
        fprintf(stderr, "r1-server: cannot resolve --host %s: %s\n", s->o.host, gai_strerror(rc));
        return 0;
    }
    s->listener = SRV_NO_SOCKET;
    for (ai = res; ai; ai = ai->ai_next) {
        int one = 1;
        srv_socket fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd == SRV_NO_SOCKET) continue;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, (const char *)&one, sizeof one);
        if (bind(fd, ai->ai_addr, (int)ai->ai_addrlen) == 0 && listen(fd, 1024) == 0) { s->listener = fd; break; }
        srv_close_socket(fd);
    }
    freeaddrinfo(res);
    if (s->listener == SRV_NO_SOCKET) {
        fprintf(stderr, "r1-server: cannot listen on %s:%d: %s\n", s->o.host, s->o.port, strerror(errno));
        return 0;
    }
    srv_set_nonblocking(s->listener);
    {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        int bound = s->o.port;
        if (getsockname(s->listener, (struct sockaddr *)&ss, &sl) == 0)
            bound = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port) : ntohs(((struct sockaddr_in *)&ss)->sin_port);
        s->o.port = bound;
    }
    return 1;
}

/* One turn: sockets, then model work. */
static void srv_turn(srv_server *s) {
    int i, n = 0, busy = 0, decoding = 0, timeout;
    for (i = 0; i < s->n_jobs; i++) {
        if (s->jobs[i].state == SRV_JOB_PREFILL) busy = 1;
        if (s->jobs[i].state == SRV_JOB_DECODE) busy = decoding = 1;
    }
    timeout = busy ? 0 : 100;
    s->pfds[n].fd = s->listener;
    s->pfds[n].events = POLLIN;
    s->pfds[n].revents = 0;
    s->pfd_conn[n++] = -1;
    for (i = 0; i < s->o.max_conns; i++) {
        srv_conn *c = &s->conns[i];
        if (c->fd == SRV_NO_SOCKET) continue;
        s->pfds[n].fd = c->fd;
        s->pfds[n].events = (short)(POLLIN | (c->out.len > c->out_sent ? POLLOUT : 0));
        s->pfds[n].revents = 0;
        s->pfd_conn[n++] = i;
    }
    if (srv_poll(s->pfds, (unsigned long)n, timeout) > 0) {
        for (i = 0; i < n; i++) {
            int ci = s->pfd_conn[i];
            short re = s->pfds[i].revents;
            if (!re) continue;
            if (ci < 0) { srv_accept(s); continue; }
            if (s->conns[ci].fd == SRV_NO_SOCKET) continue;
            if (re & POLLOUT) srv_flush(s, ci);
            if (s->conns[ci].fd != SRV_NO_SOCKET && (re & (POLLIN | POLLHUP | POLLERR))) srv_read(s, ci);
        }
    }
    srv_timeouts(s);
    srv_reap(s);
    srv_admit(s);
    if (srv_prefill(s, decoding)) srv_reap(s);
    srv_decode(s);
    srv_reap(s);
}

static void srv_usage_exit(const char *msg, const char *arg) {
    if (msg) fprintf(stderr, "r1-server: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    fprintf(stderr,
            "usage: r1-server -m MODEL.gguf [options]\n"
            "  --host ADDR       address to listen on (default 127.0.0.1: this machine only)\n"
            "  --port N          TCP port (default 8080; 0 picks a free one)\n"
            "  -t, --threads N   threads for the model (default: the CPUs online)\n"
            "  -c, --ctx-size N  KV-cache rows shared by all requests (default: parallel x min(training context, 8192))\n"
            "  --parallel K      requests decoded together, and the most choices (n) per request (default 4)\n"
            "  --queue N         requests waiting beyond those (default 64; more get 429)\n"
            "  --max-conns N     open connections (default 256; more are refused with 503)\n"
            "  --max-body BYTES  largest request body (default 4194304)\n"
            "  --timeout S       seconds a request may take to arrive, or a client to read (default 30)\n"
            "  --api-key KEY     require Authorization: Bearer KEY on /v1/ (also R1_API_KEY)\n"
            "  --quiet           no log lines\n");
    exit(msg ? 1 : 0);
}

static long long srv_arg_int(const char *opt, const char *v, long long lo, long long hi) {
    char *end;
    long long x;
    if (!v) srv_usage_exit("missing value for", opt);
    errno = 0;
    x = strtoll(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi) {
        fprintf(stderr, "r1-server: %s must be an integer in [%lld, %lld], got '%s'\n", opt, lo, hi, v);
        exit(1);
    }
    return x;
}

int main(int argc, char **argv) {
    srv_server s;
    r1_context_params cp = r1_context_default_params();
    r1_error err;
    int i;
    const char *name;
    size_t name_len;
    memset(&s, 0, sizeof s);
    s.o.host = "127.0.0.1";
    s.o.port = 8080;
    s.o.parallel = 4;
    s.o.queue = 64;
    s.o.max_conns = 256;
    s.o.max_body = 4 << 20;
    s.o.timeout = 30;
    s.o.api_key = getenv("R1_API_KEY");
    if (s.o.api_key && !s.o.api_key[0]) s.o.api_key = NULL;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) srv_usage_exit(NULL, NULL);
        else if (!strcmp(a, "-m") || !strcmp(a, "--model")) { if (!v) srv_usage_exit("missing value for", a); s.o.model = v; i++; }
        else if (!strcmp(a, "--host")) { if (!v) srv_usage_exit("missing value for", a); s.o.host = v; i++; }
        else if (!strcmp(a, "--port")) { s.o.port = (int)srv_arg_int(a, v, 0, 65535); i++; }
        else if (!strcmp(a, "-t") || !strcmp(a, "--threads")) { s.o.n_threads = (int)srv_arg_int(a, v, 1, 1024); i++; }
        else if (!strcmp(a, "-c") || !strcmp(a, "--ctx-size")) { s.o.n_ctx = (int)srv_arg_int(a, v, 16, 1 << 24); i++; }
        else if (!strcmp(a, "--parallel") || !strcmp(a, "-np")) { s.o.parallel = (int)srv_arg_int(a, v, 1, SRV_MAX_N * 16); i++; }
        else if (!strcmp(a, "--queue")) { s.o.queue = (int)srv_arg_int(a, v, 0, 100000); i++; }
        else if (!strcmp(a, "--max-conns")) { s.o.max_conns = (int)srv_arg_int(a, v, 1, 100000); i++; }
        else if (!strcmp(a, "--max-body")) { s.o.max_body = srv_arg_int(a, v, 1, 1ll << 32); i++; }
        else if (!strcmp(a, "--timeout")) { s.o.timeout = (int)srv_arg_int(a, v, 1, 86400); i++; }
        else if (!strcmp(a, "--api-key")) { if (!v || !v[0]) srv_usage_exit("missing value for", a); s.o.api_key = v; i++; }
        else if (!strcmp(a, "--quiet")) s.o.quiet = 1;
        else srv_usage_exit("unknown option", a);
    }
    if (!s.o.model) srv_usage_exit("a model is required:", "-m MODEL.gguf");
    if (!(s.model = r1_model_load(s.o.model, &err))) { fprintf(stderr, "r1-server: %s\n", err.message); return 1; }
    if (!(s.tok = r1_model_tokenizer(s.model))) { fprintf(stderr, "r1-server: %s has no tokenizer\n", s.o.model); r1_model_free(s.model); return 1; }
    { /* the model's id: its file's name without the directory and ".gguf" */
        const char *slash = strrchr(s.o.model, '/'), *bslash = strrchr(s.o.model, '\\');
        name = slash && (!bslash || slash > bslash) ? slash + 1 : bslash ? bslash + 1 : s.o.model;
        name_len = strlen(name);
        if (name_len > 5 && !strcmp(name + name_len - 5, ".gguf")) name_len -= 5;
    }
    if (name_len >= sizeof s.model_name) name_len = sizeof s.model_name - 1;
    memcpy(s.model_name, name, name_len);
    cp.n_seq = s.o.parallel;
    cp.n_threads = s.o.n_threads > 0 ? s.o.n_threads : 1024;
    if (s.o.n_ctx > 0) cp.n_ctx = s.o.n_ctx;
    else {
        int per = r1_model_n_ctx_train(s.model) > 0 && r1_model_n_ctx_train(s.model) < 8192 ? r1_model_n_ctx_train(s.model) : 8192;
        cp.n_ctx = per * s.o.parallel;
    }
    if (!(s.ctx = r1_context_new(s.model, &cp, &err))) { fprintf(stderr, "r1-server: %s\n", err.message); r1_model_free(s.model); return 1; }
#if defined(_WIN32)
    {
        WSADATA wsa;
        if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) { fprintf(stderr, "r1-server: WSAStartup failed\n"); return 1; }
    }
#else
    signal(SIGPIPE, SIG_IGN);
    { /* room for every connection (and the model's file) in the descriptor table */
        struct rlimit rl;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) { rl.rlim_cur = rl.rlim_max; setrlimit(RLIMIT_NOFILE, &rl); }
    }
    s.spare = open("/dev/null", O_RDONLY);
#endif
    signal(SIGINT, srv_on_signal);
    signal(SIGTERM, srv_on_signal);
    if (!srv_listen(&s)) { r1_context_free(s.ctx); r1_model_free(s.model); return 1; }
    s.n_jobs = s.o.parallel + s.o.queue;
    s.conns = (srv_conn *)calloc((size_t)s.o.max_conns, sizeof *s.conns);
    s.jobs = (srv_job *)calloc((size_t)s.n_jobs, sizeof *s.jobs);
    s.slots = (srv_slot *)calloc((size_t)s.o.parallel, sizeof *s.slots);
    s.pfds = (srv_pollfd *)calloc((size_t)s.o.max_conns + 1, sizeof *s.pfds);
    s.pfd_conn = (int *)calloc((size_t)s.o.max_conns + 1, sizeof *s.pfd_conn);
    if (!s.conns || !s.jobs || !s.slots || !s.pfds || !s.pfd_conn) { fprintf(stderr, "r1-server: out of memory\n"); return 1; }
    for (i = 0; i < s.o.max_conns; i++) { s.conns[i].fd = SRV_NO_SOCKET; s.conns[i].job = -1; }
    for (i = 0; i < s.n_jobs; i++) s.jobs[i].conn = -1;
    for (i = 0; i < s.o.parallel; i++) {
        s.slots[i].job = -1;
        if (!(s.slots[i].tokens = (int32_t *)malloc((size_t)cp.n_ctx * sizeof(int32_t)))) { fprintf(stderr, "r1-server: out of memory\n"); return 1; }
    }
    fprintf(stderr, "r1-server: %s (%s, %s), %d sequences sharing %d cache rows, %d threads\n", s.model_name, r1_model_arch(s.model),
            r1_model_isa(s.model), s.o.parallel, r1_context_n_ctx(s.ctx), r1_context_n_threads(s.ctx));
    fprintf(stderr, "r1-server: listening on http://%s:%d%s\n", strchr(s.o.host, ':') ? "[::1]" : s.o.host, s.o.port,
            s.o.api_key ? " (API key required)" : "");
    fflush(stderr);
    while (!srv_stop_requested) srv_turn(&s);
    fprintf(stderr, "r1-server: stopping\n");
    for (i = 0; i < s.o.max_conns; i++) srv_conn_close(&s, i);
    srv_reap(&s);
    for (i = 0; i < s.o.parallel; i++) free(s.slots[i].tokens);
    free(s.conns); free(s.jobs); free(s.slots); free(s.pfds); free(s.pfd_conn);
    srv_close_socket(s.listener);
#if defined(_WIN32)
    WSACleanup();
#else
    if (s.spare >= 0) close(s.spare);
#endif
    r1_context_free(s.ctx);
    r1_model_free(s.model);
    return 0;
}

/* ======================================================================================
   The web chat (GET /): one page, no external assets. Text is only ever set as textContent.
   ====================================================================================== */
static const char *const *srv_page(void) {
    static const char *const lines[] = {
    "<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content='width=device-width,initial-scale=1'>",
    "<title>r1.h chat</title><style>",
    "body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f4;color:#222;display:flex;flex-direction:column;height:100vh}",
    "header{padding:8px 16px;background:#24292f;color:#eee;display:flex;gap:16px;align-items:center}header b{font-size:16px}",
    "#model,#rate{font-size:13px;color:#bbb}#log{flex:1;overflow:auto;padding:16px;max-width:860px;width:100%;box-sizing:border-box;margin:0 auto}",
    ".msg{margin:10px 0;padding:10px 14px;border-radius:8px;white-space:pre-wrap;word-wrap:break-word}",
    ".user{background:#dbeafe;margin-left:15%}.assistant{background:#fff;border:1px solid #ddd;margin-right:10%}",
    ".think{color:#666;font-size:13px;border-left:3px solid #ccc;padding-left:8px;margin-bottom:8px}",
    ".think summary{cursor:pointer;color:#888}.err{color:#b00}",
    "form{display:flex;gap:8px;padding:12px 16px;max-width:860px;width:100%;box-sizing:border-box;margin:0 auto}",
    "textarea{flex:1;font:inherit;padding:8px;border-radius:6px;border:1px solid #bbb;resize:vertical;min-height:44px}",
    "button{font:inherit;padding:8px 18px;border-radius:6px;border:0;background:#2563eb;color:#fff;cursor:pointer}",
    "button:disabled{background:#999}</style></head><body>",
    "<header><b>r1.h</b><span id=model></span><span id=rate></span></header><div id=log></div>",
    "<form id=form><textarea id=input placeholder='Ask something (Enter sends, Shift+Enter for a new line)'></textarea>",
    "<button id=send type=submit>Send</button><button id=stop type=button disabled>Stop</button></form>",
    "<script>\n",
    "'use strict';\n",
    "const log=document.getElementById('log'),input=document.getElementById('input'),send=document.getElementById('send'),",
    "stopb=document.getElementById('stop'),rate=document.getElementById('rate');\n",
    "const history=[];let key=sessionStorage.getItem('r1key')||'',ctl=null;\n",
    "function el(tag,cls,text){const e=document.createElement(tag);if(cls)e.className=cls;if(text)e.textContent=text;log.appendChild(e);return e;}\n",
    "function headers(){const h={'Content-Type':'application/json'};if(key)h.Authorization='Bearer '+key;return h;}\n",
    "fetch('/v1/models',{headers:headers()}).then(r=>r.json()).then(j=>{if(j.data)document.getElementById('model').textContent=j.data[0].id+' ('+j.data[0].meta.isa+')';}).catch(()=>{});\n",
    "async function ask(q){\n",
    " history.push({role:'user',content:q});el('div','msg user',q);\n",
    " const box=el('div','msg assistant');const det=document.createElement('details');det.className='think';det.open=true;\n",
    " const sum=document.createElement('summary');sum.textContent='Thinking';det.appendChild(sum);const pre=document.createElement('div');det.appendChild(pre);\n",
    " const ans=document.createElement('div');ans.className='answer';box.appendChild(det);box.appendChild(ans);\n",
    " send.disabled=true;stopb.disabled=false;ctl=new AbortController();\n",
    " let thought='',answer='',n=0,t0=performance.now(),t1=0;\n",
    " try{\n",
    "  const r=await fetch('/v1/chat/completions',{method:'POST',headers:headers(),signal:ctl.signal,",
    "body:JSON.stringify({messages:history,stream:true,stream_options:{include_usage:true}})});\n",
    "  if(r.status===401){key=prompt('API key')||'';sessionStorage.setItem('r1key',key);history.pop();box.remove();log.lastChild.remove();send.disabled=false;stopb.disabled=true;return ask(q);}\n",
    "  if(!r.ok){const j=await r.json().catch(()=>({}));throw new Error((j.error&&j.error.message)||r.statusText);}\n",
    "  const rd=r.body.getReader(),dec=new TextDecoder();let buf='';\n",
    "  for(;;){const {value,done}=await rd.read();if(done)break;buf+=dec.decode(value,{stream:true});let i;\n",
    "   while((i=buf.indexOf('\\n\\n'))>=0){const ev=buf.slice(0,i);buf=buf.slice(i+2);if(!ev.startsWith('data: '))continue;const d=ev.slice(6);\n",
    "    if(d==='[DONE]')continue;const j=JSON.parse(d);if(j.error)throw new Error(j.error.message);\n",
    "    if(j.usage){rate.textContent=j.usage.completion_tokens+' tokens, '+(j.usage.completion_tokens/((performance.now()-t1)/1000)).toFixed(1)+' tok/s';continue;}\n",
    "    const dl=j.choices[0]&&j.choices[0].delta;if(!dl)continue;\n",
    "    if(dl.reasoning_content){if(!t1)t1=performance.now();thought+=dl.reasoning_content;pre.textContent=thought;n++;}\n",
    "    if(dl.content){if(!t1)t1=performance.now();if(det.open&&!answer){det.open=false;sum.textContent='Thought for '+((performance.now()-t0)/1000).toFixed(1)+' s';}answer+=dl.content;ans.textContent=answer;n++;}\n",
    "    if(t1)rate.textContent=(n/((performance.now()-t1)/1000+1e-9)).toFixed(1)+' tok/s';log.scrollTop=log.scrollHeight;}}\n",
    "  if(!thought)det.remove();history.push({role:'assistant',content:answer});\n",
    " }catch(e){if(e.name!=='AbortError')el('div','msg err','Error: '+e.message);history.pop();}\n",
    " send.disabled=false;stopb.disabled=true;ctl=null;input.focus();\n",
    "}\n",
    "document.getElementById('form').addEventListener('submit',e=>{e.preventDefault();const q=input.value.trim();if(q&&!send.disabled){input.value='';ask(q);}});\n",
    "input.addEventListener('keydown',e=>{if(e.key==='Enter'&&!e.shiftKey){e.preventDefault();document.getElementById('form').requestSubmit();}});\n",
    "stopb.addEventListener('click',()=>{if(ctl)ctl.abort();});input.focus();\n",
    "</script></body></html>\n",
    NULL
    };
    return lines;
}
#endif /* R1_SERVER_NO_MAIN */
