// Redis's client-output-buffer-limit rule (src/networking.c checkClientOutputBufferLimits).
import { describe, expect, test } from "vitest";
import { DEFAULT_PUBSUB_OUTPUT_LIMIT, OutputLimitTracker } from "../src/server/output-limit.js";

describe("OutputLimitTracker", () => {
  const limit = { hardBytes: 1000, softBytes: 100, softSeconds: 2 };

  test("the hard limit closes at once", () => {
    const tracker = new OutputLimitTracker(limit);
    expect(tracker.exceeded(999, 0)).toBe(false);
    expect(tracker.exceeded(1000, 0)).toBe(true);
  });

  test("the soft limit closes only when exceeded continuously for more than softSeconds", () => {
    const tracker = new OutputLimitTracker(limit);
    expect(tracker.exceeded(150, 0)).toBe(false);
    expect(tracker.exceeded(150, 2000)).toBe(false);
    expect(tracker.exceeded(150, 2001)).toBe(true);
  });

  test("dropping below the soft limit restarts the clock", () => {
    const tracker = new OutputLimitTracker(limit);
    expect(tracker.exceeded(150, 0)).toBe(false);
    expect(tracker.exceeded(50, 1500)).toBe(false);
    expect(tracker.exceeded(150, 1600)).toBe(false);
    expect(tracker.exceeded(150, 3000)).toBe(false);
    expect(tracker.exceeded(150, 3601)).toBe(true);
  });

  test("zero disables a limit", () => {
    const tracker = new OutputLimitTracker({ hardBytes: 0, softBytes: 0, softSeconds: 0 });
    expect(tracker.exceeded(Number.MAX_SAFE_INTEGER, 0)).toBe(false);
    expect(tracker.exceeded(Number.MAX_SAFE_INTEGER, 1e9)).toBe(false);
  });

  test("the default is Redis's pubsub 32mb 8mb 60", () => {
    expect(DEFAULT_PUBSUB_OUTPUT_LIMIT).toEqual({ hardBytes: 33554432, softBytes: 8388608, softSeconds: 60 });
  });
});
