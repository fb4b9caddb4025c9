"""Strict nbval a second time, with numpy held to its baseline kernels.

The stored outputs must not depend on the processor: numpy picks its exp, tanh and other loops,
and OpenBLAS its matrix kernels, for the processor it runs on, and their last bits differ. So
every notebook that nbval collects is collected twice: `notebooks/08_training.ipynb` as usual,
and `notebooks/08_training.ipynb[baseline kernels]`, whose kernel starts with
NPY_DISABLE_CPU_FEATURES set to every CPU feature numpy found beyond its build's baseline (read
at run time from np.show_config), so numpy runs the loops that any processor of its kind would
run. Both must match the same stored outputs. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE stay as the
machine sets them (some machines set them so that OpenBLAS computes correctly).

The header of the run says which features were disabled, or why there is no second run: numpy
older than 1.25 cannot list its features, and a processor with none beyond the baseline would
run the same loops twice.
"""
import os

import pytest

BASELINE = "[baseline kernels]"


def found_cpu_features():
    """The CPU features numpy found beyond its baseline, e.g. ['X86_V3'], or None when this numpy
    cannot say (np.show_config(mode="dicts") came with numpy 1.25)."""
    import numpy as np
    try:
        simd = np.show_config(mode="dicts")["SIMD Extensions"]
    except (TypeError, KeyError):
        return None
    return list(simd.get("found", []))


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (pytest.ini): one worker per core the process may use, and one more. The browser
    tests wait on the page much of the time; the extra worker runs a notebook meanwhile (on this
    2-core machine, make test took 4 min 59 s and 5 min 11 s instead of 5 min 20 s)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


def pytest_configure(config):
    config.baseline_features = None
    if getattr(config.option, "nbval", False):
        config.baseline_features = found_cpu_features()


def pytest_report_header(config):
    features = config.baseline_features
    if not getattr(config.option, "nbval", False):
        return None
    if features is None:
        return "nbval with baseline kernels: not run (this numpy cannot list its CPU features)"
    if not features:
        return ("nbval with baseline kernels: not run (numpy found no CPU feature beyond its "
                "baseline)")
    return f"nbval with baseline kernels: NPY_DISABLE_CPU_FEATURES={','.join(features)}"


def pytest_collect_file(file_path, parent):
    """Each notebook nbval collects, once more under the name `<path>[baseline kernels]`."""
    if file_path.suffix != ".ipynb" or not parent.config.baseline_features:
        return None
    from nbval.plugin import IPyNbFile
    nodeid = os.path.relpath(file_path, parent.config.rootpath).replace(os.sep, "/") + BASELINE
    return IPyNbFile.from_parent(parent, path=file_path, name=file_path.name + BASELINE,
                                 nodeid=nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """A baseline copy's kernel starts (in its first cell's set-up) with the features disabled."""
    if BASELINE not in item.nodeid.split("::")[0]:
        yield
        return
    before = os.environ.get("NPY_DISABLE_CPU_FEATURES")
    os.environ["NPY_DISABLE_CPU_FEATURES"] = ",".join(item.config.baseline_features)
    try:
        yield
    finally:
        if before is None:
            del os.environ["NPY_DISABLE_CPU_FEATURES"]
        else:
            os.environ["NPY_DISABLE_CPU_FEATURES"] = before
