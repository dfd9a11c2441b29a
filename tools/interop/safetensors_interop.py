#!/usr/bin/env python3
"""safetensors interop between lathe and PyTorch (run with Debian's /usr/bin/python3).

  safetensors_interop.py fixture OUT.safetensors
      Writes the canonical tensors with the `safetensors` package (metadata producer "python").
      This made tests/fixtures/safetensors/python.safetensors, which the C++ unit tests load.
  safetensors_interop.py check FILE [--producer lathe]
      Loads FILE into PyTorch and checks it holds the canonical tensors.
  safetensors_interop.py test --tool PATH --work DIR [--venv DIR]
      The CTest test: `PATH write` writes a file that PyTorch must load, and PyTorch writes a
      file that `PATH check` must load. Without torch it prints SKIP and exits 77 (CTest's skip).

Files are read and written by the `safetensors` package (safetensors.torch) when Python has it.
When it does not and --venv is given, the test makes that virtual environment (with the system
site packages, so Debian's torch is seen) and pip-installs safetensors there; when that fails
too (no network, no venv module), it reads and writes the format with the few lines of
`Format` below and says so.

The canonical tensors must match tests/interop/safetensors_canonical.h.
"""
import argparse
import json
import os
import struct
import subprocess
import sys

SKIP = 77


def canonical():
    import torch

    k = torch.arange(6)
    f = ((k.double() - 2.5) * 0.75).reshape(2, 3)
    return {
        "f32": f.float(),
        "f64": f,
        "f16": f.half(),
        "bf16": f.bfloat16(),
        "i32": (k * 1000003 - 2000000).int().reshape(2, 3),
        "i64": ((k - 3) * 2**40 + k).reshape(2, 3),
        "bool": (k % 3 == 0).reshape(2, 3),
        "scalar": torch.tensor(3.25, dtype=torch.float64),
        "empty": torch.zeros(0, 4),
        "block.0.weight": torch.arange(4, dtype=torch.float32) * 0.5,
    }


def metadata(producer):
    return {"format": "pt", "producer": producer}


class Package:
    """The `safetensors` package: the implementation everyone else uses."""

    name = "the safetensors package"

    @staticmethod
    def save(tensors, path, meta):
        from safetensors.torch import save_file
        save_file(tensors, path, metadata=meta)

    @staticmethod
    def load(path):
        from safetensors import safe_open
        with safe_open(path, framework="pt") as f:
            return {name: f.get_tensor(name) for name in f.keys()}, f.metadata() or {}


class Format:
    """The format written out (https://github.com/huggingface/safetensors, "Format"), for
    machines without the package: 8-byte little-endian header length, a JSON header padded with
    spaces to a multiple of 8, then each tensor's bytes, largest elements first, then by name."""

    name = "this script's own reader and writer"

    @staticmethod
    def dtypes():
        import torch
        return {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16,
                "BF16": torch.bfloat16, "I64": torch.int64, "I32": torch.int32,
                "BOOL": torch.bool}

    @staticmethod
    def save(tensors, path, meta):
        import torch
        names = {v: k for k, v in Format.dtypes().items()}
        header, blobs, offset = {"__metadata__": meta}, [], 0
        for name, t in sorted(tensors.items(), key=lambda kv: (-kv[1].element_size(), kv[0])):
            data = t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()
            header[name] = {"dtype": names[t.dtype], "shape": list(t.shape),
                            "data_offsets": [offset, offset + len(data)]}
            blobs.append(data)
            offset += len(data)
        text = json.dumps(header, separators=(",", ":")).encode()
        text += b" " * (-len(text) % 8)
        with open(path, "wb") as f:
            f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))

    @staticmethod
    def load(path):
        import torch
        with open(path, "rb") as f:
            raw = f.read()
        (n,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + n])
        meta = header.pop("__metadata__", {})
        data = raw[8 + n:]
        tensors = {}
        for name, info in header.items():
            begin, end = info["data_offsets"]
            dtype = Format.dtypes()[info["dtype"]]
            if begin == end:
                tensors[name] = torch.empty(info["shape"], dtype=dtype)
            else:
                flat = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype)
                tensors[name] = flat.reshape(info["shape"])
        return tensors, meta


