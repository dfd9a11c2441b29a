#!/usr/bin/python3
"""PyTorch oracle driver: computes PyTorch references for exactly the C++ test cases.

    /usr/bin/python3 tools/oracle/oracle.py [--only OP[,OP]] [--check] [--build DIR] [--out DIR]

The case list is the C++ one (tests/**, `Case(...)`): `lathe_tests --list-cases --json` prints
every case with its generated inputs and seeds; `lathe ops --json` gives each op's input order,
which inputs are differentiable, its attribute defaults and its outputs. This script keeps only
the reference functions (REFS of the family modules: every module of this folder that defines
REFS, ref(I, A) -> output or tuple, I the input tensors, a list for a variadic input, A every
attr with defaults filled in; a new family adds a module and edits nothing here) and writes
tests/fixtures/oracle/<op>.safetensors for every op that has one (format: README.md).
Output is byte-identical from run to run (torch runs single-threaded)."""
import argparse
import glob
import importlib
import json
import os
import subprocess
import sys

import numpy as np
import torch

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import tensor_key, write_op_file  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def family_modules():
    """The modules of this folder with a REFS table (op name -> reference function)."""
    here = os.path.dirname(os.path.abspath(__file__))
    names = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(here, "*.py")))
    modules = [importlib.import_module(n) for n in names if n not in ("oracle", "common")]
    return [m for m in modules if hasattr(m, "REFS")]


NP_DTYPES = {"f64": np.float64, "f32": np.float32, "i64": np.int64, "i32": np.int32,
             "bool": np.bool_}


def run_json(cmd):
    return json.loads(subprocess.run(cmd, check=True, stdout=subprocess.PIPE).stdout)


def number(v):
    """A JSON number, or "inf" / "-inf" / "nan" (JSON has no such numbers)."""
    return float(v) if isinstance(v, str) else v


def array(t):
    """{"dtype", "shape", "values"} -> numpy array."""
    values = [number(v) for v in t["values"]]
    return np.array(values, dtype=NP_DTYPES[t["dtype"]]).reshape(t["shape"])


def attrs_of(schema, case):
    A = {a["name"]: number(a["default"]) if a["type"] == "float" else a["default"]
         for a in schema["attrs"]}
    floats = {a["name"] for a in schema["attrs"] if a["type"] == "float"}
    for k, v in case["attrs"].items():
        assert k in A, "[%s/%s] unknown attr %s" % (case["op"], case["name"], k)
        A[k] = number(v) if k in floats else v
    return A


def inputs_of(schema, case):
    """Input name -> list of arrays (one for ordinary inputs), in the schema's order."""
    given = {}
    for t in case["inputs"]:
        given.setdefault(t["name"], []).append(array(t))
    for inp in schema["inputs"]:
        n = inp["name"]
        assert inp["optional"] or n in given, "[%s/%s] missing input %s" % (
            case["op"], case["name"], n)
        assert inp["variadic"] or len(given.get(n, [])) <= 1, (case["op"], case["name"], n)
    return given


def torch_inputs(schema, given):
    """(I for ref, leaves [(name, i or None, tensor)]): differentiable float inputs need grad."""
    I, leaves = {}, []
    for inp in schema["inputs"]:
        n = inp["name"]
        if n not in given:
            continue
        ts = []
        for i, a in enumerate(given[n]):
            t = torch.from_numpy(a.copy())
            if inp["differentiable"] and a.dtype == np.float64:
                t.requires_grad_(True)
                leaves.append((n, i if inp["variadic"] else None, t))
            ts.append(t)
        I[n] = ts if inp["variadic"] else ts[0]
    return I, leaves


