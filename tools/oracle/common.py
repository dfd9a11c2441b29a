"""Shared pieces of the oracle: the fixture writer, seeded input generators, and a numpy Philox
that reproduces backends/philox.h bit for bit (dropout fixtures depend on it)."""
import json
import os
import struct
import zlib

import numpy as np

MAX_ELEMENTS = 64  # fixtures stay small enough to read in a diff

# ---------------------------------------------------------------------------------------------
# Philox4x32-10, vectorized over counters. Words live in uint64 so that the 32x32 -> 64 products
# are exact and additions can be masked instead of relying on (warning-prone) uint32 wraparound.

_M0, _M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
_W0, _W1 = np.uint64(0x9E3779B9), np.uint64(0xBB67AE85)
_LO = np.uint64(0xFFFFFFFF)
_32 = np.uint64(32)


def philox4x32_10(ctr, key):
    """ctr: [..., 4] words, key: [2] words -> [..., 4] uint32."""
    ctr = np.asarray(ctr, dtype=np.uint64)
    key = np.asarray(key, dtype=np.uint64)
    c0, c1, c2, c3 = (ctr[..., i] for i in range(4))
    k0, k1 = key[0], key[1]
    for _ in range(10):
        p0 = _M0 * c0
        p1 = _M1 * c2
        c0, c1, c2, c3 = (p1 >> _32) ^ c1 ^ k0, p1 & _LO, (p0 >> _32) ^ c3 ^ k1, p0 & _LO
        k0 = (k0 + _W0) & _LO
        k1 = (k1 + _W1) & _LO
    return np.stack([c0, c1, c2, c3], axis=-1).astype(np.uint32)


def _check_philox():
    # Known-answer vectors of the Random123 distribution (kat_vectors, philox4x32_10).
    kat = [
        ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
        ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
        ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
         (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
    ]
    for ctr, key, want in kat:
        got = tuple(int(w) for w in philox4x32_10(ctr, key))
        assert got == want, "philox KAT failed: %s -> %s" % (ctr, [hex(w) for w in got])


_check_philox()


def philox_words(seed, offset, n):
    """r[0..3] for elements k = 0..n-1 of a draw: counter c = offset + k, key from the seed."""
    c = np.uint64(offset) + np.arange(n, dtype=np.uint64)
    zero = np.zeros(n, dtype=np.uint64)
    ctr = np.stack([c & _LO, c >> _32, zero, zero], axis=-1)
    key = np.array([seed & 0xFFFFFFFF, (seed >> 32) & 0xFFFFFFFF], dtype=np.uint64)
    return philox4x32_10(ctr, key).astype(np.uint64)


def _u53(hi, lo):
    return ((hi << _32 | lo) >> np.uint64(11)).astype(np.float64) * 2.0**-53


def rand_uniform(seed, offset, shape, bits=53, a=0.0, b=1.0):
    """backend.h rand UNIFORM: 53 bits for f64 outputs, 24 for f32/f16/bf16; float64 result
    (round it to the output dtype yourself)."""
    n = int(np.prod(shape, dtype=np.int64))
    r = philox_words(seed, offset, n)
    if bits == 53:
        u = _u53(r[:, 0], r[:, 1])
    elif bits == 24:
        u = (r[:, 0] >> np.uint64(8)).astype(np.float64) * 2.0**-24
    else:
        raise ValueError("bits must be 53 or 24")
    return (a + (b - a) * u).reshape(shape)


def rand_normal(seed, offset, shape, a=0.0, b=1.0):
    """backend.h rand NORMAL: Box-Muller on one draw per element."""
    n = int(np.prod(shape, dtype=np.int64))
    r = philox_words(seed, offset, n)
    u1 = 1.0 - _u53(r[:, 0], r[:, 1])
    u2 = _u53(r[:, 2], r[:, 3])
    return (a + b * np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)).reshape(shape)


# ---------------------------------------------------------------------------------------------
# Seeded inputs. Each case gets its own generator keyed by its name, so adding or editing one
# case never changes the bytes of another.

def rng_for(*names):
    return np.random.default_rng(zlib.crc32("/".join(names).encode()))


def normal(rng, shape, scale=1.0):
    return rng.normal(0.0, scale, size=shape)


def uniform(rng, shape, lo, hi):
    return rng.uniform(lo, hi, size=shape)


# ---------------------------------------------------------------------------------------------
# Fixture files.

def tensor_key(case, kind, name, i=None):
    """A tensor's name in an op's fixture file: <case>/<kind>.<name>[.<i>] (kind: in, out,
    seed, grad; i for an element of a variadic input)."""
    return "%s/%s.%s" % (case, kind, name) + ("" if i is None else ".%d" % i)


_SAFETENSORS_DTYPES = {"float64": "F64", "float32": "F32", "int64": "I64", "int32": "I32",
                       "bool": "BOOL"}


def safetensors_bytes(tensors, metadata):
    """A safetensors file as bytes, with nothing but struct and json. Tensors are laid out by
    decreasing element size, then by name (as lathe's writer does); the header's keys are
    sorted and it is padded with spaces to a multiple of 8, so the same input gives the same
    bytes."""
    order = sorted(tensors, key=lambda n: (-np.asarray(tensors[n]).dtype.itemsize, n))
    header, chunks, offset = {}, [], 0
    for name in order:
        a = np.array(tensors[name], order="C")
        dtype = _SAFETENSORS_DTYPES[a.dtype.name]
        data = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header["__metadata__"] = metadata
    text = json.dumps(header, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def write_op_file(path, op_name, cases, metadata=None):
    """One op's fixture file: cases is a list of (meta, {tensor key: array}), in case order.
    The metadata holds "op", "cases" (the metas as one JSON array: safetensors metadata values
    are strings) and the strings of `metadata`."""
    tensors = {}
    for meta, arrays in cases:
        for key, arr in arrays.items():
            assert arr.size <= MAX_ELEMENTS, "%s: %s has %d elements (max %d)" % (
                path, key, arr.size, MAX_ELEMENTS)
            assert key.startswith(meta["case"] + "/") and key not in tensors, (path, key)
            tensors[key] = arr
    metas = json.dumps([m for m, _ in cases], sort_keys=True, separators=(",", ":"),
                       allow_nan=False)
    data = safetensors_bytes(tensors, dict(metadata or {}, op=op_name, cases=metas))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def write_group(path, cases):
    """A group of fixtures in one file: cases is name -> (meta, {name: array}); tensors
    <case>/<name>, the metas as a JSON object case -> meta under the metadata key "cases"
    (tests/support/fixture_group.h reads it)."""
    tensors = {"%s/%s" % (case, name): a
               for case, (_, arrays) in cases.items() for name, a in arrays.items()}
    metas = json.dumps({case: meta for case, (meta, _) in cases.items()}, sort_keys=True,
                       separators=(",", ":"), allow_nan=False)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(safetensors_bytes(tensors, {"cases": metas}))


def module_fixture_main(doc, cases, filename):
    """The command line of the module-fixture scripts (models*.py, layer_modules.py): builds
    every case of cases (name -> function returning (meta, arrays)) on one torch thread and
    writes them as one group file, tests/fixtures/models/<filename> unless --out DIR."""
    import argparse
    import torch
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(root, "tests", "fixtures", "models"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    built = {name: make() for name, make in cases.items()}
    write_group(os.path.join(args.out, filename), built)
    width = max(len(name) for name in built)
    for name, (_, arrays) in built.items():
        print("%-*s %d tensors" % (width, name, len(arrays)))
