"""A live figure: redrawn fast when a slider moves, and still a picture without a kernel.

One mechanism serves every interactive figure (the gate panels, the dashboard, the gradient
panel, the live loss curve). It knows its figure and the artists that move, nothing about sliders:

- In JupyterLab and Jupyter Notebook 7 (and any front end but two), the figure is a `FigureView`:
  a <canvas> in the page that the kernel paints on. The moving ("animated") artists are redrawn
  by Agg over a saved background (blitting) when no axis limit moved, else the whole figure is
  drawn; then only the pixels that changed go to the page, which puts them in place.
- In Colab and VS Code, where the canvas is not tested, the same figure is drawn by Agg and shown
  as a PNG <img> (with the figure's words as its alt text) in an ipywidgets HTML, re-rendered on
  every change: same sliders, same numbers. Every front end that shows widgets shows that.
- Displayed, it carries a PNG of the figure as it is and words that say what it shows, so a reader
  without a kernel (GitHub, nbviewer, a static page, a screen reader) still gets the picture.
- Saved by JupyterLab or Notebook 7 with the widgets' state (the project's lab settings turn that
  on), a notebook opened again shows each figure as the learner left it: the page keeps the
  canvas's latest picture in its copy of the view's state.

The page's side is JavaScript in files beside this module: figure.js and figure.css (the canvas),
words.js and words.css (the words' live region), loaded by anywidget.

`use_live_figures()` is the one place that decides which of the two a notebook gets.
"""
import base64
import html
import io
import os
import pathlib
import sys
from contextlib import ExitStack, contextmanager

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from lstm_classroom.lock import DRAW_LOCK

MODES = ("canvas", "image")
HERE = pathlib.Path(__file__).parent
_chosen = {"mode": None}    # what use_live_figures() chose; None: not chosen yet


def _why_images():
    """Why this front end gets images rather than the live canvas ('' where the canvas is used:
    everywhere but Colab and VS Code; the browser tests run it in JupyterLab and Notebook 7)."""
    tested = "the in-place canvas is tested in JupyterLab and Jupyter Notebook 7"
    if "google.colab" in sys.modules:
        return f"in Colab: {tested}, images work everywhere"
    if "VSCODE_PID" in os.environ or "VSCODE_CWD" in os.environ:
        return f"in VS Code: {tested}, images work everywhere"
    return ""


def use_live_figures(mode=None, *, quiet=False):
    """Choose how live figures are drawn: 'canvas' (a canvas in the page, repainted where it
    changed), or in Colab and VS Code 'image' (a PNG re-rendered on every change).
    Static figures always show inline.

    mode : None to decide from where the notebook runs, or 'canvas' / 'image' to force one.
           Prints one line saying which mode the notebook is in, unless quiet. Returns the mode.
    """
    if mode is not None and mode not in MODES:
        raise ValueError(f"mode must be None, 'canvas' or 'image'; got {mode!r}")
    why = _why_images()
    chosen = _chosen["mode"] = mode or ("image" if why else "canvas")
    _inline()
    if not quiet:
        if chosen == "canvas":
            print("Live figures: drawn in the page, updated in place as you move a slider while "
                  "the kernel runs; without a kernel (a saved page, a static copy) each is a "
                  "still picture.")
        else:
            reason = f" ({why})" if why and mode is None else ""
            print(f"Live figures: shown as images, redrawn as you move a slider{reason}.")
    return chosen


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
    """The mode live figures are drawn in now: 'canvas' or 'image'."""
    if _chosen["mode"] is None:
        return "image" if _why_images() else "canvas"
    return _chosen["mode"]


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



RUN = 0x7FFF     # the longest run of one frame code
KEEP = 0x8000    # a code's flag: these pixels are as they were


def _runs(new, changed=None):
    """A rectangle of pixels, (h, w) uint32 (one RGBA pixel each), row after row, as runs:
    (codes, values), uint16 and uint32. Run k covers codes[k] & RUN pixels; if codes[k] & KEEP
    they did not change (`changed`, (h, w) bool, is False there: the page keeps them), else they
    all hold the next value. Without `changed`, every pixel is sent. Runs longer than RUN are
    split.

    A figure is flat colour with a few lines and letters, and a move changes a few thousand of
    its pixels: a frame is a few kB, packed in about 1 ms and unpacked by the page with one loop
    as soon as it arrives (a PNG takes 3-5 ms to encode, and the page decodes it on another
    thread, then waits for its main thread to draw it)."""
    flat = np.ascontiguousarray(new).ravel()
    if changed is None:
        changed = np.ones(flat.size, bool)
        edges = flat[1:] != flat[:-1]
    else:
        changed = np.ascontiguousarray(changed).ravel()
        edges = (changed[1:] != changed[:-1]) | (changed[1:] & (flat[1:] != flat[:-1]))
    starts = np.concatenate(([0], np.flatnonzero(edges) + 1))
    lengths = np.diff(np.append(starts, flat.size))
    pieces = (lengths - 1) // RUN + 1
    if (pieces > 1).any():
        starts = np.repeat(starts, pieces)
        split = np.full(len(starts), RUN)
        split[np.cumsum(pieces) - 1] = lengths - (pieces - 1) * RUN
        lengths = split
    keep = ~changed[starts]
    codes = lengths.astype(np.uint16) | np.where(keep, KEEP, 0).astype(np.uint16)
    return codes, flat[starts[~keep]]


