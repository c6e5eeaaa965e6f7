import type { ElectionEffect } from "./effects.js";
import { formatEventMessage, type ElectionEvent } from "./events.js";
import type { ElectionState, MasterElection } from "./state.js";
import { persistentSnapshot } from "./state.js";

/** The result of feeding one input to the election: the new state and what to do, in order. */
export interface ElectionStep {
  /** The state after the input. */
  readonly state: ElectionState;
  /**
   * Effects to carry out in order. A {@link PersistEffect} comes first when present and must
   * complete before any other effect of the step is carried out.
   */
  readonly effects: readonly ElectionEffect[];
}

/** Collects a step's effects and puts the single persist, if any, in front. */
export class StepBuilder {
  private persistNeeded = false;
  private readonly effects: ElectionEffect[] = [];

  /** The durable state changed: the step must start with a persist. */
  markPersist(): void {
    this.persistNeeded = true;
  }

  /** Adds an event effect with Redis's message text. */
  event(master: MasterElection, event: ElectionEvent): void {
    this.effects.push({ type: "event", level: "warning", event, message: formatEventMessage(event, master) });
  }

  /** Adds any other effect. */
  push(effect: ElectionEffect): void {
    this.effects.push(effect);
  }

  /** The step, with the persist of the final durable state first. */
  finish(state: ElectionState): ElectionStep {
    if (!this.persistNeeded) return { state, effects: this.effects };
    return { state, effects: [{ type: "persist", snapshot: persistentSnapshot(state) }, ...this.effects] };
  }
}
