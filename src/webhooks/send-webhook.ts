import type { WebhookAttemptResult } from '../domain/webhook-attempt.ts';
import type { OutboundGuard } from '../outbound/outbound-guard.ts';
import { notReachableFromChorus, outboundRefusalIn } from '../outbound/outbound-refusal.ts';
import type { WebhookHeaders } from './webhook-signature.ts';

/** The most of an endpoint's answer the delivery log keeps, in characters. */
export const RESPONSE_EXCERPT_CHARACTERS = 500;

// Bytes read of an answer's body at most: enough for the excerpt in any UTF-8; the rest is never read.
const EXCERPT_BYTES = RESPONSE_EXCERPT_CHARACTERS * 4;

// Control characters other than tab and line breaks (Postgres refuses NUL in text, and the others mean nothing in a
// log), and what the stored-text rule refuses besides.
const unstorable = /(?![\t\n\r])[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}\uFEFF]/gu;

/** One request to an endpoint: where, its signed headers, and the JSON body they sign. */
export interface WebhookRequest {
  readonly url: string;
  readonly headers: WebhookHeaders;
  readonly body: string;
}

/**
 * Posts one webhook through the outbound guard: no redirect is followed (a 3xx is a rejection), the answer must come
 * within `timeoutMs`, and only the first characters of its body are read, for the delivery log.
 */
export async function sendWebhook(guard: OutboundGuard, request: WebhookRequest, timeoutMs: number): Promise<WebhookAttemptResult> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await guard.fetch(request.url, {
      method: 'POST',
      headers: { ...request.headers, 'content-type': 'application/json', 'user-agent': 'Chorus-Webhooks/1' },
      body: request.body,
      redirect: 'manual',
      signal,
    });
    const excerpt = await readExcerpt(response);
    return response.status >= 200 && response.status < 300
      ? { kind: 'accepted', status: response.status, excerpt }
      : { kind: 'rejected', status: response.status, excerpt };
  } catch (error) {
    if (outboundRefusalIn(error) !== undefined) return { kind: 'refused', reason: notReachableFromChorus };
    if (signal.aborted) return { kind: 'unreachable', reason: `no answer within ${timeoutMs / 1000} s` };
    return { kind: 'unreachable', reason: connectionProblem(error) };
  }
}

/** The start of an answer's body as text, without reading the rest. */
async function readExcerpt(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks).subarray(0, EXCERPT_BYTES));
  // Cut by code points, never inside a surrogate pair; a character cut at the byte limit decodes as U+FFFD, dropped.
  const codePoints = Array.from(text.replace(unstorable, ''));
  return codePoints
    .slice(0, RESPONSE_EXCERPT_CHARACTERS)
    .join('')
    .replace(/\uFFFD$/, '');
}

/** Why a request got no answer, as the delivery log says it: the system's code where there is one. */
function connectionProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return `connection failed (${cause.code})`;
  if (typeof cause?.message === 'string') return `connection failed: ${cause.message.slice(0, 200)}`;
  return 'connection failed';
}