def build(schema, case, ref):
    """One case: (meta, {tensor key: array})."""
    name, A = case["name"], attrs_of(schema, case)
    given = inputs_of(schema, case)
    files, meta_in = {}, {}
    for inp in schema["inputs"]:
        for i, a in enumerate(given.get(inp["name"], [])):
            key = tensor_key(name, "in", inp["name"], i if inp["variadic"] else None)
            files[key] = a
            meta_in.setdefault(inp["name"], []).append(key)
    I, leaves = torch_inputs(schema, given)
    outs = ref(I, A)
    outs = outs if isinstance(outs, tuple) else (outs,)
    assert len(outs) == len(schema["outputs"]), schema["name"]

    meta_out, meta_seed, loss = {}, {}, None
    for spec, o in zip(schema["outputs"], outs):
        oname = spec["name"]
        if oname not in case["seeds"]:
            continue
        assert torch.isfinite(o).all(), "[%s/%s] non-finite output" % (schema["name"], name)
        s = array(case["seeds"][oname]).astype(np.float64)
        assert s.shape == tuple(o.shape), "[%s/%s] seed of %s" % (schema["name"], name, oname)
        meta_seed[oname] = tensor_key(name, "seed", oname)
        files[meta_seed[oname]] = s
        if o.requires_grad:
            term = (o.to(torch.float64) * torch.from_numpy(s)).sum()
            loss = term if loss is None else loss + term

    meta_grad = {}
    if loss is not None and leaves:
        grads = torch.autograd.grad(loss, [t for _, _, t in leaves], allow_unused=True)
        for (iname, i, _), g in zip(leaves, grads):
            if g is not None:
                key = tensor_key(name, "grad", iname, i)
                files[key] = g.numpy()
                meta_grad.setdefault(iname, []).append(key)
    # Outputs after the backward: state that a custom backward writes in place (power_norm's
    # ema_gz) holds its final value, as the C++ runner sees it.
    for spec, o in zip(schema["outputs"], outs):
        meta_out[spec["name"]] = tensor_key(name, "out", spec["name"])
        files[meta_out[spec["name"]]] = o.detach().contiguous().numpy()

    meta = {"case": name, "attrs": case["attrs"], "inputs": meta_in, "outputs": meta_out,
            "seeds": meta_seed, "grads": meta_grad, "rtol": case["rtol"],
            "atol": case["atol"], "note": case["note"]}
    if "f32" in case:
        meta["f32"], meta["f32_note"] = case["f32"], case["f32_note"]
    return meta, files


def gradcheck(schema, case, ref):
    """Finite differences against autograd: proves that a case not marked as a kink is smooth
    where it samples the reference."""
    A = attrs_of(schema, case)
    I, leaves = torch_inputs(schema, inputs_of(schema, case))
    if not leaves:
        return True

    def fn(*ts):
        ins = {k: (list(v) if isinstance(v, list) else v) for k, v in I.items()}
        for (iname, i, _), t in zip(leaves, ts):
            if i is None:
                ins[iname] = t
            else:
                ins[iname][i] = t
        outs = ref(ins, A)
        outs = outs if isinstance(outs, tuple) else (outs,)
        # float32 outputs (cast) are too coarse for differences at eps 1e-6: skipped.
        return tuple(o for o in outs if o.dtype == torch.float64 and o.requires_grad)

    if not fn(*[t for _, _, t in leaves]):
        return True
    return torch.autograd.gradcheck(fn, tuple(t for _, _, t in leaves), eps=1e-6, atol=1e-5,
                                    rtol=1e-4, raise_exception=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"),
                    help="build tree holding tests/lathe_tests and tools/lathe/lathe")
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "fixtures", "oracle"))
    ap.add_argument("--only", default="", help="comma-separated op names")
    ap.add_argument("--check", action="store_true",
                    help="also compare autograd with finite differences (cases not at a kink)")
    args = ap.parse_args()

    refs = {}
    for family in family_modules():
        for op_name, ref in family.REFS.items():
            assert op_name not in refs, "two references for %s" % op_name
            refs[op_name] = ref
    only = [s for s in args.only.split(",") if s]
    for s in only:
        assert s in refs, "no reference for %r" % s
    wanted = only or sorted(refs)

    lathe = os.path.join(args.build, "tools", "lathe", "lathe")
    tests = os.path.join(args.build, "tests", "lathe_tests")
    schemas = {d["name"]: d for d in run_json([lathe, "ops", "--json"])["ops"]}
    listing = run_json([tests, "--list-cases", "--json"])["cases"]

    torch.set_num_threads(1)  # one summation order, whatever the machine
    total = 0
    for op_name in wanted:
        assert op_name in schemas, "%s is not a registered op" % op_name
        cases = [c for c in listing if c["op"] == op_name and c["oracle"]]
        assert cases, "%s has no oracle case in the C++ case list" % op_name
        built = []
        # A custom backward is not the derivative of the forward: its training cases (the ones
        # not gradchecked in C++) are compared with PyTorch but not with finite differences.
        custom = bool(schemas[op_name]["custom_backward"])
        for c in cases:
            smooth = not c["kink"] and not (custom and not c["gradcheck"])
            if args.check and smooth and not gradcheck(schemas[op_name], c, refs[op_name]):
                sys.exit("[%s/%s] finite differences disagree with autograd" % (op_name, c["name"]))
            built.append(build(schemas[op_name], c, refs[op_name]))
        path = os.path.join(args.out, op_name + ".safetensors")
        write_op_file(path, op_name, built, {"cases_from": "lathe_tests --list-cases"})
        total += os.path.getsize(path)
        print("%-22s %d" % (op_name, len(cases)))
    print("%d ops, %d bytes in %s" % (len(wanted), total, args.out))


if __name__ == "__main__":
    main()
