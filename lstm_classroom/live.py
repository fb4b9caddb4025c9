"""A live figure: redrawn fast when a slider moves, and still a picture without a kernel.

One mechanism serves every interactive figure (the gate panels, the dashboard, the gradient
panel, the live loss curve). It knows its figure and the artists that move, nothing about sliders:

- Where ipympl works (JupyterLab, Notebook 7), the figure is an ipympl canvas. The moving
  ("animated") artists are redrawn over a saved background (blitting, about 10 ms) when no axis
  limit moved, else the whole figure is drawn once.
- Anywhere else (Colab, VS Code, an environment without ipympl), the same figure is drawn by
  Agg and shown as a PNG <img> (with the figure's words as its alt text) in an ipywidgets HTML,
  re-rendered on every change: same sliders, same numbers.
- Displayed, it carries a PNG of the figure as it is and words that say what it shows, so a reader
  without a kernel (GitHub, nbviewer, a static page, a screen reader) still gets the picture.

`use_live_figures()` is the one place that decides which of the two a notebook gets.
"""
import base64
import functools
import html
import io
import os
import struct
import sys
import threading
import zlib
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

MODES = ("ipympl", "image")
_mode = None    # chosen by use_live_figures(); None: not chosen yet


def _ipympl_usable():
    """ipympl is installed and loads, and the front end is one where its figures show."""
    import matplotlib
    before = matplotlib.get_backend()
    try:
        import ipympl.backend_nbagg  # noqa: F401
    except ImportError:
        return False, "ipympl is not installed here"
    except Exception as err:   # noqa: BLE001 - a broken ipympl must not stop the notebook
        return False, f"ipympl is installed but does not load ({type(err).__name__})"
    finally:
        if matplotlib.get_backend() != before:   # importing ipympl switches pyplot to it;
            matplotlib.use(before)                # pyplot's static figures stay as they were
    if "google.colab" in sys.modules:
        return False, "Colab's widget manager does not show ipympl figures reliably"
    if "VSCODE_PID" in os.environ or "VSCODE_CWD" in os.environ:
        return False, "VS Code does not show ipympl figures reliably"
    return True, ""


def use_live_figures(mode=None, *, quiet=False):
    """Choose how live figures are drawn: 'ipympl' (in place, in the browser) where it works,
    else 'image' (a PNG re-rendered on every change). Static figures always show inline.

    mode : None to decide from what is installed and where the notebook runs, or 'ipympl' /
           'image' to force one. Prints one line saying which mode the notebook is in, unless
           quiet. Returns the mode. Never raises for a missing backend: it falls back.
    """
    global _mode
    if mode is not None and mode not in MODES:
        raise ValueError(f"mode must be None, 'ipympl' or 'image'; got {mode!r}")
    works, why = _ipympl_usable()
    if mode == "ipympl" and not works:
        why = f"'ipympl' was asked for, but {why}"
        mode = "image"
    _mode = mode or ("ipympl" if works else "image")
    _inline()
    if not quiet:
        if _mode == "ipympl":
            print("Live figures: drawn by ipympl, updated in place as you move a slider.")
        else:
            reason = f" ({why})" if why else ""
            print(f"Live figures: shown as images, redrawn as you move a slider{reason}.")
    return _mode


def _inline():
    """Static matplotlib figures show inline in any front end (no-op outside IPython)."""
    try:
        import matplotlib
        from IPython import get_ipython
        shell = get_ipython()
        if shell is not None and "inline" not in matplotlib.get_backend():
            shell.run_line_magic("matplotlib", "inline")
    except Exception:   # noqa: BLE001 - a front end without inline figures still runs the panels
        pass


def live_mode():
    """The mode live figures are drawn in now: 'ipympl' or 'image'."""
    if _mode is None:
        return "ipympl" if _ipympl_usable()[0] else "image"
    return _mode


