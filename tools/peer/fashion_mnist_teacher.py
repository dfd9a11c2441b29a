#!/usr/bin/python3
"""PyTorch peer of lathe's teacher training recipe (`lathe train`).

Purpose
-------
`lathe train` trains a teacher MLP on Fashion-MNIST with a fixed recipe and
prints its test accuracy and median epoch time.  This script reproduces that
recipe in PyTorch on the CPU, so that lathe's accuracy and epoch time can be
compared with PyTorch's on the same machine.

Recipe (each item is a command-line flag; the defaults are the recipe):
  data      Fashion-MNIST IDX files from /usr/share/datasets/fashion-mnist
            (Debian package dataset-fashion-mnist), pixels / 255 then
            standardized with mean 0.2860405969887955 and std
            0.35302424451492237, flattened to 784 float32 features.
  model     Flatten, Linear(784,512), ReLU, Dropout(0.1), Linear(512,256),
            ReLU, Dropout(0.1), Linear(256,10); PyTorch's default init,
            torch.manual_seed(seed).
  optimizer AdamW(lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-4).
  schedule  per optimizer step: linear warmup over one epoch of steps, then
            cosine decay to 0 at the last step (LambdaLR; the first batch
            runs at lr 0).
  training  batch 128, reshuffled every epoch (torch.randperm with a
            generator seeded from seed), no drop_last, cross-entropy loss,
            12 epochs.
  timing    each epoch's training loop alone is timed (time.perf_counter);
            test accuracy is measured after each epoch (eval mode, batch 1000).

Usage
-----
  /usr/bin/python3 tools/peer/fashion_mnist_teacher.py --json peer.json
  /usr/bin/python3 tools/peer/fashion_mnist_teacher.py --epochs 2 --limit 10000

Requires only torch and numpy (Debian's python3-torch, python3-numpy).
"""

import argparse
import gzip
import json
import math
import os
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist"
MEAN = 0.2860405969887955
STD = 0.35302424451492237

IDX_IMAGES_MAGIC = 2051  # 0x00000803: unsigned byte, 3 dims
IDX_LABELS_MAGIC = 2049  # 0x00000801: unsigned byte, 1 dim


def find_file(data_dir, name):
    """Return the path of `name`.gz or `name` in data_dir, or exit with a clear error."""
    candidates = [os.path.join(data_dir, name + ".gz"), os.path.join(data_dir, name)]
    for path in candidates:
        if os.path.isfile(path):
            return path
    sys.exit(
        "error: Fashion-MNIST file not found: {} (also tried {}).\n"
        "Install it with `apt-get install dataset-fashion-mnist`, "
        "or pass --data-dir DIR.".format(candidates[0], candidates[1])
    )


