#!/usr/bin/env bash
# Worst-case tokenizing time: 1 MB inputs that are one long pre-token piece (the BPE merges of a
# piece are O(n log n)), each through `r1 tokenize` on each real vocabulary, wall-clock seconds
# including the process start and the vocabulary load. Target: every one under 1 s.
# usage: bench/tokenize_worst.sh   (after make all; builds the vocab files if missing)
set -eu
cd "$(dirname "$0")/.."
make -s build/r1 build/vocab/r1-distill-qwen.gguf build/vocab/deepseek-v3.gguf build/vocab/llama3.1.gguf
dir=$(mktemp -d)
python3 - "$dir" <<'PY'
import random, sys
d = sys.argv[1]
rnd = random.Random(1)
inputs = {
    "an": "an" * 500000,
    "newlines": "\n" * 1000000,
    "spaces": " " * 1000000,
    "letters": "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(1000000)),
    "digits": "".join(rnd.choice("0123456789") for _ in range(1000000)),
    "e+marks": "e" + "\u0301" * 500000,
    "lrm-mix": "  \u200e5 " * 200000,
}
for name, text in inputs.items():
    open(f"{d}/{name}.txt", "w", encoding="utf-8").write(text)
PY
printf "%-16s" input; for v in r1-distill-qwen deepseek-v3 llama3.1; do printf "%18s" "$v"; done; echo
worst=0
for f in "$dir"/*.txt; do
    printf "%-16s" "$(basename "$f" .txt)"
    for v in r1-distill-qwen deepseek-v3 llama3.1; do
        t0=$(date +%s.%N)
        ./build/r1 tokenize -m "build/vocab/$v.gguf" < "$f" > /dev/null
        t=$(echo "$(date +%s.%N) - $t0" | bc)
        printf "%17.2fs" "$t"
        worst=$(echo "if ($t > $worst) $t else $worst" | bc)
    done
    echo
done
rm -rf "$dir"
echo "worst: ${worst} s"
