import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import {
  type Address,
  formatAddressName,
  Gossip,
  type GossipConfig,
  type GossipEffect,
  HELLO_CHANNEL,
  helloPayload,
  type SentinelEvent,
} from "../../src/index.js";

/**
 * A small gossip node for integration tests: the pure core plus the I/O it asks for. It
 * subscribes to `__sentinel__:hello` on each given instance, PUBLISHes the core's hellos
 * through those instances' command links, and, when `linkSentinels` is set, through a link
 * per peer sentinel. Driven by real time: the timer fires at the core's next due time.
 */
export class GossipNode {
  readonly runid = randomBytes(20).toString("hex");
  readonly core: Gossip;
  readonly events: SentinelEvent[] = [];
  readonly #commands = new Map<string, Redis>();
  readonly #subscribers: Redis[] = [];
  readonly #sentinelLinks = new Map<string, Redis>();
  readonly #linkSentinels: boolean;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(config: Omit<GossipConfig, "myRunid">, readonly instances: Address[], options: { linkSentinels?: boolean } = {}) {
    this.core = new Gossip({ ...config, myRunid: this.runid }, Date.now());
    this.#linkSentinels = options.linkSentinels ?? false;
  }

  async start(): Promise<void> {
    for (const address of this.instances) {
      const command = new Redis({ host: address.host, port: address.port, maxRetriesPerRequest: 1 });
      const subscriber = new Redis({ host: address.host, port: address.port });
      this.#commands.set(formatAddressName(address), command);
      this.#subscribers.push(subscriber);
      subscriber.on("message", (channel: string, message: string) => {
        if (channel === HELLO_CHANNEL) this.#apply(this.core.receiveHello(message, Date.now()).effects);
      });
      await subscriber.subscribe(HELLO_CHANNEL);
    }
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const links = [...this.#commands.values(), ...this.#subscribers, ...this.#sentinelLinks.values()];
    await Promise.all(links.map((link) => link.quit().catch(() => link.disconnect())));
  }

  #schedule(): void {
    if (this.#closed) return;
    const next = this.core.nextDueAt();
    // Bounded so a hello answered meanwhile is picked up within 250 ms at worst.
    const delay = next === undefined ? 250 : Math.min(Math.max(next - Date.now(), 0), 250);
    this.#timer = setTimeout(() => {
      this.#apply(this.core.tick(Date.now()));
      this.#schedule();
    }, delay);
  }

  #apply(effects: readonly GossipEffect[]): void {
    for (const effect of effects) {
      switch (effect.type) {
        case "event":
          this.events.push(effect.event);
          break;
        case "open-sentinel-link":
          if (this.#linkSentinels) {
            const link = new Redis({ host: effect.address.host, port: effect.address.port, maxRetriesPerRequest: 1 });
            link.on("error", () => undefined);
            this.#sentinelLinks.set(effect.runid, link);
          }
          break;
        case "close-sentinel-link":
          this.#sentinelLinks.get(effect.runid)?.disconnect();
          this.#sentinelLinks.delete(effect.runid);
          break;
        case "publish-hello": {
          const target = effect.target;
          const link =
            target.kind === "sentinel"
              ? this.#sentinelLinks.get(target.runid)
              : this.#commands.get(formatAddressName(target.kind === "master" ? this.core.master(target.master)?.address ?? { host: "", port: 0 } : target.address));
          if (link === undefined) {
            // No link to this target (a replica or peer we did not connect to): a failed PUBLISH.
            this.core.published(target, false, Date.now());
            break;
          }
          const localIp = link.stream?.localAddress ?? "127.0.0.1";
          link.publish(effect.channel, helloPayload(effect.hello, localIp)).then(
            () => this.core.published(target, true, Date.now()),
            () => this.core.published(target, false, Date.now()),
          );
          break;
        }
        case "persist":
        case "reset-master":
        case "client-reconfig-script":
          // The daemon writes the config, resets health monitoring and runs scripts; the
          // test reads the core's state instead.
          break;
      }
    }
  }
}
