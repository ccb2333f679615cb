"""The torch backend: runs the target under ``torch.profiler`` next to the builtin sampler.

The sampler gives the Python time per line, as in the builtin backend; the PyTorch profiler
(CPU activities, and CUDA when it is available, ``with_stack=True``) gives what the GPU did.
Each kernel's time is attributed to the line executing in the innermost frame of the user's own
files (not in torch, site-packages, the standard library or Hotpath) when the launching operator
was called, and so are host-device syncs (``cudaDeviceSynchronize``, ``cudaStreamSynchronize``,
device-to-host copies such as ``.item()`` and ``.cpu()``). GPU idle time is the time between
the first and the last kernel of the traced steps when no kernel ran.

The executing line comes from a ``TorchFunctionMode`` that wraps each torch call made while the
profiler runs in a ``record_function("hotpath@FILE:LINE")`` range: torch's own Python stacks
(``with_stack``) name a frame by its function's first line, not by the line that was running.
Operators with no such range (called from C++, or on another thread) fall back to those stacks,
that is to the user function's ``def`` line.

Traces are bounded: when torch can hook optimizer steps (torch 2.0+), a schedule traces
``wait`` steps skipped, ``warmup`` steps, then ``active`` steps; otherwise the whole run is traced
and a warning says so. The Chrome trace of the traced steps is written next to the profile.
"""

import os
import re
import sys
import sysconfig

_STACK_ENTRY = re.compile(r"^(?P<file>.*)\((?P<line>\d+)\): (?P<func>.*)$")
_MARK = "hotpath@"
_SYNC_NAMES = ("cudaDeviceSynchronize", "cudaStreamSynchronize", "cudaEventSynchronize", "aten::_local_scalar_dense")
_MEMCPY_NAMES = ("cudaMemcpy", "cudaMemcpyAsync")


def _library_roots():
    roots = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            roots.add(os.path.realpath(path))
    roots.add(os.path.realpath(os.path.dirname(os.path.abspath(__file__))))
    return tuple(r + os.sep for r in roots)


class TorchSession:
    def __init__(self, trace_path, wait=1, warmup=1, active=5):
        import torch
        import torch.profiler as tp

        self.torch = torch
        self.trace_path = trace_path
        self.warnings = []
        self.cuda = bool(torch.cuda.is_available())
        activities = [tp.ProfilerActivity.CPU]
        if self.cuda:
            activities.append(tp.ProfilerActivity.CUDA)
        else:
            self.warnings.append("CUDA is not available (torch.cuda.is_available() is False): only CPU activities were profiled.")
        self.steps = 0
        self.scheduled = False
        self.hook = None
        self.result_events = None
        schedule = None
        register = getattr(getattr(torch.optim, "optimizer", None), "register_optimizer_step_post_hook", None)
        if register is not None:
            schedule = tp.schedule(wait=wait, warmup=warmup, active=active, repeat=1)
            self.scheduled = True
            self.window = (wait, warmup, active)
        else:
            self.warnings.append("This torch cannot hook optimizer steps (it is older than 2.0): the whole run was traced.")
        self.profiler = tp.profile(
            activities=activities,
            schedule=schedule,
            on_trace_ready=self._ready if schedule is not None else None,
            with_stack=True,
            record_shapes=False,
        )
        if register is not None:
            self.hook = register(self._on_step)

    def _on_step(self, *args, **kwargs):
        self.steps += 1
        self.profiler.step()

    def _ready(self, prof):
        self._collect(prof)

    def start(self):
        self.profiler.start()
        self.marks = _line_marks(self.torch, _library_roots())
        if self.marks is not None:
            self.marks.__enter__()

    def stop(self):
        if getattr(self, "marks", None) is not None:
            try:
                self.marks.__exit__(None, None, None)
            except Exception:  # noqa: BLE001 - the program left the mode stack in another state
                pass
            self.marks = None
        try:
            self.profiler.stop()
        except Exception as err:  # noqa: BLE001 - a profiler that never started tracing
            self.warnings.append("torch.profiler could not stop cleanly: %s" % err)
        if self.hook is not None:
            self.hook.remove()
        if self.result_events is None:
            if self.scheduled:
                wait, warmup, active = self.window
                if self.steps <= wait + warmup:
                    self.warnings.append(
                        "The program made %d optimizer step(s); the trace starts after %d (wait %d, warmup %d): nothing was traced."
                        % (self.steps, wait + warmup, wait, warmup)
                    )
                else:
                    self._collect(self.profiler)
            else:
                self._collect(self.profiler)

    def _collect(self, prof):
        try:
            self.result_events = list(prof.events() or [])
        except Exception as err:  # noqa: BLE001
            self.warnings.append("torch.profiler gave no events: %s" % err)
            self.result_events = []
            return
        try:
            prof.export_chrome_trace(self.trace_path)
        except Exception as err:  # noqa: BLE001
            self.warnings.append("could not write the Chrome trace: %s" % err)

    def summary(self):
        """The ``gpu`` object of the summary (paths absolute), plus the warnings."""
        return gpu_summary(self.result_events or [], self.cuda, self._device_name(), _library_roots())

    def _device_name(self):
        if not self.cuda:
            return "cpu"
        try:
            return self.torch.cuda.get_device_name(0)
        except Exception:  # noqa: BLE001
            return "cuda"


