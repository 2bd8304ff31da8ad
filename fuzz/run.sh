#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (one program, fuzz/fuzz_all.c; fuzz_grammar.c: grammars, schemas, sessions) (installed from Debian's packages when missing) and
# runs each for FUZZ_SECONDS (default 60) on a corpus seeded from the test data, FUZZ_JOBS
# (default 1) at a time. usage: fuzz/run.sh [SECONDS]
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-${FUZZ_SECONDS:-60}}
if ! command -v clang >/dev/null || ! echo 'int LLVMFuzzerTestOneInput(const char*d,unsigned long n){(void)d;(void)n;return 0;}' |
        clang -x c -fsanitize=fuzzer - -o /tmp/r1-fuzz-probe 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq clang libclang-rt-dev >/dev/null
fi
out=build/fuzz
mkdir -p "$out"
make -s all build/vocab/r1-distill-qwen.gguf build/vocab/deepseek-v3.gguf build/vocab/llama3.1.gguf
export R1_FUZZ_VOCABS=build/vocab/r1-distill-qwen.gguf:build/vocab/deepseek-v3.gguf:build/vocab/llama3.1.gguf
# FUZZ_OPT: -O1 (default) runs faster; -O0 builds in 20 s instead of 3 minutes (CI's short runs)
flags="-g ${FUZZ_OPT:--O1} -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_POSIX_C_SOURCE=200809L"
# one program holds the five harnesses (r1.h compiled once: minutes with the sanitizers)
clang $flags -o "$out/fuzz_all" fuzz/fuzz_all.c -lm -lpthread
for h in gguf tokenizer chat convert grammar server; do mkdir -p "$out/corpus_$h"; done
# seeds: real files from the test data, and a session and the JSON grammar written by the runtime
cc -O1 -o "$out/make_seeds" fuzz/make_seeds.c -lm -lpthread && "$out/make_seeds" "$out"
cp tests/data/gguf/llama.q8_0.gguf tests/data/gguf/deepseek_v3.q8_0.gguf "$out/corpus_gguf/" 2>/dev/null || true
python3 - "$out" <<'PY' 2>/dev/null || true
import json, sys, os
out = sys.argv[1]
n = 0
for name in ("tiny", "r1-distill-qwen", "deepseek-v3", "llama3.1"):
    for line in open(f"tests/data/tokenizer/{name}.cases.jsonl", encoding="utf-8"):
        t = json.loads(line)["text"].encode()
        for k in (0, 1, 2):
            open(os.path.join(out, "corpus_tokenizer", f"{n}_{k}"), "wb").write(bytes([k]) + t)
        open(os.path.join(out, "corpus_chat", f"{n}"), "wb").write(bytes([n % 256]) + t.replace(b"\n", b"\0"))
        n += 1
for f in ("config.json", "tokenizer_config.json"):
    open(os.path.join(out, "corpus_convert", f), "wb").write(b"\0" + open(f"tests/data/models/deepseek_v3/{f}", "rb").read())
head = open("tests/data/models/llama/model.safetensors", "rb").read(4096)
open(os.path.join(out, "corpus_convert", "st"), "wb").write(b"\1" + head)
cfg = open("tests/data/models/qwen2/config.json", "rb").read()
open(os.path.join(out, "corpus_convert", "qwen2_config"), "wb").write(b"\2" + cfg)
for i, (a, b) in enumerate([(b'"num_key_value_heads": 2', b'"num_key_value_heads": 2147483648'),
                            (b'"hidden_size": 256', b'"hidden_size": 4294967488'),
                            (b'"num_attention_heads": 4', b'"num_attention_heads": 1073741824')]):
    open(os.path.join(out, "corpus_convert", f"qwen2_hostile_{i}"), "wb").write(b"\2" + cfg.replace(a, b))
# grammars, schemas and a session: the test suite's own
open(os.path.join(out, "corpus_grammar", "json"), "wb").write(b"\0" + open("build/fuzz/json.gbnf", "rb").read() + b"\0{\"a\": [1, \"x\"]}")
open(os.path.join(out, "corpus_grammar", "gbnf"), "wb").write(b"\0root ::= (\"a\" | [b-d]+ x?){1,3} \"z\"*\nx ::= \"(\" root \")\" | [^\\n]\0bbz")
open(os.path.join(out, "corpus_grammar", "schema"), "wb").write(b"\1" + b'{"type":"object","properties":{"a":{"type":"integer"},"b":{"enum":["x",null]},"c":{"type":"array","items":{"type":"string"},"maxItems":2}},"required":["a"]}' + b'\0{"a": 1, "c": ["q"]}')
# server: HTTP heads (first byte 0), chat (1) and completion (2) bodies
srv = os.path.join(out, "corpus_server")
open(os.path.join(srv, "head"), "wb").write(b"\0POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nConnection: keep-alive\r\nExpect: 100-continue\r\nAuthorization: Bearer k\r\n\r\n")
open(os.path.join(srv, "chat"), "wb").write(b"\1" + json.dumps({"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": [{"type": "text", "text": "What is 1+1?\u0001\""}]}],
    "stream": True, "stream_options": {"include_usage": True}, "n": 2, "stop": ["a", "b"], "temperature": 0.5, "top_p": 0.9, "seed": 3,
    "reasoning_effort": "low", "response_format": {"type": "json_schema", "json_schema": {"schema": {"type": "object", "properties": {"a": {"type": "integer"}}}}}}).encode())
open(os.path.join(srv, "completion"), "wb").write(b"\2" + json.dumps({"prompt": "12 + 35", "max_tokens": 5, "min_p": 0.1, "top_k": 4}).encode())
open(os.path.join(out, "corpus_grammar", "session"), "wb").write(b"\2" + open("build/fuzz/qwen2.session", "rb").read())
PY
# FUZZ_JOBS harnesses run side by side (default 1); each runs for FUZZ_SECONDS
jobs=${FUZZ_JOBS:-1}
run_one() {
    local h=$1 max_len=4096
    [ "$h" = gguf ] || [ "$h" = grammar ] && max_len=800000
    R1_FUZZ_TARGET=$h "$out/fuzz_all" "$out/corpus_$h" -max_total_time="$seconds" -max_len=$max_len -rss_limit_mb=4096 \
        -artifact_prefix="$out/crash_$h-" -print_final_stats=1 >"$out/fuzz_$h.log" 2>&1
}
pids=()
for h in gguf tokenizer chat convert grammar server; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
    run_one "$h" &
    pids+=("$!:$h")
done
failed=0
for p in "${pids[@]}"; do wait "${p%%:*}" || { echo "fuzz_${p#*:}: FAILED (see $out/fuzz_${p#*:}.log)"; tail -30 "$out/fuzz_${p#*:}.log"; failed=$((failed + 1)); }; done
[ "$failed" -eq 0 ] || { echo "0 passed, $failed failed"; exit 1; }
total=0
for h in gguf tokenizer chat convert grammar server; do
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/fuzz_$h.log" | grep -o '[0-9]*$')
    echo "fuzz_$h: $runs executions in ${seconds}s, no crash"
    total=$((total + runs))
done
echo "fuzz total: $total executions"
echo "6 passed, 0 failed" # one per harness: each ran its time without a crash, leak or sanitizer report
