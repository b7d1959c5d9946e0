#!/bin/sh
# The HTML report leads from a finding to its slot: every finding of the
# database is listed, each linked to a timeline of its slot; each slot with
# a finding or stale or full retention has a timeline (inline SVG) and,
# replayed with --events, the table of exactly its slot_history rows, the
# proving event marked; replayed without, the page says the events are
# missing.  Parsed with Python's html.parser, then loaded in headless
# Chromium (--dump-dom) to see the browser builds the same document.
. "$(dirname "$0")/lib.sh"

PY=${PYTHON:-python3}
for name in ust-regression ust-injected; do
	[ -d "$SOURCE_ROOT/traces/$name/trace" ] || skip "no traces/$name fixture"
done
replay "$SOURCE_ROOT/traces/ust-regression" "$tmp/kb.db" --events
replay "$SOURCE_ROOT/traces/ust-injected" "$tmp/inj.db" --events
replay "$SOURCE_ROOT/traces/ust-injected" "$tmp/noev.db"

for db in kb inj noev; do
	"$SWAPTRACE" report --html "$tmp/$db.html" "$tmp/$db.db" >/dev/null || fail "report --html $db"
	"$PY" - "$tmp/$db.html" "$tmp/$db.db" <<'PYEOF' || fail "$db: the page does not match the database"
import collections, html.parser, sqlite3, sys

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()
        self.finding_links = {}      # finding id -> slot href
        self.slot = None             # the slot div being read
        self.slots = collections.OrderedDict()
        self.in_events = False
        self.row = None
        self.cell = None
        self.note = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if 'id' in a:
            self.ids.add(a['id'])
        if tag == 'tr' and a.get('id', '').startswith('finding-'):
            self.row = ('finding', a['id'])
        if tag == 'a' and self.row and self.row[0] == 'finding' and a.get('href', '').startswith('#slot-'):
            self.finding_links[self.row[1]] = a['href'][1:]
        if tag == 'div' and a.get('class') == 'slot':
            self.slot = a['id']
            self.slots[self.slot] = {'svg': 0, 'events': [], 'proves': 0}
        if tag == 'g' and a.get('class') == 'slot-timeline' and self.slot:
            self.slots[self.slot]['svg'] += 1
        if tag == 'table' and a.get('class') == 'events':
            self.in_events = True
        if tag == 'tr' and self.in_events:
            self.row = ('event', a.get('class') == 'proves')
            self.cell = []
        if tag == 'p' and a.get('id') == 'no-events':
            self.note = True

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def handle_endtag(self, tag):
        if tag == 'table':
            self.in_events = False
        if tag == 'tr' and self.row and self.row[0] == 'event':
            text = ' '.join(self.cell).split()
            if text and text[0].isdigit():
                self.slots[self.slot]['events'].append(int(text[0]))
                self.slots[self.slot]['proves'] += self.row[1]
            self.row = self.cell = None
        elif tag == 'tr':
            self.row = None

p = Page()
p.feed(open(sys.argv[1], encoding='utf-8').read())
db = sqlite3.connect('file:%s?mode=ro' % sys.argv[2], uri=True)
events = int(db.execute("SELECT value FROM meta WHERE key = 'options.events'").fetchone()[0])
findings = db.execute('SELECT id, type, offset, seq FROM findings ORDER BY id').fetchall()
assert findings, 'fixture without findings'
# Every finding listed and linked to an existing slot timeline.
for fid, t, o, seq in findings:
    href = p.finding_links.get('finding-%d' % fid)
    assert href == 'slot-%d-%d' % (t, o), ('finding', fid, href)
    assert href in p.ids, ('no timeline for', href)
want = {'slot-%d-%d' % r for r in db.execute(
    "SELECT type, offset FROM findings UNION SELECT type, offset FROM retention"
    " WHERE verdict IN ('stale', 'full')")}
assert set(p.slots) == want, (sorted(p.slots), sorted(want))
for sid, s in p.slots.items():
    assert s['svg'] == 1, (sid, 'svg')
    t, o = map(int, sid.split('-')[1:])
    if not events:
        assert s['events'] == [], sid
        continue
    hist = [r[0] for r in db.execute(
        'SELECT seq FROM slot_history WHERE type = ? AND slot = ? ORDER BY seq', (t, o))]
    assert s['events'] == hist[:200], (sid, s['events'][:5], hist[:5])
    proving = {r[0] for r in db.execute(
        'SELECT seq FROM findings WHERE type = ? AND offset = ?', (t, o))} & set(hist[:200])
    assert s['proves'] == len(proving), (sid, s['proves'], proving)
assert p.note == (not events), ('the no-events note', p.note, events)
print('%s: %d findings linked, %d slot timelines, %d event rows%s' % (
    sys.argv[1], len(findings), len(p.slots), sum(len(s['events']) for s in p.slots.values()),
    '' if events else ', events-missing note'))
PYEOF
done

# The browser builds the same: a timeline per slot, the links in place.
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || skip "no chromium (scripts/deps.sh test installs it)"
profile=$(mktemp -d "$tmp/chromium.XXXXXX")
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$profile" --dump-dom "file://$tmp/inj.html" >"$tmp/dom.html" 2>/dev/null ||
	fail "chromium --dump-dom"
n_slots=$(q "$tmp/inj.db" "SELECT count(*) FROM (SELECT type, offset FROM findings UNION
	SELECT type, offset FROM retention WHERE verdict IN ('stale', 'full'))")
expect_eq "$(grep -o '<g class="slot-timeline">' "$tmp/dom.html" | wc -l)" "$n_slots" "DOM timelines"
expect_eq "$(grep -o '<a href="#slot-' "$tmp/dom.html" | wc -l)" \
	"$(q "$tmp/inj.db" "SELECT count(*) FROM findings")" "DOM finding links"
echo "PASS"
