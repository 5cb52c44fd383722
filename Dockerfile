# The Chorus image: the API by default (`node src/api.ts`); the worker and the one-shot migration run the same
# image with another command (see docker-compose.yml). Node runs the TypeScript sources itself: no loader, no build.
FROM node:24-bookworm-slim

# tini as PID 1 passes SIGTERM on to Node (which finishes the jobs in hand) and reaps stray children.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app

# Dependencies first, so that a change to the code does not reinstall them. Install scripts are denied in
# package.json (allowScripts): argon2 and msgpackr load their prebuilt binaries, so the image needs no compiler.
# The optional Node runtime package (scripts/node-runtime) is skipped on this image's Node 24.
COPY package.json package-lock.json ./
COPY scripts/node-runtime/package.json scripts/node-runtime/package.json
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The code stays owned by root and read-only to the process, which runs as the image's unprivileged user.
COPY . .
USER node

EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=6s --start-period=30s --retries=3 CMD ["node", "scripts/check-health.ts", "3000"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "src/api.ts"]
