"""Generate the xLSTM reference arrays that tests/test_xlstm.py compares lstm_xlstm against.

Needs torch and NX-AI's xlstm 2.0.6 (its vanilla PyTorch backend runs on the CPU; no CUDA, no
compiler). xlstm's own dependencies are heavy (mlstm_kernels, ...) and none of them is used here:

    pip install torch && pip install --no-deps xlstm==2.0.6 packaging
    (or simply: pip install torch xlstm==2.0.6)

Run once from the repository root; it takes a few seconds after torch has loaded:

    python tests/make_xlstm_reference.py

It writes tests/data/xlstm_reference.npz (plain arrays: load with allow_pickle=False), so the
tests never need torch. Everything is float64. For each sLSTM case NAME (keys "slstm_NAME/..."):

    W (4H, D), R (4H, H) block-diagonal, b (4H,), num_heads ()    the cell, lstm_xlstm's layout
    x                           the input as SLSTMCell.run takes it: (T,), (T, D) or (T, N, D)
    i, f, z, o, c, n, m, h      the reference's values at every step, shaped like trace.h
                                (z is tanh of the reference's z~; its gate cache holds z~)
    dh, grad_W, grad_R, grad_b, grad_x    loss = sum(h * dh) and torch autograd's gradients

computed by xlstm.blocks.slstm.cell.sLSTMCell (backend "vanilla", function "slstm"), i.e.
slstm_forward and slstm_forward_pointwise from xlstm/blocks/slstm/src/vanilla/. The cell
gets W x_t as its input (in the xLSTM the projection W lives in the layer around the cell).

For each mLSTM case NAME (keys "mlstm_NAME/..."):

    q, k, v (T, d), i_pre, f_pre (T,)        the inputs
    h_recurrent (T, d)    recurrent_step_stabilized_simple, step by step from C, n, m = 0
    h_parallel (T, d)     parallel_stabilized_simple

from xlstm/blocks/mlstm/backends.py, with batch and head dimensions of size 1.
"""
from pathlib import Path

import numpy as np
import torch
import xlstm
from xlstm.blocks.mlstm.backends import parallel_stabilized_simple, recurrent_step_stabilized_simple
from xlstm.blocks.slstm.cell import sLSTMCell, sLSTMCellConfig
from xlstm.blocks.slstm.src.vanilla import slstm_forward

OUT = Path(__file__).parent / "data" / "xlstm_reference.npz"

# name: (T, N or None for one sequence, D, H, num_heads); D = H = 1 with N None is the (T,) case
SLSTM_CASES = {
    "scalar": (6, None, 1, 1, 1),
    "one_step": (1, None, 3, 4, 1),
    "sequence": (7, None, 3, 4, 1),
    "batch": (6, 3, 5, 4, 1),
    "two_heads": (8, 3, 5, 8, 2),
    "four_heads": (9, 2, 4, 8, 4),
    "wide": (5, 2, 6, 16, 1),
}

# name: (T, d, scale of i~, mean of f~). "negative_input" has every i~ well below the summed
# log sigma(f~), where the two mLSTM forms differ by the 1e-6 in the normaliser; "extreme" has
# i~ and f~ of +-50.
MLSTM_CASES = {
    "one_step_d1": (1, 1, 2.0, 0.0),
    "one_step_d4": (1, 4, 2.0, 0.0),
    "short_d2": (5, 2, 2.0, 1.0),
    "d4": (12, 4, 2.0, 2.0),
    "d8": (20, 8, 3.0, 0.0),
    "d16": (33, 16, 2.0, 3.0),
    "negative_input": (10, 4, None, 6.0),
    "extreme": (40, 4, 50.0, None),
}


def reference_slstm(W, R_heads, b, x, num_heads):
    """The reference cell on x (T, N, D); returns its trace (T, N, H) arrays and gradients."""
    H = b.shape[0] // 4
    cell = sLSTMCell(sLSTMCellConfig(hidden_size=H, num_heads=num_heads, backend="vanilla",
                                     function="slstm", bias_init="standard",
                                     input_shape="SBGNH", output_shape="SBH")).double()
    assert type(cell).__name__ == "sLSTMCell_vanilla"
    W_t, x_t = torch.tensor(W, requires_grad=True), torch.tensor(x, requires_grad=True)
    with torch.no_grad():  # the vanilla backend's internal layouts: R (NH, 4 DH, DH), b (4H,)
        cell._recurrent_kernel_.copy_(torch.from_numpy(R_heads))
        cell._bias_.copy_(torch.from_numpy(b))
    wx = x_t @ W_t.T                                                  # (T, N, 4H)
    h, _ = cell(wx)                                                   # (T, N, H)
    # the same computation with every state kept: [y, c, n, m] (4, T+1, N, H); gates (T+1, 4, N, H)
    states0 = torch.zeros(4, x.shape[1], H, dtype=torch.float64)
    states, _, gates = slstm_forward(wx.detach(), states0, cell._recurrent_kernel.detach(),
                                     cell._bias.detach(), cell.pointwise)
    assert torch.equal(states[0, 1:], h.detach())
    dh = torch.from_numpy(np.random.default_rng(x.size).standard_normal(h.shape))
    (h * dh).sum().backward()
    i, f, z_pre, o = gates[:-1].unbind(dim=1)
    out = dict(i=i, f=f, z=torch.tanh(z_pre), o=o, c=states[1, 1:], n=states[2, 1:],
               m=states[3, 1:], h=h, dh=dh, grad_W=W_t.grad, grad_x=x_t.grad,
               grad_R_heads=cell._recurrent_kernel_.grad, grad_b=cell._bias_.grad)
    return {k: v.detach().numpy() for k, v in out.items()}


