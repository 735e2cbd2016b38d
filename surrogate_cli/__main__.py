"""``python -m surrogate_cli`` and the ``surrogate`` console script.

Importing Typer and the commands takes a tenth of a second; a Ctrl-C or SIGTERM in that
time ends the program with the same one line and exit code as later (nothing can have
been written yet), instead of a KeyboardInterrupt traceback. ``surrogate_cli.cli.main``
then installs the full interrupt handling (:mod:`surrogate_cli.cli.signals`), and once
the command is over, a signal while Python shuts down (jax's clean-up takes a moment)
ends the process the same way, saying what was written.
"""
import os
import signal

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _starting_up(signum, frame):
    what = b"interrupted" if signum == signal.SIGINT else b"terminated"
    os.write(2, what + b"; nothing written\n")
    os._exit(128 + signum)


def main() -> None:
    previous = {s: signal.signal(s, _starting_up) for s in _SIGNALS}
    from .cli import main as cli_main

    for s, handler in previous.items():
        signal.signal(s, handler)
    try:
        cli_main()
    finally:
        from .cli.signals import exit_now

        for s in _SIGNALS:
            signal.signal(s, lambda signum, frame: exit_now(signum))


if __name__ == "__main__":
    main()
