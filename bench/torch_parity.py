#!/usr/bin/python3
"""formbench's `torch` backend against Python PyTorch on the same networks.

A benchmark, not a test: it prints one table and asserts nothing. Each
configuration is measured in its own process on both sides (formbench
measure, and this script re-run with --one), with the same policy: warm-up
until the last three runs are within +-5 % of their median (at least 3, at
most --max-warmup runs), then --runs timed runs of one whole batch; the
median per image is reported. The two sides alternate --rounds times per
configuration, because this machine's speed drifts by tens of percent over
minutes: the ratio is the median of the rounds' ratios.

The Python side is what a PyTorch user writes: torchvision's model with
random weights (weights=None, nothing downloaded), .eval(), torch.no_grad(),
torch.set_num_threads(T), a contiguous NCHW float32 input. It needs Debian's
python3-torch and python3-torchvision (a benchmark-only set-up, never needed
by the build or the tests; docs/backends.md). Run it alone, e.g. under the
CPU lock that the machine's users share:

    bench/torch_parity.py --models mobilenet_v2,resnet50 --batch 1,8
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

# formbench's zoo entries that torchvision defines identically (docs/zoo.md);
# darts, darts_opt and nasnet_a_large have no torchvision counterpart.
TORCHVISION_ZOO = [
    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
    "resnext50_32x4d", "resnext101_32x8d", "mobilenet_v2", "inception_v3",
]
RESOLUTION = {"inception_v3": 299}
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def settled(runs, tolerance=0.05):
    """formbench's warm-up rule (src/measure/statistics.cpp)."""
    if len(runs) < 3:
        return False
    lo, mid, hi = sorted(runs[-3:])
    return lo >= mid * (1 - tolerance) and hi <= mid * (1 + tolerance)


def measure_python(name, batch, threads, runs, max_warmup):
    """One configuration, in this process: prints a JSON object."""
    import torch
    import torchvision

    torch.set_num_threads(threads)
    extra = {"aux_logits": False, "init_weights": True} if name == "inception_v3" else {}
    model = getattr(torchvision.models, name)(weights=None, **extra).eval()
    res = RESOLUTION.get(name, 224)
    x = torch.randn(batch, 3, res, res)

    def once():
        start = time.perf_counter()
        model(x)
        return time.perf_counter() - start

    with torch.no_grad():
        warm = []
        while len(warm) < max_warmup:
            warm.append(once())
            if len(warm) >= 3 and settled(warm):
                break
        times = [once() for _ in range(runs)]
    print(json.dumps({
        "per_image_ms": statistics.median(times) * 1000 / batch,
        "warmup": len(warm),
        "threads": torch.get_num_threads(),
        "version": torch.__version__,
    }))


def run_python(args, name, batch):
    cmd = [sys.executable, os.path.abspath(__file__), "--one", name, str(batch), str(args.threads),
           str(args.runs), str(args.max_warmup)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"the Python measurement of {name} batch {batch} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_formbench(args, name, batch):
    descriptor = f"{name} backend=torch batch={batch} threads={args.threads}"
    # target 1 (the largest): never stop on the CI, i.e. exactly --runs timed runs, as on the Python side.
    cmd = [args.formbench, "measure", descriptor, "--min-runs", str(args.runs), "--min-time", "0",
           "--target", "1", "--max-warmup", str(args.max_warmup), "--max-retries", "0"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"formbench measure failed for '{descriptor}':\n{proc.stderr or proc.stdout}")
    record = json.loads(proc.stdout)
    return {
        "per_image_ms": record["per_image_ms"]["median"],
        "foreign_cpu_pct": record.get("foreign_cpu_pct"),
        "threads": int(record["environment"]["backend_facts"]["torch.threads"]),
    }


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: must be 1 or more")
    return value


def csv_list(text):
    return [t for t in text.split(",") if t]


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        name, batch, threads, runs, max_warmup = sys.argv[2:7]
        measure_python(name, int(batch), int(threads), int(runs), int(max_warmup))
        return
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--formbench", default=os.path.join(REPO, "build", "release", "formbench"))
    p.add_argument("--models", type=csv_list, default=TORCHVISION_ZOO,
                   help="comma-separated; default: the torchvision networks of the zoo")
    p.add_argument("--batch", type=lambda s: [positive(b) for b in csv_list(s)], default=[1, 8])
    p.add_argument("--threads", type=positive, default=2)
    p.add_argument("--runs", type=positive, default=10, help="timed runs per configuration")
    p.add_argument("--max-warmup", type=positive, default=50)
    p.add_argument("--rounds", type=positive, default=3, help="python/formbench alternations per configuration")
    args = p.parse_args()
    unknown = [m for m in args.models if m not in TORCHVISION_ZOO]
    if unknown:
        p.error(f"no torchvision counterpart for {', '.join(unknown)}; choose from {', '.join(TORCHVISION_ZOO)}")
    if not all(importlib.util.find_spec(m) for m in ("torch", "torchvision")):
        sys.exit("needs Debian's python3-torch and python3-torchvision: apt-get install python3-torch "
                 "python3-torchvision, and run this with /usr/bin/python3")
    if not os.access(args.formbench, os.X_OK):
        sys.exit(f"no formbench binary at {args.formbench}: build it (make build) or pass --formbench")

    print(f"# threads={args.threads}, {args.rounds} rounds alternating python/formbench, each {args.runs} timed runs "
          f"after a warm-up of 3..{args.max_warmup} runs until settled (+-5 %); ms per image = median of the rounds' "
          f"medians; fb/py = median of the rounds' ratios; OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')} "
          f"GLIBC_TUNABLES={os.environ.get('GLIBC_TUNABLES', 'unset')}")
    print(f"{'model':<18} {'batch':>5} {'python':>9} {'formbench':>10} {'fb/py':>6} {'threads py/fb':>13}")
    for name in args.models:
        for batch in args.batch:
            py, fb = [], []
            for _ in range(args.rounds):  # alternating, so that a slow spell of the machine hits both sides
                py.append(run_python(args, name, batch))
                fb.append(run_formbench(args, name, batch))
            py_ms = statistics.median(r["per_image_ms"] for r in py)
            fb_ms = statistics.median(r["per_image_ms"] for r in fb)
            ratio = statistics.median(f["per_image_ms"] / p["per_image_ms"] for p, f in zip(py, fb))
            threads = f"{py[0]['threads']}/{fb[0]['threads']}"
            print(f"{name:<18} {batch:>5} {py_ms:>9.2f} {fb_ms:>10.2f} {ratio:>6.2f} {threads:>13}", flush=True)

if __name__ == "__main__":
    main()
