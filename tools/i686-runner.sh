#!/usr/bin/env bash
# Prints how to run a static 32-bit x86 program here: nothing where the kernel runs them itself
# (most x86-64 Linux systems), "qemu-i386" where it cannot (kernels built without IA-32
# emulation); installs qemu-user with apt-get when that is needed and missing.
set -e
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'int main(void) { return 0; }' > "$probe/p.c"
i686-linux-gnu-gcc -static -o "$probe/p" "$probe/p.c"
if "$probe/p" 2>/dev/null; then exit 0; fi
if ! command -v qemu-i386 >/dev/null; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "this kernel does not run 32-bit programs: installing qemu-user" >&2
    timeout 900 $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive timeout 1200 $sudo apt-get install -y -qq --no-install-recommends qemu-user >/dev/null
fi
echo qemu-i386