def png_bytes(fig):
    """The figure as PNG bytes, at its own size and dpi."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi="figure")
    return buf.getvalue()


def img_html(png, words):
    """An <img> of PNG bytes with `words` as its alt text (what a screen reader says)."""
    alt = html.escape(words or "a figure", quote=True)
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{alt}" style="max-width:100%">'


def _fast_png(rgba):
    """(h, w, 4) uint8 pixels as PNG bytes, without row filters and with zlib's fastest level:
    a few ms where PIL's encoder takes 10-30 (the same pixels: PNG is lossless)."""
    h, w, _ = rgba.shape
    rows = np.zeros((h, 4 * w + 1), np.uint8)        # each row: filter type 0, then its pixels
    rows[:, 1:] = rgba.reshape(h, 4 * w)

    def chunk(tag, body):
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">2I5B", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


# JupyterLab with a kernel that has subshells (ipykernel >= 7) handles widget messages on a thread
# of their own, while the notebook's cells run on the main thread. matplotlib's text rendering
# (the mathtext parser, FreeType's fonts) is not thread-safe: two panels drawn at once from two
# threads fail now and then ("raster overflow", a mathtext parse error), and the change that was
# being drawn is lost. So every recompute and every drawing of a live figure takes this lock.
DRAW_LOCK = threading.RLock()


@functools.cache
def _canvas_class():
    """ipympl's Canvas, sending each change faster: matplotlib's get_diff_image (the changed
    pixels over a transparent image, a PNG the page draws over what it shows), except that the
    image stops after the last changed row and column (the page draws it at the top left corner)
    and is encoded by _fast_png."""
    from ipympl.backend_nbagg import Canvas

    class FastCanvas(Canvas):
        def draw(self):
            with DRAW_LOCK:      # the page asks for full draws from the widget thread
                super().draw()

        def get_diff_image(self):
            with DRAW_LOCK:
                return self._diff_image()

        def _diff_image(self):
            if not self._png_is_old:
                return None
            pixels = np.asarray(self.get_renderer().buffer_rgba())
            buff = pixels.view(np.uint32).squeeze(2)
            if (self._force_full or buff.shape != self._last_buff.shape
                    or (pixels[:, :, 3] != 255).any()):
                self.set_image_mode("full")
                out = pixels
            else:
                self.set_image_mode("diff")
                changed = buff != self._last_buff
                rows, cols = np.flatnonzero(changed.any(1)), np.flatnonzero(changed.any(0))
                h, w = (rows[-1] + 1, cols[-1] + 1) if len(rows) else (1, 1)
                out = np.where(changed[:h, :w], buff[:h, :w], 0).view(np.uint8).reshape(h, w, 4)
            self._last_buff = buff.copy()
            self._force_full = self._png_is_old = False
            return _fast_png(out)
    return FastCanvas


