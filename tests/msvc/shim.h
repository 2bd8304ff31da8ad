/* Force-included (/FI) before tests/embed.c when tests/msvc.sh compiles it with clang-cl in
   MSVC mode against MinGW-w64's headers (this machine has no MSVC). Two jobs:
   1. smooth over the header mix: MinGW's headers, seeing no __GNUC__, define __attribute__ away
      (clang's intrinsic headers need it) and put __declspec(noreturn) where clang-cl rejects it,
      and their _setjmp clashes with clang's intrin.h;
   2. once every system header r1.h uses is in, turn the GNU extensions MSVC lacks into errors,
      so a GNU-only construct in r1.h's MSVC branches fails the build instead of being accepted
      by clang. */
#include <_mingw.h>
#undef __attribute__
#undef __MINGW_ATTRIB_NORETURN
#define __MINGW_ATTRIB_NORETURN
#undef __MINGW_ATTRIB_DEPRECATED
#define __MINGW_ATTRIB_DEPRECATED
#define _setjmp r1_shim_mingw_setjmp
#include <setjmp.h>
#undef _setjmp

#include <assert.h>
#include <float.h>
#include <immintrin.h>
#include <intrin.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <windows.h>

#define __attribute__(x) r1_msvc_has_no___attribute__
#define __asm__ r1_msvc_has_no___asm__
#define asm r1_msvc_has_no_asm
#define __builtin_prefetch r1_msvc_has_no___builtin_prefetch
#define __builtin_ia32_pause r1_msvc_has_no___builtin_ia32_pause
#define __builtin_expect r1_msvc_has_no___builtin_expect
#define __atomic_load_n r1_msvc_has_no___atomic
#define __atomic_store_n r1_msvc_has_no___atomic
#define __atomic_add_fetch r1_msvc_has_no___atomic
#define __atomic_fetch_or r1_msvc_has_no___atomic
#define __atomic_compare_exchange_n r1_msvc_has_no___atomic
#define __sync_synchronize r1_msvc_has_no___sync
#define __typeof__ r1_msvc_has_no___typeof__
