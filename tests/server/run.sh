#!/usr/bin/env bash
# make test-server: r1-server on r1-tiny against clients nobody here wrote and against raw HTTP.
#   1. tests/server/test_server.py (Python's standard library): schema, SSE framing, bad input,
#      slow and departing clients, a thousand connections, concurrency equal to one at a time,
#      a load test; run against SERVER (built with AddressSanitizer and UBSan by the Makefile:
#      the server's exit status carries their reports), then the load test's memory check
#      against the optimized build;
#   2. curl: the raw server-sent events of a stream;
#   3. the official openai npm package (tests/server/openai_client.mjs);
#   4. headless Chromium driving the web chat (tests/server/browser.mjs, playwright-core);
#   5. with WINDOWS=1, test_server.py against the Windows build (Winsock) under wine.
# npm installs the two packages into $BUILD/server-node. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
SERVER=${SERVER:-$BUILD/r1-server}
FAST=${FAST_SERVER:-$BUILD/r1-server}
MODEL=models/r1-tiny.gguf
passed=0; failed=0
# add LOG: adds a suite's "N passed, N failed" (a suite that did not report counts as one failure)
add() {
    local line
    line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)
    if [ -n "$line" ]; then
        passed=$((passed + $(echo "$line" | cut -d' ' -f1)))
        failed=$((failed + $(echo "$line" | cut -d' ' -f3)))
    else
        failed=$((failed + 1))
    fi
}
logs=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$logs"' EXIT
pid=

echo "  test_server.py against $SERVER"
rss=--no-rss # RSS under the sanitizers means little: measured on the optimized build below
[ "$FAST" = "$SERVER" ] && rss=
ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=1 timeout 600 python3 tests/server/test_server.py "$SERVER" "$MODEL" $rss 2>&1 | tee "$logs/py.log"
add "$logs/py.log"
if [ "$FAST" != "$SERVER" ]; then
    echo "  test_server.py against $FAST (memory flat after the load)"
    timeout 600 python3 tests/server/test_server.py "$FAST" "$MODEL" 2>&1 | tee "$logs/py2.log"
    add "$logs/py2.log"
fi

# WINDOWS=1: the Windows build (Winsock, mingw-w64) through the same tests under wine
if [ "${WINDOWS:-0}" = 1 ]; then
    echo "  test_server.py against the Windows build under wine"
    bash tools/install-cross.sh windows
    mkdir -p "$BUILD/windows-server"
    x86_64-w64-mingw32-gcc -std=c99 -Wall -Wextra -pedantic -O2 -static -o "$BUILD/windows-server/r1-server.exe" \
        examples/server.c -lm -lws2_32 &&
        WINEDEBUG=-all timeout 600 python3 tests/server/test_server.py "wine:$BUILD/windows-server/r1-server.exe" "$MODEL" 2>&1 |
        tee "$logs/wine.log"
    add "$logs/wine.log"
fi

# one server for curl, the openai client and the browser
port_file="$logs/server.log"
"$SERVER" -m "$MODEL" --port 0 -t 2 --parallel 4 >"$port_file" 2>&1 &
pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$port_file")
    [ -n "$port" ] && break
    sleep 0.1
done
base="http://127.0.0.1:$port"

echo "  curl: the raw stream"
ok=0; bad=0
raw=$(curl -sS -N --max-time 60 "$base/v1/chat/completions" -H 'Content-Type: application/json' \
      -d '{"messages":[{"role":"user","content":"What is 12 + 35 * 2?"}],"temperature":0,"stream":true}')
# every non-empty line is "data: {json}" or "data: [DONE]", events are separated by blank lines
if [ -n "$raw" ] && ! printf '%s\n' "$raw" | grep -v '^$' | grep -qv '^data: '; then ok=$((ok + 1)); else bad=$((bad + 1)); echo "  FAIL: SSE lines"; fi
if [ "$(printf '%s\n' "$raw" | grep -v '^$' | tail -n 1)" = "data: [DONE]" ]; then ok=$((ok + 1)); else bad=$((bad + 1)); echo "  FAIL: [DONE] last"; fi
if printf '%s\n' "$raw" | grep -q '"reasoning_content"' && printf '%s\n' "$raw" | grep -q '"finish_reason":"stop"'; then ok=$((ok + 1)); else bad=$((bad + 1)); echo "  FAIL: reasoning_content and finish_reason in the stream"; fi
answer=$(printf '%s\n' "$raw" | sed -n 's/.*"delta":{"content":"\([^"]*\)"}.*/\1/p' | tr -d '\n')
if [ "$answer" = 'The answer is \\boxed{82}.' ]; then ok=$((ok + 1)); else bad=$((bad + 1)); echo "  FAIL: the streamed answer: $answer"; fi
head=$(curl -sS -D - -o /dev/null -N --max-time 60 "$base/v1/chat/completions" -H 'Content-Type: application/json' \
      -d '{"messages":[{"role":"user","content":"hi"}],"max_tokens":2,"stream":true}' | tr -d '\r')
if printf '%s\n' "$head" | grep -qi '^content-type: text/event-stream' && printf '%s\n' "$head" | grep -qi '^transfer-encoding: chunked'; then
    ok=$((ok + 1)); else bad=$((bad + 1)); echo "  FAIL: stream headers: $head"; fi
echo "$ok passed, $bad failed" | tee "$logs/curl.log"
add "$logs/curl.log"

node_dir="$BUILD/server-node"
if [ ! -d "$node_dir/node_modules/openai" ] || [ ! -d "$node_dir/node_modules/playwright-core" ]; then
    mkdir -p "$node_dir"
    (cd "$node_dir" && timeout 600 npm install --no-audit --no-fund --silent openai@6 playwright-core@1 >/dev/null 2>&1) ||
        echo "  npm install failed"
fi
export NODE_PATH="$PWD/$node_dir/node_modules"
# ES modules resolve packages from the script's folder upward, not NODE_PATH: run copies beside them
cp tests/server/openai_client.mjs tests/server/browser.mjs "$node_dir/"

echo "  the openai npm package"
timeout 300 node "$node_dir/openai_client.mjs" "$base/v1" 2>&1 | tee "$logs/openai.log"
add "$logs/openai.log"

echo "  headless Chromium on the web chat"
timeout 300 node "$node_dir/browser.mjs" "$base/" "${SCREENSHOT:-}" 2>&1 | tee "$logs/browser.log"
add "$logs/browser.log"

kill -TERM "$pid"
wait "$pid"
rc=$?
if [ "$rc" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "  FAIL: the server exited with $rc"; tail -n 30 "$port_file"; fi
pid=
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
