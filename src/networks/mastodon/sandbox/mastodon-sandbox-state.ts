import { randomBytes } from 'node:crypto';

/** An app registered with `POST /api/v1/apps`. */
export interface SandboxMastodonApp {
  readonly id: string;
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
}

/** A sandbox account. */
export interface SandboxMastodonAccount {
  readonly id: string;
  readonly username: string;
  followers: number;
}

/** A status as the sandbox stored it. */
export interface SandboxStatus {
  readonly id: string;
  readonly accountId: string;
  readonly text: string;
  readonly visibility: string;
  readonly idempotencyKey: string | undefined;
  readonly createdAt: Date;
}

interface Grant {
  readonly clientId: string;
  readonly accountId: string;
  readonly scopes: readonly string[];
}

interface Code extends Grant {
  readonly redirectUri: string;
  readonly codeChallenge: string | undefined;
  readonly expiresAtMs: number;
}

const codeLifetimeMs = 10 * 60 * 1000;
// Mastodon keeps an Idempotency-Key for an hour.
const idempotencyLifetimeMs = 60 * 60 * 1000;

const token = () => randomBytes(32).toString('base64url');

/** Everything the sandbox instance remembers, in memory. */
export class MastodonSandboxState {
  private readonly apps = new Map<string, SandboxMastodonApp>();
  private readonly accounts = new Map<string, SandboxMastodonAccount>();
  private readonly codes = new Map<string, Code>();
  private readonly tokens = new Map<string, Grant>();
  private readonly statuses: SandboxStatus[] = [];
  private readonly byIdempotencyKey = new Map<string, { status: SandboxStatus; atMs: number }>();
  private lastId = 0;
  /** Statuses still to be stored with their answer lost (a 503), to test retries. */
  answersToLose = 0;

  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  private nextId(): string {
    this.lastId += 1;
    return String(109_000_000_000_000_000n + BigInt(this.lastId));
  }

  registerApp(name: string, redirectUris: readonly string[], scopes: readonly string[]): SandboxMastodonApp {
    const app = { id: this.nextId(), name, clientId: token(), clientSecret: token(), redirectUris, scopes };
    this.apps.set(app.clientId, app);
    return app;
  }

  app(clientId: string): SandboxMastodonApp | undefined {
    return this.apps.get(clientId);
  }

  appCount(): number {
    return this.apps.size;
  }

  /** Creates the account on first approval; a returning user's follower count follows the form. */
  upsertAccount(username: string, followers: number): SandboxMastodonAccount {
    const existing = [...this.accounts.values()].find((account) => account.username.toLowerCase() === username.toLowerCase());
    if (existing !== undefined) {
      existing.followers = followers;
      return existing;
    }
    const account = { id: this.nextId(), username, followers };
    this.accounts.set(account.id, account);
    return account;
  }

  account(id: string): SandboxMastodonAccount | undefined {
    return this.accounts.get(id);
  }

  issueCode(code: Omit<Code, 'expiresAtMs'>): string {
    const value = token();
    this.codes.set(value, { ...code, expiresAtMs: this.now() + codeLifetimeMs });
    return value;
  }

  /** A code can be redeemed once. */
  redeemCode(value: string): Code | undefined {
    const code = this.codes.get(value);
    this.codes.delete(value);
    return code !== undefined && code.expiresAtMs > this.now() ? code : undefined;
  }

  issueToken(grant: Grant): string {
    const value = token();
    this.tokens.set(value, grant);
    return value;
  }

  grant(accessToken: string): Grant | undefined {
    return this.tokens.get(accessToken);
  }

  /** Revokes every token of an account (a test hook: the supporter took their access back). */
  revokeAccount(accountId: string): number {
    let revoked = 0;
    for (const [value, grant] of this.tokens) {
      if (grant.accountId === accountId) {
        this.tokens.delete(value);
        revoked += 1;
      }
    }
    return revoked;
  }

  /** The status an earlier request with this key made, if the key is still remembered. */
  statusForKey(accountId: string, key: string): SandboxStatus | undefined {
    const found = this.byIdempotencyKey.get(`${accountId} ${key}`);
    return found !== undefined && found.atMs + idempotencyLifetimeMs > this.now() ? found.status : undefined;
  }

  recordStatus(accountId: string, text: string, visibility: string, idempotencyKey: string | undefined): SandboxStatus {
    const status = { id: this.nextId(), accountId, text, visibility, idempotencyKey, createdAt: new Date(this.now()) };
    this.statuses.push(status);
    if (idempotencyKey !== undefined) this.byIdempotencyKey.set(`${accountId} ${idempotencyKey}`, { status, atMs: this.now() });
    return status;
  }

  allStatuses(): readonly SandboxStatus[] {
    return this.statuses;
  }

  statusCount(accountId: string): number {
    return this.statuses.filter((status) => status.accountId === accountId).length;
  }
}
