// SHA-256 (FIPS 180-4) with a portable compression and one using the x86 SHA
// extensions, chosen at run time. No allocation: the state lives on the stack.
#include "csha256.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define CSHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t INITIAL[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

typedef void (*transform_fn)(uint32_t state[8], const uint8_t *blocks, size_t count);

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static inline uint32_t load_be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static void transform_portable(uint32_t state[8], const uint8_t *blocks, size_t count) {
    for (; count > 0; count--, blocks += 64) {
        uint32_t w[64];
        for (int t = 0; t < 16; t++) w[t] = load_be32(blocks + 4 * t);
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++) {
            uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
            uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1;
            d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
}

#ifdef CSHA256_X86
// The SHA extensions keep the state as two vectors, ABEF and CDGH; SHA256RNDS2 runs two
// rounds, SHA256MSG1/MSG2 compute the message schedule four words at a time.
__attribute__((target("sha,sse4.1,ssse3")))
static void transform_extensions(uint32_t state[8], const uint8_t *blocks, size_t count) {
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
    for (; count > 0; count--, blocks += 64) {
        const __m128i savedABEF = abef, savedCDGH = cdgh;
        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 0)), byteSwap);
        __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 16)), byteSwap);
        __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 32)), byteSwap);
        __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 48)), byteSwap);
#pragma clang loop unroll(full)
        for (int group = 0; group < 16; group++) {
            __m128i current;
            if (group < 4) {
                current = group == 0 ? w0 : group == 1 ? w1 : group == 2 ? w2 : w3;
            } else {
                // W[t..t+3] from W[t-16..t-13] (w0), W[t-12..t-9] (w1), W[t-8..t-5] (w2), W[t-4..t-1] (w3).
                __m128i next = _mm_sha256msg1_epu32(w0, w1);
                next = _mm_add_epi32(next, _mm_alignr_epi8(w3, w2, 4));
                next = _mm_sha256msg2_epu32(next, w3);
                w0 = w1; w1 = w2; w2 = w3; w3 = next;
                current = next;
            }
            __m128i message = _mm_add_epi32(current, _mm_loadu_si128((const __m128i *)&K[4 * group]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
            message = _mm_shuffle_epi32(message, 0x0E);
            // Two rounds make the old ABEF the new CDGH: after both calls `abef` and `cdgh`
            // hold their names again.
            abef = _mm_sha256rnds2_epu32(abef, cdgh, message);
        }
        abef = _mm_add_epi32(abef, savedABEF);
        cdgh = _mm_add_epi32(cdgh, savedCDGH);
    }
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    dcba = _mm_blend_epi16(feba, dchg, 0xF0);
    hgfe = _mm_alignr_epi8(dchg, feba, 8);
    _mm_storeu_si128((__m128i *)&state[0], dcba);
    _mm_storeu_si128((__m128i *)&state[4], hgfe);
}
#endif

static transform_fn chosen_transform(csha256_implementation implementation) {
#ifdef CSHA256_X86
    if (implementation == CSHA256_AUTOMATIC && csha256_has_extensions()) return transform_extensions;
#endif
    (void)implementation;
    return transform_portable;
}

int csha256_has_extensions(void) {
#ifdef CSHA256_X86
    static int cached = -1;  // a benign race: every thread computes the same answer
    int known = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (known >= 0) return known;
    unsigned a, b, c, d;
    int sha = 0, sse41 = 0, ssse3 = 0;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        sse41 = (c >> 19) & 1;
        ssse3 = (c >> 9) & 1;
    }
    if (__get_cpuid_max(0, NULL) >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        sha = (b >> 29) & 1;
    }
    known = sha && sse41 && ssse3;
    __atomic_store_n(&cached, known, __ATOMIC_RELAXED);
    return known;
#else
    return 0;
#endif
}

/// Hashes `length` bytes with `transform`, leaving the state words in `state`.
static void hash_into(transform_fn transform, const uint8_t *data, size_t length, uint32_t state[8]) {
    memcpy(state, INITIAL, sizeof INITIAL);
    size_t full = length / 64;
    if (full > 0) transform(state, data, full);
    size_t rest = length - full * 64;
    uint8_t tail[128];
    memset(tail, 0, sizeof tail);
    if (rest > 0) memcpy(tail, data + full * 64, rest);
    tail[rest] = 0x80;
    size_t tailBlocks = rest + 9 <= 64 ? 1 : 2;
    uint64_t bits = (uint64_t)length * 8;
    for (int i = 0; i < 8; i++) tail[tailBlocks * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
    transform(state, tail, tailBlocks);
}

static void store_digest(const uint32_t state[8], uint8_t out[32]) {
    for (int i = 0; i < 8; i++) store_be32(out + 4 * i, state[i]);
}

/// The second SHA-256 of a double hash: one block, the 32-byte digest plus padding.
static void rehash(transform_fn transform, const uint32_t inner[8], uint8_t out[32]) {
    uint8_t block[64];
    store_digest(inner, block);
    memset(block + 32, 0, 32);
    block[32] = 0x80;
    block[62] = 0x01;  // 256 bits, big-endian in the last 8 bytes
    uint32_t state[8];
    memcpy(state, INITIAL, sizeof INITIAL);
    transform(state, block, 1);
    store_digest(state, out);
}

void csha256_hash(const uint8_t *data, size_t length, uint8_t out[32], csha256_implementation implementation) {
    uint32_t state[8];
    hash_into(chosen_transform(implementation), data, length, state);
    store_digest(state, out);
}

void csha256d_hash(const uint8_t *data, size_t length, uint8_t out[32], csha256_implementation implementation) {
    transform_fn transform = chosen_transform(implementation);
    uint32_t state[8];
    hash_into(transform, data, length, state);
    rehash(transform, state, out);
}

void csha256d_64(const uint8_t in[64], uint8_t out[32], csha256_implementation implementation) {
    transform_fn transform = chosen_transform(implementation);
    uint32_t state[8];
    memcpy(state, INITIAL, sizeof INITIAL);
    transform(state, in, 1);
    // The padding block of a 64-byte message: 0x80, zeros, then 512 as a 64-bit length.
    static const uint8_t padding[64] = {0x80, [62] = 0x02};
    transform(state, padding, 1);
    rehash(transform, state, out);
}
