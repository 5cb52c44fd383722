import { describe, expect, it } from 'vitest';
import { organiserMailRecipientRoles } from '../../src/domain/organiser-mail-recipient.ts';

describe("who gets a campaign's organiser mails", () => {
  it('is every role that may read the campaign: owners, editors and viewers', () => {
    expect(organiserMailRecipientRoles).toEqual(['owner', 'editor', 'viewer']);
  });
});
