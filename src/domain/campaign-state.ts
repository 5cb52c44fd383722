/** The life of a campaign, as data: every state, and the moves allowed from each. */
export const campaignStates = ['draft', 'collecting', 'launching', 'launched', 'missed_goal', 'cancelled'] as const;

export type CampaignState = (typeof campaignStates)[number];

const allowedMoves: { readonly [S in CampaignState]: readonly CampaignState[] } = {
  draft: ['collecting', 'cancelled'],
  collecting: ['launching', 'missed_goal', 'cancelled'],
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
    case 'collecting':
      return true;
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
    case 'collecting':
    case 'missed_goal':
    case 'cancelled':
      return false;
  }
}

/** Whether the campaign has ended, one way or another. */
export function isCampaignEnded(state: CampaignState): boolean {
  return allowedMoves[state].length === 0;
}
