"""The checks of notebook 06's exercises accept a right answer and reject a wrong one.

Right answers come from their definitions (transposes, slices, the sigmoid's inverse) and from
PyTorch's stored outputs, never from the checks themselves.
"""
import numpy as np
import pytest

import lstm_exercises as ex

D, H = 16, 64


def test_forget_rows_are_the_second_block():
    assert ex.check_06_forget_rows(slice(5, 10)) and ex.check_06_forget_rows(list(range(5, 10)))
    assert not ex.check_06_forget_rows(slice(0, 5)) and not ex.check_06_forget_rows(None)


def test_stacked_shapes_have_4h_rows():
    assert ex.check_06_stacked_shapes((4 * H, D), (4 * H, H), (4 * H,))
    assert not ex.check_06_stacked_shapes((H, D), (4 * H, H), (4 * H,))
    assert not ex.check_06_stacked_shapes((4 * H, D), (4 * H, H), 4 * H)   # not a tuple


def test_batch_is_time_first_and_keeps_each_sequence():
    seqs = [np.arange(12.0).reshape(6, 2) + 100 * n for n in range(3)]
    assert ex.check_06_batch(np.stack(seqs, axis=1), seqs)
    assert not ex.check_06_batch(np.stack(seqs), seqs)                       # batch first
    assert not ex.check_06_batch(np.stack(seqs).reshape(6, 3, 2), seqs)      # mixed by reshape


def test_time_major_swaps_the_first_two_axes():
    x = np.arange(84.0).reshape(4, 7, 3)
    assert ex.check_06_time_major(np.swapaxes(x, 0, 1), x)
    assert not ex.check_06_time_major(x.reshape(7, 4, 3), x)


def test_keras_to_torch_transposes_and_splits_the_bias_any_way():
    rng = np.random.default_rng(1)
    keras = dict(kernel=rng.standard_normal((3, 16)), recurrent_kernel=rng.standard_normal((4, 16)),
                 bias=rng.standard_normal(16))
    k, rk, b = keras["kernel"], keras["recurrent_kernel"], keras["bias"]
    assert ex.check_06_keras_to_torch(k.T, rk.T, b, np.zeros(16), keras)
    assert ex.check_06_keras_to_torch(k.T, rk.T, b / 2, b / 2, keras)
    assert not ex.check_06_keras_to_torch(k.T, rk.T, b, b, keras)            # bias counted twice
    assert not ex.check_06_keras_to_torch(k.T[::-1], rk.T, b, 0 * b, keras)  # rows out of order


def test_tf1_forget_gate_adds_forget_bias_before_the_sigmoid():
    assert ex.check_06_tf1_forget_gate(1 / (1 + np.exp(-1.5)))
    assert not ex.check_06_tf1_forget_gate(1 / (1 + np.exp(-0.5)))


def test_half_life_of_ten_steps_inverts_the_sigmoid():
    f = 0.5 ** 0.1
    assert ex.check_06_half_life(np.log(f / (1 - f)))
    assert not ex.check_06_half_life(1.0)


@pytest.fixture(scope="module")
def wide():
    with np.load(ex.TORCH_REFERENCE, allow_pickle=False) as ref:
        return {k.split("/")[1]: ref[k] for k in ref.files if k.startswith("wide/")}


def test_second_sequence_alone_ends_where_pytorch_does(wide):
    assert ex.check_06_second_sequence(wide["h"][-1, 1])
    assert not ex.check_06_second_sequence(wide["h"][-1, 0])
