"""Fixture for the inline-cost tests (test/e2e/suite/inlineCost.ts).

The tests hand the extension a profile in which the loop of `step` is 41% of the
run (1.9 s) and `grow` is cold, then look for the heat, the CodeLens, the ranked
HP101 and the Hot Paths view. They find lines by their text: edit both together.
"""
import numpy as np


def step(a, b):
    out = np.empty(len(a))
    for i in range(len(a)):
        out[i] = a[i] * b[i]
    return out


def grow(xs):
    acc = np.array([])
    for x in xs:
        acc = np.append(acc, x)
    return acc
