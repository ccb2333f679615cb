"""Runs until it is stopped (or for a minute): the end-to-end tests stop its profile half-way."""
import os
import sys
import time


def busy(seconds):
    end = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < end:
        total += sum(i * i for i in range(200))
    return total


def main(marker):
    busy(1.0)
    with open(marker, "w") as f:
        f.write(str(os.getpid()))
    for _ in range(60):
        busy(1.0)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "long_run.started")
