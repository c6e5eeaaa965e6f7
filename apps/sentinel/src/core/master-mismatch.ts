import { isIpLiteral, sameAddress, sentinelDetails, type Address } from "@sentinel-kit/gossip";

/** A master's configuration as one sentinel states it in its hellos. */
export interface MasterClaim {
  /** The master address announced (mid-failover, the promoted replica's). */
  readonly address: Address;
  /** The config epoch of that configuration. */
  readonly configEpoch: number;
}

/** An event announcing the start or the end of a disagreement with one peer. */
export interface MismatchEvent {
  /** `+master-mismatch` or `-master-mismatch`. */
  readonly name: "+master-mismatch" | "-master-mismatch";
  /** The master the disagreement is about. */
  readonly master: string;
  /** `sentinel <runid> <ip> <port> @ <master> <ip> <port>`, and for a start ` says <ip> <port> config-epoch <n>`. */
  readonly payload: string;
}

/**
 * Whether a peer's claim disagrees with ours in the one way no rule settles: the same config
 * epoch and another address. A greater epoch is adopted and a lower one is stale, both by
 * SPEC §4.5, so neither is a disagreement. A host name against an IP literal cannot be
 * compared without resolving it, which a pure core does not do, so it is not one either.
 */
export function claimsDisagree(ours: MasterClaim, theirs: MasterClaim): boolean {
  if (ours.configEpoch !== theirs.configEpoch) return false;
  if (isIpLiteral(ours.address.host) !== isIpLiteral(theirs.address.host)) return false;
  return !sameAddress(ours.address, theirs.address);
}

interface OpenMismatch {
  claim: MasterClaim;
  peer: Address;
  ours: Address;
}

/**
 * The peers whose hellos currently name another address for a master at our config epoch
 * (redis/redis#12271: sentinels started with different masters under one name). Redis
 * ignores such hellos silently; this table turns each disagreement into one event when it
 * starts and one when it ends, so a hello every 2 s does not repeat it.
 */
export class MasterMismatches {
  readonly #open = new Map<string, Map<string, OpenMismatch>>();

  /** Whether peer `runid` currently disagrees with us about `master`. */
  has(master: string, runid: string): boolean {
    return this.#open.get(master)?.has(runid) ?? false;
  }

  /**
   * Records what a hello from peer `runid` (listening at `peer`) said about `master` while we
   * say `ours`; returns the events to emit. A claim that changes while it disagrees ends the
   * old disagreement and starts a new one, so the last `+master-mismatch` always says what
   * the peer says now.
   */
  observe(master: string, runid: string, peer: Address, ours: MasterClaim, theirs: MasterClaim): MismatchEvent[] {
    const ofMaster = this.#open.get(master) ?? new Map<string, OpenMismatch>();
    const open = ofMaster.get(runid);
    const disagree = claimsDisagree(ours, theirs);
    const events: MismatchEvent[] = [];
    if (open !== undefined) {
      if (disagree && sameClaim(open.claim, theirs)) {
        open.peer = peer;
        open.ours = ours.address;
        return [];
      }
      ofMaster.delete(runid);
      events.push(end(master, runid, peer, ours.address));
    }
    if (disagree) {
      ofMaster.set(runid, { claim: theirs, peer, ours: ours.address });
      const says = `says ${theirs.address.host} ${theirs.address.port} config-epoch ${theirs.configEpoch}`;
      events.push({ name: "+master-mismatch", master, payload: `${sentinelDetails(runid, peer, master, ours.address)} ${says}` });
    }
    if (ofMaster.size === 0) this.#open.delete(master);
    else this.#open.set(master, ofMaster);
    return events;
  }

  /**
   * Ends the disagreements of the peers `known` no longer accepts (the peer was dropped, the
   * master reset or removed), with the addresses last seen.
   */
  prune(known: (master: string, runid: string) => boolean): MismatchEvent[] {
    const events: MismatchEvent[] = [];
    for (const [master, ofMaster] of [...this.#open]) {
      for (const [runid, open] of [...ofMaster]) {
        if (known(master, runid)) continue;
        ofMaster.delete(runid);
        events.push(end(master, runid, open.peer, open.ours));
      }
      if (ofMaster.size === 0) this.#open.delete(master);
    }
    return events;
  }
}

function sameClaim(a: MasterClaim, b: MasterClaim): boolean {
  return a.configEpoch === b.configEpoch && sameAddress(a.address, b.address);
}

function end(master: string, runid: string, peer: Address, ours: Address): MismatchEvent {
  return { name: "-master-mismatch", master, payload: sentinelDetails(runid, peer, master, ours) };
}
