"""The runner Hotpath starts when py-spy reads the program: ``python hotpath_launch.py [options]
(SCRIPT | -m MODULE) ARGS``, with the options of ``python -m hotpath_sampler``. The program runs
one frame below this module's (see hotpath_sampler.cli.launch: py-spy reads every frame at
every sample while the program is paused). Its names live in the launcher's own module, which
the program does not see: it gets a fresh ``__main__``."""
from hotpath_sampler.cli import launch, launch_failed

_how, _what, _args = launch()
try:
    if _how == "exec":
        exec(_what, _args)
    else:
        _what(*_args)
except BaseException as _exc:  # noqa: BLE001 - reported as Python would, without this frame
    launch_failed(_exc)
