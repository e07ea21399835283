"""Claims, runner, result store, audit, report and the command line (``python -m verify``).

``verify`` is where a theory prediction meets a numeric measurement; it imports
``theory`` and ``numerics``, never the other way round.
"""
