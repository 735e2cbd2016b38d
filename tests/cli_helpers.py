"""What the CLI tests share: run the command line in-process and collect what it printed."""
import pytest

from surrogate_cli.cli import main


def run(argv, capsys):
    """``(exit code, stdout, stderr)`` of ``surrogate ARGV``, run in this process."""
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out, err = capsys.readouterr()
    return exc.value.code, out, err
