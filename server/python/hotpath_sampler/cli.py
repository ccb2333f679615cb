"""``python -m hotpath_sampler [options] (script.py | -m module) [args...]``

Runs the target as ``python script.py args`` / ``python -m module args`` would (``sys.argv``,
``__name__ == "__main__"``, ``sys.path[0]``, stdio and exit status), samples it, and writes a
speedscope file when it ends: normally, through ``sys.exit``, an uncaught exception or Ctrl-C.
"""

import atexit
import builtins
import importlib.machinery
import importlib.util
import io
import json
import os
import runpy
import signal
import sys
import threading
import types

from hotpath_sampler import children
from hotpath_sampler.sampler import Sampler

USAGE = """usage: python -m hotpath_sampler [-o FILE] [--rate HZ] [--mode wall|cpu] (SCRIPT | -m MODULE) [ARGS...]

  -o, --output FILE   where to write the speedscope profile (default: hotpath-profile.speedscope.json)
  --rate HZ           samples per second (default: 100)
  --mode wall|cpu     wall: all time, sleeping and waiting too; cpu: only time a thread ran on a CPU
  --torch-trace FILE  also run the target under torch.profiler (the torch backend); its Chrome trace
                      goes to FILE, the GPU summary into the profile's hotpath block
  --torch-schedule W,U,A
                      optimizer steps to skip, to warm up and to trace (default 1,1,5)
  --children DIR      also profile the target's Python child processes (spawned or forked): each
                      writes DIR/<pid>.json when it ends (see hotpath_sampler/children.py)
  --wait-for FILE     before running the target, wait until FILE exists and do what it says:
                      "sample" (profile with this sampler), "run" (run unprofiled: an outside
                      profiler such as py-spy is attached) or "exit" (do not run it)
"""

# Set by the Hotpath runner: PYTHONPATH as it was before the runner added this package to it.
ORIGINAL_PYTHONPATH = "HOTPATH_ORIGINAL_PYTHONPATH"
UNSET = ""


class Usage(Exception):
    pass


def parse(argv):
    options = {"output": "hotpath-profile.speedscope.json", "rate": 100.0, "mode": "wall", "wait_for": None, "torch_trace": None, "torch_schedule": (1, 1, 5), "children": None}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            sys.stdout.write(USAGE)
            sys.exit(0)
        if arg == "-m":
            if i + 1 >= len(argv):
                raise Usage("-m needs a module name")
            return options, ("module", argv[i + 1], argv[i + 2 :])
        if arg == "--":
            i += 1
            break
        if not arg.startswith("-") or arg == "-":
            break
        name, eq, value = arg.partition("=")
        if name not in ("-o", "--output", "--rate", "--mode", "--wait-for", "--torch-trace", "--torch-schedule", "--children"):
            raise Usage("unknown option %s" % name)
        if not eq:
            if i + 1 >= len(argv):
                raise Usage("%s needs a value" % name)
            i += 1
            value = argv[i]
        if name in ("-o", "--output"):
            options["output"] = value
        elif name == "--children":
            options["children"] = value
        elif name == "--wait-for":
            options["wait_for"] = value
        elif name == "--torch-trace":
            options["torch_trace"] = value
        elif name == "--torch-schedule":
            try:
                steps = tuple(int(v) for v in value.split(","))
            except ValueError:
                steps = ()
            if len(steps) != 3 or min(steps) < 0 or steps[2] < 1:
                raise Usage("--torch-schedule: expected WAIT,WARMUP,ACTIVE step counts, such as 1,1,5")
            options["torch_schedule"] = steps
        elif name == "--rate":
            try:
                options["rate"] = float(value)
            except ValueError:
                raise Usage("--rate: not a number: %s" % value)
            if not 0 < options["rate"] <= 10000:
                raise Usage("--rate must be between 0 and 10000")
        else:
            if value not in ("wall", "cpu"):
                raise Usage("--mode must be wall or cpu")
            options["mode"] = value
        i += 1
    if i >= len(argv):
        raise Usage("name a script or -m MODULE to run")
    if argv[i] == "-m":
        if i + 1 >= len(argv):
            raise Usage("-m needs a module name")
        return options, ("module", argv[i + 1], argv[i + 2 :])
    return options, ("script", argv[i], argv[i + 1 :])


def _restore_environment():
    """Undoes what the runner did to reach this package, so the target sees its own sys.path."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path[:] = [p for p in sys.path if not p or os.path.abspath(p) != here]
    original = os.environ.pop(ORIGINAL_PYTHONPATH, None)
    if original is not None:
        if original == UNSET:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = original


def _children_config(options):
    return {
        "dir": os.path.abspath(options["children"]),
        "rate": options["rate"],
        "mode": options["mode"],
        "torch": list(options["torch_schedule"]) if options["torch_trace"] else None,
    }


def _hook_children(options):
    """Makes the Python interpreters the target starts load hotpath_hook (their own profiles)."""
    os.makedirs(options["children"], exist_ok=True)
    hook = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "hotpath_hook")
    current = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = hook + (os.pathsep + current if current else "")
    os.environ[children.ENV] = json.dumps(_children_config(options))


def _runpy_files():
    """The files of the frames between our boundary frame and the target's code."""
    names = {"<frozen runpy>", runpy.__file__, __file__}
    return {n for n in names if n}


