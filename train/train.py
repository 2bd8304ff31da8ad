"""Train r1-tiny by the DeepSeek-R1 recipe at toy scale: cold-start SFT on step-by-step traces,
then GRPO with rule-based rewards. PyTorch only (no transformers needed); the model is written as
a Hugging Face Qwen2 folder (config.json, model.safetensors, tokenizer.json, tokenizer_config.json)
that r1-convert turns into a GGUF.

    python3 train/train.py sft  --out build/r1-tiny-sft --seed 4 --examples 1000000 --steps 3400 --minutes 8
    python3 train/train.py grpo --init build/r1-tiny-sft --out build/r1-tiny --seed 4 --minutes 2.5 --eval-n 0

Both stages are seeded; with explicit --steps the step counts and learning-rate schedules are
fixed, so a rerun on the same hardware and library versions repeats the run. (Without --steps,
SFT picks as many steps as fit in --minutes, or one pass over --examples, and prints the count;
GRPO stops at --minutes.) The shipped model (round 4) came from the two commands above on one
H100 and arith.py as it stands: SFT 3,400 steps (407 s), GRPO stopped by the time limit after 16
steps. Round 3 came from `sft --seed 3 --examples 800000 --steps 2900` and `grpo --minutes 5` (32
steps) on arith.py before its random trees and longer chained products. Round 2 came from `sft
--minutes 5.5 --examples 600000` (2,447 steps) and `grpo --minutes 6.3` (49 steps) on an earlier
arith.py. The first model (round 1) came from `sft --steps 832` and `grpo --steps 76` on round
1's data and an 8-layer model.
"""
import argparse
import json
import math
import multiprocessing
import os
import random
import re
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import arith  # noqa: E402
import bpe  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


# ---- model: Qwen2 (pre-norm decoder, RMSNorm, RoPE, GQA attention with q/k/v bias, SwiGLU) ----

class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        xf = x.float()
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * xf.to(x.dtype)


