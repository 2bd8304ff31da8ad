#!/usr/bin/env bash
# r1.h's MSVC branches (SIMD kernels without target attributes, Interlocked atomics, __cpuid /
# _xgetbv), checked without MSVC: clang-cl compiles tests/embed.c in MSVC mode (_MSC_VER
# defined, __clang__ and __GNUC__ not) against MinGW-w64's headers, with tests/msvc/shim.h
# turning GNU extensions into errors.
#   1. every kernel set (AVX2, AVX-512 VNNI) compiled, /W4 /WX. clang needs the ISA flags to
#      declare the intrinsics; MSVC does not (it compiles them without /arch).
#   2. an AVX2 build (-DR1_NO_AVX512: this machine has no AVX-512) linked with MinGW's runtime
#      and run under wine: conversion, tokenizer, logits against Hugging Face, a chat, through
#      the MSVC thread pool and CPU detection.
# Ends with "N passed, N failed". tools/install-cross.sh msvc installs clang, MinGW and wine.
set -u
cd "$(dirname "$0")/.."
out=${BUILD:-build}/msvc
mkdir -p "$out"
cl=$(command -v clang-cl || ls /usr/bin/clang-cl-* 2>/dev/null | sort -V | tail -n 1)
inc=/usr/share/mingw-w64/include
msvc=("$cl" /nologo /W4 /WX -Wno-misleading-indentation /imsvc "$inc" /FItests/msvc/shim.h -U__clang__ /GS- /O2 -I.)
passed=0; failed=0
result() { if [ "$1" -eq 0 ]; then passed=$((passed + 1)); echo "  ok"; else failed=$((failed + 1)); echo "  FAILED"; fi; }

echo "== msvc-mode compile, all kernel sets: $cl"
"${msvc[@]}" -mavx2 -mfma -mf16c -mavx512f -mavx512bw -mavx512vl -mavx512vnni -mxsave /c /Fo"$out/all.obj" tests/embed.c >"$out/all.log" 2>&1
rc=$?; cat "$out/all.log"; result $rc

echo "== msvc-mode AVX2 build, run under wine"
rc=1
# MinGW's linker warns about the object's /DEFAULTLIB directives; __chkstk is its ___chkstk_ms
if "${msvc[@]}" -mavx2 -mfma -mf16c -DR1_NO_AVX512 /c /Fo"$out/avx2.obj" tests/embed.c >"$out/avx2.log" 2>&1 &&
   x86_64-w64-mingw32-gcc -o "$out/embed-msvc.exe" "$out/avx2.obj" -Wl,--defsym,__chkstk=___chkstk_ms >"$out/link.log" 2>&1; then
    WINEDEBUG=-all wine "$out/embed-msvc.exe" tests/data models/r1-tiny.gguf "$out" 2>&1 | tr -d '\r' >"$out/run.log"
    grep -v '^  ok' "$out/run.log"
    tail -n 1 "$out/run.log" | grep -q ' 0 failed$' && grep -q 'kernels: avx2' "$out/run.log" && rc=0
fi
cat "$out/avx2.log"; result $rc
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
