#!/usr/bin/env bash
# r1-server beside llama.cpp's llama-server on the same GGUF file, same threads, same total
# cache, one after the other in one run: bench/serve_bench.mjs at 1, 4, 8 and 16 streams.
#   bench/serve_vs_peers.sh MODEL.gguf [LLAMA_SERVER_DIR]
# LLAMA_SERVER_DIR holds llama-server and its shared libraries (omit it to measure r1-server alone).
set -eu
cd "$(dirname "$0")/.."
model=$1; peer=${2:-}
threads=${THREADS:-2}; parallel=${PARALLEL:-16}; ctx=${CTX:-16384}
streams=${STREAMS:-1,4,8,16}; requests=${REQUESTS:-2}; max_tokens=${MAX_TOKENS:-64}
make -s build/r1-server
wait_port() { for _ in $(seq 600); do curl -sf -o /dev/null "http://127.0.0.1:$1/health" && return 0; sleep 0.2; done; return 1; }
run() { # NAME PORT: the benchmark against the server on PORT
    wait_port "$2"
    node bench/serve_bench.mjs --url "http://127.0.0.1:$2" --streams "$streams" --requests "$requests" --max-tokens "$max_tokens" --label "$1"
}
build/r1-server -m "$model" --port 18431 -t "$threads" --parallel "$parallel" -c "$ctx" --quiet &
pid=$!
run r1-server 18431 || true
kill "$pid"; wait "$pid" 2>/dev/null || true
if [ -n "$peer" ]; then
    LD_LIBRARY_PATH="$peer" "$peer/llama-server" -m "$model" --port 18432 -t "$threads" -np "$parallel" -c "$ctx" \
        --reasoning-format deepseek --no-webui >/dev/null 2>&1 &
    pid=$!
    run llama-server 18432 || true
    kill "$pid"; wait "$pid" 2>/dev/null || true
fi
