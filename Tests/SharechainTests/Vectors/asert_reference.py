#!/usr/bin/env python3
"""Independent reference for the share-target schedule (integer ASERT, aserti3-2d
style) described in Docs/PROTOCOL.md. Writes asert_vectors.json:
    python3 asert_reference.py > asert_vectors.json
"""
import json, random

def target_from_bits(bits):
    size, word = bits >> 24, bits & 0x007FFFFF
    return word >> (8 * (3 - size)) if size <= 3 else word << (8 * (size - 3))

def scheduled(anchor_time, anchor_target, parent_height, parent_time, interval, half_life, max_target):
    limit = 1 << 40
    drift = parent_time - anchor_time - interval * parent_height
    drift = max(-limit, min(limit, drift))
    exponent = (drift * 65536) // half_life          # floor division
    shifts, frac = exponent >> 16, exponent & 0xFFFF
    poly = (195766423245049 * frac + 971821376 * frac * frac + 5127 * frac ** 3 + (1 << 47)) % (1 << 64)
    factor = 65536 + (poly >> 48)
    early = anchor_target.bit_length() + 17 > 256
    nxt = (anchor_target >> 16 if early else anchor_target) * factor
    if shifts < 0:
        nxt >>= min(-shifts, 256)
    else:
        if shifts >= 256 or nxt.bit_length() + shifts > 256:
            return max_target
        nxt <<= shifts
    if not early:
        nxt >>= 16
    if nxt == 0:
        return 1
    return min(nxt, max_target)

if __name__ == "__main__":
    rng = random.Random(7)
    cases = []
    for _ in range(300):
        anchor_bits = rng.choice([0x1b00ffff, 0x1d00ffff, 0x1f00ffff, 0x207fffff, 0x1a0fffff, 0x1c123456])
        max_bits = rng.choice([0x207fffff, 0x1f00ffff, 0x1d00ffff])
        interval = rng.choice([2, 10, 30, 600])
        half_life = rng.choice([60, 600, 3600, 172800])
        height = rng.randint(0, 5_000_000)
        anchor_time = rng.randint(1_600_000_000, 1_800_000_000)
        jitter = rng.choice([0, rng.randint(-10**6, 10**6), rng.randint(-10**9, 10**9), rng.randint(-200, 200)])
        parent_time = max(0, anchor_time + interval * height + jitter)
        anchor_target = target_from_bits(anchor_bits)
        max_target = target_from_bits(max_bits)
        out = scheduled(anchor_time, anchor_target, height, parent_time, interval, half_life, max_target)
        cases.append({"anchor_time": anchor_time, "anchor_target": "%064x" % anchor_target, "parent_height": height,
                      "parent_time": parent_time, "interval": interval, "half_life": half_life,
                      "max_target": "%064x" % max_target, "target": "%064x" % out})
    print(json.dumps(cases, indent=0))
