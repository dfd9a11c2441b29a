#!/usr/bin/env python3
"""The distillation results table: per seed, one teacher trained by `lathe train`, then the
KAN student trained from it with each objective (and alone, `--objective none`), on
Fashion-MNIST for a fixed budget; writes TABLE.md and TABLE.csv (mdistiller-style: mean +- std
test accuracy over the seeds, the gain over the student alone, median student epoch time).

Every student of a seed distills the same teacher: the teacher's run folder (config.json,
metrics.jsonl, teacher.safetensors) is copied to each objective's run, and `lathe train
--resume` there finds the teacher finished and trains only the student. Rows are comparable:
same teacher, same student initialization, same batches; only the objective differs.

  tools/distill/distill_table.py --lathe build/tools/lathe/lathe --out docs/distill-table \
      --seeds 0,1,2 --teacher-epochs 4 --student-epochs 4 -- --threads 2

An objective is NAME or NAME:K=V:K=V (its --objective-attr settings); the arguments after `--`
go to every `lathe train` (e.g. --teacher cnn, --limit N, --threads N). Standard library only.
"""
import argparse
import csv
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys

DEFAULT_OBJECTIVES = [
    "none",
    "kd_kl_loss",
    "dkd_loss:alpha=1:beta=8",  # mdistiller's CIFAR-100 settings
    "fitnet_hint_loss",
    "rkd_loss",
    "pkt_loss",
    "similarity_preserving_loss",
]


def run(cmd, log):
    with open(log, "a") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        r = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        sys.exit("distill_table: `%s` failed (exit %d); see %s" % (" ".join(cmd), r.returncode, log))


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %d cores visible, %s %s" % (cpu, os.cpu_count() or 0, platform.system(),
                                            platform.release())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lathe", default="build/tools/lathe/lathe")
    ap.add_argument("--out", default="distill-table", help="writes OUT.md and OUT.csv")
    ap.add_argument("--runs-dir", default="runs/distill-table")
    ap.add_argument("--objectives", default=",".join(DEFAULT_OBJECTIVES))
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--teacher-epochs", type=int, default=4)
    ap.add_argument("--student-epochs", type=int, default=4)
    ap.add_argument("train_args", nargs="*", help="after --: more `lathe train` flags")
    a = ap.parse_args()
    objectives = [o for o in a.objectives.split(",") if o]
    seeds = [int(s) for s in a.seeds.split(",") if s]
    if "none" not in [o.split(":")[0] for o in objectives]:
        sys.exit("distill_table: --objectives must include none (the student trained alone)")
    os.makedirs(a.runs_dir, exist_ok=True)
    log = os.path.join(a.runs_dir, "log.txt")
    base = [a.lathe, "train", "--quiet", "--runs-dir", a.runs_dir] + a.train_args

    rows = []  # (objective, attrs, seed, accuracy, test CE, median epoch s, teacher accuracy)
    for seed in seeds:
        teacher = "teacher-seed%d" % seed
        run(base + ["--name", teacher, "--overwrite", "--seed", str(seed), "--teacher-epochs",
                    str(a.teacher_epochs), "--student-epochs", "0"], log)
        with open(os.path.join(a.runs_dir, teacher, "summary.json")) as f:
            teacher_acc = json.load(f)["teacher"]["test_accuracy"]
        for spec in objectives:
            name, *attrs = spec.split(":")
            rundir = os.path.join(a.runs_dir, "%s-seed%d" % (name, seed))
            shutil.rmtree(rundir, ignore_errors=True)
            os.makedirs(rundir)
            for f in ("config.json", "metrics.jsonl", "teacher.safetensors"):
                shutil.copy(os.path.join(a.runs_dir, teacher, f), rundir)
            cmd = base + ["--name", os.path.basename(rundir), "--resume", "--objective", name,
                          "--student-epochs", str(a.student_epochs)]
            for kv in attrs:
                cmd += ["--objective-attr", kv]
            run(cmd, log)
            with open(os.path.join(rundir, "summary.json")) as f:
                s = json.load(f)["student"]
            rows.append((name, " ".join(attrs), seed, s["test_accuracy"], s["test_cross_entropy"],
                         s["median_epoch_seconds"], teacher_acc))
            print("seed %d %-28s acc %.4f" % (seed, spec, s["test_accuracy"]), flush=True)

    with open(a.out + ".csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["objective", "attrs", "seed", "test_accuracy", "test_cross_entropy",
                    "median_epoch_seconds", "teacher_test_accuracy"])
        w.writerows(rows)

    def stats(name):
        acc = [100 * r[3] for r in rows if r[0] == name]
        sd = statistics.stdev(acc) if len(acc) > 1 else 0.0
        return statistics.mean(acc), sd, acc

    alone, _, _ = stats("none")
    teachers = sorted({(r[2], r[6]) for r in rows})
    t_acc = [100 * t for _, t in teachers]
    lines = [
        "# Distillation on Fashion-MNIST: KAN student, %s teacher" %
        ("CNN" if "cnn" in a.train_args else "MLP"),
        "",
        "Made by `%s`" % " ".join(["tools/distill/distill_table.py"] + sys.argv[1:]),
        "on %s. Test accuracy (%%) of the student, mean +- std over seeds %s; each seed trains "
        "one teacher (%d epochs; test accuracy %.2f +- %.2f) and every student from it "
        "(%d epochs). Loss: alpha objective + (1 - alpha) cross-entropy (lathe train's "
        "defaults unless the flags above say otherwise); `none` is the student trained alone." %
        (machine(), a.seeds, a.teacher_epochs, statistics.mean(t_acc),
         statistics.stdev(t_acc) if len(t_acc) > 1 else 0.0, a.student_epochs),
        "",
        "| objective | attributes | test accuracy | vs alone | median epoch (s) | NaN |",
        "|---|---|---|---|---|---|",
    ]
    for spec in objectives:
        name, *attrs = spec.split(":")
        mean, sd, acc = stats(name)
        epoch = statistics.median([r[5] for r in rows if r[0] == name])
        nan = any(math.isnan(r[3]) or math.isnan(r[4]) for r in rows if r[0] == name)
        gain = "" if name == "none" else "%+.2f" % (mean - alone)
        lines.append("| %s | %s | %.2f +- %.2f | %s | %.2f | %s |" %
                     (name, " ".join(attrs) or "defaults", mean, sd, gain, epoch,
                      "yes" if nan else "no"))
    with open(a.out + ".md", "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %s.md and %s.csv" % (a.out, a.out))


if __name__ == "__main__":
    main()
