// docker-compose.yml cannot be run where the project is built and tested (no Docker engine), so
// this test keeps it honest by reading it: every service the app needs is there, the API and
// worker get exactly the variables infra/env.ts reads, and every command names a file that exists.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { searchAttributeNames, searchAttributeType } from '../domain/search-attributes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | number | { target?: number; published?: string | number })[];
  healthcheck?: { test?: string | string[] };
  profiles?: string[];
  volumes?: string[];
}

const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
const services = compose.services;
const appServices = ['migrate', 'api', 'worker'] as const;

/** Variables read by a feature not yet in infra/env.ts (the Meilisearch search backend). */
const laterVariables = ['MEILI_URL', 'MEILI_MASTER_KEY'];

/** The keys of `envSchema` in infra/env.ts, read from its source so the test follows the schema. */
function envSchemaKeys(): Set<string> {
  const source = read('infra/env.ts');
  const start = source.indexOf('envSchema = z.object({');
  expect(start, 'infra/env.ts declares envSchema = z.object({ ... })').toBeGreaterThanOrEqual(0);
  const end = source.indexOf('\n});', start);
  const body = source.slice(start, end);
  return new Set([...body.matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*:/gm)].map((match) => match[1]!));
}

function environmentOf(name: string): Map<string, string> {
  const environment = services[name]?.environment ?? {};
  if (Array.isArray(environment)) {
    return new Map(
      environment.map((entry) => {
        const [key, ...value] = entry.split('=');
        return [key!, value.join('=')];
      }),
    );
  }
  return new Map(Object.entries(environment).map(([key, value]) => [key, String(value ?? '')]));
}

function dependenciesOf(service: ComposeService): Map<string, string | undefined> {
  const dependsOn = service.depends_on ?? [];
  if (Array.isArray(dependsOn)) return new Map(dependsOn.map((name) => [name, undefined]));
  return new Map(Object.entries(dependsOn).map(([name, options]) => [name, options?.condition]));
}

function commandText(command: string | string[] | undefined): string {
  return Array.isArray(command) ? command.join(' ') : (command ?? '');
}

/** The CMD of the Dockerfile's final stage, as one string (exec or shell form). */
function dockerfileCmd(): string {
  const cmds = read('Dockerfile')
    .split('\n')
    .filter((line) => /^CMD\s/i.test(line.trim()))
    .map((line) => line.trim().replace(/^CMD\s+/i, ''));
  const last = cmds.at(-1) ?? '';
  return last.startsWith('[') ? (JSON.parse(last) as string[]).join(' ') : last;
}

const tsFiles = (text: string) => [...text.matchAll(/[\w./-]+\.ts\b/g)].map((match) => match[0]);

