"""Tests of the character models: the language and its named properties, the softmax/cross-entropy
gradient and the training loop (lstm_learn), the shipped weights and their quality, the cell-reading
helpers, the HTML renderer, and clear errors for bad input and bad files. The slow test re-runs
scripts/train_char_model.py's training from its seed."""
import re

import numpy as np
import pytest

import lstm_text as lt
from lstm_classroom import text_html
from lstm_learn import (
    char_loss_and_grads,
    cross_entropy,
    numerical_gradient,
    one_hot,
    parameters,
    random_lstm,
    random_rnn,
    relative_error,
    sample_ids,
    softmax,
    train_chars,
)

HELDOUT_LOSS_BOUND = {"lstm": 0.90, "rnn": 0.95}   # nats per character; guessing is log 20 = 3.0


@pytest.fixture(scope="module")
def heldout():
    return lt.heldout_text()


@pytest.fixture(scope="module")
def shipped():
    return {kind: lt.load_char_model(path) for kind, path in lt.SHIPPED.items()}


@pytest.fixture(scope="module")
def lstm_reading(shipped, heldout):
    return lt.read_cells(shipped["lstm"], heldout[:5000])


# ---- the language --------------------------------------------------------------------------------

def test_generate_text_is_the_same_for_the_same_seed_and_differs_for_another():
    assert lt.generate_text(2000, seed=5) == lt.generate_text(2000, seed=5)
    assert lt.generate_text(2000, seed=5) != lt.generate_text(2000, seed=6)


def test_generated_text_uses_only_the_vocabulary_of_about_twenty_characters():
    text = lt.generate_text(20_000, seed=0)
    assert set(text) == set(lt.VOCAB)
    assert 18 <= len(lt.VOCAB) <= 30 and len(set(lt.VOCAB)) == len(lt.VOCAB)


def test_every_generated_line_is_bounded_balanced_and_ends_with_a_full_stop():
    text = lt.generate_text(20_000, seed=3)
    assert text.endswith("\n")
    for line in text[:-1].split("\n"):
        assert line.endswith(".") and 1 < len(line) <= lt.MAX_LINE
        assert line.count('"') % 2 == 0
        depth = lt.bracket_depth(line)
        assert depth[-1] == 0 and depth.max() <= lt.MAX_DEPTH
        quoted = lt.in_quote(line).astype(bool)
        assert not any(ch in "()" for ch, q in zip(line, quoted) if q)   # no brackets in a quote


def test_generated_text_reaches_every_depth_up_to_the_maximum():
    counts = np.bincount(lt.bracket_depth(lt.generate_text(50_000, seed=0)))
    assert len(counts) == lt.MAX_DEPTH + 1 and counts.min() > 0.03 * counts.sum()


def test_generate_text_rejects_a_length_that_is_not_a_whole_number():
    with pytest.raises(ValueError, match="n_chars must be a whole number"):
        lt.generate_text(2.5, seed=0)


# ---- the named properties on hand-made strings ---------------------------------------------------

def test_bracket_depth_counts_an_opening_bracket_itself_and_a_closing_one_not():
    assert lt.bracket_depth("a(b(c)d)e").tolist() == [0, 1, 1, 2, 2, 1, 1, 0, 0]


def test_bracket_depth_ignores_brackets_in_quotes_and_unmatched_closing_brackets():
    assert lt.bracket_depth('("(")').tolist() == [1, 1, 1, 1, 0]
    assert lt.bracket_depth("))(").tolist() == [0, 0, 1]


def test_in_quote_includes_the_opening_quote_and_excludes_the_closing_one():
    assert lt.in_quote('a "bc" d').tolist() == [0, 0, 1, 1, 1, 0, 0, 0]


def test_line_position_restarts_after_each_line_break():
    assert lt.line_position("ab.\nc.\n").tolist() == [0, 1, 2, 3, 0, 1, 2]


def test_chars_to_line_end_counts_down_to_the_line_break():
    assert lt.chars_to_line_end("ab.\nc.").tolist() == [3, 2, 1, 0, 1, 0]


def test_property_functions_reject_something_that_is_not_a_str():
    with pytest.raises(TypeError, match="text must be a str; got list"):
        lt.bracket_depth(["("])


def test_property_values_name_the_known_properties_for_an_unknown_one():
    with pytest.raises(ValueError, match="unknown property 'depth'.*'bracket depth'"):
        lt.property_values("ab", "depth")


# ---- softmax, cross-entropy and their gradient ---------------------------------------------------