def _changed_box(changed):
    """The smallest rectangle (y0, y1, x0, x1) holding every True of `changed` ((h, w) bool), or
    None when there is none."""
    rows = np.flatnonzero(changed.any(1))
    if not len(rows):
        return None
    cols = np.flatnonzero(changed[rows[0]:rows[-1] + 1].any(0))
    return rows[0], rows[-1] + 1, cols[0], cols[-1] + 1


class FigureView(anywidget.AnyWidget):
    """A live figure's pixels in the page: a <canvas> (role img, its words as its name) that the
    kernel paints on (figure.js). After a change only the pixels that changed are sent, as runs
    (see `_runs`), and the page puts them in place (putImageData) as soon as they arrive. A view
    that appears (the notebook opened) says it is ready, with its device pixel ratio, and gets the
    whole figure; it says so again when its ratio changes (browser zoom, another screen). The
    figure is drawn at the highest ratio of the views on show, so none of them is soft.

    The page keeps the latest picture in its copy of `png` (never sent back): JupyterLab and
    Notebook 7 save it with the widget state (lab-settings/overrides.json turns that on), and a
    notebook opened again shows the figure as it was left, with or without a kernel.

    width, height : the figure's size on the page, in CSS pixels
    label         : its accessible name (the figure's words)
    png           : the picture shown from the start, until the kernel's first frame
    """
    _esm = HERE / "figure.js"
    _css = HERE / "figure.css"
    width = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(0).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    png = traitlets.Bytes(b"").tag(sync=True)

    def __init__(self, width, height, on_ready):
        super().__init__(width=int(width), height=int(height))
        self._on_ready = on_ready     # on_ready(ratio): draw everything at that pixel ratio
        self._last = None             # (h, w) uint32: the pixels the page has
        self.ratios = {}              # each view on show (its id): its device pixel ratio
        self.ready = False            # a page has shown the view: frames are worth sending
        self.on_msg(self._message)

    @property
    def ratio(self):
        """The device pixel ratio the figure is drawn at: the highest of the views on show
        (1 to 3; 1 when none is)."""
        return max(self.ratios.values(), default=1.0)

    def _message(self, _widget, content, _buffers):
        if not isinstance(content, dict) or content.get("type") not in ("ready", "gone"):
            return                    # not ours: nothing changes
        view = str(content.get("view", ""))[:40]
        with DRAW_LOCK:               # not while another thread sends a frame
            before = self.ratio
            if content["type"] == "gone":
                self.ratios.pop(view, None)
                if self.ratios and self.ratio != before:
                    self._last = None     # every view gets the figure at the new ratio
                    self._on_ready(self.ratio)
                return
            ratio = content.get("ratio", 1)
            if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) \
                    or not np.isfinite(ratio):
                ratio = 1
            if view not in self.ratios and len(self.ratios) >= 64:
                self.ratios.clear()       # views gone without a word (a closed page): forgotten
            self.ratios[view] = float(min(max(ratio, 1), 3))
            self.ready = True
            self._last = None             # the view that just appeared needs every pixel
            self._on_ready(self.ratio)

    def send_pixels(self, rgba):
        """Send what changed in `rgba` ((h, w, 4) uint8) since the last frame: the whole image
        the first time or after a resize, else the changed rectangle. Returns the bytes sent
        (0: nothing changed, or no page shows the view)."""
        if not self.ready:
            return 0
        buff = rgba.view(np.uint32)[..., 0]
        full = self._last is None or self._last.shape != buff.shape
        changed = None if full else buff != self._last     # (h, w): where the page is behind
        box = (0, buff.shape[0], 0, buff.shape[1]) if full else _changed_box(changed)
        if box is None:
            return 0
        y0, y1, x0, x1 = (int(v) for v in box)
        codes, values = _runs(buff[y0:y1, x0:x1], None if full else changed[y0:y1, x0:x1])
        self.send({"type": "frame", "full": full, "x": x0, "y": y0, "w": x1 - x0,
                   "h": y1 - y0}, [codes.tobytes(), values.tobytes()])
        if full:
            self._last = buff.copy()
        else:
            self._last[y0:y1, x0:x1] = buff[y0:y1, x0:x1]
        return codes.nbytes + values.nbytes


class Words(anywidget.AnyWidget):
    """A figure's words under it, in one polite live region that stays on the page while its text
    changes (words.js), so a screen reader announces every new text. Its `value` is HTML, as an
    ipywidgets HTML's: an outer <div aria-live=...> is unwrapped into the region."""
    _esm = HERE / "words.js"
    _css = HERE / "words.css"
    value = traitlets.Unicode("").tag(sync=True)


