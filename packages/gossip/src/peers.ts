import type { Address } from "./address.js";
import { sameAddress } from "./address.js";

/** A peer sentinel as one master sees it. */
export interface PeerOfMaster {
  /** The peer's runid. */
  readonly runid: string;
  /** Where it listens (shared by all its masters). */
  readonly address: Address;
  /** When its last hello about this master arrived (ms, caller's clock); creation time before that. */
  readonly lastHelloTime: number;
}

/**
 * A peer sentinel: one entry, and so one link, per runid, whatever the number of masters it
 * watches (SPEC §4.2, `sentinelTryConnectionSharing`).
 */
export interface Peer {
  /** The peer's 40-hex-digit id. */
  readonly runid: string;
  /** Where it listens. */
  readonly address: Address;
  /** The masters it was seen watching, each with the time of its last hello about that master. */
  readonly masters: ReadonlyMap<string, number>;
  /** The current epoch its last hello announced (0 for a peer loaded from the config file). */
  readonly currentEpoch: number;
}

interface MutablePeer {
  readonly runid: string;
  address: Address;
  readonly masters: Map<string, number>;
  currentEpoch: number;
}

/**
 * The peer sentinels, one per runid, each with the set of masters it watches. Redis keeps a
 * sentinel instance per (master, runid) and shares their links; this table keeps one entry
 * per runid instead, so sharing holds by construction.
 */
export class PeerTable {
  readonly #peers = new Map<string, MutablePeer>();

  /** The number of peers, which is the number of sentinel links. */
  get size(): number {
    return this.#peers.size;
  }

  /** The peer with this runid. */
  get(runid: string): Peer | undefined {
    return this.#peers.get(runid);
  }

  /** Every peer. */
  all(): Peer[] {
    return [...this.#peers.values()];
  }

  /** The peers watching `master`. */
  ofMaster(master: string): PeerOfMaster[] {
    const result: PeerOfMaster[] = [];
    for (const peer of this.#peers.values()) {
      const lastHelloTime = peer.masters.get(master);
      if (lastHelloTime !== undefined) result.push({ runid: peer.runid, address: peer.address, lastHelloTime });
    }
    return result;
  }

  /**
   * The peer of `master` at `address`, with `runid` if given: Redis's
   * `getSentinelRedisInstanceByAddrAndRunID` over one master's sentinels.
   */
  findInMaster(master: string, address: Address, runid?: string): Peer | undefined {
    for (const peer of this.#peers.values()) {
      if (!peer.masters.has(master)) continue;
      if (runid !== undefined && peer.runid !== runid) continue;
      if (sameAddress(peer.address, address)) return peer;
    }
    return undefined;
  }

  /** Every peer of `master` at `address`. */
  holdersInMaster(master: string, address: Address): Peer[] {
    return [...this.#peers.values()].filter((peer) => peer.masters.has(master) && sameAddress(peer.address, address));
  }

  /** Adds `master` to the peer's set, creating the peer at `address` if unknown; returns whether it was created. */
  addToMaster(runid: string, address: Address, master: string, now: number): boolean {
    const peer = this.#peers.get(runid);
    if (peer === undefined) {
      this.#peers.set(runid, { runid, address, masters: new Map([[master, now]]), currentEpoch: 0 });
      return true;
    }
    if (!peer.masters.has(master)) peer.masters.set(master, now);
    return false;
  }

  /** Moves the peer to `address`, for all its masters at once. */
  setAddress(runid: string, address: Address): void {
    const peer = this.#peers.get(runid);
    if (peer !== undefined) peer.address = address;
  }

  /** Records a hello from the peer about `master`, announcing `currentEpoch`. */
  touch(runid: string, master: string, now: number, currentEpoch: number): void {
    const peer = this.#peers.get(runid);
    if (peer === undefined || !peer.masters.has(master)) return;
    peer.masters.set(master, now);
    peer.currentEpoch = currentEpoch;
  }

  /** Takes `master` out of the peer's set; returns true when the peer, watching nothing else, was dropped. */
  removeFromMaster(runid: string, master: string): boolean {
    const peer = this.#peers.get(runid);
    if (peer === undefined) return false;
    peer.masters.delete(master);
    if (peer.masters.size > 0) return false;
    this.#peers.delete(runid);
    return true;
  }

  /** Drops the peer from every master; returns whether it existed. */
  remove(runid: string): boolean {
    return this.#peers.delete(runid);
  }

  /** Takes `master` out of every peer's set; returns the runids of the peers dropped as a result. */
  forgetMaster(master: string): string[] {
    const dropped: string[] = [];
    for (const peer of [...this.#peers.values()]) {
      if (peer.masters.has(master) && this.removeFromMaster(peer.runid, master)) dropped.push(peer.runid);
    }
    return dropped;
  }
}
