#!/usr/bin/env bash
# Starts the compose stack of docker/compose.yaml and checks it from outside, then tears it down
# (volumes included). Builds the jamwatch image from docker/Dockerfile first. Every service that can
# exist here runs: kafka, topics, jamwatch, dashboard, feed, prometheus; grafana is in the
# "grafana" profile (no image can be built offline; its provisioning files are checked by
# DockerDeploymentTest). Checks: the four topics exist; jam-risk receives scores from the simulated
# feed; the dashboard's /api/lines shows scored devices; Prometheus has the jamwatch target up and
# jamwatch_events_total rising. Prints one summary line; exit 0 only when every check held.
#
# Usage: docker/test-stack.sh        (needs a running engine, docker-compose, and the images of
#                                     compose.yaml: pulled, or built by docker/build-local-images.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
DOCKER=docker
[ -x /usr/bin/docker ] && DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0
PROJECT=${JAMWATCH_STACK_PROJECT:-jamwatch-stack-test}
COMPOSE=(docker-compose -f docker/compose.yaml -p "$PROJECT")
LOGS=${TMPDIR:-/tmp}/$PROJECT.log
TIMEOUT=${JAMWATCH_STACK_TIMEOUT:-240}   # seconds for the stack to show scores everywhere
T0=$SECONDS
passed=()
failed=()
check() { # check NAME: record the outcome of the last command
  if [ "$2" = 0 ]; then passed+=("$1"); echo "  ok   $1 ($((SECONDS - t0)) s after up)"; else failed+=("$1"); echo "  FAIL $1 ($((SECONDS - t0)) s after up)"; fi
}
down() {
  "${COMPOSE[@]}" logs --no-color > "$LOGS" 2>&1 || true
  "${COMPOSE[@]}" down -v --remove-orphans > /dev/null 2>&1 || true
}

echo "== stack: building jamwatch:latest from docker/Dockerfile"
t0=$SECONDS
# Host network for the build: its Maven stage fetches from Maven Central (the build image carries
# the machine's CA bundle when built by docker/build-local-images.sh).
$DOCKER build -q --network host -f docker/Dockerfile -t jamwatch:latest . > /dev/null
BUILD_S=$((SECONDS - t0))
echo "  built in $BUILD_S s"

trap down EXIT
"${COMPOSE[@]}" down -v --remove-orphans > /dev/null 2>&1 || true
t0=$SECONDS
echo "== stack: up (project $PROJECT)"
"${COMPOSE[@]}" up -d --no-build 2>&1 | sed 's/^/  /'

kafka() { "${COMPOSE[@]}" exec -T kafka "$@"; }
deadline=$((SECONDS + TIMEOUT))
wait_for() { # wait_for NAME CMD...: retry until CMD succeeds or the deadline passes
  local name=$1; shift
  until "$@" > /dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then check "$name" 1; return 1; fi
    sleep 3
  done
  check "$name" 0
}

topics_exist() {
  local list
  list=$(kafka /opt/kafka/bin/kafka-topics.sh --bootstrap-server kafka:9092 --list)
  for t in scanner-events jam-risk jam-alerts scanner-events-dlq; do grep -qx "$t" <<< "$list" || return 1; done
}
scores_in_jam_risk() { # sum of jam-risk's end offsets > 0
  local n
  n=$(kafka /opt/kafka/bin/kafka-get-offsets.sh --bootstrap-server kafka:9092 --topic jam-risk \
      | awk -F: '{s += $3} END {print s + 0}')
  echo "$n" > "${TMPDIR:-/tmp}/$PROJECT.scores"
  [ "$n" -gt 0 ]
}
dashboard_shows_scores() {
  curl -fsS --max-time 5 http://127.0.0.1:8080/api/lines | grep -Eq '"score" *: *[0-9]'
}
prom_query() { # prom_query EXPR: the first sample's value
  curl -fsS --max-time 5 -G http://127.0.0.1:9090/api/v1/query --data-urlencode "query=$1" \
    | sed -n 's/.*"value":\[[^,]*,"\([^"]*\)"\].*/\1/p'
}
prom_target_up() { [ "$(prom_query 'up{job="jamwatch"}')" = 1 ]; }
events_rising() {
  local a b
  a=$(prom_query 'sum(jamwatch_events_total)'); [ -n "$a" ] || return 1
  sleep 12   # > 2 scrape intervals (5 s)
  b=$(prom_query 'sum(jamwatch_events_total)'); [ -n "$b" ] || return 1
  awk -v a="$a" -v b="$b" 'BEGIN { exit !(b > a && a > 0) }'
}

wait_for "kafka healthy, four topics" topics_exist || true
wait_for "jam-risk receives scores" scores_in_jam_risk || true
wait_for "dashboard /api/lines shows scored devices" dashboard_shows_scores || true
wait_for "prometheus: jamwatch target up" prom_target_up || true
wait_for "prometheus: jamwatch_events_total rising" events_rising || true
UP_S=$((SECONDS - t0))
scores=$(cat "${TMPDIR:-/tmp}/$PROJECT.scores" 2>/dev/null || echo 0)
rm -f "${TMPDIR:-/tmp}/$PROJECT.scores"
if [ ${#failed[@]} -gt 0 ]; then
  "${COMPOSE[@]}" ps || true
  down
  trap - EXIT
  echo "== stack logs (last 40 lines of $LOGS):"; tail -40 "$LOGS"
  echo "stack: ${#passed[@]} passed, ${#failed[@]} failed ($(IFS=";"; echo "${failed[*]}")); image ${BUILD_S} s, up to checks ${UP_S} s"
  exit 1
fi
down
trap - EXIT
echo "stack: ${#passed[@]} passed, 0 failed; jamwatch image ${BUILD_S} s, up to all checks ${UP_S} s, ${scores} scores; total $((SECONDS - T0)) s"
