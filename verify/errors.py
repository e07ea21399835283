"""The one kind of error the verifier expects from its users.

:class:`BadInput` is input the verifier cannot act on: an unknown claim id, an
unwritable output, an unreachable scheduler.  Its message names the fix; the
command line prints it as one line and exits with status 2.  Every other
exception is a bug and keeps its traceback.
"""


class BadInput(Exception):
    """Input the verifier cannot act on; the message names the fix."""
