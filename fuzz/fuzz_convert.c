/* libFuzzer: the converter. First byte % 3 == 0: the bytes as JSON (config.json,
   tokenizer.json); 1: as a safetensors file; 2: as the config.json of the tiny qwen2 reference
   checkpoint (tests/data/models/qwen2, run from the repository root), converted whole to q8_0:
   the hostile configs (head counts that overflow or divide by zero, sizes past u32) must be
   clean errors. */
#define R1_IMPLEMENTATION
#include "../r1.h"
#define R1_QUANT_IMPLEMENTATION
#include "../r1_quant.h"
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    r1_error err;
    if (size == 0) return 0;
    if (data[0] % 3 == 2) {
        static const char *const files[] = { "tokenizer.json", "tokenizer_config.json", "model.safetensors" };
        char dir[64], path[128], out[128];
        FILE *f;
        size_t k;
        snprintf(dir, sizeof dir, "/tmp/r1-fuzz-hf-%d", (int)getpid());
        mkdir(dir, 0700);
        for (k = 0; k < 3; k++) { /* the checkpoint's other files, linked once */
            char src[128];
            snprintf(path, sizeof path, "%s/%s", dir, files[k]);
            snprintf(src, sizeof src, "%s/tests/data/models/qwen2/%s", getenv("PWD") ? getenv("PWD") : ".", files[k]);
            if (access(path, F_OK) != 0 && symlink(src, path) != 0) return 0;
        }
        snprintf(path, sizeof path, "%s/config.json", dir);
        if (!(f = fopen(path, "wb"))) return 0;
        fwrite(data + 1, 1, size - 1, f);
        fclose(f);
        snprintf(out, sizeof out, "/tmp/r1-fuzz-out-%d.gguf", (int)getpid());
        {
            r1_convert_params p = r1_convert_default_params();
            p.type = R1_TYPE_Q8_0;
            if (r1_convert_hf(dir, out, &p, &err) == R1_OK) {
                r1_model *m = r1_model_load(out, &err); /* what it wrote must load, or be refused cleanly */
                r1_model_free(m);
            }
        }
        remove(out);
        return 0;
    }
    if (data[0] % 3 == 0) {
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
