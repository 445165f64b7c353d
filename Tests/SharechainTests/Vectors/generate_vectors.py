#!/usr/bin/env python3
"""Independent re-implementation of Tidepool's coinbase and share encodings.

Writes coinbase.json, share_encoding.json and coinbase_classes.json beside this script. It follows the
layouts written in the doc comments of CoinbaseTemplate / StratumCoinbase and
ShareHeader / WireShare / ShareSummary, not the Swift code, so the Swift tests
that compare against these files check two implementations against each other.
Needs Python 3 and the `cryptography` package (Ed25519 via OpenSSL, not libsodium).

Run: python3 Tests/SharechainTests/Vectors/generate_vectors.py
"""
import hashlib
import json
import os
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization


def sha256d(b):
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()


def compact_size(n):
    if n < 0xFD:
        return bytes([n])
    if n <= 0xFFFF:
        return b"\xfd" + struct.pack("<H", n)
    if n <= 0xFFFFFFFF:
        return b"\xfe" + struct.pack("<I", n)
    return b"\xff" + struct.pack("<Q", n)


def var_bytes(b):
    return compact_size(len(b)) + b


def height_push(h):
    """BIP34 height as Bitcoin Core's `CScript() << nHeight`."""
    if h == 0:
        return b"\x00"
    if 1 <= h <= 16:
        return bytes([0x50 + h])
    num = bytearray()
    while h:
        num.append(h & 0xFF)
        h >>= 8
    if num[-1] & 0x80:
        num.append(0)  # keep the number positive
    return bytes([len(num)]) + bytes(num)


def share_commitment(share_hash):
    return b"\x6a\x24" + b"TDPL" + share_hash


def coinbase_tx(script_sig, payouts, share_hash, witness_commitment):
    """Non-witness serialization and the offset where the extranonces start."""
    outs = [(amount, script) for script, amount in payouts]
    outs.append((0, share_commitment(share_hash)))
    if witness_commitment:
        outs.append((0, witness_commitment))
    tx = struct.pack("<i", 1) + compact_size(1)
    tx += b"\x00" * 32 + struct.pack("<I", 0xFFFFFFFF)
    tx += var_bytes(script_sig) + struct.pack("<I", 0xFFFFFFFF)
    tx += compact_size(len(outs))
    for amount, script in outs:
        tx += struct.pack("<q", amount) + var_bytes(script)
    tx += struct.pack("<I", 0)
    return tx


def merkle_root_from_branch(leaf, branch):
    h = leaf
    for s in branch:
        h = sha256d(h + s)
    return h


def p2wpkh(n):
    return b"\x00\x14" + bytes([n]) * 20


def p2tr(n):
    return b"\x51\x20" + bytes([n]) * 32


WITNESS_COMMITMENT = b"\x6a\x24\xaa\x21\xa9\xed" + sha256d(b"tidepool witness commitment vector")
EN1 = bytes.fromhex("01020304")
EN2 = bytes.fromhex("a1a2a3a4a5a6a7a8")


def coinbase_case(name, height, tag, payouts, share_hash, wc):
    prefix = height_push(height) + tag
    script_sig = prefix + EN1 + EN2
    tx = coinbase_tx(script_sig, payouts, share_hash, wc)
    # coinb1: version, input count, prevout, scriptSig length, height push, tag.
    end1 = 4 + 1 + 36 + len(compact_size(len(script_sig))) + len(prefix)
    coinb1, coinb2 = tx[:end1], tx[end1 + 12:]
    assert coinb1 + EN1 + EN2 + coinb2 == tx
    return {
        "name": name, "height": height, "value": sum(a for _, a in payouts),
        "node_tag": tag.hex(),
        "payouts": [{"script": s.hex(), "amount": a} for s, a in payouts],
        "share_hash": share_hash.hex(), "witness_commitment": wc.hex(),
        "extranonce1": EN1.hex(), "extranonce2": EN2.hex(),
        "script_sig": script_sig.hex(), "coinb1": coinb1.hex(), "coinb2": coinb2.hex(),
        "tx": tx.hex(), "txid": sha256d(tx)[::-1].hex(),
    }


