"""`python -m gtm_analytics.bench --child SPEC`: one measured child process (see jobs)."""

import sys

from gtm_analytics.bench.jobs import child_main

if len(sys.argv) == 3 and sys.argv[1] == "--child":
    sys.exit(child_main(sys.argv[2]))
sys.exit("usage: gtm bench (this module's command line is for its own child processes)")
