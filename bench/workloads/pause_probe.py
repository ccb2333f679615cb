"""The pauses a sampling profiler puts into a running program, for bench/profile.bench.ts: a busy
loop, DEPTH calls deep, notes every gap of more than 20 us between two clock reads. Gaps under
1 ms are pauses (py-spy stopping the process to read its stack, and the machine's own
interruptions: compare with a run without a profiler); longer ones are the scheduler giving the
core to another job. Prints:

    pauses_percent 2.31 pauses_per_second 512.0 median_pause_us 38.0 descheduled_percent 0.12
"""
import sys
import time


def probe(depth, seconds):
    if depth > 0:
        return probe(depth - 1, seconds)
    gaps = []
    clock = time.perf_counter
    end = clock() + seconds
    last = clock()
    while last < end:
        now = clock()
        if now - last > 20e-6:
            gaps.append(now - last)
        last = now
    return gaps


def main(depth, seconds):
    gaps = probe(depth, seconds)
    short = sorted(g for g in gaps if g < 1e-3)
    long_ = [g for g in gaps if g >= 1e-3]
    print(
        "pauses_percent %.3f pauses_per_second %.1f median_pause_us %.1f descheduled_percent %.3f"
        % (100 * sum(short) / seconds, len(short) / seconds, short[len(short) // 2] * 1e6 if short else 0.0, 100 * sum(long_) / seconds)
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 0, float(sys.argv[2]) if len(sys.argv) > 2 else 2.0)
