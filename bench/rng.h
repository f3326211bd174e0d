/* The benchmark generators' PRNG (splitmix64): the same numbers on every
 * machine, no libc rand, no floating point. Set rng_state to seed it. */
#ifndef RETAIN_BENCH_RNG_H
#define RETAIN_BENCH_RNG_H

#include <stdint.h>

static uint64_t rng_state;

static uint64_t rng_next(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint32_t rng_below(uint32_t n) /* uniform in [0, n) */
{
    return (uint32_t)(((rng_next() >> 32) * (uint64_t)n) >> 32);
}

/* true with probability permille / 1000 */
static int rng_pm(uint32_t permille)
{
    return rng_below(1000) < permille;
}

#endif
