"""Phi-3 / Phi-4 reference checkpoint for r1.h, made the way the shared reference set was made
(the same tiny tokenizer, prompts, weight initialization and float32 references), by importing
the reference generator `make_refs.py` and adding one configuration.

Usage (GPU machine, transformers + tokenizers): python make_phi3_ref.py PATH/TO/make_refs.py OUTDIR
Writes OUTDIR/models/phi3/ (config.json, model.safetensors in bf16, tokenizer files, ref/), then
OUTDIR/models/phi3_swa/: the same configuration with a sliding window of 32 positions (Phi-3-mini
has one of 2047), so two of the three prompts (67 and 261 tokens) reach past it.

The checkpoint has what sets Phi-3 / Phi-4 apart: fused qkv_proj and gate_up_proj, untied
output (Phi-4 / Phi-4-reasoning) and a partial rotary factor (Phi-4-mini's 0.75).
make_refs.build_model asserts that no tensor name holds 'gate_up_proj' (a guard against fused
MoE expert tensors); Phi-3's dense MLP is fused in the real checkpoints, so build_model below
is the same steps without that assertion.
"""
import importlib.util, json, os, sys

path, out = sys.argv[1], sys.argv[2]
sys.argv = [path, out, "A"]  # the shared set's seed: same tokenizer, prompts and weight seed
spec = importlib.util.spec_from_file_location("make_refs", path)
mr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mr)

def phi3_config(tok, sliding_window=None):
    return mr.base("Phi3ForCausalLM", "phi3", tok, 512, hidden_size=128, intermediate_size=384,
                   num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                   max_position_embeddings=4096, original_max_position_embeddings=4096,
                   rope_theta=10000.0, rope_scaling=None, partial_rotary_factor=0.75,
                   sliding_window=sliding_window, resid_pdrop=0.0, embd_pdrop=0.0, attention_bias=False,
                   tie_word_embeddings=False, pad_token_id=tok.convert_tokens_to_ids(mr.EOS))

def build_model(name, cfg, tok, root):
    """make_refs.build_model without its MoE-layout assertions: the same folder, the same
    reference computation (reloading the saved bf16 folder in float32, eager attention)."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM
    d = os.path.join(root, name)
    os.makedirs(d, exist_ok=True)
    json.dump(cfg, open(os.path.join(d, "config.json"), "w"), indent=2)
    model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(d), dtype=torch.float32)
    mr.init_weights(model)
    model = model.to(torch.bfloat16)
    model.save_pretrained(d, safe_serialization=True)
    json.dump(cfg, open(os.path.join(d, "config.json"), "w"), indent=2)  # the real-checkpoint style
    tok.save_pretrained(d)
    gen = {"bos_token_id": cfg["bos_token_id"], "eos_token_id": cfg["eos_token_id"], "do_sample": True,
           "temperature": 0.6, "top_p": 0.95}
    json.dump(gen, open(os.path.join(d, "generation_config.json"), "w"), indent=2)
    mr.reference(d, tok, os.path.join(d, "ref"))

tok = mr.make_tokenizer()
root = os.path.join(out, "models")
os.makedirs(root, exist_ok=True)
build_model("phi3", phi3_config(tok), tok, root)
build_model("phi3_swa", phi3_config(tok, sliding_window=32), tok, root)
from safetensors import safe_open
for name in ("phi3", "phi3_swa"):
    d = os.path.join(root, name)
    print(sorted(safe_open(os.path.join(d, "model.safetensors"), "pt").keys()))
    print(json.load(open(os.path.join(d, "config.json"))))
