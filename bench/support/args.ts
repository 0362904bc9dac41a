// Command-line flags of `npm run bench` (node:util parseArgs), with their defaults.
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Customers in the message phase: each has one conversation and sends `messages` messages. */
  customers: number;
  /** Agent WebSockets (the first 4 are the demo agents; more are created in the database). */
  agents: number;
  /** Messages each customer sends (ignored when `durationS` is set). */
  messages: number;
  /** Message phase length in seconds instead of a fixed message count; null: use `messages`. */
  durationS: number | null;
  /** Requests one customer keeps in flight at once. */
  window: number;
  /** Cap on message requests in flight across all customers. */
  maxInFlight: number;
  /** Open-loop pacing of the message phase (messages/s across all customers); null: as fast as allowed. */
  rate: number | null;
  /** Conversations started in the conversation-rate phase (at least `customers`). */
  conversations: number;
  /** Conversation starts (and bare workflow starts) in flight at once. */
  conversationConcurrency: number;
  /** Target an already running system instead of starting one. */
  apiUrl: string | null;
  /** With apiUrl: the system's database (extra agents, capacity, the raw baseline). */
  databaseUrl: string | null;
  /** With apiUrl: the system's Temporal frontend (the bare-workflow baseline). */
  temporalAddress: string | null;
  skipBaselines: boolean;
  /** Per-request timeout. */
  timeoutMs: number;
  /** How long to wait for outstanding WebSocket events after a phase. */
  drainMs: number;
  output: string;
  verbose: boolean;
  /** API processes started against the same PostgreSQL and Temporal (own stack only). */
  apiProcesses: number;
  /** Worker processes on the same task queue (own stack only). */
  workers: number;
  /** Run the message phase on 1 API + 1 worker, then again on `apiProcesses` + `workers` (at least 2 + 2). */
  scaleOut: boolean;
  /** A routing burst of this many new conversations after the message phase; null: none. */
  burst: number | null;
  /** After the saturated message phase, run it again paced at half the rate it measured. */
  pacedHalf: boolean;
  /** After the saturated message phase, a phase of `durationS` (default 600) paced at half its rate, sampling memory. */
  soak: boolean;
  /** The soak's length in seconds (--duration with --soak); null without --soak. */
  soakDurationS: number | null;
  /** Memory sample interval of the soak, in seconds. */
  sampleS: number;
}

