"""Every built-in and every foreign surrogate as a user writes it: a class in a file that wraps
the library's class by name (no catalog record: no breakpoints, no shape exceptions). Used by
tests/test_verify_false_alarms_builtins.py and tests/test_verify_false_alarms_foreign.py."""


def wrapper_source(records) -> str:
    """One class per record, ``User0``, ``User1``, ..., with the record's defaults (float
    parameters written as floats, as a user would, so the automatic sweep takes them)."""
    lines = ["import surrogate_cli", "from surrogate_cli import Surrogate", ""]
    for i, rec in enumerate(records):
        args = "".join(f", {p.name}={float(p.default) if p.kind == 'float' else p.default!r}" for p in rec.params)
        call = ", ".join(f"{p.name}={p.name}" for p in rec.params)
        lines += [f"class User{i}(Surrogate):", f"    '''{rec.name}, as a user wraps it'''",
                  f"    def __init__(self{args}):", "        super().__init__()",
                  f"        self.inner = surrogate_cli.lookup({rec.name!r})({call})",
                  "    def surrogate_grad(self, x):", "        return self.inner.surrogate_grad(x)"]
        if rec.has_fun:
            lines += ["    def surrogate_fun(self, x):", "        return self.inner.surrogate_fun(x)"]
        lines.append("")
    return "\n".join(lines)


def verify_wrapped(records, folder):
    """Write the wrappers to folder/users.py and verify the file (every class, automatic sweep)."""
    from surrogate_cli import verify

    path = folder / "users.py"
    path.write_text(wrapper_source(records))
    return verify(str(path))


def assert_no_false_alarm(records, report):
    by = {}
    for s in report.surrogates:
        by.setdefault(s.name, []).append(s)
    assert len(by) == len(records)
    names = {f"User{i}": rec.name for i, rec in enumerate(records)}
    fails = [(names[s.name], s.params, c.name, c.detail) for s, c in report.failures]
    assert fails == [], fails
    swept = [n for n, sets in by.items() if len(sets) > 1]
    with_floats = [f"User{i}" for i, rec in enumerate(records) if any(p.kind == "float" and p.default
                                                                       for p in rec.params)]
    assert set(swept) == set(with_floats)  # the automatic sweep ran wherever a float parameter is not 0
    for sets in by.values():  # no catalog knowledge: nothing is exempt by design
        for s in sets:
            assert "exempt by design" not in s.check("shape").detail
