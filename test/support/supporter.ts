import type { NetworkId } from '../../src/networks/network-id.ts';
import { submitConsent } from '../networks/x/x-sandbox-consent-driver.ts';
import { Browser } from './browser.ts';

export interface PledgeAnswer {
  readonly status: number;
  readonly headers?: Headers;
  readonly body: {
    id?: string;
    manageToken?: string;
    text?: string;
    reach?: number;
    message?: string;
    warnings?: { kind: string; reauthoriseUrl: string }[];
    [key: string]: unknown;
  };
}

/**
 * A supporter pledging as a person does: opens the connect link, is sent to the consent page,
 * approves (or declines) as `username`, and comes back to Chorus's callback. Every sandbox's
 * consent page has the same form.
 */
export async function pledgeThroughConsent(
  chorusUrl: string,
  slug: string,
  supporter: {
    username: string;
    followers: number;
    variant?: number;
    decision?: 'approve' | 'deny';
    network?: NetworkId;
    instance?: string;
    /** Ask to be named on the campaign's public page (the API's `showName`; unnamed unless asked). */
    showName?: boolean;
  },
): Promise<PledgeAnswer> {
  const browser = new Browser();
  const query = new URLSearchParams();
  if (supporter.variant !== undefined) query.set('variant', String(supporter.variant));
  if (supporter.instance !== undefined) query.set('instance', supporter.instance);
  if (supporter.showName !== undefined) query.set('showName', String(supporter.showName));
  const search = query.size === 0 ? '' : `?${query.toString()}`;
  const connect = await browser.request(`${chorusUrl}/api/v1/public/campaigns/${slug}/connect/${supporter.network ?? 'x'}${search}`);
  if (connect.status !== 302) throw new Error(`connect answered ${connect.status}: ${await connect.text()}`);
  const consentUrl = connect.headers.get('location') ?? '';
  const callback = await submitConsent(consentUrl, {
    username: supporter.username,
    followers: String(supporter.followers),
    decision: supporter.decision ?? 'approve',
  });
  return browser.json(callback);
}
