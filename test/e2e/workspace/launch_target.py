"""Profiled through .vscode/launch.json: writes what it was given (arguments, working folder,
environment) to its report, then spends its time in the function its --mode names."""
import argparse
import json
import os
import sys
import time


def busy(seconds):
    end = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < end:
        total += sum(i * i for i in range(200))
    return total


def work_squares():
    return busy(1.5)


def work_cubes():
    return busy(1.5)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", required=True)
    parser.add_argument("--report", required=True)
    args = parser.parse_args()
    # A relative path: found only when the run's working folder is the configuration's cwd.
    with open("input.txt") as f:
        seed = f.read().strip()
    report = {
        "argv": sys.argv[1:],
        "cwd": os.getcwd(),
        "label": os.environ.get("HOTPATH_E2E_LABEL"),
        "input": seed,
    }
    with open(args.report, "w") as f:
        json.dump(report, f)
    globals()["work_" + args.mode]()


if __name__ == "__main__":
    main()