class LiveFigure:
    """A matplotlib figure shown as a widget whose moving artists are redrawn fast.

    figsize : (width, height) in inches at 100 dpi; at most 8.4 wide, so it fits a notebook column
    mode    : 'ipympl' or 'image'; by default what `use_live_figures()` chose
    Attributes: fig, view (the widget that shows it), mode, description (the words for it),
    last_redraw ('blit', 'full', 'image' or 'none': how the last change reached the screen).
    """

    def __init__(self, figsize, mode=None):
        self.mode = mode or live_mode()
        self.fig = Figure(figsize=figsize, dpi=100)
        self.description = ""
        # the same words under the figure, in a region a screen reader reads out when it changes
        self.words = widgets.HTML("", layout=widgets.Layout(max_width="800px"))
        self.last_redraw = "none"
        self._animated = []      # artists drawn by us: blitted, or after each full draw
        self._bg = self._bg_key = None
        self._holding = 0
        self._pending = None     # inside hold(): the redraw asked for, done at the end
        self._displayed = False
        self._printing = False
        if self.mode == "ipympl":
            from ipympl.backend_nbagg import FigureManager
            canvas = _canvas_class()(self.fig)
            FigureManager(canvas, 0)
            canvas.header_visible = canvas.footer_visible = canvas.toolbar_visible = False
            canvas.resizable = False
            canvas.capture_scroll = False
            self.view = canvas
            self.fig.canvas.mpl_connect("draw_event", self._on_draw)
        else:
            FigureCanvasAgg(self.fig)
            self.view = widgets.HTML()
        self.last_png = b""       # image mode: the PNG on show

    def say(self, words):
        """Set the words that say what the figure shows: its text alternative (the PNG's alt
        text and text/plain) and the polite live region `words` shown under it."""
        self.description = words
        self.words.value = f"<div aria-live='polite'>{html.escape(words, quote=False)}</div>"

    def animate(self, *artists):
        """Mark artists as moving: they are redrawn on every refresh. Returns the first."""
        for a in artists:
            a.set_animated(True)
            self._animated.append(a)
        return artists[0] if artists else None

    def refresh(self, full=False):
        """Show the artists' new data: blit them when nothing else changed, else one full draw
        (full=True: an axis limit, a title or a legend moved). Returns how it was shown."""
        if self._holding:
            self._pending = bool(full or self._pending)
            return "held"
        with DRAW_LOCK:
            self.last_redraw = self._redraw(full)
        return self.last_redraw

    @contextmanager
    def hold(self):
        """Many changes, one redraw: `with live.hold(): ...` refreshes once at the end."""
        self._holding += 1
        try:
            yield self
        finally:
            self._holding -= 1
            if not self._holding and self._pending is not None:
                full, self._pending = self._pending, None
                self.refresh(full)

    def _on_draw(self, event):
        """After each full draw: keep the background (for blitting), then draw the movers."""
        if self._printing:
            return           # a PNG being saved draws every artist itself
        r = event.renderer
        if hasattr(event.canvas, "copy_from_bbox") and hasattr(r, "buffer_rgba"):
            self._bg = event.canvas.copy_from_bbox(self.fig.bbox)
            self._bg_key = (r.width, r.height, r.dpi)
        for a in self._animated:
            a.draw(r)

    def _redraw(self, full):
        if self.mode == "image":
            if not self._displayed:
                return "none"     # drawn when displayed
            self._show_png(self.png())
            return "image"
        canvas = self.view
        r = canvas.get_renderer()
        if not full and self._bg is not None and (r.width, r.height, r.dpi) == self._bg_key:
            canvas.restore_region(self._bg)
            for a in self._animated:
                self.fig.draw_artist(a)
            canvas.blit(self.fig.bbox)
            return "blit"
        self._bg = None      # stale until the full draw comes back: no blitting over it meanwhile
        canvas.draw_idle()
        return "full"

    def _show_png(self, data):
        self.last_png = data
        self.view.value = img_html(data, self.description)

    def png(self):
        """The figure as it is now, movers included, as PNG bytes."""
        with DRAW_LOCK:
            self._printing = True
            for a in self._animated:
                a.set_animated(False)
            try:
                return png_bytes(self.fig)
            finally:
                self._printing = False
                for a in self._animated:
                    a.set_animated(True)

    def mimebundle(self, widget, include=None, exclude=None):
        """Display data for `widget` (which holds this figure's view): the live widget for a
        front end with a kernel; for one without (a notebook opened before it runs, a static
        render), the figure as it is now, as an <img> with its words as alt text and as a plain
        PNG, and the words as text. A front end shows one of them, never several.

        Stored notebooks keep no widget state (`make notebooks`), so a static render such as
        nbconvert's, which would otherwise try to draw the widget from a CDN, shows the picture."""
        self._displayed = True
        data = self.png()
        if self.mode == "ipympl":
            self.view._data_url = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        else:
            self._show_png(data)
        bundle = widget._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/html"] = img_html(data, self.description)
        bundle["image/png"] = base64.b64encode(data).decode("ascii")
        bundle["text/plain"] = self.description or "(a live figure)"
        return bundle


class Shown:
    """What every live panel shares: `png()`, `show()` and its display data (the live widget for
    a front end with a kernel, a PNG of the figure and its words for one without). A panel that
    inherits it has `live` (its LiveFigure) and `widget` (everything it shows)."""

    @property
    def description(self):
        """The words that say what the figure shows now."""
        return self.live.description

    def png(self):
        """The figure as it is now, as PNG bytes."""
        return self.live.png()

    def show(self):
        """Display the panel (the same as leaving it as the last line of a cell)."""
        from IPython.display import display
        display(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.live.mimebundle(self.widget, include, exclude)
