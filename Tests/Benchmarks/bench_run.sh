#!/usr/bin/env bash
# One benchmark run for `make bench`: bench_run.sh RUNS_DIR NAME COMMAND...
# Writes RUNS_DIR/NAME.json (the command's stdout: its --json output) and RUNS_DIR/NAME.meta.json
# (the command, the load average before and after, wall seconds, exit status), which
# `descry bench report` turns into one table. stderr passes through. Exits with the command's status.
set -u
runs="$1"; name="$2"; shift 2
mkdir -p "$runs"
load() { cut -d' ' -f1-3 /proc/loadavg; }
before="$(load)"; start="$(date +%s.%N)"
"$@" > "$runs/$name.json"
status=$?
end="$(date +%s.%N)"; after="$(load)"
python3 - "$runs/$name.meta.json" "$name" "$before" "$after" "$start" "$end" "$status" "$*" <<'PY'
import json, sys
path, name, before, after, start, end, status, command = sys.argv[1:]
json.dump({"bench": name, "command": command, "load_before": before, "load_after": after,
           "seconds": float(end) - float(start), "status": int(status)}, open(path, "w"), indent=1)
PY
echo "bench $name: exit $status, load $before -> $after" >&2
exit $status
