/* The shared library (make lib): r1.h and r1_quant.h with their r1_* API exported and nothing
   else (every internal function is static; the build hides the rest with -fvisibility=hidden). */
#if defined(_WIN32)
#define R1_API __declspec(dllexport)
#else
#define R1_API __attribute__((visibility("default")))
#endif
#define R1_IMPLEMENTATION
#include "../r1.h"
#define R1_QUANT_IMPLEMENTATION
#include "../r1_quant.h"
