# syntax=docker/dockerfile:1
# One-shot submitter of the streamops Flink jobs to the compose session cluster.
# Build context: the repository root (see docker/compose.yaml). Needs BuildKit (cache mount, --chmod).

# Same image as the cluster, so the `flink` CLI matches the jobmanager's version.
ARG FLINK_IMAGE=flink:2.2.1-java17

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The shaded job jar only needs the jobs module and what it depends on (-am); one reactor run, so
# sibling modules resolve from the reactor and nothing has to be installed.
# Cache mount shared (locked) with streamops.Dockerfile's build stage.
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    mvn -B -DskipTests -pl jobs -am package

FROM ${FLINK_IMAGE}
COPY --from=build /src/jobs/target/streamops-jobs-0.1.0-SNAPSHOT-flink-job.jar /opt/streamops/streamops-jobs-flink-job.jar
COPY --chmod=0755 docker/submit-jobs.sh /opt/streamops/submit-jobs.sh
# The CLI writes its logs under /opt/flink/log, which the image gives to this user.
USER flink
ENTRYPOINT ["/opt/streamops/submit-jobs.sh"]
