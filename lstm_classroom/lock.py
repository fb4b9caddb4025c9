"""The one lock every recompute and every drawing of a live figure takes.

JupyterLab with a kernel that has subshells (ipykernel >= 7) handles widget messages on a thread
of their own, while the notebook's cells run on the main thread. matplotlib's text rendering
(the mathtext parser, FreeType's fonts) is not thread-safe: two panels drawn at once from two
threads fail now and then ("raster overflow", a mathtext parse error), and the change that was
being drawn is lost. Here, with nothing else, so that both controls and live can import it.
"""
import threading

DRAW_LOCK = threading.RLock()
