/** The life of a campaign, as data: every state, and the moves allowed from each. */
export const campaignStates = [
  'draft',
  'in_review',
  'collecting',
  'suspended',
  'launching',
  'launched',
  'missed_goal',
  'cancelled',
] as const;

export type CampaignState = (typeof campaignStates)[number];

const allowedMoves: { readonly [S in CampaignState]: readonly CampaignState[] } = {
  // Publishing goes to review (an operator approves it to collecting or returns it to draft), or straight to
  // collecting when review is off or the organisation is trusted. An approved campaign whose words change goes back.
  draft: ['in_review', 'collecting', 'cancelled', 'suspended'],
  in_review: ['collecting', 'draft', 'cancelled', 'suspended'],
  collecting: ['in_review', 'launching', 'missed_goal', 'cancelled', 'suspended'],
  // An operator's suspension, lifted (before the launch only) back to the state it came from (campaigns.suspended_from).
  suspended: ['draft', 'in_review', 'collecting'],
  launching: ['launched'],
  launched: [],
  missed_goal: [],
  cancelled: [],
};

/** Whether a campaign in `from` may move to `to`. */
export function canMoveCampaign(from: CampaignState, to: CampaignState): boolean {
  return allowedMoves[from].includes(to);
}

/** Whether the campaign's message, goal and launch time can still be changed. */
export function isCampaignEditable(state: CampaignState): boolean {
  switch (state) {
    case 'draft':
    case 'in_review':
    case 'collecting':
      return true;
    case 'suspended':
    case 'launching':
    case 'launched':
    case 'missed_goal':
    case 'cancelled':
      return false;
  }
}

/** The states from which a campaign may move to `to`, read from the table: a state change is allowed only from these. */
export function campaignStatesMovingTo(to: CampaignState): readonly CampaignState[] {
  return campaignStates.filter((from) => canMoveCampaign(from, to));
}

/** The states in which the organiser can still change the campaign (and its own X account). */
export const editableCampaignStates: readonly CampaignState[] = campaignStates.filter(isCampaignEditable);

/** Whether the launch has started: the campaign has deliveries to count. */
export function hasLaunchStarted(state: CampaignState): boolean {
  switch (state) {
    case 'launching':
    case 'launched':
      return true;
    case 'draft':
    case 'in_review':
    case 'collecting':
    case 'suspended':
    case 'missed_goal':
    case 'cancelled':
      return false;
  }
}

/** Whether supporters can see the campaign's page: not while it is a draft or waiting for review. */
export function isCampaignPublic(state: CampaignState): boolean {
  switch (state) {
    case 'draft':
    case 'in_review':
      return false;
    case 'collecting':
    case 'suspended':
    case 'launching':
    case 'launched':
    case 'missed_goal':
    case 'cancelled':
      return true;
  }
}

/** The states whose campaigns are hidden from the public (drafts, and those waiting for review). */
export const privateCampaignStates: readonly CampaignState[] = campaignStates.filter((state) => !isCampaignPublic(state));

/** Whether an operator may suspend a campaign in this state: only before its launch started, and not once it ended. */
export function isCampaignSuspendable(state: CampaignState): boolean {
  return canMoveCampaign(state, 'suspended');
}

/** Whether the campaign has ended, one way or another. */
export function isCampaignEnded(state: CampaignState): boolean {
  return allowedMoves[state].length === 0;
}
