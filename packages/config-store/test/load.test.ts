// Loading checks against sentinel.c sentinelHandleConfiguration / loadSentinelConfigFromQueue
// and config.c loadServerConfigFromString (SPEC §2.1); the reasons are the texts Redis 7.0.15
// prints (each was checked by starting Debian's redis-sentinel on the same line).
import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_SERVER_CONFIG, loadConfig, MASTER_DEFAULTS } from "../src/index.js";

const ID = "0123456789abcdef0123456789abcdef01234567";

function errorOf(text: string, options: Parameters<typeof loadConfig>[1] = {}): ConfigError {
  try {
    loadConfig(text, options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig: model and defaults", () => {
  it("reads every sentinel directive of SPEC §2.1", () => {
    const { config } = loadConfig(
      [
        "# comment",
        "",
        "port 26380",
        `sentinel myid ${ID}`,
        "SENTINEL monitor mymaster 10.0.0.1 6379 2",
        "sentinel down-after-milliseconds mymaster 5000",
        "sentinel failover-timeout mymaster 60000",
        "sentinel parallel-syncs mymaster 3",
        "sentinel notification-script mymaster /bin/notify",
        "sentinel client-reconfig-script mymaster /bin/reconf",
        'sentinel auth-pass mymaster "p w"',
        "sentinel auth-user mymaster alice",
        "sentinel master-reboot-down-after-period mymaster 1000",
        "sentinel config-epoch mymaster 7",
        "sentinel leader-epoch mymaster 8",
        "sentinel known-replica mymaster 10.0.0.2 6379",
        "sentinel known-slave mymaster 10.0.0.3 6379",
        `sentinel known-sentinel mymaster 10.0.0.9 26379 ${"a".repeat(40)}`,
        "sentinel known-sentinel mymaster 10.0.0.8 26379",
        "sentinel rename-command mymaster CONFIG MYCONFIG",
        "sentinel current-epoch 5",
        "sentinel announce-ip 10.1.1.1",
        "sentinel announce-port 26999",
        "sentinel deny-scripts-reconfig no",
        "sentinel sentinel-user su",
        "sentinel sentinel-pass sp",
        "sentinel resolve-hostnames no",
        "sentinel announce-hostnames yes",
      ].join("\n"),
    );
    expect(config).toEqual({
      myid: ID,
      currentEpoch: 7, // config-epoch 7 raises current-epoch 5 to 7
      announceIp: "10.1.1.1",
      announcePort: 26999,
      denyScriptsReconfig: false,
      resolveHostnames: false,
      announceHostnames: true,
      sentinelUser: "su",
      sentinelPass: "sp",
      server: { ...DEFAULT_SERVER_CONFIG, port: 26380 },
      masters: [
        {
          name: "mymaster",
          host: "10.0.0.1",
          port: 6379,
          quorum: 2,
          downAfterMilliseconds: 5000,
          failoverTimeout: 60000,
          parallelSyncs: 3,
          masterRebootDownAfterPeriod: 1000,
          notificationScript: "/bin/notify",
          clientReconfigScript: "/bin/reconf",
          authPass: "p w",
          authUser: "alice",
          configEpoch: 7,
          leaderEpoch: 8,
          knownReplicas: [
            { host: "10.0.0.2", port: 6379 },
            { host: "10.0.0.3", port: 6379 },
          ],
          // The old form without a run id is ignored, as in Redis.
          knownSentinels: [{ host: "10.0.0.9", port: 26379, runId: "a".repeat(40) }],
          renamedCommands: [{ command: "CONFIG", renamed: "MYCONFIG" }],
        },
      ],
    });
  });

  it("uses Redis's defaults for an empty file", () => {
    const { config } = loadConfig("sentinel monitor m 127.0.0.1 6379 1\n");
    expect(config.server).toEqual(DEFAULT_SERVER_CONFIG);
    expect(config.server.port).toBe(26379);
    expect(config.server.protectedMode).toBe(false);
    expect(config.denyScriptsReconfig).toBe(true);
    expect(config.masters[0]).toMatchObject(MASTER_DEFAULTS);
    expect(MASTER_DEFAULTS).toEqual({
      downAfterMilliseconds: 30000,
      failoverTimeout: 180000,
      parallelSyncs: 1,
      masterRebootDownAfterPeriod: 0,
    });
  });

  it("applies sentinel lines in three passes, so order does not matter", () => {
    const { config } = loadConfig(
      [
        "sentinel known-replica m h1.example 6380",
        "sentinel config-epoch m 3",
        "sentinel monitor m h0.example 6379 2",
        "sentinel resolve-hostnames yes",
      ].join("\n"),
    );
    expect(config.resolveHostnames).toBe(true);
    expect(config.masters[0]?.configEpoch).toBe(3);
    expect(config.masters[0]?.knownReplicas).toEqual([{ host: "h1.example", port: 6380 }]);
  });

  it("reads typed server directives", () => {
    const { config } = loadConfig(
      [
        "bind 127.0.0.1 ::1",
        "Protected-Mode YES",
        "daemonize yes",
        'pidfile "/run/s.pid"',
        "logfile /var/log/s.log",
        "loglevel warning",
        "dir /tmp",
        "requirepass secret",
        "user default on nopass ~* &* +@all",
        "aclfile /etc/acl",
        "bind-source-addr 10.0.0.5",
        "syslog-enabled yes",
        "tls-port 26380",
        "tls-cert-file c.crt",
        "tls-key-file c.key",
        "tls-ca-cert-file ca.crt",
        "tls-ca-cert-dir /etc/ca",
        "tls-auth-clients optional",
        "tls-replication yes",
        "maxclients 100",
      ].join("\n"),
    );
    expect(config.server).toMatchObject({
      bind: ["127.0.0.1", "::1"],
      protectedMode: true,
      daemonize: true,
      pidfile: "/run/s.pid",
      logfile: "/var/log/s.log",
      loglevel: "warning",
      dir: "/tmp",
      requirepass: "secret",
      users: [["default", "on", "nopass", "~*", "&*", "+@all"]],
      aclfile: "/etc/acl",
      bindSourceAddr: "10.0.0.5",
      syslogEnabled: true,
      tlsPort: 26380,
      tlsCertFile: "c.crt",
      tlsKeyFile: "c.key",
      tlsCaCertFile: "ca.crt",
      tlsCaCertDir: "/etc/ca",
      tlsAuthClients: "optional",
      tlsReplication: true,
    });
  });

  it("reads include files through the injected reader, with errors naming the included file", () => {
    const files: Record<string, string> = {
      "/etc/secrets.conf": "sentinel auth-pass m s3cret\n",
      "/etc/bad.conf": "\n\nsentinel bogus\n",
    };
    const readInclude = (path: string): string => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(path), { code: "ENOENT" });
      return text;
    };
    const loaded = loadConfig("include /etc/secrets.conf\nsentinel monitor m 127.0.0.1 6379 1\n", { readInclude });
    expect(loaded.config.masters[0]?.authPass).toBe("s3cret");
    expect(loaded.includes.map((d) => d.file)).toEqual(["/etc/secrets.conf"]);

    const bad = errorOf("sentinel monitor m 127.0.0.1 6379 1\ninclude /etc/bad.conf\n", { readInclude });
    expect(bad).toMatchObject({ file: "/etc/bad.conf", line: 3, text: "sentinel bogus" });

    const missing = errorOf("include /nope.conf", { readInclude });
    expect(missing.reason).toBe("can't open config file '/nope.conf': No such file or directory");
  });
});

