import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  countVotes,
  createElectionState,
  electionWinner,
  electorate,
  endFailover,
  handleIsMasterDownRequest,
  majority,
  observeEpoch,
  persistentSnapshot,
  receiveIsMasterDownReply,
  setSubjectiveDown,
  setTilt,
  tick,
  toSentinelId,
  type ElectionState,
  type ElectionStep,
  type SentinelId,
} from "../src/index.js";

// Peers are IDS[1..peers]; IDS[peers + 1] is a Sentinel nobody told us about (redis/redis#6459).
const IDS: SentinelId[] = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => toSentinelId(String(i).repeat(40)));
const ME = IDS[0] as SentinelId;
const MASTERS = [
  { name: "m1", ip: "10.0.0.1", port: 6379 },
  { name: "m2", ip: "10.0.0.2", port: 6379 },
];
const MAX_DESYNC = 1000;

type Op =
  | { op: "request"; master: number; epoch: number; runId: number | null; dt: number; rand: number }
  | { op: "reply"; master: number; from: number; down: boolean; leader: number | null; epoch: number; dt: number }
  | { op: "tick"; dt: number; rand: number }
  | { op: "hello"; epoch: number }
  | { op: "tilt"; on: boolean }
  | { op: "sdown"; master: number; on: boolean }
  | { op: "end"; master: number };

function opArb(peers: number): fc.Arbitrary<Op> {
  const epoch = fc.integer({ min: 0, max: 8 });
  const dt = fc.integer({ min: 0, max: 1500 });
  const rand = fc.integer({ min: 0, max: 1_000_000 });
  const master = fc.integer({ min: 0, max: MASTERS.length - 1 });
  const peer = fc.integer({ min: 1, max: peers });
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ op: fc.constant("request" as const), master, epoch, runId: fc.option(fc.integer({ min: 0, max: peers + 1 }), { nil: null }), dt, rand }) },
    {
      weight: 8,
      arbitrary: fc.record({
        op: fc.constant("reply" as const),
        master,
        from: peer,
        down: fc.boolean(),
        // Biased towards votes for us in the current epoch, so that elections happen;
        // peers + 1 is a vote for a Sentinel this one does not know.
        leader: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.option(fc.integer({ min: 0, max: peers + 1 }), { nil: null })),
        epoch: fc.oneof({ weight: 3, arbitrary: fc.constant(4) }, epoch),
        dt: fc.integer({ min: 0, max: 300 }),
      }),
    },
    { weight: 5, arbitrary: fc.record({ op: fc.constant("tick" as const), dt, rand }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("hello" as const), epoch }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("tilt" as const), on: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("sdown" as const), master, on: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("end" as const), master }) },
  );
}

// Masters start SDOWN so that runs reach ODOWN and elections often.
function initial(peers: number, quorum: number): ElectionState {
  let s = createElectionState({
    myId: ME,
    masters: MASTERS.map((m) => ({ ...m, quorum, failoverTimeoutMs: 4000, peers: IDS.slice(1, peers + 1) })),
  });
  for (const m of MASTERS) s = setSubjectiveDown(s, m.name, true);
  return s;
}

function id(i: number): SentinelId {
  return IDS[i] as SentinelId;
}

/** Runs the ops, calling `check(before, step, now)` after every step-producing op. */
function run(
  peers: number,
  quorum: number,
  ops: readonly Op[],
  check: (before: ElectionState, step: ElectionStep, now: number) => void,
): void {
  let s = initial(peers, quorum);
  let now = 1_000_000;
  const stepped = (st: ElectionStep): void => {
    check(s, st, now);
    s = st.state;
  };
  for (const o of ops) {
    switch (o.op) {
      case "request": {
        now += o.dt;
        const m = MASTERS[o.master] ?? MASTERS[0];
        if (m === undefined) break;
        const runId = o.runId === null ? ("*" as const) : id(o.runId);
        stepped(handleIsMasterDownRequest(s, { ip: m.ip, port: m.port, epoch: o.epoch, runId }, "r", now, (b) => o.rand % b));
        break;
      }
      case "reply": {
        now += o.dt;
        const name = MASTERS[o.master]?.name ?? "m1";
        const base = s.masters.get(name)?.failover?.epoch ?? s.currentEpoch;
        s = receiveIsMasterDownReply(
          s,
          name,
          id(o.from),
          // Reply epochs are drawn around the attempt's epoch (or the current one), -4..+4,
          // so that they often count.
          { down: o.down, leader: o.leader === null ? null : id(o.leader), leaderEpoch: Math.max(0, base + o.epoch - 4) },
          now,
        );
        break;
      }
      case "tick":
        now += o.dt;
        stepped(tick(s, now, (b) => o.rand % b));
        break;
      case "hello":
        stepped(observeEpoch(s, o.epoch, "m1"));
        break;
      case "tilt":
        s = setTilt(s, o.on);
        break;
      case "sdown":
        s = setSubjectiveDown(s, MASTERS[o.master]?.name ?? "m1", o.on);
        break;
      case "end": {
        const name = MASTERS[o.master]?.name ?? "m1";
        s = endFailover(s, name);
        break;
      }
    }
  }
}

