"""Following the target's child processes: each Python child writes its own profile.

The runner passes what to do in the environment variable ``HOTPATH_CHILDREN`` (JSON: the folder
the children's profiles go to, the rate, the mode, and for the torch backend the trace schedule)
and puts ``server/python/hotpath_hook`` first on ``PYTHONPATH``. Its ``sitecustomize`` starts a
sampler in every Python interpreter started below the target (``subprocess.run([sys.executable,
...])``, ``multiprocessing`` with spawn or forkserver, ``torchrun``'s workers), which writes
``FOLDER/<pid>.json`` when that interpreter exits. Children made by ``fork`` (``multiprocessing``'s
default on Linux, DataLoader workers) start a sampler of their own from an ``os.register_at_fork``
handler and write at exit, or when ``multiprocessing`` ends them (its workers leave through
``os._exit``, so the write hangs on its last finalizers). The runner merges the profiles, keeping
each one's process id.
"""

import atexit
import json
import os
import sys
import threading

from hotpath_sampler.sampler import Sampler

ENV = "HOTPATH_CHILDREN"


def config():
    """The runner's instructions, or None when children are not followed."""
    raw = os.environ.get(ENV)
    if not raw:
        return None
    try:
        cfg = json.loads(raw)
    except ValueError:
        return None
    return cfg if isinstance(cfg, dict) and cfg.get("dir") else None


class ChildProfile:
    """The profile of one child process, written to ``<dir>/<pid>.json`` when it ends."""

    def __init__(self, cfg, boundary=None, skip_files=()):
        self.cfg = cfg
        self.pid = os.getpid()
        self.sampler = Sampler(cfg.get("rate", 100.0), cfg.get("mode", "wall"), skip_files=skip_files)
        self.sampler.stop_at(boundary)
        self.torch = None
        self.torch_warnings = []
        self.written = False

    def start(self, forked=False):
        # Tells the runner to wait for this process's profile (or its end) before it merges.
        try:
            with open(os.path.join(self.cfg["dir"], "%d.started" % self.pid), "w", encoding="utf-8") as f:
                json.dump({"pid": self.pid, "parentPid": os.getppid(), "argv": list(sys.argv)}, f)
        except OSError:
            return  # the runner's folder is gone: the run is over
        self.sampler.start()
        atexit.register(self.write)
        if forked:
            _write_when_multiprocessing_ends(self)
        elif self.cfg.get("torch"):
            _after_import("torch", self.start_torch)

    def start_torch(self):
        """The torch backend in a spawned child (a torchrun worker): its own torch.profiler trace."""
        try:
            from hotpath_sampler.torch_bridge import TorchSession

            wait, warmup, active = self.cfg["torch"]
            trace = os.path.join(self.cfg["dir"], "%d.torch-trace.json" % self.pid)
            self.torch = TorchSession(trace, wait, warmup, active)
            self.torch.start()
        except Exception as err:  # noqa: BLE001 - the child's own work goes on unprofiled by torch
            self.torch = None
            self.torch_warnings.append("torch.profiler did not start: %s" % err)

    def write(self):
        if self.written or os.getpid() != self.pid:
            return
        self.written = True
        self.sampler.stop()
        extra = {"pid": self.pid, "parentPid": os.getppid(), "argv": list(sys.argv)}
        if self.torch is not None:
            self.torch.stop()
            try:
                extra["gpu"] = self.torch.summary()
            except Exception as err:  # noqa: BLE001
                self.torch.warnings.append("could not read the torch profile: %s" % err)
            extra["warnings"] = self.torch.warnings
            extra["torchTrace"] = self.torch.trace_path
        elif self.torch_warnings:
            extra["warnings"] = self.torch_warnings
        doc = self.sampler.speedscope(os.path.basename(sys.argv[0] if sys.argv and sys.argv[0] else "python"), extra)
        target = os.path.join(self.cfg["dir"], "%d.json" % self.pid)
        tmp = target + ".tmp"
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(doc, f, separators=(",", ":"))
            os.replace(tmp, target)
        except OSError:
            pass  # the runner's folder is gone: nobody is waiting for this profile


def follow(cfg, boundary=None, skip_files=()):
    """Profiles each child this process forks (a fresh sampler in the child)."""
    if not hasattr(os, "register_at_fork"):
        return

    def in_child():
        # The forking thread is the child's only thread; threading has not updated its native id yet.
        set_native_id = getattr(threading.current_thread(), "_set_native_id", None)
        if set_native_id is not None:
            set_native_id()
        ChildProfile(cfg, boundary, skip_files).start(forked=True)

    os.register_at_fork(after_in_child=in_child)


def _write_when_multiprocessing_ends(profile):
    """multiprocessing's forked workers end with os._exit, after its own finalizers: add one.

    The finalizers registered before the worker starts are cleared when it starts, and then its
    after-fork callbacks run: register the finalizer from one of those."""
    util = sys.modules.get("multiprocessing.util")
    if util is None:
        return

    def arm(p):
        util.Finalize(None, p.write, exitpriority=-100)

    util.register_after_fork(profile, arm)


class _AfterImport:
    """A meta path finder that calls ``then()`` once module ``name`` has been imported."""

    def __init__(self, name, then):
        self.name = name
        self.then = then

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        exec_module = spec.loader.exec_module
        then = self.then

        def exec_then_call(module):
            exec_module(module)
            then()

        spec.loader.exec_module = exec_then_call
        return spec


def _after_import(name, then):
    if name in sys.modules:
        then()
    else:
        sys.meta_path.insert(0, _AfterImport(name, then))


def start_in_this_process():
    """What ``hotpath_hook/sitecustomize.py`` calls in each new Python child."""
    cfg = config()
    if cfg is None:
        return
    ChildProfile(cfg).start()
    follow(cfg)
