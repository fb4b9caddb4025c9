"""Train the two shipped character models; write lstm_classroom/data/char_lstm.npz, char_rnn.npz.

    python scripts/train_char_model.py              # both: 2 to 4 minutes (see below)
    python scripts/train_char_model.py --only lstm  # one of them

How long it takes, measured on the 2-core machine this was written on, one BLAS thread: 247 s and
301 s wall-clock in two runs while other jobs shared the machine (LSTM 167-214 s, RNN 80-87 s;
2 min of CPU time), and about 9 ms per LSTM step and 4.5 ms per RNN step (2 minutes in all) on
an idle machine.

Both read the same 200 000 characters of the project's own language (lstm_text.generate_text,
seed lstm_text.TRAIN_SEED): an LSTM with H = 64 and a vanilla RNN with H = 134, about the same
number of parameters (23 060 and 23 470). The recipes, sizes, steps, learning rates and seeds, are
lstm_text.RECIPES; the run is deterministic from them (float32, one BLAS thread), so running this
again on the same machine writes the same weights. It prints each model's held-out loss and, per
named property, the unit that tracks it best.
"""
import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # small matrices: a second thread only costs

import lstm_text as lt  # noqa: E402


def train_and_save(kind, out_dir):
    """Train RECIPES[kind], print progress and the summary, save it; returns (model, seconds)."""
    steps = lt.RECIPES[kind]["steps"]

    def progress(step, loss):
        if step % 500 == 0 or step == steps - 1:
            print(f"  {kind} step {step:5d}/{steps}  loss {loss:.3f}", flush=True)

    start = time.perf_counter()
    model, losses = lt.train_recipe(kind, callback=progress)
    seconds = time.perf_counter() - start
    heldout = lt.heldout_text()
    model.info.update(train_seconds=round(seconds, 1), heldout_loss=lt.evaluate(model, heldout),
                      train_seed=lt.TRAIN_SEED, heldout_seed=lt.HELDOUT_SEED)
    path = Path(out_dir) / lt.SHIPPED[kind].name
    path.parent.mkdir(parents=True, exist_ok=True)
    lt.save_char_model(path, model)
    print(f"{kind}: {seconds:.0f} s, wrote {path} ({path.stat().st_size / 1024:.0f} KB)")
    print(lt.summarise(model, heldout[:5000]))
    print("sample:", lt.sample_text(model, 160, temperature=0.8, seed=0), sep="\n")
    return model, seconds


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", choices=sorted(lt.RECIPES), help="train just this one")
    p.add_argument("--out-dir", default=str(lt.DATA),
                   help="where to write (default: lstm_classroom/data/)")
    a = p.parse_args()
    total = 0.0
    for kind in [a.only] if a.only else ["lstm", "rnn"]:
        total += train_and_save(kind, a.out_dir)[1]
    print(f"total training time {total:.0f} s")


if __name__ == "__main__":
    main()
