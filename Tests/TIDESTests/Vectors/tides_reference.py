#!/usr/bin/env python3
"""Independent reference implementation of the TIDES split (Docs/TIDES.md §1), written
from the rule's text with Python's unbounded integers. It generates
`tides_vectors.json`, which the Swift tests replay through `tidepool tides`'s code
path. Regenerate with:  python3 tides_reference.py > tides_vectors.json  (in Tests/TIDESTests/Vectors)
"""
import hashlib, json, random

def sha256d(b):
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()

def target_from_bits(bits):
    size = bits >> 24
    word = bits & 0x007FFFFF
    if word and bits & 0x00800000:
        raise ValueError("negative")
    if word and (size > 34 or (word > 0xFF and size > 33) or (word > 0xFFFF and size > 32)):
        raise ValueError("overflow")
    value = word >> (8 * (3 - size)) if size <= 3 else word << (8 * (size - 3))
    if value == 0:
        raise ValueError("zero")
    return value

def work(target):
    return (1 << 256) // (target + 1)

def out_size(script_hex):
    n = len(script_hex) // 2
    cs = 1 if n < 0xFD else 3 if n <= 0xFFFF else 5
    return 8 + cs + n

def tides(inp):
    V = inp["reward"]
    mult = inp.get("window_multiplier", 8)
    dust = inp.get("dust_limit", 546)
    budget = inp.get("payout_budget_bytes", 500)
    Z = mult * work(target_from_bits(int(inp["network_bits"], 16)))
    credited, per = 0, {}
    for s in inp["shares"]:
        if credited >= Z:
            break
        c = min(work(target_from_bits(int(s["bits"], 16))), Z - credited)
        per[s["script"]] = per.get(s["script"], 0) + c
        credited += c
    W = sum(per.values())
    amounts = {p: V * w // W for p, w in per.items()}
    left = V - sum(amounts.values())
    for p in sorted(per, key=lambda p: (-(V * per[p] % W), bytes.fromhex(p)))[:left]:
        amounts[p] += 1
    order = sorted(amounts, key=lambda p: (-amounts[p], bytes.fromhex(p)))
    limit, used, cut = budget - 43, 0, len(order)
    for i, p in enumerate(order):
        if amounts[p] < dust or used + out_size(p) > limit:
            cut = i
            break
        used += out_size(p)
    paid, lottery = order[:cut], order[cut:]
    pool = sum(amounts[p] for p in lottery)
    winner = None
    if pool > 0:
        r = int.from_bytes(sha256d(bytes.fromhex(inp["lottery_seed"])), "little") % pool
        run = 0
        for p in lottery:
            run += amounts[p]
            if run > r:
                winner = p
                break
    outputs = [{"script": p, "amount": amounts[p]} for p in paid]
    if winner is not None:
        outputs.append({"script": winner, "amount": pool})
    return {"outputs": outputs, "window_work": str(W), "lottery": {"pool": pool, "winner": winner}}

def bits_of(target):
    size = (target.bit_length() + 7) // 8
    compact = target << (8 * (3 - size)) if size <= 3 else target >> (8 * (size - 3))
    if compact & 0x00800000:
        compact >>= 8
        size += 1
    return "%08x" % (compact | size << 24)

def random_case(rng):
    scripts = []
    for _ in range(rng.randint(1, 24)):
        kind = rng.choice(["0014", "0020", "5120", "76a914", "a914"])
        n = {"0014": 20, "0020": 32, "5120": 32, "76a914": 20, "a914": 20}[kind]
        tail = {"76a914": "88ac", "a914": "87"}.get(kind, "")
        scripts.append(kind + rng.randbytes(n).hex() + tail)
    net_target = rng.randint(1 << 200, 1 << 230)
    shares = []
    for _ in range(rng.randint(1, 80)):
        # Share targets from "as hard as the network" to 2^16 times easier.
        t = min(net_target << rng.randint(0, 16), (1 << 255) - 1)
        t = t - rng.randint(0, t >> 8)
        shares.append({"script": rng.choice(scripts), "bits": bits_of(t)})
    case = {
        "reward": rng.choice([rng.randint(0, 21_000_000 * 10**8), rng.randint(0, 10_000), 312_500_000, 625_000_000]),
        "network_bits": bits_of(net_target),
        "lottery_seed": rng.randbytes(32).hex(),
        "shares": shares,
    }
    if rng.random() < 0.7:
        case["window_multiplier"] = rng.randint(1, 8)
    if rng.random() < 0.7:
        case["dust_limit"] = rng.choice([0, 1, 294, 546, 10_000, 10**8])
    if rng.random() < 0.7:
        case["payout_budget_bytes"] = rng.choice([0, 42, 43, 74, 100, 300, 500, 600, 1000, 4000])
    return case

if __name__ == "__main__":
    rng = random.Random(20261121)
    cases = []
    for _ in range(200):
        case = random_case(rng)
        cases.append({"input": case, "output": tides(case)})
    print(json.dumps(cases, separators=(",", ":")))
