"""Where the dbt project and the default outputs live."""

from __future__ import annotations

import os
from pathlib import Path


def project_dir() -> Path:
    """The dbt project's root: GTM_PROJECT_DIR, else the checkout this package sits in."""
    configured = os.environ.get("GTM_PROJECT_DIR")
    if configured:
        return Path(configured).resolve()
    return Path(__file__).resolve().parents[2]


DEFAULT_WAREHOUSE = Path("warehouse/gtm.duckdb")
DEFAULT_EXPORTS = Path("exports")
DEFAULT_REPORT = Path("reports/dashboard.html")
