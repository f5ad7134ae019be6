#!/bin/sh
# Submits each streamops Flink job named in STREAMOPS_FLINK_JOBS (space-separated; by default every
# job the jar holds, as `JobsMain --list` prints them) to the session cluster, detached, one job
# per submission. A job whose name
# (streamops-<job>, set by JobsMain) is already listed by `flink list -r` is skipped, so re-running
# this container does not start a second copy (two copies would fight over one transactional id).
#
# Environment:
#   STREAMOPS_FLINK_JOBS       jobs to submit (default: all of the jar's),
#                              separated by spaces or commas (the platform's own setting of the
#                              same name, streamops.flink.jobs, is comma-separated)
#   STREAMOPS_KAFKA_BOOTSTRAP  passed to each job as streamops.kafka.bootstrap (required)
#   STREAMOPS_REGISTRY_URL     passed to each job as streamops.registry.url (required)
#   FLINK_JOBMANAGER           REST address of the jobmanager (default jobmanager:8081)
#   JOB_JAR                    the shaded job jar (default /opt/streamops/streamops-jobs-flink-job.jar)
#   WAIT_SECONDS               how long to wait for the cluster (default 300)
set -eu

bootstrap="${STREAMOPS_KAFKA_BOOTSTRAP:?STREAMOPS_KAFKA_BOOTSTRAP must be set}"
registry="${STREAMOPS_REGISTRY_URL:?STREAMOPS_REGISTRY_URL must be set}"
jobmanager="${FLINK_JOBMANAGER:-jobmanager:8081}"
jar="${JOB_JAR:-/opt/streamops/streamops-jobs-flink-job.jar}"
wait_seconds="${WAIT_SECONDS:-300}"
flink_home="${FLINK_HOME:-/opt/flink}"
flink="$flink_home/bin/flink"
if [ -n "${STREAMOPS_FLINK_JOBS:-}" ]; then
    jobs="$(printf '%s' "$STREAMOPS_FLINK_JOBS" | tr ',' ' ')"
else
    # The jar lists its own jobs, as the workflows declare them: no list to keep here.
    jobs="$(java -cp "$jar:$flink_home/lib/*" io.streamops.jobs.JobsMain --list | tr '\n' ' ')"
fi

# JobsMain runs in this container (`flink run` executes main() in the client) and reads every
# STREAMOPS_* variable as a setting; this one is for the script only, so keep it out of the jobs.
unset STREAMOPS_FLINK_JOBS

fetch() {
    if command -v curl > /dev/null 2>&1; then
        curl -fsS "$1"
    else
        wget -q -O - "$1"
    fi
}

# Task slots registered with the jobmanager, or nothing while it does not answer.
slots_total() {
    fetch "http://$jobmanager/overview" 2> /dev/null | tr -d ' \n' \
        | sed -n 's/.*"slots-total":\([0-9][0-9]*\).*/\1/p' || true
}

echo "waiting for the Flink cluster at http://$jobmanager/overview (up to ${wait_seconds}s)"
deadline=$(( $(date +%s) + wait_seconds ))
while :; do
    slots="$(slots_total)"
    if [ "${slots:-0}" -gt 0 ]; then
        break
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "Flink cluster at $jobmanager did not answer with task slots within ${wait_seconds}s" >&2
        exit 1
    fi
    sleep 2
done
echo "Flink cluster is up with $slots task slot(s)"

set -f  # split the job list on whitespace, but never glob it
for job in $jobs; do
    # `-r` lists running and restarting jobs as "<date> : <job id> : <name> (<STATE>)". Any state
    # there means the job is alive (RESTARTING included), so it is not submitted again.
    if ! running="$("$flink" list -m "$jobmanager" -r 2>&1)"; then
        echo "$running" >&2
        echo "could not list the running Flink jobs; not submitting anything" >&2
        exit 1
    fi
    if printf '%s\n' "$running" | grep -F -q -- ": streamops-$job ("; then
        echo "streamops-$job is already running: skipped"
        continue
    fi
    echo "submitting streamops-$job"
    "$flink" run -m "$jobmanager" -d -c io.streamops.jobs.JobsMain "$jar" \
        "streamops.job=$job" \
        "streamops.kafka.bootstrap=$bootstrap" \
        "streamops.registry.url=$registry"
done
echo "all Flink jobs submitted"
