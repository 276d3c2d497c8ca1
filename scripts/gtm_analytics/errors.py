"""The one exception type the command line turns into a clear message and exit code."""


class GtmError(Exception):
    """A user-facing failure: its message is printed as is, without a traceback."""
