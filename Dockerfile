# syntax=docker/dockerfile:1
# The irsa-doctor agent image: one bundled JS file on a minimal Node LTS runtime, no shell,
# non-root (65532), fine with a read-only root filesystem and all capabilities dropped.
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
RUN node scripts/build.mjs

FROM ${RUNTIME_BASE}
LABEL org.opencontainers.image.title="irsa-doctor" \
      org.opencontainers.image.description="Diagnose EKS IRSA / Pod Identity, Aurora IAM login and OpenSearch SigV4 access from inside a pod" \
      org.opencontainers.image.source="https://github.com/irsa-doctor/irsa-doctor" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build --chown=0:0 --chmod=0444 /src/dist/agent.mjs /app/agent.mjs
# The agent writes nothing to disk; NODE_OPTIONS stays unset so a user's env cannot surprise it.
ENV NODE_ENV=production
USER 65532:65532
WORKDIR /app
ENTRYPOINT ["/nodejs/bin/node", "/app/agent.mjs"]
CMD ["check"]
