/* libFuzzer: r1-server's request parsing, with the server's own code (examples/server.c without
   its main). The first byte picks: an HTTP head, a chat request body, a completion request body;
   each string the server would write back as JSON must read back the same. */
#define R1_SERVER_NO_MAIN
#include "../examples/server.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    srv_http h;
    srv_request r;
    srv_problem pb;
    if (size < 1) return 0;
    switch (data[0] % 3) {
    case 0:
        if (srv_http_parse((const char *)data + 1, size - 1, &h) == SRV_HEAD_OK) {
            if (h.head_len > size - 1 || h.path[sizeof h.path - 1] || h.method[sizeof h.method - 1]) abort();
        }
        break;
    default:
        if (srv_request_parse((const char *)data + 1, size - 1, data[0] % 3 == 1 ? SRV_CHAT : SRV_COMPLETION, 8, &r, &pb)) {
            int i;
            if (r.n < 1 || r.n > 8 || r.n_stop > SRV_MAX_STOP) abort();
            for (i = 0; i < r.n_msgs; i++) { /* the escaper: a content written as JSON reads back the same */
                srv_buf b;
                r1_json *back;
                memset(&b, 0, sizeof b);
                if (srv_json_str(&b, r.texts[i], strlen(r.texts[i]))) {
                    back = r1_json_parse(b.s, b.len, NULL);
                    if (!back || back->type != R1_JSON_STRING || back->len != strlen(r.texts[i]) || memcmp(back->str, r.texts[i], back->len)) abort();
                    r1_json_free(back);
                }
                srv_buf_free(&b);
            }
            srv_request_free(&r);
        } else if (pb.status < 400 || pb.status > 599 || !pb.message[0]) {
            abort();
        }
        break;
    }
    return 0;
}
