"""A small byte-level BPE tokenizer with DeepSeek-R1's special tokens, written as tokenizer.json.

Pre-tokenization is DeepSeek-R1-Distill-Qwen's (the `deepseek-r1-qwen` regex: digits one by one,
letters with one leading non-letter, punctuation runs, whitespace), so r1.h and HF `tokenizers`
split text the same way. The training corpus is ASCII, where the regex below (\\p{L} -> [A-Za-z],
\\p{N} -> [0-9]) splits exactly as the Unicode one does; the encoder here is only used on such text.
Merges are learnt by the classic BPE count-and-merge loop, ties broken by the pair's text.
"""
import collections
import json
import re

UNICODE_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|"
                 r"\s*[\r\n]+|\s+(?!\S)|\s+")
ASCII_REGEX = re.compile(r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\nA-Za-z0-9]?[A-Za-z]+|[0-9]| ?[^\sA-Za-z0-9]+[\r\n]*|"
                         r"\s*[\r\n]+|\s+(?!\S)|\s+")

BOS = "<\uff5cbegin\u2581of\u2581sentence\uff5c>"
EOS = "<\uff5cend\u2581of\u2581sentence\uff5c>"
USER = "<\uff5cUser\uff5c>"
ASSISTANT = "<\uff5cAssistant\uff5c>"
THINK, END_THINK = "<think>", "</think>"
ADDED = [EOS, USER, ASSISTANT, BOS, THINK, END_THINK]  # ids follow the BPE vocabulary, in this order
SPECIAL = {EOS, BOS}

# DeepSeek-R1's chat template (as in the released tokenizer_config.json)
CHAT_TEMPLATE = (
    "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}"
    "{% set ns = namespace(is_first=false, is_tool=false, is_output_first=true, system_prompt='') %}"
    "{%- for message in messages %}{%- if message['role'] == 'system' %}{% set ns.system_prompt = message['content'] %}"
    "{%- endif %}{%- endfor %}{{bos_token}}{{ns.system_prompt}}{%- for message in messages %}"
    "{%- if message['role'] == 'user' %}{%- set ns.is_tool = false -%}{{'<\uff5cUser\uff5c>' + message['content']}}"
    "{%- endif %}{%- if message['role'] == 'assistant' and message['content'] is not none %}"
    "{% set content = message['content'] %}{% if '</think>' in content %}"
    "{% set content = content.split('</think>')[-1] %}{% endif %}"
    "{{'<\uff5cAssistant\uff5c>' + content + '<\uff5cend\u2581of\u2581sentence\uff5c>'}}{%- endif %}{%- endfor -%}"
    "{% if add_generation_prompt %}{{'<\uff5cAssistant\uff5c><think>\\n'}}{% endif %}")


