#!/usr/bin/env bash
# Builds, into the test daemon (DOCKER_HOST, from daemon.sh), the kind node image the real-kind
# suite creates clusters from: a stand-in for kindest/node:v1.36.1, which no registry here serves.
# Everything comes from Go modules (tools/real-kind/go, built by tools/engine/build.sh --go) and
# Debian packages (mmdebstrap); kind's own node image contract (entrypoint, systemd units,
# containerd config, storage manifest) is read from the sigs.k8s.io/kind module at build time.
# Prints the node image's name last. Idempotent: every step is cached by the key of its inputs.
#
#   DOCKER_HOST=unix://... bash tools/real-kind/images.sh
#   E2E_REAL_KIND_CACHE=/path   cache root (default ~/.cache/e2e-infra/real-kind): rootfs tarballs
#   E2E_DEBIAN_MIRROR=URL       Debian mirror for mmdebstrap (default http://deb.debian.org/debian)
#
# What differs from kindest/node (the README lists it for users):
#   - Kubernetes v1.36.3 (the engine's module; kind v0.32.0 pins v1.36.1), node binaries built
#     with cgo like the engine's, so component images are Debian trixie based, not distroless;
#   - the default CNI is a ptp DaemonSet with routes between nodes (default-cni.yaml), not
#     kindnetd: no network policies;
#   - local-path-provisioner v0.0.30 (the newest the module proxy serves; kind builds v0.0.34);
#   - no nfs-common, open-iscsi or fuse-overlayfs snapshotter (rootless only);
#   - containerd runs runc through runc-wrapper (privileged pods on machines without
#     CAP_SYS_RESOURCE);
#   - containerd pulls from the registries in MIRRORED_REGISTRIES through the suite's mirror,
#     http://e2e-registry:5000 on the "kind" network (mirror.sh), before the registry itself.
set -euo pipefail
shopt -s inherit_errexit
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${E2E_REAL_KIND_CACHE:-$HOME/.cache/e2e-infra/real-kind}"
mirror="${E2E_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
kube_version=v1.36.3
suite=trixie
mirror_url=http://e2e-registry:5000
MIRRORED_REGISTRIES="docker.io quay.io registry.k8s.io ghcr.io gcr.io mirror.gcr.io public.ecr.aws"

[ -n "${DOCKER_HOST:-}" ] || { echo "images.sh: DOCKER_HOST is not set: run it against the test daemon (bash tools/real-kind/daemon.sh start prints its address)" >&2; exit 2; }
step() { echo "real-kind images: $*" >&2; }
exists() { docker image inspect "$1" >/dev/null 2>&1; }
hash() { sha256sum | cut -c1-16; }

bin="$(bash "$root/tools/engine/build.sh" --go "$here/go" | tail -n 1)"
# etcd at the version kubeadm v1.36 deploys: the engine's (go.etcd.io/etcd/server/v3 v3.6.8).
etcd_bin="$(bash "$root/tools/engine/build.sh" --only etcd | tail -n 1)"
kind_src="$(cd "$here/go/kind" && go list -m -f '{{.Dir}}' sigs.k8s.io/kind)"
kube_src="$(cd "$here/go/kubernetes-node" && go list -m -f '{{.Dir}}' k8s.io/kubernetes)"
# The storage manifest's images, as kind's node image build names them.
storage_consts="$kind_src/pkg/build/nodeimage/const_storage.go"
provisioner_image="$(sed -n 's/^const storageProvisionerImage = "\(.*\)"$/\1/p' "$storage_consts")"
helper_image="$(sed -n 's/^const storageHelperImage = "\(.*\)"$/\1/p' "$storage_consts")"
if [ -z "$provisioner_image" ] || [ -z "$helper_image" ]; then
  echo "images.sh: no storage images in $storage_consts" >&2
  exit 1
fi

# The node image's key: this directory's files, the binaries and kind's module.
# (The bin directories' names are keys of the modules that built them.)
key="$( { cd "$here" && sha256sum images.sh runc-wrapper default-cni.yaml; echo "$bin $etcd_bin $kind_src $suite $mirror_url $MIRRORED_REGISTRIES"; } | hash)"
node_image="e2e-infra/kind-node:$kube_version-$key"
if exists "$node_image"; then
  step "$node_image cached"
  echo "$node_image"
  exit 0
fi

# A Debian rootfs imported as an image, cached as a tarball by its package list.
debian_image() {
  local name="$1" packages="$2" id tar start
  id="$(echo "$suite $packages" | hash)"
  if ! exists "e2e-infra/debian-$name:$id"; then
    tar="$cache/rootfs/$name-$id.tar"
    if [ ! -f "$tar" ]; then
      mkdir -p "$cache/rootfs"
      start=$(date +%s)
      mmdebstrap --quiet --format=tar --variant=minbase --include="$packages" "$suite" "$tar.partial" "$mirror" >&2
      mv "$tar.partial" "$tar"
      step "debian-$name rootfs ($suite) in $(( $(date +%s) - start )) s" >&2
    fi
    docker import "$tar" "e2e-infra/debian-$name:$id" >/dev/null
  fi
  echo "e2e-infra/debian-$name:$id"
}

