#!/usr/bin/env bash
# Side by side on this machine: the service repository's own Go setup of a suite (go-setup/, the
# function its suite's BeforeSuite calls) and our stack for it, each cold, each with the service
# images prebuilt (the repository CI's KUBERNAUT_CI_ARTIFACT_TAG; our config imageTag), on the
# same container runtime (rootful Podman: the Go setup runs podman, and kind on Podman), the same
# node image and the same images. Each run is timed from its start to every pod of the cluster
# Ready (or Succeeded) and every Deployment available. Runs alternate, Go setup then ours, so that
# the machine drifts alike for both; after each of ours, a warm `up` (nothing changed) is timed
# too. Prints each run, then per suite min and median of each side and the ratio of the medians
# (ours / Go setup's). Where our time went: ours-<suite>-<run>.timeline.txt (e2e-infra timeline);
# the Go setup's: go-<suite>-<run>.log, each line with the seconds since its start.
#
#   E2E_KUBERNAUT_CHECKOUT=<checkout> bash tools/real-kind/bench/side-by-side.sh [--runs N] [--builds] [suite...]
#   suites: datastorage gateway signalprocessing (default: the three); N: 3
#
# --builds: ours only, building from the checkout's Dockerfiles: cold (a fresh copy of the
# checkout, no image of ours and no layer cache in Podman's store, Go's caches empty), then `up`
# after a one-line change in the suite's service (a line appended to cmd/<service>/main.go: one
# image rebuilt), then a warm `up`; each from its start to every pod Ready. The migrations image
# alone is the stand-in, by tag (config imageTag with buildImages naming the others): its
# Dockerfile pins its FROM lines by digest. The Go setup cannot build here (its builds pull
# digest-pinned images, --no-cache): the table sets its documented full runs beside ours.
#
# Needs what tools/real-kind/prepare.sh needs, podman, and the engine toolchain
# (bash tools/engine/build.sh). Its state is under ${E2E_BENCH_STATE:-~/.cache/e2e-infra/bench}:
# Podman's store and config (tools/real-kind/podman/env.sh), a registry mirror on Podman's kind
# network, a copy of the checkout, the Go setup's binary, HOME for both sides (kubeconfigs), the
# stacks' Pulumi state. Never the user's ~/.kube, Podman store or Pulumi state. The mirror's
# container (e2e-registry, in that Podman) keeps running for the next run, as mirror.sh's does;
# clusters and stacks are removed however the benchmark ends.
#
# What differs from the suites' own run, and why (the copy's diff is printed):
# - the Go setup runs from a copy of the checkout whose kind configs name the node image built
#   here (kindest/node cannot be pulled here) and, on a cgroup v1 machine, let kubelets start on
#   it (failCgroupV1: false, as our allowCgroupV1); our stacks take the same as config;
# - the service images come from the checkout's Dockerfiles on the builder stand-ins
#   (tools/real-kind/builders), the migrations image (ours only; the Go setup runs goose itself)
#   is a stand-in, the registry images are the stand-ins of tools/real-kind/stand-ins.
set -euo pipefail
shopt -s inherit_errexit
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
runs=3
builds=false
suites=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --builds) builds=true; shift ;;
    datastorage | gateway | signalprocessing) suites+=("$1"); shift ;;
    *) echo "side-by-side.sh: unknown argument $1 (expected --runs N, --builds, datastorage, gateway, signalprocessing)" >&2; exit 2 ;;
  esac
