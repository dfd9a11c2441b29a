"""The oracle's former case machinery, kept for the families whose cases still live in Python
(kan.py): an op table with its own attr schema, case(), build() and the fixture writer.
Families migrated to the C++ case list (prims.py, losses.py) go through oracle.py instead."""
import os
import re
import sys

import numpy as np
import torch

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import rng_for, tensor_key, write_op_file  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RTOL, ATOL = 1e-7, 1e-9
INF = float("inf")
REQUIRED = object()

OPS = {}
NOGRAD = {}  # op -> inputs that are constants (buffers, class weights, teachers): never perturbed


class Op:
    def __init__(self, name, inputs, ref, outputs, attrs):
        # inputs: "x", "xs*" (variadic), "bias?" (optional)
        self.name = name
        self.inputs = [(s.rstrip("*?"), s.endswith("*"), s.endswith("?")) for s in inputs.split()]
        self.ref = ref
        self.outputs = outputs.split()
        self.attrs = attrs  # name -> (type, default); default None = depends on the input

    def resolve(self, given):
        """Checks a case's attrs against the schema; returns (attrs as written, all attrs)."""
        written, full = {}, {}
        for k in given:
            assert k in self.attrs, "[%s] unknown attr %r" % (self.name, k)
        for k, (kind, default) in self.attrs.items():
            if k not in given:
                assert default is not REQUIRED, "[%s] attr %r is required" % (self.name, k)
                full[k] = default
                continue
            v = given[k]
            if kind == "float":
                assert isinstance(v, (int, float)) and not isinstance(v, bool), (self.name, k, v)
                v = float(v)
                assert abs(v) != INF and v == v, "[%s] %s: JSON cannot hold %r" % (self.name, k, v)
            elif kind == "int":
                assert isinstance(v, int) and not isinstance(v, bool), (self.name, k, v)
            elif kind == "bool":
                assert isinstance(v, bool), (self.name, k, v)
            elif kind == "string":
                assert isinstance(v, str), (self.name, k, v)
            elif kind == "ints":
                assert all(isinstance(e, int) and not isinstance(e, bool) for e in v), (
                    self.name, k)
                v = list(v)
            written[k] = full[k] = v
        return written, full


def op(names, inputs, ref, outputs="y", **attrs):
    for name in names.split():
        OPS[name] = Op(name, inputs, ref, outputs, attrs)


def f64(v):
    return np.array(v, dtype=np.float64)


# Cases: (op, name, note, make(rng) -> {input: array or [arrays]}, attrs, rtol, atol).

CASES = []


def case(op_name, name, note, make, rtol=RTOL, atol=ATOL, **attrs):
    assert op_name in OPS, op_name
    assert re.fullmatch(r"[a-z0-9_]+", name), name
    assert all(c[0] != op_name or c[1] != name for c in CASES), (op_name, name)
    CASES.append((op_name, name, note, make, attrs, rtol, atol))


def build(op_name, name, note, make, attrs, rtol, atol):
    """Runs one case: returns (meta, {tensor key: array})."""
    spec = OPS[op_name]
    written, A = spec.resolve(attrs)
    given = make(rng_for(op_name, name))
    known = {n for n, _, _ in spec.inputs}
    assert set(given) <= known, "[%s/%s] unknown inputs %s" % (op_name, name, set(given) - known)

    files, meta_in, tensors, leaves = {}, {}, {}, []
    for iname, variadic, optional in spec.inputs:
        if iname not in given:
            assert optional, "[%s/%s] missing input %s" % (op_name, name, iname)
            continue
        if variadic:
            assert isinstance(given[iname], list), "[%s/%s] %s is variadic: give a list" % (
                op_name, name, iname)
        arrays = given[iname] if variadic else [given[iname]]
        ts, meta_in[iname] = [], []
        for i, a in enumerate(arrays):
            a = np.asarray(a)
            assert a.dtype in (np.float64, np.int64, np.bool_), (op_name, name, iname, a.dtype)
            fname = tensor_key(name, "in", iname, i if variadic else None)
            files[fname] = a
            meta_in[iname].append(fname)
            t = torch.from_numpy(a.copy())
            if a.dtype == np.float64:
                t.requires_grad_(True)
                leaves.append((iname, i if variadic else None, t))
            ts.append(t)
        tensors[iname] = ts if variadic else ts[0]

    outs = spec.ref(tensors, A)
    outs = outs if isinstance(outs, tuple) else (outs,)
    assert len(outs) == len(spec.outputs), op_name
    seed_rng = rng_for(op_name, name, "seed")
    meta_out, meta_seed, loss = {}, {}, None
    for oname, o in zip(spec.outputs, outs):
        meta_out[oname] = tensor_key(name, "out", oname)
        files[meta_out[oname]] = o.detach().contiguous().numpy()
        if not o.dtype.is_floating_point:
            continue
        assert torch.isfinite(o).all(), "[%s/%s] non-finite output" % (op_name, name)
        # Seeds hold values the output dtype represents exactly, so a runner may feed them in
        # either dtype and get the same gradient.
        s = torch.from_numpy(seed_rng.normal(size=tuple(o.shape))).to(o.dtype).to(torch.float64)
        meta_seed[oname] = tensor_key(name, "seed", oname)
        files[meta_seed[oname]] = s.numpy()
        if o.requires_grad:
            term = (o.to(torch.float64) * s).sum()
            loss = term if loss is None else loss + term

    meta_grad = {}
    if loss is not None and leaves:
        grads = torch.autograd.grad(loss, [t for _, _, t in leaves], allow_unused=True)
        for (iname, i, _), g in zip(leaves, grads):
            if g is None:
                continue
            fname = tensor_key(name, "grad", iname, i)
            files[fname] = g.numpy()
            meta_grad.setdefault(iname, []).append(fname)

    meta = {"case": name, "attrs": written, "inputs": meta_in,
            "outputs": meta_out, "seeds": meta_seed, "grads": meta_grad,
            "rtol": rtol, "atol": atol, "note": note}
    return meta, files


