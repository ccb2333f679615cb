"""A long-running process the end-to-end tests attach to: once it is busy it writes its pid to the
marker file (its first argument), then spins in spin_forever for up to two minutes."""
import os
import sys
import time


def spin_forever(seconds):
    end = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < end:
        total += sum(i * i for i in range(200))
    return total


def main(marker):
    spin_forever(0.5)
    with open(marker, "w") as f:
        f.write(str(os.getpid()))
    spin_forever(120)


if __name__ == "__main__":
    main(sys.argv[1])
