"""verify cries no wolf (issue 20): every other library's surrogate in the catalogue, wrapped in
a class as a user would write it (file.py:Class; no catalog breakpoints or exceptions), passes
with the automatic sweep. The foreign records are iterated, never a hand list."""
from catalog_wrappers import assert_no_false_alarm, verify_wrapped

from surrogate_cli.catalog.foreign import foreign_records


def test_every_foreign_surrogate_as_a_user_class_passes_its_sweep(tmp_path):
    records = list(foreign_records())
    assert_no_false_alarm(records, verify_wrapped(records, tmp_path))