def _run_script(path):
    how, what, args = _script(path)
    if how == "exec":
        exec(what, args)
    else:
        what(*args)


def _script(path):
    """How to run a source file as ``python path`` does: ("exec", code, globals) with a fresh
    ``__main__`` module and an absolute ``__file__`` (Python 3.9+), ``sys.argv[0]`` left as given.
    Directories and zip files with a ``__main__.py``, and compiled files, go through runpy as
    Python does: ("call", runpy.run_path, args)."""
    import zipfile

    if os.path.isdir(path) or (not path.endswith((".py", ".pyw")) and zipfile.is_zipfile(path)):
        return "call", runpy.run_path, (path, None, "__main__")
    with io.open_code(path) as f:
        source = f.read()
    if source[:4] == importlib.util.MAGIC_NUMBER:
        return "call", runpy.run_path, (path, None, "__main__")
    code = compile(source, path, "exec", dont_inherit=True)
    main = types.ModuleType("__main__")
    main.__dict__.update(
        __file__=path,
        __cached__=None,
        __loader__=importlib.machinery.SourceFileLoader("__main__", path),
        __package__=None,
        __spec__=None,
        __builtins__=builtins,
    )
    sys.modules["__main__"] = main
    return "exec", code, main.__dict__


def _set_script_path(script):
    """`python -m hotpath_sampler` put the working directory first; `python script.py` puts the
    script's directory there instead (neither with -P / PYTHONSAFEPATH, 3.11+)."""
    script_dir = os.path.dirname(os.path.realpath(script))
    if not getattr(sys.flags, "safe_path", False):
        if sys.path and sys.path[0] in ("", os.getcwd()):
            sys.path[0] = script_dir
        else:
            sys.path.insert(0, script_dir)


class Run:
    def __init__(self, options, target, sample=True):
        self.options = options
        self.sample = sample
        self.kind, self.what, self.args = target
        self.sampler = Sampler(options["rate"], options["mode"], skip_files=_runpy_files())
        self.output = os.path.abspath(options["output"])
        self.pid = os.getpid()
        self.exit_info = {}
        self.written = False
        self.torch = None

    def write(self):
        """Writes the profile once, in the process that started it (not in a forked child)."""
        if self.written or os.getpid() != self.pid or not self.sample:
            return
        self.written = True
        # Stop sampling first: what torch does to stop and export is not the program's time.
        self.sampler.stop()
        gpu = None
        if self.torch is not None:
            self.torch.stop()
            try:
                gpu = self.torch.summary()
            except Exception as err:  # noqa: BLE001 - keep the CPU profile whatever torch did
                self.torch.warnings.append("could not read the torch profile: %s" % err)
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGINT"):
            # A second Ctrl-C must not cut the profile short while it is written.
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
            except (ValueError, OSError):
                pass
        self.sampler.stop()
        extra = {"target": {"kind": self.kind, "name": self.what, "args": self.args}, **self.exit_info}
        if self.torch is not None:
            extra.update(backend="torch", gpu=gpu, warnings=self.torch.warnings, torchTrace=self.options["torch_trace"])
        doc = self.sampler.speedscope(os.path.basename(self.what), extra)
        tmp = self.output + ".tmp%d" % os.getpid()
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(doc, f, separators=(",", ":"))
            os.replace(tmp, self.output)
        except OSError as err:
            sys.stderr.write("hotpath: could not write the profile to %s: %s\n" % (self.output, err))

    def execute(self):
        """Runs the target; returns normally or raises SystemExit like the target would."""
        if self.kind == "script":
            sys.argv[:] = [self.what, *self.args]
            _set_script_path(self.what)
        else:
            sys.argv[:] = ["-m", *self.args]
        if self.sample and self.options.get("torch_trace"):
            from hotpath_sampler.torch_bridge import TorchSession

            wait, warmup, active = self.options["torch_schedule"]
            self.torch = TorchSession(os.path.abspath(self.options["torch_trace"]), wait, warmup, active)
            self.torch.start()
        # Registered before the target's own handlers, so it runs after them (atexit is LIFO) and
        # after the interpreter has waited for the target's non-daemon threads.
        atexit.register(self.write)
        self.sampler.stop_at(sys._getframe())
        if self.sample:
            self.sampler.start()
            if self.options["children"]:
                children.follow(_children_config(self.options), sys._getframe(), _runpy_files())
        try:
            if self.kind == "script":
                _run_script(os.path.abspath(self.what))
            else:
                # As `python -m` runs it (its traceback shows these runpy frames too), in a fresh __main__.
                sys.modules["__main__"] = types.ModuleType("__main__")
                runpy._run_module_as_main(self.what)
        except SystemExit as exc:
            self.exit_info = {"exit": {"kind": "exit", "code": _exit_status(exc.code)}}
            raise
        except KeyboardInterrupt as exc:
            self.exit_info = {"exit": {"kind": "interrupt"}}
            self._report(exc, sys._getframe())
            self.write()
            _die_of_sigint()
        except BaseException as exc:  # noqa: BLE001 - the target's uncaught exception
            self.exit_info = {"exit": {"kind": "exception", "type": type(exc).__name__}}
            self._report(exc, sys._getframe())
            sys.exit(1)
        self.exit_info = {"exit": {"kind": "exit", "code": 0}}

    def _report(self, exc, boundary):
        """Prints the traceback as Python would, without the profiler's own frames."""
        tb = exc.__traceback__
        while tb is not None and (tb.tb_frame is boundary or tb.tb_frame.f_code.co_filename == __file__):
            tb = tb.tb_next
        sys.excepthook(type(exc), exc.with_traceback(tb), tb)


