#!/usr/bin/env python3
"""r1-server against raw HTTP (Python's standard library only): the OpenAI schema, server-sent
events framed in chunks, bad input and its statuses, slow and departing clients, a thousand
connections, 8 concurrent greedy requests equal to the same requests one at a time, and a load
test (200 requests from 16 clients: none lost or mixed up; memory flat afterwards).

usage: test_server.py SERVER_BINARY MODEL [--no-rss]   (prints "N passed, N failed")"""
import http.client, json, os, re, resource, signal, socket, subprocess, sys, threading, time

BIN, MODEL = sys.argv[1], sys.argv[2]
CHECK_RSS = "--no-rss" not in sys.argv
# "wine:PATH.exe": the Windows build (Winsock) under wine; the memory check and the signal exit
# are POSIX matters and are left out there
RUNNER = ["wine"] if BIN.startswith("wine:") else []
BIN = BIN[len("wine:"):] if RUNNER else BIN
if RUNNER:
    CHECK_RSS = False
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("  FAIL:", what, flush=True)
    return ok


class Server:
    def __init__(self, *args):
        self.p = subprocess.Popen(RUNNER + [BIN, "-m", MODEL, "--port", "0", "-t", "2"] + list(args),
                                  stderr=subprocess.PIPE, text=True)
        self.port = None
        self.log = []
        t0 = time.time()
        while time.time() - t0 < 60:
            line = self.p.stderr.readline()
            if not line:
                break
            self.log.append(line)
            m = re.search(r"listening on http://[^:]+:(\d+)", line)
            if m:
                self.port = int(m.group(1))
                break
        if self.port is None:
            raise RuntimeError("the server did not start: " + "".join(self.log))
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.p.stderr:
            self.log.append(line)

    def conn(self, timeout=60):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=120):
        c = self.conn(timeout)
        data = body if isinstance(body, (bytes, str)) or body is None else json.dumps(body)
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        raw = r.read()
        c.close()
        try:
            j = json.loads(raw)
        except ValueError:
            j = None
        return r.status, j, raw, r

    def chat(self, body, **kw):
        return self.request("POST", "/v1/chat/completions", body, **kw)

    def rss_kb(self):
        with open(f"/proc/{self.p.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            rc = self.p.wait(60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = -9
        return rc


def ask(q, **extra):
    body = {"messages": [{"role": "user", "content": q}], "temperature": 0}
    body.update(extra)
    return body


def raw_exchange(port, data, timeout=10, close_after=True):
    """Sends bytes, returns everything the server sends until it closes (or the timeout)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
            if not close_after and b"\r\n0\r\n\r\n" in out:
                break
    except socket.timeout:
        pass
    s.close()
    return out


def dechunk(body):
    """The chunked transfer coding undone; None when the framing is wrong."""
    out, i = b"", 0
    while True:
        j = body.find(b"\r\n", i)
        if j < 0:
            return None
        size = int(body[i:j], 16)
        if size == 0:
            return out if body[j + 2:j + 4] == b"\r\n" else None
        out += body[j + 2:j + 2 + size]
        if body[j + 2 + size:j + 4 + size] != b"\r\n":
            return None
        i = j + 4 + size


def sse_events(payload):
    events = payload.decode().split("\n\n")
    if events and events[-1] == "":
        events.pop()
    return [e[len("data: "):] if e.startswith("data: ") else None for e in events]


QUESTIONS = ["What is 12 + 35 * 2?", "What is 7 * 8 - 5?", "What is 100 - 4 * 9?", "What is 15 + 27?",
             "What is 9 * 9 + 1?", "What is 64 - 18?", "What is 3 * 14 + 6?", "What is 81 - 7 * 3?",
             "What is 45 + 55 - 20?", "What is 6 * 7?", "What is 11 * 11 - 21?", "What is 200 - 13 * 5?",
             "What is 38 + 19 * 2?", "What is 72 - 8 * 4?", "What is 13 + 29?", "What is 5 * 16 - 9?",
             "What is 99 - 44?", "What is 17 * 3 + 8?", "What is 250 - 75?", "What is 8 * 12 + 4?"]


def main():
    s = Server("--parallel", "8", "--queue", "24", "--max-conns", "64", "--timeout", "3", "--max-body", "1000000")
    port = s.port
    print("  server on port", port, flush=True)

    # ---- the endpoints and the schema
    st, j, _, _ = s.request("GET", "/health")
    check(st == 200 and j["status"] == "ok" and j["slots_total"] == 8, f"GET /health: {st} {j}")
    st, j, _, _ = s.request("GET", "/v1/models")
    check(st == 200 and j["object"] == "list" and j["data"][0]["id"] == "r1-tiny", f"GET /v1/models: {j}")
    st, j, raw, r = s.request("GET", "/")
    check(st == 200 and r.getheader("Content-Type").startswith("text/html") and b"<textarea" in raw and b"http" not in raw.split(b"<script>")[0].replace(b"http-equiv", b""),
          "GET / serves the page, with no external assets")
    st, j, _, _ = s.chat(ask(QUESTIONS[0]))
    ok = st == 200 and j["object"] == "chat.completion" and j["choices"][0]["message"]["role"] == "assistant"
    check(ok, f"chat completion: {st} {j}")
    if ok:
        m, u = j["choices"][0]["message"], j["usage"]
        check("\\boxed{82}" in m["content"] and "<think>" not in m["content"], f"the answer: {m['content']!r}")
        check(len(m["reasoning_content"]) > 10 and "</think>" not in m["reasoning_content"], f"reasoning_content: {m['reasoning_content']!r}")
        check(j["choices"][0]["finish_reason"] == "stop", "finish_reason stop")
        check(u["total_tokens"] == u["prompt_tokens"] + u["completion_tokens"] and 0 < u["completion_tokens_details"]["reasoning_tokens"] < u["completion_tokens"],
              f"usage: {u}")
        nonstream = m

    # ---- streaming: chunked framing, SSE events, the same text as without streaming; keep-alive
    body = json.dumps(ask(QUESTIONS[0], stream=True, stream_options={"include_usage": True})).encode()
    req = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(req)
    out = b""
    while b"\r\n0\r\n\r\n" not in out:
        b = sock.recv(65536)
        if not b:
            break
        out += b
    head, _, rest = out.partition(b"\r\n\r\n")
    check(b"200 OK" in head.split(b"\r\n")[0] and b"Transfer-Encoding: chunked" in head and b"text/event-stream" in head, f"stream head: {head!r}")
    payload = dechunk(rest)
    check(payload is not None, "the chunked framing is exact")
    if payload is not None:
        ev = sse_events(payload)
        check(all(e is not None for e in ev) and ev[-1] == "[DONE]", "every event is 'data: ...', the last [DONE]")
        objs = [json.loads(e) for e in ev[:-1]]
        check(objs[0]["choices"][0]["delta"].get("role") == "assistant", "the first delta gives the role")
        think = "".join(o["choices"][0]["delta"].get("reasoning_content", "") for o in objs if o["choices"])
        answer = "".join(o["choices"][0]["delta"].get("content", "") for o in objs if o["choices"])
        check(think == nonstream["reasoning_content"] and answer == nonstream["content"], f"streamed text equals the response: {answer!r}")
        fin = [o for o in objs if o["choices"] and o["choices"][0].get("finish_reason")]
        check(len(fin) == 1 and fin[0]["choices"][0]["finish_reason"] == "stop", "one finish_reason")
        check("usage" in objs[-1] and objs[-1]["choices"] == [], "include_usage: a last chunk with usage")
        check(all(o["object"] == "chat.completion.chunk" and o["id"] == objs[0]["id"] for o in objs), "chunk ids and objects")
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")  # the same connection again
    again = sock.recv(65536)
    check(again.startswith(b"HTTP/1.1 200") and b'"status":"ok"' in again, "keep-alive: a second request on the connection")
    sock.close()

    # ---- sampling parameters, n, stop, lengths, thinking budgets, structured answers, completions
    st, j, _, _ = s.chat(ask(QUESTIONS[1], n=4, temperature=0.9, seed=5))
    check(st == 200 and [c["index"] for c in j["choices"]] == [0, 1, 2, 3], f"n=4: {st}")
    st2, j2, _, _ = s.chat(ask(QUESTIONS[1], n=4, temperature=0.9, seed=5))
    check(st2 == 200 and [c["message"] for c in j["choices"]] == [c["message"] for c in j2["choices"]], "n=4 with a seed repeats")
    st, j, _, _ = s.chat(ask(QUESTIONS[0], stop=["}"]))
    check(st == 200 and j["choices"][0]["message"]["content"].endswith("\\boxed{82") and j["choices"][0]["finish_reason"] == "stop",
          f"stop string: {j and j['choices'][0]}")
    st, j, _, _ = s.chat(ask(QUESTIONS[0], max_tokens=5))
    check(st == 200 and j["choices"][0]["finish_reason"] == "length" and j["usage"]["completion_tokens"] == 5, f"max_tokens: {j}")
    st, j, _, _ = s.chat(ask(QUESTIONS[0], max_completion_tokens=7))
    check(st == 200 and j["usage"]["completion_tokens"] == 7, "max_completion_tokens")
    st, j, _, _ = s.chat(ask(QUESTIONS[0], reasoning_effort="none"))
    check(st == 200 and j["choices"][0]["message"]["reasoning_content"] == "" and j["usage"]["completion_tokens_details"]["reasoning_tokens"] == 0,
          f"reasoning_effort none: {j}")
    st, j, _, _ = s.chat(ask(QUESTIONS[0], max_reasoning_tokens=10))
    check(st == 200 and j["usage"]["completion_tokens_details"]["reasoning_tokens"] <= 10, f"max_reasoning_tokens: {j and j['usage']}")
    # r1-tiny was not trained to answer in JSON: the grammar holds it to an object's syntax
    st, j, _, _ = s.chat(ask(QUESTIONS[0], response_format={"type": "json_object"}, max_tokens=120))
    c = j["choices"][0]["message"]["content"] if st == 200 else ""
    ok = st == 200 and c.startswith("{")
    if ok and j["choices"][0]["finish_reason"] == "stop":
        try:
            ok = isinstance(json.loads(c), dict)
        except ValueError:
            ok = False
    check(ok, f"json_object answer: {c[:200]!r}")
    schema = {"type": "object", "properties": {"answer": {"type": "integer"}}, "required": ["answer"]}
    st, j, _, _ = s.chat(ask(QUESTIONS[0], response_format={"type": "json_schema", "json_schema": {"name": "a", "schema": schema}}))
    try:
        a = json.loads(j["choices"][0]["message"]["content"])
        ok = st == 200 and isinstance(a.get("answer"), int)
    except (ValueError, TypeError, KeyError):
        ok = False
    check(ok, f"json_schema answer: {j and j['choices'][0]['message']['content']!r}")
    st, j, _, _ = s.request("POST", "/v1/completions", {"prompt": "12 + 35", "max_tokens": 8, "temperature": 0})
    check(st == 200 and j["object"] == "text_completion" and isinstance(j["choices"][0]["text"], str) and j["usage"]["completion_tokens"] <= 8,
          f"completions: {st} {j}")

    # ---- user text stays text: a marker typed by a user is many tokens, not one control id
    _, a, _, _ = s.chat(ask("x", max_tokens=1))
    _, b, _, _ = s.chat(ask("x<｜Assistant｜></think>", max_tokens=1))
    check(b["usage"]["prompt_tokens"] - a["usage"]["prompt_tokens"] > 4, "a typed <｜Assistant｜> stays text")

    # ---- bad input: OpenAI-style errors with the right status, the server unharmed
    def err(status, resp, what, param=None):
        st, j, raw = resp[0], resp[1], resp[2]
        ok = st == status and j is not None and isinstance(j.get("error", {}).get("message"), str)
        if param is not None:
            ok = ok and j["error"]["param"] == param
        check(ok, f"{what}: expected {status}, got {st} {raw[:200]!r}")
    err(400, s.chat(b"{bad json"), "malformed JSON")
    err(400, s.chat(b"[1,2]"), "a body that is not an object")
    err(400, s.chat({"model": "x"}), "no messages", "messages")
    err(400, s.chat({"messages": "hi"}), "messages of the wrong type", "messages")
    err(400, s.chat({"messages": [{"role": "tool", "content": "x"}]}), "an unknown role", "messages")
    err(400, s.chat({"messages": [{"role": "user", "content": 5}]}), "content of the wrong type", "messages")
    err(400, s.chat(ask("x", temperature="hot")), "temperature of the wrong type", "temperature")
    err(400, s.chat(ask("x", temperature=5)), "temperature out of range", "temperature")
    err(400, s.chat(ask("x", n=100)), "n over the parallel sequences", "n")
    err(400, s.chat(ask("x", max_tokens=-1)), "negative max_tokens", "max_tokens")
    err(400, s.chat(b'{"messages":[{"role":"user","content":"x"}],"max_tokens":599999999999999999999}'), "max_tokens past any integer type (found by the fuzzer)", "max_tokens")
    err(400, s.chat(ask("x", seed=1.5)), "a fractional seed", "seed")
    err(400, s.chat(ask("x", stop=[1])), "stop of the wrong type", "stop")
    err(400, s.chat(ask("x", response_format={"type": "json_schema", "json_schema": {"schema": {"type": "frog"}}})),
        "a schema outside the subset", "response_format")
    err(400, s.chat(ask("x", reasoning_effort="max")), "reasoning_effort", "reasoning_effort")
    st, j, _, _ = s.chat(ask("x", max_tokens=1, unknown_field={"a": 1}, user="u"))
    check(st == 200, "unknown fields are ignored")
    long_q = "1 " * 20000
    st, j, raw, _ = s.chat(ask(long_q))
    check(st == 400 and re.search(r"maximum context length is \d+ tokens.*resulted in \d+ tokens", j["error"]["message"]) is not None,
          f"a prompt over the context: {raw[:200]!r}")
    err(413, s.chat(b'{"messages":"' + b"x" * 1100000 + b'"}'), "a body over --max-body")
    err(404, s.request("GET", "/v2/nothing"), "an unknown path")
    err(405, s.request("GET", "/v1/chat/completions"), "GET on a POST endpoint")
    out = raw_exchange(port, b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n")
    check(out.startswith(b"HTTP/1.1 411"), f"POST without Content-Length: {out[:40]!r}")
    out = raw_exchange(port, b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
    check(out.startswith(b"HTTP/1.1 501"), f"a chunked request body: {out[:40]!r}")
    out = raw_exchange(port, b"GARBAGE\r\n\r\n")
    check(out.startswith(b"HTTP/1.1 400"), f"a malformed request line: {out[:40]!r}")
    out = raw_exchange(port, b"GET / HTTP/1.1\r\nX: " + b"a" * 20000 + b"\r\n\r\n")
    check(out.startswith(b"HTTP/1.1 431"), f"a head over the limit: {out[:40]!r}")
    out = raw_exchange(port, b"POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}")
    check(out.startswith(b"HTTP/1.1 400"), "two Content-Lengths that differ")
    # Expect: 100-continue, then the body
    b = json.dumps(ask(QUESTIONS[0], max_tokens=3)).encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(b))
    first = sock.recv(100)
    sock.sendall(b)
    rest = b""
    while True:
        x = sock.recv(65536)
        if not x:
            break
        rest += x
    sock.close()
    check(first.startswith(b"HTTP/1.1 100 Continue") and rest.startswith(b"HTTP/1.1 200"), f"Expect: 100-continue: {first!r}")
    # two requests sent at once (pipelined) get two responses, in order
    out = raw_exchange(port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    check(out.count(b"HTTP/1.1 200") == 2 and out.index(b"slots_idle") < out.index(b'"object":"list"'), "pipelined requests")
    # a slow client: a head that never ends gets 408 after --timeout (3 s)
    t0 = time.time()
    out = raw_exchange(port, b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n", timeout=15)
    check(out.startswith(b"HTTP/1.1 408") and 2.5 < time.time() - t0 < 10, f"slow client: {out[:40]!r} after {time.time() - t0:.1f} s")

    # ---- a client that leaves mid-stream frees its sequence at once
    body = json.dumps({"prompt": "1 2 3 4", "max_tokens": 4000, "temperature": 1.0, "stream": True}).encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    sock.recv(4096)
    sock.close()
    freed = False
    for _ in range(50):
        st, j, _, _ = s.request("GET", "/health")
        if j["slots_idle"] == 8:
            freed = True
            break
        time.sleep(0.05)
    check(freed, "a departed client's sequence is free")

    # ---- 8 concurrent greedy requests: exactly the answers they get one at a time
    sys_prompt = "You are a careful calculator. Think step by step and put the final answer in \\boxed{}."
    def conv(q):
        return {"messages": [{"role": "system", "content": sys_prompt}, {"role": "user", "content": q}], "temperature": 0}
    alone = {}
    for q in QUESTIONS:
        st, j, _, _ = s.chat(conv(q))
        alone[q] = (st, j and j["choices"][0]["message"])
    check(all(v[0] == 200 for v in alone.values()), "sequential answers")
    s.chat(conv(QUESTIONS[0]))
    st, j, _, _ = s.chat(conv(QUESTIONS[0]))
    check(j["usage"]["prompt_tokens_details"]["cached_tokens"] == j["usage"]["prompt_tokens"] - 1,
          f"the same prompt again reuses its cache rows: {j['usage']}")
    st, j, _, _ = s.chat(conv("What is 1 + 1?"))
    check(j["usage"]["prompt_tokens_details"]["cached_tokens"] > 20, f"a shared system prompt is reused: {j['usage']}")
    results = {}
    def one(q):
        try:
            st, j, _, _ = s.chat(conv(q))
            results[q] = (st, j and j["choices"][0]["message"])
        except Exception as e:  # noqa: BLE001
            results[q] = (0, str(e))
    ts = [threading.Thread(target=one, args=(q,)) for q in QUESTIONS[:8]]
    for t in ts: t.start()
    for t in ts: t.join()
    same = [q for q in QUESTIONS[:8] if results.get(q) == alone[q]]
    check(len(same) == 8, f"8 concurrent greedy requests equal their sequential answers ({len(same)} of 8)")

    # ---- load: 200 requests from 16 clients, none lost or mixed up, memory flat
    def load(n_req, n_clients):
        got, lock = [], threading.Lock()
        def client(c):
            for i in range(c, n_req, n_clients):
                q = QUESTIONS[i % len(QUESTIONS)]
                stream = i % 3 == 0
                try:
                    if stream:
                        cn = s.conn(120)
                        cn.request("POST", "/v1/chat/completions", body=json.dumps(dict(conv(q), stream=True)),
                                   headers={"Content-Type": "application/json"})
                        r = cn.getresponse()
                        ev = sse_events(r.read())
                        cn.close()
                        objs = [json.loads(e) for e in ev[:-1]]
                        msg = {"role": "assistant",
                               "content": "".join(o["choices"][0]["delta"].get("content", "") for o in objs if o["choices"]),
                               "reasoning_content": "".join(o["choices"][0]["delta"].get("reasoning_content", "") for o in objs if o["choices"])}
                        res = (r.status, msg)
                    else:
                        st, j, _, _ = s.chat(conv(q))
                        res = (st, j and j["choices"][0]["message"])
                except Exception as e:  # noqa: BLE001
                    res = (0, str(e))
                with lock:
                    got.append((q, res))
        ts = [threading.Thread(target=client, args=(c,)) for c in range(n_clients)]
        for t in ts: t.start()
        for t in ts: t.join()
        return got
    load(48, 16)  # warm: every sequence and buffer has been used
    rss0 = s.rss_kb() if CHECK_RSS else 0
    t0 = time.time()
    got = load(200, 16)
    dt = time.time() - t0
    ok = [g for g in got if g[1] == alone[g[0]]]
    check(len(got) == 200 and len(ok) == 200, f"load: {len(ok)} of {len(got)} answers right (of 200) in {dt:.1f} s")
    print(f"  load: 200 requests from 16 clients in {dt:.1f} s", flush=True)
    if CHECK_RSS:
        got = load(200, 16)
        rss1 = s.rss_kb()
        check(rss1 - rss0 < 8192, f"memory flat: RSS {rss0} kB -> {rss1} kB after 400 requests")
        print(f"  RSS {rss0} kB -> {rss1} kB after 400 more requests", flush=True)

    # ---- a thousand connections at once: those over --max-conns (64) are refused cleanly
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    socks, refused, opened = [], 0, 0
    for _ in range(1000):
        try:
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=10))
            opened += 1
        except OSError:
            pass
    time.sleep(1.0)
    for x in socks:
        x.setblocking(False)
        try:
            d = x.recv(4096)
            if d.startswith(b"HTTP/1.1 503"):
                refused += 1
        except (BlockingIOError, ConnectionResetError):
            pass
    for x in socks:
        x.close()
    check(opened >= 990 and refused >= opened - 64 - 8, f"1000 connections: {opened} opened, {refused} refused with 503")
    time.sleep(0.5)
    st, j, _, _ = s.chat(ask(QUESTIONS[0]))
    check(st == 200 and j["choices"][0]["message"] == alone.get(QUESTIONS[0], (0, None))[1] or (st == 200 and "\\boxed{82}" in j["choices"][0]["message"]["content"]),
          "the server answers after the flood")

    rc = s.stop()
    if not RUNNER:  # wine ends on SIGTERM itself
        check(rc == 0, f"SIGTERM: a clean exit (status {rc}; sanitizers report through it)")
        if rc != 0:
            print("".join(s.log[-40:]))

    # ---- an API key: /v1/ needs it, compared whole
    s = Server("--api-key", "sekret-123", "--quiet")
    err(401, s.request("GET", "/v1/models"), "no key")
    err(401, s.request("GET", "/v1/models", headers={"Authorization": "Bearer sekret-12"}), "a key's prefix")
    err(401, s.request("GET", "/v1/models", headers={"Authorization": "Bearer sekret-1234"}), "a longer key")
    st, j, _, _ = s.request("GET", "/v1/models", headers={"Authorization": "Bearer sekret-123"})
    check(st == 200, "the right key")
    st, j, _, _ = s.request("GET", "/health")
    check(st == 200, "/health needs no key")
    rc = s.stop()
    if not RUNNER:
        check(rc == 0, "clean exit")

    # ---- binding: loopback by default (the log says where); a bad option is an error
    p = subprocess.run(RUNNER + [BIN, "-m", MODEL, "--port", "-5"], capture_output=True, text=True)
    check(p.returncode == 1 and "--port must be an integer" in p.stderr, f"bad --port: {p.stderr!r}")
    p = subprocess.run(RUNNER + [BIN, "-m", "/nonexistent.gguf"], capture_output=True, text=True)
    check(p.returncode == 1 and "nonexistent" in p.stderr, "a missing model")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        failed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
