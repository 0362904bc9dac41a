// Bounds on what one client can hold or send over /ws, so no token or address can exhaust the
// process: upgrades still authenticating (each holds a file descriptor and a database lookup),
// open sockets per token and per address, and frames per socket. Counters are per process:
// several API processes each bound their own share.

export interface ConnectionLimitOptions {
  /** Upgrades being authenticated at once, from one address / in all. */
  pendingUpgradesPerIp: number;
  pendingUpgrades: number;
  /** Open sockets on one token (a visitor's or an agent's tabs) / from one address. */
  socketsPerToken: number;
  socketsPerIp: number;
  /** Client frames per socket: a burst of `frameBurst`, refilled at `framesPerSecond`. */
  framesPerSecond: number;
  frameBurst: number;
}

export const defaultConnectionLimits: ConnectionLimitOptions = {
  pendingUpgradesPerIp: 50,
  pendingUpgrades: 500,
  socketsPerToken: 20,
  // Many visitors may share one address (an office, a mobile carrier's NAT, `npm run bench`).
  socketsPerIp: 1000,
  framesPerSecond: 10,
  frameBurst: 30,
};

/** Why an upgrade is refused, or null when it may go on. */
export type LimitRefusal = 'too_many_pending_upgrades' | 'too_many_sockets' | null;

class Counter {
  private readonly counts = new Map<string, number>();
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  add(key: string, delta: number): void {
    const next = this.get(key) + delta;
    if (next <= 0) this.counts.delete(key);
    else this.counts.set(key, next);
  }
}

export class ConnectionLimits {
  private readonly pendingByIp = new Counter();
  private pending = 0;
  private readonly socketsByToken = new Counter();
  private readonly socketsByIp = new Counter();

  constructor(readonly options: ConnectionLimitOptions = defaultConnectionLimits) {}

  /** Takes a slot for an upgrade being authenticated; the caller releases it with endUpgrade. */
  beginUpgrade(ip: string): LimitRefusal {
    if (this.pending >= this.options.pendingUpgrades || this.pendingByIp.get(ip) >= this.options.pendingUpgradesPerIp) return 'too_many_pending_upgrades';
    this.pending += 1;
    this.pendingByIp.add(ip, 1);
    return null;
  }

  endUpgrade(ip: string): void {
    this.pending -= 1;
    this.pendingByIp.add(ip, -1);
  }

  /** Takes a socket slot for this token and address; the caller releases it with closeSocket. */
  openSocket(tokenKey: string, ip: string): LimitRefusal {
    if (this.socketsByToken.get(tokenKey) >= this.options.socketsPerToken || this.socketsByIp.get(ip) >= this.options.socketsPerIp) return 'too_many_sockets';
    this.socketsByToken.add(tokenKey, 1);
    this.socketsByIp.add(ip, 1);
    return null;
  }

  closeSocket(tokenKey: string, ip: string): void {
    this.socketsByToken.add(tokenKey, -1);
    this.socketsByIp.add(ip, -1);
  }

  /** A token bucket for one socket's frames: `take(now)` is false when the frame must be dropped. */
  frameBucket(): { take(now: number): boolean } {
    const { framesPerSecond, frameBurst } = this.options;
    let tokens = frameBurst;
    let at = 0;
    return {
      take(now: number) {
        tokens = Math.min(frameBurst, tokens + ((now - at) / 1000) * framesPerSecond);
        at = now;
        if (tokens < 1) return false;
        tokens -= 1;
        return true;
      },
    };
  }
}
