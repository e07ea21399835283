"""Claims, runner, result store, audit, report and the command line (``python -m verify``).

``verify`` is where a theory prediction meets a numeric measurement; it imports
``theory`` and ``numerics``, never the other way round.

The notebook API (:mod:`verify.notebook`): ``verify.check(claim_or_id)``
measures and judges one claim in this process and returns its verdict, rows
and figure; ``verify.formula(name, **params)`` returns a formula view's rows.
Both render as tables (and figures) in Jupyter.
"""

__all__ = ["check", "formula"]


def __getattr__(name):
    # imported on first use: `python -m verify --help` should not pay for the claims
    if name in __all__:
        from verify import notebook

        return getattr(notebook, name)
    raise AttributeError(f"module 'verify' has no attribute {name!r}")
