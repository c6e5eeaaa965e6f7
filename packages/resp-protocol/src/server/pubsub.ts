/**
 * The channel and pattern registry behind SUBSCRIBE, PSUBSCRIBE and PUBLISH: who listens to
 * what, in Redis's orders. Pure bookkeeping, no sockets, so it can be tested and reused alone.
 *
 * @module
 */
import { globMatch } from "./glob.js";

// Channel names are binary-safe; latin1 maps every byte to one UTF-16 unit and back losslessly.
const key = (name: Buffer): string => name.toString("latin1");
const bytes = (k: string): Buffer => Buffer.from(k, "latin1");

interface Subscriptions {
  readonly channels: Set<string>;
  readonly patterns: Set<string>;
}

/** One receiver of a published message, as {@link PubSubRegistry.receivers} lists them. */
export interface PubSubDelivery<S> {
  /** The subscriber to deliver to. */
  readonly subscriber: S;
  /** The pattern that matched, for a `pmessage`; undefined for a direct channel subscription. */
  readonly pattern: Buffer | undefined;
}

/**
 * Channel and pattern subscriptions of any kind of subscriber (a connection, in
 * {@link RespServer}). Orders follow Redis 7.0's `pubsub.c`: channel subscribers before
 * pattern subscribers, each in subscription order, and one delivery per matching pattern.
 */
export class PubSubRegistry<S> {
  private readonly channels = new Map<string, Set<S>>();
  private readonly patterns = new Map<string, Set<S>>();
  private readonly bySubscriber = new Map<S, Subscriptions>();

  /** Subscribes to a channel; false when the subscriber was already subscribed to it. */
  subscribe(subscriber: S, channel: Buffer): boolean {
    return this.add(this.channels, this.entry(subscriber).channels, subscriber, key(channel));
  }

  /** Unsubscribes from a channel; false when the subscriber was not subscribed to it. */
  unsubscribe(subscriber: S, channel: Buffer): boolean {
    return this.remove(this.channels, subscriber, key(channel), "channels");
  }

  /** Subscribes to a pattern; false when the subscriber was already subscribed to it. */
  psubscribe(subscriber: S, pattern: Buffer): boolean {
    return this.add(this.patterns, this.entry(subscriber).patterns, subscriber, key(pattern));
  }

  /** Unsubscribes from a pattern; false when the subscriber was not subscribed to it. */
  punsubscribe(subscriber: S, pattern: Buffer): boolean {
    return this.remove(this.patterns, subscriber, key(pattern), "patterns");
  }

  /** The channels a subscriber listens to, in subscription order. */
  channelsOf(subscriber: S): Buffer[] {
    return [...(this.bySubscriber.get(subscriber)?.channels ?? [])].map(bytes);
  }

  /** The patterns a subscriber listens to, in subscription order. */
  patternsOf(subscriber: S): Buffer[] {
    return [...(this.bySubscriber.get(subscriber)?.patterns ?? [])].map(bytes);
  }

  /** How many channels one subscriber listens to (`CLIENT LIST sub=`). */
  channelCount(subscriber: S): number {
    return this.bySubscriber.get(subscriber)?.channels.size ?? 0;
  }

  /** How many patterns one subscriber listens to (`CLIENT LIST psub=`). */
  patternCountOf(subscriber: S): number {
    return this.bySubscriber.get(subscriber)?.patterns.size ?? 0;
  }

  /** Channels plus patterns of one subscriber: the count in Redis's subscribe replies. */
  count(subscriber: S): number {
    const entry = this.bySubscriber.get(subscriber);
    return entry === undefined ? 0 : entry.channels.size + entry.patterns.size;
  }

  /** Drops every subscription of a subscriber (it disconnected). */
  removeAll(subscriber: S): void {
    for (const channel of this.channelsOf(subscriber)) this.unsubscribe(subscriber, channel);
    for (const pattern of this.patternsOf(subscriber)) this.punsubscribe(subscriber, pattern);
  }

  /** Number of subscribers of one channel, not counting patterns (`PUBSUB NUMSUB`). */
  subscriberCount(channel: Buffer): number {
    return this.channels.get(key(channel))?.size ?? 0;
  }

  /** Number of distinct patterns anyone subscribes to (`PUBSUB NUMPAT`). */
  get patternCount(): number {
    return this.patterns.size;
  }

  /** Channels with at least one subscriber (`PUBSUB CHANNELS`), in first-subscription order. */
  activeChannels(): Buffer[] {
    return [...this.channels.keys()].map(bytes);
  }

  /** Everyone a message on `channel` goes to, in delivery order. */
  receivers(channel: Buffer): PubSubDelivery<S>[] {
    const out: PubSubDelivery<S>[] = [];
    for (const subscriber of this.channels.get(key(channel)) ?? []) {
      out.push({ subscriber, pattern: undefined });
    }
    for (const [patternKey, subscribers] of this.patterns) {
      const pattern = bytes(patternKey);
      if (!globMatch(pattern, channel)) continue;
      for (const subscriber of subscribers) out.push({ subscriber, pattern });
    }
    return out;
  }

  private entry(subscriber: S): Subscriptions {
    let entry = this.bySubscriber.get(subscriber);
    if (entry === undefined) {
      entry = { channels: new Set(), patterns: new Set() };
      this.bySubscriber.set(subscriber, entry);
    }
    return entry;
  }

  private add(index: Map<string, Set<S>>, own: Set<string>, subscriber: S, k: string): boolean {
    if (own.has(k)) return false;
    own.add(k);
    let subscribers = index.get(k);
    if (subscribers === undefined) {
      subscribers = new Set();
      index.set(k, subscribers);
    }
    subscribers.add(subscriber);
    return true;
  }

  private remove(index: Map<string, Set<S>>, subscriber: S, k: string, kind: keyof Subscriptions): boolean {
    const entry = this.bySubscriber.get(subscriber);
    if (entry === undefined || !entry[kind].delete(k)) return false;
    const subscribers = index.get(k);
    subscribers?.delete(subscriber);
    if (subscribers?.size === 0) index.delete(k);
    if (entry.channels.size === 0 && entry.patterns.size === 0) this.bySubscriber.delete(subscriber);
    return true;
  }
}