def read_idx(path, expected_magic, expected_ndim):
    """Parse an IDX file (optionally gzip-compressed) into a uint8 numpy array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4:
        raise ValueError("{}: too short for an IDX header".format(path))
    (magic,) = struct.unpack(">I", data[:4])
    if magic != expected_magic:
        raise ValueError("{}: bad IDX magic {:#010x}, expected {:#010x}".format(
            path, magic, expected_magic))
    ndim = magic & 0xFF
    if ndim != expected_ndim:
        raise ValueError("{}: {} dims, expected {}".format(path, ndim, expected_ndim))
    header = 4 + 4 * ndim
    dims = struct.unpack(">" + "I" * ndim, data[4:header])
    count = int(np.prod(dims))
    if len(data) - header != count:
        raise ValueError("{}: {} payload bytes, dims {} need {}".format(
            path, len(data) - header, dims, count))
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims)


def load_split(data_dir, prefix):
    images = read_idx(find_file(data_dir, prefix + "-images-idx3-ubyte"), IDX_IMAGES_MAGIC, 3)
    labels = read_idx(find_file(data_dir, prefix + "-labels-idx1-ubyte"), IDX_LABELS_MAGIC, 1)
    if images.shape[0] != labels.shape[0]:
        raise ValueError("{}: {} images but {} labels".format(
            prefix, images.shape[0], labels.shape[0]))
    if images.shape[1:] != (28, 28):
        raise ValueError("{}: images are {}, expected 28x28".format(prefix, images.shape[1:]))
    x = images.reshape(images.shape[0], 784).astype(np.float32) / np.float32(255.0)
    x = (x - np.float32(MEAN)) / np.float32(STD)
    y = labels.astype(np.int64)
    return torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)), torch.from_numpy(y)


def build_model():
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.1),
        nn.Linear(512, 256), nn.ReLU(), nn.Dropout(0.1),
        nn.Linear(256, 10),
    )


def cosine_warmup(warmup, total):
    """Multiplier for LambdaLR: linear warmup then cosine decay to 0."""
    def factor(step):
        if step < warmup:
            return step / warmup
        progress = min(1.0, (step - warmup) / (total - warmup))
        return (1.0 + math.cos(math.pi * progress)) / 2.0
    return factor


@torch.no_grad()
def evaluate(model, x, y, batch):
    model.eval()
    correct = 0
    for i in range(0, x.shape[0], batch):
        logits = model(x[i:i + batch])
        correct += (logits.argmax(dim=1) == y[i:i + batch]).sum().item()
    return correct / x.shape[0]


def parse_args():
    p = argparse.ArgumentParser(description="PyTorch peer of lathe's Fashion-MNIST teacher recipe.")
    p.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--eval-batch", type=int, default=1000)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--beta1", type=float, default=0.9)
    p.add_argument("--beta2", type=float, default=0.999)
    p.add_argument("--eps", type=float, default=1e-8)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--warmup-epochs", type=float, default=1.0,
                   help="warmup length in epochs of steps (default 1)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--limit", type=int, default=0,
                   help="use only the first N training images (0: all)")
    p.add_argument("--json", metavar="FILE", default=None, help="write results as JSON")
    return p.parse_args()


def main():
    args = parse_args()
    if args.epochs < 1 or args.batch < 1 or args.eval_batch < 1 or args.threads < 1:
        sys.exit("error: --epochs, --batch, --eval-batch and --threads must be >= 1")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    x_train, y_train = load_split(args.data_dir, "train")
    x_test, y_test = load_split(args.data_dir, "t10k")
    if args.limit > 0:
        x_train, y_train = x_train[:args.limit], y_train[:args.limit]
    n_train = x_train.shape[0]

    model = build_model()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr,
                                  betas=(args.beta1, args.beta2), eps=args.eps,
                                  weight_decay=args.weight_decay)
    steps_per_epoch = math.ceil(n_train / args.batch)
    total = args.epochs * steps_per_epoch
    warmup = int(round(args.warmup_epochs * steps_per_epoch))
    if total <= warmup:
        sys.exit("error: total steps ({}) must exceed warmup steps ({})".format(total, warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, cosine_warmup(warmup, total))
    gen = torch.Generator()
    gen.manual_seed(args.seed)

    recipe = {
        "dataset": "fashion-mnist", "n_train": n_train, "n_test": x_test.shape[0],
        "normalize_mean": MEAN, "normalize_std": STD,
        "model": "784-512-256-10 relu, dropout 0.1",
        "optimizer": "AdamW", "lr": args.lr, "betas": [args.beta1, args.beta2],
        "eps": args.eps, "weight_decay": args.weight_decay,
        "schedule": "linear warmup + cosine, per step", "warmup_steps": warmup,
        "total_steps": total, "steps_per_epoch": steps_per_epoch,
        "batch": args.batch, "eval_batch": args.eval_batch, "epochs": args.epochs,
        "seed": args.seed, "loss": "cross_entropy",
    }
    print("torch {}  threads {}  train {}  test {}  steps/epoch {}  total steps {}".format(
        torch.__version__, torch.get_num_threads(), n_train, x_test.shape[0],
        steps_per_epoch, total), flush=True)

    epoch_seconds = []
    acc = 0.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        loss_sum = 0.0
        batches = 0
        t0 = time.perf_counter()
        perm = torch.randperm(n_train, generator=gen)
        for i in range(0, n_train, args.batch):
            idx = perm[i:i + args.batch]
            logits = model(x_train[idx])
            loss = F.cross_entropy(logits, y_train[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
            loss_sum += loss.item()
            batches += 1
        seconds = time.perf_counter() - t0
        epoch_seconds.append(seconds)
        acc = evaluate(model, x_test, y_test, args.eval_batch)
        print("epoch {:3d}  train_loss {:.4f}  test_acc {:.4f}  epoch_s {:.3f}".format(
            epoch, loss_sum / batches, acc, seconds), flush=True)

    median = statistics.median(epoch_seconds)
    print("summary: test_accuracy {:.4f}  median_epoch_s {:.3f}  total_train_s {:.3f}  "
          "torch {}  threads {}".format(acc, median, sum(epoch_seconds),
                                        torch.__version__, args.threads), flush=True)
    if args.json:
        result = {
            "test_accuracy": acc,
            "epoch_seconds": epoch_seconds,
            "median_epoch_seconds": median,
            "torch_version": torch.__version__,
            "threads": args.threads,
            "recipe": recipe,
        }
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
