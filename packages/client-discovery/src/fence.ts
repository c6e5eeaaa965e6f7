import { sameAddress, type Address } from "./address.js";

/**
 * A master this client must not write to until `until` (ms, on the caller's clock): a
 * sentinel announced it is promoting a replica in its place (SPEC §4.10), and what the old
 * master acknowledges from then on is lost when it is turned into a replica.
 */
export interface Fence {
  /** The master being replaced. */
  readonly address: Address;
  /** When the fence lapses (the failover may have been aborted), ms. */
  readonly until: number;
}

/** Whether `fence` forbids `address` at `now`. */
export function fenceBlocks(fence: Fence | undefined, address: Address, now: number): boolean {
  return fence !== undefined && now < fence.until && sameAddress(fence.address, address);
}

/**
 * The fence after a verified resolution to `address` at `now`: lifted once the master
 * resolved is another one, or once it has lapsed; otherwise kept.
 */
export function fenceAfterResolution(fence: Fence | undefined, address: Address, now: number): Fence | undefined {
  if (fence === undefined || now >= fence.until || !sameAddress(fence.address, address)) return undefined;
  return fence;
}
