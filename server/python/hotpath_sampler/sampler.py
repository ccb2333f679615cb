"""The sampling thread: reads every thread's Python stack at a fixed rate.

Each sample is weighed by the time it stands for, not by the nominal interval: a C extension
that holds the GIL for 200 ms (a large NumPy call) keeps the sampler from running, and the next
sample, taken as soon as the call returns to the line that made it, carries the whole 200 ms.
"""

import _thread
import os
import sys
import threading
import time

# Per-thread CPU clocks: Linux and the BSDs have pthread_getcpuclockid (time exposes it on Unix
# builds that have it); macOS and Windows do not, and cpu mode falls back to the process clock.
_THREAD_CLOCKS = hasattr(time, "pthread_getcpuclockid") and hasattr(time, "clock_gettime")


def thread_cpu_clock(ident):
    """The CPU clock id of the thread with this ``threading.get_ident()``, or None."""
    if not _THREAD_CLOCKS:
        return None
    try:
        return time.pthread_getcpuclockid(ident)
    except (OSError, OverflowError, ValueError):
        return None


class Sampler:
    """Samples all threads but itself from a thread of its own (invisible to ``threading``).

    ``stop_at(frame)`` marks the frame below which a stack belongs to the profiler, not the
    target; frames of ``skip_files`` directly above it (runpy's) are dropped too.
    """

    def __init__(self, rate_hz=100.0, mode="wall", skip_files=()):
        if mode not in ("wall", "cpu"):
            raise ValueError("mode must be 'wall' or 'cpu'")
        self.interval = 1.0 / float(rate_hz)
        self.mode = mode
        self.skip_files = frozenset(skip_files)
        self.boundary = None
        self.frames = []  # [(name, file, line, def_line)]
        self.frame_index = {}  # (code, line) -> index in frames
        self.threads = {}  # ident -> {"name", "native_id", "samples", "weights", "start", "cpu"}
        self.start_time = None
        self.end_time = None
        self.sample_count = 0
        self._wake = _thread.allocate_lock()
        self._done = _thread.allocate_lock()
        self._running = False
        self._own_ident = None
        self._last_process_cpu = None

    def stop_at(self, frame):
        self.boundary = frame

    # --- control -------------------------------------------------------------------------------
    def start(self):
        self._wake.acquire()
        self._done.acquire()
        self._running = True
        self.start_time = time.perf_counter()
        self._last_process_cpu = time.process_time()
        for ident in sys._current_frames():
            self._thread_entry(ident, baseline=True)
        _thread.start_new_thread(self._loop, ())

    def stop(self):
        """Stops sampling and waits for the sampling thread; safe to call more than once."""
        if not self._running:
            return
        self._running = False
        self._wake.release()
        if self._own_ident != _thread.get_ident():
            self._done.acquire()
        self.end_time = time.perf_counter()

    def _loop(self):
        self._own_ident = _thread.get_ident()
        last = self.start_time
        try:
            while True:
                self._wake.acquire(timeout=self.interval)
                if not self._running:
                    break
                now = time.perf_counter()
                self._sample(now - last)
                last = now
        finally:
            self._done.release()

    # --- sampling ------------------------------------------------------------------------------
    def _thread_entry(self, ident, baseline=False):
        entry = self.threads.get(ident)
        if entry is None:
            thread = getattr(threading, "_active", {}).get(ident)
            clock = thread_cpu_clock(ident) if self.mode == "cpu" else None
            cpu = 0.0
            if clock is not None and baseline:
                try:
                    cpu = time.clock_gettime(clock)
                except OSError:
                    clock = None
            entry = {
                "name": thread.name if thread is not None else "Thread",
                "native_id": getattr(thread, "native_id", None),
                "samples": [],
                "weights": [],
                "start": time.perf_counter() - self.start_time,
                "clock": clock,
                "cpu": cpu,
            }
            self.threads[ident] = entry
        return entry

    def _sample(self, elapsed):
        frames = sys._current_frames()
        frames.pop(self._own_ident, None)
        share = None
        if self.mode == "cpu" and not _THREAD_CLOCKS:
            # No per-thread clocks: split the process's CPU time over the threads.
            now = time.process_time()
            share = (now - self._last_process_cpu) / max(1, len(frames))
            self._last_process_cpu = now
        for ident, frame in frames.items():
            entry = self._thread_entry(ident)
            if self.mode == "wall":
                weight = elapsed
            elif share is not None:
                weight = share
            else:
                weight = self._cpu_delta(entry)
            if weight <= 0.0:
                continue  # cpu mode: the thread did not run since the last sample
            stack = self._stack(frame)
            if not stack:
                continue
            samples = entry["samples"]
            samples.append(stack)
            entry["weights"].append(weight)
            self.sample_count += 1

    def _cpu_delta(self, entry):
        clock = entry["clock"]
        if clock is None:
            return 0.0
        try:
            now = time.clock_gettime(clock)
        except OSError:
            return 0.0
        delta = now - entry["cpu"]
        entry["cpu"] = now
        return delta

    def _stack(self, frame):
        """Frame indices from the outermost to the innermost frame of the target."""
        out = []
        boundary = self.boundary
        index = self.frame_index
        while frame is not None and frame is not boundary:
            code = frame.f_code
            line = frame.f_lineno
            key = (code, line)
            i = index.get(key)
            if i is None:
                i = len(self.frames)
                name = getattr(code, "co_qualname", code.co_name)
                filename = code.co_filename
                if filename and not filename.startswith("<"):
                    filename = os.path.abspath(filename)
                self.frames.append((name, filename, line or 0, code.co_firstlineno, code.co_filename))
                index[key] = i
            out.append(i)
            frame = frame.f_back
        if frame is boundary and boundary is not None:
            # The profiler's own run of the target: drop runpy's frames above our boundary.
            while out and self.frames[out[-1]][4] in self.skip_files:
                out.pop()
        out.reverse()
        return tuple(out)

    # --- output --------------------------------------------------------------------------------
    def speedscope(self, name, extra=None):
        """The profile as a speedscope file (a dict ready for json.dump)."""
        began = self.start_time if self.start_time is not None else time.perf_counter()
        end = (self.end_time or time.perf_counter()) - began
        profiles = []
        thread_info = []
        for ident, entry in self.threads.items():
            if not entry["samples"]:
                continue
            label = entry["name"]
            if entry["native_id"] is not None:
                label = "%s (tid %d)" % (label, entry["native_id"])
            total = sum(entry["weights"])
            profiles.append(
                {
                    "type": "sampled",
                    "name": label,
                    "unit": "seconds",
                    "startValue": 0,
                    "endValue": total,
                    "samples": [list(s) for s in entry["samples"]],
                    "weights": entry["weights"],
                }
            )
            thread_info.append({"name": entry["name"], "nativeId": entry["native_id"], "startSeconds": entry["start"]})
        hotpath = {
            "version": 1,
            "backend": "builtin",
            "mode": self.mode,
            "rateHz": 1.0 / self.interval,
            "durationSeconds": end,
            "sampleCount": self.sample_count,
            "pid": os.getpid(),
            "threads": thread_info,
            # The line of each frame's `def` (CPython's co_firstlineno: the first decorator's line
            # for a decorated function), in the order of shared.frames.
            "defLines": [f[3] for f in self.frames],
            "perThreadCpuClocks": _THREAD_CLOCKS,
        }
        if extra:
            hotpath.update(extra)
        return {
            "$schema": "https://www.speedscope.app/file-format-schema.json",
            "exporter": "hotpath-sampler",
            "name": name,
            "activeProfileIndex": 0,
            "shared": {"frames": [_frame_json(f) for f in self.frames]},
            "profiles": profiles,
            "hotpath": hotpath,
        }


def _frame_json(frame):
    name, filename, line, _def_line, _raw = frame
    out = {"name": name, "file": filename}
    if line:
        out["line"] = line
    return out
