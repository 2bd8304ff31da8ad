"""Chat with a GGUF model through r1.h's shared library (make lib) from Python, with ctypes only.

    python3 examples/r1_chat.py --lib build/libr1.so --model models/r1-tiny.gguf "What is 12 + 35 * 2?"

Renders the model's chat template, tokenizes, and streams the thinking (to stderr) and the answer
(to stdout) as they are generated. --temp 0 samples greedily; -n caps the tokens.
"""
import argparse, ctypes, sys


class Error(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("message", ctypes.c_char * 256)]


class ContextParams(ctypes.Structure):
    _fields_ = [("n_ctx", ctypes.c_int), ("n_threads", ctypes.c_int), ("n_seq", ctypes.c_int),
                ("kv_type", ctypes.c_int), ("oversubscribe", ctypes.c_int),
                ("kv_small_pages", ctypes.c_int)]


class SamplerParams(ctypes.Structure):
    _fields_ = [("temperature", ctypes.c_float), ("top_p", ctypes.c_float), ("top_k", ctypes.c_int),
                ("min_p", ctypes.c_float), ("repeat_penalty", ctypes.c_float),
                ("presence_penalty", ctypes.c_float), ("frequency_penalty", ctypes.c_float),
                ("penalty_last_n", ctypes.c_int), ("seed", ctypes.c_uint64)]


class GenerateParams(ctypes.Structure):
    _fields_ = [("n_predict", ctypes.c_int), ("think_budget", ctypes.c_int),
                ("think_wrapup", ctypes.c_char_p), ("think_allowance", ctypes.c_int),
                ("stop", ctypes.POINTER(ctypes.c_char_p)), ("n_stop", ctypes.c_int),
                ("sampling", SamplerParams), ("grammar", ctypes.c_void_p), ("grammar_whole", ctypes.c_int),
                ("loop_detect", ctypes.c_int), ("loop_action", ctypes.c_int),
                ("spec", ctypes.c_int), ("draft_max", ctypes.c_int), ("draft", ctypes.c_void_p)]


class GenerateResult(ctypes.Structure):
    _fields_ = [("thinking", ctypes.c_char_p), ("answer", ctypes.c_char_p), ("n_tokens", ctypes.c_int),
                ("n_thinking_tokens", ctypes.c_int), ("stop_reason", ctypes.c_int), ("loop_at", ctypes.c_int),
                ("n_drafted", ctypes.c_int), ("n_accepted", ctypes.c_int)]


class ChatMessage(ctypes.Structure):
    _fields_ = [("role", ctypes.c_char_p), ("content", ctypes.c_char_p)]


PIECE_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
PIECE_THINKING = 1


def load(path):
    lib = ctypes.CDLL(path)
    p = ctypes.c_void_p
    sigs = {
        "r1_model_load": (p, [ctypes.c_char_p, ctypes.POINTER(Error)]),
        "r1_model_free": (None, [p]),
        "r1_model_tokenizer": (p, [p]),
        "r1_context_default_params": (ContextParams, []),
        "r1_context_new": (p, [p, ctypes.POINTER(ContextParams), ctypes.POINTER(Error)]),
        "r1_context_free": (None, [p]),
        "r1_chat_render": (ctypes.c_long, [p, ctypes.POINTER(ChatMessage), ctypes.c_int, ctypes.c_int,
                                           ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(Error)]),
        "r1_tokenize": (ctypes.c_int, [p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int,
                                       ctypes.POINTER(ctypes.c_int32), ctypes.c_int, ctypes.POINTER(Error)]),
        "r1_generate_default_params": (GenerateParams, []),
        "r1_generate": (ctypes.c_int, [p, p, ctypes.POINTER(ctypes.c_int32), ctypes.c_int,
                                       ctypes.POINTER(GenerateParams), PIECE_FN, p,
                                       ctypes.POINTER(GenerateResult), ctypes.POINTER(Error)]),
        "r1_generate_result_free": (None, [ctypes.POINTER(GenerateResult)]),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("question")
    ap.add_argument("--lib", default="build/libr1.so")
    ap.add_argument("--model", default="models/r1-tiny.gguf")
    ap.add_argument("--temp", type=float, default=0.6)
    ap.add_argument("-n", type=int, default=0, help="most tokens to generate (0: until the end)")
    ap.add_argument("-t", type=int, default=2, help="threads")
    a = ap.parse_args()

    lib, err = load(a.lib), Error()
    model = lib.r1_model_load(a.model.encode(), ctypes.byref(err))
    if not model:
        sys.exit("r1_chat.py: " + err.message.decode())
    cp = lib.r1_context_default_params()
    cp.n_ctx, cp.n_threads = 2048, a.t
    ctx = lib.r1_context_new(model, ctypes.byref(cp), ctypes.byref(err))
    if not ctx:
        sys.exit("r1_chat.py: " + err.message.decode())
    tok = lib.r1_model_tokenizer(model)

    msg = ChatMessage(b"user", a.question.encode())
    text = ctypes.create_string_buffer(1 << 16)
    n_text = lib.r1_chat_render(tok, ctypes.byref(msg), 1, 1, text, len(text), ctypes.byref(err))
    ids = (ctypes.c_int32 * 8192)()
    n_ids = lib.r1_tokenize(tok, text, n_text, 0, ids, len(ids), ctypes.byref(err)) if n_text >= 0 else -1
    if n_ids < 0:
        sys.exit("r1_chat.py: " + err.message.decode())

    def on_piece(user, data, size, kind):
        piece = ctypes.string_at(data, size).decode("utf-8", "replace")
        (sys.stderr if kind == PIECE_THINKING else sys.stdout).write(piece)
        (sys.stderr if kind == PIECE_THINKING else sys.stdout).flush()
        return 0

    gp = lib.r1_generate_default_params()
    if gp.loop_detect != 1 or gp.draft_max != 8:  # the last fields' defaults: the layouts agree
        sys.exit("r1_chat.py: GenerateParams does not match this library's r1_generate_params")
    gp.n_predict = a.n
    gp.sampling.temperature = a.temp
    res = GenerateResult()
    status = lib.r1_generate(ctx, tok, ids, n_ids, ctypes.byref(gp), PIECE_FN(on_piece), None,
                             ctypes.byref(res), ctypes.byref(err))
    print()
    if status != 0:
        sys.exit("r1_chat.py: " + err.message.decode())
    lib.r1_generate_result_free(ctypes.byref(res))
    lib.r1_context_free(ctx)
    lib.r1_model_free(model)


if __name__ == "__main__":
    main()
