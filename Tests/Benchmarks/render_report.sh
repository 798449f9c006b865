#!/usr/bin/env bash
# Renders a Descry HTML report to PNG with headless Chromium (apt: chromium), to check it in a
# real browser. Usage: Tests/Benchmarks/render_report.sh REPORT.html OUT.png [WIDTH HEIGHT]
set -euo pipefail
report="$1"; out="$2"; width="${3:-1100}"; height="${4:-3400}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then echo "chromium is not installed; run: apt-get install -y chromium" >&2; exit 1; fi
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$width,$height" \
  --screenshot="$out" "file://$(realpath "$report")" 2>/dev/null
test -s "$out" && echo "rendered $out"
