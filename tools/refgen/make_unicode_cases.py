"""Tokenizer cases for format characters and the other Unicode spaces, made with Hugging Face
`tokenizers` (the reference) for the three real vocabularies in tests/data/tokenizer/.

Every code point of general category Cf (format: U+200E LEFT-TO-RIGHT MARK, U+200B, U+FEFF,
the tag characters, ...), Zs (the spaces), Zl and Zp (line and paragraph separators), and an
every-8th sample of the combining marks Mn and Mc, each in 9 strings that put it after 0-3
spaces, tabs and newlines and before 0-3 of them, with letters (Latin, accented, CJK), digits
and punctuation around, and once repeated with spaces between. Cf/Zs/Zl/Zp and marks after
whitespace are where byte-level pre-tokenizers differ (Arabic, Hebrew and mixed-direction text
is full of them).

Usage (a machine with `tokenizers`): python make_unicode_cases.py TESTS_DATA_TOKENIZER_DIR
Writes <dir>/<name>.unicode.cases.jsonl for each <name>/tokenizer.json(.gz), in the format of
the shared <name>.cases.jsonl files: {"text", "ids", "decoded"}, ids without special tokens.
"""
import gzip, json, os, sys, unicodedata
from tokenizers import Tokenizer

def code_points():
    cps = []
    marks = 0
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        cat = unicodedata.category(chr(cp))
        if cat in ("Cf", "Zs", "Zl", "Zp"):
            cps.append(cp)
        elif cat in ("Mn", "Mc"):
            if marks % 8 == 0:
                cps.append(cp)
            marks += 1
    return cps

BEFORE = ["", " ", "  ", "   ", "\t", "\n", " \t", "\n "]
AFTER = ["", " ", "  ", "\t", "\n", "x", "5", "."]
LEFT = ["a", "5", ".", "", "A", "é", "汉", "-"]
RIGHT = ["b", "7", ",", "", "Z", "ü", "字", "!"]
TRAIL = ["", " ", "  ", "   "]

def strings_for(c):
    out = []
    for i, b in enumerate(BEFORE):
        out.append(LEFT[i] + b + c + AFTER[(3 * i) % len(AFTER)] + TRAIL[i % 4] + RIGHT[i])
    out.append("  " + c + " " + c + "  " + c + "\t" + c + c + "\n")
    return out

def main():
    d = sys.argv[1]
    cps = code_points()
    print("unicode", unicodedata.unidata_version, "code points", len(cps), flush=True)
    for name in sorted(os.listdir(d)):
        folder = os.path.join(d, name)
        if not os.path.isdir(folder):
            continue
        path = os.path.join(folder, "tokenizer.json")
        if os.path.exists(path):
            tok = Tokenizer.from_file(path)
        else:
            with gzip.open(path + ".gz", "rt", encoding="utf-8") as f:
                tok = Tokenizer.from_str(f.read())
        n = 0
        with open(os.path.join(d, name + ".unicode.cases.jsonl"), "w", encoding="utf-8") as f:
            for cp in cps:
                for text in strings_for(chr(cp)):
                    ids = tok.encode(text, add_special_tokens=False).ids
                    f.write(json.dumps({"text": text, "ids": ids, "decoded": tok.decode(ids, skip_special_tokens=False)},
                                       ensure_ascii=False) + "\n")
                    n += 1
        print(name, n, "cases", flush=True)

if __name__ == "__main__":
    main()
