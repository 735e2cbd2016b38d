"""``python -m surrogate_cli`` and the ``surrogate`` console script.

Importing Typer and the commands takes a tenth of a second; a Ctrl-C or SIGTERM in that
time ends the program with the same one line and exit code as later (nothing can have
been written yet), instead of a KeyboardInterrupt traceback. ``surrogate_cli.cli.main``
then installs the full interrupt handling (:mod:`surrogate_cli.cli.signals`). Once the
command is over (its files complete, its output written), a signal while Python shuts
down changes nothing: the process exits with the command's own code.

The process ends as soon as the exit handlers have run (the last of them, registered
first, flushes the output and calls ``os._exit`` with the command's code): tearing down
the interpreter with jax, XLA and matplotlib loaded takes about 0.3 s after the figure of
a ``surrogate plot`` is written, and there is nothing left for it to do
(``benchmarks/startup.py``: 0.03 s against 0.34 s for a plain script drawing the same).
"""
import os
import signal
import sys

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_CODE = [1]  # the command's exit code, once it is known (an uncaught exception: 1, as Python's)


def _code_of(code) -> int:
    """The exit status Python gives ``sys.exit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    return 1  # a message (printed by Python before the exit handlers run)


def _end_now() -> None:
    """The last exit handler: flush what the command wrote, then end without the
    interpreter's teardown. Not under a tracer, a profiler or coverage, whose own exit
    handlers (registered before this one, so run after it) save what they measured."""
    if sys.gettrace() is not None or sys.getprofile() is not None or "coverage" in sys.modules:
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - a closed pipe: nothing more to say
            pass
    os._exit(_CODE[0])


def _starting_up(signum, frame):
    what = b"interrupted" if signum == signal.SIGINT else b"terminated"
    os.write(2, what + b"; nothing written\n")
    os._exit(128 + signum)


def main() -> None:
    import atexit

    atexit.register(_end_now)  # the first registered: it runs after every other exit handler
    for s in _SIGNALS:
        signal.signal(s, _starting_up)
    from .cli import main as cli_main

    from .cli.signals import ignore_after_command

    ignore_after_command()
    try:
        cli_main()  # replaces the start-up handlers with its own first thing
    except SystemExit as exc:
        _CODE[0] = _code_of(exc.code)
        raise
    _CODE[0] = 0


if __name__ == "__main__":
    main()