done
[ ${#suites[@]} -gt 0 ] || suites=(datastorage gateway signalprocessing)
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "side-by-side.sh: --runs $runs: expected a positive integer" >&2; exit 2; }
checkout="${E2E_KUBERNAUT_CHECKOUT:-}"
[ -f "$checkout/docker/data-storage.Dockerfile" ] || { echo "side-by-side.sh: E2E_KUBERNAUT_CHECKOUT ($checkout) is not a checkout of jordigilh/kubernaut" >&2; exit 2; }
checkout="$(cd "$checkout" && pwd)"
state="${E2E_BENCH_STATE:-$HOME/.cache/e2e-infra/bench}"
mkdir -p "$state"
state="$(cd "$state" && pwd)"
user_cache="${XDG_CACHE_HOME:-$HOME/.cache}"
log="$state/bench.log"
: > "$log"
say() { echo "$*" | tee -a "$log" >&2; }
fail() { echo "side-by-side.sh: $*" >&2; echo "  (its log: $log)" >&2; exit 1; }

# --- the machine: test daemon, kind, node image, mirror (Docker side), engine toolchain ----------
prepared="$(bash "$root/tools/real-kind/prepare.sh" 2>>"$log")" || fail "tools/real-kind/prepare.sh failed"
value() { sed -n "s/^$1=//p" <<<"$prepared"; }
export DOCKER_HOST; DOCKER_HOST="$(value DOCKER_HOST)"
kind_bin="$(value E2E_REAL_KIND_BIN)"
node_image="$(value E2E_REAL_KIND_NODE_IMAGE)"
engine_bin="$(bash "$root/tools/engine/build.sh" --check | tail -n 1)" || fail "the engine toolchain is not built (bash tools/engine/build.sh)"
cgroup_v1=false
[ -f /sys/fs/cgroup/cgroup.controllers ] || cgroup_v1=true
# kind's Podman provider mounts /lib/modules into its nodes, and Podman (unlike Docker) refuses a
# bind mount whose source is missing (a container without kernel modules installed lacks it).
[ -d /lib/modules ] || fail "kind on Podman mounts /lib/modules into its nodes and this machine has none (kernel modules not installed): create it, empty (as root: mkdir /lib/modules)"

# --- Podman: its own state, runc-wrapper, registries mirrored to the mirror on its kind network --
set -a
eval "$(bash "$root/tools/real-kind/podman/env.sh" "$state/podman")"
set +a
export CONTAINERS_REGISTRIES_CONF="$state/podman/registries.conf"
: > "$CONTAINERS_REGISTRIES_CONF"
for registry in docker.io quay.io registry.k8s.io ghcr.io; do
  printf '[[registry]]\nprefix = "%s"\nlocation = "%s"\n[[registry.mirror]]\nlocation = "127.0.0.1:5002/%s"\ninsecure = true\n\n' \
    "$registry" "$registry" "$registry" >> "$CONTAINERS_REGISTRIES_CONF"
done
# Go's caches stay the user's (HOME changes below).
export GOPATH GOCACHE GOMODCACHE
GOPATH="$(go env GOPATH)"; GOCACHE="$(go env GOCACHE)"; GOMODCACHE="$(go env GOMODCACHE)"
# A HOME for each side: each writes its kubeconfig and the inter-service CA file to ~/.kube (and
# our stacks refuse to overwrite a CA file they did not write).
go_home="$state/home-go"
ours_home="$state/home-ours"
mkdir -p "$go_home/.kube" "$ours_home/.kube"
export HOME="$ours_home"
# The Go setup runs mikefarah's yq (v4; Debian's yq is another program), as GitHub's runners have it.
yq_version=v4.54.3
if [ "$builds" = false ] && [ "$("$state/bin/yq" --version 2>/dev/null | grep -o 'v4[.0-9]*')" != "$yq_version" ]; then
  GOBIN="$state/bin" go install "github.com/mikefarah/yq/v4@$yq_version" >>"$log" 2>&1 || fail "building yq $yq_version (Go module github.com/mikefarah/yq/v4)"
fi
export PATH="$state/bin:$kind_bin:$engine_bin:$root/tools/engine/path:$PATH"

# A local image of the test daemon copied into Podman's store (once), under the same name.
to_podman() {
  podman image exists "$2" 2>/dev/null && return 0
  docker save "$1" | podman load --quiet >>"$log" 2>&1 || fail "copying $1 into Podman's store"
  [ "$1" = "$2" ] || podman tag "$1" "$2"
}
to_podman "$node_image" "localhost/$node_image"

# The nodes pull through http://e2e-registry:5000 (the node image's containerd hosts.toml): on
# Podman that is a registry container of that name on Podman's kind network (host side
# 127.0.0.1:5002), holding what the Docker side's mirror holds.
podman network exists kind || podman network create kind >>"$log"
to_podman e2e-infra/registry:debian e2e-infra/registry:debian
# Running is not enough: after the host's networking was reset (a Docker daemon restarted, say),
# Podman's port forward to a running registry was gone (seen here: "aardvark pid not found").
if [ "$(podman inspect -f '{{.State.Running}}' e2e-registry 2>/dev/null)" != true ] || ! curl -fsS -m 5 http://127.0.0.1:5002/v2/ >/dev/null 2>&1; then
  podman rm -f e2e-registry >/dev/null 2>&1 || true
  podman run -d --name e2e-registry --network kind -p 127.0.0.1:5002:5000 e2e-infra/registry:debian >>"$log"
  for _ in $(seq 1 50); do curl -fsS http://127.0.0.1:5002/v2/ >/dev/null 2>&1 && break; sleep 0.2; done
fi
for repo in $(curl -fsS http://127.0.0.1:5001/v2/_catalog | jq -r '.repositories[]'); do
  for tag in $(curl -fsS "http://127.0.0.1:5001/v2/$repo/tags/list" | jq -r '.tags[]'); do
    curl -fsS -o /dev/null "http://127.0.0.1:5002/v2/$repo/manifests/$tag" \
      -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' 2>/dev/null && continue
    skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false \
      "docker://127.0.0.1:5001/$repo:$tag" "docker://127.0.0.1:5002/$repo:$tag" >>"$log" 2>&1 || fail "mirroring $repo:$tag"
  done
done

# --- the images, prebuilt: localhost/<name>:bench-keep in Podman's store -------------------------
# (the Go setup removes localhost/<name>:<tag> from Podman's store once it has loaded it, so each
# run starts from a fresh tag of the kept one)
standin() { bash "$root/tools/real-kind/stand-ins/build.sh" "$root/tools/real-kind/builders/$1" 2>>"$log" | head -n 1; }
builder="$(standin go-toolset)"
base="$(standin ubi-minimal)"
images=(datastorage:data-storage gateway:gateway signalprocessing:signalprocessing-controller)
[ "$builds" = false ] || images=()
for entry in "${images[@]}"; do
  name="${entry%%:*}"
  if ! podman image exists "localhost/$name:bench-keep"; then
    start=$(date +%s)
    (cd "$checkout" && docker build --quiet --force-rm -f "docker/${entry#*:}.Dockerfile" \
      --build-arg "BUILDER_IMAGE=$builder" --build-arg "BASE_IMAGE=$base" --build-arg GOARCH=amd64 \
      -t "localhost/$name:bench-keep" . >>"$log" 2>&1) || fail "building $name from docker/${entry#*:}.Dockerfile"
    to_podman "localhost/$name:bench-keep" "localhost/$name:bench-keep"
    say "image $name: built from the checkout's Dockerfile and copied into Podman's store in $(( $(date +%s) - start )) s"
  fi
done
to_podman "$(standin db-migrate)" localhost/db-migrate:bench-keep
retag() {
  for name in datastorage gateway signalprocessing db-migrate; do
    ! podman image exists "localhost/$name:bench-keep" || podman tag "localhost/$name:bench-keep" "localhost/$name:bench"
  done
}
# Our builds (--builds) run FROM the stand-ins in Podman's store.
to_podman "$builder" "$builder"
to_podman "$base" "$base"

# --- the Go setup: a copy of the checkout, its kind configs naming the node image; go-setup built against it
copy_checkout() { rm -rf "$1" && mkdir -p "$1" && (cd "$checkout" && tar --exclude=./.git -cf - .) | tar -C "$1" -xf -; }
copy="$state/checkout"
gobuild="$state/go-setup"
if [ "$builds" = false ]; then
  copy_checkout "$copy"
  for suite in "${suites[@]}"; do
    config="$copy/test/infrastructure/kind-$suite-config.yaml"
    sed -i -E "s#^([[:space:]]*)image: kindest/node:.*#\\1image: localhost/$node_image#" "$config"
    if [ "$cgroup_v1" = true ]; then
      sed -i -E '0,/^apiVersion:.*/s##&\nkubeadmConfigPatches:\n- |\n  kind: KubeletConfiguration\n  failCgroupV1: false#' "$config"
    fi
    say "Go setup's kind config (the copy's change): $(diff "$checkout/test/infrastructure/kind-$suite-config.yaml" "$config" | grep '^>' | tr '\n' ' ')"
  done
  mkdir -p "$gobuild"
  cp "$here/go-setup/main.go" "$gobuild/main.go"
  cp "$copy/go.sum" "$gobuild/go.sum"
  go_version="$(sed -n 's/^go //p' "$copy/go.mod")"
  printf 'module e2e-infra.local/go-setup\n\ngo %s\n\nrequire github.com/jordigilh/kubernaut v0.0.0\n\nreplace github.com/jordigilh/kubernaut => %s\n' \
    "$go_version" "$copy" > "$gobuild/go.mod"
  (cd "$gobuild" && go mod tidy >>"$log" 2>&1 && go build -o go-setup . >>"$log" 2>&1) || fail "building go-setup against the checkout"
fi

# --- one run ---------------------------------------------------------------------------------------
now() { echo "$EPOCHREALTIME"; }
# Every pod Ready (or Succeeded) and every Deployment available, polled each second.
wait_ready() {
  local kubeconfig="$1" deadline=$(( $(date +%s) + 600 ))
  until kubectl --kubeconfig "$kubeconfig" get pods,deployments -A -o json 2>/dev/null | jq -e '
      [.items[] | select(.kind == "Pod" and .status.phase != "Succeeded")] as $pods
      | [.items[] | select(.kind == "Deployment")] as $deployments
      | ($pods | length) > 0
        and ($pods | all((.status.containerStatuses // []) as $c | ($c | length) > 0 and ($c | all(.ready))))
        and ($deployments | all((.status.availableReplicas // 0) >= .spec.replicas))' >/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 1
  done
}
results="$state/results.tsv"
: > "$results"

go_run() {
  local suite="$1" run="$2" start end
  retag
  start=$(now)
  # Each line of its log with the seconds since the start: where its time went (its phases' headings).
  (cd "$copy/test/e2e/$suite" && HOME="$go_home" KUBERNAUT_CI_ARTIFACT_TAG=bench "$gobuild/go-setup" "$suite" 2>&1 \
    | while IFS= read -r line; do printf '%6.1f %s\n' "$(echo "$EPOCHREALTIME - $start" | bc)" "$line"; done >"$state/go-$suite-$run.log"
    exit "${PIPESTATUS[0]}") \
    || fail "the Go setup of $suite failed (run $run): $state/go-$suite-$run.log"
  wait_ready "$go_home/.kube/$suite-e2e-config" || fail "the Go setup's pods of $suite were not all Ready in 10 min"
  end=$(now)
  printf '%s\tgo\t%s\t%.1f\n' "$suite" "$run" "$(echo "$end - $start" | bc)" | tee -a "$results"
  kind delete cluster --name "$suite-e2e" >>"$log" 2>&1 || fail "kind delete cluster --name $suite-e2e"
}

stack_json() {
  jq -nc --arg op "$1" --arg dir "$root/stacks/$2" --arg stack "$2-e2e" --arg work "$state/work/$2" \
    --arg pulumi "$(dirname "$engine_bin")" --arg checkout "$checkout" --arg node "localhost/$node_image" --arg v1 "$cgroup_v1" \
    '{operation: $op, dir: $dir, stack: $stack, workDir: $work, pulumiRoot: $pulumi}
      + {
      config: ({serviceRepository: $checkout, imageTag: "bench", containerRuntime: "podman", nodeImage: $node}
        + (if $v1 == "true" then {allowCgroupV1: "true"} else {} end))}'
}
# One `pulumi up` of ours, timed from its start to every pod Ready (a warm one, "*-warm", to its
# end: nothing changes), recorded as <side> in the results; its log and events <side>-<suite>-<run>.*
timed_up() {
  local suite="$1" run="$2" side="$3" json="$4" start end
  local events="$state/$side-$suite-$run.events.jsonl"
  rm -f "$events"
  start=$(now)
  node "$root/tools/engine/bin/pulumi-stack.cjs" "$(jq -c --arg events "$events" '. + {events: $events}' <<<"$json")" >"$state/$side-$suite-$run.log" 2>&1 \
    || fail "pulumi up of $suite-e2e failed ($side, run $run): $state/$side-$suite-$run.log"
  case "$side" in
    *-warm) ;;
    *) wait_ready "$ours_home/.kube/$suite-e2e-config" || fail "the stack's pods of $suite-e2e were not all Ready in 10 min ($side)" ;;
  esac
  end=$(now)
  printf '%s\t%s\t%s\t%.1f\n' "$suite" "$side" "$run" "$(echo "$end - $start" | bc)" | tee -a "$results"
  # Where the time went: the engine's steps, critical path and Gantt chart (e2e-infra timeline).
  node "$root/tools/cli/bin/e2e-infra.cjs" timeline "$events" >"$state/$side-$suite-$run.timeline.txt" 2>&1 || true
}
ours_run() {
  local suite="$1" run="$2"
  retag
  timed_up "$suite" "$run" ours "$(stack_json up "$suite")"
  # Then a warm `up`: nothing changed, nothing to do (the target: under 10 s).
  timed_up "$suite" "$run" ours-warm "$(stack_json up "$suite")"
  node "$root/tools/engine/bin/pulumi-stack.cjs" "$(stack_json destroy "$suite")" >>"$log" 2>&1 || fail "pulumi destroy of $suite-e2e"
}

# --builds: our stack from a copy of the checkout that a run changes, every image of the suite built
# from its Dockerfile on the builder stand-ins but the migrations image (by tag: see the top).
ours_copy="$state/checkout-ours"
builds_json() {
  local built=datastorage
  [ "$2" = datastorage ] || built="datastorage,$2"
  stack_json "$1" "$2" | jq -c --arg repo "$ours_copy" --arg images "$built" --arg builder "$builder" --arg base "$base" \
    '.config += {serviceRepository: $repo, buildImages: $images, builderImage: $builder, baseImage: $base}'
}
builds_run() {
  local suite="$1" run="$2"
  retag
  # Cold: a fresh copy of the checkout, no image of ours and no layer cache in Podman's store, and
  # Go's module and build caches empty (they are under XDG_CACHE_HOME: ~/.cache/e2e-infra/build-cache).
  copy_checkout "$ours_copy"
  podman images --format '{{.Repository}}:{{.Tag}}' | { grep '^localhost/kubernaut-' || true; } | xargs -r podman rmi -f >>"$log" 2>&1
  podman image prune -f >>"$log" 2>&1
  rm -rf "$XDG_CACHE_HOME/e2e-infra/build-cache"
  timed_up "$suite" "$run" ours-cold-builds "$(builds_json up "$suite")"
  # A one-line change in the suite's service: one image rebuilt, its pods rolled.
  printf '\nvar benchChange = "%s"\n' "$suite-$run" >> "$ours_copy/cmd/$suite/main.go"
  timed_up "$suite" "$run" ours-one-line-change "$(builds_json up "$suite")"
  timed_up "$suite" "$run" ours-builds-warm "$(builds_json up "$suite")"
  node "$root/tools/engine/bin/pulumi-stack.cjs" "$(builds_json destroy "$suite")" >>"$log" 2>&1 || fail "pulumi destroy of $suite-e2e"
}

# Go's build caches of our builds under the state (a cold run empties them); the CLI's compiled
# TypeScript stays where it was.
export E2E_CLI_CACHE="${E2E_CLI_CACHE:-$user_cache/e2e-infra/cli}" XDG_CACHE_HOME="$state/cache"
export PULUMI_HOME="$state/pulumi" PULUMI_BACKEND_URL="file://$state/pulumi-state" PULUMI_CONFIG_PASSPHRASE="" \
  PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true E2E_ENGINE_BIN="$engine_bin"
mkdir -p "$state/pulumi-state"
# Nothing of a suite's before a run, nor after the benchmark, however it ends: our stack destroyed
# (its cluster and the files it wrote), the Go setup's cluster deleted.
remove_all() {
  for suite in "${suites[@]}"; do
    [ ! -d "$state/work/$suite" ] || node "$root/tools/engine/bin/pulumi-stack.cjs" "$(stack_json destroy "$suite")" >>"$log" 2>&1 || true
    kind delete cluster --name "$suite-e2e" >>"$log" 2>&1 || true
  done
}
trap remove_all EXIT
remove_all
echo -e "suite\tside\trun\tseconds (start to every pod Ready)"
for run in $(seq 1 "$runs"); do
  for suite in "${suites[@]}"; do
    if [ "$builds" = true ]; then
      builds_run "$suite" "$run"
    else
      go_run "$suite" "$run"
      ours_run "$suite" "$run"
    fi
  done
done

# --- the table -------------------------------------------------------------------------------------
stats() { awk -F'\t' -v s="$1" -v side="$2" '$1 == s && $2 == side { print $4 }' "$results" | sort -n \
  | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f %.1f\n", v[1], m }'; }
echo
if [ "$builds" = true ]; then
  # The Go setup's own full runs, as its documents give them (it cannot build here): setup, builds
  # included. datastorage: DS_E2E_PARALLEL_TIMING_RESULTS.md (warm caches); gateway:
  # GW_E2E_HYBRID_PARALLEL_VALIDATION_DEC_25_2025.md; signalprocessing: SP_E2E_OPTIMIZATION_RESULTS_DEC_25_2025.md.
  documented() { case "$1" in datastorage) echo 67.5 ;; gateway) echo 298 ;; signalprocessing) echo 201.1 ;; esac; }
  echo "| suite | ours cold from the Dockerfiles min / median | ours after a one-line change min / median | warm \`up\` min / median | Go setup's documented full run | one-line change / Go setup (medians) |"
  echo "| --- | --- | --- | --- | --- | --- |"
  for suite in "${suites[@]}"; do
    read -r cold_min cold_median < <(stats "$suite" ours-cold-builds)
    read -r change_min change_median < <(stats "$suite" ours-one-line-change)
    read -r warm_min warm_median < <(stats "$suite" ours-builds-warm)
    printf '| %s-e2e | %s s / %s s | %s s / %s s | %s s / %s s | %s s | %.2f |\n' "$suite" "$cold_min" "$cold_median" "$change_min" "$change_median" \
      "$warm_min" "$warm_median" "$(documented "$suite")" "$(echo "$change_median / $(documented "$suite")" | bc -l)"
  done
  exit 0
fi
echo "| suite | Go setup min / median | ours min / median | ours / Go setup (medians) | ours, warm \`up\` min / median |"
echo "| --- | --- | --- | --- | --- |"
for suite in "${suites[@]}"; do
  read -r go_min go_median < <(stats "$suite" go)
  read -r ours_min ours_median < <(stats "$suite" ours)
  read -r warm_min warm_median < <(stats "$suite" ours-warm)
  printf '| %s-e2e | %s s / %s s | %s s / %s s | %.2f | %s s / %s s |\n' "$suite" "$go_min" "$go_median" "$ours_min" "$ours_median" \
    "$(echo "$ours_median / $go_median" | bc -l)" "$warm_min" "$warm_median"
done
