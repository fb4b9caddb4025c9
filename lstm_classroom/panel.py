"""One way to build a live panel: controls, one compute, and the views that show its result.

A `Panel` is built in one go from declared parts and owns nothing else:

    controls  a `Controls` (lstm_classroom.controls): named widgets that only know their values
    compute   values -> result (a dict): every number the panel shows, computed once per change;
              a ValueError (a typed sequence that cannot be read) is shown as a message and
              changes nothing
    views     name -> view, in the order they are updated after each compute:
              `LinePlot` (rows of lines over time), `DiagramView` (a cell diagram), `HTMLView`
              (a readout), `SliderRange` (a slider whose range follows the result)
    layout    what is shown, top to bottom: widgets, or the names of views, "message" (why an
              input was refused) and "share" (the setting to copy)
    parts     named widgets the notebooks and tests reach as attributes (panel.text, panel.step)

Every view has `widgets` (what it shows) and `update(result)`; one with a figure has `live` (its
LiveFigure). The panel's own figure (`panel.live`, its description and PNG) is the first view's
that has one. A change of any control computes once, then updates the views in their declared
order, whatever order their widgets were made in.
"""
import base64
import html
import io
import math
from contextlib import ExitStack

import ipywidgets as widgets
import matplotlib.image as mpimg
import numpy as np
from matplotlib.ticker import MaxNLocator

from lstm_classroom.controls import SettingError
from lstm_classroom.diagram import FIGSIZE as DIAGRAM_SIZE
from lstm_classroom.diagram import CellDiagram
from lstm_classroom.figures import set_ylim
from lstm_classroom.inputs import MAX_TEXT
from lstm_classroom.live import LiveDisplay, LiveFigure, img_html
from lstm_classroom.style import ERROR, GRID, TEXT, line_style


def escaped(text):
    """Text made safe to put inside HTML (learner and setting text included)."""
    return html.escape(str(text), quote=False)


# ---- views --------------------------------------------------------------------------------------
class LinePlot:
    """Rows of lines over time in one LiveFigure, moved to each result's "lines".

    rows     : ((title, line names, ylim), ...); ylim UNIT, SIGNED, (lo, hi), or None to follow
               the data;  figsize : (width, height) in inches
    styles   : name -> keyword arguments for ax.plot (default: the palette's line_style)
    describe : result -> the words that say what the figure shows
    xlim     : result -> x-limits, or None to keep them fixed;  setup : axes -> None, for
               fixed decoration done once;  xlabel : the x axis' label
    Attributes: live, axes, lines (name -> Line2D), widgets.
    """

    def __init__(self, rows, *, figsize=(8, 4), styles=None, describe=None, xlim=None,
                 setup=None, xlabel="time step t"):
        self.rows, self.describe, self._xlim = rows, describe or (lambda result: ""), xlim
        self.live = live = LiveFigure(figsize)
        fig = live.fig
        n, height = len(rows), figsize[1]   # margins in inches: 0.35 top, 0.5 bottom, 0.5 between
        fig.subplots_adjust(left=0.085, right=0.74, top=1 - 0.35 / height, bottom=0.5 / height,
                            hspace=0.5 * n / max(height - 0.85 - 0.5 * (n - 1), 0.5))
        self.axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
        self.lines, self._follow = {}, []
        for ax, (title, names, ylim) in zip(self.axes, rows):
            for name in names:
                style = (styles or {}).get(name) or line_style(name)
                self.lines[name] = live.animate(ax.plot([], [], **style)[0])
            ax.set_title(title, loc="left", fontsize=10, color=TEXT)
            ax.axhline(0, color=GRID, linewidth=0.8, zorder=0)
            ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=10)
            set_ylim(ax, ylim)
            if ylim is None:
                self._follow.append(ax)
        self.axes[-1].set_xlabel(xlabel)
        self.axes[-1].xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
        if setup:
            setup(self.axes)
        self.widgets = [live.view, live.words]

    def update(self, result):
        """Move the lines to result["lines"], fit the axes, say the words, redraw (blitted unless
        a limit moved; not at all when nothing moved, e.g. the dashboard's time step)."""
        moved = False
        for name, line in self.lines.items():
            x, y = result["lines"][name]
            moved = moved or not (np.array_equal(line.get_xdata(), x)
                                  and np.array_equal(line.get_ydata(), y))
            line.set_data(x, y)
        full = self._fit_x(result)
        full = self._fit_y() or full
        self.live.say(self.describe(result))
        if moved or full:
            self.live.refresh(full)

    def _fit_x(self, result):
        if self._xlim is None:
            return False
        lim = tuple(self._xlim(result))
        if lim == tuple(self.axes[-1].get_xlim()):
            return False
        self.axes[-1].set_xlim(*lim)
        return True

    def _fit_y(self):
        """Set each data-following axes to `following_limits` of its data; True if any limit
        moved (the whole figure must then be redrawn). The limits depend on the data alone, so
        a setting draws the same picture whatever moves led to it."""
        moved = False
        for ax in self._follow:
            ys = [np.asarray(line.get_ydata(), float) for line in self.lines.values()
                  if line.axes is ax]
            ys = np.concatenate(ys) if ys else np.zeros(1)
            lim = following_limits(float(ys.min()), float(ys.max()))
            if lim != tuple(ax.get_ylim()):
                ax.set_ylim(*lim)
                moved = True
        return moved


