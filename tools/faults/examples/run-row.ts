import { ROWS, tableLine, type RowFigures } from "../src/index.js";

// Runs one row of the fault matrix (1: the master SIGKILLed) and prints its figures.
export async function runRow(row: number): Promise<RowFigures> {
  const run = ROWS[row];
  if (run === undefined) throw new Error(`row ${row} is not a process row`);
  const figures = await run({ downAfterMs: 1_000 });
  console.log(tableLine(figures)); // row=1  fault=master SIGKILL ... lost=0 ... result=ok
  return figures;
}
