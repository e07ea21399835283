"""Claims, runner, result store, audit, report and the command line (``python -m verify``).

``verify`` is where a theory prediction meets a numeric measurement; it imports
``theory`` and ``numerics``, never the other way round.

The notebook API (:mod:`verify.notebook`): ``verify.check(claim_or_id)``
measures and judges one claim in this process and returns its verdict, rows
and figure; ``verify.formula(name, **params)`` returns a formula view's rows.
Both render as tables (and figures) in Jupyter.
"""

# The submodule verify.formula (formula views) is imported here, before the function
# of the same name is defined: importing a submodule sets the package attribute, and
# done later it would replace the function by the module.
from verify import formula as _formula_views  # noqa: F401

__all__ = ["check", "formula"]


def formula(name, **params):
    """A formula view's rows at ``params`` as data (see :func:`verify.notebook.formula`)."""
    from verify import notebook

    return notebook.formula(name, **params)


def __getattr__(name):
    # imported on first use: `python -m verify --help` should not pay for the claims
    if name == "check":
        from verify import notebook

        return notebook.check
    raise AttributeError(f"module 'verify' has no attribute {name!r}")
