import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db.js';
import { registerDatabaseGauges } from './database-gauges.js';
import { metricsText, registry } from './metrics.js';

/** Every series name the API and worker registries can print (histograms with their suffixes). */
async function knownSeries(): Promise<Set<string>> {
  const database = new Registry();
  registerDatabaseGauges(database, {} as Db); // registered only: nothing is collected here
  const names = new Set<string>();
  for (const metric of [...(await registry.getMetricsAsJSON()), ...database.getMetricsAsArray().map((m) => ({ name: m.name, type: 'gauge' }))]) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
  }
  return names;
}

describe('metrics', () => {
  it('the Grafana dashboard in docs/ only asks for series the processes export', async () => {
    const dashboard = readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8');
    const asked = new Set(dashboard.match(/seamless_\w+/g));
    const known = await knownSeries();
    expect(asked.size).toBeGreaterThan(10);
    expect([...asked].filter((name) => !known.has(name))).toEqual([]);
  });

  it("appends another exposition after the process's own, and says so when it cannot be read", async () => {
    const joined = await metricsText(async () => 'temporal_example_total 3\n');
    expect(joined).toContain('seamless_process_cpu_seconds_total');
    expect(joined.trimEnd().endsWith('temporal_example_total 3')).toBe(true);
    const failed = await metricsText(() => Promise.reject(new Error('connection refused')));
    expect(failed).toContain('# could not read more metrics: connection refused');
  });
});