describe('docker-compose.yml', () => {
  it('defines every service a production deployment needs', () => {
    for (const name of ['postgres', 'temporal', 'temporal-ui', 'meilisearch', 'migrate', 'api', 'worker']) {
      expect(services, `service ${name}`).toHaveProperty(name);
    }
  });

  it('pins every third-party image to a concrete version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build !== undefined) continue; // built from this repository
      expect(service.image, `${name} image`).toMatch(/^[\w./-]+:v?\d+\.\d+(\.\d+)?/);
    }
  });

  it('gives the API and the worker a database and a Temporal address', () => {
    for (const name of ['api', 'worker']) {
      const environment = environmentOf(name);
      expect(environment.get('DATABASE_URL'), `${name} DATABASE_URL`).toMatch(/^postgres(ql)?:\/\/.+@postgres:5432\//);
      expect(environment.get('TEMPORAL_ADDRESS'), `${name} TEMPORAL_ADDRESS`).toBe('temporal:7233');
    }
  });

  it('sets for the app only variables that infra/env.ts (or the search backend) reads', () => {
    const known = new Set([...envSchemaKeys(), ...laterVariables]);
    expect(known.has('DATABASE_URL'), 'the envSchema parse found its keys').toBe(true);
    for (const name of appServices) {
      for (const variable of environmentOf(name).keys()) {
        expect(known, `${name} sets ${variable}`).toContain(variable);
      }
    }
  });

  it('keeps the local attachment store (DATA_DIR) on one named volume the API and the worker share', () => {
    // The Dockerfile's DATA_DIR default is /app/.data; the worker stores the files of mail it reads over IMAP.
    for (const name of ['api', 'worker']) expect(services[name]?.volumes, `${name} volumes`).toContain('app-data:/app/.data');
    expect(compose.volumes).toHaveProperty('app-data');
  });

  it('gives the API its secret and listens on all interfaces on the published port', () => {
    const environment = environmentOf('api');
    for (const variable of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SEAMLESS_SECRET']) {
      expect(environment.get(variable), `api ${variable}`).toBeTruthy();
    }
    // A secret is required from the operator, never defaulted in the file.
    expect(environment.get('SEAMLESS_SECRET')).toMatch(/^\$\{SEAMLESS_SECRET:\?/);
    expect(environment.get('HOST')).toBe('0.0.0.0');
    expect(environment.get('PORT')).toBe('3000');
    expect((services.api?.ports ?? []).map(String)).toContain('3000:3000');
  });

  it('points the app at the Meilisearch service with its master key', () => {
    expect(environmentOf('meilisearch').get('MEILI_MASTER_KEY')).toMatch(/^\$\{MEILI_MASTER_KEY:\?/);
    for (const name of ['api', 'worker']) {
      expect(environmentOf(name).get('MEILI_URL'), `${name} MEILI_URL`).toBe('http://meilisearch:7700');
      expect(environmentOf(name).get('MEILI_MASTER_KEY'), `${name} MEILI_MASTER_KEY`).toBe(environmentOf('meilisearch').get('MEILI_MASTER_KEY'));
    }
  });

  it('runs Temporal on the postgres service in databases apart from the app data', () => {
    const temporal = environmentOf('temporal');
    const postgres = environmentOf('postgres');
    expect(temporal.get('DB')).toBe('postgres12');
    expect(temporal.get('POSTGRES_SEEDS')).toBe('postgres');
    expect(temporal.get('DB_PORT')).toBe('5432');
    expect(temporal.get('POSTGRES_USER')).toBe(postgres.get('POSTGRES_USER'));
    expect(temporal.get('POSTGRES_PWD')).toBe(postgres.get('POSTGRES_PASSWORD'));
    const appDatabase = postgres.get('POSTGRES_DB');
    expect(appDatabase).toBeTruthy();
    for (const database of [temporal.get('DBNAME') ?? 'temporal', temporal.get('VISIBILITY_DBNAME') ?? 'temporal_visibility']) {
      expect(database).not.toBe(appDatabase);
      // auto-setup creates a database only when its name differs from the user's.
      expect(database).not.toBe(temporal.get('POSTGRES_USER'));
    }
    expect(environmentOf('api').get('DATABASE_URL')).toMatch(new RegExp(`/${appDatabase}$`));
  });

  it('serves the Temporal UI on port 8080 against the temporal service', () => {
    expect(environmentOf('temporal-ui').get('TEMPORAL_ADDRESS')).toBe('temporal:7233');
    expect((services['temporal-ui']?.ports ?? []).map(String).some((port) => /(^|:)8080:8080$/.test(port))).toBe(true);
  });

  it('checks PostgreSQL health with pg_isready', () => {
    expect(commandText(services.postgres?.healthcheck?.test)).toContain('pg_isready');
  });

  it('depends only on services it defines', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of dependenciesOf(service).keys()) {
        expect(Object.keys(services), `${name} depends on ${dependency}`).toContain(dependency);
      }
    }
  });

  it('starts the API and the worker only after the migrations completed', () => {
    expect(dependenciesOf(services.migrate!).get('postgres')).toBe('service_healthy');
    for (const name of ['api', 'worker']) {
      expect(dependenciesOf(services[name]!).get('migrate'), name).toBe('service_completed_successfully');
      expect(dependenciesOf(services[name]!).get('temporal-search-attributes'), name).toBe('service_completed_successfully');
    }
    expect(dependenciesOf(services['temporal-search-attributes']!).get('temporal')).toBe('service_healthy');
  });

  it('registers every search attribute the workflows publish, as Keyword', () => {
    const script = ([] as string[]).concat(services['temporal-search-attributes']?.command ?? []).join(' ');
    const names =
      script
        .match(/for name in ([^;]+);/)?.[1]
        ?.trim()
        .split(/\s+/) ?? [];
    expect(names.sort()).toEqual(Object.values(searchAttributeNames).sort());
    expect(script).toContain(`--type ${searchAttributeType}`);
  });

  it('runs the app services from the image this repository builds', () => {
    const images = new Set(appServices.map((name) => services[name]?.image));
    expect(images.size, 'migrate, api and worker share one image').toBe(1);
    for (const name of appServices) expect(services[name]?.build, `${name} build`).toBeDefined();
  });
});

describe('Dockerfile and the commands that run it', () => {
  it('exists beside docker-compose.yml with a .dockerignore', () => {
    expect(existsSync(path.join(root, 'Dockerfile'))).toBe(true);
    expect(read('.dockerignore')).toMatch(/^node_modules$/m);
  });

  it('runs the API by default, the worker and the migrations by command', () => {
    expect(dockerfileCmd()).toBe('npx tsx api/main.ts');
    expect(services.api?.command, 'api uses the default CMD').toBeUndefined();
    expect(commandText(services.worker?.command)).toBe('npx tsx worker/main.ts');
    expect(commandText(services.migrate?.command)).toBe('npx tsx prisma/migrate/apply.ts');
  });

  it('names only entrypoint files that exist in the repository', () => {
    const referenced = [...tsFiles(dockerfileCmd()), ...Object.values(services).flatMap((service) => tsFiles(commandText(service.command)))];
    expect(referenced).toEqual(expect.arrayContaining(['api/main.ts', 'worker/main.ts', 'prisma/migrate/apply.ts']));
    const missing = referenced.filter((file) => !existsSync(path.join(root, file)));
    expect(missing, 'entrypoints missing from the repository').toEqual([]);
  });

  it('has the optional Prometheus scrape the ports the API and the workers serve their metrics on, never published', () => {
    const prometheus = parse(read('docs/prometheus.yml')) as { scrape_configs: { job_name: string; dns_sd_configs: { names: string[]; port: number }[] }[] };
    const portOf = (service: string) => prometheus.scrape_configs.flatMap((job) => job.dns_sd_configs).find((config) => config.names.includes(service))?.port;
    expect(String(portOf('api'))).toBe(environmentOf('api').get('METRICS_PORT'));
    expect(String(portOf('worker'))).toBe(environmentOf('worker').get('WORKER_METRICS_PORT'));
    for (const name of ['api', 'worker']) {
      expect(environmentOf(name).get('METRICS_HOST')).toBe('0.0.0.0');
      expect(JSON.stringify(services[name]?.ports ?? [])).not.toMatch(/946[45]/);
    }
    expect(services.prometheus?.profiles).toEqual(['monitoring']);
  });
});
