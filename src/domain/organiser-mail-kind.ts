/** The mails Chorus sends an organiser about their campaigns; each can be switched off (docs/mail.md). */
export const organiserMailKinds = ['goal-reached', 'launch-preflight', 'launch-report', 'delivery-trouble'] as const;

export type OrganiserMailKind = (typeof organiserMailKinds)[number];

/** How the account page and the API describe each kind. */
export const organiserMailKindLabels: Readonly<Record<OrganiserMailKind, string>> = {
  'goal-reached': 'A campaign reached its goal',
  'launch-preflight': 'The day before a launch: a preflight (access that lapses, posts beyond the X budget, estimated cost)',
  'launch-report': 'After a launch: the report (sent, failed with reasons, held, late), or that the goal was missed',
  'delivery-trouble': 'During a launch: posts held (a network paused) or failing in bulk, once per campaign each',
};

/** Whether `kind` names an organiser mail kind. */
export function isOrganiserMailKind(kind: string): kind is OrganiserMailKind {
  return (organiserMailKinds as readonly string[]).includes(kind);
}

/** Each kind is on unless the organiser switched it off: `changed` holds only the kinds they changed. */
export function organiserMailChoices(changed: ReadonlyMap<string, boolean>): Record<OrganiserMailKind, boolean> {
  return Object.fromEntries(organiserMailKinds.map((kind) => [kind, changed.get(kind) ?? true])) as Record<OrganiserMailKind, boolean>;
}