export const usage = `npm run bench -- [flags]

  --customers N                 customers in the message phase, one conversation each (50)
  --agents N                    agent WebSockets; >4 creates extra agents in the database (10)
  --messages N                  messages per customer (20)
  --duration S                  run the message phase for S seconds instead of --messages
  --window N                    requests in flight per customer (2)
  --max-in-flight N             message requests in flight across all customers (64)
  --rate N                      pace the message phase at N messages/s (default: as fast as allowed)
  --conversations N             conversations started in the conversation-rate phase (200)
  --conversations-rate-test N   alias of --conversations
  --conversation-concurrency N  conversation / bare-workflow starts in flight (20)
  --api-url URL                 benchmark a running system instead of starting one
  --database-url URL            with --api-url: its database (extra agents, capacity, raw baseline)
  --temporal-address HOST:PORT  with --api-url: its Temporal (bare-workflow baseline)
  --skip-baselines              only measure the product
  --timeout-ms N                per-request timeout (30000)
  --drain-ms N                  wait for late WebSocket events after a phase (10000)
  --output FILE                 where the JSON report is also written (tmp/bench-latest.json)
  --verbose                     forward the API's and worker's output to stderr
  --api-processes N             API processes on the same PostgreSQL and Temporal (1)
  --workers N                   worker processes on the same task queue (1)
  --scale-out                   message phase on 1 API + 1 worker, then on N + M (at least 2 + 2)
  --burst N                     a routing burst of N new conversations, last before the baselines
  --paced-half                  the message phase again, paced at half the rate it measured
  --soak                        then --duration seconds (600) paced at half that rate, memory sampled
  --sample-s N                  the soak's memory sample interval in seconds (10)
  --help
`;

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      customers: { type: 'string' },
      agents: { type: 'string' },
      messages: { type: 'string' },
      duration: { type: 'string' },
      window: { type: 'string' },
      'max-in-flight': { type: 'string' },
      rate: { type: 'string' },
      conversations: { type: 'string' },
      'conversations-rate-test': { type: 'string' },
      'conversation-concurrency': { type: 'string' },
      'api-url': { type: 'string' },
      'database-url': { type: 'string' },
      'temporal-address': { type: 'string' },
      'skip-baselines': { type: 'boolean' },
      'timeout-ms': { type: 'string' },
      'drain-ms': { type: 'string' },
      output: { type: 'string' },
      verbose: { type: 'boolean' },
      'api-processes': { type: 'string' },
      workers: { type: 'string' },
      'scale-out': { type: 'boolean' },
      burst: { type: 'string' },
      'paced-half': { type: 'boolean' },
      soak: { type: 'boolean' },
      'sample-s': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';

  const int = (name: string, raw: string | undefined, fallback: number, min = 1): number => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min} (got "${raw}")`);
    return value;
  };
  const positive = (name: string, raw: string | undefined): number | null => {
    if (raw === undefined) return null;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number (got "${raw}")`);
    return value;
  };

  const customers = int('customers', values.customers, 50);
  const conversations = int('conversations', values.conversations ?? values['conversations-rate-test'], 200);
  const apiUrl = values['api-url']?.replace(/\/+$/, '') ?? null;
  if (!apiUrl && (values['database-url'] || values['temporal-address'])) {
    throw new Error('--database-url and --temporal-address only apply with --api-url (otherwise the bench starts its own stack)');
  }
  const apiProcesses = int('api-processes', values['api-processes'], 1);
  const workers = int('workers', values.workers, 1);
  const scaleOut = values['scale-out'] ?? false;
  const soak = values.soak ?? false;
  if (apiUrl && (apiProcesses > 1 || workers > 1 || scaleOut))
    throw new Error('--api-processes, --workers and --scale-out start processes: not with --api-url');
  if (apiUrl && soak) throw new Error('--soak samples the memory of the processes the bench starts: not with --api-url');
  if (values['paced-half'] && values.rate !== undefined) throw new Error('--paced-half measures the maximum first: leave out --rate');
  if (soak && values.rate !== undefined) throw new Error('--soak paces itself at half the measured maximum: leave out --rate');
  return {
    customers,
    agents: int('agents', values.agents, 10),
    messages: int('messages', values.messages, 20),
    // With --soak, --duration is the soak's length and the measuring phase sends --messages.
    durationS: soak ? null : positive('duration', values.duration),
    window: int('window', values.window, 2),
    maxInFlight: int('max-in-flight', values['max-in-flight'], 64),
    rate: positive('rate', values.rate),
    conversations: Math.max(conversations, customers),
    conversationConcurrency: int('conversation-concurrency', values['conversation-concurrency'], 20),
    apiUrl,
    databaseUrl: values['database-url'] ?? null,
    temporalAddress: values['temporal-address'] ?? null,
    skipBaselines: values['skip-baselines'] ?? false,
    timeoutMs: int('timeout-ms', values['timeout-ms'], 30_000),
    drainMs: int('drain-ms', values['drain-ms'], 10_000, 0),
    output: values.output ?? 'tmp/bench-latest.json',
    verbose: values.verbose ?? false,
    apiProcesses,
    workers,
    scaleOut,
    burst: values.burst === undefined ? null : int('burst', values.burst, 0),
    pacedHalf: values['paced-half'] ?? false,
    soak,
    soakDurationS: soak ? (positive('duration', values.duration) ?? 600) : null,
    sampleS: int('sample-s', values['sample-s'], 10),
  };
}
