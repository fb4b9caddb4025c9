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

OUT = Path(__file__).parent / "data" / "gru_reference.npz"

# name: (T, N or None for an unbatched sequence, D, H); D = H = 1 with N None is the scalar case
CASES = {
    "scalar": (5, None, 1, 1),
    "sequence": (7, None, 3, 4),
    "batch": (6, 5, 3, 4),
    "wide": (4, 2, 8, 16),
}


def main():
    torch.manual_seed(2)
    rng = np.random.default_rng(2)   # its own generator: the LSTM and RNN arrays stay as they are
    arrays = {}
    for name, (T, N, D, H) in CASES.items():
        gru = torch.nn.GRU(D, H, dtype=torch.float64)
        with torch.no_grad():  # larger than the default init so every gate does something
            for p in gru.parameters():
                p.copy_(torch.from_numpy(rng.uniform(-1.5, 1.5, tuple(p.shape))))
        batch = (N or 1,)
        x = torch.from_numpy(rng.standard_normal((T,) + batch + (D,))).requires_grad_()
        h0 = torch.from_numpy(0.5 * rng.standard_normal((1,) + batch + (H,))).requires_grad_()
        h_all, _ = gru(x, h0)                                       # (T, N, H): every step's h
        dh = torch.from_numpy(rng.standard_normal(h_all.shape))
        (h_all * dh).sum().backward()
        assert not torch.allclose(gru.bias_ih_l0.grad, gru.bias_hh_l0.grad)   # b_hn differs

        if N is None:   # shapes as GRUCell sees them: no batch axis for an unbatched sequence
            xs, step = x.detach().numpy()[:, 0, :], (H,)
            if D == 1 and H == 1:
                xs, step = xs[:, 0], ()
        else:
            xs, step = x.detach().numpy(), (N, H)
        per_t = (T,) + step
        grad = lambda p: p.grad.numpy()
        case = {
            "x": xs, "h0": h0.detach().numpy().reshape(step),
            "weight_ih": gru.weight_ih_l0.detach().numpy(),
            "weight_hh": gru.weight_hh_l0.detach().numpy(),
            "bias_ih": gru.bias_ih_l0.detach().numpy(), "bias_hh": gru.bias_hh_l0.detach().numpy(),
            "h": h_all.detach().numpy().reshape(per_t), "dh": dh.numpy().reshape(per_t),
            "grad_weight_ih": grad(gru.weight_ih_l0), "grad_weight_hh": grad(gru.weight_hh_l0),
            "grad_bias_ih": grad(gru.bias_ih_l0), "grad_bias_hh": grad(gru.bias_hh_l0),
            "grad_x": grad(x).reshape(xs.shape), "grad_h0": grad(h0).reshape(step),
        }
        arrays.update({f"{name}/{k}": np.array(v) for k, v in case.items()})
    arrays["torch_version"] = np.array(torch.__version__.split("+")[0])
    OUT.parent.mkdir(exist_ok=True)
    np.savez(OUT, **arrays)
    print(f"wrote {OUT} with {len(CASES)} nn.GRU cases from torch {torch.__version__}")


if __name__ == "__main__":
    main()