describe("loadConfig: errors (FATAL CONFIG FILE ERROR)", () => {
  it("names the file, the line number, the line and the reason, in Redis's block", () => {
    const error = errorOf("# c\nsentinel monitor m 127.0.0.1 6379 1\n  sentinel   bogus x  \n", { file: "/etc/s.conf" });
    expect(error.name).toBe("ConfigError");
    expect({ ...error, message: error.message }).toMatchObject({
      file: "/etc/s.conf",
      line: 3,
      text: "sentinel   bogus x",
      reason: "Unrecognized sentinel configuration statement.",
    });
    expect(error.message).toBe(
      "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n" +
        "Reading the configuration file /etc/s.conf, at line 3\n" +
        ">>> 'sentinel   bogus x'\n" +
        "Unrecognized sentinel configuration statement.",
    );
  });

  it.each([
    ["unknown sentinel statement", "sentinel bogus x", 1, "Unrecognized sentinel configuration statement."],
    ["monitor with a missing argument", "sentinel monitor m 127.0.0.1 6379", 1, "Unrecognized sentinel configuration statement."],
    ["duplicate master name", "sentinel monitor m 127.0.0.1 6379 1\nsentinel monitor m 127.0.0.1 6380 1", 2, "Duplicate master name."],
    ["quorum 0", "sentinel monitor m 127.0.0.1 6379 0", 1, "Quorum must be 1 or greater."],
    ["quorum not a number", "sentinel monitor m 127.0.0.1 6379 abc", 1, "Quorum must be 1 or greater."],
    ["port above 65535", "sentinel monitor m 127.0.0.1 70000 2", 1, "Invalid port number."],
    ["negative port", "sentinel monitor m 127.0.0.1 -1 2", 1, "Invalid port number."],
    ["replica port", "sentinel monitor m 127.0.0.1 1 2\nsentinel known-replica m 10.0.0.1 65536", 2, "Invalid port number."],
    ["hostname without resolve-hostnames", "sentinel monitor m host.example 6379 2", 1, "Can't resolve instance hostname."],
    ["myid too short", "sentinel myid abc", 1, "Malformed Sentinel id in myid option."],
    ["myid not hex", `sentinel myid ${"z".repeat(40)}`, 1, "Malformed Sentinel id in myid option."],
    ["unknown master", "sentinel down-after-milliseconds x 100", 1, "No such master with specified name."],
    ["zero down-after", "sentinel monitor m 127.0.0.1 1 1\nsentinel down-after-milliseconds m 0", 2, "negative or zero time parameter."],
    ["negative reboot period", "sentinel master-reboot-down-after-period m -1\nsentinel monitor m 127.0.0.1 1 1", 1, "negative time parameter."],
    ["deny-scripts-reconfig maybe", "sentinel deny-scripts-reconfig maybe", 1, "Please specify yes or no for the deny-scripts-reconfig options."],
    ["resolve-hostnames maybe", "sentinel resolve-hostnames maybe", 1, "Please specify yes or no for the resolve-hostnames option."],
    ["duplicate replica", "sentinel monitor m 127.0.0.1 1 1\nsentinel known-replica m 10.0.0.1 1\nsentinel known-slave m 10.0.0.1 1", 3, "Duplicate hostname and port for replica."],
    ["duplicate sentinel", `sentinel monitor m 127.0.0.1 1 1\nsentinel known-sentinel m 10.0.0.1 1 ${ID}\nsentinel known-sentinel m 10.0.0.2 1 ${ID}`, 3, "Duplicate runid for sentinel."],
    ["command renamed twice", "sentinel monitor m 127.0.0.1 1 1\nsentinel rename-command m A B\nsentinel rename-command m a C", 3, "Same command renamed multiple times with rename-command."],
    ["unbalanced quotes", 'sentinel monitor m "127.0.0.1 6379 2', 1, "Unbalanced quotes in configuration line"],
    ["closing quote followed by text", 'sentinel monitor m "1.1.1.1"x 1 1', 1, "Unbalanced quotes in configuration line"],
    ["unknown directive", "bogus x", 1, "Bad directive or wrong number of arguments"],
    ["server port out of range", "port 99999", 1, "argument must be between 0 and 65535 inclusive"],
    ["server port not a number", "port abc", 1, "argument couldn't be parsed into an integer"],
    ["tls-port not a number", "tls-port 08", 1, "argument couldn't be parsed into an integer"],
    ["yes/no", "protected-mode maybe", 1, "argument must be 'yes' or 'no'"],
    ["loglevel", "loglevel foo", 1, "argument(s) must be one of the following: debug, verbose, notice, warning"],
    ["arity", "daemonize yes yes", 1, "wrong number of arguments"],
  ])("refuses %s", (_what, text, line, reason) => {
    const error = errorOf(text);
    expect(error.reason).toBe(reason);
    expect(error.line).toBe(line);
    expect(error.text).toBe(text.split("\n")[line - 1]);
  });

  it("reports server directive errors before sentinel ones, as Redis reads the file first", () => {
    expect(errorOf("sentinel bogus\nport 99999").line).toBe(2);
  });

  it("checks scripts with the injected isExecutable", () => {
    const text = "sentinel monitor m 127.0.0.1 1 1\nsentinel notification-script m /nope.sh";
    expect(errorOf(text, { isExecutable: () => false }).reason).toBe(
      "Notification script seems non existing or non executable.",
    );
    expect(loadConfig(text, { isExecutable: () => true }).config.masters[0]?.notificationScript).toBe("/nope.sh");
  });

  it("keeps master names case-sensitive, as Redis's masters table is", () => {
    const { config } = loadConfig("sentinel monitor m 127.0.0.1 1 1\nsentinel monitor M 127.0.0.1 2 1\nsentinel known-replica M 10.0.0.1 5\n");
    expect(config.masters.map((m) => [m.name, m.knownReplicas.length])).toEqual([["m", 0], ["M", 1]]);
  });

  it("accepts what Redis accepts: a bare `sentinel`, port 0, announce-ip \"\"", () => {
    const { config } = loadConfig('sentinel\nsentinel monitor m 127.0.0.1 0 1\nsentinel announce-ip ""');
    expect(config.masters[0]?.port).toBe(0);
    expect(config.announceIp).toBeUndefined();
  });
});