def coinbase_vectors():
    return {"cases": [
        coinbase_case("height 1, one payout, no witness commitment", 1, b"/tidepool/",
                      [(p2wpkh(1), 5_000_000_000)], bytes([0x31]) * 32, b""),
        coinbase_case("height 16, empty tag, two payouts", 16, b"",
                      [(p2wpkh(2), 3_000_000_000), (p2tr(3), 2_000_000_123)], bytes([0x32]) * 32,
                      WITNESS_COMMITMENT),
        coinbase_case("height 17, 20-byte tag, three payouts", 17, b"T" * 20,
                      [(p2wpkh(4), 100), (p2wpkh(5), 50), (p2tr(6), 1)], bytes([0x33]) * 32,
                      WITNESS_COMMITMENT),
        coinbase_case("height 840000, mainnet-sized value", 840_000, b"/tidepool/",
                      [(p2tr(7), 200_000_000), (p2wpkh(8), 112_512_345)], bytes([0x34]) * 32,
                      WITNESS_COMMITMENT),
        coinbase_case("height 0, zero value, no payouts", 0, b"/tp/", [], bytes([0x35]) * 32, b""),
    ]}


def share_vectors():
    seed = bytes([0x01]) * 32
    key = Ed25519PrivateKey.from_private_bytes(seed)
    node_key = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    payout_script = p2wpkh(0xAB)
    consensus_id, prev_share = bytes([0x11]) * 32, bytes([0x22]) * 32
    version, height, bits, timestamp, coinbase_class = 2, 0x01020304, 0x1D00FFFF, 1_700_000_000, 4
    # ShareHeader (version 2): version u32 | consensus_id [32] | prev_share [32] | height u32 | bits u32 |
    #              timestamp u64 | coinbase_class u8 | payout_script varbytes(<= 42) | node_key [32]
    header = (struct.pack("<I", version) + consensus_id + prev_share + struct.pack("<I", height)
              + struct.pack("<I", bits) + struct.pack("<Q", timestamp) + bytes([coinbase_class])
              + var_bytes(payout_script) + node_key)
    share_hash = sha256d(header)
    signing_message = b"tidepool/share/v1" + share_hash
    signature = key.sign(signing_message)

    # The coinbase the share's Bitcoin header commits to, and its merkle path.
    bitcoin_height, coinbase_value = 840_000, 312_512_345
    payouts = [(payout_script, 300_000_000), (p2tr(0xCD), 12_512_345)]
    script_sig = height_push(bitcoin_height) + b"/tidepool/" + EN1 + EN2
    coinbase = coinbase_tx(script_sig, payouts, share_hash, WITNESS_COMMITMENT)
    branch = [sha256d(b"sibling 0"), sha256d(b"sibling 1")]
    merkle_root = merkle_root_from_branch(sha256d(coinbase), branch)
    btc = {"version": 0x20000000, "prev_block": sha256d(b"previous block"),
           "time": 1_700_000_123, "bits": 0x17034219, "nonce": 0xDEADBEEF}
    bitcoin_header = (struct.pack("<i", btc["version"]) + btc["prev_block"] + merkle_root
                      + struct.pack("<I", btc["time"]) + struct.pack("<I", btc["bits"])
                      + struct.pack("<I", btc["nonce"]))
    # WireShare: share_header | signature [64] | bitcoin_header [80] | coinbase_script_sig varbytes |
    #            coinbase_value u64 | witness_commitment varbytes | merkle_branch compact-size x [32]
    wire = (header + signature + bitcoin_header + var_bytes(script_sig) + struct.pack("<Q", coinbase_value)
            + var_bytes(WITNESS_COMMITMENT) + compact_size(len(branch)) + b"".join(branch))
    # ShareSummary: hash [32] | prev [32] | height u32 | bits u32 | timestamp u64 |
    #               payout_script varbytes | sequence u64
    sequence = 42
    summary = (share_hash + prev_share + struct.pack("<I", height) + struct.pack("<I", bits)
               + struct.pack("<Q", timestamp) + var_bytes(payout_script) + struct.pack("<Q", sequence))
    return {
        "seed": seed.hex(), "node_key": node_key.hex(),
        "version": version, "consensus_id": consensus_id.hex(), "prev_share": prev_share.hex(),
        "height": height, "bits": bits, "timestamp": timestamp, "coinbase_class": coinbase_class,
        "payout_script": payout_script.hex(),
        "header_hex": header.hex(), "share_hash": share_hash.hex(),
        "signing_message": signing_message.hex(), "signature": signature.hex(),
        "bitcoin_header": {"version": btc["version"], "prev_block": btc["prev_block"].hex(),
                           "merkle_root": merkle_root.hex(), "time": btc["time"], "bits": btc["bits"],
                           "nonce": btc["nonce"], "hex": bitcoin_header.hex()},
        "script_sig": script_sig.hex(), "coinbase_value": coinbase_value,
        "witness_commitment": WITNESS_COMMITMENT.hex(),
        "payouts": [{"script": s.hex(), "amount": a} for s, a in payouts],
        "coinbase_txid": sha256d(coinbase)[::-1].hex(),
        "merkle_branch": [b.hex() for b in branch],
        "wire_hex": wire.hex(), "sequence": sequence, "summary_hex": summary.hex(),
    }


