#!/usr/bin/env bash
# How long `e2e-infra graph` and `e2e-infra plan` take for a stack, as a user runs them (node
# started to exit), N runs each: the wall time's minimum and median, and the median CPU time
# (user + system; on a busy machine it says more than the wall time), with the cache:
#   no cache  E2E_CLI_CACHE=off: every TypeScript file transpiled on every run (as before the cache)
#   cold      an empty cache (transpiled and written; V8's code cache too)
#   warm      the cache filled by a run before (the usual case)
# A benchmark, not a test: its figures depend on the machine and what else runs on it (README,
# "Timing"). The service stacks render the chart with helm: on PATH, or they are skipped.
#
#   bash tools/cli/bench/graph-plan.sh [--runs N] [stack ...]    # default: 5 runs; demo gateway
#   npm run bench:cli -- --runs 3 demo
set -euo pipefail
export LC_ALL=C # decimal points in time's and printf's figures
root="$(cd "$(dirname "$0")/../../.." && pwd)"
bin="$root/tools/cli/bin/e2e-infra.cjs"
checkout="$root/packages/testing/examples/kubernaut-checkout"
tekton="$root/stacks/workflowexecution/test/fixtures/tekton-release.yaml"

runs=5
stacks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs)
      if ! { [ $# -ge 2 ] && [ "$2" -ge 1 ]; } 2>/dev/null; then
        echo "graph-plan.sh: --runs needs a positive integer" >&2
        exit 2
      fi
      runs="$2"
      shift
      ;;
    -*) echo "graph-plan.sh: unknown option $1 (usage: graph-plan.sh [--runs N] [stack ...])" >&2; exit 2 ;;
    *) stacks+=("$1") ;;
  esac
  shift
done
[ ${#stacks[@]} -gt 0 ] || stacks=(demo gateway)

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# The --config a stack needs here: the bundled stand-in checkout of the service repository.
config_of() {
  case "$1" in
    demo) ;;
    workflowexecution) printf '%s\n' --config "serviceRepository=$checkout" --config "tektonManifest=$tekton" ;;
    *) printf '%s\n' --config "serviceRepository=$checkout" ;;
  esac
}

# One run of `e2e-infra <args>` with E2E_CLI_CACHE=$1: "<wall> <cpu>" in seconds (bash's time).
timed() {
  local cache="$1" TIMEFORMAT="%3R %3U %3S"
  shift
  if ! { time E2E_CLI_CACHE="$cache" node "$bin" "$@" >/dev/null 2>"$scratch/stderr"; } 2>"$scratch/time"; then
    echo "graph-plan.sh: e2e-infra $* failed:" >&2
    cat "$scratch/stderr" >&2
    exit 1
  fi
  awk '{ print $1, $2 + $3 }' "$scratch/time"
}

# The median of the numbers on stdin.
median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# "min median cpu-median" of the "<wall> <cpu>" lines on stdin.
summary() {
  local lines
  lines="$(cat)"
  printf '%6.2f s  %6.2f s  %6.2f s\n' \
    "$(cut -d' ' -f1 <<<"$lines" | sort -n | head -1)" "$(cut -d' ' -f1 <<<"$lines" | median)" "$(cut -d' ' -f2 <<<"$lines" | median)"
}

echo "e2e-infra graph and plan: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), node $(node --version), $runs runs each"
printf '%-28s %-9s %8s  %8s  %8s\n' "command" "cache" "min" "median" "CPU"
for stack in "${stacks[@]}"; do
  mapfile -t config < <(config_of "$stack")
  if [ "$stack" != demo ] && ! command -v helm >/dev/null 2>&1; then
    echo "$stack: skipped: it renders the service repository's chart with helm, which is not on PATH (bash tools/engine/build.sh --only helm builds it)"
    continue
  fi
  for command in graph plan; do
    args=("$command" "$stack" "${config[@]}")
    [ "$command" = plan ] && args+=(--parallel 8)
    for mode in "no cache" cold warm; do
      warm="$scratch/warm-$stack"
      [ "$mode" = warm ] && timed "$warm" "${args[@]}" >/dev/null # fills it
      figures="$(
        for _ in $(seq "$runs"); do
          case "$mode" in
            "no cache") timed off "${args[@]}" ;;
            cold) timed "$(mktemp -d "$scratch/cold.XXXXXX")" "${args[@]}" ;;
            warm) timed "$warm" "${args[@]}" ;;
          esac
        done | summary
      )"
      printf '%-28s %-9s %s\n' "$command $stack" "$mode" "$figures"
    done
  done
done
