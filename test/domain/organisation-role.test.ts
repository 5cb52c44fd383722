import { describe, expect, it } from 'vitest';
import { actionsOf, can, leavesNoOwner, organisationActions, organisationRoles } from '../../src/domain/organisation-role.ts';

describe('organisation roles', () => {
  it('gives owners everything, editors campaigns, viewers reading only', () => {
    expect(actionsOf('owner')).toEqual([...organisationActions]);
    expect(actionsOf('editor')).toEqual(['read-campaigns', 'edit-campaigns', 'erase-supporters']);
    expect(actionsOf('viewer')).toEqual(['read-campaigns']);
  });

  it('keeps each role within the one above it', () => {
    for (const action of organisationActions) {
      if (can('viewer', action)) expect(can('editor', action)).toBe(true);
      if (can('editor', action)) expect(can('owner', action)).toBe(true);
    }
    expect(organisationRoles.filter((role) => can(role, 'manage-members'))).toEqual(['owner']);
    // Webhooks, reading included: an endpoint's address is often a credential of the tool behind it.
    expect(organisationRoles.filter((role) => can(role, 'manage-webhooks'))).toEqual(['owner']);
  });

  it('refuses to leave an organisation without an owner', () => {
    expect(leavesNoOwner(1, 'owner', 'removed')).toBe(true);
    expect(leavesNoOwner(1, 'owner', 'editor')).toBe(true);
    expect(leavesNoOwner(1, 'owner', 'owner')).toBe(false);
    expect(leavesNoOwner(2, 'owner', 'removed')).toBe(false);
    expect(leavesNoOwner(1, 'editor', 'removed')).toBe(false);
  });
});
