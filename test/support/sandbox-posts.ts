/** A post as the sandbox X server recorded it. */
export interface SandboxPost {
  readonly id: string;
  readonly text: string;
  readonly authorId: string;
  readonly username: string;
  readonly createdAt: string;
}

/** Every post the sandbox X server received, in arrival order. */
export async function sandboxPosts(sandboxUrl: string): Promise<SandboxPost[]> {
  const response = await fetch(new URL('__sandbox/tweets', sandboxUrl));
  const body = (await response.json()) as { tweets: SandboxPost[] };
  return body.tweets;
}
