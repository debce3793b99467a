# Highway for the compose stack (docker-compose.yml). Node 20 pinned; `npm ci` installs the locked tree (chDB's
# engine too: the same image runs embedded when CLICKHOUSE_URL is unset) and its `prepare` step compiles the
# sources into dist/ (with esbuild, a devDependency, so NODE_ENV is set only after the install).
FROM node:20.18.1-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci && npm cache clean --force && mkdir -p /var/lib/highway && chown -R node:node /var/lib/highway
ENV NODE_ENV=production HIGHWAY_DATA_DIR=/var/lib/highway
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "deploy/start.mjs"]
