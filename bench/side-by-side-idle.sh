#!/bin/bash
# Idle CPU of this build and others (their checkouts with `npm run build` done) side by side in tmux
# at 120x40 on --demo steady-2.3, all started together: CPU (every thread, from /proc/<pid>/stat)
# over MEASURE seconds (default 60) after a 62 s warm-up. Prints each figure, each other build's
# ratio to this one (the only figures that mean anything on a shared machine) and the load average.
# Session names carry this shell's pid, so two runs (or two engineers on one tmux server) do not
# kill each other's sessions.
# Usage: [MEASURE=120] bash bench/side-by-side-idle.sh /path/to/other/checkout [/path/to/another …]
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
measure="${MEASURE:-60}"
dirs=("$here" "$@")
sessions=(); pids=()
for i in "${!dirs[@]}"; do
	s="fdtop-idle-$$-$i"
	sessions+=("$s")
	tmux new -d -s "$s" -x 120 -y 40 "${dirs[$i]}/dist/cli.js --demo steady-2.3"
done
sleep 3
for s in "${sessions[@]}"; do pids+=("$(tmux display -p -t "$s" '#{pane_pid}')"); done
tick() { awk '{print $14+$15}' "/proc/$1/stat"; }
sleep 62
before=(); for p in "${pids[@]}"; do before+=("$(tick "$p")"); done
sleep "$measure"
after=(); for p in "${pids[@]}"; do after+=("$(tick "$p")"); done
hz=$(getconf CLK_TCK)
used=(); for i in "${!pids[@]}"; do used+=($((after[i] - before[i]))); done
for i in "${!dirs[@]}"; do
	echo "cpu% over ${measure}s: $(echo "scale=2; ${used[$i]}*100/$hz/$measure" | bc)  ${dirs[$i]}$([ "$i" = 0 ] && echo ' (this build)')"
done
for i in "${!dirs[@]}"; do
	[ "$i" = 0 ] && continue
	echo "ratio this/other: $(echo "scale=3; ${used[0]}/${used[$i]}" | bc)  (${dirs[$i]})"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
tmux capture-pane -p -t "${sessions[0]}" | head -2
for s in "${sessions[@]}"; do tmux kill-session -t "$s"; done