def test_softmax_is_finite_and_sums_to_one_for_huge_logits():
    p = softmax(np.array([[1000.0, 0.0, -1000.0], [5.0, 5.0, 5.0]]))
    assert np.all(np.isfinite(p)) and np.allclose(p.sum(axis=-1), 1)
    assert np.allclose(p[1], 1 / 3)


def test_cross_entropy_is_the_mean_negative_log_probability_of_the_targets():
    z = np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 3.0]])
    loss, _ = cross_entropy(z, np.array([0, 2]))
    expected = -np.mean([np.log(softmax(z[0])[0]), np.log(softmax(z[1])[2])])
    assert loss == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_gradient_passes_a_centred_difference_check():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((5, 3, 7))
    t = rng.integers(0, 7, (5, 3))
    _, dz = cross_entropy(z, t)
    num = numerical_gradient(lambda: cross_entropy(z, t)[0], z)
    assert relative_error(dz, num) < 1e-7


@pytest.mark.parametrize("kind", ["lstm", "rnn"])
def test_char_loss_gradient_of_every_parameter_passes_a_centred_difference_check(kind):
    rng = np.random.default_rng(1)
    V, H = 5, 3
    cell = (random_lstm if kind == "lstm" else random_rnn)(V, H, rng, K=V)
    ids, targets = rng.integers(0, V, (4, 2)), rng.integers(0, V, (4, 2))
    carry = tuple(rng.standard_normal((2, H)) for _ in range(2 if kind == "lstm" else 1))
    _, grads, _ = char_loss_and_grads(cell, ids, targets, carry)
    for name, p in parameters(cell).items():
        num = numerical_gradient(lambda: char_loss_and_grads(cell, ids, targets, carry)[0], p)
        assert relative_error(grads[name], num) < 1e-7, name


def test_cross_entropy_names_a_target_outside_the_vocabulary():
    with pytest.raises(ValueError, match=r"targets must hold ids in \[0, 3\).*found 3"):
        cross_entropy(np.zeros((2, 3)), np.array([0, 3]))


def test_cross_entropy_asks_for_integer_targets():
    with pytest.raises(TypeError, match="targets must hold integer character ids"):
        cross_entropy(np.zeros((2, 3)), np.array([0.0, 1.0]))


def test_one_hot_puts_a_single_one_at_each_id():
    assert one_hot(np.array([2, 0]), 3).tolist() == [[0, 0, 1], [1, 0, 0]]


# ---- training and sampling -----------------------------------------------------------------------

def test_train_chars_lowers_the_loss_and_calls_back_after_every_step():
    model = lt.new_char_model("lstm", 16, seed=0)
    seen = []
    losses = train_chars(model.cell, model.encode(lt.generate_text(6000, seed=0)), steps=60,
                         batch=8, seq_len=16, lr=1e-2, callback=lambda s, loss: seen.append(s))
    assert seen == list(range(60))
    assert losses[-10:].mean() < 0.75 * losses[:3].mean()


def test_train_chars_says_how_long_the_text_must_be():
    model = lt.new_char_model("rnn", 4)
    with pytest.raises(ValueError, match="too short for batch=8 streams of seq_len=16"):
        train_chars(model.cell, model.encode("la.\n" * 10), steps=1, batch=8, seq_len=16)


def test_live_retrain_shows_the_loss_falling_in_a_short_run():
    seen = []
    _, losses = lt.live_retrain(steps=80, callback=lambda s, loss: seen.append(loss))
    assert len(seen) == 80 and losses[-10:].mean() < 0.7 * losses[0]


def test_sample_text_is_the_same_for_the_same_seed(shipped):
    a = lt.sample_text(shipped["lstm"], 80, seed=3)
    assert a == lt.sample_text(shipped["lstm"], 80, seed=3) and len(a) == 80
    assert set(a) <= set(lt.VOCAB)


def test_sampling_rejects_a_temperature_that_is_not_positive(shipped):
    with pytest.raises(ValueError, match="temperature must be a positive number; got 0"):
        sample_ids(shipped["lstm"].cell, np.array([0]), 5, temperature=0)


def test_encode_names_a_character_outside_the_vocabulary(shipped):
    with pytest.raises(ValueError, match=r"character 'Z' at position 2 is not in"):
        shipped["lstm"].encode("laZ")


