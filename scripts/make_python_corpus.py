"""Build the real-text corpus: a slice of the Python 3.10.13 standard library's own source.

    python scripts/make_python_corpus.py [--lib /root/.pyenv/versions/3.10.13/lib/python3.10]

Writes lstm_classroom/data/python_train.txt (the files in TRAIN_FILES, concatenated) and
python_heldout.txt (HELDOUT_FILES, which the model never sees in training), and copies Python's
LICENSE.txt to python_LICENSE.txt beside them. Each file is preceded by one comment line naming
it, "# ---- Lib/argparse.py ----". Every file chosen is plain ASCII without tabs, so the
vocabulary is the 95 printable ASCII characters and the line break. The files come from one fixed
Python version (3.10.13), never from the Python that runs this, so the corpus never changes;
the script refuses another version.
"""
import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION = "3.10.13"
TRAIN_FILES = (
    "argparse.py", "dataclasses.py", "enum.py", "contextlib.py", "pathlib.py", "shutil.py",
    "tempfile.py", "threading.py", "random.py", "csv.py", "glob.py", "fnmatch.py", "copy.py",
    "pprint.py", "string.py", "calendar.py", "configparser.py", "gettext.py", "queue.py",
    "weakref.py", "bisect.py", "abc.py", "numbers.py", "types.py", "traceback.py",
)
HELDOUT_FILES = ("textwrap.py", "sched.py", "shelve.py", "linecache.py", "cmd.py")


def concatenate(lib, names):
    parts = []
    for name in names:
        text = (lib / name).read_text(encoding="ascii")
        if "\t" in text or "\r" in text or any(not (ch.isprintable() or ch == "\n") for ch in text):
            raise ValueError(f"{name} has tabs or control characters; pick another file")
        parts.append(f"# ---- Lib/{name} ----\n" + text.rstrip("\n") + "\n\n")
    return "".join(parts)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lib", type=Path,
                   default=Path(f"/root/.pyenv/versions/{VERSION}/lib/python3.10"))
    p.add_argument("--out", type=Path, default=ROOT / "lstm_classroom" / "data")
    a = p.parse_args()
    patchlevel = a.lib.parents[1] / "include" / "python3.10" / "patchlevel.h"
    if f'#define PY_VERSION              "{VERSION}"' not in patchlevel.read_text():
        sys.exit(f"{a.lib} is not Python {VERSION}'s Lib ({patchlevel} says otherwise)")
    for out, names in (("python_train.txt", TRAIN_FILES), ("python_heldout.txt", HELDOUT_FILES)):
        text = concatenate(a.lib, names)
        (a.out / out).write_text(text, encoding="ascii")
        print(f"{out}: {len(names)} files, {len(text):,} characters")
    shutil.copyfile(a.lib / "LICENSE.txt", a.out / "python_LICENSE.txt")


if __name__ == "__main__":
    main()
