/**
 * A planner option or a step input is out of range (for example `parallelSyncs` below 1,
 * or a random source returning a value outside [0, 1)). Thrown before any state changes.
 */
export class PlannerInputError extends Error {
  /** Stable error name. */
  override readonly name = "PlannerInputError";
  /** The offending field, as a path such as `master.parallelSyncs`. */
  readonly field: string;
  /** The value that was rejected. */
  readonly value: unknown;
  /** What the field must be. */
  readonly expected: string;

  /** Builds the error for `field`, holding `value`, which must be `expected`. */
  constructor(field: string, value: unknown, expected: string) {
    super(`${field} must be ${expected}, got ${String(value)}`);
    this.field = field;
    this.value = value;
    this.expected = expected;
  }
}
