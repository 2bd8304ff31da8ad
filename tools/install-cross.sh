#!/usr/bin/env bash
# Installs what the cross-platform test targets need, with apt-get, only when it is missing.
#   tools/install-cross.sh aarch64   -> aarch64-linux-gnu-gcc, qemu-aarch64
#   tools/install-cross.sh windows   -> x86_64-w64-mingw32-gcc, wine
#   tools/install-cross.sh i686      -> i686-linux-gnu-gcc (runs natively on x86-64)
#   tools/install-cross.sh portable  -> gcc, g++, clang, clang++, tcc, i686-linux-gnu-gcc
#   tools/install-cross.sh msvc      -> clang-cl, MinGW-w64's headers and runtime, wine
#   tools/install-cross.sh server    -> chromium, node and npm, curl, python3 (make test-server)
set -e
need=()
case "${1:-}" in
    aarch64)
        command -v aarch64-linux-gnu-gcc >/dev/null || need+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
        command -v qemu-aarch64 >/dev/null || need+=(qemu-user) ;;
    windows)
        command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
        command -v wine >/dev/null || need+=(wine wine64) ;; # "wine" is the launcher the Makefile runs
    i686)
        command -v i686-linux-gnu-gcc >/dev/null || need+=(gcc-i686-linux-gnu libc6-dev-i386-cross) ;;
    portable)
        command -v g++ >/dev/null || need+=(g++)
        command -v clang >/dev/null || need+=(clang)
        command -v tcc >/dev/null || need+=(tcc)
        command -v i686-linux-gnu-gcc >/dev/null || need+=(gcc-i686-linux-gnu libc6-dev-i386-cross) ;;
    msvc)
        command -v clang-cl >/dev/null || ls /usr/bin/clang-cl-* >/dev/null 2>&1 || need+=(clang)
        command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
        command -v wine >/dev/null || need+=(wine wine64) ;;
    server)
        command -v chromium >/dev/null || need+=(chromium)
        command -v node >/dev/null || need+=(nodejs)
        command -v npm >/dev/null || need+=(npm)
        command -v curl >/dev/null || need+=(curl)
        command -v python3 >/dev/null || need+=(python3) ;;
    *) echo "usage: $0 aarch64|windows|i686|portable|msvc|server" >&2; exit 2 ;;
esac
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "installing ${need[*]}"
    # bounded: a stalled mirror or a held package lock ends the run instead of stalling it
    timeout 900 $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive timeout 1200 $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