def heads_to_full(R_heads):
    """(NH, 4 DH, DH) per head -> (4H, H) block-diagonal, row blocks i, f, z, o."""
    K, rows, DH = R_heads.shape
    H = K * DH
    full = np.zeros((4, H, H))
    for k in range(K):
        full[:, k * DH:(k + 1) * DH, k * DH:(k + 1) * DH] = R_heads[k].reshape(4, DH, DH)
    return full.reshape(4 * H, H)


def reference_mlstm(q, k, v, i_pre, f_pre):
    """Both reference forms on one head: q, k, v (T, d), i_pre, f_pre (T,) -> h (T, d) twice."""
    T, d = q.shape
    t = lambda a: torch.from_numpy(np.array(a)).reshape(1, 1, T, -1)   # (B, NH, S, DH)
    h_par = parallel_stabilized_simple(t(q), t(k), t(v), t(i_pre), t(f_pre))
    C = torch.zeros(1, 1, d, d, dtype=torch.float64)
    n = torch.zeros(1, 1, d, 1, dtype=torch.float64)
    m = torch.zeros(1, 1, 1, 1, dtype=torch.float64)
    hs = []
    for s in range(T):  # the step squeezes q, k, v in place: give it fresh tensors
        step = lambda a, s=s: t(a)[:, :, s:s + 1].clone()
        h, (C, n, m) = recurrent_step_stabilized_simple(C, n, m, step(q), step(k), step(v),
                                                        step(i_pre), step(f_pre))
        hs.append(h.reshape(d))
    return torch.stack(hs).numpy(), h_par.reshape(T, d).numpy()


def main():
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(0)
    arrays = {}
    for name, (T, N, D, H, K) in SLSTM_CASES.items():
        DH = H // K
        W = rng.standard_normal((4 * H, D))
        R_heads = rng.standard_normal((K, 4 * DH, DH)) / np.sqrt(DH)
        b = rng.uniform(-2, 2, 4 * H)
        x = rng.standard_normal((T, N or 1, D))
        ref = reference_slstm(W, R_heads, b, x, K)
        shape = (T,) if (N is None and H == 1) else ((T, H) if N is None else (T, N, H))
        x_run = x.reshape((T,) if (N is None and D == 1) else ((T, D) if N is None else x.shape))
        case = dict(W=W, R=heads_to_full(R_heads), b=b, num_heads=np.array(K), x=x_run,
                    grad_W=ref["grad_W"], grad_R=heads_to_full(ref["grad_R_heads"]),
                    grad_b=ref["grad_b"], grad_x=ref["grad_x"].reshape(x_run.shape))
        case.update({k: ref[k].reshape(shape) for k in ("i", "f", "z", "o", "c", "n", "m", "h")})
        case["dh"] = ref["dh"].reshape(shape)
        arrays.update({f"slstm_{name}/{k}": v for k, v in case.items()})
    for name, (T, d, i_scale, f_mean) in MLSTM_CASES.items():
        q, k, v = (rng.standard_normal((T, d)) for _ in range(3))
        if name == "negative_input":
            i_pre, f_pre = rng.uniform(-12, -4, T), rng.uniform(4, 8, T)
        elif name == "extreme":
            i_pre, f_pre = rng.choice([-i_scale, i_scale], T), rng.choice([-50.0, 50.0], T)
        else:
            i_pre, f_pre = i_scale * rng.standard_normal(T), f_mean + 2 * rng.standard_normal(T)
        h_rec, h_par = reference_mlstm(q, k, v, i_pre, f_pre)
        case = dict(q=q, k=k, v=v, i_pre=i_pre, f_pre=f_pre, h_recurrent=h_rec, h_parallel=h_par)
        arrays.update({f"mlstm_{name}/{key}": val for key, val in case.items()})
    arrays["xlstm_version"] = np.array(xlstm.__version__)
    arrays["torch_version"] = np.array(torch.__version__)
    OUT.parent.mkdir(exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {OUT} ({len(arrays)} arrays) with xlstm {xlstm.__version__}, "
          f"torch {torch.__version__}")


if __name__ == "__main__":
    main()
