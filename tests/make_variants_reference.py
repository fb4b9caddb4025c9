"""Generate the PyTorch reference arrays for lstm_variants' GRU (torch.nn.GRU).

Run once, with torch installed (CPU build is enough: `pip install torch`, about a minute for a
~200 MB download; the script itself takes about a second), from the repository root:

    python tests/make_variants_reference.py

It writes tests/data/gru_reference.npz (plain arrays: load it with allow_pickle=False), so
neither the tests nor a learner ever need torch. Every case is float64. For each case NAME:

    NAME/x, NAME/h0                   the input and starting state, shaped as GRUCell.run takes them
    NAME/weight_ih, weight_hh, bias_ih, bias_hh     torch.nn.GRU's parameters (row blocks r, z, n)
    NAME/h                            torch's h for every step, shaped like trace.h
    NAME/dh                           the upstream gradient for loss = sum(h * dh)
    NAME/grad_*                       torch's gradients of that loss: weight_ih, weight_hh,
                                      bias_ih, bias_hh (they differ: b_hn sits inside r * (...)),
                                      x, h0
"""
from pathlib import Path

import numpy as np
import torch
from make_torch_reference import CASES, case_arrays, module_and_inputs  # the LSTM's cases

OUT = Path(__file__).parent / "data" / "gru_reference.npz"


def main():
    torch.manual_seed(2)
    rng = np.random.default_rng(2)   # its own generator: the LSTM and RNN arrays stay as they are
    arrays = {}
    for name, (T, N, D, H) in CASES.items():
        gru = torch.nn.GRU(D, H, dtype=torch.float64)
        x, h0 = module_and_inputs(gru, rng, T, N, D, H)
        h_all, _ = gru(x, h0)                                       # (T, N, H): every step's h
        dh = torch.from_numpy(rng.standard_normal(h_all.shape))
        (h_all * dh).sum().backward()
        assert not torch.allclose(gru.bias_ih_l0.grad, gru.bias_hh_l0.grad)   # b_hn differs

        case, _, _ = case_arrays(gru, x, h0, h_all, dh, N, D, H)   # shaped as GRUCell takes them
        case.update(grad_bias_ih=gru.bias_ih_l0.grad.numpy(),
                    grad_bias_hh=gru.bias_hh_l0.grad.numpy())
        arrays.update({f"{name}/{k}": np.array(v) for k, v in case.items()})
    arrays["torch_version"] = np.array(torch.__version__.split("+")[0])
    OUT.parent.mkdir(exist_ok=True)
    np.savez(OUT, **arrays)
    print(f"wrote {OUT} with {len(CASES)} nn.GRU cases from torch {torch.__version__}")


if __name__ == "__main__":
    main()
