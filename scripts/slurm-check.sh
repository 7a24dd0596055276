#!/usr/bin/env bash
# Runs the Slurm recipe of docs/cluster.md on a real single-node Slurm started here, and checks
# that the sharded kernel it assembles equals a single-process `kernel` run bit for bit.
#
#   sudo scripts/slurm-check.sh          # or: SYMMETRY_PROBES_SLURM=1 swift test --filter SlurmCheck
#
# What it does, in order:
#   1. installs Debian's slurm-wlm and munge with apt-get when they are missing (no service is
#      started by the installation);
#   2. starts munged, slurmctld and slurmd on this host with a minimal configuration and state
#      kept in a temporary folder, and waits until the node is idle;
#   3. plans CNN-GAP (depth 3) on 192 CIFAR-10 test images pooled to 16x16x3 in blocks of 32
#      (21 blocks), submits docs/cluster.md's job array and assembly job, copied verbatim from
#      the document, cancels one array task while it runs, checks that the assembly job is held
#      and that `assemble` names the missing blocks without writing anything, resubmits the task
#      with docs/cluster.md's recovery lines, and compares the assembled matrices with `cmp`
#      against a single-process `kernel` run;
#   4. submits the same array against a plan folder that does not exist and checks that its tasks
#      fail and its assembly job is never released;
#   5. on exit (success, failure or interrupt) cancels every job, stops the daemons and checks
#      with pgrep that no Slurm or munge process is left.
#
# The tool is the release build of this checkout (built if needed), or SYMMETRY_PROBE_BIN.
# Kernel computations run under nice 10 (slurmd is started under nice and its jobs inherit it).
# SLURM_CHECK_KEEP=1 keeps the work folder (logs, plan, matrices) for inspection.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOC=$ROOT/docs/cluster.md
# 16x16 images rather than 8x8: a 32 x 32 block of 8x8 images takes about 0.2 s, too short a
# window to cancel a task reliably while it runs; at 16x16 a block takes a few seconds.
IMAGES=192 SIDE=16 BLOCK=32 SHARDS=8 CANCELLED=3
START=$SECONDS

say() { printf '[slurm-check %3ds] %s\n' "$((SECONDS - START))" "$*"; }
fail() { say "FAILED: $*"; exit 1; }

# The daemons this script runs; none may be running before it starts or after it ends.
DAEMONS=(munged slurmctld slurmd slurmstepd)

# The daemons of DAEMONS that are alive, one "pid name" a line (exited ones not yet reaped by
# their parent, state Z, are not running).
running_daemons() {
  local daemon pid
  for daemon in "${DAEMONS[@]}"; do
    for pid in $(pgrep -x "$daemon"); do
      [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = Z ] || echo "$pid $daemon"
    done
  done
}

# --- 1. Packages -----------------------------------------------------------------------------

[ "$(id -u)" = 0 ] || fail "run as root: the script installs packages and starts Slurm's daemons"
command -v apt-get >/dev/null || fail "apt-get not found: the script expects Debian or Ubuntu"

missing=()
for command in munged munge slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
  command -v "$command" >/dev/null || missing+=("$command")
done
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  say "not installed: ${missing[*]}; installing slurm-wlm, munge and python3 with apt-get"
  # Debian starts a package's services on installation; a policy-rc.d that answers 101 stops
  # that, so nothing runs that this script did not start. It is removed again right after.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
  fi
  installed=0
  DEBIAN_FRONTEND=noninteractive apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      slurm-wlm munge python3 > /tmp/slurm-check-apt.log 2>&1 \
    || installed=$?
  [ -z "$policy" ] || rm -f "$policy"
  if [ "$installed" != 0 ]; then
    tail -20 /tmp/slurm-check-apt.log
    fail "apt-get install slurm-wlm munge python3 failed (log: /tmp/slurm-check-apt.log)"
  fi
  say "installed: $(dpkg-query -W -f '${Package} ${Version}, ' slurm-wlm slurmctld slurmd munge)"
