"""The user surrogate the tests share: the README's ``examples/my_surrogates.py:Tanh``, as a
class and as source text for the user files the CLI tests write (one copy, not seven)."""
import importlib.util
import inspect
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_spec = importlib.util.spec_from_file_location("my_surrogates", os.path.join(ROOT, "examples", "my_surrogates.py"))
_examples = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("my_surrogates", _examples)  # inspect.getsource finds a class through its module
_spec.loader.exec_module(_examples)

#: ``g = (1 + tanh(alpha x)) / 2``, ``g' = alpha/2 (1 - tanh(alpha x)^2)``; ``alpha = 1`` by default
Tanh = _examples.Tanh

#: the imports and the class, to start a user file with
TANH_SOURCE = "import jax.numpy as jnp\nfrom surrogate_cli import Surrogate\n\n\n" + inspect.getsource(Tanh)
