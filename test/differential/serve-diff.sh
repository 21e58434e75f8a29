#!/usr/bin/env bash
# The real kubectl against `kubesim serve` next to kubesim's own CLI, on the same store:
#   test/differential/serve-diff.sh [CASES] [SCENARIO] [CASE_REGEX]
# CASES/SCENARIO default to diffkubectl's (../shared/tools/diffkubectl/cases.txt, scenario.yaml; one
# case a line: `MODE ARGS`, MODE `-` or `T`/`T@ZONE`). The scenario is built with the cluster born 15
# minutes in the past (clockshim.cjs beside the cases), the clock then follows wall time, so the
# real kubectl's client-side ages agree; ages are masked anyway (a second apart at a boundary print
# differently). Each case runs with both; stdout, stderr and exit code must match, except the cases
# listed in allow.txt (with the reason). Prints DIFF per case and `N identical, M differ (A allowed)`;
# exits 1 when a case not allowed differs. Needs a real kubectl (KUBECTL, default kubectl.1.32 beside
# kubectl) and bin/kubesim built.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=$root/../shared/tools/diffkubectl
cases=${1:-$shared/cases.txt}
scenario=${2:-$shared/scenario.yaml}
only=${3:-}
[ -r "$cases" ] && [ -r "$scenario" ] || { echo "serve-diff: cases or scenario not found ($cases, $scenario)" >&2; exit 2; }
if [ -z "${KUBECTL:-}" ]; then
  k=$(command -v kubectl 2>/dev/null) && k=$(readlink -f "$k") && [ -x "${k%/*}/kubectl.1.32" ] && KUBECTL=${k%/*}/kubectl.1.32
fi
[ -n "${KUBECTL:-}" ] && [ -x "$KUBECTL" ] || { echo "serve-diff: no real kubectl (set KUBECTL)" >&2; exit 2; }
S=$root/bin/kubesim
unset KUBECONFIG NODE_EXTRA_CA_CERTS NODE_OPTIONS
export TZ=UTC
W=$(mktemp -d "${TMPDIR:-/tmp}/serve-diff.XXXXXX")
export KUBESIM_HOME=$W/home HOME=$W/h
mkdir -p "$HOME" "$W/bin"
ln -s "$KUBECTL" "$W/bin/kubectl"   # kubectl names itself in some messages
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$W"' EXIT
shim=$(dirname "$cases")/clockshim.cjs
t0=$(( $(date +%s) - 900 ))
if [ -r "$shim" ]; then
  DIFFK_FAKE_NOW_MS=$(( t0 * 1000 )) NODE_OPTIONS="--require $shim" "$S" apply -f "$scenario" >/dev/null 2>&1
  DIFFK_FAKE_NOW_MS=$(( t0 * 1000 )) NODE_OPTIONS="--require $shim" "$S" run nginx --image=nginx --labels=run=nginx,env=test >/dev/null
else
  "$S" apply -f "$scenario" >/dev/null 2>&1
  "$S" run nginx --image=nginx --labels=run=nginx,env=test >/dev/null
fi
"$S" serve --port 0 > "$W/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do grep -q "^Serving" "$W/serve.log" && break; sleep 0.1; done
grep -q "^Serving" "$W/serve.log" || { echo "serve-diff: kubesim serve did not start: $(cat "$W/serve.log")" >&2; exit 2; }
mask() { sed -E 's/(^|[ (])[0-9]+[smhd]([0-9]+[smh])?( ago)?([ ),]|$)/\1AGE\4/g; s/(^|[ (])[0-9]+[smhd]([0-9]+[smh])?( ago)?([ ),]|$)/\1AGE\4/g'; }
ok=0; bad=0; allowed=0
while read -r mode rest; do
  case $mode in -|T|T@*) ;; *) continue ;; esac
  [ -n "$only" ] && ! [[ $rest =~ $only ]] && continue
  zone=UTC; [[ $mode == T@* ]] && zone=${mode#T@}
  eval "set -- $rest"
  a=$(TZ=$zone PATH="$W/bin:$PATH" kubectl --context kubesim --kubeconfig "$KUBESIM_HOME/kubeconfig" "$@" 2>&1 | mask; echo "exit ${PIPESTATUS[0]}")
  b=$(TZ=$zone "$S" "$@" 2>&1 | mask; echo "exit ${PIPESTATUS[0]}")
  if [ "$a" == "$b" ]; then ok=$((ok + 1)); continue; fi
  if grep -qxF -- "$rest" <(sed -n 's/^case: //p' "$here/allow.txt"); then allowed=$((allowed + 1)); continue; fi
  bad=$((bad + 1))
  echo "DIFF: $rest"
  diff -u <(echo "$a") <(echo "$b") | sed 1,2d | head -20
done < "$cases"
echo "$ok identical, $bad differ ($allowed allowed)"
[ "$bad" -eq 0 ]
