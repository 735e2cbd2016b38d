"""A stand-in for another library's package: `surrogate verify other_lib.surrogates:FastSigmoid`
(run with ``PYTHONPATH=examples`` from the repository, so ``other_lib`` is importable)."""
