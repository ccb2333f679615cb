"""Hotpath's hook in the Python children of a profiled program (see hotpath_sampler/children.py).

This folder is put first on PYTHONPATH when a profile follows child processes, so that every
Python interpreter started below the target imports this file at start-up. It takes itself out
of ``sys.path`` (the program sees the path of a bare run), starts the child's sampler, and then
runs the ``sitecustomize`` that it shadows, if the interpreter has one (Debian's, a venv's).
"""


def _hotpath_start():
    import importlib.machinery
    import importlib.util
    import os
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    sys.path[:] = [p for p in sys.path if not p or os.path.abspath(p) != here]
    try:
        sys.path.insert(0, root)
        try:
            from hotpath_sampler import children

            children.start_in_this_process()
        finally:
            sys.path.remove(root)
    except Exception as err:  # noqa: BLE001 - never stop the program for the profiler
        sys.stderr.write("hotpath: could not profile this child process: %s\n" % err)
    # The sitecustomize this file shadows (site.py then finds it in sys.modules as the one imported).
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", sys.path)
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        sys.modules["sitecustomize"] = module
        spec.loader.exec_module(module)


_hotpath_start()
