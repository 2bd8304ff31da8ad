#!/usr/bin/env bash
# Prefill and decode of r1-bench on every kernel set this CPU runs (R1_ISA=amx, vnni, avxvnni, avx2),
# beside llama.cpp's llama-bench and ik_llama.cpp's AVX-512 and AVX2 builds, on the same files,
# the same threads, one after the other in one run; prints a markdown table with the ratios.
#   bench/isa_vs_peers.sh MODEL.gguf...
# Peers are optional, found through environment variables (unset or not runnable: skipped):
#   LLAMA_DIR=dir with llama-bench and its shared libraries
#   IK_AVX512=path to ik_llama.cpp's llama-bench built for AVX-512, IK_AVX2=the AVX2 build
# P=512 N=128 THREADS=2 REPS=2 set the test (pp P, tg N); MOE_FLAGS are ik's extra flags for
# deepseek2 files (default -mla 3 -fmoe 1 -fa 1). ik runs with -rtr 1 (run-time repacking),
# llama.cpp with -lm none (weights in anonymous memory: its faster decode here). llama-bench warms
# up once before it times; r1-bench does too (--warmup, WARMUP=1; WARMUP=0 times the first prompt
# after the load, the cold figure).
set -eu
cd "$(dirname "$0")/.."
p=${P:-512}; n=${N:-128}; threads=${THREADS:-2}; reps=${REPS:-2}; warmup=${WARMUP:-1}
moe_flags=${MOE_FLAGS:--mla 3 -fmoe 1 -fa 1}
make -s build/r1-bench
# the pp and tg figures of a llama-bench run (markdown output), as "PP TG"
peer_figures() {
    awk -F'|' -v p="pp$p" -v t="tg$n" '
        { for (i = 1; i <= NF; i++) { gsub(/^ +| +$/, "", $i) } }
        NF < 4 { next }
        $(NF-2) == p { split($(NF-1), a, " "); pp = a[1] }
        $(NF-2) == t { split($(NF-1), a, " "); tg = a[1] }
        END { printf "%s %s\n", pp == "" ? "-" : pp, tg == "" ? "-" : tg }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2fx", a / b }'; }
echo "| file | runtime | pp$p tok/s | tg$n tok/s | r1.h / peer (pp, tg) |"
echo "|---|---|---|---|---|"
for model in "$@"; do
    name=$(basename "$model" .gguf)
    extra=""
    if head -c 65536 "$model" | grep -aq deepseek2; then extra=$moe_flags; fi # general.architecture
    declare -A pp=() tg=()
    for isa in amx vnni avxvnni avx2; do
        line=$(R1_ISA=$isa build/r1-bench -m "$model" -p "$p" -n "$n" -t "$threads" -r "$reps" --warmup "$warmup" 2>/dev/null | tail -1)
        got=$(printf '%s' "$line" | sed -n 's/.*"isa": "\([^"]*\)".*/\1/p')
        case "$isa:$got" in amx:*amx* | vnni:avx512-vnni | avxvnni:avx-vnni | avx2:avx2) ;; *) continue ;; esac # the CPU lacks it
        pp[$isa]=$(printf '%s' "$line" | sed -n 's/.*"prefill_tok_s": \([0-9.]*\).*/\1/p')
        tg[$isa]=$(printf '%s' "$line" | sed -n 's/.*"decode_tok_s": \([0-9.]*\).*/\1/p')
    done
    declare -A ppp=() tgp=()
    if [ -n "${LLAMA_DIR:-}" ] && [ -x "$LLAMA_DIR/llama-bench" ]; then
        read -r ppp[llama] tgp[llama] < <(LD_LIBRARY_PATH="$LLAMA_DIR" "$LLAMA_DIR/llama-bench" -m "$model" -p "$p" -n "$n" \
            -t "$threads" -r "$reps" -lm none 2>/dev/null | peer_figures)
    fi
    for v in avx512 avx2; do
        bin=$([ $v = avx512 ] && echo "${IK_AVX512:-}" || echo "${IK_AVX2:-}")
        [ -n "$bin" ] && [ -x "$bin" ] || continue
        # shellcheck disable=SC2086
        read -r ppp[ik_$v] tgp[ik_$v] < <("$bin" -m "$model" -p "$p" -n "$n" -t "$threads" -r "$reps" -rtr 1 $extra 2>/dev/null | peer_figures)
    done
    for isa in amx vnni avxvnni avx2; do
        [ -n "${pp[$isa]:-}" ] || continue
        vs=""
        for peer in llama ik_avx512 ik_avx2; do
            [ -n "${ppp[$peer]:-}" ] && [ "${ppp[$peer]}" != "-" ] || continue
            vs="$vs; $peer $(ratio "${pp[$isa]}" "${ppp[$peer]}"), $(ratio "${tg[$isa]}" "${tgp[$peer]}")"
        done
        echo "| $name | r1.h R1_ISA=$isa | ${pp[$isa]} | ${tg[$isa]} | ${vs#; } |"
    done
    for peer in llama ik_avx512 ik_avx2; do
        [ -n "${ppp[$peer]:-}" ] && [ "${ppp[$peer]}" != "-" ] || continue # absent, or did not run on this CPU
        echo "| $name | $peer | ${ppp[$peer]} | ${tgp[$peer]} | |"
    done
    unset pp tg ppp tgp
done
