#!/usr/bin/env bash
# Live test of `replicate slurm` against a real single-node Slurm on this machine (loopback only).
# Run it through `make test-slurm` (builds first); needs root: it installs slurm-wlm, munge and
# sqlite3 with apt-get if missing, and starts its own munged, slurmctld and slurmd with a generated
# config and state in a temporary folder; it stops them on exit. Not part of `make test`.
#
#   round 1: a paper's smoke tier as a 3-task array; the merged store must hold the same numbers
#            as a plain `replicate run` of the same tier, seeds and thread count, and the report
#            and verdicts must be written.
#   round 2: array task 2 is cancelled (scancel) once part of its shard is stored; the merge job
#            must fail naming shard 2 and its missing runs; the task is requeued (scontrol requeue)
#            and resumes (stored runs skipped, the rest from the work folder's checkpoints); the
#            merge job, resubmitted as its message says, must then succeed with the same numbers.
#
# SLURM_TEST_PAPER picks the paper (default rewarm: one dependency group per seed, so a shard is a
# seed whose continual arms start from the upstream run's checkpoints in the work folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
BIN=$REPO/.build/release/replicate
PAPER=${SLURM_TEST_PAPER:-rewarm}
TIER=smoke SEEDS=3 SHARDS=3
CPUS=1   # CPUs per array task = the runs' thread count; the plain run uses the same count
START=$(date +%s)
PASSED=0 FAILED=0

say() { echo "slurm-test: $*"; }
die() { echo "slurm-test: error: $*" >&2; exit 1; }
check() {   # check NAME COMMAND...: count a pass or a failure
    local name=$1; shift
    if "$@"; then PASSED=$((PASSED + 1)); say "ok   $name"; else FAILED=$((FAILED + 1)); say "FAIL $name"; fi
}

[ -x "$BIN" ] || die "$BIN not built: run 'make test-slurm' (it builds first)"
[ "$(id -u)" = 0 ] || die "needs root (apt-get, and the Slurm and munge daemons)"

# --- install what is missing --------------------------------------------------------------
missing=()
for p in slurm-wlm munge sqlite3; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
        || die "could not install ${missing[*]} with apt-get"
fi

# --- a private single-node cluster ----------------------------------------------------------
T=$(mktemp -d /tmp/replicate-slurm.XXXXXX)
chmod 755 "$T"   # munged wants every folder above its socket searchable by all
mkdir -p "$T/munge" "$T/run" "$T/state" "$T/spool"
chmod 700 "$T/munge"
export SLURM_CONF=$T/slurm.conf

stop() {
    local rc=$?
    if [ -f "$T/run/slurmctld.pid" ]; then
        scancel --quiet --user="$(id -un)" 2>/dev/null || true
        for _ in $(seq 30); do [ -z "$(squeue --noheader 2>/dev/null)" ] && break; sleep 1; done
    fi
    for d in slurmd slurmctld munged; do
        local f=$T/run/$d.pid
        [ -f "$f" ] || continue
        local pid; pid=$(cat "$f")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    done
    if [ "${KEEP_SLURM_TEST:-}" = 1 ] || [ "$rc" != 0 ]; then say "state kept in $T"; else rm -rf "$T"; fi
}
trap stop EXIT

free_port() {   # the first port from $1 on that nothing listens on (and not $2)
    local p=$1
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || [ "$p" = "${2:-}" ]; do p=$((p + 1)); done
    echo "$p"
}
CTL_PORT=$(free_port 6817)
D_PORT=$(free_port $((CTL_PORT + 1)) "$CTL_PORT")

mungekey --create --keyfile="$T/munge/munge.key" 2>/dev/null || dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$T/munge/munge.key"
munged --socket="$T/run/munge.socket" --key-file="$T/munge/munge.key" --pid-file="$T/run/munged.pid" \
    --log-file="$T/munge/munged.log" --seed-file="$T/munge/munged.seed" || die "munged did not start: $(tail -n 3 "$T/munge/munged.log")"

# The node as slurmd sees this machine (CPUs, sockets, cores, memory), named localhost.
NODE=$(slurmd -C | head -n 1 | sed 's/^NodeName=[^ ]*//')
cat > "$SLURM_CONF" <<CONF
ClusterName=replicate-test
SlurmctldHost=localhost
SlurmctldPort=$CTL_PORT
SlurmdPort=$D_PORT
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/run/munge.socket
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/run/slurmctld.pid
SlurmdPidFile=$T/run/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
MinJobAge=3600
NodeName=localhost NodeAddr=127.0.0.1$NODE State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$SLURM_CONF" || die "slurmctld did not start: $(tail -n 3 "$T/slurmctld.log")"
slurmd -f "$SLURM_CONF" -N localhost || die "slurmd did not start: $(tail -n 3 "$T/slurmd.log")"
for _ in $(seq 30); do sinfo --noheader -o %t 2>/dev/null | grep -qx idle && break; sleep 1; done
sinfo --noheader -o %t | grep -qx idle || die "the node did not come up: $(tail -n 3 "$T/slurmctld.log")"
say "cluster up: $(sinfo --noheader -o '%P %D node(s) %c CPUs %m MB')"

