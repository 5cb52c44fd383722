import { submitConsent } from '../networks/x/x-sandbox-consent-driver.ts';
import { Browser } from './browser.ts';

export interface PledgeAnswer {
  readonly status: number;
  readonly body: { id?: string; manageToken?: string; text?: string; reach?: number; message?: string; [key: string]: unknown };
}

/**
 * A supporter pledging as a person does: opens the connect link, is sent to the consent page,
 * approves (or declines) as `username`, and comes back to Chorus's callback.
 */
export async function pledgeThroughConsent(
  chorusUrl: string,
  slug: string,
  supporter: { username: string; followers: number; variant?: number; decision?: 'approve' | 'deny' },
): Promise<PledgeAnswer> {
  const browser = new Browser();
  const query = supporter.variant === undefined ? '' : `?variant=${supporter.variant}`;
  const connect = await browser.request(`${chorusUrl}/api/v1/public/campaigns/${slug}/connect/x${query}`);
  if (connect.status !== 302) throw new Error(`connect answered ${connect.status}: ${await connect.text()}`);
  const consentUrl = connect.headers.get('location') ?? '';
  const callback = await submitConsent(consentUrl, {
    username: supporter.username,
    followers: String(supporter.followers),
    decision: supporter.decision ?? 'approve',
  });
  return browser.json(callback);
}
