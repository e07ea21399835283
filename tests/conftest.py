"""Test configuration: hypothesis profiles, mpmath hygiene, the slow set and the
claim tests' shared quick batch.

The ``ci`` profile (selected when CI is set, as in .ci/run) is derandomised,
so a CI failure reproduces exactly; ``dev`` explores new examples each run.

Tests marked ``@pytest.mark.slow`` (a large instance, or one more moment of a
timing-dependent check) are skipped unless ``--full`` is given or the marker is
selected with ``-m slow``; each keeps a fast counterpart in the default run that
checks the same property on a smaller instance (issue 12, part 5: the default
run within 3 minutes on 2 cores).  For the same reason the claim test files share
one batch of quick measurements (``quick_batch``, tests/claim_checks.py), and
the README's command runs the tests on every core (pytest-xdist, ``-n auto``).
"""

import os

import mpmath
import pytest
from filelock import FileLock
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", deadline=None, derandomize=True, max_examples=25, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "dev", deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(autouse=True)
def _restore_mpmath_precision():
    """Tests must not leak a changed mpmath precision into each other."""
    dps = mpmath.mp.dps
    yield
    assert mpmath.mp.dps == dps, "a test or solver left mpmath.mp.dps changed"
    mpmath.mp.dps = dps


@pytest.fixture(scope="session")
def quick_batch(request, tmp_path_factory):
    """One store and one batch for the quick claims (``QUICK_CLAIMS``) and audits
    (``QUICK_AUDITS``, optional) of every collected test module that uses this
    fixture (tests/claim_checks.py)."""
    from tests.claim_checks import QuickBatch, quick_store, session_directory

    claims, audited = {}, set()
    for module in dict.fromkeys(item.module for item in request.session.items
                                if "quick_batch" in getattr(item, "fixturenames", ())):
        assert hasattr(module, "QUICK_CLAIMS"), \
            f"{module.__name__} uses quick_batch: name the claims it judges in QUICK_CLAIMS"
        for claim in module.QUICK_CLAIMS:
            claims.setdefault(claim.id, claim)
        audited.update(getattr(module, "QUICK_AUDITS", ()))
    # Under pytest-xdist every worker collects every test and would measure the whole
    # batch: the workers share one store, and the lock lets the first measure it while
    # the others wait, then find every point stored.
    lock = FileLock(session_directory(tmp_path_factory) / "quick-batch.lock")
    with quick_store(tmp_path_factory) as store:
        yield QuickBatch(claims.values(), audited, store, lock)


def pytest_addoption(parser):
    parser.addoption(
        "--hypothesis-only", action="store_true",
        help="run only the property-based (@given) tests: with --hypothesis-seed=N this sweeps "
             "the seeds that matter without re-running the deterministic tests")
    parser.addoption(
        "--full", action="store_true",
        help="also run the slow tests (@pytest.mark.slow): the large instances whose "
             "properties the default run checks on smaller ones")


def pytest_collection_modifyitems(config, items):
    _skip_slow_unless_asked(config, items)
    if not config.getoption("--hypothesis-only"):
        return
    keep = [item for item in items
            if getattr(getattr(item, "obj", None), "is_hypothesis_test", False)]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


def _skip_slow_unless_asked(config, items):
    """Skip the slow set in the default run; ``--full`` or ``-m slow`` (any marker
    expression naming it) runs it."""
    if config.getoption("--full") or "slow" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="slow: python -m pytest --full runs it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
