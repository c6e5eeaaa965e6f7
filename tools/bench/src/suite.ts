/** One benchmark suite of `pnpm bench`. */
export interface BenchSuite {
  /** Short name, used to run only this suite: `pnpm bench <name>`. */
  readonly name: string;
  /** Heading printed above the suite's table. */
  readonly title: string;
  /** Runs the measurements and prints the table. */
  run(): Promise<void>;
}
