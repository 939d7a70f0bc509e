#!/bin/bash
# Whole-process CPU (user + system, all threads, ms) of short fdtop runs (`--version`, `--once …`)
# for several built checkouts, alternating run by run; median and range per build.
# Usage: bash bench/short-runs-cpu.sh RUNS "ARGS" CHECKOUT…   e.g.
#   bash bench/short-runs-cpu.sh 20 "--version" /path/to/old . 
# No config file is found (XDG_CONFIG_HOME points at an empty place) unless ARGS names one.
set -u
runs=$1; args=$2; shift 2
export XDG_CONFIG_HOME=/nonexistent-fdtop-bench
TIMEFORMAT='%U %S'
for _ in $(seq "$runs"); do for b in "$@"; do
	# shellcheck disable=SC2086 # ARGS are words
	t=$( { time "$b/dist/cli.js" $args >/dev/null 2>&1; } 2>&1 ); echo "$b $t"
done; done | python3 -c '
import sys, collections, statistics
d = collections.defaultdict(list)
for line in sys.stdin:
    p = line.split(); d[p[0]].append((float(p[1]) + float(p[2])) * 1000)
for k, v in d.items(): print(f"{k}: median {statistics.median(v):.0f} ms, range {min(v):.0f}-{max(v):.0f}, runs {len(v)}")'
