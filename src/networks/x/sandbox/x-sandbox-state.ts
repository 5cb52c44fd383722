import { createHash, randomBytes } from 'node:crypto';

/** An OAuth client registered with the sandbox, as a developer registers an app with X. */
export interface XSandboxClient {
  clientId: string;
  clientSecret: string;
  /** Shown on the consent page; defaults to the client id. */
  name?: string;
  /** When given, authorisation requests must use one of these exactly, as X requires. */
  redirectUris?: readonly string[];
}

/** A sandbox account. */
export interface SandboxUser {
  readonly id: string;
  username: string;
  name: string;
  followersCount: number;
  followingCount: number;
  listedCount: number;
  readonly createdAt: Date;
}

/** A post as the sandbox stored it. */
export interface SandboxTweet {
  readonly id: string;
  /** The text as the client sent it. */
  readonly submittedText: string;
  /** The text as X shows it, links replaced by t.co links. */
  readonly text: string;
  readonly authorId: string;
  readonly createdAt: Date;
}

/** A repost of a post by a user. */
export interface SandboxRetweet {
  readonly userId: string;
  readonly tweetId: string;
  readonly createdAt: Date;
}

/** What an authorisation code was bound to when the user approved. */
export interface AuthorizationGrant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly scopes: readonly string[];
  readonly userId: string;
}

/** What a valid access token lets its bearer do. */
export interface AccessGrant {
  readonly clientId: string;
  readonly userId: string;
  readonly scopes: readonly string[];
}

/** A token response body's contents. */
export interface IssuedTokens {
  accessToken: string;
  refreshToken: string | undefined;
  expiresInSeconds: number;
  scopes: readonly string[];
}

interface StoredCode extends AuthorizationGrant {
  expiresAtMs: number;
}

interface StoredAccessToken extends AccessGrant {
  expiresAtMs: number;
}

interface StoredRefreshToken extends AccessGrant {
  /** The access token issued alongside, which dies when this refresh token is used. */
  accessToken: string;
}

/** RFC 6749 recommends at most 10 minutes. */
const authorizationCodeLifetimeMs = 10 * 60 * 1000;

/** X's snowflake epoch (2010-11-04), so sandbox ids look and sort like X's. */
const snowflakeEpochMs = 1288834974657n;

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Everything the sandbox remembers, in memory. The HTTP layer decides what is an error
 * and how X words it; this class only keeps the records consistent.
 */
export class XSandboxState {
  private readonly clients: ReadonlyMap<string, XSandboxClient>;
  private readonly usersById = new Map<string, SandboxUser>();
  private readonly usersByUsername = new Map<string, SandboxUser>();
  private readonly codes = new Map<string, StoredCode>();
  private readonly accessTokens = new Map<string, StoredAccessToken>();
  private readonly refreshTokens = new Map<string, StoredRefreshToken>();
  private readonly tweets: SandboxTweet[] = [];
  private readonly tweetsByAuthor = new Map<string, SandboxTweet[]>();
  private readonly textsByAuthor = new Map<string, Set<string>>();
  private readonly retweets: SandboxRetweet[] = [];
  private lastTweetId = 0n;

  private readonly accessTokenTtlSeconds: number;
  private readonly now: () => number;

  constructor(clients: readonly XSandboxClient[], accessTokenTtlSeconds: number, now: () => number) {
    this.accessTokenTtlSeconds = accessTokenTtlSeconds;
    this.now = now;
    this.clients = new Map(clients.map((client) => [client.clientId, client]));
  }

  /** The registered client with this id. */
  client(clientId: string): XSandboxClient | undefined {
    return this.clients.get(clientId);
  }

  /** Creates the account on first approval; a returning user's follower count follows the form, and their name `name` when given. */
  upsertUser(username: string, followersCount: number, name?: string): SandboxUser {
    const existing = this.userByUsername(username);
    if (existing !== undefined) {
      existing.followersCount = followersCount;
      if (name !== undefined) existing.name = name;
      return existing;
    }
    const user: SandboxUser = {
      id: this.newUserId(username),
      username,
      name: name ?? username,
      followersCount,
      followingCount: 0,
      listedCount: 0,
      createdAt: new Date(this.now()),
    };
    this.usersById.set(user.id, user);
    this.usersByUsername.set(username.toLowerCase(), user);
    return user;
  }

  /** The account with this id. */
  userById(id: string): SandboxUser | undefined {
    return this.usersById.get(id);
  }

  /** The account with this username; X usernames are case-insensitive. */
  userByUsername(username: string): SandboxUser | undefined {
    return this.usersByUsername.get(username.toLowerCase());
  }

  /** A new single-use authorisation code for an approved request. */
  issueCode(grant: AuthorizationGrant): string {
    const code = randomToken();
    this.codes.set(code, { ...grant, expiresAtMs: this.now() + authorizationCodeLifetimeMs });
    return code;
  }

  /** Uses up the code: any redemption attempt, good or bad, leaves it unusable. */
  redeemCode(code: string): AuthorizationGrant | undefined {
    const stored = this.codes.get(code);
    this.codes.delete(code);
    if (stored === undefined || stored.expiresAtMs <= this.now()) return undefined;
    return stored;
  }

