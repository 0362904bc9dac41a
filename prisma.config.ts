// Used by the `prisma` CLI in production (`prisma migrate deploy`). Locally the project applies
// migrations itself through the WebAssembly schema engine (prisma/migrate/), since the CLI
// downloads a native engine.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
