#!/usr/bin/env bash
# Static checks of docker/, for CI without a Docker engine: nothing is built, pulled or run.
#   - compose.yaml parses (PyYAML; without it only: non-empty and tab-free), and every service's
#     build names a Dockerfile that exists, every image is built here or an allowed public image
#     with a pinned tag, every depends_on target is a service, no host port is published twice;
#   - every Dockerfile FROM is an allowed public image (or an earlier stage) with a pinned tag;
#   - every `COPY --from=build` source and every */target/*.jar a build stage names is one the
#     Maven build produces (paths derived from the version in the root pom.xml), and every plain
#     COPY source exists in the repository;
#   - submit-jobs.sh is valid sh (and shellcheck-clean where shellcheck is installed).
# Usage: docker/check.sh   (from anywhere)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v python3 > /dev/null 2>&1; then
    echo "docker/ static check FAILED: python3 is needed" >&2
    exit 1
fi

sh -n "$here/submit-jobs.sh" || { echo "docker/ static check FAILED: submit-jobs.sh is not valid sh" >&2; exit 1; }
if command -v shellcheck > /dev/null 2>&1; then
    shellcheck -s sh "$here/submit-jobs.sh" || { echo "docker/ static check FAILED: shellcheck submit-jobs.sh" >&2; exit 1; }
fi
if [ ! -x "$here/submit-jobs.sh" ] || [ ! -x "$here/check.sh" ]; then
    echo "docker/ static check FAILED: submit-jobs.sh and check.sh must be executable" >&2
    exit 1
fi

exec python3 - "$here" <<'PY'
import fnmatch
import os
import re
import sys

docker_dir = sys.argv[1]
repo = os.path.dirname(docker_dir)
errors, warnings = [], []

# Public images the stack may pull; everything else must be built by a Dockerfile here.
ALLOWED_IMAGES = {"apache/kafka", "confluentinc/cp-schema-registry", "flink", "eclipse-temurin", "maven"}


def fail(msg):
    errors.append(msg)


def interpolate(text, defaults=None):
    """${VAR}, ${VAR:-default}, ${VAR-default}: the environment, else the default, as Compose does."""
    defaults = defaults or {}

    def sub(m):
        name, default = m.group(1), m.group(3)
        value = os.environ.get(name)
        if value:
            return value
        if default is not None:
            return default
        return defaults.get(name, "")

    return re.sub(r"\$\{(\w+)(:?-([^}]*))?\}", sub, text)


