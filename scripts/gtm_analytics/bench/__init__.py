"""`gtm bench`: build times at several scales, and what the warehouse is compared with.

Every measurement runs in a child process of this one, so that its CPU time and memory
are its own. The package, one job per module (each imports only those listed before it):

* `measure`: start one child and measure it: wall clock, CPU seconds, peak RSS of its
  process tree (polled from /proc), DuckDB's spill;
* `machine`: what the numbers depend on: cores, memory, CPU, versions;
* `jobs`: the child side: what each measured process does (a build, dbt parse, the raw
  SQL, the plain-DuckDB floor, generating or appending data, pandas, loading PostgreSQL);
  `python -m gtm_analytics.bench --child SPEC` runs one (`__main__`);
* `timings`: where a build's time went, from dbt's artifacts: parse / models / tests /
  docs, every node's seconds, their sum by layer, the slowest nodes;
* `checks`: do pandas and PostgreSQL compute the warehouse's figures;
* `goals`: the headline (full build beside the floor) and the issues' goals;
* `markdown`: bench.md;
* `runner`: the scenarios in order, bench.json and bench.md, `run_bench`.

Failures are `gtm_analytics.errors.GtmError`, as everywhere in the command line.
See docs/benchmarks.md.
"""

from gtm_analytics.bench.runner import STEPS, Options, run_bench

__all__ = ["STEPS", "Options", "run_bench"]
