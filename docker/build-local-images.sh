#!/usr/bin/env bash
# Builds, on a machine that reaches no container registry, the images this repository uses, under
# the names it uses, from Debian's packages and Kafka's jars on Maven Central:
#
#   jamwatch-local/debian:bookworm   debootstrap --variant=minbase bookworm, imported (the base)
#   <runtime FROM of Dockerfile>     eclipse-temurin:17-jre stand-in: Debian's OpenJDK 17 JRE
#   <build FROM of Dockerfile>       maven:3.9-eclipse-temurin-17 stand-in: OpenJDK 17 JDK + Maven
#   <kafka image of compose.yaml>    apache/kafka:<kafka.version of pom.xml> stand-in (docker/local/kafka)
#   <prometheus image of compose>    prom/prometheus stand-in: Debian's prometheus package
#
# With registry access, use the official images instead (docker pull / compose pull): this script
# only makes the same names exist offline. An image of that name that this script did not build
# (no io.jamwatch.local.hash label, e.g. a pulled official one) is kept, never overwritten.
# Each image carries the hash of its inputs (recipe files, parent's hash, the machine's CA bundle,
# Kafka's version) as a label; an image whose hash matches is not rebuilt, so a second run takes
# seconds. Work files live in ${JAMWATCH_IMAGE_CACHE:-~/.cache/jamwatch-images}, never in the repo.
#
# Usage: docker/build-local-images.sh [--force]     (root: debootstrap and dockerd need it)
set -euo pipefail
cd "$(dirname "$0")/.."
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1
DOCKER=docker
[ -x /usr/bin/docker ] && DOCKER=/usr/bin/docker   # the engine's own client (API match)
export DOCKER_BUILDKIT=0                            # classic builder: no buildx, no frontend image
LABEL=io.jamwatch.local.hash
WORK=${JAMWATCH_IMAGE_CACHE:-$HOME/.cache/jamwatch-images}
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
JAVA_CACERTS=/etc/ssl/certs/java/cacerts
mkdir -p "$WORK"

# The names, read from the files that use them, so they cannot drift apart.
mapfile -t FROMS < <(sed -n 's/^FROM \([^ ]*\).*/\1/p' docker/Dockerfile)
BUILD_IMAGE=${FROMS[0]}
RUNTIME_IMAGE=${FROMS[1]}
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' pom.xml | head -1)
KAFKA_IMAGE=$(sed -n 's/^ *image: *\(apache\/kafka:.*\)/\1/p' docker/compose.yaml | head -1)
PROM_IMAGE=$(sed -n 's/^ *image: *\(prom\/prometheus:.*\)/\1/p' docker/compose.yaml | head -1)
BASE_IMAGE=jamwatch-local/debian:$SUITE
if [ "$KAFKA_IMAGE" != "apache/kafka:$KAFKA_VERSION" ]; then
  echo "compose.yaml uses $KAFKA_IMAGE but pom.xml's kafka.version is $KAFKA_VERSION" >&2
  exit 1
fi
for f in "$CA_BUNDLE" "$JAVA_CACERTS"; do
  [ -r "$f" ] || { echo "missing $f (Debian's ca-certificates / ca-certificates-java)" >&2; exit 1; }
done

sha() { sha256sum | cut -c1-16; }
# hash PARENT_HASH FILE...: the inputs of one image
hash_of() {
  local parent=$1; shift
  { echo "$parent"; for f in "$@"; do echo "== $f"; if [ -d "$f" ]; then (cd "$f" && find . -type f | LC_ALL=C sort | xargs sha256sum); else sha256sum < "$f"; fi; done; } | sha
}
current_hash() { $DOCKER image inspect --format "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2>/dev/null || true; }
# up_to_date NAME HASH: 0 when NAME need not be built (same hash, or not ours and kept)
up_to_date() {
  local have
  if ! $DOCKER image inspect "$1" >/dev/null 2>&1; then return 1; fi
  have=$(current_hash "$1")
  if [ "$have" = "$2" ] && [ $FORCE = 0 ]; then echo "  $1: up to date"; return 0; fi
  if [ -z "$have" ] || [ "$have" = "<no value>" ]; then
    echo "  $1: present and not built here (official image?): kept"; return 0
  fi
  return 1
}
# build NAME HASH DOCKERFILE CONTEXT_DIR
build() {
  local t0=$SECONDS
  echo "  $1: building"
  $DOCKER build -q --network host --label "$LABEL=$2" -t "$1" -f "$3" "$4" > "$WORK/build-${1//[\/:]/_}.log" 2>&1 \
    || { cat "$WORK/build-${1//[\/:]/_}.log" >&2; echo "building $1 failed" >&2; exit 1; }
  echo "  $1: built in $((SECONDS - t0)) s"
}
certs_into() { cp "$CA_BUNDLE" "$1/ca-certificates.crt"; cp "$JAVA_CACERTS" "$1/cacerts"; }

T0=$SECONDS
echo "== local images (cache $WORK)"

# 1. The Debian base: debootstrap + docker import (the slow step, ~1-3 min, done once).
BASE_HASH=$(printf '%s\n' "minbase $SUITE $MIRROR v1" | cat - "$CA_BUNDLE" | sha)
if ! up_to_date "$BASE_IMAGE" "$BASE_HASH"; then
  command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
  t0=$SECONDS
  echo "  $BASE_IMAGE: debootstrap --variant=minbase $SUITE"
  rm -rf "$WORK/rootfs"
  debootstrap --variant=minbase "$SUITE" "$WORK/rootfs" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; echo "debootstrap failed" >&2; exit 1; }
  # As Debian's own images: no services started by package scripts, no recommends, no apt cache.
  printf '#!/bin/sh\nexit 101\n' > "$WORK/rootfs/usr/sbin/policy-rc.d"
  chmod 755 "$WORK/rootfs/usr/sbin/policy-rc.d"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' > "$WORK/rootfs/etc/apt/apt.conf.d/90jamwatch-local"
  mkdir -p "$WORK/rootfs/etc/ssl/certs"
  cp "$CA_BUNDLE" "$WORK/rootfs/etc/ssl/certs/ca-certificates.crt"
  rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*
  tar -C "$WORK/rootfs" -c . | $DOCKER import -c 'CMD ["bash"]' -c 'ENV LANG=C.UTF-8' \
    -c "LABEL $LABEL=$BASE_HASH" - "$BASE_IMAGE" > /dev/null
  rm -rf "$WORK/rootfs"
  echo "  $BASE_IMAGE: built in $((SECONDS - t0)) s"
