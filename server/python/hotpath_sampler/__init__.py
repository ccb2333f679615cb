"""Hotpath's builtin sampling profiler: needs nothing but the Python standard library.

Run as ``python -m hotpath_sampler [options] script.py args`` or ``... -m module args`` with
``server/python`` on ``PYTHONPATH``. See ``server/python/README.md``.
"""

__all__ = ["FORMAT_VERSION"]

#: Version of the ``hotpath`` block that this sampler adds to the speedscope file.
FORMAT_VERSION = 1
