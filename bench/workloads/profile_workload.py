"""The overhead benchmark's workload: an ML-flavoured mix of pure-Python work (function calls, dict
and list operations) and NumPy calls, about 2 s on an idle core. Prints its own run time, measured
inside the program, so interpreter start-up and profiler set-up do not count, and the CPU time
of the whole process over the same stretch (all its threads: the builtin sampler's thread too):

    workload_seconds 2.013 process_cpu_seconds 2.001
"""
import sys
import time

import numpy as np


def tokenize(text):
    return [w.strip(".,").lower() for w in text.split()]


def count_words(docs):
    counts = {}
    for doc in docs:
        for word in tokenize(doc):
            counts[word] = counts.get(word, 0) + 1
    return counts


def features(rng, n):
    x = rng.random((n, 64))
    w = rng.random((64, 16))
    y = np.tanh(x @ w)
    return float(np.sort(y, axis=0)[n // 2].sum())


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def main(scale):
    rng = np.random.default_rng(0)
    docs = ["The quick brown fox, jumps over the lazy dog. Profilers measure time." * 4] * 2000
    began = time.perf_counter()
    cpu = time.process_time()
    total = 0.0
    for _ in range(int(6 * scale)):
        total += len(count_words(docs))
        total += features(rng, 60_000)
        total += fib(20)
    elapsed = time.perf_counter() - began
    print("workload_seconds %.6f process_cpu_seconds %.6f" % (elapsed, time.process_time() - cpu))
    return total


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
