"""Test configuration: hypothesis profiles and mpmath hygiene.

The ``ci`` profile (selected when CI is set, as in .ci/run) is derandomised,
so a CI failure reproduces exactly; ``dev`` explores new examples each run.
"""

import os

import mpmath
import pytest
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


def pytest_addoption(parser):
    parser.addoption(
        "--hypothesis-only", action="store_true",
        help="run only the property-based (@given) tests: with --hypothesis-seed=N this sweeps "
             "the seeds that matter without re-running the deterministic tests")


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--hypothesis-only"):
        return
    keep = [item for item in items
            if getattr(getattr(item, "obj", None), "is_hypothesis_test", False)]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep
