# syntax=docker/dockerfile:1
# The production image: compiled JavaScript (npm run build), production dependencies only, a
# non-root user. One image for every server-mode process (docker-compose.yml):
#   node dist/src/server.js       the API (default command)
#   node dist/workers/main.js     a worker
#   node dist/src/cli/migrate.js  the migrations, once per release
#   transferhub …                 the command line (bin/transferhub.js runs dist/)

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY workers ./workers
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=8080 HOST=0.0.0.0 HUB_DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
# No devDependencies: tsx, TypeScript, drizzle-kit and the test tools stay in the build stage.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Read at run time beside package.json (src/lib/package-root.ts): SQL migrations, the demo
# catalogue of embedded mode, the category taxonomy, the README served at /README.md and /about.
COPY migrations ./migrations
COPY data/demo ./data/demo
COPY data/taxonomy ./data/taxonomy
COPY src/web/assets ./src/web/assets
COPY README.md ./
COPY bin ./bin
RUN ln -s /app/bin/transferhub.js /usr/local/bin/transferhub && chown node:node /app/data
USER node
EXPOSE 8080
# node, not curl: the slim image has no curl. /health answers without the database; /ready
# (used by compose for the API) also needs it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/server.js"]
