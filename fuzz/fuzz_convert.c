/* libFuzzer: the converter's parsers. First byte even: the bytes as JSON (config.json,
   tokenizer.json); odd: as a safetensors file. */
#define R1_IMPLEMENTATION
#include "../r1.h"
#define R1_QUANT_IMPLEMENTATION
#include "../r1_quant.h"
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    r1_error err;
    if (size == 0) return 0;
    if ((data[0] & 1) == 0) {
        r1_json *j = r1_json_parse((const char *)data + 1, size - 1, &err);
        if (j) { r1_json_get(j, "model"); r1_json_free(j); }
    } else {
        char path[64];
        FILE *f;
        r1__st_set st;
        snprintf(path, sizeof path, "/tmp/r1-fuzz-%d.safetensors", (int)getpid());
        f = fopen(path, "wb");
        if (!f) return 0;
        fwrite(data + 1, 1, size - 1, f);
        fclose(f);
        memset(&st, 0, sizeof st);
        r1__st_add_file(&st, path, &err);
        r1__st_free(&st);
    }
    return 0;
}
