# The bot's image: built once, run as a non-root user, its data on a volume.
# `docker compose up -d` (compose.yaml) builds and runs it with .env.
# Not built on the machines this project is developed on (no Docker engine
# there): tests/ops/dockerfile.test.ts replays its steps instead.

# Build stage: compiles better-sqlite3 (node-gyp needs python3, make and g++)
# and the TypeScript (npm ci runs `prepare`, which builds dist/).
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN chown node:node /app
USER node
COPY --chown=node:node package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY --chown=node:node src ./src
COPY --chown=node:node commands ./commands
RUN npm ci --no-audit --no-fund
# Only what the built program needs at run time (no TypeScript, tsx, vitest, Biome).
RUN npm prune --omit=dev --no-audit --no-fund

# Runtime stage: node and the built program, nothing to compile with. The
# program's files belong to root (read-only to the bot); /data and /backups
# belong to the `node` user it runs as.
FROM node:20-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/data HEALTH_PORT=8080 HEALTH_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data /backups && chown node:node /data /backups
USER node
VOLUME /data
EXPOSE 8080
# Healthy: the store open, the index loaded, Discord connected (see README, "Operate it"). A first start ingests the
# whole blog before it is healthy, hence the long start period.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10m --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.HEALTH_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 (exec form): the bot's own SIGTERM handler stops it in order, as outside a container. compose.yaml
# adds an init (tini) as well, to reap any orphaned process.
STOPSIGNAL SIGTERM
# The heap capped as the README recommends: the load test at full size peaks within 256 MB of RSS so. A young
# generation of 8 MB (V8's default grows it to 16) as npm start gives it: 15-30 MB less held, queries no slower.
CMD ["node", "--max-semi-space-size=8", "--max-old-space-size=160", "dist/main.js"]
