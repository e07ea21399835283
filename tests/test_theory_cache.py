"""theory.cache: derivations stored on disk, keyed by theory's code.

Each test points ``VERIFY_CACHE_DIR`` at its own directory.  A fresh
``derivation(function)`` wrapper stands for a new process: its in-memory
cache is empty, so what it returns without calling the function came from disk.
"""

from __future__ import annotations

import pickle
import shutil

import pytest
import sympy

from theory import cache
from theory.cache import derivation
from theory.norm_scaling import n_star
from theory.prediction import Prediction

X = sympy.Symbol("x", positive=True)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache" / "derivations"


def make_counted():
    """A derivation that records its calls: (function, calls)."""
    calls = []

    def power(n: int) -> Prediction:
        calls.append(n)
        return Prediction(f"x^{n}", sympy.integrate(n * X ** (n - 1), X), (X,), source="a test",
                          fidelity="reconstructed", derivation="integrated")
    return power, calls


def test_a_new_process_reads_the_derivation_from_disk(cache_dir):
    power, calls = make_counted()
    first = derivation(power)(3)
    again = derivation(power)(3)
    assert calls == [3]  # the second wrapper derived nothing
    assert again == first and again.numpy(2.0) == 8.0
    assert len(list(cache_dir.glob("*.pickle"))) == 1
    derivation(power)(4)  # another argument is another entry
    assert calls == [3, 4]


def test_the_same_wrapper_returns_the_same_object(cache_dir):
    power, calls = make_counted()
    cached = derivation(power)
    assert cached(2) is cached(2) and calls == [2]


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_an_unreadable_entry_is_derived_again_and_replaced(cache_dir, damage):
    power, calls = make_counted()
    first = derivation(power)(3)
    [entry] = cache_dir.glob("*.pickle")
    entry.write_bytes(damage)
    assert derivation(power)(3) == first and calls == [3, 3]
    assert pickle.loads(entry.read_bytes()) == first  # rewritten whole
    assert not list(cache_dir.glob(".*.tmp"))  # no temporary file left behind


def test_an_edit_to_theory_invalidates_the_entries(cache_dir, tmp_path, monkeypatch):
    copy = tmp_path / "theory"
    shutil.copytree(cache.THEORY_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "THEORY_ROOT", copy)
    cache.code_key.cache_clear()
    power, calls = make_counted()
    derivation(power)(3)
    derivation(power)(3)
    assert calls == [3]
    with open(copy / "potentials.py", "a") as file:
        file.write("\n# an edit\n")
    cache.code_key.cache_clear()
    derivation(power)(3)
    assert calls == [3, 3]
    cache.code_key.cache_clear()  # the real key again for later tests (monkeypatch undoes the root)


def test_an_unwritable_cache_only_costs_the_derivation(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocker))
    power, calls = make_counted()
    assert derivation(power)(2).numpy(3.0) == 9.0
    derivation(power)(2)
    assert calls == [2, 2]


def test_a_result_that_cannot_be_pickled_stays_in_memory(cache_dir):
    calls = []

    def closure(n: int):
        calls.append(n)
        return lambda: n
    cached = derivation(closure)
    assert cached(1)() == 1 and cached(1)() == 1 and calls == [1]
    assert not cache_dir.exists() or not list(cache_dir.glob("*.pickle"))


def test_unplain_arguments_are_cached_in_memory_only(cache_dir):
    power, calls = make_counted()
    derivation(power)(sympy.Integer(3))
    derivation(power)(sympy.Integer(3))
    assert calls == [3, 3] and not cache_dir.exists()


def test_a_stored_prediction_is_the_derived_one(cache_dir):
    """A real derivation (Zhang & Louis's n⋆) read back from disk equals sympy's
    result and evaluates the same."""
    undecorated = n_star.__wrapped__.__wrapped__
    derived = undecorated()
    derivation(undecorated)()
    stored = derivation(undecorated)()
    assert stored == derived and stored is not derived
    assert stored.expr == derived.expr and stored.symbols == derived.symbols
    assert stored.derivation == derived.derivation
