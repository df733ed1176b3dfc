# syntax=docker/dockerfile:1
#
# One image for every process of the service (SPEC 3):
#   gateway (default)  node dist/apps/gateway/src/main.js
#   worker             node dist/apps/worker/src/main.js
#   migrations         node dist/apps/cli/src/migrate.js
#   demo data          node dist/apps/cli/src/seed.js fixtures/demo.json
# Configuration comes from the environment (SPEC 2); docker-compose.yml sets it for the local stack.

# ---- build: full install, compile, then drop the dev dependencies ----------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app

# Dependencies first, so that a source change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---- runtime: compiled code, production dependencies, the demo fixture ------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# The apps' heap bounds: config.nodeFlags of package.json, which npm start uses (test/compose.spec.ts keeps them equal).
ENV NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=4"
WORKDIR /app

# package.json is needed at run time: "type": "module" and the "#app/*" imports map to dist/libs.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY fixtures ./fixtures

# The files stay owned by root (read-only for the app); the processes run as the image's `node` user.
USER node

EXPOSE 3000
# Exec form: node is PID 1 and receives SIGTERM itself (both apps finish in-flight work and exit 0).
CMD ["node", "dist/apps/gateway/src/main.js"]
