"""Generate the PyTorch reference arrays that the tests and notebooks compare against.

Run once, with torch installed, from the repository root:

    python tests/make_torch_reference.py

It writes lstm_classroom/data/torch_reference.npz (plain arrays: load it with
allow_pickle=False), so neither the tests nor a learner ever need torch. Every case is
float64. For each case NAME:

    NAME/x, NAME/h0, NAME/c0          the input, shaped as lstm_core's run takes it
    NAME/weight_ih, weight_hh, bias_ih, bias_hh     torch.nn.LSTM's parameters
    NAME/h, NAME/c                    torch's outputs for every step, shaped like trace.h
    NAME/dh, NAME/dc                  upstream gradients for loss = sum(h * dh) + sum(c_T * dc)
    NAME/grad_*                       torch's gradients of that loss: weight_ih, weight_hh,
                                      bias (of either bias; they are equal), x, h0, c0

It also writes tests/data/torch_reference_rnn.npz for lstm_learn's vanilla RNN, from
torch.nn.RNN (tanh) with its own seeds, so the LSTM arrays above never change: the same keys
without c0, c and dc (loss = sum(h * dh)), and grad_* for weight_ih, weight_hh, bias, x, h0.
"""
from pathlib import Path

import numpy as np
import torch

OUT = Path(__file__).parents[1] / "lstm_classroom" / "data" / "torch_reference.npz"
OUT_RNN = Path(__file__).parent / "data" / "torch_reference_rnn.npz"

# name: (T, N or None for an unbatched sequence, D, H); D = H = 1 with N None is the scalar case
CASES = {
    "scalar": (5, None, 1, 1),
    "sequence": (7, None, 3, 4),
    "batch": (6, 5, 3, 4),
    "wide": (4, 2, 8, 16),
}


def module_and_inputs(module, rng, T, N, D, H):
    """`module`'s parameters redrawn from U(-1.5, 1.5), larger than the default init so every
    gate does something, then x (T, N or 1, D) and h0 (1, N or 1, H) from `rng`, both tracking
    their gradients. The draws come in this order, so the committed arrays stay as they are."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.from_numpy(rng.uniform(-1.5, 1.5, tuple(p.shape))))
    batch = (N or 1,)
    x = torch.from_numpy(rng.standard_normal((T,) + batch + (D,))).requires_grad_()
    h0 = torch.from_numpy(0.5 * rng.standard_normal((1,) + batch + (H,))).requires_grad_()
    return x, h0


def case_arrays(module, x, h0, h_all, dh, N, D, H):
    """What every case stores, after loss.backward(): x, h0, the module's weight_ih, weight_hh,
    bias_ih, bias_hh, h and dh for every step, and torch's grad_weight_ih, grad_weight_hh,
    grad_x, grad_h0, shaped as lstm_core's cells take them (an unbatched sequence, N None, loses
    its batch axis; the scalar case, D = H = 1, all but T). Returns (that dict, the shape of
    one step of h, the shape of h over all T steps)."""
    T = x.shape[0]
    if N is None:
        xs, step = x.detach().numpy()[:, 0, :], (H,)
        if D == 1 and H == 1:
            xs, step = xs[:, 0], ()
    else:
        xs, step = x.detach().numpy(), (N, H)
    per_t = (T,) + step
    w_ih, w_hh = module.weight_ih_l0, module.weight_hh_l0
    case = {
        "x": xs, "h0": h0.detach().numpy().reshape(step),
        "weight_ih": w_ih.detach().numpy(), "weight_hh": w_hh.detach().numpy(),
        "bias_ih": module.bias_ih_l0.detach().numpy(),
        "bias_hh": module.bias_hh_l0.detach().numpy(),
        "h": h_all.detach().numpy().reshape(per_t), "dh": dh.numpy().reshape(per_t),
        "grad_weight_ih": w_ih.grad.numpy(), "grad_weight_hh": w_hh.grad.numpy(),
        "grad_x": x.grad.numpy().reshape(xs.shape), "grad_h0": h0.grad.numpy().reshape(step),
    }
    return case, step, per_t


def main():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    arrays = {}
    for name, (T, N, D, H) in CASES.items():
        lstm = torch.nn.LSTM(D, H, dtype=torch.float64)
        x, h0 = module_and_inputs(lstm, rng, T, N, D, H)
        c0 = torch.from_numpy(0.5 * rng.standard_normal(tuple(h0.shape))).requires_grad_()
        # the cell state at every step: run one step at a time
        hs, cs, h, c = [], [], h0, c0
        for t in range(T):
            _, (h, c) = lstm(x[t:t + 1], (h, c))
            hs.append(h[0])
            cs.append(c[0])
        h_all, c_all = torch.stack(hs), torch.stack(cs)            # (T, N, H)
        dh = torch.from_numpy(rng.standard_normal(h_all.shape))
        dc = torch.from_numpy(rng.standard_normal(c_all.shape[1:]))
        ((h_all * dh).sum() + (c_all[-1] * dc).sum()).backward()
        assert torch.allclose(lstm.bias_ih_l0.grad, lstm.bias_hh_l0.grad)

        case, step, per_t = case_arrays(lstm, x, h0, h_all, dh, N, D, H)
        case.update({
            "c0": c0.detach().numpy().reshape(step), "c": c_all.detach().numpy().reshape(per_t),
            "dc": dc.numpy().reshape(step), "grad_bias": lstm.bias_ih_l0.grad.numpy(),
            "grad_c0": c0.grad.numpy().reshape(step),
        })
        arrays.update({f"{name}/{k}": np.array(v) for k, v in case.items()})
    arrays["torch_version"] = np.array(torch.__version__.split("+")[0])
    OUT.parent.mkdir(exist_ok=True)
    np.savez(OUT, **arrays)
    print(f"wrote {OUT} with {len(CASES)} cases from torch {torch.__version__}")


RNN_CASES = {  # name: (T, N or None, D, H), as CASES
    "scalar": (5, None, 1, 1),
    "sequence": (7, None, 3, 4),
    "batch": (6, 5, 3, 4),
}


def main_rnn():
    torch.manual_seed(1)
    rng = np.random.default_rng(1)   # not the LSTM's generator: those arrays stay as they are
    arrays = {}
    for name, (T, N, D, H) in RNN_CASES.items():
        rnn = torch.nn.RNN(D, H, nonlinearity="tanh", dtype=torch.float64)
        x, h0 = module_and_inputs(rnn, rng, T, N, D, H)
        h_all, _ = rnn(x, h0)                                       # (T, N, H): every step's h
        dh = torch.from_numpy(rng.standard_normal(h_all.shape))
        (h_all * dh).sum().backward()
        assert torch.allclose(rnn.bias_ih_l0.grad, rnn.bias_hh_l0.grad)

        case, _, _ = case_arrays(rnn, x, h0, h_all, dh, N, D, H)
        case["grad_bias"] = rnn.bias_ih_l0.grad.numpy()       # either bias's: they are equal
        arrays.update({f"{name}/{k}": np.array(v) for k, v in case.items()})
    arrays["torch_version"] = np.array(torch.__version__.split("+")[0])
    np.savez(OUT_RNN, **arrays)
    print(f"wrote {OUT_RNN} with {len(RNN_CASES)} nn.RNN cases from torch {torch.__version__}")


if __name__ == "__main__":
    main()
    main_rnn()
