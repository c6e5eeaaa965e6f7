import { describe, expect, it } from "vitest";
import { LinkListeners } from "../src/link-listeners.js";
import type { LinkEvent } from "../src/index.js";

describe("LinkListeners (every link's onEvent fan-out)", () => {
  it("calls listeners in the order added, until removed or cleared", () => {
    const listeners = new LinkListeners();
    const seen: string[] = [];
    const event: LinkEvent = { type: "subscribed", channel: "__sentinel__:hello" };
    listeners.add((e) => seen.push(`a:${e.type}`));
    const removeB = listeners.add((e) => seen.push(`b:${e.type}`));
    listeners.emit(event);
    removeB();
    listeners.emit(event);
    listeners.clear();
    listeners.emit(event);
    expect(seen).toEqual(["a:subscribed", "b:subscribed", "a:subscribed"]);
  });
});
