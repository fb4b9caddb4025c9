"""Your cell in PyTorch: the few lines that rebuild an LSTMCell as torch.nn.LSTM.

The numbers come from LSTMCell.to_torch(); every number is written with repr,
so the rebuilt cell computes exactly the same gates (float64) as lstm_core.
"""
import numpy as np


def _nested(a):
    """An array as a Python literal with every number written exactly (repr of a float)."""
    a = np.asarray(a, dtype=float)
    if a.ndim == 0:
        return repr(float(a))
    return "[" + ", ".join(_nested(v) for v in a) + "]"


def torch_code(cell):
    """Python source that rebuilds `cell` as torch.nn.LSTM (+ torch.nn.Linear for the read-out).

    Running it defines `lstm` and `readout`; `lstm(x)` on a (T, N, D) float64 tensor gives the
    hidden states of cell.run, and readout(h) its prediction.
    """
    sd = cell.to_torch()
    D, H = cell.input_size, cell.hidden_size
    K = cell.W_y.shape[0]
    return "\n".join([
        "import torch",
        f"lstm = torch.nn.LSTM(input_size={D}, hidden_size={H}, dtype=torch.float64)",
        f"readout = torch.nn.Linear({H}, {K}, dtype=torch.float64)",
        "with torch.no_grad():",
        *(f"    lstm.{name}.copy_(torch.tensor({_nested(value)}))" for name, value in sd.items()),
        f"    readout.weight.copy_(torch.tensor({_nested(cell.W_y)}))",
        f"    readout.bias.copy_(torch.tensor({_nested(cell.b_y)}))",
    ])

