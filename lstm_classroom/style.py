"""The one palette: a colour, line style, marker and label for every signal in every figure.

The colours are darker tones of the Okabe-Ito hues, chosen so that every line stands at least
3:1 against the white axes (WCAG 2.2, 1.4.11) and every two signals at least Delta-E 10 apart in
CAM02-UCS, in normal colour vision and under simulated protanopia, deuteranopia and tritanopia
(tests/test_palette.py checks all of it). Each signal also has its own line style and marker, so a
greyscale print tells the lines apart too. Every colour the project draws with is in this file,
and the one contrast computation (WCAG 2.2's relative luminance and contrast ratio) that the
diagram, the coloured text and the palette's tests use.
"""
import numpy as np
from matplotlib.colors import to_rgb

# signal: (colour, line style, marker, label as in the equations)
STYLE = {
    "x": ("#5A4B4B", (0, (1, 1)), ".", r"$x_t$"),
    "f": ("#1E5A87", (0, (8, 2)), "o", r"$f_t$"),
    "i": ("#873C00", (0, (3, 2)), "s", r"$i_t$"),
    "g": ("#5A785A", (0, (6, 2, 1, 2)), "^", r"$g_t$ ($\tilde{C}_t$)"),
    "c": ("#D24B00", "-", "v", r"$C_t$"),
    "o": ("#A56987", (0, (1, 2.5)), "D", r"$o_t$"),
    "h": ("#000000", (0, (12, 2, 2, 2, 2, 2)), "P", r"$h_t$"),
    "y": ("#3C78B4", (0, (4, 1, 1, 1, 1, 1)), "*", r"$\hat{y}_{t+1}$"),
}
SIGNALS = tuple(STYLE)

# signals made from the ones above: their parent's colour, hollow markers, another line style
DERIVED_STYLE = {
    "h_prev": ("#000000", (0, (2, 2)), "P", r"$h_{t-1}$"),
    "kept": ("#1E5A87", "-", "o", r"kept $f_t C_{t-1}$"),
    "written": ("#873C00", "-", "s", r"written $i_t g_t$"),
    "tanh_c": ("#D24B00", (0, (5, 2)), "v", r"$\tanh(C_t)$"),
    "y_next": ("#3C78B4", "none", "*", r"$\hat{y}_{T+1}$"),
}

# plain-text names of the signals, for tables and for the words that describe a figure
LABELS = {"x": "x_t", "f": "f_t", "i": "i_t", "g": "g_t", "c": "C_t", "o": "o_t", "h": "h_t",
          "y": "ŷ_{t+1}", "h_prev": "h_{t-1}", "c_prev": "C_{t-1}", "kept": "f_t*C_{t-1}",
          "written": "i_t*g_t", "tanh_c": "tanh(C_t)", "y_next": "ŷ_{T+1}"}

TEXT = "#222222"        # titles and labels drawn in dark text (19:1 on white)
ERROR = "#B00020"       # an error message for the learner (6.3:1 on white)
GRID = "#CCCCCC"        # the zero line and grids: decoration, not data
NEUTRAL = "#767676"     # reference lines such as "always answering 1" (4.5:1)


def line_style(name):
    """Keyword arguments for ax.plot that draw signal `name`: x, f, i, g, c, o, h, y, or a
    derived one: h_prev, kept, written, tanh_c, y_next."""
    if name in STYLE:
        color, ls, marker, label = STYLE[name]
        return dict(color=color, linestyle=ls, marker=marker, label=label, markersize=5,
                    linewidth=2)
    color, ls, marker, label = DERIVED_STYLE[name]
    size = 14 if name == "y_next" else 6
    return dict(color=color, linestyle=ls, marker=marker, label=label, markersize=size,
                linewidth=2, markerfacecolor=color if name == "y_next" else "white",
                markeredgecolor="#000000" if name == "y_next" else color)


def color(name):
    """The colour of signal `name` (a hex string)."""
    return (STYLE.get(name) or DERIVED_STYLE[name])[0]


def luminance(colour):
    """WCAG 2.2's relative luminance of a colour: a hex string, a name, or (r, g, b) in 0..1."""
    rgb = np.array(to_rgb(colour))
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ [0.2126, 0.7152, 0.0722])


def contrast(a, b="#FFFFFF"):
    """WCAG 2.2's contrast ratio of two colours (as `luminance` takes them), 1 to 21; against
    white by default."""
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)