def attention(q, k, v, mask):
    """Scaled dot-product attention; mask None = causal, else boolean (True = attend)."""
    if hasattr(F, "scaled_dot_product_attention"):
        if mask is None:
            return F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    s = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])  # older PyTorch (CPU smoke tests)
    if mask is None:
        mask = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool, device=q.device).tril(k.shape[-2] - q.shape[-2])
    return torch.softmax(s.float().masked_fill(~mask, float("-inf")), -1).to(v.dtype) @ v


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, hd = c["hidden_size"], c["hidden_size"] // c["num_attention_heads"]
        self.n_head, self.n_kv, self.hd = c["num_attention_heads"], c["num_key_value_heads"], hd
        self.input_layernorm = RMSNorm(d, c["rms_norm_eps"])
        self.q_proj = nn.Linear(d, self.n_head * hd, bias=True)
        self.k_proj = nn.Linear(d, self.n_kv * hd, bias=True)
        self.v_proj = nn.Linear(d, self.n_kv * hd, bias=True)
        self.o_proj = nn.Linear(self.n_head * hd, d, bias=False)
        self.post_attention_layernorm = RMSNorm(d, c["rms_norm_eps"])
        self.gate_proj = nn.Linear(d, c["intermediate_size"], bias=False)
        self.up_proj = nn.Linear(d, c["intermediate_size"], bias=False)
        self.down_proj = nn.Linear(c["intermediate_size"], d, bias=False)

    def forward(self, x, cos, sin, mask, cache, start):
        B, T, _ = x.shape
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(B, T, self.n_head, self.hd).transpose(1, 2)
        k = self.k_proj(h).view(B, T, self.n_kv, self.hd).transpose(1, 2)
        v = self.v_proj(h).view(B, T, self.n_kv, self.hd).transpose(1, 2)
        q = (q * cos + rotate_half(q) * sin).to(v.dtype)
        k = (k * cos + rotate_half(k) * sin).to(v.dtype)
        if cache is not None:
            cache[0][:, :, start:start + T] = k
            cache[1][:, :, start:start + T] = v
            k, v = cache[0][:, :, :start + T], cache[1][:, :, :start + T]
        rep = self.n_head // self.n_kv
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
        a = attention(q, k, v, mask)
        x = x + self.o_proj(a.transpose(1, 2).reshape(B, T, -1))
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class Qwen2(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.layers = nn.ModuleList([Block(c) for _ in range(c["num_hidden_layers"])])
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.lm_head = nn.Linear(c["hidden_size"], c["vocab_size"], bias=False)
        hd = c["hidden_size"] // c["num_attention_heads"]
        inv = 1.0 / (c["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
        self.register_buffer("inv_freq", inv, persistent=False)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Embedding):
                nn.init.normal_(m.weight, std=0.02)
        for blk in self.layers:  # scaled residual projections (GPT-2)
            nn.init.normal_(blk.o_proj.weight, std=0.02 / math.sqrt(2 * c["num_hidden_layers"]))
            nn.init.normal_(blk.down_proj.weight, std=0.02 / math.sqrt(2 * c["num_hidden_layers"]))

    def forward(self, ids, pos=None, mask=None, cache=None, start=0):
        """ids [B, T]; pos [B, T] positions (default 0..T-1); mask None = causal, else a boolean
        [B, 1, T, S] (True = attend); cache: per layer (k, v) buffers written at start."""
        B, T = ids.shape
        if pos is None:
            pos = torch.arange(T, device=ids.device)[None].expand(B, T)
        freqs = pos[..., None].float() * self.inv_freq
        emb = torch.cat((freqs, freqs), dim=-1)[:, None]
        x = self.embed_tokens(ids)
        cos, sin = emb.cos(), emb.sin()
        for i, blk in enumerate(self.layers):
            x = blk(x, cos, sin, mask, None if cache is None else cache[i], start)
        return self.lm_head(self.norm(x))


# ---- safetensors and the HF folder -------------------------------------------------------------

HF_NAMES = {"input_layernorm": "input_layernorm", "post_attention_layernorm": "post_attention_layernorm",
            "q_proj": "self_attn.q_proj", "k_proj": "self_attn.k_proj", "v_proj": "self_attn.v_proj",
            "o_proj": "self_attn.o_proj", "gate_proj": "mlp.gate_proj", "up_proj": "mlp.up_proj",
            "down_proj": "mlp.down_proj"}


def hf_name(name):
    if name.startswith("layers."):
        _, i, mod, p = name.split(".")
        return "model.layers.%s.%s.%s" % (i, HF_NAMES[mod], p)
    if name.startswith("lm_head"):
        return name
    return "model." + name


def save_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().to("cpu").contiguous()
        data = t.view(torch.uint8).numpy().tobytes() if t.dtype != torch.float32 else t.numpy().tobytes()
        dt = {torch.float32: "F32", torch.bfloat16: "BF16"}[t.dtype]
        header[name] = {"dtype": dt, "shape": list(t.shape), "data_offsets": [off, off + len(data)]}
        blobs.append(data)
        off += len(data)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        dt = {"F32": torch.float32, "BF16": torch.bfloat16}[info["dtype"]]
        out[name] = torch.frombuffer(bytearray(raw[8 + n + b:8 + n + e]), dtype=dt).reshape(info["shape"])
    return out


def save_hf(model, tok, folder, dtype=torch.bfloat16):
    os.makedirs(folder, exist_ok=True)
    tensors = {hf_name(k): v.to(dtype) for k, v in model.state_dict().items()}
    save_safetensors(folder + "/model.safetensors", tensors)
    cfg = dict(model.c)
    cfg.update({"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "bos_token_id": tok.bos,
                "eos_token_id": tok.eos, "hidden_act": "silu", "tie_word_embeddings": False,
                "torch_dtype": {torch.bfloat16: "bfloat16", torch.float32: "float32"}[dtype],
                "use_sliding_window": False, "sliding_window": cfg["max_position_embeddings"],
                "max_window_layers": cfg["num_hidden_layers"], "attention_dropout": 0.0, "use_cache": True})
    with open(folder + "/config.json", "w") as f:
        json.dump(cfg, f, indent=1)
    with open(folder + "/generation_config.json", "w") as f:
        json.dump({"bos_token_id": tok.bos, "eos_token_id": tok.eos, "do_sample": True,
                   "temperature": 0.6, "top_p": 0.95}, f, indent=1)
    tok.save(folder)


def load_hf(folder, device):
    with open(folder + "/config.json") as f:
        cfg = json.load(f)
    keys = ["vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
            "num_key_value_heads", "rms_norm_eps", "rope_theta", "max_position_embeddings"]
    model = Qwen2({k: cfg[k] for k in keys})
    back = {hf_name(k): k for k in model.state_dict()}
    sd = {back[k]: v.float() for k, v in load_safetensors(folder + "/model.safetensors").items()}
    model.load_state_dict(sd)
    return model.to(device), bpe.Tokenizer.load(folder)


# ---- data --------------------------------------------------------------------------------------

def held_out_keys():
    """Expressions of both held-out sets, kept out of training."""
    keys = set()
    for name in ("eval500.jsonl", "eval-sep.jsonl"):
        if os.path.exists(os.path.join(HERE, name)):
            with open(os.path.join(HERE, name)) as f:
                for line in f:
                    keys.add(json.loads(line)["expression"])
    return keys


_worker = {}


def _init_worker(tok_state, keys):
    _worker["tok"] = bpe.Tokenizer(*tok_state)
    _worker["keys"] = keys


def _make_examples(args):
    seed, n = args
    rng = random.Random(seed)
    tok, keys, out = _worker["tok"], _worker["keys"], []
    while len(out) < n:
        ex = arith.example(rng)
        if ex["key"] in keys:
            continue
        prompt = tok.encode(ex["prompt"])
        full = prompt + tok.encode(ex["completion"]) + [tok.eos]
        out.append((full, len(prompt)))
    return out


def make_pool(tok, n, seed, keys, procs=None):
    chunks = [(seed * 1000003 + i, 2000) for i in range((n + 1999) // 2000)]
    with multiprocessing.Pool(procs or os.cpu_count(), _init_worker, ((tok.vocab, tok.merges), keys)) as pool:
        res = pool.map(_make_examples, chunks)
    return [e for r in res for e in r][:n]


def build_tokenizer(seed, n_merges):
    """How the first model's tokenizer was learnt (round 1's problems); round 2 loads that one
    (train/tokenizer/) so both read text alike."""
    rng = random.Random(seed)
    texts = []
    for _ in range(5000):
        q, thinking, answer, _, _ = arith.problem(rng)
        texts.append(bpe.prompt_text(q) + arith.completion(thinking, answer) + bpe.EOS)
    vocab, merges = bpe.train(texts, n_merges)
    return bpe.Tokenizer(vocab, merges)


def batch_tensors(examples, pad, device):
    T = max(len(e[0]) for e in examples)
    ids = torch.full((len(examples), T), pad, dtype=torch.long)
    tgt = torch.full((len(examples), T), -100, dtype=torch.long)
    for i, (full, plen) in enumerate(examples):
        ids[i, :len(full)] = torch.tensor(full)
        tgt[i, plen - 1:len(full) - 1] = torch.tensor(full[plen:])
    return ids.to(device), tgt.to(device)


# ---- sampling (batched, KV cache, left-padded prompts) ----------------------------------------

@torch.no_grad()
def generate(model, prompts, max_new, temperature, top_p, eos, pad, gen=None):
    """Completions (lists of ids, eos included when produced) for each prompt."""
    dev = next(model.parameters()).device
    c = model.c
    B, P = len(prompts), max(len(p) for p in prompts)
    ids = torch.full((B, P), pad, dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, P - len(p):] = torch.tensor(p)
    ids = ids.to(dev)
    padn = torch.tensor([P - len(p) for p in prompts], device=dev)
    S = P + max_new
    ar = torch.arange(S, device=dev)
    valid = ar[None, :] >= padn[:, None]  # key positions holding real tokens
    hd = c["hidden_size"] // c["num_attention_heads"]
    dt = torch.bfloat16 if dev.type == "cuda" else torch.float32
    cache = [(torch.zeros(B, c["num_key_value_heads"], S, hd, device=dev, dtype=dt),
              torch.zeros(B, c["num_key_value_heads"], S, hd, device=dev, dtype=dt)) for _ in range(c["num_hidden_layers"])]
    pos = (ar[None, :P] - padn[:, None]).clamp(min=0)
    causal = torch.tril(torch.ones(P, P, dtype=torch.bool, device=dev))
    mask = (causal[None] & valid[:, None, :P]) | torch.eye(P, dtype=torch.bool, device=dev)[None]
    with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type == "cuda"):
        logits = model(ids, pos, mask[:, None], cache, 0)[:, -1].float()
    out = torch.full((B, max_new), pad, dtype=torch.long, device=dev)
    done = torch.zeros(B, dtype=torch.bool, device=dev)
    for t in range(max_new):
        if temperature <= 0:
            tok = logits.argmax(-1)
        else:
            probs = torch.softmax(logits / temperature, -1)
            if top_p < 1.0:
                sp, si = probs.sort(-1, descending=True)
                keep = (sp.cumsum(-1) - sp) < top_p
                sp = sp * keep
                probs = torch.zeros_like(probs).scatter_(-1, si, sp)
            tok = torch.multinomial(probs, 1, generator=gen)[:, 0]
        tok = torch.where(done, torch.full_like(tok, pad), tok)
        out[:, t] = tok
        done |= tok == eos
        if bool(done.all()) or t == max_new - 1:
            break
        m = valid[:, None, None, :P + t + 1].clone()
        m[:, :, :, P:P + t + 1] = True
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type == "cuda"):
            logits = model(tok[:, None], (P + t - padn)[:, None], m, cache, P + t)[:, -1].float()
    res = []
    for row in out.tolist():
        n = row.index(eos) + 1 if eos in row else len(row)
        res.append(row[:n])
    return res


BOXED = re.compile(r"\\boxed\{([^{}]*)\}")


JSON_ANSWER = re.compile(r'^\s*\{"answer": (-?[0-9]+)\}\s*$')


def extract_boxed(text):
    m = BOXED.findall(text)
    if m:
        return m[-1].strip()
    m = JSON_ANSWER.match(text)  # an answer asked for as JSON
    return m.group(1) if m else None


def well_formed(text, ended):
    """One '</think>' after some thinking, a \\boxed{} (or JSON) answer after it, and an end of turn."""
    if not ended or text.count("</think>") != 1 or "<think>" in text:
        return False
    thought, answer = text.split("</think>")
    return len(thought.strip()) > 0 and extract_boxed(answer) is not None


def evaluate(model, tok, problems, temperature, top_p, k=1, batch=512, max_new=768, seed=0):
    """Fraction of correct samples (pass@1 over k samples)."""
    model.eval()
    gen = torch.Generator(device=next(model.parameters()).device).manual_seed(seed)
    items = [(p, j) for p in problems for j in range(k)]
    correct = 0
    for i in range(0, len(items), batch):
        chunk = items[i:i + batch]
        prompts = [tok.encode(bpe.prompt_text(p["question"])) for p, _ in chunk]
        outs = generate(model, prompts, max_new, temperature, top_p, tok.eos, tok.eos, gen)
        for (p, _), o in zip(chunk, outs):
            text = tok.decode(o)
            answer = text.split("</think>")[-1]
            correct += extract_boxed(answer) == p["answer"]
    model.train()
    return correct / len(items)


def load_eval(n=None):
    with open(os.path.join(HERE, "eval500.jsonl")) as f:
        probs = [json.loads(line) for line in f]
    return probs[:n] if n else probs


# ---- stage 1: SFT ------------------------------------------------------------------------------

def cmd_sft(a):
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    tok = bpe.Tokenizer.load(a.tokenizer) if a.tokenizer else build_tokenizer(a.seed, a.merges)
    log("tokenizer: %d tokens (%d merges)" % (tok.n_vocab(), len(tok.merges)))
    cfg = {"vocab_size": a.vocab, "hidden_size": a.dim, "intermediate_size": a.ffn, "num_hidden_layers": a.layers,
           "num_attention_heads": a.heads, "num_key_value_heads": a.kv_heads, "rms_norm_eps": 1e-6,
           "rope_theta": 10000.0, "max_position_embeddings": 2048}
    assert tok.n_vocab() <= a.vocab
    if a.init:  # go on from an earlier SFT model (same tokenizer): new data, a new schedule
        model, _ = load_hf(a.init, dev)
        log("continuing from %s" % a.init)
    else:
        model = Qwen2(cfg).to(dev)
    log("model: %.2fM parameters" % (sum(p.numel() for p in model.parameters()) / 1e6))
    t0 = time.time()
    pool = make_pool(tok, a.examples, a.seed, held_out_keys())
    n_tok = sum(len(e[0]) for e in pool)
    log("pool: %d examples, %.1fM tokens, mean %.0f, max %d (%.0fs)" % (
        len(pool), n_tok / 1e6, n_tok / len(pool), max(len(e[0]) for e in pool), time.time() - t0))
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    other = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.95), **({"fused": True} if dev.type == "cuda" else {}))
    rng = random.Random(a.seed)
    batches = []  # examples of similar length batched together: little padding
    t0 = time.time()
    total = a.steps or 10 ** 9  # --steps 0: fixed after 100 timed steps so that the run fits --minutes
    for step in range(10 ** 9):
        if step >= total:
            break
        if not a.steps and step == 150:
            total = int(150 + (a.minutes * 60 - (time.time() - t0)) / ((time.time() - t_probe) / 100))
            log("steps: %d (pass --steps %d to repeat this run)" % (total, total))
        if step == 50:
            t_probe = time.time()
        lr = a.lr * min(1.0, (step + 1) / a.warmup)
        if step >= a.warmup:
            lr = a.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (step - a.warmup) / max(1, total - a.warmup))))
        for g in opt.param_groups:
            g["lr"] = lr
        if not batches:
            order = list(range(len(pool)))
            rng.shuffle(order)
            for m in range(0, len(order) - a.batch + 1, 64 * a.batch):
                mega = sorted(order[m:m + 64 * a.batch], key=lambda i: len(pool[i][0]))
                batches += [mega[b:b + a.batch] for b in range(0, len(mega) - a.batch + 1, a.batch)]
            rng.shuffle(batches)
        ex = [pool[i] for i in batches.pop()]
        ids, tgt = batch_tensors(ex, tok.eos, dev)
        with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type == "cuda"):
            logits = model(ids)
        loss = F.cross_entropy(logits.float().view(-1, logits.shape[-1]), tgt.view(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 100 == 0 or step == total - 1:
            log("sft step %d/%d loss %.4f lr %.2e (%.0fs)" % (step, total, loss.item(), lr, time.time() - t0))
        if a.minutes and time.time() - t0 > a.minutes * 60 + 30:
            log("time limit reached after %d steps" % (step + 1))
            break
    log("sft done in %.0fs" % (time.time() - t0))
    save_hf(model, tok, a.out)
    finish(model, tok, a)


def finish(model, tok, a):
    """Quick GPU-side accuracy and reference logits for checking the C runtime."""
    model_b, _ = load_hf(a.out, next(model.parameters()).device)  # what was saved (bf16-rounded)
    model_b.float()
    probs = load_eval(a.eval_n)
    if a.eval_n:
        acc = evaluate(model_b, tok, probs, 0.0, 1.0)
        log("held-out greedy accuracy (%d problems): %.3f" % (len(probs), acc))
        acc = evaluate(model_b, tok, probs, 0.6, 0.95, k=2, seed=1)
        log("held-out sampled accuracy (T=0.6, top-p 0.95, 2 samples each): %.3f" % acc)
    text = bpe.prompt_text("What is 12 + 35 * 2?")
    ids = tok.encode(text)
    with torch.no_grad():
        logits = model_b.float()(torch.tensor([ids], device=next(model_b.parameters()).device))[0].float().cpu()
    with open(a.out + "/reference.json", "w") as f:
        json.dump({"ids": ids, "logits_last": logits[-1].tolist(),
                   "greedy": generate(model_b, [ids], 400, 0.0, 1.0, tok.eos, tok.eos)[0]}, f)


# ---- stage 2: GRPO -----------------------------------------------------------------------------

def seq_logprobs(model, prompts, completions, pad, dev):
    """Per-token log-probabilities of each completion (left-padded prompts, right-padded completions)."""
    P = max(len(p) for p in prompts)
    C = max(len(c) for c in completions)
    B = len(prompts)
    ids = torch.full((B, P + C), pad, dtype=torch.long)
    cmask = torch.zeros(B, C, dtype=torch.bool)
    padn = []
    for i, (p, c) in enumerate(zip(prompts, completions)):
        ids[i, P - len(p):P] = torch.tensor(p)
        ids[i, P:P + len(c)] = torch.tensor(c)
        cmask[i, :len(c)] = True
        padn.append(P - len(p))
    ids, cmask = ids.to(dev), cmask.to(dev)
    padn = torch.tensor(padn, device=dev)
    ar = torch.arange(P + C, device=dev)
    pos = (ar[None] - padn[:, None]).clamp(min=0)
    valid = ar[None] >= padn[:, None]
    causal = torch.tril(torch.ones(P + C, P + C, dtype=torch.bool, device=dev))
    mask = (causal[None] & valid[:, None, :]) | torch.eye(P + C, dtype=torch.bool, device=dev)[None]
    with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type == "cuda"):
        logits = model(ids, pos, mask[:, None])
    logits = logits[:, P - 1:P + C - 1].float()
    lp = torch.log_softmax(logits, -1).gather(-1, ids[:, P:, None])[..., 0]
    return lp, cmask


def cmd_grpo(a):
    torch.manual_seed(a.seed)
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    policy, tok = load_hf(a.init, dev)
    ref, _ = load_hf(a.init, dev)
    ref.eval()
    for p in ref.parameters():
        p.requires_grad_(False)
    opt = torch.optim.AdamW(policy.parameters(), lr=a.lr, betas=(0.9, 0.99), weight_decay=0.0)
    keys = held_out_keys()
    rng = random.Random(a.seed)
    gen = torch.Generator(device=dev).manual_seed(a.seed)
    t0 = time.time()
    for step in range(a.steps):
        # rollouts: G samples for each of Q fresh problems, at temperature 1
        problems = []
        while len(problems) < a.questions:
            ex = arith.example(rng, kinds=("single", "follow", "json"))
            if ex["key"] not in keys:
                problems.append((ex["prompt"], str(ex["value"])))
        prompts = [tok.encode(p) for p, _ in problems for _ in range(a.group)]
        policy.eval()
        comps = generate(policy, prompts, a.max_new, 1.0, 1.0, tok.eos, tok.eos, gen)
        policy.train()
        rewards, correct, formed = [], 0, 0
        for i, c in enumerate(comps):
            text = tok.decode(c)
            ended = len(c) > 0 and c[-1] == tok.eos
            ok = extract_boxed(text.split("</think>")[-1]) == problems[i // a.group][1]
            wf = well_formed(text, ended)
            correct += ok
            formed += wf
            rewards.append(float(ok) + a.format_reward * float(wf))
        r = torch.tensor(rewards, device=dev).view(a.questions, a.group)
        adv = ((r - r.mean(1, keepdim=True)) / (r.std(1, keepdim=True) + 1e-4)).view(-1)
        live = (r.std(1) > 0).repeat_interleave(a.group)  # groups with equal rewards teach nothing
        idx = [i for i in range(len(comps)) if live[i] and len(comps[i]) > 0]
        if idx:
            opt.zero_grad(set_to_none=True)
            for j in range(0, len(idx), a.micro):
                sub = idx[j:j + a.micro]
                pp = [prompts[i] for i in sub]
                cc = [comps[i] for i in sub]
                lp, cm = seq_logprobs(policy, pp, cc, tok.eos, dev)
                with torch.no_grad():
                    rlp, _ = seq_logprobs(ref, pp, cc, tok.eos, dev)
                A = adv[sub][:, None]
                ratio = torch.exp(lp - lp.detach())  # one update per batch: on-policy, ratio == 1
                d = rlp - lp
                kl = torch.exp(d) - d - 1  # k3 estimator of KL(policy || ref)
                per_tok = -(ratio * A) + a.beta * kl
                per_seq = (per_tok * cm).sum(1) / cm.sum(1)
                loss = per_seq.sum() / len(idx)
                loss.backward()
            torch.nn.utils.clip_grad_norm_(policy.parameters(), 1.0)
            opt.step()
        n = len(comps)
        log("grpo step %d/%d reward %.3f correct %.3f well-formed %.3f live %d/%d mean len %.0f (%.0fs)" % (
            step, a.steps, sum(rewards) / n, correct / n, formed / n, len(idx), n,
            sum(len(c) for c in comps) / n, time.time() - t0))
        if a.minutes and time.time() - t0 > a.minutes * 60:
            log("time limit reached after %d steps" % (step + 1))
            break
    save_hf(policy, tok, a.out)
    finish(policy, tok, a)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sft")
    s.add_argument("--out", required=True)
    s.add_argument("--init", default="", help="an SFT model folder to continue from")
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--tokenizer", default=os.path.join(HERE, "tokenizer"), help="a tokenizer.json folder ('' learns one)")
    s.add_argument("--merges", type=int, default=220)
    s.add_argument("--vocab", type=int, default=512)
    s.add_argument("--dim", type=int, default=256)
    s.add_argument("--ffn", type=int, default=704)
    s.add_argument("--layers", type=int, default=9)
    s.add_argument("--heads", type=int, default=8)
    s.add_argument("--kv-heads", type=int, default=4)
    s.add_argument("--examples", type=int, default=1000000)
    s.add_argument("--steps", type=int, default=0, help="0: as many as fit in --minutes")
    s.add_argument("--batch", type=int, default=256)
    s.add_argument("--lr", type=float, default=2e-3)
    s.add_argument("--warmup", type=int, default=200)
    s.add_argument("--eval-n", type=int, default=200)
    s.add_argument("--minutes", type=float, default=6.5, help="time budget of the training loop")
    g = sub.add_parser("grpo")
    g.add_argument("--init", required=True)
    g.add_argument("--out", required=True)
    g.add_argument("--seed", type=int, default=2)
    g.add_argument("--steps", type=int, default=200)
    g.add_argument("--minutes", type=float, default=0, help="stop early after this long (0: never)")
    g.add_argument("--questions", type=int, default=64)
    g.add_argument("--group", type=int, default=8)
    g.add_argument("--max-new", type=int, default=1024)
    g.add_argument("--micro", type=int, default=256)
    g.add_argument("--lr", type=float, default=2e-5)
    g.add_argument("--beta", type=float, default=0.04)
    g.add_argument("--format-reward", type=float, default=0.2)
    g.add_argument("--eval-n", type=int, default=200)
    a = ap.parse_args()
    {"sft": cmd_sft, "grpo": cmd_grpo}[a.cmd](a)


if __name__ == "__main__":
    main()
