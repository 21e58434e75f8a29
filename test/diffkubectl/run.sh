#!/usr/bin/env bash
# Differential test of kubesim's client-side output against the REAL kubectl on the same objects.
#   run.sh KUBESIM_BIN [CASE_REGEX]
# Builds scenario.yaml in a fresh kubesim store, serves kubesim's objects to real kubectl through
# fakeapi.py (127.0.0.1, read-only), runs every line of cases.txt with both programs and diffs
# stdout + stderr + exit code. Prints OK/DIFF per case (unified diff real -> kubesim) and ends with
# `N identical, M differ`; exit 0 only when nothing differs.
# Env: KUBECTL (real kubectl; default kubectl.1.32 when found on PATH or beside `kubectl`, else
# kubectl), PYTHON (python3), JOBS (parallel clock-free cases, default 4), KEEP=1 (keep work dir).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 KUBESIM_BIN [CASE_REGEX]" >&2; exit 2; }
sim_bin=$1
case $sim_bin in /*) ;; *) sim_bin=$PWD/$sim_bin ;; esac
[ -x "$sim_bin" ] || { echo "not an executable: $sim_bin" >&2; exit 2; }
only=${2:-}
PYTHON=${PYTHON:-python3}
JOBS=${JOBS:-4}
if [ -z "${KUBECTL:-}" ]; then
  # prefer a plain kubectl 1.32 binary over a version-dispatching wrapper (one process, no extra request)
  KUBECTL=kubectl
  k=$(command -v kubectl 2>/dev/null) && k=$(readlink -f "$k") && [ -x "${k%/*}/kubectl.1.32" ] && KUBECTL=${k%/*}/kubectl.1.32
  command -v kubectl.1.32 >/dev/null 2>&1 && KUBECTL=kubectl.1.32
fi
command -v "$KUBECTL" >/dev/null || { echo "real kubectl not found: $KUBECTL" >&2; exit 2; }

unset NODE_EXTRA_CA_CERTS KUBECONFIG NODE_OPTIONS
export TZ=UTC
W=$(mktemp -d "${TMPDIR:-/tmp}/diffkubectl.XXXXXX")
export KUBESIM_HOME=$W/sim HOME=$W/home
mkdir -p "$HOME" "$W/snap" "$W/cases" "$W/bin"
# real kubectl prints its own name in some messages: make it `kubectl` whatever the binary is called
ln -s "$(command -v "$KUBECTL")" "$W/bin/kubectl"
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  if [ -n "${KEEP:-}" ]; then echo "work directory kept: $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT
die() { echo "run.sh: $*" >&2; exit 2; }

sim() { "$sim_bin" "$@"; }
real() { KUBECONFIG=$W/kubeconfig "$W/bin/kubectl" "$@"; }
now_ns() { date +%s%N; }

# ---- 1. scenario: born 15 minutes in the past, settled 5 simulated minutes (the comparisons then
#         move kubesim's clock on to the real wall clock, so it ages 10 more minutes) --------------------
t0=$(( $(date +%s) - 900 ))
DIFFK_FAKE_NOW_MS=$(( t0 * 1000 )) NODE_OPTIONS="--require \"$here/clockshim.cjs\"" sim clock freeze >/dev/null \
  || die "kubesim clock freeze failed"
sim apply -f "$here/scenario.yaml" >/dev/null || die "kubesim apply failed"
sim run nginx --image=nginx --labels=run=nginx,env=test >/dev/null || die "kubesim run failed"
sim clock advance 1m >/dev/null || die "kubesim clock advance failed"
# once the quota's status is computed (a real apiserver refuses pods in a namespace whose quota has
# no status yet), a pod that gets the LimitRange's defaults and counts against the quota
sim run limited -n team --image=busybox --command -- sleep 36000 >/dev/null || die "kubesim run limited failed"
# a rollout that completes (its first ReplicaSet scaled to 0) and one stuck on an image that
# cannot be pulled (progressDeadlineSeconds: 60)
sim set image deployment/frontend -n demo nginx=nginx:1.25 >/dev/null || die "kubesim set image failed"
sim set image deployment/rollout -n demo app=nginx:no-such-tag >/dev/null || die "kubesim set image failed"
sim clock advance 4m >/dev/null || die "kubesim clock advance failed"
sim delete pod term -n demo --wait=false >/dev/null || die "kubesim delete failed"  # Terminating for an hour
sim taint nodes minikube dedicated=web:PreferNoSchedule >/dev/null || die "kubesim taint failed"
sim clock advance 10s >/dev/null || die "kubesim clock advance failed"
(( $(date -d "$(sim clock | cut -d' ' -f1)" +%s) < $(date +%s) )) || die "kubesim's clock is ahead of the wall clock"

# ---- 2. export what kubesim holds; serve it -----------------------------------------------------
sim api-resources -o name > "$W/snap/kinds.txt" || die "kubesim api-resources failed"
kinds=$(paste -sd, "$W/snap/kinds.txt")
export_snap() { # export_snap CLOCK_LINE: what `kubesim clock` printed last
  printf '%s\n' "$1" > "$W/snap/clock.txt" &&
    sim get "$kinds" -A -o json > "$W/snap/objects.json.tmp" &&
    mv "$W/snap/objects.json.tmp" "$W/snap/objects.json"
}
clock_line=$(sim clock)
export_snap "$clock_line" || die "export failed"
"$PYTHON" "$here/fakeapi.py" --dir "$W/snap" --port-file "$W/port" --log "$W/server.log" &
server_pid=$!
for _ in $(seq 200); do [ -s "$W/port" ] && break; sleep 0.05; done
[ -s "$W/port" ] || die "fake API server did not start"
cat > "$W/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- cluster:
    server: http://127.0.0.1:$(cat "$W/port")
  name: minikube
contexts:
- context:
    cluster: minikube
    namespace: default
    user: minikube
  name: minikube
current-context: minikube
preferences: {}
users:
- name: minikube
  user: {}
EOF
real api-versions >/dev/null 2>&1 || die "real kubectl cannot talk to the fake API server"

# sync_clock OFFSET_MS: set kubesim's frozen clock to a coming real second S (re-exporting the
# snapshot), then wait until the wall clock reads S + OFFSET_MS (OFFSET_MS may be negative).
sync_clock() {
  local off=$1 target s
  while :; do
    # the first second S that leaves ~0.6 s to advance and export before kubectl must start
    target=$(( ($(now_ns) + 600000000 - off * 1000000) / 1000000000 + 1 ))
    s=$(date -d "${clock_line%% *}" +%s)
    if (( target > s )); then
      clock_line=$(sim clock advance "$(( target - s ))s") || die "clock advance failed"
    fi
    export_snap "$clock_line" || die "export failed"
    (( $(now_ns) < target * 1000000000 + off * 1000000 )) && break
  done
  while (( $(now_ns) < target * 1000000000 + off * 1000000 )); do sleep 0.002; done
  SYNC_S=$target
}

# side FILE PROGRAM ARGS...: keep stdout, stderr, exit code and end time of one run
side() {
  local f=$1; shift
  "$@" > "$f.out" 2> "$f.err"
  echo $? > "$f.rc"
  now_ns > "$f.end"
}
# compose FILE [--ages]: the comparable text of one run (stdout normalised by normalize.py)
compose() {
  if [ -n "${2:-}" ] || grep -qE '^(====| *Type +Resource +Min +Max .*)$' "$1.out"; then "$PYTHON" "$here/normalize.py" ${2:+"$2"} < "$1.out"; else cat "$1.out"; fi
  printf '\n<<stderr>>\n'; cat "$1.err"; printf '\n<<exit %s>>\n' "$(cat "$1.rc")"
}
run_case() { # run_case INDEX real|sim
  local i=$1 who=$2 tz=UTC
  case ${modes[$i]} in *@*) tz=${modes[$i]#*@} ;; esac
  eval "set -- ${args[$i]}"
  if [ "$who" = real ]; then TZ=$tz side "$W/cases/$i.real" real "$@"
  else TZ=$tz side "$W/cases/$i.sim" sim "$@"; fi
}

echo "real kubectl: $("$W/bin/kubectl" version --client 2>/dev/null | head -1 | sed 's/^Client Version: //') ($(command -v "$KUBECTL")); kubesim: $sim_bin"

# ---- 3. read the cases ---------------------------------------------------------------------------
modes=(); args=()
while IFS= read -r line || [ -n "$line" ]; do
  case $line in ''|'#'*) continue ;; esac
  m=${line%% *}; a=${line#* }
  [ -n "$only" ] && ! grep -qE -- "$only" <<<"$a" && continue
  modes+=("$m"); args+=("$a")
done < "$here/cases.txt"
n=${#args[@]}

# ---- 4. clock-sensitive cases, one at a time ------------------------------------------------------
# Real kubectl reads the clock after it fetched its objects. The fake server logs when it answered
# each request, so a run counts when its first object request came at or after S and the process
# ended before S+1: then real kubectl's ages are those of kubesim frozen at S. kubectl is started
# `lead` ms before S, lead being how long it took last time to reach its first object request.
first_object_request() { # first_object_request LOG_LINE_COUNT: epoch ns of the run's first non-discovery request
  tail -n +"$(( $1 + 1 ))" "$W/server.log" | awk '{ split($3, p, "?") } p[1] !~ /^\/(version|api|apis|api\/v1)$/ { print $1; exit }'
}
masked=()
for ((i = 0; i < n; i++)); do
  [ "${modes[$i]%@*}" = T ] || continue
  lead=300; ok=
  for _ in 1 2 3 4 5 6 7 8; do
    sync_clock $(( 30 - lead ))
    mark=$(wc -l < "$W/server.log"); t0=$(now_ns)
    run_case "$i" real
    t1=$(first_object_request "$mark"); t2=$(cat "$W/cases/$i.real.end")
    if [ -z "$t1" ] || { (( t1 >= SYNC_S * 1000000000 )) && (( t2 < (SYNC_S + 1) * 1000000000 )); }; then ok=1; break; fi
    lead=$(( (t1 - t0) / 1000000 )); (( lead > 950 )) && lead=950
  done
  run_case "$i" sim
  [ -n "$ok" ] || masked[$i]=1
done

# ---- 5. clock-free cases, in parallel (kubesim is frozen, the snapshot matches it) -----------------
pids=()
for ((i = 0; i < n; i++)); do
  [ "${modes[$i]%@*}" = T ] && continue
  ( run_case "$i" real; run_case "$i" sim ) & pids+=($!)
  if (( ${#pids[@]} >= JOBS )); then wait "${pids[@]}"; pids=(); fi
done
(( ${#pids[@]} )) && wait "${pids[@]}"

# ---- 6. report -------------------------------------------------------------------------------------
same=0; differ=0; approx=0
for ((i = 0; i < n; i++)); do
  r=$W/cases/$i.real; k=$W/cases/$i.sim
  compose "$r" > "$r.txt"; compose "$k" > "$k.txt"
  if cmp -s "$r.txt" "$k.txt"; then
    same=$((same + 1)); echo "OK    kubectl ${args[$i]}"; continue
  fi
  if [ -n "${masked[$i]:-}" ]; then
    compose "$r" --ages > "$r.txt"; compose "$k" --ages > "$k.txt"
    if cmp -s "$r.txt" "$k.txt"; then
      same=$((same + 1)); approx=$((approx + 1)); echo "OK~   kubectl ${args[$i]}   (ages masked: real kubectl could not be timed)"; continue
    fi
  fi
  differ=$((differ + 1))
  echo "DIFF  kubectl ${args[$i]}${masked[$i]:+   (ages masked: real kubectl could not be timed)}"
  diff -u --label "real kubectl" --label kubesim "$r.txt" "$k.txt" | sed 's/^/      /'
done
(( approx )) && echo "($approx of the identical compared with ages masked: see OK~)"
echo "$same identical, $differ differ"
(( differ == 0 ))
