# Vigil's operator image, for a machine with Docker (BuildKit) and a registry:
#   docker build -t ghcr.io/vigil-dev/vigil-operator:0.1.0 .
# The image module's Jib build (image/pom.xml) makes the same image without Docker;
# ContainerImageIT checks that its config and the last stage here agree (user, entrypoint,
# environment, working directory, port, labels). See docs/image.md.

# 1. The shaded jar, operator/target/vigil-operator.jar.
FROM maven:3.9-eclipse-temurin-17 AS jar
WORKDIR /src
COPY . .
RUN mvn -B -ntp -pl operator -am -DskipTests -Dspotless.check.skip=true package

# 2. The root filesystem: a JRE made with jlink from Debian's OpenJDK 17 and the C libraries it
#    loads, from Debian packages; the same script makes the Jib build's base.
FROM debian:bookworm-slim AS rootfs
# The slim image leaves out man pages, but the JDK's postinst registers alternatives into man1.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless
COPY hack/image/base.sh /base.sh
RUN bash /base.sh --rootfs /rootfs

# 3. The image: no shell, no package manager, user 65532. No CMD: Kubernetes passes the
#    operator's flags, or `reloader ...` for the Prometheus sidecar, as args.
FROM scratch
COPY --from=rootfs /rootfs/ /
COPY --from=rootfs --chown=65532:65532 /rootfs/home/nonroot /home/nonroot
COPY --from=jar /src/operator/target/vigil-operator.jar /app/vigil-operator.jar
ENV PATH=/opt/java/bin:/usr/bin:/bin JAVA_HOME=/opt/java LANG=C.UTF-8
USER 65532:65532
WORKDIR /app
EXPOSE 8080
LABEL org.opencontainers.image.title="vigil-operator" \
      org.opencontainers.image.description="Vigil, a Kubernetes operator for Prometheus-compatible monitoring and OpenTelemetry tracing pipelines" \
      org.opencontainers.image.source="https://github.com/vigil-dev/vigil" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="Apache-2.0"
ENTRYPOINT ["/opt/java/bin/java", "-jar", "/app/vigil-operator.jar"]
