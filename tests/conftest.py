"""Shared test set-up: float64 on, headless matplotlib."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import pytest  # noqa: E402


@pytest.fixture
def refusing_dir(tmp_path, monkeypatch):
    """A folder that refuses new files, as a read-only folder does for a normal user.

    Root writes anywhere, so as root the refusal is simulated where our code creates its
    temporary files (``tempfile.mkstemp`` in :mod:`surrogate_cli.render.files`).
    """
    from surrogate_cli.render import files as export

    ro = tmp_path / "ro"
    ro.mkdir()
    if os.geteuid() != 0:
        ro.chmod(0o555)
    else:
        real = export.tempfile.mkstemp

        def refuse(*args, dir=None, **kwargs):
            if dir and os.path.abspath(dir) == str(ro):
                raise PermissionError(13, "Permission denied")
            return real(*args, dir=dir, **kwargs)

        monkeypatch.setattr(export.tempfile, "mkstemp", refuse)
    yield ro
    ro.chmod(0o755)