function scenarios(maxPeers: number, maxLength: number) {
  return fc.integer({ min: 2, max: maxPeers }).chain((peers) =>
    fc.record({
      peers: fc.constant(peers),
      quorum: fc.integer({ min: 1, max: peers + 1 }),
      // fast-check keeps arrays short by default; long runs are what reach elections.
      ops: fc.array(opArb(peers), { minLength: Math.floor(maxLength / 2), maxLength }),
    }),
  );
}

const scenario = scenarios(6, 80);

describe("properties over random interleavings (SENTINEL-SPEC §4.7, §4.8, §4.14)", () => {
  it("a voter casts at most one vote per (master, epoch), including its replies", () => {
    fc.assert(
      fc.property(scenario, ({ peers, quorum, ops }) => {
        const cast = new Map<string, SentinelId>();
        const record = (master: string, epoch: number, leader: SentinelId): void => {
          const key = `${master}@${epoch}`;
          const before = cast.get(key);
          expect(before === undefined || before === leader, `two votes in ${key}`).toBe(true);
          cast.set(key, leader);
        };
        run(peers, quorum, ops, (_before, step) => {
          for (const e of step.effects) {
            if (e.type === "event" && e.event.name === "+vote-for-leader") record(e.event.master, e.event.epoch, e.event.leader);
          }
          for (const m of step.state.masters.values()) if (m.leader !== null) record(m.name, m.leaderEpoch, m.leader);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("epochs never go down, and neither does a master's vote epoch", () => {
    fc.assert(
      fc.property(scenario, ({ peers, quorum, ops }) => {
        run(peers, quorum, ops, (before, step) => {
          expect(step.state.currentEpoch).toBeGreaterThanOrEqual(before.currentEpoch);
          for (const m of step.state.masters.values()) {
            expect(m.leaderEpoch).toBeGreaterThanOrEqual(before.masters.get(m.name)?.leaderEpoch ?? 0);
            expect(m.leaderEpoch).toBeLessThanOrEqual(step.state.currentEpoch);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it("the persist comes first, once, exactly when the durable state changed, and holds the new state", () => {
    fc.assert(
      fc.property(scenario, ({ peers, quorum, ops }) => {
        run(peers, quorum, ops, (before, step) => {
          const persists = step.effects.filter((e) => e.type === "persist");
          const changed = JSON.stringify(persistentSnapshot(before)) !== JSON.stringify(persistentSnapshot(step.state));
          expect(persists.length).toBe(changed ? 1 : 0);
          if (changed) {
            expect(step.effects[0]).toEqual({ type: "persist", snapshot: persistentSnapshot(step.state) });
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it("a declared winner holds a majority of all voters (known and named) and the quorum in its epoch", () => {
    let elections = 0;
    fc.assert(
      // Fewer peers and longer runs: elections are reached more often.
      fc.property(scenarios(4, 150), ({ peers, quorum, ops }) => {
        run(peers, quorum, ops, (before, step) => {
          for (const e of step.effects) {
            if (e.type !== "event" || e.event.name !== "+elected-leader") continue;
            const m = before.masters.get(e.event.master);
            const after = step.state.masters.get(e.event.master);
            if (m === undefined || after === undefined || after.failover?.forced === true) continue;
            // Votes in the attempt's epoch can only have been counted if a peer held them
            // before the tick; our own vote is at most one more. The majority is over the
            // known Sentinels + 1 + every unknown one those votes name.
            const named: SentinelId[] = [];
            for (const p of m.peers.values()) if (p.leader !== null && p.leaderEpoch === e.event.epoch) named.push(p.leader);
            if (after.leader !== null && after.leaderEpoch === e.event.epoch) named.push(after.leader);
            const votes = named.filter((v) => v === ME).length;
            expect(votes).toBeGreaterThanOrEqual(majority(electorate(ME, m.peers, named).voters));
            expect(votes).toBeGreaterThanOrEqual(m.quorum);
            elections++;
          }
        });
      }),
      { numRuns: 300 },
    );
    // The generated runs must actually reach elections for the check to mean anything.
    expect(elections).toBeGreaterThan(100);
  });

  it("every randomized back-off lies in [now, now + SENTINEL_MAX_DESYNC)", () => {
    let backoffs = 0;
    fc.assert(
      fc.property(scenario, ({ peers, quorum, ops }) => {
        run(peers, quorum, ops, (before, step, now) => {
          for (const m of step.state.masters.values()) {
            const old = before.masters.get(m.name)?.failoverStartTime ?? null;
            if (m.failoverStartTime === old) continue;
            expect(m.failoverStartTime).not.toBeNull();
            expect(m.failoverStartTime ?? -1).toBeGreaterThanOrEqual(now);
            expect(m.failoverStartTime ?? Infinity).toBeLessThan(now + MAX_DESYNC);
            backoffs++;
          }
        });
      }),
      { numRuns: 300 },
    );
    expect(backoffs).toBeGreaterThan(100);
  });

  it("the tally never elects with fewer than a majority or the quorum, and always elects when both are held", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 9 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 9 }),
        (raw, extraVoters, quorum) => {
          const votes = raw.map(id);
          const voters = votes.length + extraVoters;
          if (voters === 0) return;
          const { winner } = electionWinner(votes, voters, quorum);
          const counts = countVotes(votes);
          const qualified = [...counts].filter(([, n]) => n >= majority(voters) && n >= quorum).map(([c]) => c);
          expect(qualified.length).toBeLessThanOrEqual(1);
          expect(winner).toBe(qualified[0] ?? null);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
