import type { LinkEvent } from "./link.js";

/** The listeners of one link's {@link LinkEvent}s, as every link keeps them. */
export class LinkListeners {
  readonly #listeners = new Set<(event: LinkEvent) => void>();

  /** Adds `listener`; returns a function that removes it. */
  add(listener: (event: LinkEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls every listener with `event`, in the order they were added. */
  emit(event: LinkEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  /** Removes every listener: a destroyed link reports nothing more. */
  clear(): void {
    this.#listeners.clear();
  }
}
