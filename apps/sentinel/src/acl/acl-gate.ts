/**
 * The two places a server consults ACLs, in one object: logging in (AUTH, HELLO AUTH) and
 * the permission check before a command runs, each writing the ACL LOG entry Redis writes
 * on failure and answering Redis's error texts. What the RESP server and the dispatcher call.
 *
 * @module
 */
import { resp, type RespValue } from "@sentinel-kit/resp-protocol";
import type { AclLog } from "./acl-log.js";
import { checkPermission, noPermissionError, resolveCommand } from "./permissions.js";
import type { AclUsers } from "./users.js";

/** `-WRONGPASS`, as AUTH and HELLO AUTH reply on any failed login. */
export const WRONGPASS_ERROR = "WRONGPASS invalid username-password pair or user is disabled.";

/** AUTH with only a password while the default user is `nopass`. */
export const AUTH_WITHOUT_PASSWORD_ERROR =
  "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?";

/** Users and log together, for the server's hooks. */
export class AclGate {
  /** The user table. */
  readonly users: AclUsers;
  /** The security log. */
  readonly log: AclLog;

  /**
   * @param users - The user table.
   * @param log - The log failures go to.
   */
  constructor(users: AclUsers, log: AclLog) {
    this.users = users;
    this.log = log;
  }

  /**
   * `AUTH <password>`: whether it may be tried at all. Redis refuses it while the default
   * user is `nopass`, with {@link AUTH_WITHOUT_PASSWORD_ERROR}.
   */
  passwordOnlyAuthAllowed(): boolean {
    return !this.users.defaultUser.nopass;
  }

  /**
   * Checks a login and logs a failure (`ACLAuthenticateUser`).
   *
   * @param commandName - The command as sent, e.g. `AUTH` or `hello` (the log's `object`).
   * @param user - The user tried (`default` for `AUTH <password>`).
   * @param clientInfo - The client's CLIENT INFO line, computed only on failure.
   * @returns true if the client is now authenticated as `user`.
   */
  login(commandName: string, user: string, password: string, now: number, clientInfo: () => string): boolean {
    if (this.users.authenticate(user, password)) return true;
    this.log.add({ reason: "auth", object: commandName, username: user, clientInfo: clientInfo() }, now);
    return false;
  }

  /**
   * The check before a command runs, after the unknown-command, arity and NOAUTH checks.
   *
   * @param user - The client's user name.
   * @param argv - The whole command, name first.
   * @param clientInfo - The client's CLIENT INFO line, computed only on denial.
   * @returns undefined to run the command, or the `-NOPERM` reply (the denial is logged).
   */
  authorize(user: string, argv: readonly string[], now: number, clientInfo: () => string): RespValue | undefined {
    const command = resolveCommand(this.users.ctx.index, argv);
    if (command === undefined) return undefined;
    // A client whose user was deleted is being closed; judge it as Redis does, as default.
    const subject = this.users.get(user) ?? this.users.defaultUser;
    const denial = checkPermission(subject, command, argv);
    if (denial === undefined) return undefined;
    this.log.add({ reason: denial.reason, object: denial.object, username: subject.name, clientInfo: clientInfo() }, now);
    return resp.error(noPermissionError(denial));
  }
}