describe("loadConfig: epochs", () => {
  it("reads them like strtoull, but refuses negative and unsafe values Redis would wrap or round", () => {
    expect(loadConfig("sentinel current-epoch 12abc").config.currentEpoch).toBe(12);
    expect(loadConfig("sentinel current-epoch abc").config.currentEpoch).toBe(0);
    expect(errorOf("sentinel current-epoch -1").reason).toBe("Epoch out of range.");
    expect(errorOf("sentinel current-epoch 9007199254740992").reason).toBe("Epoch out of range.");
  });
});

describe("loadConfig: error order", () => {
  it("reports lines in file order, so a bad directive above an unbalanced quote comes first", () => {
    expect(errorOf('bogus 1\nport "2').reason).toBe("Bad directive or wrong number of arguments");
    expect(errorOf('port "2\nbogus 1').reason).toBe("Unbalanced quotes in configuration line");
  });
});

describe("loadConfig: directives outside Redis's config table", () => {
  it("answers a wrong arity of include and user with Redis's generic error", () => {
    expect(errorOf("include").reason).toBe("Bad directive or wrong number of arguments");
    expect(errorOf("include a b", { readInclude: () => "" }).reason).toBe("Bad directive or wrong number of arguments");
    expect(errorOf("user").reason).toBe("Bad directive or wrong number of arguments");
  });

  it("refuses include loops after a bounded depth", () => {
    expect(errorOf("include /a.conf", { readInclude: () => "include /a.conf\n" }).reason).toBe(
      "include nested more than 16 levels deep",
    );
  });
});
