"""lstm_classroom.ablation_seeds: the committed ablation seed by seed (notebook 09, part 7)."""
import copy

import numpy as np
import pytest

from lstm_classroom.ablation_seeds import load, per_seed, seeds_picture, spread_text


def test_per_seed_agrees_with_the_committed_summary():
    doc = load()
    seeds = per_seed(doc)
    for r in doc["summary"]:
        counts = seeds[(r["task"], r["kind"])]
        done = [c for c in counts if c is not None]
        assert len(counts) == r["runs"] and len(done) == r["solved"]
        assert (np.median(done) if done else None) == r["median_sequences"]


def test_every_count_is_a_multiple_of_the_checks_spacing():
    doc = load()
    for task, st in doc["settings"]["tasks"].items():
        for (t, _), counts in per_seed(doc).items():
            if t == task:
                assert all(c % (50 * st["batch"]) == 0 for c in counts if c is not None)


@pytest.mark.parametrize("counts, text", [
    ([None, None], "0/2 solved"),
    ([None, 60800, 11200], "2/3 solved: 11,200 and 60,800 sequences"),
    ([6400, 4800, 6400], "3/3 solved, 4,800–6,400 sequences (median 6,400)"),
    ([6400, 6400, 6400, None], "3/4 solved, 6,400 sequences (median 6,400)"),
])
def test_spread_text_names_the_solved_seeds_range(counts, text):
    assert spread_text(counts) == text


def faster(doc, task, a, b):
    """Every seed of cell a solved task with fewer sequences than every seed of cell b."""
    s = per_seed(doc)
    return None not in s[(task, a)] and max(s[(task, a)]) < min(c for c in s[(task, b)] if c)


def overlap(doc, task, a, b):
    s = per_seed(doc)
    x, y = [c for c in s[(task, a)] if c], [c for c in s[(task, b)] if c]
    return min(x) <= max(y) and min(y) <= max(x)


def test_notebook_09s_seed_by_seed_claims_hold_in_the_committed_table():
    doc = load()
    assert faster(doc, "adding", "coupled", "vanilla")
    assert faster(doc, "latch", "vanilla", "no_forget_gate")
    assert faster(doc, "latch", "vanilla", "no_input_gate")
    for kind in ("no_output_activation", "peepholes", "no_output_gate"):
        assert overlap(doc, "adding", kind, "vanilla")
    assert per_seed(doc)[("adding", "no_forget_gate")].count(None) == 6
    assert per_seed(doc)[("adding", "no_input_gate")].count(None) == 8


def test_the_picture_says_every_cells_spread_and_follows_the_record():
    doc = load()
    words = seeds_picture(doc).description
    assert "adding, no_forget_gate: 2/8 solved: 11,200 and 60,800 sequences" in words
    assert words.count("/8 solved") == len(doc["summary"])
    changed = copy.deepcopy(doc)
    for r in changed["runs"]:
        if r["task"] == "adding" and r["kind"] == "coupled":
            r["solved"], r["sequences"] = False, None
    assert "adding, coupled: 0/8 solved" in seeds_picture(changed).description
