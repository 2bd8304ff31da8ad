/* A tiny test runner: TEST_CASE functions call CHECK; main() runs them in order and ends with
   the line "N passed, N failed". A case fails when any of its CHECKs does. */
#ifndef R1_TEST_H
#define R1_TEST_H
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct test_state {
    int case_failures;        /* CHECK failures in the running case */
    int passed, failed;       /* finished cases */
    const char *filter;       /* run only cases whose name contains this */
} test_state;

static test_state T;

#define CHECK(cond, ...)                                                           \
    do {                                                                           \
        if (!(cond)) {                                                             \
            T.case_failures++;                                                     \
            if (T.case_failures <= 10) {                                           \
                printf("    FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);         \
                printf(__VA_ARGS__);                                               \
                printf("\n");                                                      \
            }                                                                      \
        }                                                                          \
    } while (0)

static void run_case(const char *name, void (*fn)(void)) {
    clock_t t0;
    double cpu_s;
    if (T.filter && !strstr(name, T.filter)) return;
    T.case_failures = 0;
    printf("  %s\n", name);
    fflush(stdout);
    t0 = clock();
    fn();
    cpu_s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (cpu_s >= 1.0) printf("    (%.1f s of CPU time)\n", cpu_s); /* what makes CI slow */
    if (T.case_failures == 0) T.passed++;
    else {
        T.failed++;
        printf("  FAILED %s (%d checks)\n", name, T.case_failures);
    }
    fflush(stdout);
}
#define RUN(fn) run_case(#fn, fn)
#endif