def check_file(path, producer, io):
    """What is wrong with the file lathe wrote, as a list (empty when it is right)."""
    want = canonical()
    problems = []
    tensors, meta = io.load(path)
    if meta != metadata(producer):
        problems.append(f"metadata {meta}, expected {metadata(producer)}")
    if sorted(tensors) != sorted(want):
        problems.append(f"tensor names {sorted(tensors)}, expected {sorted(want)}")
    for name, w in want.items():
        g = tensors.get(name)
        if g is not None and (g.dtype != w.dtype or g.shape != w.shape or not g.equal(w)):
            problems.append(f"{name}: got {g.dtype} {list(g.shape)} {g.flatten().tolist()}, "
                            f"expected {w.dtype} {list(w.shape)} {w.flatten().tolist()}")
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
    if (8 + n) % 8 != 0:
        problems.append(f"the data starts at byte {8 + n}, not 8-byte aligned")
    return problems


def have(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def enter_venv(venv, argv):
    """Re-runs this script in `venv` (made and filled when needed) when safetensors can be had
    there; returns when it cannot, saying why."""
    python = os.path.join(venv, "bin", "python")
    probe = [python, "-c", "import torch, safetensors.torch"]
    if os.path.exists(python) and subprocess.run(probe, capture_output=True).returncode == 0:
        os.execv(python, [python, os.path.abspath(__file__)] + argv + ["--in-venv"])
    print(f"making {venv}: python3 -m venv --system-site-packages; pip install safetensors")
    steps = [[sys.executable, "-m", "venv", "--clear", "--system-site-packages", venv],
             [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              "--retries", "1", "--timeout", "20", "safetensors"],
             probe]
    for step in steps:
        try:
            r = subprocess.run(step, capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as e:
            print(f"cannot set up the safetensors package ({' '.join(step[:4])}): {e}")
            return
        if r.returncode != 0:
            tail = (r.stderr or r.stdout).strip().splitlines()[-2:]
            print(f"cannot set up the safetensors package ({' '.join(step[:4])}): "
                  + " | ".join(tail))
            return
    os.execv(python, [python, os.path.abspath(__file__)] + argv + ["--in-venv"])


def run_test(args, argv):
    if not have("torch"):
        print(f"SKIP: {sys.executable} has no torch (apt-get install python3-torch)")
        sys.exit(SKIP)
    if not have("safetensors.torch") and args.venv and not args.in_venv:
        enter_venv(args.venv, argv)
    import torch
    io = Package if have("safetensors.torch") else Format
    version = f" {__import__('safetensors').__version__}" if io is Package else ""
    print(f"torch {torch.__version__}; files read and written by {io.name}{version}")
    os.makedirs(args.work, exist_ok=True)
    failed = False

    lathe_file = os.path.join(args.work, "lathe.safetensors")
    r = subprocess.run([args.tool, "write", lathe_file], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"FAIL: {args.tool} write: {r.stderr.strip()}")
        failed = True
    else:
        problems = check_file(lathe_file, "lathe", io)
        for p in problems:
            print(f"FAIL: lathe -> PyTorch: {p}")
        failed |= bool(problems)
        if not problems:
            print("lathe -> PyTorch: every tensor and the metadata match")

    python_file = os.path.join(args.work, "python.safetensors")
    io.save(canonical(), python_file, metadata("python"))
    r = subprocess.run([args.tool, "check", python_file], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"FAIL: PyTorch -> lathe: {(r.stderr or r.stdout).strip()}")
        failed = True
    else:
        print("PyTorch -> lathe: every tensor and the metadata match")
    sys.exit(1 if failed else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("fixture")
    p.add_argument("out")
    p = sub.add_parser("check")
    p.add_argument("file")
    p.add_argument("--producer", default="lathe")
    p = sub.add_parser("test")
    p.add_argument("--tool", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--venv")
    p.add_argument("--in-venv", action="store_true", help=argparse.SUPPRESS)
    argv = sys.argv[1:]
    args = parser.parse_args(argv)
    if args.cmd == "fixture":
        Package.save(canonical(), args.out, metadata("python"))
    elif args.cmd == "check":
        problems = check_file(args.file, args.producer,
                              Package if have("safetensors.torch") else Format)
        for p in problems:
            print(p)
        sys.exit(1 if problems else 0)
    else:
        run_test(args, argv)


if __name__ == "__main__":
    main()
