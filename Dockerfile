# One image for every liftwatch node of docker-compose.yml; LIFTWATCH_ROLES says which parts a node runs.
FROM node:20-bookworm-slim
WORKDIR /app
# better-sqlite3 and onnxruntime-node ship prebuilt binaries inside their npm packages; the build tools
# are here for a platform without one.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
# node_modules/.cache/liftwatch-bundles: the server and its threads in plain JavaScript, built at the first start.
RUN npm ci && npx vite build --config dashboards/vite.config.js \
  && mkdir -p /data node_modules/.cache/liftwatch-bundles && chown node:node /data node_modules/.cache/liftwatch-bundles
USER node
ENV LIFTWATCH_HOST=0.0.0.0 LIFTWATCH_DATA_DIR=/data
# The threads' native allocations share two glibc arenas instead of one each: see "Memory" in docs/operations.md.
ENV MALLOC_ARENA_MAX=2
EXPOSE 1883 8080
VOLUME ["/data"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.LIFTWATCH_HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# --max-semi-space-size, server/main.mjs (the server bundled into plain JavaScript at the first start): see "Memory" in docs/operations.md.
CMD ["node", "--max-semi-space-size=64", "server/main.mjs"]
