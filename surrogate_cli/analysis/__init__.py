"""Analysis of surrogate curves: properties for ``surrogate info`` (:mod:`.metrics`)
and the checks of ``surrogate verify`` (:mod:`.verify`).

Submodules import jax when used; importing this package alone is cheap.
"""
