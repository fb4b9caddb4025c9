"""The classroom layer of "LSTM, gate by gate": what the notebooks show and check.

The cell itself is in lstm_core.py and learning in lstm_learn.py; this package only calls them.

    style     the one palette: a colour, line style, marker and label per signal
    inputs    the input sequences a panel offers, and reading a typed one (numpy only)
    signals   everything a panel plots, derived from one lstm_core run (numpy only)
    figures   static figures and tables, and `core_code`, the core's own source
    live      LiveFigure: a figure redrawn fast under a slider, with a PNG for readers
              without a kernel; `use_live_figures()` picks the backend
    controls  labelled sliders and input boxes that only know their values
    panels    sliders + a compute function + rows to plot: gate panels, the dashboard,
              the gradient panel, the live loss curve
    checks    the exercises' checks, one module per notebook (numpy only)
"""
