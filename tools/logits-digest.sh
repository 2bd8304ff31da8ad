#!/usr/bin/env bash
# Prints a SHA-256 of every position's logits for every reference model and prompt, for every
# file type and kernel set, so a restructuring can be checked bit for bit:
#   bash tools/logits-digest.sh > before.txt; (change r1.h); bash tools/logits-digest.sh > after.txt
#   diff before.txt after.txt
# Needs build/r1 and build/r1-convert (make all). Conversions go to build/digest/.
set -eu
cd "$(dirname "$0")/.."
out=build/digest
mkdir -p "$out"
ids_of() { # PROMPT REF_JSON -> comma-separated ids
    python3 -c "import json,sys; r=json.load(open(sys.argv[2])); print(','.join(map(str,[p for p in r['prompts'] if p['name']==sys.argv[1]][0]['ids'])))" "$1" "$2"
}
files=()
for m in tests/data/models/*/; do
    m=$(basename "$m")
    for t in f32 bf16 q8_0 q4_0 q4_k_m q5_k_m q6_k; do
        f="$out/$m.$t.gguf"
        [ -f "$f" ] || ./build/r1-convert "tests/data/models/$m" "$f" --type "$t" >/dev/null
        files+=("$m:$f")
    done
done
for f in tests/data/gguf/*.gguf; do
    m=$(basename "$f" | cut -d. -f1)
    files+=("$m:$f")
done
for entry in "${files[@]}"; do
    m=${entry%%:*}; f=${entry#*:}
    ref="tests/data/models/$m/ref/ref.json"
    for p in chat_short chat_multi long_raw; do
        ids=$(ids_of "$p" "$ref")
        for isa in default noamx c; do
            case $isa in
                default) env=() ;;
                noamx) env=(R1_NO_AMX=1) ;;
                c) env=(R1_NO_SIMD=1) ;;
            esac
            for t in 1 2; do
                env "${env[@]}" ./build/r1 logits -m "$f" --ids "$ids" -o "$out/l.f32" -t $t >/dev/null
                echo "$(basename "$f") $p $isa t$t $(sha256sum "$out/l.f32" | cut -c1-16)"
            done
        done
    done
done
