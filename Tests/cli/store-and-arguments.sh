#!/usr/bin/env bash
# Checks of the built `replicate` CLI that only a process can show: bad inputs (one `error:`
# line on stderr, non-zero exit, nothing written), Ctrl-C, kill-and-resume at a chosen step,
# a store copied as its .sqlite file alone, reports of papers without runs, claims read from
# the source tree. Run by HarnessTests (CLITests.swift): replicate-cli.sh <replicate> <repo root>.
# Prints one line per failed check and exits non-zero if any failed.
set -u
BIN=$(realpath "$1"); ROOT=$(realpath "$2")
W=$(mktemp -d)   # where the commands run and write
L=$(mktemp -d)   # this script's own captures, outside W
trap 'chmod -R u+w "$W"; rm -rf "$W" "$L"' EXIT
cd "$W" || exit 1
export REPLICATE_CODE_VERSION=cli-test
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
SMOKE=(task-diversity --tier smoke --seeds 1)

# expect_error <what> <text stderr must contain> <replicate args…>
expect_error() {
  local what=$1 needle=$2; shift 2
  local before; before=$(find . | sort)
  "$BIN" "$@" >"$L/out" 2>"$L/err" </dev/null; local rc=$?
  [ "$rc" -ne 0 ] || fail "$what: exit 0"
  [ "$(wc -l <"$L/err")" -eq 1 ] || fail "$what: stderr is not one line: $(head -c 400 "$L/err")"
  grep -q '^error: ' "$L/err" || fail "$what: stderr does not start with 'error: ': $(head -c 200 "$L/err")"
  grep -qF -- "$needle" "$L/err" || fail "$what: stderr lacks '$needle': $(head -c 200 "$L/err")"
  [ "$before" = "$(find . | sort)" ] || fail "$what: files were written: $(find . | sort | tr '\n' ' ')"
}

# Arguments, before any store exists.
expect_error "seeds 0" "--seeds 0:" run "${SMOKE[@]::3}" --seeds 0
expect_error "seed 0 in a list" "seed 0 is not allowed" run "${SMOKE[@]::3}" --seeds 0,1
expect_error "negative seed in a list" "seed -5 is not allowed" run "${SMOKE[@]::3}" --seeds=-5,3
expect_error "seeds -1" "--seeds -1:" run "${SMOKE[@]::3}" --seeds -1
expect_error "threads 0" "--threads 0: give 1…" run "${SMOKE[@]}" --threads 0
expect_error "threads 1000" "--threads 1000: give 1…" run "${SMOKE[@]}" --threads 1000
expect_error "bad shard" "bad shard '4/3'" run "${SMOKE[@]}" --shard 4/3
expect_error "unknown paper" "unknown paper 'nope'" run nope
expect_error "unknown tier" "unknown tier 'huge'" run task-diversity --tier huge
expect_error "missing option value" "Missing value for '--tier" run task-diversity --tier
expect_error "unknown option" "Unknown option '--colour'" verify task-diversity --colour
mkdir folder.sqlite
for cmd in run verify export; do
  expect_error "$cmd --db folder" "folder.sqlite: not a usable results database (it is a folder" $cmd "${SMOKE[@]::3}" --db folder.sqlite
done
expect_error "merge a folder" "folder.sqlite: not a usable results database (it is a folder" merge merged.sqlite folder.sqlite
expect_error "verify a missing store" "none.sqlite: not a usable results database (no such file)" verify task-diversity --db none.sqlite
"$BIN" datasets prepare no-such-corpus >"$L/out" 2>"$L/err"
[ $? -ne 0 ] && [ ! -s "$L/out" ] && [ "$(wc -l <"$L/err")" -eq 1 ] && grep -q '^error: ' "$L/err" \
  || fail "datasets prepare of an unknown corpus: stdout '$(head -c 200 "$L/out")', stderr '$(head -c 200 "$L/err")'"
"$BIN" run --help 2>&1 | tr -s ' \n' ' ' >"$L/out" && grep -q "sgemm, attention and elementwise loops" "$L/out" \
  && grep -q "OpenBLAS itself runs single-threaded" "$L/out" \
  || fail "run --help does not say what --threads sets"

