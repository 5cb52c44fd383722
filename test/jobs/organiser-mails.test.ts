import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSandbox, type RunningMailSandbox, type SandboxMail } from '../../src/mail/sandbox/mail-sandbox-server.ts';
import type { Campaign, Db } from '../../src/storage/database.ts';
import { insertCollectingCampaign, mintSupporters, seedPledges } from '../support/seed-pledges.ts';
import { startTestChorus, type TestChorus } from '../support/test-chorus.ts';
import { waitFor } from '../support/wait-for.ts';

const dayMs = 24 * 60 * 60 * 1000;

describe("organisers' mails, received over SMTP by the sandbox mail server", () => {
  let mail: RunningMailSandbox;
  let chorus: TestChorus;
  let db: Db;
  let minted = 0;

  beforeAll(async () => {
    mail = await startMailSandbox();
    chorus = await startTestChorus({
      listen: false,
      env: { SMTP_URL: mail.smtpUrl, MAIL_FROM: 'Chorus <chorus@example.org>', MAIL_SWEEP_SECONDS: '1', MAIL_RETRY_DELAY_SECONDS: '1' },
    });
    db = chorus.ctx.db;
    await chorus.startWorkers();
  });
  afterAll(async () => {
    await chorus.close();
    await mail.close();
  });

  async function organiserOf(campaign: Campaign) {
    return db.selectFrom('organisers').selectAll().where('id', '=', campaign.organiser_id).executeTakeFirstOrThrow();
  }

  function mailsTo(address: string): SandboxMail[] {
    return mail.mails().filter((m) => m.to.includes(address));
  }

  async function pledgeTo(campaign: Campaign, count: number) {
    const names = Array.from({ length: count }, () => `m${campaign.id.slice(0, 6)}${(minted += 1)}`);
    await seedPledges(db, chorus.ctx.cipher, campaign, await mintSupporters(chorus.sandbox.url, chorus.config.X_CLIENT_ID ?? '', names));
  }

  it('tells the organiser when the goal is reached, once, with the facts and a link to the dashboard at PUBLIC_URL', async () => {
    const campaign = await insertCollectingCampaign(db, new Date(Date.now() + 3 * dayMs), 2);
    const organiser = await organiserOf(campaign);
    await pledgeTo(campaign, 1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mailsTo(organiser.email)).toEqual([]);

    await pledgeTo(campaign, 2);
    const [received] = await waitFor(
      async () => mailsTo(organiser.email),
      (mails) => mails.length > 0,
    );
    expect(received?.subject).toBe(`Goal reached: ${campaign.title}`);
    expect(received?.from).toContain('<chorus@example.org>');
    // The sweep may look between the second and third pledge.
    expect(received?.text).toMatch(/"Our Health Heroes" has reached its goal: [23] supporters pledged, the goal was 2/);
    expect(received?.text).toContain(`${chorus.config.PUBLIC_URL}/organiser/campaigns/${campaign.id}`);
    expect(received?.html).toContain(`href="${chorus.config.PUBLIC_URL}/organiser/campaigns/${campaign.id}"`);
    expect(received?.html).not.toMatch(/<img/i);
    const row = await db.selectFrom('mail_outbox').selectAll().where('campaign_id', '=', campaign.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'goal-reached', state: 'sent', recipient: organiser.email, attempts: 1 });
    expect(received?.messageId).toBe(`<${row.id}@127.0.0.1>`);

    // Later sweeps and more pledges write no second mail.
    await pledgeTo(campaign, 1);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(mailsTo(organiser.email)).toHaveLength(1);
  });
});
