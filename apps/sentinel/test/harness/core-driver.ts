// One SentinelCore driven tick by tick against instances that answer at once, for tests of
// what a command changes in place (SENTINEL DEBUG, SENTINEL SET): every effect is logged
// with its time, so a test can check which links were touched and when commands were sent.
import { loadConfig } from "@sentinel-kit/config-store";
import { SentinelCore } from "../../src/core/sentinel-core.js";
import type { MutationCommand, CoreEffect, CoreEvent, LinkId } from "../../src/core/types.js";

export const MYID = "a".repeat(40);
export const PEER = "b".repeat(40);
export const MASTER = "10.0.0.1:6379";
export const REPLICA = "10.0.0.3:6380";
export const SENTINEL = "10.0.0.2:26379";
export const MASTER_RUNID = "c".repeat(40);
export const REPLICA_RUNID = "d".repeat(40);
export const MASTER_INFO = `# Server\r\nrun_id:${MASTER_RUNID}\r\n# Replication\r\nrole:master\r\nconnected_slaves:1\r\nslave0:ip=10.0.0.3,port=6380,state=online,offset=1,lag=0\r\n`;
export const REPLICA_INFO = `# Server\r\nrun_id:${REPLICA_RUNID}\r\n# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:up\r\nslave_repl_offset:1\r\n`;
export const START = 1000;
export const LINK_EFFECTS = ["create-link", "destroy-link", "connect", "close"];

/**
 * One core against instances that answer at once: links connect, PINGs get PONG (unless
 * the address is `silent`), INFO its text, hellos are published, the peer answers
 * is-master-down-by-addr with "not down". Ticks come exactly at the core's wake times.
 */
export class Driver {
  readonly core: SentinelCore;
  readonly log: { at: number; effect: CoreEffect }[] = [];
  readonly silent = new Set<string>();
  now = START;
  #wake: number | null = null;
  readonly #links = new Map<LinkId, string>();
  readonly #queue: CoreEvent[] = [];
  #token = 1;

  constructor() {
    const { config } = loadConfig(
      [
        "port 26379",
        `sentinel myid ${MYID}`,
        "sentinel monitor mymaster 10.0.0.1 6379 2",
        "sentinel down-after-milliseconds mymaster 5000",
        "sentinel known-replica mymaster 10.0.0.3 6380",
        `sentinel known-sentinel mymaster 10.0.0.2 26379 ${PEER}`,
        "",
      ].join("\n"),
    );
    this.core = new SentinelCore({ config }, START);
    this.#apply(this.core.start(START, () => 0.5).effects);
    this.#drain();
  }

  /** The link to `address` (the last one created). */
  link(address: string): LinkId {
    const ids = [...this.#links].filter(([, a]) => a === address).map(([id]) => id);
    const id = ids.at(-1);
    if (id === undefined) throw new Error(`no link to ${address}`);
    return id;
  }

  /** Ticks at every wake time up to `until`, then sets the clock to `until`. */
  runUntil(until: number): void {
    for (let i = 0; i < 100_000 && this.#wake !== null && this.#wake <= until; i++) {
      this.now = Math.max(this.now, this.#wake);
      this.step({ type: "tick" });
    }
    this.now = until;
  }

  /** Runs a command now (its token numbered from 1); returns the effects of that step. */
  command(command: MutationCommand): CoreEffect[] {
    const token = this.#token++;
    const from = this.log.length;
    this.step({ type: "command", token, command });
    return this.log.slice(from).map(({ effect }) => effect);
  }

  step(event: CoreEvent): void {
    this.#apply(this.core.step(event, this.now, () => 0.5).effects);
    this.#drain();
  }

  /** The times, from `from` on, at which `command` was sent on the link to `address`. */
  sends(address: string, command: string, from: number): number[] {
    const link = this.link(address);
    return this.log
      .filter(({ at, effect }) => at >= from && effect.type === "send" && effect.link === link && effect.command[0] === command)
      .map(({ at }) => at);
  }

  /** The times, from `from` on, at which a hello was published on the link to `address`. */
  hellos(address: string, from: number): number[] {
    const link = this.link(address);
    return this.log.filter(({ at, effect }) => at >= from && effect.type === "publish-hello" && effect.link === link).map(({ at }) => at);
  }

  /** Link effects (create, destroy, connect, close) from log index `from` on. */
  linkEffects(from: number): CoreEffect[] {
    return this.log.slice(from).flatMap(({ effect }) => (LINK_EFFECTS.includes(effect.type) ? [effect] : []));
  }

  /** The times of the events `name` whose payload starts with `payload`. */
  events(name: string, payload = ""): number[] {
    return this.log
      .filter(({ effect }) => effect.type === "event" && effect.name === name && effect.payload.startsWith(payload))
      .map(({ at }) => at);
  }

  #drain(): void {
    for (let event = this.#queue.shift(); event !== undefined; event = this.#queue.shift()) {
      this.#apply(this.core.step(event, this.now, () => 0.5).effects);
    }
  }

  #apply(effects: readonly CoreEffect[]): void {
    for (const effect of effects) {
      this.log.push({ at: this.now, effect });
      switch (effect.type) {
        case "create-link":
          this.#links.set(effect.link, `${effect.address.host}:${effect.address.port}`);
          break;
        case "connect":
          this.#queue.push({ type: "link-connected", link: effect.link, connection: effect.connection });
          break;
        case "send": {
          const address = this.#links.get(effect.link) ?? "";
          const answer = (reply: unknown) => this.#queue.push({ type: "command-reply", link: effect.link, expect: effect.expect, reply });
          if (effect.expect.kind === "ping" && !this.silent.has(address)) answer("PONG");
          if (effect.expect.kind === "info") answer(address === MASTER ? MASTER_INFO : REPLICA_INFO);
          if (effect.expect.kind === "is-master-down") answer([0, "*", 0]);
          break;
        }
        case "publish-hello":
          this.#queue.push({ type: "hello-published", target: effect.target, ok: true });
          break;
        case "wake":
          this.#wake = effect.at;
          break;
        default:
          break;
      }
    }
  }
}