def byte_to_unicode():
    """GPT-2's reversible map from bytes to printable characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


B2U = byte_to_unicode()


def pretokenize(text):
    return [B2U_str(w) for w in ASCII_REGEX.findall(text)]


def B2U_str(s):
    return "".join(B2U[b] for b in s.encode("utf-8"))


def train(texts, n_merges):
    """Learn n_merges merges; returns (vocab dict token->id, merges list of (a, b))."""
    words = collections.Counter()
    for t in texts:
        for piece in split_added(t):
            if piece not in ADDED:
                words.update(pretokenize(piece))
    alphabet = [B2U[b] for b in range(256)]
    vocab = {ch: i for i, ch in enumerate(alphabet)}
    seqs = {w: list(w) for w in words}
    merges = []
    for _ in range(n_merges):
        pairs = collections.Counter()
        for w, cnt in words.items():
            s = seqs[w]
            for i in range(len(s) - 1):
                pairs[(s[i], s[i + 1])] += cnt
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], [-ord(c) for c in kv[0][0] + "\0" + kv[0][1]]))[0]
        if pairs[best] < 2:
            break
        merges.append(best)
        new = best[0] + best[1]
        vocab[new] = len(vocab)
        for w in words:
            s = seqs[w]
            i, out = 0, []
            while i < len(s):
                if i + 1 < len(s) and s[i] == best[0] and s[i + 1] == best[1]:
                    out.append(new)
                    i += 2
                else:
                    out.append(s[i])
                    i += 1
            seqs[w] = out
    return vocab, merges


def split_added(text):
    """Split text around the added tokens (matched anywhere, like HF and r1.h)."""
    pattern = "(" + "|".join(re.escape(a) for a in sorted(ADDED, key=len, reverse=True)) + ")"
    return [p for p in re.split(pattern, text) if p]


class Tokenizer:
    def __init__(self, vocab, merges):
        self.vocab = dict(vocab)
        self.merges = [tuple(m) for m in merges]
        self.rank = {m: i for i, m in enumerate(self.merges)}
        for a in ADDED:
            if a not in self.vocab:
                self.vocab[a] = len(self.vocab)
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        self.u2b = {u: b for b, u in B2U.items()}
        self.cache = {}
        self.bos, self.eos = self.vocab[BOS], self.vocab[EOS]

    def bpe(self, word):
        if word in self.cache:
            return self.cache[word]
        s = list(word)
        while len(s) > 1:
            best, bi = None, -1
            for i in range(len(s) - 1):
                r = self.rank.get((s[i], s[i + 1]))
                if r is not None and (best is None or r < best):
                    best, bi = r, i
            if best is None:
                break
            s = s[:bi] + [s[bi] + s[bi + 1]] + s[bi + 2:]
        ids = [self.vocab[t] for t in s]
        self.cache[word] = ids
        return ids

    def encode(self, text):
        ids = []
        for piece in split_added(text):
            if piece in ADDED:
                ids.append(self.vocab[piece])
            else:
                for w in pretokenize(piece):
                    ids.extend(self.bpe(w))
        return ids

    def decode(self, ids):
        out = bytearray()
        for i in ids:
            t = self.id_to_token.get(int(i), "")
            if t in ADDED:
                out += t.encode("utf-8")
            else:
                out += bytes(self.u2b[c] for c in t)
        return out.decode("utf-8", errors="replace")

    def n_vocab(self):
        return len(self.vocab)

    def tokenizer_json(self):
        added = [{"id": self.vocab[a], "content": a, "single_word": False, "lstrip": False, "rstrip": False,
                  "normalized": False, "special": a in SPECIAL} for a in ADDED]
        bpe_vocab = {t: i for t, i in self.vocab.items() if t not in ADDED}
        return {
            "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
            "normalizer": {"type": "NFC"},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": UNICODE_REGEX}, "behavior": "Isolated", "invert": False},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}]},
            "post_processor": {"type": "TemplateProcessing",
                               "single": [{"SpecialToken": {"id": BOS, "type_id": 0}},
                                          {"Sequence": {"id": "A", "type_id": 0}}],
                               "pair": [{"SpecialToken": {"id": BOS, "type_id": 0}},
                                        {"Sequence": {"id": "A", "type_id": 0}},
                                        {"SpecialToken": {"id": BOS, "type_id": 0}},
                                        {"Sequence": {"id": "B", "type_id": 0}}],
                               "special_tokens": {BOS: {"id": BOS, "ids": [self.bos], "tokens": [BOS]}}},
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                      "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
                      "ignore_merges": False, "vocab": bpe_vocab, "merges": [[a, b] for a, b in self.merges]},
        }

    def tokenizer_config(self):
        decoder = {str(self.vocab[a]): {"content": a, "lstrip": False, "normalized": False, "rstrip": False,
                                        "single_word": False, "special": a in SPECIAL} for a in ADDED}
        return {"add_bos_token": True, "add_eos_token": False, "added_tokens_decoder": decoder,
                "bos_token": BOS, "eos_token": EOS, "pad_token": EOS, "clean_up_tokenization_spaces": False,
                "legacy": True, "model_max_length": 2048, "tokenizer_class": "LlamaTokenizerFast",
                "unk_token": None, "chat_template": CHAT_TEMPLATE}

    def save(self, folder):
        with open(folder + "/tokenizer.json", "w", encoding="utf-8") as f:
            json.dump(self.tokenizer_json(), f, ensure_ascii=False)
        with open(folder + "/tokenizer_config.json", "w", encoding="utf-8") as f:
            json.dump(self.tokenizer_config(), f, ensure_ascii=False, indent=1)

    @staticmethod
    def load(folder):
        with open(folder + "/tokenizer.json", encoding="utf-8") as f:
            tj = json.load(f)
        vocab = tj["model"]["vocab"]
        vocab = dict(sorted(vocab.items(), key=lambda kv: kv[1]))
        return Tokenizer(vocab, tj["model"]["merges"])


def prompt_text(question):
    """What r1.h's chat template renders for one user message plus the generation prompt."""
    return BOS + USER + question + ASSISTANT + THINK + "\n"


def chat_text(turns, question):
    """The same after earlier (question, answer) turns; an answer keeps only what follows its
    </think>, as R1's template (and r1.h) render it."""
    return BOS + "".join(USER + q + ASSISTANT + a + EOS for q, a in turns) + USER + question + ASSISTANT + THINK + "\n"