else
  say "already installed: $(dpkg-query -W -f '${Package} ${Version}, ' slurm-wlm slurmctld slurmd munge 2>/dev/null)"
fi

running=$(running_daemons)
[ -z "$running" ] || fail "already running: $(echo $running); this script starts its own" \
  "single-node Slurm and refuses to share the machine with another"

# --- The tool --------------------------------------------------------------------------------

if [ -n "${SYMMETRY_PROBE_BIN:-}" ]; then
  tool=$SYMMETRY_PROBE_BIN
else
  say "building symmetry-probe (release)"
  (cd "$ROOT" && nice -n 10 swift build -c release --product symmetry-probe >/dev/null)
  tool=$(cd "$ROOT" && swift build -c release --show-bin-path)/symmetry-probe
fi
[ -x "$tool" ] || fail "no symmetry-probe executable at $tool"

# --- 2. A single-node Slurm in a temporary folder --------------------------------------------

WORK=$(mktemp -d /tmp/slurm-check.XXXXXX)
chmod 755 "$WORK"
mkdir -p "$WORK"/{bin,log,munge,state,spool}
ln -s "$tool" "$WORK/bin/symmetry-probe"
export PATH="$WORK/bin:$PATH"
export SLURM_CONF=$WORK/slurm.conf
NODE=$(hostname -s)

