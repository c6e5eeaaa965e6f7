import type { Reporter, TestModule } from "vitest/node";

/**
 * Ends the run with one plain `N passed, N failed, N skipped` line, the form CI logs are
 * read for; vitest's own summary is decorated and not machine-read. Counted when the run
 * ends, printed from `onFinished`, which vitest calls after every reporter's summary.
 */
export default class PlainSummaryReporter implements Reporter {
  private line = "";

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      const tests = [...module.children.allTests()];
      // A file that fails to load has no test cases but must still count as a failure.
      if (module.state() === "failed" && tests.every((test) => test.result().state !== "failed")) failed += 1;
      for (const test of tests) {
        const state = test.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failed += 1;
        else skipped += 1;
      }
    }
    this.line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  }

  onFinished(): void {
    process.stdout.write(`\n${this.line}\n`);
  }
}