# Kill-and-resume: the first trained arm SIGKILLs itself right after its step-200 checkpoint
# (smoke: 300 steps, a checkpoint every 100), resumes, and must store exactly what an
# uninterrupted run stores.
mkdir A B
(REPLICATE_KILL_AFTER_STEP=200 "$BIN" run "${SMOKE[@]}" --db A/r.sqlite 2>"$L/kill.err") 2>/dev/null   # no "Killed" notice
rc=$?
[ $rc -eq 137 ] || fail "kill at step 200: exit $rc, expected 137 (SIGKILL): $(tail -c 300 "$L/kill.err")"
ckpt=$(find A/r.sqlite.work -name resume.ckpt | head -1)
[ -n "$ckpt" ] && grep -aq '"step":200' "$ckpt" || fail "no step-200 checkpoint in A/r.sqlite.work"
"$BIN" run "${SMOKE[@]}" --db A/r.sqlite 2>"$L/resume.err" || fail "resume: $(tail -c 300 "$L/resume.err")"
grep -q "1 already complete" "$L/resume.err" || fail "resume did not skip the finished arm: $(tail -1 "$L/resume.err")"
"$BIN" run "${SMOKE[@]}" --db B/r.sqlite 2>"$L/clean.err" || fail "uninterrupted run: $(tail -c 300 "$L/clean.err")"
[ "$(ls A)" = "$(printf 'r.sqlite\nr.sqlite.work')" ] || fail "after run the store is not one file: $(ls A | tr '\n' ' ')"
"$BIN" export task-diversity --db A/r.sqlite --out "$L/a.csv" && "$BIN" export task-diversity --db B/r.sqlite --out "$L/b.csv" \
  || fail "export"
[ "$(wc -l <"$L/b.csv")" -gt 50 ] || fail "export of the uninterrupted run is short: $(wc -l <"$L/b.csv") lines"
cmp -s "$L/a.csv" "$L/b.csv" || fail "kill-and-resume differs from the uninterrupted run: $(diff "$L/a.csv" "$L/b.csv" | head -3)"

expect_error "merge into a folder" "folder.sqlite: not a usable results database (it is a folder" merge folder.sqlite B/r.sqlite

# An empty shard warns (and runs nothing).
"$BIN" run "${SMOKE[@]}" --shard 1000/1000 --db B/r.sqlite 2>"$L/err" || fail "empty shard: exit non-zero"
grep -q "^warning: shard 1000/1000 of task-diversity smoke is empty" "$L/err" || fail "empty shard: no warning: $(head -c 200 "$L/err")"

# A schema with a table missing is refused at open, before any training.
mkdir D && cp B/r.sqlite D/r.sqlite && sqlite3 D/r.sqlite "DROP TABLE series"
for cmd in run verify export; do
  expect_error "$cmd on a store without series" "D/r.sqlite: not a usable results database (missing table series)" $cmd "${SMOKE[@]::3}" --db D/r.sqlite
done

# A torn store is refused by readers without -wal/-shm files appearing beside it.
mkdir E && cp B/r.sqlite E/c.sqlite
head -c 8000 /dev/zero | tr '\0' '\245' | dd of=E/c.sqlite bs=1 seek=100 conv=notrunc 2>/dev/null
expect_error "verify a torn store" "E/c.sqlite: not a usable results database" verify "${SMOKE[@]::3}" --db E/c.sqlite
expect_error "merge a torn store" "E/c.sqlite: not a usable results database" merge E/merged.sqlite B/r.sqlite E/c.sqlite

# Readers need no write access beside the store (as root this checks only that nothing appears).
chmod 555 B
"$BIN" verify "${SMOKE[@]::3}" --db B/r.sqlite >"$L/verify.txt" 2>"$L/err"
grep -q "^task-diversity tier=smoke seeds=1" "$L/verify.txt" || fail "verify in a read-only folder: $(head -c 200 "$L/err")"
[ "$(ls B)" = "$(printf 'r.sqlite\nr.sqlite.work')" ] || fail "verify left files beside the store: $(ls B | tr '\n' ' ')"
chmod 755 B

# report all: papers without runs get a "not run" report; the others and the index are written.
"$BIN" report all --tier smoke --db B/r.sqlite --out Rep 2>"$L/err" || fail "report all: $(tail -c 300 "$L/err")"
grep -q "^## Not run" Rep/icll/smoke/README.md 2>/dev/null || fail "report all: no 'not run' report for icll"
grep -q "^## Claims" Rep/task-diversity/smoke/README.md 2>/dev/null || fail "report all: no task-diversity report"
[ -f Rep/README.md ] || fail "report all: no index"

# Results as data: every report folder holds data/*.csv; --from-data rebuilds the same files
# (README, figures, index) without the store; compare sees no change between the store and its
# data, and a verdict change once the data lose their measurements (--fail-on-change exits 1).
[ -s Rep/task-diversity/smoke/data/runs.csv ] && [ -s Rep/icll/smoke/data/runs.csv ] || fail "report all: no data/runs.csv"
cp -r Rep Rep2 && find Rep2 -type f ! -path '*/data/*' -delete
"$BIN" report all --tier smoke --from-data --out Rep2 2>"$L/err" || fail "report --from-data: $(tail -c 300 "$L/err")"
diff -r Rep Rep2 >"$L/diff" || fail "report --from-data differs from the store's report: $(head -c 300 "$L/diff")"
# `report all` from a store without task-diversity's runs keeps its committed report, data and row.
cp B/r.sqlite "$L/empty.sqlite" && sqlite3 "$L/empty.sqlite" "DELETE FROM series; DELETE FROM measurements; DELETE FROM runs"
cp -r Rep "$L/RepBefore"
"$BIN" report all --tier smoke --db "$L/empty.sqlite" --out Rep 2>"$L/err" || fail "report all from an empty store: $(tail -c 300 "$L/err")"
grep -q "^kept Rep/task-diversity/smoke/README.md" "$L/err" || fail "report all from an empty store did not keep task-diversity: $(head -c 300 "$L/err")"
diff -r "$L/RepBefore" Rep >"$L/diff" || fail "report all from an empty store changed the reports: $(head -c 300 "$L/diff")"
"$BIN" compare B/r.sqlite Rep --tier smoke --fail-on-change >"$L/cmp" 2>"$L/err" \
  || fail "compare of a store with its own data: exit non-zero: $(tail -c 300 "$L/cmp") $(tail -c 200 "$L/err")"
