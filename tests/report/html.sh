#!/bin/sh
# The HTML report of a real recording renders in headless Chromium: take a
# screenshot, and check in the DOM after load that every plot's SVG is
# there and drew something.  The page loads nothing from the network.
#
# usage: html.sh OUT_DIR   (the screenshot is kept there as report-*.png)
. "$(dirname "$0")/lib.sh"

out_dir=$1
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || skip "no chromium (scripts/deps.sh installs it)"

if [ -d "$SOURCE_ROOT/traces/kernel-regression-randwrite" ]; then
	name=kernel-regression-randwrite
	trace=$SOURCE_ROOT/traces/kernel-regression-randwrite
	[ -d "$trace/trace" ] && trace=$trace/trace
	replay "$trace" "$tmp/$name.db"
else
	[ -n "${SWAPTRACE_EMIT:-}" ] || skip "no kernel-regression-randwrite fixture and no emitter"
	# Every retention, round-trip and race pattern, so each plot has data.
	name=emitter-injected
	EMIT_ARGS="--threads 2 --inject wp_roundtrip@5000 --inject swapin_race@8000
		--inject retention_full@12000"
	record "$name" 99 "${OPS:-20000}" retention_stale@2000
fi
html=$tmp/$name.html
"$SWAPTRACE" report --html "$html" "$tmp/$name.db" >/dev/null || fail "report --html"

# Self-contained: no URL the browser would fetch.
if grep -Eq '(src|href)="(https?:)?//|@import|url\(' "$html"; then
	fail "the page references an external resource"
fi

# chromium refuses to run as root without --no-sandbox; a fresh profile
# keeps runs independent.
browse() {
	profile=$(mktemp -d "$tmp/chromium.XXXXXX")
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$profile" "$@" "file://$html" 2>"$tmp/chromium.log"
}
mkdir -p "$out_dir"
png=$(cd "$out_dir" && pwd)/report-$name.png
rm -f "$png"
browse --screenshot="$png" --window-size=1400,2600 >/dev/null || {
	cat "$tmp/chromium.log" >&2
	fail "chromium --screenshot"
}
[ -s "$png" ] || fail "no screenshot"
size=$(wc -c <"$png")
[ "$size" -gt 20000 ] || fail "screenshot suspiciously small ($size bytes): blank page?"

browse --dump-dom >"$tmp/dom.html" || fail "chromium --dump-dom"
for id in plot-in-use plot-retention plot-waste plot-findings plot-durations; do
	grep -q "<g id=\"$id\">" "$tmp/dom.html" || fail "DOM: no plot $id"
done
n=$(grep -o '<svg class="plot"' "$tmp/dom.html" | wc -l)
[ "$n" -ge 4 ] || fail "DOM: $n plots, expected at least 4"
# The curves and bars were drawn: paths with data, rects in the histogram.
grep -q 'data-series="in-use" fill="#4c78a8" fill-opacity="0.18" d="M' "$tmp/dom.html" ||
	fail "DOM: no in-use curve"
grep -q 'data-series="stale"' "$tmp/dom.html" || fail "DOM: no stale curve"
grep -q '<title>swaptrace report: ' "$tmp/dom.html" || fail "DOM: no title"
echo "screenshot: $png"
echo "PASS"
