# syntax=docker/dockerfile:1
# The streamops service: Kafka Streams topologies + gateway (io.streamops.platform.Main).
# Build context: the repository root (see docker/compose.yaml). Needs BuildKit (cache mount).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# `install`, not `package`: the second command builds only the platform module (-pl platform), and
# Maven 3.9 resolves its sibling modules (streamops-schemas, ...) from the local repository, where
# `package` alone never puts them. -DskipTests still compiles the test-jars other modules depend on.
# The local repository is a BuildKit cache mount, so it is only there during this RUN; it is shared
# with flink-jobs.Dockerfile, and `locked` keeps two parallel builds from writing it at once.
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    mvn -B -DskipTests install \
 && mvn -B -pl platform dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/out/lib \
 && cp platform/target/streamops-platform-0.1.0-SNAPSHOT.jar /out/lib/

FROM eclipse-temurin:17-jre
# The Ubuntu-based image already has a uid 1000 user (ubuntu): take a system uid instead.
RUN groupadd --system streamops \
 && useradd --system --gid streamops --home-dir /opt/streamops --no-create-home --shell /usr/sbin/nologin streamops \
 && mkdir -p /var/lib/streamops \
 && chown streamops:streamops /var/lib/streamops
WORKDIR /opt/streamops
COPY --from=build /out/lib/ /opt/streamops/lib/
ENV STREAMOPS_DATA_DIR=/var/lib/streamops \
    STREAMOPS_GATEWAY_HOST=0.0.0.0 \
    STREAMOPS_GATEWAY_PORT=8080
USER streamops
# Declared after the chown so a fresh named volume starts out owned by streamops.
VOLUME ["/var/lib/streamops"]
EXPOSE 8080
# curl ships with eclipse-temurin's Ubuntu images. The gateway starts last, after topic creation,
# schema registration and the Kafka Streams operators (each given up to 2 min to reach RUNNING).
HEALTHCHECK --interval=10s --timeout=5s --start-period=180s --retries=6 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/health || exit 1
# Exec form: the JVM expands the lib/* classpath wildcard itself. JVM flags: JAVA_TOOL_OPTIONS.
# platform's log4j2.xml writes its file log to ${streamops.log.dir:-data/logs}, relative to the
# working directory, which this user cannot write: keep it in the data volume instead.
ENTRYPOINT ["java", "-Dstreamops.log.dir=/var/lib/streamops/logs", "-cp", "/opt/streamops/lib/*", "io.streamops.platform.Main"]
CMD ["up", "--only=topologies,gateway"]
