"""Fixture for Hotpath's end-to-end tests (test/e2e/suite).

`collect_scores` grows an array in a loop (HP201, array-growth), `count_words`
compiles the same pattern on every iteration (HP501, loop-invariant-call, with
a "Hoist" quick fix) and `scale` is clean. The tests find these lines by their
text and compare the fixed file exactly, so edit both together.
"""
import re

import numpy as np

WORD_PATTERN = r"[a-z']+"


def collect_scores(values):
    scores = np.array([])
    for v in values:
        scores = np.append(scores, v)
    return scores


def count_words(lines):
    counts = []
    for line in lines:
        word_re = re.compile(WORD_PATTERN)
        counts.append(len(word_re.findall(line)))
    return counts


def scale(values, factor):
    return np.asarray(values) * factor