# Coinbase size classes (Docs/PROTOCOL.md §5): firmware limits -> payout byte budget.
# Our coinbase: coinb1 = 4 version + 1 input count + 36 prevout + 1 scriptSig length
# + <= 5 height push + <= 20 node tag = 67; extranonces 12; coinb2 = 4 sequence + output
# count (1 or 3) + payouts + 47 share commitment + 47 witness commitment + 4 lock time.
MAX_COINB1, EXTRANONCES, COINB2_FIXED = 42 + 5 + 20, 12, 4 + 47 + 47 + 4
MIN_OUTPUT, MAX_OUTPUT, RESERVE = 8 + 1 + 4, 8 + 1 + 42, 43
CLASSES = [  # id, name, coinb1 limit, coinb2 limit, whole limit (None: no limit)
    (1, "bytes255", None, None, 255), (2, "halves384", 384, 384, None), (3, "bytes500", None, None, 500),
    (4, "bytes730", None, None, 730), (5, "bytes2250", None, None, 2250), (6, "bytes6500", None, None, 6500),
    (7, "bytes16000", None, None, 16000),
]


def class_vectors():
    out = []
    for cid, name, l1, l2, lw in CLASSES:
        big = 1 << 62
        max_coinb2 = min(l2 if l2 is not None else big, (lw if lw is not None else big) - MAX_COINB1 - EXTRANONCES)
        count_size = len(compact_size((max_coinb2 - COINB2_FIXED - 1) // MIN_OUTPUT + 2))
        room = max_coinb2 - COINB2_FIXED - count_size
        budget = room - (MAX_OUTPUT - RESERVE)
        paid = budget - RESERVE
        out.append({"id": cid, "name": name, "coinb1_limit": l1, "coinb2_limit": l2, "whole_limit": lw,
                    "max_coinb1": MAX_COINB1, "max_coinb2": max_coinb2, "output_count_size": count_size,
                    "payout_room": room, "payout_budget_bytes": budget, "paid_outputs_bytes": paid,
                    "p2wpkh_paid": paid // 31, "p2tr_paid": paid // 43})
    return {"classes": out}


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for name, data in (("coinbase.json", coinbase_vectors()), ("share_encoding.json", share_vectors()),
                       ("coinbase_classes.json", class_vectors())):
        with open(os.path.join(here, name), "w") as f:
            json.dump(data, f, indent=2)
            f.write("\n")