# kind's base image's packages, less nfs-common and open-iscsi.
node_os="$(debian_image node systemd,conntrack,iptables,nftables,iproute2,ethtool,util-linux,mount,kmod,libseccomp2,pigz,fuse-overlayfs,e2fsprogs,bash,ca-certificates,curl,jq,procps)"
# The components' base (kube-proxy needs iptables and conntrack, the CNI pod ip): Debian, where
# upstream uses distroless-iptables.
component_os="$(debian_image component iptables,nftables,conntrack,iproute2,ca-certificates)"

work="$(mktemp -d "${TMPDIR:-/tmp}/e2e-real-kind.XXXXXX")"
build_container=""
cleanup() {
  [ -z "$build_container" ] || docker rm -f -v "$build_container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# One image from a Dockerfile (standard input) and a context directory.
build() {
  local tag="$1" context="$2" start
  start=$(date +%s)
  docker build --quiet -t "$tag" -f - "$context" >/dev/null
  step "$tag in $(( $(date +%s) - start )) s"
}

# kind's base image: its Dockerfile's steps on the Debian rootfs above, with containerd, runc,
# crictl and the CNI plugins from Go modules (kind builds the same versions from git).
base_image="e2e-infra/kind-base:$key"
mkdir -p "$work/base/bin" "$work/base/cni"
cp -r "$kind_src/images/base/files" "$work/base/files"
chmod -R u+w "$work/base/files"
find "$work/base/files" -type f -exec chmod 0644 {} +
chmod 0755 "$work/base/files/usr/local/bin/"* "$work/base/files/kind/bin/"*
for b in containerd ctr containerd-shim-runc-v2 crictl runc; do cp "$bin/$b" "$work/base/bin/"; done
for b in host-local loopback ptp portmap; do cp "$bin/$b" "$work/base/cni/"; done
cp "$here/runc-wrapper" "$work/base/bin/runc-e2e"
# containerd's per-registry hosts (config_path): the mirror first, under /v2/<registry>/.
for registry in $MIRRORED_REGISTRIES; do
  mkdir -p "$work/base/certs.d/$registry"
  printf 'server = "https://%s"\n\n[host."%s/v2/%s"]\n  capabilities = ["pull", "resolve"]\n  override_path = true\n' \
    "$([ "$registry" = docker.io ] && echo registry-1.docker.io || echo "$registry")" "$mirror_url" "$registry" \
    > "$work/base/certs.d/$registry/hosts.toml"
done
build "$base_image" "$work/base" <<EOF
FROM $node_os
COPY files/usr/local/bin/ /usr/local/bin/
COPY files/kind/ /kind/
COPY files/etc/ /etc/
RUN chmod 755 /kind /kind/bin \
 && find /lib/systemd/system/sysinit.target.wants/ -name "systemd-tmpfiles-setup.service" -delete \
 && rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* \
    /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev* \
    /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/* \
 && echo "ReadKMsg=no" >> /etc/systemd/journald.conf \
 && ln -sf /usr/lib/systemd/systemd /sbin/init \
 && systemctl enable kubelet.service containerd.service undo-mount-hacks.service \
 && systemctl mask systemd-binfmt.service \
 && mkdir -p /etc/kubernetes/manifests /opt/cni/bin
COPY bin/containerd bin/ctr bin/containerd-shim-runc-v2 bin/crictl /usr/local/bin/
COPY bin/runc bin/runc-e2e /usr/local/sbin/
COPY cni/ /opt/cni/bin/
COPY certs.d/ /etc/containerd/certs.d/
RUN ctr oci spec \
    | jq '.hooks.createContainer[.hooks.createContainer| length] |= . + {"path": "/kind/bin/mount-product-files.sh"}' \
    | jq 'del(.process.rlimits)' > /etc/containerd/cri-base.json \
 && sed -i 's|^\(\s*\)SystemdCgroup = true|&\n\1BinaryName = "/usr/local/sbin/runc-e2e"|' /etc/containerd/config.toml \
 && grep -q 'BinaryName = "/usr/local/sbin/runc-e2e"' /etc/containerd/config.toml \
 && printf '\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n' >> /etc/containerd/config.toml \
 && containerd --version && runc --version
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]
EOF

# The images kubeadm, kind's CNI and storage manifests run, under the names they ask for.
images=()
component() { # <image> <binary>... : the binaries in /usr/local/bin of the components' base
  local tag="$1" dir
  shift
  dir="$work/$(echo "$tag" | hash)"
  mkdir -p "$dir"
  cp "$@" "$dir/"
  build "$tag" "$dir" <<EOF
FROM $component_os
COPY . /usr/local/bin/
EOF
  images+=("$tag")
}
for c in kube-apiserver kube-controller-manager kube-scheduler kube-proxy; do
  component "registry.k8s.io/$c:$kube_version" "$bin/$c"
done
component "registry.k8s.io/etcd:3.6.8-0" "$etcd_bin/etcd"
component "$provisioner_image" "$bin/local-path-provisioner"
# CoreDNS's Deployment gives only arguments: the image's entrypoint is the binary.
mkdir -p "$work/coredns" && cp "$bin/coredns" "$work/coredns/"
build registry.k8s.io/coredns/coredns:v1.14.2 "$work/coredns" <<EOF2
FROM $component_os
COPY coredns /coredns
ENTRYPOINT ["/coredns"]
EOF2
images+=(registry.k8s.io/coredns/coredns:v1.14.2)
# The local-path helper runs sh, mkdir and rm: the components' base has them.
docker tag "$component_os" "$helper_image"
images+=("$helper_image")
# The CNI DaemonSet (default-cni.yaml) runs bash, ip and kubectl.
cni_image="e2e-infra/ptp-cni:$key"
component "$cni_image" "$bin/kubectl"
# The sandbox image kind's containerd configuration names, built from Kubernetes' pause.c (in its
# module) as its release build does: static, on scratch.
sandbox_image="$(sed -n 's/^\s*sandbox_image = "\(.*\)"$/\1/p' "$kind_src/images/base/files/etc/containerd/config.toml")"
mkdir -p "$work/pause"
gcc -Os -Wall -Werror -static -DVERSION="v${sandbox_image##*:}-e2e" -o "$work/pause/pause" "$kube_src/build/pause/linux/pause.c"
build "$sandbox_image" "$work/pause" <<EOF2
FROM scratch
COPY pause /pause
USER 65535:65535
ENTRYPOINT ["/pause"]
EOF2
images+=("$sandbox_image")

# The node image, the way `kind build node-image` makes one (it cannot here: it pulls every image
# but Kubernetes' own from registries): a container of the base image gets kubeadm, kubelet and
# kubectl, /kind/version and the CNI and storage manifests; its containerd imports the images
# above, pinned; the container is committed.
start=$(date +%s)
build_container="$(docker run -d --entrypoint=sleep --security-opt seccomp=unconfined "$base_image" infinity)"
for b in kubeadm kubelet kubectl; do docker cp "$bin/$b" "$build_container:/usr/bin/$b"; done
docker exec "$build_container" chown root:root /usr/bin/kubeadm /usr/bin/kubelet /usr/bin/kubectl
printf '%s' "$kube_version" | docker exec -i "$build_container" sh -c 'mkdir -p /kind/manifests && cat > /kind/version'
sed "s|E2E_CNI_IMAGE|$cni_image|" "$here/default-cni.yaml" | docker exec -i "$build_container" sh -c 'cat > /kind/manifests/default-cni.yaml'
awk '/^const defaultStorageManifest = `$/ { on = 1; next } on && /^`$/ { exit } on' "$storage_consts" \
  | sed "s|\` + storageProvisionerImage + \`|$provisioner_image|; s|\` + storageHelperImage + \`|$helper_image|" \
  | docker exec -i "$build_container" sh -c 'cat > /kind/manifests/default-storage.yaml'
docker exec "$build_container" grep -q "image: $helper_image" /kind/manifests/default-storage.yaml
docker exec "$build_container" bash -c 'nohup containerd > /dev/null 2>&1 &
for i in $(seq 1 50); do [ -S /run/containerd/containerd.sock ] && ctr version >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1'
for image in "${images[@]}"; do
  docker save "$image" | docker exec -i "$build_container" \
    ctr --namespace=k8s.io images import --label=io.cri-containerd.pinned=pinned --all-platforms --no-unpack --digests - 2>&1 >/dev/null \
    | { grep -v 'support for cgroup v1 is deprecated' || true; } >&2
done
docker exec "$build_container" pkill containerd
docker commit --change 'ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]' \
  --change "LABEL io.e2e-infra.stand-in=kindest/node:v1.36.1" "$build_container" "$node_image" >/dev/null
step "$node_image in $(( $(date +%s) - start )) s (${#images[@]} images imported)"
# Earlier builds' node, base and CNI images (other keys) go: only this build's are used.
docker images --format '{{.Repository}}:{{.Tag}}' \
  | grep -E '^e2e-infra/(kind-node|kind-base|ptp-cni):' | grep -v -- "$key\$" | xargs -r docker rmi >/dev/null 2>&1 || true
echo "$node_image"
