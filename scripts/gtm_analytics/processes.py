"""Process helpers shared by the build and the export."""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """Whether a process with this id still runs (work files of dead ones are stale)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