def following_limits(lo, hi):
    """y-limits for data from lo to hi: a margin of 12 % of the span (at least 0.2) on each
    side, rounded outwards to a grid of a fifth of the span's power of ten, so that small moves
    of the data keep the same limits."""
    span = max(hi - lo, 0.2)
    grid = 10.0 ** math.floor(math.log10(span)) / 5
    return (round(math.floor((lo - 0.12 * span) / grid) * grid, 12),
            round(math.ceil((hi + 0.12 * span) / grid) * grid, 12))


class DiagramView:
    """A cell diagram (lstm_classroom.diagram) in a LiveFigure, drawn from each result.

    spec  : the DiagramSpec drawn first;  step : result -> (values, spec) of the step to draw
    title : result -> a title over the diagram (the figure is then TITLE_H inches taller), or None
    caption : result, the diagram's sentence -> what the figure says it shows (default: the
            sentence)
    Attributes: live, diagram (the CellDiagram), title (its Text or None), widgets.
    """

    TITLE_H = 0.45   # inches above the 8.0 x 4.6 diagram for its title

    def __init__(self, spec, step, *, title=None, caption=None):
        self.step, self._title = step, title
        self._caption = caption or (lambda result, sentence: sentence)
        height = DIAGRAM_SIZE[1] + (self.TITLE_H if title else 0)
        self.live = LiveFigure((DIAGRAM_SIZE[0], height))
        ax = self.live.fig.add_axes((0, 0, 1, DIAGRAM_SIZE[1] / height))
        self.title = (self.live.fig.text(0.01, 1 - 0.08 / height, "", ha="left", va="top",
                                         fontsize=12, color=TEXT) if title else None)
        self.diagram = CellDiagram(ax, spec)
        self.live.animate(*self.diagram.artists)
        self.widgets = [self.live.view, self.live.words]

    def update(self, result):
        """Draw the step's numbers; a new spec (another variant) or title redraws it all."""
        values, spec = self.step(result)
        full = spec is not self.diagram.spec
        if self.title is not None:
            title = self._title(result)
            full = full or title != self.title.get_text()
            self.title.set_text(title)
        sentence = self.diagram.draw(values, spec)
        self.live.say(self._caption(result, sentence))
        self.live.refresh(full)


class HTMLView:
    """An HTML widget whose text `render(result)` makes (e.g. a readout of the prediction)."""

    def __init__(self, render):
        self.render = render
        self.html = widgets.HTML("")
        self.widgets = [self.html]

    def update(self, result):
        self.html.value = self.render(result)


class SliderRange:
    """A slider whose maximum follows the result: `maximum(result)` (e.g. the dashboard's time
    step, 1..T of the typed sequence; a value past it moves to it)."""

    def __init__(self, slider, maximum):
        self.slider, self.maximum = slider, maximum
        self.widgets = []

    def update(self, result):
        top = self.maximum(result)
        if self.slider.value > top:
            self.slider.value = top
        if self.slider.max != top:
            self.slider.max = top


