#!/usr/bin/env bash
# Kills the daemon with SIGKILL at random moments while it processes the
# looping demo clip, 200 times by default, and checks after every kill that
# the state file opens, that no count went backwards, and that at most one
# commit window (summary.every_frames = 5) of frames was lost. It runs the
# same test as `make test` with more cycles and prints its summary line.
#
# Usage: scripts/bench/crash.sh [CYCLES]
# Environment: EDGECLUSTER_CRASH_SEED repeats the kill delays of a run.
# Each cycle takes 0.3 to 5 s plus the daemon's start, about 12 minutes in
# all for 200 cycles on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
cycles=${1:-200}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
EDGECLUSTER_CRASH_CYCLES=$cycles go test -count=1 -timeout 60m \
  -run '^TestCrashRecovery$' -v ./daemon | grep -E 'seeded|after|cycle|^(--- |ok|FAIL)'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
