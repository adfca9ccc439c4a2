# syntax=docker/dockerfile:1
# Baton's production image (docs/deploy.md): the server compiled to JavaScript (no TypeScript loader at run time)
# and the Zendesk app package, on Debian's glibc Node image (better-sqlite3 ships prebuilt binaries for it).
#   docker build -t baton .
#   docker run -d -p 3000:3000 -v baton-data:/data -v $PWD/baton.json:/etc/baton/baton.json:ro \
#     -e BATON_CONFIG=/etc/baton/baton.json -e BATON_MASTER_KEY=... baton
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every dependency (tsc, Vite), then `npm run build` -> dist-server/ (server) and dist/ (app package)
FROM ${NODE_IMAGE} AS build
WORKDIR /src
# A compiler for better-sqlite3, only used when its prebuilt binary cannot be fetched for this platform (then
# node-gyp builds against the image's own Node headers in /usr/local/include/node instead of downloading them).
ENV npm_config_nodedir=/usr/local
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- run: production dependencies only, the build output, a non-root user
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    BATON_DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# better-sqlite3 is native: installed here, on the image it runs on. The compiler is there only for this step
# (its fallback when no prebuilt binary matches) and leaves in the same layer.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && npm_config_nodedir=/usr/local npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && apt-get purge -y --auto-remove python3 make g++ \
 && rm -rf /var/lib/apt/lists/* /root/.cache /tmp/*
COPY --from=build /src/dist-server ./dist-server
COPY --from=build /src/dist ./dist
COPY bin ./bin
# SQLite's file (and the sidebar session key) live in the volume; the image itself stays read-only for the user.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT||3000}/healthz`).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and gets SIGTERM itself (Baton drains requests and hands back jobs within 10 s).
STOPSIGNAL SIGTERM
CMD ["node", "dist-server/server/production-main.js"]
