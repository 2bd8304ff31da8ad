#!/usr/bin/env bash
# Decode deep into a context: r1-bench --depth D beside llama.cpp's llama-bench (-d D, flash
# attention) and ik_llama.cpp's (-gp D,N), on the same file, the same threads, one after the
# other in one run; prints a markdown table with r1.h's share of its roofline (the weights plus
# the cache rows read at that depth, at the bandwidth r1-bench measured in that run) and the ratios.
#   bench/depth_vs_peers.sh MODEL.gguf
# Peers are optional, found through environment variables (unset or not runnable: skipped):
#   LLAMA_DIR=dir with llama-bench and its shared libraries
#   IK_AVX512=path to ik_llama.cpp's llama-bench built for AVX-512, IK_AVX2=the AVX2 build
# DEPTHS="0 4096" N=64 THREADS=2 set the test; R1_ISA and R1_PREFETCH pass through to r1-bench.
set -eu
cd "$(dirname "$0")/.."
depths=${DEPTHS:-0 4096}; n=${N:-64}; threads=${THREADS:-2}
model=$1
make -s build/r1-bench
# the t/s of a llama-bench run's decode line (markdown output; its test column starts with "tg")
peer_tg() {
    awk -F'|' '{ for (i = 1; i <= NF; i++) gsub(/^ +| +$/, "", $i) }
               NF >= 4 && $(NF-2) ~ /^tg/ { split($(NF-1), a, " "); tg = a[1] }
               END { print tg == "" ? "-" : tg }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2fx", a / b }'; }
field() { printf '%s' "$1" | sed -n "s/.*\"$2\": \\([0-9.]*\\).*/\\1/p"; }
echo "| depth | r1.h tok/s (isa) | % of roofline (GB/s) | llama.cpp | ik AVX-512 | ik AVX2 | r1.h / peers |"
echo "|---|---|---|---|---|---|---|"
for d in $depths; do
    if [ "$d" = 0 ]; then
        line=$(build/r1-bench -m "$model" -p 16 -n "$n" -t "$threads" 2>/dev/null | tail -1)
    else
        line=$(build/r1-bench -m "$model" -p 16 -n "$n" -t "$threads" --depth "$d" -c $((d + n + 64)) 2>/dev/null | tail -1)
    fi
    tg=$(field "$line" decode_tok_s); pct=$(field "$line" decode_pct_of_roofline); bw=$(field "$line" bandwidth_gb_s)
    isa=$(printf '%s' "$line" | sed -n 's/.*"isa": "\([^"]*\)".*/\1/p')
    llama=- ik512=- ik2=-
    if [ -n "${LLAMA_DIR:-}" ] && [ -x "$LLAMA_DIR/llama-bench" ]; then
        llama=$(LD_LIBRARY_PATH="$LLAMA_DIR" "$LLAMA_DIR/llama-bench" -m "$model" -d "$d" -p 0 -n "$n" -t "$threads" -r 1 \
            -fa on -lm none 2>/dev/null | peer_tg)
    fi
    for v in avx512 avx2; do
        bin=$([ $v = avx512 ] && echo "${IK_AVX512:-}" || echo "${IK_AVX2:-}")
        [ -n "$bin" ] && [ -x "$bin" ] || continue
        if [ "$d" = 0 ]; then got=$("$bin" -m "$model" -p 0 -n "$n" -t "$threads" -r 1 -rtr 1 -fa 1 2>/dev/null | peer_tg)
        else got=$("$bin" -m "$model" -p 0 -n 0 -gp "$d,$n" -t "$threads" -r 1 -rtr 1 -fa 1 2>/dev/null | peer_tg); fi
        if [ $v = avx512 ]; then ik512=$got; else ik2=$got; fi
    done
    echo "| $d | $tg ($isa) | $pct ($bw) | $llama | $ik512 | $ik2 | llama $(ratio "$tg" "$llama"), ik AVX-512 $(ratio "$tg" "$ik512"), ik AVX2 $(ratio "$tg" "$ik2") |"
done