grep -q "^1 papers compared; 0 verdicts changed$" "$L/cmp" || fail "compare of a store with its data: $(tail -c 300 "$L/cmp")"
head -1 Rep2/task-diversity/smoke/data/measurements.csv >"$L/m.csv" && cp "$L/m.csv" Rep2/task-diversity/smoke/data/measurements.csv
"$BIN" compare B/r.sqlite Rep2/task-diversity/smoke/data --tier smoke >"$L/cmp" 2>&1 || fail "compare without --fail-on-change: exit non-zero"
"$BIN" compare B/r.sqlite Rep2/task-diversity/smoke/data --tier smoke --fail-on-change >"$L/cmp" 2>&1 && fail "compare --fail-on-change: exit 0 on a change"
grep -q "← VERDICT CHANGED" "$L/cmp" || fail "compare did not mark the changed verdict: $(head -c 300 "$L/cmp")"
mkdir C0 && expect_error "compare a folder without data" "no report data here" compare B/r.sqlite C0 --tier smoke

# Claims: a broken source copy stops `run` before training; an edited one is used without a rebuild.
mkdir -p C/Replications/TaskDiversity
echo "claims: [unclosed" >C/Replications/TaskDiversity/claims.yaml
pushd C >/dev/null && expect_error "run with a broken claims file" "claims.yaml" run "${SMOKE[@]}" --db r.sqlite; popd >/dev/null
sed 's/- id: S1$/- id: S1edited/' "$ROOT/Replications/TaskDiversity/claims.yaml" >C/Replications/TaskDiversity/claims.yaml
(cd C && "$BIN" verify "${SMOKE[@]::3}" --db ../B/r.sqlite >"$L/verify.txt" 2>/dev/null)
grep -q "^S1edited " "$L/verify.txt" || fail "verify did not read the edited claims file in the source tree"

# Ctrl-C while `run` waits for a store another process holds: one line, exit 130.
mkdir F && sqlite3 F/r.sqlite "CREATE TABLE x(a)" && mkfifo "$L/fifo"
sqlite3 F/r.sqlite <"$L/fifo" >/dev/null & holder=$!
exec 3>"$L/fifo"
echo "BEGIN EXCLUSIVE;" >&3
"$BIN" run "${SMOKE[@]}" --db F/r.sqlite 2>"$L/int.err" & pid=$!
for _ in $(seq 300); do   # until it has the store open (its handler is installed before)
  ls -l /proc/$pid/fd 2>/dev/null | grep -q 'F/r.sqlite$' && break
  sleep 0.1
done
kill -INT $pid; wait $pid; rc=$?
exec 3>&-; wait $holder
[ $rc -eq 130 ] || fail "Ctrl-C: exit $rc, expected 130"
[ "$(grep -cv '^$' "$L/int.err")" -eq 1 ] && grep -q "^interrupted: .*run the same command again to resume" "$L/int.err" \
  || fail "Ctrl-C: stderr is not the one resume line: $(head -c 300 "$L/int.err")"

# Done-when: after a run, copying only results.sqlite, merging and verifying the copy gives the
# original's verdicts.
mkdir G H
"$BIN" run icll --tier smoke --seeds 1 --db G/results.sqlite 2>"$L/err" || fail "icll smoke run: $(tail -c 300 "$L/err")"
cp G/results.sqlite H/
"$BIN" merge H/merged.sqlite H/results.sqlite 2>"$L/err" || fail "merge of the copy: $(tail -c 300 "$L/err")"
"$BIN" verify icll --tier smoke --db G/results.sqlite >"$L/v1" 2>/dev/null; rc1=$?
"$BIN" verify icll --tier smoke --db H/merged.sqlite >"$L/v2" 2>/dev/null; rc2=$?
[ $rc1 -eq $rc2 ] && cmp -s "$L/v1" "$L/v2" && grep -q "^icll tier=smoke seeds=1 (registered: 1)$" "$L/v1" \
  || fail "verdicts of the copied store differ: $(diff "$L/v1" "$L/v2" | head -3)"

[ $fails -eq 0 ] && echo "replicate CLI: all checks passed"
exit $((fails > 0))
