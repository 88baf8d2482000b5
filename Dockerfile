# syntax=docker/dockerfile:1
# The irsa-doctor agent image: the bundled agent on a minimal Node LTS runtime, no shell, non-root
# (65532), fine with a read-only root filesystem and all capabilities dropped.
#
# Both bases are build arguments so a machine without registry access can build from local bases
# (see image/assemble-bases.sh, which CI uses); the defaults are the real public images.
ARG BUILD_BASE=docker.io/library/node:22-bookworm-slim
ARG RUNTIME_BASE=gcr.io/distroless/nodejs22-debian12:nonroot

# The bundle is plain JavaScript: build it once on the builder's own platform, even for arm64 images.
FROM --platform=$BUILDPLATFORM ${BUILD_BASE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Scripts are skipped: the `node` devDependency would fetch a second Node, and `prepare` runs
# before the sources are copied. The build below is the only step that needs to run.
# CI points npm at a local cache (see .ci/image); a real build just downloads.
ARG NPM_CONFIG_PREFER_OFFLINE=false
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.mjs scripts/
COPY src src
# An empty directory for the compile cache stage below (the CI build base has node but no coreutils).
RUN node scripts/build.mjs && node -e "require('node:fs').mkdirSync('/empty')"

FROM ${RUNTIME_BASE} AS runtime

# The runtime's own Node binary without its symbol tables (about 18 MB that a running Node never
# reads). Stripped on the target platform: a strip for the build machine's architecture cannot read an
# arm64 binary.
FROM ${BUILD_BASE} AS node
COPY --from=runtime /nodejs/bin/node /node
RUN command -v strip >/dev/null 2>&1 || \
      (apt-get update -qq && apt-get install -y -qq --no-install-recommends binutils >/dev/null) && \
    strip --strip-all /node

# The agent's V8 compile cache, made by the very Node that will read it (V8 refuses a cache from any
# other build) and as the user the agent runs as (Node keeps a cache per user id), for every module of
# the agent: those --postgres and --opensearch load too, and the entry point, which prints the check
# list; nothing else runs. Exec form: the runtime base has no shell.
FROM runtime AS cache
COPY --from=node /node /nodejs/bin/node
COPY --from=build --chown=0:0 --chmod=0444 /src/dist/agent.mjs /app/agent.mjs
COPY --from=build --chown=0:0 --chmod=0444 /src/dist/agent-chunks/*.mjs /app/agent-chunks/
COPY --from=build --chown=65532:65532 /empty /app/compile-cache
USER 65532:65532
ENV NODE_COMPILE_CACHE=/app/compile-cache
RUN ["/nodejs/bin/node", "-e", "const dir = '/app/agent-chunks/'; (async () => { for (const f of require('node:fs').readdirSync(dir)) if (f.endsWith('.mjs')) await import(dir + f); process.argv = [process.execPath, '/app/agent.mjs', '--list']; await import('/app/agent.mjs'); })();"]

# The image's file system: the runtime base with the stripped Node, the agent, and its compile cache
# owned by root and read-only: the agent only reads it.
FROM runtime AS rootfs
COPY --from=node --chown=0:0 /node /nodejs/bin/node
COPY --from=build --chown=0:0 --chmod=0444 /src/dist/agent.mjs /app/agent.mjs
COPY --from=build --chown=0:0 --chmod=0444 /src/dist/agent-chunks/*.mjs /app/agent-chunks/
COPY --from=cache --chown=0:0 --chmod=0555 /app/compile-cache /app/compile-cache

# The launcher image (ghcr.io/irsa-doctor/irsa-doctor-launcher), built only with `--target launcher`:
# `irsa-doctor run` from inside the cluster, as k8s/cronjob/ runs it. A second image rather than a
# second entry here: the launcher's bundle (Kubernetes client, the audit's AWS clients) is many times
# the agent's, and the agent image is what every one-shot Job pulls.
FROM runtime AS launcher-rootfs
COPY --from=node --chown=0:0 /node /nodejs/bin/node
COPY --from=build --chown=0:0 --chmod=0444 /src/dist/irsa-doctor.mjs /app/irsa-doctor.mjs
COPY --from=build --chown=0:0 --chmod=0444 /src/dist/chunks/*.mjs /app/chunks/

FROM scratch AS launcher
COPY --from=launcher-rootfs / /
LABEL org.opencontainers.image.title="irsa-doctor-launcher" \
      org.opencontainers.image.description="irsa-doctor run inside the cluster: one-shot Jobs that diagnose EKS IRSA / Pod Identity as each ServiceAccount" \
      org.opencontainers.image.source="https://github.com/irsa-doctor/irsa-doctor" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_ENV=production
USER 65532:65532
WORKDIR /app
ENTRYPOINT ["/nodejs/bin/node", "/app/irsa-doctor.mjs"]
CMD ["run", "--help"]

# One layer: the Node binary replaced in a layer above the base's would leave the base's copy in the
# image, and every pull would carry both.
FROM scratch
COPY --from=rootfs / /
LABEL org.opencontainers.image.title="irsa-doctor" \
      org.opencontainers.image.description="Diagnose EKS IRSA / Pod Identity, Aurora IAM login and OpenSearch SigV4 access from inside a pod" \
      org.opencontainers.image.source="https://github.com/irsa-doctor/irsa-doctor" \
      org.opencontainers.image.licenses="Apache-2.0"
# The agent writes nothing to disk; NODE_OPTIONS stays unset so a user's env cannot surprise it.
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_ENV=production \
    NODE_COMPILE_CACHE=/app/compile-cache
USER 65532:65532
WORKDIR /app
ENTRYPOINT ["/nodejs/bin/node", "/app/agent.mjs"]
CMD ["check"]
