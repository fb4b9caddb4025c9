"""Every signal's line stands out from the white axes and from every other signal, in any colour
vision and in greyscale (lstm_classroom.style).

Contrast is WCAG 2.2's ratio of relative luminances (1.4.11: graphics a reader needs >= 3:1).
Colour differences are Delta-E in CAM02-UCS, computed by colorspacious, which also simulates
colour-vision deficiency with the matrices of Machado, Oliveira & Fernandes (2009), severity 100
(protanopia, deuteranopia, tritanopia).
"""
import itertools

import numpy as np
import pytest

from lstm_classroom.style import DERIVED_STYLE, STYLE, TEXT, color, contrast

colorspacious = pytest.importorskip("colorspacious")

MIN_CONTRAST = 3.0      # every line against the white axes
MIN_TEXT_CONTRAST = 4.5  # text drawn in the palette (titles)
MIN_DELTA_E = 10        # every two signals, CAM02-UCS, in every vision below
VISIONS = {"normal": None,
           **{name: {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
              for name, cvd in [("protanopia", "protanomaly"), ("deuteranopia", "deuteranomaly"),
                                ("tritanopia", "tritanomaly")]}}


def srgb(hex_colour):
    return np.array([int(hex_colour[k:k + 2], 16) for k in (1, 3, 5)]) / 255




def seen(hex_colour, vision):
    rgb = srgb(hex_colour)
    if VISIONS[vision] is not None:
        rgb = np.clip(colorspacious.cspace_convert(rgb, VISIONS[vision], "sRGB1"), 0, 1)
    return rgb


@pytest.mark.parametrize("signal", [*STYLE, *DERIVED_STYLE])
def test_every_line_stands_out_from_the_white_axes(signal):
    assert contrast(color(signal)) >= MIN_CONTRAST, (signal, round(contrast(color(signal)), 2))


def test_text_colour_is_readable():
    assert contrast(TEXT) >= MIN_TEXT_CONTRAST


@pytest.mark.parametrize("vision", VISIONS)
def test_every_two_signals_differ_by_delta_e_10_in_cam02_ucs(vision):
    worst = min((colorspacious.deltaE(seen(STYLE[a][0], vision), seen(STYLE[b][0], vision),
                                      input_space="sRGB1", uniform_space="CAM02-UCS"), a, b)
                for a, b in itertools.combinations(STYLE, 2))
    assert worst[0] >= MIN_DELTA_E, f"{vision}: {worst[1]} and {worst[2]} only {worst[0]:.1f} apart"


def test_each_signal_has_its_own_line_style_and_marker_for_greyscale():
    styles = [repr(STYLE[s][1]) for s in STYLE]
    markers = [STYLE[s][2] for s in STYLE]
    assert len(set(styles)) == len(STYLE), styles
    assert len(set(markers)) == len(STYLE), markers


def test_a_derived_signal_differs_from_its_parent_in_line_style_or_marker_fill():
    parents = {"h_prev": "h", "kept": "f", "written": "i", "tanh_c": "c", "y_next": "y"}
    for derived, parent in parents.items():
        assert DERIVED_STYLE[derived][1] != STYLE[parent][1] or derived == "y_next"
