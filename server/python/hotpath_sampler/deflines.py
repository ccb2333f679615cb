"""Finds the ``def`` line of the functions in a py-spy profile, whose frames carry only the line
that was executing. Reads ``[[file, name, line], ...]`` as JSON on stdin and writes one line
number (or null) per entry as JSON on stdout. The line is the one CPython gives as
``co_firstlineno``: the first decorator's line for a decorated function, 1 for module code.

    python -m hotpath_sampler.deflines < frames.json
"""

import ast
import json
import sys
import tokenize

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _scopes(path):
    """(first_line, last_line, name) of every function, lambda and class in a file."""
    try:
        with tokenize.open(path) as f:
            tree = ast.parse(f.read(), path)
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return None
    out = []
    for node in ast.walk(tree):
        if isinstance(node, _FUNCTIONS):
            decorators = getattr(node, "decorator_list", None) or []
            first = min([node.lineno] + [d.lineno for d in decorators])
            name = "<lambda>" if isinstance(node, ast.Lambda) else node.name
            out.append((first, node.end_lineno or node.lineno, name))
    return out


def def_line(scopes, name, line):
    if name == "<module>":
        return 1
    short = name.rsplit(".", 1)[-1]
    best = None
    for first, last, scope_name in scopes:
        if scope_name == short and first <= line <= last:
            if best is None or first > best:
                best = first  # the innermost scope of that name
    return best


def resolve(entries):
    cache = {}
    out = []
    for path, name, line in entries:
        if path not in cache:
            cache[path] = _scopes(path) if path and not path.startswith("<") else None
        scopes = cache[path]
        out.append(def_line(scopes, name, line) if scopes is not None and line else None)
    return out


def main():
    entries = json.load(sys.stdin)
    json.dump(resolve(entries), sys.stdout)


if __name__ == "__main__":
    main()