fi
BASE_HASH=$(current_hash "$BASE_IMAGE")

# Prometheus (Debian's package) needs only the base: built alongside the rest (network-bound).
PROM_HASH=$(hash_of "$BASE_HASH" docker/local/prometheus.Dockerfile)
if ! up_to_date "$PROM_IMAGE" "$PROM_HASH"; then
  ctx=$WORK/ctx-prometheus; rm -rf "$ctx"; mkdir -p "$ctx"
  build "$PROM_IMAGE" "$PROM_HASH" docker/local/prometheus.Dockerfile "$ctx" &
  PROM_PID=$!
fi

# 2. JRE (the runtime stand-in, and the parent of the build stand-in and Kafka).
JRE_HASH=$(hash_of "$BASE_HASH" docker/local/jre.Dockerfile "$CA_BUNDLE" "$JAVA_CACERTS")
if ! up_to_date "$RUNTIME_IMAGE" "$JRE_HASH"; then
  ctx=$WORK/ctx-jre; rm -rf "$ctx"; mkdir -p "$ctx"; certs_into "$ctx"
  build "$RUNTIME_IMAGE" "$JRE_HASH" docker/local/jre.Dockerfile "$ctx"
fi
JRE_HASH=$(current_hash "$RUNTIME_IMAGE")

# Maven + JDK (the build stage of docker/Dockerfile), alongside Kafka.
MVN_HASH=$(hash_of "$JRE_HASH" docker/local/maven.Dockerfile)
if ! up_to_date "$BUILD_IMAGE" "$MVN_HASH"; then
  ctx=$WORK/ctx-maven; rm -rf "$ctx"; mkdir -p "$ctx"; certs_into "$ctx"
  build "$BUILD_IMAGE" "$MVN_HASH" docker/local/maven.Dockerfile "$ctx" &
  MVN_PID=$!
fi

# 3. Kafka, from Kafka's jars fetched on the host with Maven.
KAFKA_HASH=$(hash_of "$JRE_HASH:$KAFKA_VERSION" docker/local/kafka)
if ! up_to_date "$KAFKA_IMAGE" "$KAFKA_HASH"; then
  ctx=$WORK/ctx-kafka; rm -rf "$ctx"; mkdir -p "$ctx"
  cp -r docker/local/kafka/bin docker/local/kafka/config docker/local/kafka/run "$ctx/"
  echo "  $KAFKA_IMAGE: fetching Kafka $KAFKA_VERSION's jars with Maven"
  mvn -B -q -ntp -f docker/local/kafka/pom.xml dependency:copy-dependencies -Dkafka.version="$KAFKA_VERSION" \
    -DincludeScope=runtime -DoutputDirectory="$ctx/libs" > "$WORK/kafka-libs.log" 2>&1 \
    || { cat "$WORK/kafka-libs.log" >&2; echo "fetching Kafka's jars failed" >&2; exit 1; }
  build "$KAFKA_IMAGE" "$KAFKA_HASH" docker/local/kafka/Dockerfile "$ctx"
  rm -rf "$ctx"
fi

wait_all() { # wait for the background builds; fail if one failed
  local rc=0 p
  for p in "$@"; do wait "$p" || rc=1; done
  [ $rc = 0 ] || { echo "a local image build failed" >&2; exit 1; }
}
wait_all ${PROM_PID:-} ${MVN_PID:-}

echo "== local images ready in $((SECONDS - T0)) s: $BASE_IMAGE $RUNTIME_IMAGE $BUILD_IMAGE $KAFKA_IMAGE $PROM_IMAGE"
