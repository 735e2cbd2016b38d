"""``python -m surrogate_cli`` and the ``surrogate`` console script.

Importing Typer and the commands takes a tenth of a second; a Ctrl-C or SIGTERM in that
time ends the program with the same one line and exit code as later (nothing can have
been written yet), instead of a KeyboardInterrupt traceback. ``surrogate_cli.cli.main``
then installs the full interrupt handling (:mod:`surrogate_cli.cli.signals`). Once the
command is over (its files complete, its output written), a signal while Python shuts
down changes nothing: the process exits with the command's own code.
"""
import os
import signal

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _starting_up(signum, frame):
    what = b"interrupted" if signum == signal.SIGINT else b"terminated"
    os.write(2, what + b"; nothing written\n")
    os._exit(128 + signum)


def main() -> None:
    for s in _SIGNALS:
        signal.signal(s, _starting_up)
    from .cli import main as cli_main

    from .cli.signals import ignore_after_command

    ignore_after_command()
    cli_main()  # replaces the start-up handlers with its own first thing


if __name__ == "__main__":
    main()
