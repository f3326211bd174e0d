/* Shared by the fuzz harnesses (tests/fuzz): the input as a regular file,
 * and a check that aborts, so that libFuzzer keeps the input. */
#ifndef RETAIN_FUZZ_H
#define RETAIN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A regular file (memfd) holding data, positioned at its start; the
 * caller fcloses it. Aborts when none can be made. */
FILE *fuzz_file(const uint8_t *data, size_t size);

/* The file's path for a program that opens it by name. */
const char *fuzz_path(FILE *f, char *buf, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: disagreement: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
