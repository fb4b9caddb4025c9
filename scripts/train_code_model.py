"""Train the two models of notebook 12 on real text; write lstm_classroom/data/code_lstm.npz and
code_rnn.npz.

    OPENBLAS_NUM_THREADS=1 python scripts/train_code_model.py              # both
    OPENBLAS_NUM_THREADS=1 python scripts/train_code_model.py --only lstm  # one of them

The text is lstm_classroom/data/python_train.txt: 715 266 characters of 25 modules of Python
3.10.13's standard library (scripts/make_python_corpus.py). The models: an LSTM with H = 96 and
a vanilla RNN with H = 210, about the same number of parameters (83 424 and 84 726), over 96
characters (the line break and printable ASCII). Each is trained in two phases: 8 000 steps of
32 windows of 64 characters (lstm_text.CODE_RECIPES), then 6 000 steps of 16 windows of 128 from
those weights with a fresh Adam and a lower learning rate (lstm_text.CODE_MORE). The run is
deterministic from the recipes' seeds (float32, one BLAS thread).
Each file keeps its training log (the mean loss of every 100 steps), which
tests/test_real_text.py's slow test retrains against.

How long it takes, measured on the 2-core machine this was written on while other engineers' jobs
shared it (load average 3 to 8), the two models trained at the same time, one process each: the
first phase 1646 s (LSTM) and 1420 s (RNN) wall-clock, the second 837 s and 738 s, so about 41 and
36 minutes in all. With the machine lightly loaded a step took 35 ms (LSTM) and 23 ms (RNN) at the
first phase's size, about 8 and 5 minutes per model in all.
"""
import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # small matrices: a second thread only costs

import lstm_text as lt  # noqa: E402


def train_and_save(kind, out_dir):
    """Train CODE_RECIPES[kind], print progress, save it; returns (model, seconds)."""
    steps = lt.CODE_RECIPES[kind]["steps"]

    def progress(step, loss):
        if step % 500 == 0 or step == steps - 1:
            print(f"  {kind} step {step:5d}/{steps}  loss {loss:.3f}", flush=True)

    def more(step, loss):
        if step % 500 == 0 or step == lt.CODE_MORE["steps"] - 1:
            print(f"  {kind} second phase step {step:5d}/{lt.CODE_MORE['steps']}  loss {loss:.3f}",
                  flush=True)

    start = time.perf_counter()
    model, _ = lt.train_code_recipe(kind, callback=progress)
    lt.continue_code_model(model, **lt.CODE_MORE, callback=more)
    seconds = time.perf_counter() - start
    heldout = lt.code_text("heldout")
    model.info.update(train_seconds=round(seconds, 1),
                      heldout_loss=lt.evaluate(model, heldout))
    path = Path(out_dir) / lt.CODE_SHIPPED[kind].name
    path.parent.mkdir(parents=True, exist_ok=True)
    lt.save_char_model(path, model)
    print(f"{kind}: {seconds:.0f} s, held-out loss {model.info['heldout_loss']:.3f}, wrote {path} "
          f"({path.stat().st_size / 1024:.0f} KB)", flush=True)
    return model, seconds


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", choices=sorted(lt.CODE_RECIPES), help="train just this one")
    p.add_argument("--out-dir", default=str(lt.DATA),
                   help="where to write (default: lstm_classroom/data/)")
    a = p.parse_args()
    for kind in [a.only] if a.only else ["lstm", "rnn"]:
        train_and_save(kind, a.out_dir)


if __name__ == "__main__":
    main()
