import { Command, CommanderError } from "commander";
import { addConnectionOptions, UsageError } from "./connection-options.js";
import { runDrill, type DrillFlags } from "./drill.js";
import { runExec, type ExecFlags } from "./exec.js";
import { ExitCode, exitCodeFor } from "./exit-codes.js";
import type { CliIO } from "./io.js";
import { runResolve, type ResolveFlags } from "./resolve.js";
import { runStatus } from "./status.js";
import { runWatch, type WatchFlags } from "./watch.js";

const VERSION = "0.1.0";

/**
 * Runs `sentinel-kit-client` with `argv` (arguments only, without node and the script)
 * and resolves with the exit code; never calls `process.exit`, so tests run it in-process.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let code: number = ExitCode.ok;
  const program = new Command("sentinel-kit-client")
    .description("Ask Redis Sentinel where the master is, watch its events, run commands and failover drills.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  const run = (action: () => Promise<number>) => async () => {
    code = await action();
  };
  const command = (name: string) => addConnectionOptions(program.command(name)).exitOverride();

  command("status")
    .description("masters, replicas, sentinels, flags and config epochs, from every sentinel")
    .option("--json", "print JSON")
    .action(async (flags: ResolveFlags) => run(() => runStatus(flags, io))());

  command("resolve")
    .description("the current master (ROLE-verified) and its replicas, by the Sentinel client protocol")
    .argument("<name>", "master name")
    .option("--cross-check <n>", "ask every sentinel; need n agreeing at the highest config epoch")
    .option("--min-other-sentinels <n>", "ignore sentinels that see fewer other sentinels")
    .option("--json", "print JSON")
    .action(async (name: string, flags: ResolveFlags) => run(() => runResolve(name, flags, io))());

  command("watch")
    .description("live events from every sentinel (SPEC §3), until --count, --timeout or Ctrl-C")
    .option("--master <name>", "only events about this master")
    .option("--count <n>", "stop after n events")
    .option("--timeout <ms>", "stop after this many milliseconds")
    .option("--hello", "include __sentinel__:hello gossip")
    .option("--json", "one JSON object per line")
    .action(async (flags: WatchFlags) => run(() => runWatch(flags, io))());

  command("exec")
    .description("run a command on the current master (or a replica); put -- before a command with dashes")
    .argument("<name>", "master name")
    .argument("<command...>", "the command and its arguments")
    .option("--replica", "run on a replica chosen by discovery")
    .option("--fallback-to-master", "with --replica: use the master when no replica is usable")
    .option("--json", "print JSON")
    .action(async (name: string, args: string[], flags: ExecFlags) => run(() => runExec(name, args, flags, io))());

  command("drill")
    .description("write through client-discovery, optionally fail over, report unavailability, errors and lost writes")
    .argument("<name>", "master name")
    .option("--duration <ms>", "how long to write", "10000")
    .option("--failover", "send SENTINEL FAILOVER during the drill")
    .option("--failover-command <cmd>", "run this shell command to cause the failover instead")
    .option("--failover-after <ms>", "when to trigger the failover (default: min(2000, duration/4))")
    .option("--write-timeout <ms>", "a write unanswered this long is an error", "1000")
    .option("--cross-check <n>", "trust a master only with n sentinels agreeing at the highest epoch")
    .option("--fence <ms>", "stop writing to a master being replaced for up to ms (client-discovery fenceOnFailoverMs)")
    .option("--fail-on-lost", "exit 7 if acknowledged writes were lost")
    .option("--keep-keys", "leave the drill's keys in place")
    .option("--json", "print JSON")
    .action(async (name: string, flags: DrillFlags) => run(() => runDrill(name, flags, io))());

  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end through exitOverride with exit code 0.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n`);
      return ExitCode.usage;
    }
    const named = error as Error;
    io.err(`${named.name}: ${named.message}\n`);
    return exitCodeFor(error);
  }
}
