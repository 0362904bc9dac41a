// The flags of a small bench script: each a positive integer with its default, plus --verbose and
// --help (prints the usage and exits); a flag that is not a positive integer exits 2 with the usage.
import { parseArgs } from 'node:util';

export function positiveFlags<Name extends string>(usage: string, defaults: Record<Name, number>): Record<Name, number> & { verbose: boolean } {
  const names = Object.keys(defaults) as Name[];
  const { values } = parseArgs({
    options: {
      ...Object.fromEntries(names.map((name) => [name, { type: 'string' as const, default: String(defaults[name]) }])),
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const given = values as Record<string, string | boolean | undefined>;
  const parsed = {} as Record<Name, number>;
  for (const name of names) {
    const number = Number(given[name]);
    if (!Number.isInteger(number) || number < 1) {
      process.stderr.write(`--${name} must be a positive integer (got ${String(given[name])})\n\n${usage}`);
      process.exit(2);
    }
    parsed[name] = number;
  }
  return { ...parsed, verbose: values.verbose === true };
}
