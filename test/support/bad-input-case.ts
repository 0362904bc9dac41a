import type { RequestOptions } from './system.js';

/** One refused request: what to send and the JSON error it must get (the database stays as it was). */
export interface BadInputCase {
  name: string;
  method: string;
  path: () => string;
  options: () => RequestOptions;
  status: number;
  code: string;
}