teardown() {
  local status=$?
  trap - EXIT INT TERM
  if [ -e "$WORK/state" ] && pgrep -x slurmctld >/dev/null; then
    scancel --user="$(id -un)" 2>/dev/null || true
  fi
  local pidfile pid
  for pidfile in "$WORK/slurmd.pid" "$WORK/slurmctld.pid" "$WORK/munge/munged.pid"; do
    [ -s "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  done
  # Job steps outlive a stopped slurmd only if they were still running; the jobs were
  # cancelled above, so give them the configured KillWait to go.
  for _ in $(seq 50); do pgrep -x slurmstepd >/dev/null || break; sleep 0.2; done
  local left
  left=$(running_daemons)
  if [ $status != 0 ]; then
    for log in "$WORK"/log/*.log; do
      [ -s "$log" ] || continue
      echo "--- last lines of $log"
      tail -15 "$log"
    done
  fi
  if [ -n "$left" ]; then
    echo "[slurm-check] FAILED: left running after teardown:"
    echo "$left"
    status=1
  else
    echo "[slurm-check] teardown: pgrep finds no ${DAEMONS[*]} process"
  fi
  if [ "${SLURM_CHECK_KEEP:-0}" = 1 ]; then
    echo "[slurm-check] work folder kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  exit $status
}
trap teardown EXIT
trap 'exit 130' INT TERM

say "work folder $WORK; node $NODE"

# munge: a fresh key and a socket of our own, so the system's /etc/munge is left alone.
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$WORK/munge/munge.key"
MUNGE_SOCKET=$WORK/munge/munge.socket
munged --socket="$MUNGE_SOCKET" --key-file="$WORK/munge/munge.key" \
  --pid-file="$WORK/munge/munged.pid" --log-file="$WORK/log/munged.log" \
  --seed-file="$WORK/munge/munged.seed"
munge --socket="$MUNGE_SOCKET" -n | unmunge --socket="$MUNGE_SOCKET" >/dev/null \
  || fail "munged does not answer on $MUNGE_SOCKET"
say "munged running (pid $(cat "$WORK/munge/munged.pid"))"

# The node is declared with 32 CPUs and 32 GiB (SlurmdParameters=config_overrides lets slurmd
# accept more than the hardware has) so that docs/cluster.md's requests, 16 CPUs and 8 GiB per
# task, fit unchanged, two array tasks at a time. No cgroups: process tracking by the process
# tree, no CPU binding, so the shards share the machine's real cores.
cat > "$SLURM_CONF" <<EOF
ClusterName=slurmcheck
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=3600
KillWait=5
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=32 RealMemory=32768 State=UNKNOWN
PartitionName=main Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
say "this machine as slurmd sees it: $(slurmd -C | head -1)"

slurmctld -f "$SLURM_CONF"
# Jobs inherit slurmd's priority (PropagatePrioProcess=0), so the shards run under nice 10.
nice -n 10 slurmd -f "$SLURM_CONF"

for _ in $(seq 120); do
  state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.5
done
[ "$state" = idle ] || fail "node $NODE is '${state:-unknown}', not idle, after 60 s"
say "slurmctld (pid $(cat "$WORK/slurmctld.pid")) and slurmd (pid $(cat "$WORK/slurmd.pid")) up; $(sinfo -h -o '%P %D node(s) %T')"

# --- Helpers for the jobs --------------------------------------------------------------------

# The fenced block after the line `<!-- slurm-check: NAME -->` in docs/cluster.md.
recipe() {
  awk -v marker="<!-- slurm-check: $1 -->" '
    $0 == marker { found = 1; next }
    found && /^```/ { if (inside) exit; inside = 1; next }
    inside { print }
  ' "$DOC"
}

# Runs lines of the recipe in this shell, echoing each as a user would see it typed.
run_recipe() {
  printf '%s\n' "$1" | sed 's/^/  $ /'
  eval "$1"
}

# Waits until no job of the given ids is pending or running (at most $2 seconds).
wait_jobs() {
  local ids=$1 limit=$2 waited=0
  while [ -n "$(squeue -h -j "$ids" -t PENDING,RUNNING,CONFIGURING,COMPLETING 2>/dev/null)" ]; do
    [ $waited -lt $((limit * 2)) ] || fail "jobs $ids still running after $limit s"
    sleep 0.5
    waited=$((waited + 1))
  done
}

# Every task of job $1, one a line: id (ARRAY_TASK for an array task), state, exit code, reason.
states() {
  scontrol -o show job "$1" | awk '{
    delete field
    for (i = 1; i <= NF; i++) {
      split($i, pair, "=")
      field[pair[1]] = substr($i, length(pair[1]) + 2)
    }
    id = ("ArrayTaskId" in field) ? field["ArrayJobId"] "_" field["ArrayTaskId"] : field["JobId"]
    print id, field["JobState"], field["ExitCode"], field["Reason"]
  }' | sort -V
}

state_of() { scontrol -o show job "$1" | sed -E 's/.*JobState=([A-Z_]+).*/\1/'; }
reason_of() { scontrol -o show job "$1" | sed -E 's/.*Reason=([^ ]+).*/\1/'; }

# Waits until job $1 is pending with reason DependencyNeverSatisfied (the scheduler notices a
# dependency that can no longer be met on its next pass), at most 60 s.
wait_never_satisfied() {
  for _ in $(seq 120); do
    [ "$(reason_of "$1")" = DependencyNeverSatisfied ] && break
    sleep 0.5
  done
  say "job $1: $(state_of "$1"), reason $(reason_of "$1")"
  [ "$(state_of "$1")" = PENDING ] && [ "$(reason_of "$1")" = DependencyNeverSatisfied ] \
    || fail "job $1 is not held with reason DependencyNeverSatisfied"
}

# --- 3. The recipe, with a cancelled and resubmitted task ------------------------------------

cd "$WORK"
# CIFAR-10 test images 0..191, each 32x32x3 averaged over 2x2 squares to 16x16x3, in [0, 1].
python3 - "$ROOT/fixtures/cifar10/test-images.u8" "$IMAGES" "$SIDE" x.npy <<'PY'
import struct, sys
source, count, side, target = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
pool = 32 // side
raw = open(source, "rb").read(count * 32 * 32 * 3)
values = []
for n in range(count):
    for y in range(side):
        for x in range(side):
            for c in range(3):
                total = sum(raw[((n * 32 + pool * y + dy) * 32 + pool * x + dx) * 3 + c]
                            for dy in range(pool) for dx in range(pool))
                values.append(total / (pool * pool * 255))
header = "{'descr': '<f8', 'fortran_order': False, 'shape': (%d, %d, %d, 3), }" % (count, side, side)
header += " " * (63 - (10 + len(header)) % 64) + "\n"
with open(target, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    f.write(struct.pack("<%dd" % len(values), *values))
PY
say "x.npy: $IMAGES CIFAR-10 test images, ${SIDE}x${SIDE}x3"

say "single process: nice -n 10 symmetry-probe kernel --architecture CNN-GAP --depth 3 --input x.npy --nngp single-k.npy --ntk single-t.npy"
single_start=$SECONDS
nice -n 10 symmetry-probe kernel --architecture CNN-GAP --depth 3 --input x.npy \
  --nngp single-k.npy --ntk single-t.npy 2> log/single.log || { cat log/single.log; fail "single-process kernel failed"; }
single_seconds=$((SECONDS - single_start))
say "single process done in ${single_seconds} s"

recipe shards.sbatch > shards.sbatch
[ -s shards.sbatch ] || fail "no '<!-- slurm-check: shards.sbatch -->' block in $DOC"
say "shards.sbatch, verbatim from docs/cluster.md:"
sed 's/^/  | /' shards.sbatch
submit=$(recipe submit)
resubmit=$(recipe resubmit)
[ -n "$submit" ] && [ -n "$resubmit" ] || fail "no 'submit' or 'resubmit' block in $DOC"

# The recipe's first two lines set PLAN and N and plan /shared/run's kernel; here they are the
# same commands for this run's folder, inputs and block size. Every other line runs verbatim.
export PLAN=$WORK/run N=$SHARDS
say "planning: PLAN=$PLAN N=$N"
symmetry-probe kernel --architecture CNN-GAP --depth 3 --input x.npy --plan "$PLAN" \
  --block-size $BLOCK 2>&1 | sed 's/^/  /'
blocks=$(grep -c '"index"' "$PLAN/plan.json")
[ "$blocks" -ge 8 ] || fail "the plan has $blocks blocks; the check needs at least 8"
say "$blocks blocks, $N shards; submitting (docs/cluster.md, verbatim from its third line):"
array_start=$SECONDS
run_recipe "$(printf '%s\n' "$submit" | tail -n +3)"
[[ "$array" =~ ^[0-9]+$ ]] || fail "sbatch gave no array job id: '$array'"
[[ "$assembly" =~ ^[0-9]+$ ]] || fail "sbatch gave no assembly job id: '$assembly'"
say "array job $array (tasks 0-$((N - 1))), assembly job $assembly (afterok:$array)"

# Cancel task $CANCELLED once it has written at least one block and before it finishes.
task=${array}_$CANCELLED
out=slurm-${array}_$CANCELLED.out
for _ in $(seq 1200); do
  if [ "$(state_of "$task")" = RUNNING ] && grep -q '^\[1/' "$out" 2>/dev/null; then break; fi
  case $(state_of "$task") in COMPLETED|FAILED|CANCELLED) break;; esac
  sleep 0.1
done
[ "$(state_of "$task")" = RUNNING ] || fail "task $task is $(state_of "$task"), not running, when it should be cancelled"
say "task $task is RUNNING and has written a block:"
sed 's/^/  | /' "$out"
# The shard's srun step must hold the CPUs the batch script asked for, not one.
asked=$(grep -o -m1 'cpus-per-task=[0-9]*' shards.sbatch | cut -d= -f2)
held=$(scontrol -o show step "$task.0" | grep "^StepId=$task\.0 " | grep -o ' CPUs=[0-9]*' | cut -d= -f2)
say "its step $task.0 holds ${held:-no} CPUs; shards.sbatch asks for ${asked:-no} per task"
[ -n "$asked" ] && [ "$held" = "$asked" ] || fail "the shard's step does not hold the requested CPUs"
run_recipe "scancel $task"
for _ in $(seq 100); do [ "$(state_of "$task")" = CANCELLED ] && break; sleep 0.1; done
say "task $task: $(state_of "$task")"

wait_jobs "$array" 600
say "array $array finished in $((SECONDS - array_start)) s; its tasks (id state exit reason):"
states "$array" | sed 's/^/  /'
[ "$(state_of "$task")" = CANCELLED ] || fail "task $task is not CANCELLED"
others=$(states "$array" | grep -v "^$task " | grep -vc ' COMPLETED 0:0 ' || true)
[ "$others" = 0 ] || fail "$others task(s) besides $task did not complete with exit 0"

wait_never_satisfied "$assembly"

# Bad state: assembling now must name the cancelled shard's missing blocks and write nothing.
expected=""
for ((b = CANCELLED; b < blocks; b += N)); do
  [ -e "$PLAN/blocks/$(printf '%06d' $b).block" ] || expected+="$b "
done
say "blocks of shard $CANCELLED still missing: ${expected:-none}"
[ -n "$expected" ] || fail "the cancelled task had already written all its blocks"
set +e
symmetry-probe assemble --plan "$PLAN" --nngp "$PLAN/k.npy" --ntk "$PLAN/t.npy" > log/early-assemble.log 2>&1
early=$?
set -e
say "assemble before the resubmission: exit $early"
sed 's/^/  | /' log/early-assemble.log
[ $early = 1 ] || fail "assemble exited $early with blocks missing"
for b in $expected; do
  grep -q "block $b (.*): missing" log/early-assemble.log || fail "assemble did not name missing block $b"
done
[ ! -e "$PLAN/k.npy" ] && [ ! -e "$PLAN/t.npy" ] || fail "assemble wrote a matrix with blocks missing"
say "assemble named blocks ${expected}as missing and wrote no matrix"

say "resubmitting (docs/cluster.md's recovery lines, the failed index $CANCELLED in place of 3,17):"
stale=$assembly
run_recipe "$(printf '%s\n' "$resubmit" | sed "s/--array=3,17/--array=$CANCELLED/")"
[[ "$again" =~ ^[0-9]+$ ]] || fail "sbatch gave no job id for the resubmission: '$again'"
say "resubmitted task: job $again; stale assembly $stale: $(state_of "$stale"); new assembly job $assembly"
wait_jobs "$again,$assembly" 600
say "after the resubmission (id state exit reason):"
{ states "$again"; states "$assembly"; } | sed 's/^/  /'
[ "$(state_of "$again")" = COMPLETED ] || fail "the resubmitted task did not complete"
[ "$(state_of "$assembly")" = COMPLETED ] || { cat "slurm-$assembly.out"; fail "the assembly job did not complete"; }
sed 's/^/  | /' "slurm-$assembly.out"
array_seconds=$((SECONDS - array_start))

for matrix in k t; do
  if cmp "$PLAN/$matrix.npy" "single-$matrix.npy"; then
    say "cmp $PLAN/$matrix.npy single-$matrix.npy: identical, $(stat -c %s "$PLAN/$matrix.npy") bytes"
  else
    fail "$matrix.npy from the Slurm array differs from the single-process run"
  fi
done

# --- 4. A failing array ----------------------------------------------------------------------

say "failing array: the same submission lines with PLAN=$WORK/no-such-plan"
(
  export PLAN=$WORK/no-such-plan N=2
  run_recipe "$(printf '%s\n' "$submit" | tail -n +3)"
  echo "$array $assembly" > failing.ids
)
read -r bad_array bad_assembly < failing.ids
wait_jobs "$bad_array" 120
wait_never_satisfied "$bad_assembly"
say "failing array $bad_array and its assembly job $bad_assembly (id state exit reason):"
{ states "$bad_array"; states "$bad_assembly"; } | sed 's/^/  /'
failed=$(states "$bad_array" | grep -c ' FAILED 1:0 ' || true)
[ "$failed" = 2 ] || fail "expected both tasks of the failing array to be FAILED with exit 1"
say "the log of task ${bad_array}_0:"
sed 's/^/  | /' "slurm-${bad_array}_0.out"
grep -q "no kernel plan at $WORK/no-such-plan" "slurm-${bad_array}_0.out" \
  || fail "the failing task's log does not say that the plan is missing"
scancel "$bad_assembly"

say "PASSED in $((SECONDS - START)) s: single process ${single_seconds} s; array, cancel, resubmission and assembly ${array_seconds} s"
