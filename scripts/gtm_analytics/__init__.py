"""gtm_analytics: HubSpot-style sequence and campaign analytics on dbt + DuckDB."""

__version__ = "0.1.0"