class LiveFigure:
    """A matplotlib figure shown as a widget whose moving artists are redrawn fast.

    figsize : (width, height) in inches at 100 dpi; at most 8.4 wide, so it fits a notebook column
    mode    : 'canvas' or 'image'; by default what `use_live_figures()` chose
    Attributes: fig, view (the widget that shows it), mode, description (the words for it),
    last_redraw ('blit', 'full', 'image' or 'none': how the last change reached the screen).
    """

    def __init__(self, figsize, mode=None):
        self.mode = mode or live_mode()
        self.fig = Figure(figsize=figsize, dpi=100)
        self.description = ""
        # the same words under the figure, in a region a screen reader reads out when it changes
        self.words = Words(layout=widgets.Layout(max_width="800px"))
        self.last_redraw = "none"
        self._animated = []      # artists drawn by us: blitted, or after each full draw
        self._bg = self._bg_key = None
        self._holding = 0
        self._pending = None     # inside hold(): the redraw asked for, done at the end
        self._displayed = False
        self._printing = False
        FigureCanvasAgg(self.fig)
        if self.mode == "canvas":
            self.view = FigureView(*(self.fig.get_size_inches() * 100).round(), self._on_ready)
            self.fig.canvas.mpl_connect("draw_event", self._on_draw)
        else:
            self.view = widgets.HTML()
        self.last_png = b""       # image mode: the PNG on show

    def say(self, words):
        """Set the words that say what the figure shows: its text alternative (the PNG's alt
        text and text/plain) and the polite live region `words` shown under it (one region,
        whose text changes in place)."""
        self.description = words
        if self.mode == "canvas":
            self.view.label = words
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

    def show(self, words, full=False):
        """One change: new words and a refresh (full as for `refresh`), the picture reaching the
        page first (`picture_first`). Returns how it was shown."""
        with self.picture_first():
            self.say(words)
            return self.refresh(full)

    @contextmanager
    def picture_first(self, *others):
        """One change whose new picture reaches the page before its new words:
        `with live.picture_first(): live.say(...); live.refresh()` (`show` does just that). In
        canvas mode the words (and the new values of the `others` widgets) are held back until
        the block ends: the page handles its messages one by one, 0.3-3 ms each, and the
        learner waits for the pixels. In image mode nothing is held: the words are the image's
        alt text."""
        with ExitStack() as stack:
            if self.mode == "canvas":
                for widget in (self.words, self.view, *others):
                    stack.enter_context(widget.hold_sync())
            yield self

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
        if not self.view.ready:
            self._bg = None       # no page shows it yet: drawn, all of it, when one does
            return "none"
        canvas = self.fig.canvas
        r = canvas.get_renderer()
        if not full and self._bg is not None and (r.width, r.height, r.dpi) == self._bg_key:
            canvas.restore_region(self._bg)
            for a in self._animated:
                self.fig.draw_artist(a)
            how = "blit"
        else:
            canvas.draw()     # every artist; _on_draw keeps the new background
            how = "full"
        self.view.send_pixels(np.asarray(canvas.buffer_rgba()))
        return how

    def _on_ready(self, ratio):
        """A page shows the view, at `ratio` device pixels per CSS pixel: draw it all, at that
        many pixels (sharp on a high-density screen), and send it. The view calls it holding
        DRAW_LOCK."""
        if self.fig.dpi != 100 * ratio:
            self.fig.set_dpi(100 * ratio)
        self._redraw(full=True)

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

    def displayed_png(self):
        """The figure is being displayed: from now on every change is drawn (image mode), and
        the canvas starts from this picture. Returns it, as PNG bytes."""
        self._displayed = True
        data = self.png()
        if self.mode == "canvas":
            self.view.png = data
        else:
            self._show_png(data)
        return data

    def mimebundle(self, widget, include=None, exclude=None):
        """Display data for `widget` (which holds this figure's view): the live widget for a
        front end with a kernel; for one without (a notebook opened before it runs, a static
        render), the figure as it is now, as an <img> with its words as alt text and as a plain
        PNG, and the words as text. A front end shows one of them, never several.

        Stored notebooks keep no widget state (`make notebooks`), so a static render such as
        nbconvert's, which would otherwise try to draw the widget from a CDN, shows the picture."""
        data = self.displayed_png()
        bundle = widget._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/html"] = img_html(data, self.description)
        bundle["image/png"] = base64.b64encode(data).decode("ascii")
        bundle["text/plain"] = self.description or "(a live figure)"
        return bundle


class LiveDisplay:
    """What every live panel shares: `png()`, `display()` and its display data (the live widget
    for a front end with a kernel, a PNG of the figure and its words for one without). A panel
    that inherits it has `live` (its LiveFigure) and `widget` (everything it shows)."""

    @property
    def description(self):
        """The words that say what the figure shows now."""
        return self.live.description

    def png(self):
        """The figure as it is now, as PNG bytes."""
        return self.live.png()

    def display(self):
        """Display the panel (the same as leaving it as the last line of a cell)."""
        from IPython.display import display
        display(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.live.mimebundle(self.widget, include, exclude)

