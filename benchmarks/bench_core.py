"""Benchmark (not a test): lstm_core's run + backward against torch.nn.LSTM forward + backward.

    python benchmarks/bench_core.py            # N=32, T=100, D=16, H=64, float32, 1 thread
    python benchmarks/bench_core.py --runs 5 --repeats 100

Both are timed in this one process, interleaved repetition by repetition so that any other load on
the machine falls on both alike, with the same number of threads (--threads; numpy's OpenBLAS gets
it through OPENBLAS_NUM_THREADS, set before numpy loads, unless it is already set). One thread by
default, as the notebooks and tests run: with two, OpenBLAS's threads keep spinning after
lstm_core's larger products and slow torch's next backward in this process (seen: 3 -> 7 ms), which
makes the ratio look better than it is. Each run takes the median of its repeats; the script
prints every run's medians, forward and backward apart, then the median over the runs and the
ratio of the totals. Without torch it prints lstm_core's times alone.

Then the breakdown: the same matrix products lstm_core computes (shapes and count as in `run` and
`backward`: the input's share once, h_{t-1} W_hh^T and dz_t W_hh at every step, the three products
over all steps), timed alone in the same way, and what remains of lstm_core's time (element-wise
work and Python). The products are the floor numpy's BLAS puts under the core.
"""
import argparse
import os
import sys
import time


def threads_asked():
    """--threads N from the command line (1 by default), read before numpy loads."""
    args = sys.argv[1:]
    for k, arg in enumerate(args):
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
        if arg == "--threads" and k + 1 < len(args):
            return args[k + 1]
    return "1"


os.environ.setdefault("OPENBLAS_NUM_THREADS", threads_asked())
import numpy as np  # noqa: E402

from lstm_core import LSTMCell  # noqa: E402

OURS, THEIRS = "lstm_core run+backward", "torch.nn.LSTM fwd+bwd"
PRODUCTS = "lstm_core's products alone"
SHORT = {PRODUCTS: "products"}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in (("N", 32), ("T", 100), ("D", 16), ("H", 64), ("threads", 1),
                          ("repeats", 50), ("runs", 5)):
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
        t0 = time.perf_counter()
        trace = cell.run(x)
        t1 = time.perf_counter()
        cell.backward(trace, dh)
        return t0, t1, time.perf_counter()

    H, D, N, T = a.H, a.D, a.N, a.T
    W_ih_T = cell.weight_ih.reshape(4, H, D).transpose(0, 2, 1).copy()
    W_hh_T = cell.weight_hh.reshape(4, H, H).transpose(0, 2, 1).copy()
    h = np.zeros((N, H), np.float32)
    dz = rng.standard_normal((T, N, 4 * H)).astype(np.float32)
    dz_all, h_prev = dz.reshape(T * N, 4 * H), dh.reshape(T * N, H)

    def products():                             # lstm_core's products, nothing else
        t0 = time.perf_counter()
        x[:, None] @ W_ih_T                     # run: the input's share, all steps
        for _ in range(T):
            h @ W_hh_T                          # run: h_{t-1} W_hh^T, every step
        t1 = time.perf_counter()
        for t in range(T):
            dz[t] @ cell.weight_hh              # backward: dz_t W_hh, every step
        dz_all.T @ x.reshape(T * N, D)          # backward: dW_ih, dW_hh, dx
        dz_all.T @ h_prev
        dz @ cell.weight_ih
        return t0, t1, time.perf_counter()

    runs = {OURS: ours, PRODUCTS: products}
    if torch is not None:
        xt, dht = torch.from_numpy(x).requires_grad_(), torch.from_numpy(dh)

        def theirs():
            lstm.zero_grad()
            t0 = time.perf_counter()
            out, _ = lstm(xt)
            t1 = time.perf_counter()
            out.backward(dht)
            return t0, t1, time.perf_counter()
        runs[THEIRS] = theirs

    print(f"N={a.N} T={a.T} D={a.D} H={a.H} float32, {a.threads} threads, {a.runs} runs of "
          f"{a.repeats} repeats, numpy {np.__version__}"
          + (f", torch {torch.__version__}" if torch else ", torch not installed")
          + ", env OMP/OPENBLAS_NUM_THREADS "
          + "/".join(os.environ.get(k, "-") for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"))
          + ", OPENBLAS_CORETYPE/L2_SIZE "
          + "/".join(os.environ.get(k, "-") for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")))
    for fn in runs.values():                        # warm-up
        for _ in range(5):
            fn()
    per_run = {k: [] for k in runs}                 # per run: median (forward, backward, total)
    for r in range(a.runs):
        times = {k: [] for k in runs}
        for _ in range(a.repeats):
            for name, fn in runs.items():
                t0, t1, t2 = fn()
                times[name].append((t1 - t0, t2 - t1, t2 - t0))
        line = []
        for name, t in times.items():
            med = 1e3 * np.median(np.array(t), axis=0)
            per_run[name].append(med)
            line.append(f"{SHORT.get(name, name.split()[0])} {med[2]:6.2f} ms")
        print(f"  run {r + 1}: " + ",  ".join(line))
    med = {k: np.median(np.array(v), axis=0) for k, v in per_run.items()}
    print(f"median over {a.runs} runs:")
    for k, (fwd, bwd, total) in med.items():
        print(f"  {k:26s} {total:7.2f} ms  (forward {fwd:6.2f}, backward {bwd:6.2f})")
    rest = med[OURS] - med[PRODUCTS]
    print(f"  {'lstm_core minus products':26s} {rest[2]:7.2f} ms  (forward {rest[0]:6.2f}, "
          f"backward {rest[1]:6.2f}): element-wise work and Python")
    if torch is not None:
        ratio = med[OURS][2] / med[THEIRS][2]
        print(f"  ratio lstm_core / torch: {ratio:.2f}  "
              f"({'faster or equal' if ratio <= 1 else 'slower'}); "
              f"products alone / torch: {med[PRODUCTS][2] / med[THEIRS][2]:.2f}")


if __name__ == "__main__":
    main()