def _is_user_file(path, library_roots, cache={}):  # noqa: B006 - a per-process memo
    known = cache.get(path)
    if known is None:
        real = os.path.realpath(path) if path and not path.startswith("<") else ""
        known = bool(real) and not (
            real.startswith(library_roots) or os.sep + "torch" + os.sep in real or os.sep + "site-packages" + os.sep in real
        )
        cache[path] = known
    return known


def _line_marks(torch, library_roots):
    """A TorchFunctionMode naming each torch call's innermost user line, or None without one."""
    base = getattr(getattr(torch, "overrides", None), "TorchFunctionMode", None)
    if base is None:
        return None
    record_function = torch.autograd.profiler.record_function

    class LineMarks(base):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            frame = sys._getframe(1)
            while frame is not None and not _is_user_file(frame.f_code.co_filename, library_roots):
                frame = frame.f_back
            if frame is None:
                return func(*args, **(kwargs or {}))
            with record_function("%s%s:%d" % (_MARK, frame.f_code.co_filename, frame.f_lineno)):
                return func(*args, **(kwargs or {}))

    return LineMarks()


def marked_line(event):
    """The user line recorded around the torch call that this operator belongs to, or None."""
    parent = getattr(event, "cpu_parent", None)
    depth = 0
    while parent is not None and depth < 64:
        name = getattr(parent, "name", "") or ""
        if name.startswith(_MARK):
            path, _, line = name[len(_MARK) :].rpartition(":")
            if line.isdigit():
                return os.path.abspath(path), int(line)
        parent = getattr(parent, "cpu_parent", None)
        depth += 1
    return None


def user_frame(stack, library_roots):
    """The innermost (first) entry of a torch op's Python stack that is in the user's own files."""
    for entry in stack or ():
        m = _STACK_ENTRY.match(entry)
        if not m:
            continue
        path = m.group("file")
        if not path or path.startswith("<"):
            continue
        real = os.path.realpath(path)
        if real.startswith(library_roots) or os.sep + "torch" + os.sep in real or os.sep + "site-packages" + os.sep in real:
            continue
        return os.path.abspath(path), int(m.group("line"))
    return None


def _kernels(event):
    return list(getattr(event, "kernels", None) or [])


def _is_device_event(event):
    """A kernel or copy that ran on the GPU (torch lists those among the events too)."""
    device = getattr(event, "device_type", None)
    return device is not None and str(device).endswith("CUDA")


def gpu_summary(events, cuda, device, library_roots):
    """Kernel seconds and counts, and sync counts, per user line; kernel total; GPU idle time.

    ``events`` are torch.autograd.profiler FunctionEvents (or objects with the same attributes:
    name, stack, kernels [name, device, duration in us], device_type, time_range [start, end in us]).
    """
    lines = {}
    kernel_total = 0.0
    intervals = []

    def entry(key):
        if key not in lines:
            lines[key] = {"path": key[0], "line": key[1], "kernelSeconds": 0.0, "kernelCount": 0, "syncCount": 0}
        return lines[key]

    for ev in events:
        if _is_device_event(ev):
            tr = getattr(ev, "time_range", None)
            if tr is not None and tr.end > tr.start:
                intervals.append((tr.start, tr.end))
            continue
        name = getattr(ev, "name", "") or ""
        kernels = _kernels(ev)
        # Waits of the host for the device: explicit synchronizations, and .item() / .cpu() style
        # reads of a CUDA tensor (aten::_local_scalar_dense, device-to-host memcpy).
        is_sync = cuda and (name in _SYNC_NAMES or (name in _MEMCPY_NAMES and "DtoH" in name))
        if not kernels and not is_sync:
            continue
        seconds = sum(getattr(k, "duration", 0.0) for k in kernels) / 1e6
        kernel_total += seconds
        where = marked_line(ev) or user_frame(getattr(ev, "stack", None), library_roots)
        if where is None:
            continue
        e = entry(where)
        e["kernelSeconds"] += seconds
        e["kernelCount"] += len(kernels)
        if is_sync:
            e["syncCount"] += 1

    out_lines = sorted(lines.values(), key=lambda x: (-x["kernelSeconds"], -x["syncCount"], x["path"], x["line"]))
    for ln in out_lines:
        ln["kernelSeconds"] = round(ln["kernelSeconds"], 9)
    summary = {"device": device, "kernelSeconds": round(kernel_total, 9), "lines": out_lines}
    if intervals:
        summary["idleSeconds"] = round(_idle(intervals) / 1e6, 9)
    return summary


def _idle(intervals):
    """Time between the first start and the last end that no interval covers."""
    intervals = sorted(intervals)
    busy = 0.0
    start, end = intervals[0]
    last = end
    for s, e in intervals[1:]:
        last = max(last, e)
        if s > end:
            busy += end - start
            start, end = s, e
        else:
            end = max(end, e)
    busy += end - start
    return max(0.0, (last - intervals[0][0]) - busy)


def torch_available():
    try:
        import torch  # noqa: F401
    except Exception as err:  # noqa: BLE001
        return "torch cannot be imported by %s: %s" % (sys.executable, err)
    return None
