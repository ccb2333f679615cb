"""Works for a while, then fails: its profile must still show what ran."""
import time


def work(seconds):
    end = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < end:
        total += sum(i * i for i in range(200))
    return total


work(0.6)
raise RuntimeError("boom")
