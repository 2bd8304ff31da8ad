#!/usr/bin/env bash
# Builds tests/embed.c (one file that defines R1_IMPLEMENTATION and includes r1.h and
# r1_quant.h, with no feature macros) with every compiler and language mode r1.h promises, each
# warning-free (-Werror where the compiler has it), and runs each build. Ends with
# "N passed, N failed": one per build, failed when it does not compile or its run fails.
# tools/install-cross.sh portable installs the compilers when missing.
set -u
cd "$(dirname "$0")/.."
out=${BUILD:-build}/portable
mkdir -p "$out"
warn="-Wall -Wextra -Werror"
builds=(
    "c99-gcc|gcc -std=c99 -pedantic $warn -O2"
    "c99-clang|clang -std=c99 -pedantic $warn -O2"
    "c++11-g++|g++ -x c++ -std=c++11 $warn -O2"
    "c++17-g++|g++ -x c++ -std=c++17 $warn -O2"
    "c++11-clang++|clang++ -x c++ -std=c++11 $warn -O2"
    "c++17-clang++|clang++ -x c++ -std=c++17 $warn -O2"
    "tcc|tcc -Wall -Werror"
    "i686-gcc|i686-linux-gnu-gcc -std=c99 -pedantic $warn -O2 -static"
)
# compile two at a time, then run one at a time (each run uses two threads)
for b in "${builds[@]}"; do
    name=${b%%|*}; cmd=${b#*|}
    echo "$cmd tests/embed.c -o $out/embed-$name -lm -lpthread >$out/$name.log 2>&1 || echo failed >>$out/$name.log"
done | xargs -P 2 -I{} sh -c '{}'
passed=0; failed=0
for b in "${builds[@]}"; do
    name=${b%%|*}
    echo "== $name: ${b#*|}"
    if grep -q . "$out/$name.log"; then
        cat "$out/$name.log"; echo "  does not build warning-free"; failed=$((failed + 1)); continue
    fi
    run=""
    [ "$name" = i686-gcc ] && run=$(bash tools/i686-runner.sh) # qemu-i386 where the kernel runs no 32-bit programs
    if $run "./$out/embed-$name" tests/data models/r1-tiny.gguf "$out" | tail -n 1 | tee "$out/$name.run" | grep -q ' 0 failed$'; then
        passed=$((passed + 1))
    else
        $run "./$out/embed-$name" tests/data models/r1-tiny.gguf "$out" | grep -v '^  ok'
        failed=$((failed + 1))
    fi
done
# r1.h alone (no r1_quant.h), as most embedders use it: warning-free too, C99 and C++
for cc in "gcc -x c -std=c99 -pedantic" "g++ -x c++ -std=c++11"; do
    echo "== r1.h alone: $cc"
    if printf '#define R1_IMPLEMENTATION\n#include "r1.h"\nint main(void) { return 0; }\n' |
        $cc $warn -I. -c -o "$out/alone.o" - ; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "  does not build warning-free"; fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