  /** Issues an access token, with a refresh token when offline.access was granted. */
  issueTokens(grant: AccessGrant, ttlSeconds: number = this.accessTokenTtlSeconds): IssuedTokens {
    const accessToken = randomToken();
    this.accessTokens.set(accessToken, {
      clientId: grant.clientId,
      userId: grant.userId,
      scopes: grant.scopes,
      expiresAtMs: this.now() + ttlSeconds * 1000,
    });
    let refreshToken: string | undefined;
    if (grant.scopes.includes('offline.access')) {
      refreshToken = randomToken();
      this.refreshTokens.set(refreshToken, { ...grant, accessToken });
    }
    return { accessToken, refreshToken, expiresInSeconds: ttlSeconds, scopes: grant.scopes };
  }

  /**
   * Exchanges a refresh token for a new pair. The old refresh token and the access token
   * issued with it stop working, as on X; a token of another client is refused untouched.
   */
  rotateRefreshToken(refreshToken: string, clientId: string): IssuedTokens | undefined {
    const stored = this.refreshTokens.get(refreshToken);
    if (stored?.clientId !== clientId) return undefined;
    this.refreshTokens.delete(refreshToken);
    this.accessTokens.delete(stored.accessToken);
    return this.issueTokens({ clientId: stored.clientId, userId: stored.userId, scopes: stored.scopes });
  }

  /** What the bearer of this access token may do, unless it is unknown, expired or revoked. */
  accessGrant(accessToken: string): AccessGrant | undefined {
    const stored = this.accessTokens.get(accessToken);
    if (stored === undefined) return undefined;
    if (stored.expiresAtMs <= this.now()) {
      this.accessTokens.delete(accessToken);
      return undefined;
    }
    return stored;
  }

  /** Revokes one access or refresh token of this client; a refresh token takes its access token along. */
  revokeToken(token: string, clientId: string): void {
    const access = this.accessTokens.get(token);
    if (access?.clientId === clientId) this.accessTokens.delete(token);
    const refresh = this.refreshTokens.get(token);
    if (refresh?.clientId === clientId) {
      this.refreshTokens.delete(token);
      this.accessTokens.delete(refresh.accessToken);
    }
  }

  /** Revokes every token the user holds, with any client; returns how many went. */
  revokeUser(userId: string): number {
    let revoked = 0;
    // A full scan is fine: this is a test hook, called rarely.
    for (const tokens of [this.accessTokens, this.refreshTokens]) {
      for (const [token, grant] of tokens) {
        if (grant.userId === userId) {
          tokens.delete(token);
          revoked += 1;
        }
      }
    }
    return revoked;
  }

  /** Whether the author already posted exactly this text. */
  hasPosted(authorId: string, submittedText: string): boolean {
    return this.textsByAuthor.get(authorId)?.has(submittedText) ?? false;
  }

  /** Stores a new post and gives it a snowflake id. */
  recordTweet(authorId: string, submittedText: string, text: string): SandboxTweet {
    const tweet: SandboxTweet = {
      id: this.newTweetId(),
      submittedText,
      text,
      authorId,
      createdAt: new Date(this.now()),
    };
    this.tweets.push(tweet);
    let authored = this.tweetsByAuthor.get(authorId);
    if (authored === undefined) {
      authored = [];
      this.tweetsByAuthor.set(authorId, authored);
    }
    authored.push(tweet);
    let texts = this.textsByAuthor.get(authorId);
    if (texts === undefined) {
      texts = new Set();
      this.textsByAuthor.set(authorId, texts);
    }
    texts.add(submittedText);
    return tweet;
  }

  /** The author's posts, oldest first. */
  tweetsBy(authorId: string): readonly SandboxTweet[] {
    return this.tweetsByAuthor.get(authorId) ?? [];
  }

  /** Every post, in arrival order. */
  allTweets(): readonly SandboxTweet[] {
    return this.tweets;
  }

  /** The post with this id. */
  tweetById(id: string): SandboxTweet | undefined {
    return this.tweets.find((tweet) => tweet.id === id);
  }

  /** Records a repost; reposting the same post again changes nothing, as on X. */
  recordRetweet(userId: string, tweetId: string): void {
    if (this.retweets.some((retweet) => retweet.userId === userId && retweet.tweetId === tweetId)) return;
    this.retweets.push({ userId, tweetId, createdAt: new Date(this.now()) });
  }

  /** Every repost, in arrival order. */
  allRetweets(): readonly SandboxRetweet[] {
    return this.retweets;
  }

  /** Derived from the username so that a restarted sandbox gives a returning user the same id. */
  private newUserId(username: string): string {
    const digest = createHash('sha256').update(username.toLowerCase()).digest();
    // 15 to 19 digits, like X's newer account ids.
    let id = (digest.readBigUInt64BE(0) % 9_000_000_000_000_000_000n) + 100_000_000_000_000n;
    while (this.usersById.has(id.toString())) id += 1n;
    return id.toString();
  }

  private newTweetId(): string {
    const fromClock = (BigInt(this.now()) - snowflakeEpochMs) << 22n;
    this.lastTweetId = fromClock > this.lastTweetId ? fromClock : this.lastTweetId + 1n;
    return this.lastTweetId.toString();
  }
}
