"""The notebooks as static HTML pages that work with no network (what `make html` runs).

    python scripts/export_html.py [folder]      # default: build/html

Each notebook becomes <folder>/<name>.html (nbconvert's lab template): its stored outputs, so
every live panel is its picture with the figure's words as alt text. The math is typeset by a copy
of MathJax 2.7 in <folder>/mathjax, taken from the jupyter-server-mathjax package (nbconvert's
pages would otherwise fetch MathJax from a CDN and, offline, show raw TeX). <folder>/index.html
lists the pages. Nothing is fetched: open index.html from disk.
"""
import html
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# MathJax 2's entry point and a configuration jupyter-server-mathjax ships (TeX in, HTML-CSS or
# MathML out), with Safe as nbconvert's default has it
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"


def mathjax_folder():
    """The MathJax 2 files jupyter-server-mathjax ships (MathJax.js, config/, jax/, fonts/...)."""
    try:
        import jupyter_server_mathjax
    except ImportError:
        sys.exit("make html needs the jupyter-server-mathjax package (pip install -e '.[test]')")
    return Path(jupyter_server_mathjax.__file__).parent / "static"


def export(notebooks, out):
    """Write each notebook of `notebooks` as <out>/<name>.html, MathJax beside them and an index;
    returns the pages written."""
    from nbconvert import HTMLExporter
    out.mkdir(parents=True, exist_ok=True)
    shutil.copytree(mathjax_folder(), out / "mathjax", dirs_exist_ok=True)
    exporter = HTMLExporter(template_name="lab", mathjax_url=MATHJAX_URL)
    pages = []
    for path in notebooks:
        body, _ = exporter.from_filename(str(path))
        page = out / (path.stem + ".html")
        page.write_text(body, encoding="utf-8")
        pages.append(page)
    links = "\n".join(f'<li><a href="{html.escape(p.name)}">{html.escape(p.stem)}</a></li>'
                      for p in pages)
    (out / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>LSTM, gate by gate</title></head>\n<body><h1>LSTM, gate by gate</h1>\n"
        f"<p>The notebooks as static pages: pictures in place of the live figures.</p>\n"
        f"<ul>\n{links}\n</ul></body></html>\n", encoding="utf-8")
    return pages


def main(args):
    out = Path(args[0]).resolve() if args else ROOT / "build" / "html"
    pages = export(sorted((ROOT / "notebooks").glob("*.ipynb")), out)
    print(f"{len(pages)} pages in {out}; open {out / 'index.html'}")


if __name__ == "__main__":
    main(sys.argv[1:])