def _exit_status(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1


def _die_of_sigint():
    """Ends the process the way CPython does after an uncaught KeyboardInterrupt."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # noqa: BLE001
        pass
    if hasattr(signal, "SIGINT") and hasattr(os, "kill") and os.name == "posix":
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    sys.exit(0xC000013A if os.name == "nt" else 130)


def main(argv=None):
    options, target, action = _prepare(sys.argv[1:] if argv is None else argv)
    run = Run(options, target, sample=action == "sample")
    run.execute()


def _prepare(argv):
    """Parses the options, puts the target's environment back and waits for the go-ahead."""
    try:
        options, target = parse(argv)
    except Usage as err:
        sys.stderr.write("hotpath_sampler: error: %s\n%s" % (err, USAGE))
        sys.exit(2)
    _restore_environment()
    if target[0] == "script" and not os.path.exists(target[1]):
        sys.stderr.write("%s: can't open file %r: [Errno 2] No such file or directory\n" % (sys.executable, target[1]))
        sys.exit(2)
    if options["torch_trace"]:
        from hotpath_sampler.torch_bridge import torch_available

        problem = torch_available()
        if problem:
            sys.stderr.write("hotpath_sampler: error: the torch backend needs torch: %s\n" % problem)
            sys.exit(2)
    action = _wait_for(options["wait_for"]) if options["wait_for"] else "sample"
    if action == "exit":
        sys.exit(130)
    if action == "sample" and options["children"]:
        _hook_children(options)
    return options, target, action


def launch():
    """``python hotpath_launch.py [options] (SCRIPT | -m MODULE) ARGS``: the runner when py-spy reads
    the program from outside. py-spy pauses the program for each sample and reads every frame of
    its stack, so each frame of ours below the program's costs time at every sample; here the
    program runs one frame below the launcher's module (``python -m hotpath_sampler`` puts six
    there: runpy's two, our main and the run). Returns what the launcher is to do: ("exec", code,
    globals) for a script, ("call", function, args) for a module, a directory or a zip file. When
    py-spy could not attach, the builtin sampler runs the program here and this does not return.
    """
    options, target, action = _prepare(sys.argv[1:])
    kind, what, args = target
    if kind == "module" and not getattr(sys.flags, "safe_path", False):
        sys.path.insert(0, os.getcwd())  # as `python -m` (the launcher's own folder is gone from it)
    if action == "sample":
        Run(options, target).execute()
        sys.exit(0)
    if kind == "module":
        sys.argv[:] = ["-m", *args]
        # runpy runs the module in sys.modules["__main__"]: a fresh one, not the launcher's.
        sys.modules["__main__"] = types.ModuleType("__main__")
        return "call", runpy._run_module_as_main, (what,)
    sys.argv[:] = [what, *args]
    _set_script_path(what)
    return _script(os.path.abspath(what))


def launch_failed(exc):
    """What Python does with an exception that leaves the program, without the launcher's frame."""
    if isinstance(exc, SystemExit):
        raise exc
    tb = exc.__traceback__
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    while tb is not None and tb.tb_frame.f_code.co_filename.startswith(here):
        tb = tb.tb_next
    sys.excepthook(type(exc), exc.with_traceback(tb), tb)
    if isinstance(exc, KeyboardInterrupt):
        _die_of_sigint()
    sys.exit(1)


def _wait_for(path, poll=0.005):
    """Waits for the runner's go-ahead file; returns what it says (sample, run or exit)."""
    import time

    while True:
        try:
            with open(path, encoding="utf-8") as f:
                action = f.read().strip()
        except OSError:
            time.sleep(poll)
            continue
        if action in ("sample", "run", "exit"):
            try:
                os.remove(path)
            except OSError:
                pass
            return action
        time.sleep(poll)  # Being written: read it again.
