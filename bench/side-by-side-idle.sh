#!/bin/bash
# Idle CPU of this build and another (its checkout with `npm run build` done) side by side in tmux
# at 120x40 on --demo steady-2.3: CPU over 60 s after a 62 s warm-up, from /proc/<pid>/stat.
# Usage: bash bench/side-by-side-idle.sh /path/to/other/checkout
set -u
here="$(cd "$(dirname "$0")/.." && pwd)"
other="$1"
tmux kill-session -t A 2>/dev/null; tmux kill-session -t B 2>/dev/null
tmux new -d -s A -x 120 -y 40 "$here/dist/cli.js --demo steady-2.3"
tmux new -d -s B -x 120 -y 40 "$other/dist/cli.js --demo steady-2.3"
sleep 3
pa=$(tmux display -p -t A '#{pane_pid}'); pb=$(tmux display -p -t B '#{pane_pid}')
ps -o pid,comm,args -p $pa,$pb | cut -c1-100
tick() { awk '{print $14+$15}' /proc/$1/stat; }
sleep 62
a0=$(tick $pa); b0=$(tick $pb)
sleep 60
a1=$(tick $pa); b1=$(tick $pb)
hz=$(getconf CLK_TCK)
echo "this build cpu% over 60s: $(echo "scale=2; ($a1-$a0)*100/$hz/60" | bc)"
echo "other build cpu% over 60s: $(echo "scale=2; ($b1-$b0)*100/$hz/60" | bc)"
tmux capture-pane -p -t B | head -2
tmux kill-session -t A; tmux kill-session -t B
