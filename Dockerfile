# syntax=docker/dockerfile:1
# One image for every Seamless process; docker-compose.yml picks the command:
#   API (default)   npx tsx api/main.ts
#   worker          npx tsx worker/main.ts
#   migrations      npx tsx prisma/migrate/apply.ts   (one-shot, before the API and worker start)
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
# The workspace packages' manifests too: npm ci links them (packages/client, the typed API client).
COPY packages/client/package.json packages/client/
# Install scripts stay off, as package.json's "allowScripts" keeps them off on the project's own
# machines: nothing the app runs needs one, and Prisma's would download engines it never uses.
RUN npm ci --ignore-scripts
COPY . .
# The Prisma client is generated from the schema alone; db:generate points the CLI's schema
# engine at /bin/false so it downloads nothing. Then the console is built into console/dist.
RUN npm run db:generate && npm run build:console
# The runtime needs only "dependencies" (tsx runs the TypeScript; the generated client, the
# Temporal SDK and the WebAssembly schema engine are all there).
RUN npm prune --omit=dev --ignore-scripts

FROM ${NODE_IMAGE}
ENV NODE_ENV=production NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=build /app /app
# Code stays owned by root; only the data folder (the DATA_DIR default) is writable by the app.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
CMD ["npx", "tsx", "api/main.ts"]
