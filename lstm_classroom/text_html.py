"""A text coloured character by character by one signal, as HTML with inline styles only (it
renders in a notebook, on GitHub and on a static page): notebook 10's CellReader and
coloured_text. Each character's background comes from a blue-white-red scale and its ink is
black or white, whichever contrasts more (style.contrast, at least 4.5:1 on every colour of the
scale); every character and label is html-escaped.
"""
import html

import numpy as np

from lstm_classroom.style import contrast

# ColorBrewer's RdBu, blue for negative through near-white to red for positive
_RDBU = np.array([[33, 102, 172], [103, 169, 207], [209, 229, 240], [247, 247, 247],
                  [253, 219, 199], [239, 138, 98], [178, 24, 43]], np.float64)


def diverging_color(u):
    """u in [-1, 1] -> (r, g, b) 0-255 on the blue-white-red scale (values outside are clipped)."""
    x = (np.clip(u, -1, 1) + 1) / 2 * (len(_RDBU) - 1)
    k = min(int(x), len(_RDBU) - 2)
    return tuple(round(float(v)) for v in _RDBU[k] + (x - k) * (_RDBU[k + 1] - _RDBU[k]))


def contrast_ratio(rgb1, rgb2):
    """WCAG 2.2's contrast ratio of two (r, g, b) 0-255 colours (style.contrast), 1 to 21."""
    return contrast(tuple(np.asarray(rgb1) / 255), tuple(np.asarray(rgb2) / 255))


def text_color(background):
    """Black or white, whichever contrasts more with background (always >= 4.5:1 here)."""
    black, white = (0, 0, 0), (255, 255, 255)
    on_black, on_white = contrast_ratio(background, black), contrast_ratio(background, white)
    return black if on_black >= on_white else white


def render_html(text, values, *, limit=None, center=0.0, label="value"):
    """The text as HTML, each character on a background coloured by its value: blue below
    `center`, near-white at it, red above, full colour at center -/+ limit (default: the largest
    |value - center|). Each character's title attribute gives its value; a line break shows as
    "↵". Inline styles only, so it renders in a notebook, on GitHub and on a static page.
    For C_t or h_t keep center=0; for a gate (0 to 1) use center=0.5, limit=0.5. Returns a str,
    e.g. for IPython.display.HTML."""
    v = np.asarray(values, np.float64)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}")
    if v.shape != (len(text),):
        raise ValueError(f"values must have one number per character, shape ({len(text)},); "
                         f"got {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError("values must be finite (no NaN or inf)")
    limit = float(np.max(np.abs(v - center), initial=0.0)) if limit is None else float(limit)
    limit = limit if limit > 0 else 1.0
    spans = []
    for ch, x in zip(text, v):
        bg = diverging_color((x - center) / limit)
        fg = text_color(bg)
        shown = "↵" if ch == "\n" else html.escape(ch)
        span = (f'<span style="background:rgb{bg};color:rgb{fg}" '
                f'title="{html.escape(label)} = {x:+.3f}">{shown}</span>')
        spans.append(span + ("<br>" if ch == "\n" else ""))
    lo, hi = center - limit, center + limit
    caption = (f'<div style="font-family:sans-serif;font-size:90%;margin-bottom:4px">'
               f'{html.escape(label)}: blue = {lo:+.2f}, white = {center:+.2f}, red = {hi:+.2f}; '
               f'observed {v.min():+.3f} to {v.max():+.3f}</div>')
    body = ('<div style="font-family:monospace;white-space:pre;line-height:1.5;'
            'background:#ffffff;color:#000000">' + "".join(spans) + "</div>")
    return f"<div>{caption}{body}</div>"
