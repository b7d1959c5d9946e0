#!/bin/sh
# A fresh `meson install --destdir`: the installed binary replays a
# recorded fixture and exports it; every subcommand has a man page, and
# man renders each page, and the recorders', without a warning; `man
# swaptrace-replay` finds its page on the installed MANPATH; the recorder
# scripts are installed executable and answer --help; the bash completion
# offers the subcommands and exactly the options each --help lists; the
# schema documentation is where --help says, and its SQL builds a database.
set -u
. "$(dirname "$0")/../replay/lib.sh"

dest=$TMP/dest
expect_status 0 "$MESON" install -C "$BUILD_ROOT" --destdir "$dest" --no-rebuild --quiet
root=$dest$PREFIX
# Options may be absolute (under the prefix) or relative to it.
under() {
	case $1 in /*) echo "$dest$1" ;; *) echo "$root/$1" ;; esac
}
bin=$(under "$BINDIR")/swaptrace
man_dir=$(under "$MANDIR")
doc=$(under "$DATADIR")/doc/swaptrace/schema

# The binary.
expect_status 0 "$bin" --version && expect_grep "^swaptrace $VERSION\$" "$TMP/out"
fixture ust-injected "$TMP/t"
expect_status 0 "$bin" replay -q --events "$TMP/t" -o "$TMP/t.db"
expect_status 0 "$bin" report "$TMP/t.db" && expect_grep '^Findings by rule' "$TMP/out"
expect_status 0 "$bin" export "$TMP/t.db" -o "$TMP/t.json"
expect_status 1 "$bin" check "$TMP/t"

# Man pages: one per subcommand, plus swaptrace(1) and the recorders'.
commands=$("$bin" --help | awk '/^commands:/ { on = 1; next } on && /^   [a-z]/ { print $1 }')
ok
[ -n "$commands" ] || fail "no commands in swaptrace --help"
pages="$man_dir/man1/swaptrace.1 $man_dir/man8/swaptrace-record.8 $man_dir/man1/swaptrace-record-ust.1"
for cmd in $commands; do
	pages="$pages $man_dir/man1/swaptrace-$cmd.1"
done
for page in $pages; do
	ok
	if [ ! -f "$page" ]; then
		fail "no man page $page (is scdoc installed? scripts/deps.sh test)"
		continue
	fi
	MANWIDTH=80 man --warnings -l "$page" >"$TMP/man.out" 2>"$TMP/man.err"
	[ -s "$TMP/man.err" ] && fail "man -l $page: $(cat "$TMP/man.err")"
	expect_grep '^NAME' "$TMP/man.out"
	expect_grep '^EXIT STATUS' "$TMP/man.out"
done
# Each subcommand's page documents the options its --help lists.
for cmd in $commands; do
	MANWIDTH=200 man -l "$man_dir/man1/swaptrace-$cmd.1" >"$TMP/page" 2>/dev/null
	"$bin" "$cmd" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u | while read -r opt; do
		[ "$opt" = --help ] || [ "$opt" = --verbose ] && continue
		grep -q -- "$opt" "$TMP/page" || echo "$cmd: $opt"
	done >"$TMP/undocumented"
	ok
	[ -s "$TMP/undocumented" ] && fail "options missing from swaptrace-$cmd(1): $(cat "$TMP/undocumented")"
done
# man finds the page by name on the installed MANPATH.
expect_status 0 env MANPATH="$man_dir" MANWIDTH=80 man swaptrace-replay &&
	expect_grep 'swaptrace-replay - replay swap traces' "$TMP/out"

# The recorders: executable, in bin and sbin, and say how to use them.
record=$(under "$SBINDIR")/swaptrace-record
record_ust=$(under "$BINDIR")/swaptrace-record-ust
for s in "$record" "$record_ust"; do
	ok
	[ -x "$s" ] || fail "$s is not installed executable"
done
expect_status 129 "$record" --help && expect_grep 'usage: swaptrace-record' "$TMP/err"
expect_status 2 "$record_ust" && expect_grep 'usage: swaptrace-record-ust' "$TMP/err"

# Bash completion: where bash-completion looks, offering what --help lists.
completion=$(under "$COMPLETIONS_DIR")/swaptrace
ok
[ -f "$completion" ] || fail "no bash completion at $completion"
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _swaptrace
		printf "%s\n" "${COMPREPLY[@]}"' complete "$completion" "$@"
}
complete_words swaptrace "" | sort >"$TMP/got"
ok
for cmd in $commands; do
	grep -qx "$cmd" "$TMP/got" || fail "completion does not offer '$cmd': $(cat "$TMP/got")"
done
for cmd in $commands; do
	complete_words swaptrace "$cmd" -- | grep -- '^--' | sort -u >"$TMP/got"
	"$bin" "$cmd" --help | grep -oE -- '^ +(-[a-z], )?--[a-z][a-z-]+' | grep -oE -- '--[a-z-]+' |
		sort -u >"$TMP/want"
	ok
	cmp -s "$TMP/got" "$TMP/want" ||
		fail "completion of '$cmd' options differs from --help: $(diff "$TMP/want" "$TMP/got" | tr '\n' ' ')"
done
complete_words swaptrace replay --stale-threshold "" >"$TMP/got"
expect_grep '^1ms$' "$TMP/got"

# The schema documentation, where --help says it is, and its SQL works.
expect_status 0 "$bin" replay --help && expect_grep "$PREFIX/.*/doc/swaptrace/schema/README.md" "$TMP/out"
for f in README.md events-v2.md 001-core.sql views.sql indexes.sql; do
	ok
	[ -s "$doc/$f" ] || fail "no $doc/$f"
done
expect_status 0 sqlite3 "$TMP/empty.db" ".read $doc/001-core.sql" ".read $doc/views.sql" \
	".read $doc/indexes.sql" "SELECT count(*) FROM slot_history"
expect_grep '^0$' "$TMP/out"

finish