def check_image(ref, where):
    ref = ref.strip()
    if not ref:
        fail(f"{where}: empty image reference")
        return
    name, tag = ref.split("@")[0], None
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = name.rsplit(":", 1)
    for prefix in ("docker.io/library/", "docker.io/", "library/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    if name not in ALLOWED_IMAGES:
        fail(f"{where}: image '{ref}' is neither built here nor one of {sorted(ALLOWED_IMAGES)}")
    if "@" not in ref and (tag is None or tag == "latest"):
        fail(f"{where}: image '{ref}' has no pinned tag")


# ---- what the Maven build produces -------------------------------------------------------------
pom = open(os.path.join(repo, "pom.xml"), encoding="utf-8").read()
m = re.search(r"<artifactId>streamops-parent</artifactId>\s*<version>([^<]+)</version>", pom)
if not m:
    print("docker/ static check FAILED: cannot find the version of streamops-parent in pom.xml", file=sys.stderr)
    sys.exit(1)
version = m.group(1).strip()
PRODUCED = {
    f"jobs/target/streamops-jobs-{version}-flink-job.jar",
    f"platform/target/streamops-platform-{version}.jar",
    "/out/lib",
}
jobs_pom = open(os.path.join(repo, "jobs", "pom.xml"), encoding="utf-8").read()
if "<shadedClassifierName>flink-job</shadedClassifierName>" not in jobs_pom:
    fail("jobs/pom.xml no longer shades with classifier flink-job: fix the jar path in flink-jobs.Dockerfile")


# ---- Dockerfiles -------------------------------------------------------------------------------
def dockerfile_instructions(path):
    """(instruction, arguments) pairs, comments dropped and continuation lines joined."""
    out, pending = [], ""
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not pending and line.lstrip().startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def check_dockerfile(path):
    rel = os.path.relpath(path, repo)
    args, stages, stage, workdir = {}, set(), None, {}
    for word, rest in dockerfile_instructions(path):
        if word == "ARG" and stage is None:
            name, _, default = rest.partition("=")
            args[name.strip()] = default.strip()
        elif word == "FROM":
            parts = rest.split()
            image = interpolate(parts[0], args)
            stage = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else f"#{len(stages)}"
            if image not in stages:
                check_image(image, f"{rel} FROM")
            stages.add(stage)
        elif word == "WORKDIR":
            workdir[stage] = rest.strip()
        elif word == "RUN" and stage == "build":
            for jar in re.findall(r"[\w./-]*target/[\w.-]+\.jar", rest):
                if jar.lstrip("./") not in PRODUCED:
                    fail(f"{rel}: build stage uses {jar}, which the Maven build does not produce "
                         f"(expected one of {sorted(PRODUCED)})")
        elif word in ("COPY", "ADD"):
            tokens = rest.split()
            flags = [t for t in tokens if t.startswith("--")]
            paths = [t for t in tokens if not t.startswith("--")]
            if len(paths) < 2:
                fail(f"{rel}: {word} {rest}: needs a source and a destination")
                continue
            sources = paths[:-1]
            from_stage = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
            if from_stage == "build":
                base = workdir.get("build", "/").rstrip("/") + "/"
                for src in sources:
                    norm = src.rstrip("/")
                    if norm.startswith(base):
                        norm = norm[len(base):]
                    if norm not in PRODUCED:
                        fail(f"{rel}: COPY --from=build {src} is not produced by the Maven build "
                             f"(expected one of {sorted(PRODUCED)})")
            elif from_stage is None:
                for src in sources:
                    if src != "." and not os.path.exists(os.path.join(repo, src)):
                        fail(f"{rel}: {word} source {src} does not exist in the repository")
    # Main classes named in the Dockerfile should exist (a warning: modules may still be in progress).
    text = open(path, encoding="utf-8").read()
    for cls in set(re.findall(r"io\.streamops(?:\.\w+)+", text)):
        if cls.endswith("Main"):
            check_main_class(cls, rel)


def check_main_class(cls, where):
    parts = cls.split(".")
    module = parts[2]
    src = os.path.join(repo, module, "src", "main", "java", *parts) + ".java"
    if not os.path.exists(src):
        warnings.append(f"{where} runs {cls}, but {os.path.relpath(src, repo)} does not exist yet")


# ---- compose.yaml ------------------------------------------------------------------------------
compose_path = os.path.join(docker_dir, "compose.yaml")
compose_text = open(compose_path, encoding="utf-8").read()
if not compose_text.strip():
    fail("compose.yaml is empty")
if "\t" in compose_text:
    fail("compose.yaml contains a tab (YAML forbids tabs for indentation)")

dockerfiles = set()
try:
    import yaml
except ImportError:
    yaml = None
    warnings.append("PyYAML is not importable: compose.yaml was only checked for being non-empty and tab-free")

if yaml is not None:
    try:
        compose = yaml.safe_load(compose_text)
    except yaml.YAMLError as e:
        fail(f"compose.yaml does not parse: {e}")
        compose = {"services": {}}
    if not isinstance(compose, dict) or not isinstance(compose.get("services"), dict):
        if not errors:
            fail("compose.yaml has no services mapping")
        compose = {"services": {}}
    if "version" in compose:
        fail("compose.yaml has a top-level version key (obsolete in the Compose spec)")
    services = compose["services"]
    host_ports = {}
    for name, svc in services.items():
        svc = svc or {}
        build = svc.get("build")
        if build is not None:
            context = build if isinstance(build, str) else build.get("context", ".")
            dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
            df = os.path.normpath(os.path.join(docker_dir, context, dockerfile))
            if not os.path.isfile(df):
                fail(f"service {name}: build names {os.path.relpath(df, repo)}, which does not exist")
            else:
                dockerfiles.add(df)
                ignore = df + ".dockerignore"
                if not os.path.isfile(ignore):
                    warnings.append(f"service {name}: no {os.path.relpath(ignore, repo)}; the whole context is sent")
        if "image" in svc and build is None:
            check_image(interpolate(str(svc["image"])), f"service {name} image")
        deps = svc.get("depends_on", [])
        for dep in (deps if isinstance(deps, list) else list(deps)):
            if dep not in services:
                fail(f"service {name}: depends_on {dep}, which is not a service")
            if dep == name:
                fail(f"service {name}: depends on itself")
        for port in svc.get("ports", []) or []:
            spec = str(port.get("published", "")) if isinstance(port, dict) else str(port).split("/")[0]
            pieces = spec.split(":")
            if isinstance(port, dict) or len(pieces) >= 2:
                host = spec if isinstance(port, dict) else pieces[-2]
                if host in host_ports:
                    fail(f"host port {host} is published by both {host_ports[host]} and {name}")
                host_ports[host] = name
    declared_volumes = set((compose.get("volumes") or {}).keys())
    for name, svc in services.items():
        for vol in (svc or {}).get("volumes", []) or []:
            src = vol.get("source") if isinstance(vol, dict) else str(vol).split(":")[0]
            if src and not src.startswith((".", "/", "~")) and src not in declared_volumes:
                fail(f"service {name}: volume {src} is not declared under top-level volumes")
else:
    for entry in os.listdir(docker_dir):
        if entry.endswith(".Dockerfile"):
            dockerfiles.add(os.path.join(docker_dir, entry))

for df in sorted(dockerfiles):
    check_dockerfile(df)

# The build context must still contain what the Dockerfiles copy from it.
for df in sorted(dockerfiles):
    ignore = df + ".dockerignore"
    if not os.path.isfile(ignore):
        continue
    patterns = [l.strip() for l in open(ignore, encoding="utf-8") if l.strip() and not l.startswith("#")]
    for needed in ("pom.xml", "jobs/pom.xml", "platform/pom.xml", "docker/submit-jobs.sh"):
        for p in patterns:
            if not p.startswith("!") and (fnmatch.fnmatch(needed, p) or fnmatch.fnmatch(needed, p + "/*")
                                          or needed.startswith(p.rstrip("/") + "/")):
                fail(f"{os.path.relpath(ignore, repo)}: pattern {p} would drop {needed} from the build context")

check_main_class("io.streamops.jobs.JobsMain", "submit-jobs.sh")

for w in warnings:
    print(f"warning: {w}")
if errors:
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    print(f"docker/ static check FAILED ({len(errors)} problem(s))", file=sys.stderr)
    sys.exit(1)
print("docker/ static check passed")
PY