# --- helpers ----------------------------------------------------------------------------------
job_state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -n 1; }
finished() { case "$1" in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED|BOOT_FAIL|DEADLINE) return 0;; esac; return 1; }
wait_done() {   # wait_done JOBID: wait (30 min at most) until it has finished; print its final state
    local s deadline=$(( $(date +%s) + 1800 ))
    while :; do
        s=$(job_state "$1")
        finished "$s" && { echo "$s"; return; }
        [ "$(date +%s)" -lt "$deadline" ] || die "job $1 still ${s:-unknown} after 30 min: $(squeue 2>&1 | tail -n 5)"
        sleep 2
    done
}
submit() {   # submit DIR: `replicate slurm` into DIR; sets ARRAY and MERGE
    local out
    out=$("$BIN" slurm "$PAPER" --tier "$TIER" --seeds "$SEEDS" --shards "$SHARDS" --cpus-per-task "$CPUS" \
        --time 01:00:00 --dir "$1")
    ARRAY=$(sed -n 's/^submitted array job \([0-9]*\) .* merge job \([0-9]*\)$/\1/p' <<<"$out")
    MERGE=$(sed -n 's/^submitted array job \([0-9]*\) .* merge job \([0-9]*\)$/\2/p' <<<"$out")
    [ -n "$ARRAY" ] && [ -n "$MERGE" ] || die "unexpected output of replicate slurm: $out"
    say "submitted array $ARRAY and merge $MERGE into $1"
}
# Every measurement and series point of the paper's runs, keyed by (arm, seed, name[, step]),
# values to 17 significant digits (exact for a double). Wall-clock speeds (names ending in
# _seconds or holding per_second) are the only numbers that may differ between two runs.
TIMING="(m.name LIKE '%\\_seconds' ESCAPE '\\' OR m.name LIKE '%per\\_second%' ESCAPE '\\')"
numbers() {
    sqlite3 "$1" "SELECT r.arm, r.seed, m.name, printf('%!.17g', m.value) FROM measurements m JOIN runs r USING (fingerprint)
                  WHERE r.paper = '$PAPER' AND r.tier = '$TIER' AND NOT $TIMING ORDER BY 1, 2, 3;
                  SELECT r.arm, r.seed, m.name, m.step, printf('%!.17g', m.value) FROM series m JOIN runs r USING (fingerprint)
                  WHERE r.paper = '$PAPER' AND r.tier = '$TIER' AND NOT $TIMING ORDER BY 1, 2, 3, 4;"
}
same_numbers() {   # same_numbers DB: its numbers equal the plain run's, and there are some
    numbers "$1" > "$1.numbers"
    [ -s "$1.numbers" ] && cmp -s "$PLAIN.numbers" "$1.numbers" || { diff "$PLAIN.numbers" "$1.numbers" | head -n 5; return 1; }
}
same_verdicts() {   # same_verdicts DB: `replicate verify` prints the plain run's verdict table
    "$BIN" verify "$PAPER" --tier "$TIER" --db "$1" > "$1.verdicts" 2>/dev/null || true
    [ -s "$1.verdicts" ] && cmp -s "$PLAIN.verdicts" "$1.verdicts"
}
runs_in() { [ -f "$1" ] && sqlite3 "$1" "SELECT count(*) FROM runs WHERE status = 'complete'" 2>/dev/null || echo 0; }

# --- the reference: a plain run -----------------------------------------------------------------
PLAIN=$T/plain/results.sqlite
t0=$(date +%s)
"$BIN" run "$PAPER" --tier "$TIER" --seeds "$SEEDS" --threads "$CPUS" --db "$PLAIN" 2> "$T/plain.log" \
    || die "the plain run failed: $(tail -n 3 "$T/plain.log")"
numbers "$PLAIN" > "$PLAIN.numbers"
# The merge job ends as `replicate verify` does on the plain store: with 3 seeds rather than the
# smoke tier's registered one, verify may exit non-zero on the claims' expectations.
PLAIN_VERIFY=0
"$BIN" verify "$PAPER" --tier "$TIER" --db "$PLAIN" > "$PLAIN.verdicts" 2>/dev/null || PLAIN_VERIFY=$?
MERGE_END=$([ "$PLAIN_VERIFY" = 0 ] && echo COMPLETED || echo FAILED)
say "plain run: $(runs_in "$PLAIN") runs, $(wc -l < "$PLAIN.numbers") numbers, $(( $(date +%s) - t0 )) s"

