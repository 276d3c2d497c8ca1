"""`python -m gtm_analytics` runs the `gtm` command line."""

from gtm_analytics.cli import main

main()