# ---- the shipped weights -------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["lstm", "rnn"])
def test_shipped_file_is_small_and_holds_no_pickles(kind):
    path = lt.SHIPPED[kind]
    assert path.stat().st_size < 300 * 1024
    with np.load(path, allow_pickle=False) as f:
        assert all(f[k].dtype.kind in "biufU" for k in f.files)
        assert f["vocab"].dtype.kind == "U"


@pytest.mark.parametrize("kind", ["lstm", "rnn"])
def test_shipped_model_predicts_held_out_text_well(shipped, heldout, kind):
    assert lt.evaluate(shipped[kind], heldout) < HELDOUT_LOSS_BOUND[kind]


def test_shipped_models_have_about_the_same_number_of_parameters(shipped):
    n_lstm, n_rnn = shipped["lstm"].n_parameters, shipped["rnn"].n_parameters
    assert abs(n_lstm - n_rnn) < 0.05 * n_lstm


def test_one_lstm_unit_tracks_the_bracket_depth(lstm_reading):
    assert abs(lt.best_unit(lstm_reading, "bracket depth").r) >= 0.9


def test_one_lstm_unit_tracks_whether_a_quote_is_open(lstm_reading):
    assert abs(lt.best_unit(lstm_reading, "inside quote").r) >= 0.85


def test_the_lstm_depth_unit_is_a_counter(lstm_reading):
    best = lt.best_unit(lstm_reading, "bracket depth", signals=("c",))
    fit = lt.counter_fit(lstm_reading, "bracket depth", best.unit)
    assert fit.is_counter and fit.unit in [f.unit for f in lt.find_counters(lstm_reading,
                                                                            "bracket depth")]


def test_the_lstm_tracks_depth_better_than_the_rnn(shipped, heldout, lstm_reading):
    rnn_reading = lt.read_cells(shipped["rnn"], heldout[:5000])
    assert abs(lt.best_unit(lstm_reading, "bracket depth").r) > abs(
        lt.best_unit(rnn_reading, "bracket depth").r)


# ---- bad files -----------------------------------------------------------------------------------

def _write(path, **arrays):
    np.savez(path, **arrays)
    return path


def _good_arrays():
    with np.load(lt.SHIPPED["rnn"], allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def test_load_char_model_says_there_is_no_file_and_how_to_make_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="no character model at .*train_char_model.py"):
        lt.load_char_model(tmp_path / "missing.npz")


def test_load_char_model_rejects_a_file_that_is_not_npz(tmp_path):
    path = tmp_path / "text.npz"
    path.write_text("not numbers")
    with pytest.raises(ValueError, match="is not a readable .npz file"):
        lt.load_char_model(path)


def test_load_char_model_rejects_a_damaged_zip(tmp_path):
    path = tmp_path / "broken.npz"
    path.write_bytes(b"PK\x03\x04 and then nothing a zip needs")
    with pytest.raises(ValueError, match="is not a readable .npz file"):
        lt.load_char_model(path)


def test_load_char_model_names_the_missing_arrays(tmp_path):
    arrays = _good_arrays()
    del arrays["W_y"], arrays["vocab"]
    with pytest.raises(ValueError, match="missing the array\\(s\\) vocab, W_y"):
        lt.load_char_model(_write(tmp_path / "m.npz", **arrays))


def test_load_char_model_refuses_a_pickled_vocabulary(tmp_path):
    arrays = _good_arrays()
    arrays["vocab"] = np.array(list(lt.VOCAB), dtype=object)
    with pytest.raises(ValueError, match="holds a pickled \\(object\\) array"):
        lt.load_char_model(_write(tmp_path / "m.npz", **arrays))


def test_load_char_model_rejects_a_vocabulary_of_bytes(tmp_path):
    arrays = _good_arrays()
    arrays["vocab"] = np.array([c.encode() for c in lt.VOCAB])
    with pytest.raises(ValueError, match="'vocab' must be a 1-D unicode array"):
        lt.load_char_model(_write(tmp_path / "m.npz", **arrays))


def test_load_char_model_says_which_weights_do_not_fit(tmp_path):
    arrays = _good_arrays()
    arrays["weight_hh"] = arrays["weight_hh"][:, :-1]
    with pytest.raises(ValueError, match="the rnn weights do not fit together: weight_hh"):
        lt.load_char_model(_write(tmp_path / "m.npz", **arrays))


def test_load_char_model_checks_the_vocabulary_against_the_weights(tmp_path):
    arrays = _good_arrays()
    arrays["vocab"] = arrays["vocab"][:-1]
    with pytest.raises(ValueError, match="vocabulary has 19 characters.*D = 20"):
        lt.load_char_model(_write(tmp_path / "m.npz", **arrays))