# --- round 1: array + merge -------------------------------------------------------------------------
R1=$T/round1
submit "$R1"
state=$(wait_done "$MERGE")
check "round 1: merge job $MERGE found every shard complete" grep -q "all $SHARDS shards complete" "$R1/logs/replicate-$PAPER-$TIER-merge-$MERGE.out"
check "round 1: merge job $MERGE ended as the plain verify did (state $state, plain verify exit $PLAIN_VERIFY)" [ "$state" = "$MERGE_END" ]
for i in $(seq "$SHARDS"); do
    check "round 1: task $i wrote its log" test -s "$R1/logs/replicate-$PAPER-$TIER-${ARRAY}_$i.out"
done
check "round 1: merged measurements and series equal the plain run's" same_numbers "$R1/merged.sqlite"
check "round 1: report written" test -s "$R1/Reports/$PAPER/README.md"
check "round 1: verdict table equals the plain run's" same_verdicts "$R1/merged.sqlite"

# --- round 2: a task cancelled mid-shard, then requeued -------------------------------------------
R2=$T/round2
submit "$R2"
S2=$R2/shard-2.sqlite
while :; do   # until task 2 has stored a run of its shard
    [ "$(runs_in "$S2")" -ge 1 ] && break
    ! finished "$(job_state "${ARRAY}_2")" || die "task 2 ended before it could be cancelled: $(tail -n 3 "$R2"/logs/*_2.out)"
    sleep 0.5
done
scancel "${ARRAY}_2" || die "could not cancel task 2"
for _ in $(seq 60); do [ "$(job_state "${ARRAY}_2")" = CANCELLED ] && break; sleep 0.5; done
stored=$(runs_in "$S2")
say "cancelled task 2 with $stored run(s) of its shard stored"
check "round 2: task 2 cancelled mid-shard (state $(job_state "${ARRAY}_2"))" [ "$(job_state "${ARRAY}_2")" = CANCELLED ]
state=$(wait_done "$MERGE")
MLOG=$R2/logs/replicate-$PAPER-$TIER-merge-$MERGE.out
check "round 2: merge job $MERGE failed with a shard short (state $state)" [ "$state" = FAILED ]
check "round 2: merge job $MERGE stopped before the report" bash -c "! grep -q 'shards complete' '$R2/logs/replicate-$PAPER-$TIER-merge-$MERGE.out'"
check "round 2: merge log names shard 2 and its missing runs" grep -q "shard 2/$SHARDS (.*) lacks .* seed " "$MLOG"
check "round 2: merge log names no other shard" bash -c "! grep -q 'shard [13]/$SHARDS (' '$MLOG'"
grep "lacks\|requeue" "$MLOG" | sed 's/^/    /'
resubmit=$(sed -n 's/.*then merge again: \(sbatch .*\)$/\1/p' "$MLOG")
[ -n "$resubmit" ] || die "the merge log says nothing about merging again"
scontrol requeue "${ARRAY}_2"
scontrol update JobId="${ARRAY}_2" StartTime=now   # a requeued job waits some time otherwise
MERGE=$(sbatch --parsable ${resubmit#sbatch })   # as the merge log says
say "requeued task 2, resubmitted the merge as job $MERGE"
state=$(wait_done "$MERGE")
check "round 2: resubmitted merge job $MERGE found every shard complete" grep -q "all $SHARDS shards complete" "$R2/logs/replicate-$PAPER-$TIER-merge-$MERGE.out"
check "round 2: resubmitted merge job $MERGE ended as the plain verify did (state $state)" [ "$state" = "$MERGE_END" ]
TLOG=$R2/logs/replicate-$PAPER-$TIER-${ARRAY}_2.out
check "round 2: task 2's log holds both attempts" grep -q "attempt 2," "$TLOG"
second=$(sed -n '/attempt 2,/,$p' "$TLOG")
check "round 2: the requeued task skipped the $stored run(s) stored before the cancel" \
    [ "$(grep -c '^skip ' <<<"$second")" = "$stored" ]
check "round 2: merged measurements and series equal the plain run's" same_numbers "$R2/merged.sqlite"
check "round 2: report written" test -s "$R2/Reports/$PAPER/README.md"
check "round 2: verdict table equals the plain run's" same_verdicts "$R2/merged.sqlite"

say "wall time $(( $(date +%s) - START )) s"
echo "slurm: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
