# syntax=docker/dockerfile:1
# The booking service for container platforms. The image runs exactly what the release archive holds: the build stage
# runs scripts/build-release.sh (the same script CI and every deployment use) and the runtime stage unpacks its archive.
# No container engine runs on the project's build machines: this file is linted (hadolint in .ci/run), not built, there.
#
#   docker build -t illajwala-api:$(cat VERSION) .
#   docker run --rm -p 8080:8080 -e DATABASE_URL=postgres://… -e JWT_SECRET=… -e PAYMENT_GATEWAY=razorpay \
#       -e PAYMENT_KEY_ID=… -e PAYMENT_KEY_SECRET=… -e PAYMENT_WEBHOOK_SECRET=… illajwala-api:0.14.0
#   docker run --rm -e DATABASE_URL=… … illajwala-api:0.14.0 migrate up     # the migration job, before a rollout

FROM swift:6.3-noble AS build
# libcurl's headers: the release build links Foundation (and its URLSession) statically.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libcurl4-openssl-dev git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The whole checkout, .git included: the binaries record the commit they were built from (--version).
COPY . .
RUN scripts/build-release.sh \
    && mkdir /release \
    && tar -xzf dist/illajwala-api-*-linux-*.tar.gz -C /release --strip-components=1

FROM ubuntu:24.04
# The binaries need only the C and C++ runtimes, zlib and (for illajwala-flows) libcurl; curl runs the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl libcurl4t64 tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 illajwala \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /opt/illajwala --shell /usr/sbin/nologin illajwala
COPY --from=build /release /opt/illajwala
USER 10001:10001
WORKDIR /opt/illajwala
ENV ILLAJWALA_ENV=production HOST=0.0.0.0 PORT=8080
EXPOSE 8080
# Liveness only: readiness (/health/ready) is for the load balancer or orchestrator, which must stop routing to a
# draining instance without restarting it.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["/bin/sh", "-c", "curl -fsS \"http://127.0.0.1:${PORT}/health/live\" || exit 1"]
# The service is PID 1 and handles SIGTERM itself: readiness fails for SHUTDOWN_DRAIN_SECONDS, in-flight requests
# finish, exit 0. Give the platform a stop grace period above SHUTDOWN_DRAIN_SECONDS + SHUTDOWN_TIMEOUT_SECONDS (30 s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/opt/illajwala/bin/illajwala-api"]
CMD ["serve"]
