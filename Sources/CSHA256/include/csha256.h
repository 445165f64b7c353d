/// SHA-256 without allocation, for the hashing on every share's validation path
/// (FIPS 180-4). On x86-64 processors with the SHA extensions the compression uses
/// them (checked once with CPUID); elsewhere a portable C compression runs.
#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// Which compression function runs.
typedef enum {
    CSHA256_AUTOMATIC = 0, ///< the SHA extensions when the processor has them, else portable
    CSHA256_PORTABLE = 1,  ///< portable C (tests compare both)
} csha256_implementation;

/// Whether this processor has the x86 SHA extensions (and SSE4.1) the fast path uses.
int csha256_has_extensions(void);

/// SHA-256 of `length` bytes at `data` into `out` (32 bytes).
void csha256_hash(const uint8_t *data, size_t length, uint8_t out[32], csha256_implementation implementation);

/// SHA-256(SHA-256(data)) into `out` (32 bytes): Bitcoin's double hash.
void csha256d_hash(const uint8_t *data, size_t length, uint8_t out[32], csha256_implementation implementation);

/// SHA-256(SHA-256(64 bytes)), one merkle tree node from two 32-byte children.
void csha256d_64(const uint8_t in[64], uint8_t out[32], csha256_implementation implementation);

#endif
