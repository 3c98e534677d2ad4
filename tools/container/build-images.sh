#!/usr/bin/env bash
# npm run image:build — builds both images from the one Dockerfile, as the original Makefile did:
#   k8s-app-monitor-test:<short git SHA>  and  k8s-app-monitor-agent:<short git SHA>
# Each is also tagged `dev`, the tag k8s/overlays/dev deploys (kind/k3d load the local image).
# Env: CONTAINER_ENGINE (default: podman if installed, else docker), IMAGE_TAG (default: short SHA),
#      PULL (podman only: never|missing|always, default missing; the container test uses never),
#      APPS (default "monitor-test monitor-agent").
set -euo pipefail
cd "$(dirname "$0")/../.."

engine=${CONTAINER_ENGINE:-$(command -v podman || command -v docker || true)}
if [ -z "$engine" ]; then
  echo "image:build: neither podman nor docker is installed" >&2
  exit 1
fi
tag=${IMAGE_TAG:-$(git rev-parse --short HEAD 2>/dev/null || echo dev)}
apps=${APPS:-monitor-test monitor-agent}

flags=()
case "$(basename "$engine")" in
  # --format docker keeps HEALTHCHECK and STOPSIGNAL (the OCI image format has no HEALTHCHECK).
  podman) flags=(--format docker "--pull=${PULL:-missing}") ;;
esac

for app in $apps; do
  image="k8s-app-monitor-${app#monitor-}"
  echo "image:build: $image:$tag (APP=$app) with $(basename "$engine")"
  # ${flags[@]+...}: an empty array is "unbound" under set -u in bash < 4.4 (macOS)
  "$engine" build ${flags[@]+"${flags[@]}"} --build-arg "APP=$app" -t "$image:$tag" -t "$image:dev" .
done
