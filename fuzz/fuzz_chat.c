/* libFuzzer: arbitrary messages (NUL-separated contents, roles from the first byte) rendered by
   the R1 and ChatML templates, then tokenized. Uses R1_FUZZ_VOCABS like fuzz_tokenizer. */
#define R1_IMPLEMENTATION
#include "../r1.h"

static r1_tokenizer *tok;
static int loaded;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const roles[] = { "system", "user", "assistant", "tool" };
    r1_chat_message msgs[16];
    char *copy, *p, *end;
    int n = 0;
    r1_error err;
    long len;
    if (!loaded) {
        const char *env = getenv("R1_FUZZ_VOCABS");
        char first[1024];
        loaded = 1;
        if (env) {
            snprintf(first, sizeof first, "%s", env);
            if (strchr(first, ':')) *strchr(first, ':') = 0;
            tok = r1_tokenizer_load(first, &err);
        }
    }
    if (!tok || size < 1) return 0;
    copy = (char *)malloc(size + 1);
    memcpy(copy, data + 1, size - 1);
    copy[size - 1] = 0;
    p = copy;
    end = copy + size - 1;
    while (p <= end && n < 16) {
        msgs[n].role = roles[(data[0] >> (2 * (n % 4))) & 3];
        msgs[n].content = p;
        n++;
        p += strlen(p) + 1;
    }
    len = r1_chat_render(tok, msgs, n, data[0] & 1, NULL, 0, &err);
    if (len >= 0) {
        char *text = (char *)malloc((size_t)len + 1);
        int32_t *ids = (int32_t *)malloc(sizeof(int32_t) * ((size_t)len + 8));
        r1_chat_render(tok, msgs, n, data[0] & 1, text, (size_t)len + 1, &err);
        r1_tokenize(tok, text, (size_t)len, 0, ids, len + 8, &err);
        /* the safe path: markers as control tokens, contents as plain text (every prompt form) */
        r1_chat_tokenize(tok, msgs, n, data[0] % 3, ids, len + 8, &err);
        r1_tokenize_plain(tok, text, (size_t)len, 1, ids, len + 8, &err);
        free(text);
        free(ids);
    }
    free(copy);
    return 0;
}
