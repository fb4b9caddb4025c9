"""Benchmark (not a test): lstm_core's run + backward against torch.nn.LSTM forward + backward.

    python benchmarks/bench_core.py            # N=32, T=100, D=16, H=64, float32, 2 threads

Both are timed in this one process, interleaved repetition by repetition so that any other load on
the machine falls on both alike; it prints the median of each and their ratio. Without torch it
prints lstm_core's time alone.
"""
import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import numpy as np  # noqa: E402

from lstm_core import LSTMCell  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in (("N", 32), ("T", 100), ("D", 16), ("H", 64), ("threads", 2), ("repeats", 50)):
        p.add_argument(f"--{name}", type=int, default=default)
    a = p.parse_args()
    try:
        import torch
        torch.set_num_threads(a.threads)
        lstm = torch.nn.LSTM(a.D, a.H)             # float32, PyTorch's default initialisation
        params = [q.detach().numpy() for q in lstm.parameters()]
    except ImportError:
        torch = None
        rng0 = np.random.default_rng(1)
        k = 1 / np.sqrt(a.H)
        params = [rng0.uniform(-k, k, s).astype(np.float32)
                  for s in ((4 * a.H, a.D), (4 * a.H, a.H), (4 * a.H,), (4 * a.H,))]
    cell = LSTMCell.from_torch(*params)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((a.T, a.N, a.D)).astype(np.float32)
    dh = rng.standard_normal((a.T, a.N, a.H)).astype(np.float32)

    def ours():
        cell.backward(cell.run(x), dh)

    runs = {"lstm_core run+backward": ours}
    if torch is not None:
        xt, dht = torch.from_numpy(x).requires_grad_(), torch.from_numpy(dh)

        def theirs():
            lstm.zero_grad()
            out, _ = lstm(xt)
            out.backward(dht)
        runs["torch.nn.LSTM fwd+bwd"] = theirs

    times = {k: [] for k in runs}
    for _ in range(5):                              # warm-up
        for fn in runs.values():
            fn()
    for _ in range(a.repeats):
        for name, fn in runs.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)

    print(f"N={a.N} T={a.T} D={a.D} H={a.H} float32, {a.threads} threads, {a.repeats} repeats, "
          f"numpy {np.__version__}" + (f", torch {torch.__version__}" if torch else ", torch not installed")
          + f", OMP/OPENBLAS threads env: {os.environ.get('OMP_NUM_THREADS', '-')}/{os.environ.get('OPENBLAS_NUM_THREADS', '-')}")
    med = {k: 1e3 * float(np.median(v)) for k, v in times.items()}
    for k, m in med.items():
        print(f"  {k:24s} median {m:7.2f} ms")
    if torch is not None:
        ratio = med["lstm_core run+backward"] / med["torch.nn.LSTM fwd+bwd"]
        print(f"  ratio lstm_core / torch: {ratio:.2f}  ({'faster or equal' if ratio <= 1 else 'slower'})")


if __name__ == "__main__":
    main()
