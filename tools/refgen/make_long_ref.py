"""Float32 references deep into a context, for the KV cache's types (float16, Q8_0) to be measured
against: a 3,072-token prompt through the committed test checkpoints, computed the way the shared
reference set was (transformers, the saved bf16 folder reloaded in float32, eager attention).

Usage (GPU machine, transformers + tokenizers): python make_long_ref.py MODELS_DIR OUTDIR [names...]
MODELS_DIR holds the checkpoints (tests/data/models); for each name (default: qwen2, deepseek_v3,
qwen3_moe: grouped-query attention, MLA's compressed cache, MoE) it writes OUTDIR/<name>/ref_long/:
  long_3k.logits.f32  float32 little-endian logits of the last 256 positions, 256 x vocab
  ref.json            {"prompts": [{"name", "ids", "n_tokens", "vocab", "logits_file",
                       "logits_first" (the position of the file's first row), "greedy"
                       (16 ids by full float32 recomputation), "min_top1_margin"}]}
The prompt is a seeded text of arithmetic steps, sentences and repeats (as reasoning traces
have), tokenized with the checkpoint's tokenizer without special tokens, cut to 3,072 ids.
"""
import json, os, random, sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

N_TOKENS, N_KEEP, N_GREEDY = 3072, 256, 16


def long_text(seed=20261206):
    rnd = random.Random(seed)
    words = ["check", "the", "answer", "so", "then", "wait", "sum", "we", "have", "next", "value", "is",
             "because", "carry", "digit", "total", "again", "step", "first", "second", "and", "but"]
    out, steps = [], []
    while len(" ".join(out)) < 16000:
        r = rnd.random()
        if r < 0.45:
            a, b = rnd.randint(2, 999), rnd.randint(2, 999)
            op = rnd.choice(["+", "-", "*"])
            v = a + b if op == "+" else a - b if op == "-" else a * b
            s = f"{a} {op} {b} = {v}."
            steps.append(s)
            out.append(s)
        elif r < 0.8:
            out.append(" ".join(rnd.choice(words) for _ in range(rnd.randint(4, 12))).capitalize() + ".")
        elif steps:
            out.append("Recheck: " + rnd.choice(steps))  # reasoning repeats its earlier lines
    return "\n".join(out)


@torch.no_grad()
def main():
    models_dir, out_dir = sys.argv[1], sys.argv[2]
    names = sys.argv[3:] or ["qwen2", "deepseek_v3", "qwen3_moe"]
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    for name in names:
        d = os.path.join(models_dir, name)
        tok = AutoTokenizer.from_pretrained(d)
        text = long_text()
        ids = tok(text, add_special_tokens=False)["input_ids"]
        assert len(ids) >= N_TOKENS, len(ids)
        ids = ids[:N_TOKENS]
        m = AutoModelForCausalLM.from_pretrained(d, dtype=torch.float32, attn_implementation="eager").to(dev).eval()
        logits = m(torch.tensor([ids], device=dev)).logits[0]
        keep = logits[N_TOKENS - N_KEEP:].to(torch.float32).contiguous().cpu()
        rd = os.path.join(out_dir, name, "ref_long")
        os.makedirs(rd, exist_ok=True)
        with open(os.path.join(rd, "long_3k.logits.f32"), "wb") as f:
            f.write(keep.numpy().astype("<f4").tobytes())
        seq = list(ids)
        for _ in range(N_GREEDY):  # full recompute each step: no cache
            seq.append(int(m(torch.tensor([seq], device=dev)).logits[0, -1].argmax()))
        top2 = torch.topk(keep, 2, dim=-1).values
        meta = {"name": "long_3k", "ids": ids, "n_tokens": N_TOKENS, "vocab": int(logits.shape[-1]),
                "logits_file": "long_3k.logits.f32", "logits_first": N_TOKENS - N_KEEP,
                "greedy": seq[N_TOKENS:], "min_top1_margin": float((top2[:, 0] - top2[:, 1]).min())}
        json.dump({"prompts": [meta]}, open(os.path.join(rd, "ref.json"), "w"), indent=1)
        print(name, "tokens", N_TOKENS, "greedy", meta["greedy"], "min margin", meta["min_top1_margin"],
              "logit range", float(keep.abs().max()))


if __name__ == "__main__":
    main()