def test_saved_model_loads_back_with_the_same_weights(tmp_path, shipped):
    lt.save_char_model(tmp_path / "copy.npz", shipped["lstm"])
    back = lt.load_char_model(tmp_path / "copy.npz")
    assert back.kind == "lstm" and back.vocab == lt.VOCAB
    assert np.array_equal(back.cell.weight_hh, shipped["lstm"].cell.weight_hh)


# ---- reading helpers on hand-made signals --------------------------------------------------------

def _reading(text, **signals):
    return lt.CellReading(text, "lstm" if "c" in signals else "rnn", **signals)


def test_best_unit_finds_the_unit_that_follows_the_property_with_its_sign():
    text = "a(b(c)d)e"
    depth = lt.bracket_depth(text).astype(float)
    h = np.stack([np.sin(np.arange(9)), -2 * depth + 1, np.zeros(9)], axis=1)
    best = lt.best_unit(_reading(text, h=h), "bracket depth")
    assert (best.signal, best.unit) == ("h", 1) and best.r == pytest.approx(-1)


def test_correlation_of_a_constant_unit_is_zero_not_nan():
    assert lt.correlations(np.ones((5, 1)), np.arange(5)).tolist() == [0.0]


def test_dead_units_are_the_ones_that_never_move():
    h = np.stack([np.full(6, 0.3), np.linspace(-1, 1, 6)], axis=1)
    assert lt.dead_units(_reading("abcdef", h=h)).tolist() == [0]


def test_gate_saturation_is_the_fraction_of_time_near_zero_or_one():
    f = np.array([[0.99, 0.5], [0.01, 0.5], [0.98, 0.97], [0.5, 0.5]])
    z = np.zeros((4, 2))
    r = _reading("abcd", h=z, c=z, i=z, f=f, g=z, o=z)
    assert lt.gate_saturation(r, "f").tolist() == [0.75, 0.25]
    assert lt.saturated_units(r, "f", min_fraction=0.7).tolist() == [0]


def test_find_counters_finds_a_cell_state_linear_in_depth_and_skips_a_bump():
    text = "((()))((" * 3
    depth = lt.bracket_depth(text).astype(float)
    c = np.stack([0.5 * depth - 0.2, (depth - 1.5) ** 2], axis=1)
    r = _reading(text, h=np.tanh(c), c=c, i=c, f=c, g=c, o=c)
    fits = lt.find_counters(r, "bracket depth")
    assert [f.unit for f in fits] == [0] and fits[0].slope == pytest.approx(0.5)


def test_an_rnn_reading_says_it_has_no_cell_state():
    with pytest.raises(ValueError, match="an RNN reading has the signals h; got 'c'"):
        _reading("ab", h=np.zeros((2, 1))).signal("c")


# ---- the HTML renderer ---------------------------------------------------------------------------

def test_render_html_gives_every_character_a_span_with_its_value_in_the_title():
    out = text_html.render_html('a<"\n', np.array([-1.0, 0.0, 0.5, 1.0]), label="c[4]")
    titles = re.findall(r'title="([^"]*)"', out)
    assert titles == ["c[4] = -1.000", "c[4] = +0.000", "c[4] = +0.500", "c[4] = +1.000"]
    assert "&lt;" in out and "&quot;" in out and "↵" in out
    assert "<style" not in out and "class=" not in out


def test_every_colour_of_the_scale_keeps_its_character_readable():
    for u in np.linspace(-1, 1, 101):
        bg = text_html.diverging_color(u)
        assert text_html.contrast_ratio(bg, text_html.text_color(bg)) >= 4.5


def test_render_html_needs_one_finite_value_per_character():
    with pytest.raises(ValueError, match=r"one number per character, shape \(3,\); got \(2,\)"):
        text_html.render_html("abc", [0.1, 0.2])


# ---- re-training from the seed (minutes) ---------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("kind", ["lstm", "rnn"])
def test_training_from_the_recipe_reproduces_a_model_of_the_shipped_quality(shipped, heldout,
                                                                            kind):
    model, _ = lt.train_recipe(kind)
    loss = lt.evaluate(model, heldout)
    assert loss < HELDOUT_LOSS_BOUND[kind]
    assert loss == pytest.approx(lt.evaluate(shipped[kind], heldout), abs=0.02)
    if kind == "lstm":
        reading = lt.read_cells(model, heldout[:5000])
        assert abs(lt.best_unit(reading, "bracket depth").r) >= 0.9
