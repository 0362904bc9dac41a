// Prisma's schema engine, run from its WebAssembly build so migrations need no native binary
// download (see ../README.md). We instantiate the .wasm ourselves: Node 20 cannot import it as
// an ES module without an experimental flag.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type pg from 'pg';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

const require = createRequire(import.meta.url);
let loaded: Promise<void> | undefined;

// @types/node 20 does not declare WebAssembly; this is the part we use.
interface WasmRuntime {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmRuntime };

function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const glueFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmPath = path.join(path.dirname(glueFile), 'schema_engine_bg.wasm');
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': glue });
    const exports = instance.exports as Record<string, unknown> & { __wbindgen_start(): void };
    (glue as unknown as { __wbg_set_wasm(exports: object): void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return loaded;
}

/**
 * @prisma/adapter-pg runs a migration script by splitting it on every ';', which breaks
 * dollar-quoted function bodies (our event NOTIFY trigger). PostgreSQL's simple query protocol
 * runs a whole multi-statement script in one call, as `prisma migrate deploy` does natively.
 */
class WholeScriptPg extends PrismaPg {
  /** The engine never disposes what it connects; close() does. */
  readonly connected: { dispose(): Promise<void> }[] = [];

  override async connect() {
    const adapter = await super.connect();
    this.connected.push(adapter);
    const internals = adapter as unknown as { client: pg.Pool; onError(error: unknown): never };
    adapter.executeScript = async (script: string) => {
      try {
        await internals.client.query(script);
      } catch (error) {
        internals.onError(error);
      }
    };
    return adapter;
  }
}

export const noFilters = { externalTables: [], externalEnums: [] };

export interface OpenSchemaEngine {
  engine: SchemaEngine;
  /** Frees the engine and ends its database connections. */
  close(): Promise<void>;
}

/** Opens a schema engine connected to `connectionString`; call `close()` when done. */
export async function openSchemaEngine(connectionString: string, schemaPath: string, schemaText: string): Promise<OpenSchemaEngine> {
  await loadWasm();
  const driver = new WholeScriptPg({ connectionString });
  const engine = await glue.SchemaEngine.new({ datamodels: [[schemaPath, schemaText]] }, () => {}, bindMigrationAwareSqlAdapterFactory(driver));
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(driver.connected.map((adapter) => adapter.dispose()));
    },
  };
}

/** The SQL that turns the database described by `from` (or an empty one) into `to`. */
export async function diffSchemas(engine: SchemaEngine, from: string | null, to: string): Promise<string> {
  const target = (content: string) => ({ tag: 'schemaDatamodel' as const, files: [{ path: 'schema.prisma', content }] });
  const result = await engine.diff({
    from: from === null ? { tag: 'empty' } : target(from),
    to: target(to),
    script: true,
    exitCode: null,
    filters: noFilters,
  } as Parameters<SchemaEngine['diff']>[0]);
  return result.stdout ?? '';
}
