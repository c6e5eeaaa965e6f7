import { sameAddress, type Address } from "./address.js";

/**
 * Moves the sentinel that answered to the front (S5 step 1), so the next resolution asks
 * the sentinel that worked last time first. Returns a new list.
 */
export function moveToFront(sentinels: readonly Address[], answered: Address): Address[] {
  const rest = sentinels.filter((s) => !sameAddress(s, answered));
  return rest.length === sentinels.length ? [...sentinels] : [answered, ...rest];
}

/**
 * Appends sentinels learned from `SENTINEL SENTINELS` that are not yet known and not
 * flagged down or disconnected (S5 "optional: refresh the sentinel list"). Configured
 * entries are never dropped, so a bad reply cannot shrink the list. Returns a new list.
 */
export function mergeSentinels(
  known: readonly Address[],
  discovered: readonly { readonly address: Address; readonly flags: ReadonlySet<string> }[],
): Address[] {
  const merged = [...known];
  for (const entry of discovered) {
    if (entry.flags.has("s_down") || entry.flags.has("o_down") || entry.flags.has("disconnected")) continue;
    if (!merged.some((s) => sameAddress(s, entry.address))) merged.push(entry.address);
  }
  return merged;
}
