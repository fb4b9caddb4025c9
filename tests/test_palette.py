"""The signal colours of lstm_viz.STYLE stay apart for colour-blind readers and in greyscale.

Colour-vision deficiencies are simulated with the matrices of Machado, Oliveira & Fernandes (2009),
severity 1 (protanopia, deuteranopia, tritanopia), applied to linear sRGB; colours are compared as
CIE 1976 colour differences (Delta E*ab) in CIELAB, greys by their CIE lightness L*. A Delta E of
about 2 is just noticeable side by side; 15 keeps two thin lines apart at a glance.
"""
import itertools

import numpy as np
import pytest

from lstm_viz import STYLE

SIGNALS = "figoch"              # the six signals of the cell; x_t is the grey input line
MIN_DELTA_E = 15                # smallest colour difference between two signals, in any vision
MIN_GREY_STEP = 5               # closer than this in L*, two signals must differ in line style

MACHADO_2009 = {
    "protanopia": [[0.152286, 1.052583, -0.204868],
                   [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968],
                     [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779],
                   [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}
VISIONS = {"normal": np.eye(3), **{k: np.array(v) for k, v in MACHADO_2009.items()}}
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
WHITE_D65 = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(hex_colour):
    """'#RRGGBB' -> linear sRGB in [0, 1] (the sRGB transfer curve undone)."""
    c = np.array([int(hex_colour[k:k + 2], 16) for k in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def cielab(rgb):
    """Linear sRGB -> CIELAB (L*, a*, b*) under D65."""
    xyz = SRGB_TO_XYZ @ rgb / WHITE_D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(signal, vision):
    """The colour of `signal` in CIELAB as a reader with `vision` sees it."""
    return cielab(np.clip(VISIONS[vision] @ linear_rgb(STYLE[signal][0]), 0, 1))


def test_colour_conversion_matches_known_cielab_values():
    # independent anchors: white is L* = 100, sRGB's pure red is (53.24, 80.09, 67.20)
    assert np.allclose(cielab(linear_rgb("#FFFFFF")), [100, 0, 0], atol=0.01)
    assert np.allclose(cielab(linear_rgb("#FF0000")), [53.24, 80.09, 67.20], atol=0.05)


@pytest.mark.parametrize("vision", VISIONS)
def test_every_two_signals_differ_in_colour(vision):
    close = []
    for a, b in itertools.combinations(SIGNALS, 2):
        delta_e = np.linalg.norm(seen(a, vision) - seen(b, vision))
        if delta_e < MIN_DELTA_E:
            close.append(f"{a}/{b}: Delta E {delta_e:.1f}")
    assert not close, f"signals too alike for {vision}: {close}"


def test_every_signal_has_its_own_marker():
    markers = [STYLE[s][2] for s in SIGNALS]
    assert len(set(markers)) == len(markers), markers


def test_signals_with_the_same_grey_differ_in_line_style():
    grey = {s: seen(s, "normal")[0] for s in SIGNALS}
    same = [f"{a}/{b}" for a, b in itertools.combinations(SIGNALS, 2)
            if abs(grey[a] - grey[b]) < MIN_GREY_STEP and STYLE[a][1] == STYLE[b][1]]
    assert not same, f"same grey and the same line style in a greyscale print: {same}"