# Cases that sit on a kink on purpose: finite differences cannot confirm their gradients.
KINKS = {"at_zero", "ties", "ties_all", "ties_descending", "at_bounds"}


def gradcheck(op_name, name, note, make, attrs, rtol, atol):
    """Finite differences against autograd: proves a smooth case really is away from kinks."""
    spec = OPS[op_name]
    _, A = spec.resolve(attrs)
    given = make(rng_for(op_name, name))
    slots, leaves = [], []  # where each float leaf goes back into the input dict
    for iname, variadic, _ in spec.inputs:
        if iname not in given:
            continue
        if iname in NOGRAD.get(op_name, ()):
            continue
        for i, a in enumerate(given[iname] if variadic else [given[iname]]):
            if a.dtype == np.float64:
                slots.append((iname, i if variadic else None))
                leaves.append(torch.from_numpy(np.array(a)).requires_grad_(True))
    if not leaves:
        return True

    def fn(*ts):
        ins = {k: (list(map(torch.from_numpy, v)) if isinstance(v, list)
                   else torch.from_numpy(np.asarray(v))) for k, v in given.items()}
        for (iname, i), t in zip(slots, ts):
            if i is None:
                ins[iname] = t
            else:
                ins[iname][i] = t
        outs = spec.ref(ins, A)
        outs = outs if isinstance(outs, tuple) else (outs,)
        # float32 outputs (cast) are too coarse for differences at eps 1e-6: skipped.
        return tuple(o for o in outs if o.dtype == torch.float64 and o.requires_grad)

    if not fn(*leaves):
        return True
    return torch.autograd.gradcheck(fn, tuple(leaves), eps=1e-6, atol=1e-5, rtol=1e-4,
                                    raise_exception=False)


def doc_ops(path):
    """Op names of the doc's tables: first cell of each row, several names per cell."""
    names = []
    with open(path) as f:
        for line in f:
            cells = line.split("|")
            if not line.startswith("|") or len(cells) < 3:
                continue
            first = cells[1].strip()
            if first == "op" or set(first) <= set("-: "):
                continue
            names += first.split()
    return names


def write_op_fixtures(op_names, out, check=False):
    """Writes every case of op_names to out/<op>.safetensors (the whole file, so stale cases
    go); with check, first proves each smooth case with finite differences.
    Returns op -> count."""
    torch.set_num_threads(1)  # one summation order, whatever the machine
    counts = {}
    for op_name in op_names:
        cases = [c for c in CASES if c[0] == op_name]
        built = []
        for c in cases:
            if check and c[1] not in KINKS and not gradcheck(*c):
                sys.exit("[%s/%s] finite differences disagree with autograd" % c[:2])
            built.append(build(*c))
        write_op_file(os.path.join(out, op_name + ".safetensors"), op_name, built)
        counts[op_name] = len(cases)
    return counts


def fixture_bytes(out, op_names):
    """Total size of the op files of op_names under out."""
    paths = [os.path.join(out, n + ".safetensors") for n in op_names]
    return sum(os.path.getsize(p) for p in paths if os.path.exists(p))