# ---- the panel ----------------------------------------------------------------------------------
class Panel(LiveDisplay):
    """Controls, one compute, and views kept in step with them (see the module's words).

    controls : Controls;  compute : values -> result;  views : {name: view}, in update order
    layout   : what is shown, top to bottom (widgets, view names, "message", "share")
    parts    : {name: widget or dict of widgets}, reached as attributes (panel.step); the
               latest result's entries are attributes too (panel.trace, panel.prediction)
    title    : what the panel is, for its repr;  figure : the name of the view whose figure is
               the panel's (its PNG and words), by default the first view that has one
    Attributes: controls, compute, views, parts, result (the latest compute), live (that
    figure), message, share, widget; lines and axes of a LinePlot view named "lines".
    """

    def __init__(self, controls, compute, views, *, layout, parts=None, title="", figure=None):
        self.controls, self.compute, self.views = controls, compute, dict(views)
        self.parts, self.title = dict(parts or {}), title
        figures = [n for n, v in self.views.items() if getattr(v, "live", None) is not None]
        self.live = self.views[figure].live if figure else \
            self.views[figures[0]].live if figures else None
        self.message = widgets.HTML("")
        self.share = widgets.Text(
            value="", description="setting", continuous_update=False,
            tooltip="this panel's whole setting: copy it to keep or share it; paste one and "
                    "press Enter to restore it",
            style={"description_width": "4.5em"}, layout=widgets.Layout(width="100%"))
        self.result = self._good = None   # _good: the controls' values the result is of
        self._updating = False
        self.update()
        own = {"message": [self.message], "share": [self.share]}
        shown = []
        for item in layout:
            shown += (own[item] if item in own else self.views[item].widgets
                      if isinstance(item, str) else [item])
        self.widget = widgets.VBox(shown)
        controls.observe(self.update)
        self.share.observe(self._on_share, names="value")

    def __getattr__(self, name):
        """A declared part (panel.step), else an entry of the latest result (panel.trace)."""
        parts, result = self.__dict__.get("parts", {}), self.__dict__.get("result") or {}
        if name in parts:
            return parts[name]
        if name in result:
            return result[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    @property
    def values(self):
        """The controls' values, by name."""
        return self.controls.values

    lines = property(lambda self: self.views["lines"].lines)
    axes = property(lambda self: self.views["lines"].axes)

    @property
    def words(self):
        """The widget under the panel's figure that says what it shows."""
        return self.live.words

    def update(self):
        """Compute once from the controls' values, then update every view in its declared
        order; an input that cannot be read leaves everything as it was and says why."""
        if self._updating:       # a view moved a control (a slider's range): already computed
            return
        values = self.controls.values
        try:
            result, refused = self.compute(values), None
        except ValueError as err:
            # a typed entry that cannot be read: the panel keeps the last good one and follows
            # every other control (a slider moved after it is not lost)
            refused = err
            good = {**values, **{n: self._good[n] for n in self.controls.typed
                                 if self._good is not None}}
            if self._good is None or good == values or good == self._good:   # nothing else moved
                self._refuse(err)
                return
            try:
                result = self.compute(good)
            except ValueError:
                self._refuse(err)
                return
            values = good
        self._good = values
        self.result = result
        self._updating = True
        try:
            if refused is not None:
                self._drop_long_entries()
            with ExitStack() as stack:      # the pictures reach the page before any words
                for view in self.views.values():
                    if getattr(view, "live", None) is not None:
                        stack.enter_context(view.live.picture_first())
                stack.enter_context(self.share.hold_sync())
                for view in self.views.values():
                    view.update(result)
                # what is shown: the sliders as the views left them (a time step moved into a
                # shorter sequence), the typed entries that were read
                self._good = {**self.controls.values,
                              **{n: values[n] for n in self.controls.typed}}
                self.share.value = self.controls.setting(self._good)
        finally:
            self._updating = False
        if refused is None:
            self.message.value = ""
        else:
            self._refuse(refused)

    def _drop_long_entries(self):
        """A typed entry too long to keep (a paste) goes back to the last good one."""
        if self._good is None:
            return
        for n in self.controls.typed:
            w = self.controls.widgets[n]
            if len(w.value) > MAX_TEXT:
                was, self._updating = self._updating, True
                try:
                    w.value = self._good[n]
                finally:
                    self._updating = was

    def _refuse(self, err):
        self._drop_long_entries()
        self.message.value = (f"<span style='color:{ERROR}'>Could not read that input: "
                              f"{escaped(err)} The figure still shows the last input that could "
                              "be read.</span>")

    # -- settings: keep one, share one, restore one ------------------------------------------
    @property
    def setting(self):
        """The panel's whole setting as one line to copy, e.g. for dashboard(setting="..."):
        what it shows (a typed entry it refused is not in it)."""
        return self.controls.setting(self._good)

    def restore(self, setting):
        """Put every control where `setting` (a line, a JSON document or a dict) says, redrawn
        once. A setting that cannot be read changes nothing: the panel says why and this
        returns False."""
        try:
            self.controls.restore(setting)
        except SettingError as err:
            self.message.value = (f"<span style='color:{ERROR}'>Could not restore that "
                                  f"setting: {escaped(err)}. The panel is unchanged.</span>")
            return False
        self.message.value = ""
        return True

    def save(self, path):
        """Write the setting to a small JSON file at `path`."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.controls.setting_json(self._good) + "\n")

    def load(self, path):
        """Restore the setting saved in the JSON file at `path` (see `restore`)."""
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read(10_000)
        except OSError as err:
            self.message.value = (f"<span style='color:{ERROR}'>Could not read "
                                  f"{escaped(path)}: {escaped(err.strerror or err)}.</span>")
            return False
        return self.restore(text)

    def _on_share(self, change):
        if change["new"] == self.setting:
            return
        if not change["new"].strip():       # an empty paste: say so, and show the setting again
            self.message.value = (f"<span style='color:{ERROR}'>The setting box was empty: "
                                  "paste a setting (a line that starts with panel=) and press "
                                  "Enter. The panel is unchanged.</span>")
            self.share.value = self.setting
        elif not self.restore(change["new"]):
            self.share.value = self.setting

    @property
    def last_redraw(self):
        """How the last change reached the figure: 'blit', 'full', 'image' or 'none'."""
        return self.live.last_redraw

    def hold(self):
        """Change many controls at once (`with panel.hold(): ...`): one recomputation and one
        redraw at the end instead of one per change."""
        return self.controls.hold()

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The live widget for a front end with a kernel; for one without, every figure of the
        panel (the curves and the diagram under them), one under the other, as one picture whose
        words say what each shows and that the sliders appear when the notebook runs."""
        figures = [self.live] + [v.live for v in self.views.values()
                                 if getattr(v, "live", None) not in (None, self.live)]
        if len(figures) < 2:
            return self.live.mimebundle(self.widget, include, exclude)
        pngs = [f.displayed_png() for f in figures]
        words = " ".join(f.description for f in figures) + (
            " (A still picture of the panel at this setting: with a running kernel its "
            "sliders are shown above it and it follows them.)")
        data = stacked_png(pngs)
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/html"] = img_html(data, words)
        bundle["image/png"] = base64.b64encode(data).decode("ascii")
        bundle["text/plain"] = words
        return bundle

    def __repr__(self):
        return f"{type(self).__name__}: {self.title}"


def stacked_png(pngs):
    """PNG images (bytes) one under the other, on white, as one PNG."""
    images = [mpimg.imread(io.BytesIO(p), format="png") for p in pngs]
    width = max(im.shape[1] for im in images)
    rows = []
    for im in images:
        page = np.ones((im.shape[0], width, 4), np.float32)
        page[:, :im.shape[1], :im.shape[2]] = im
        rows.append(page)
    out = io.BytesIO()
    mpimg.imsave(out, np.concatenate(rows), format="png")
    return out.getvalue()
