import type { CampaignState } from './campaign-state.ts';
import { isGoalMet, percentOfGoal } from './goal.ts';

/** What a campaign's share image says, as text: the figures are coarse, so the image changes only when they visibly move. */
export interface ShareCard {
  readonly title: string;
  readonly organiser: string;
  /** "189", or "12,000+" once past a thousand. */
  readonly supporters: string;
  readonly goal: string;
  /** Percent of goal for the bar, 0 to 100. */
  readonly barPercent: number;
  /** "189% of goal". */
  readonly percentLabel: string;
  /** "513K people reached". */
  readonly reach: string;
  /** Where the campaign stands: "3 days left", "Goal reached · launching in 5 hours", "Launched". */
  readonly status: string;
}

/** The figures a share card is made from. */
export interface ShareCardFigures {
  readonly title: string;
  readonly organiser: string;
  readonly state: CampaignState;
  readonly supporters: number;
  readonly goal: number;
  readonly reach: number;
  readonly launchAt: Date;
}

const wholeNumber = new Intl.NumberFormat('en-GB');
const compact = new Intl.NumberFormat('en-GB', { notation: 'compact', maximumSignificantDigits: 2 });

/** The share card for these figures at `now`. */
export function shareCard(figures: ShareCardFigures, now: Date): ShareCard {
  const percent = percentOfGoal(figures.supporters, figures.goal);
  return {
    title: figures.title,
    organiser: figures.organiser,
    supporters: coarseCount(figures.supporters),
    goal: wholeNumber.format(figures.goal),
    barPercent: Math.min(100, percent),
    percentLabel: `${coarsePercent(percent)}% of goal`,
    reach: `${figures.reach < 1000 ? wholeNumber.format(figures.reach) : compact.format(figures.reach)} ${figures.reach === 1 ? 'person' : 'people'} reached`,
    status: status(figures, now),
  };
}

/** Exact below a thousand; above, two significant figures rounded down with a "+", so a popular card is rendered a few dozen times, not once a pledge. */
export function coarseCount(n: number): string {
  if (n < 1000) return wholeNumber.format(n);
  const step = 10 ** (Math.floor(Math.log10(n)) - 1);
  return `${wholeNumber.format(Math.floor(n / step) * step)}+`;
}

// Past a thousand percent, tens of percent are enough.
function coarsePercent(percent: number): string {
  return wholeNumber.format(percent < 1000 ? percent : Math.floor(percent / 100) * 100);
}

function status(figures: ShareCardFigures, now: Date): string {
  switch (figures.state) {
    case 'draft':
      return 'Draft';
    case 'in_review':
      return 'Not published yet';
    case 'suspended':
      return 'Withdrawn by this Chorus';
    case 'collecting': {
      const left = timeLeft(figures.launchAt.getTime() - now.getTime());
      return isGoalMet(figures.supporters, figures.goal) ? `Goal reached · launching in ${left}` : `${left} left`;
    }
    case 'launching':
      return 'Launching now';
    case 'launched':
      return 'Launched';
    case 'missed_goal':
      return 'Ended without reaching its goal';
    case 'cancelled':
      return 'Cancelled';
  }
}

// Days while two or more are left, then hours, then "under an hour": the card changes a few dozen times in a campaign.
function timeLeft(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours >= 48) return `${Math.floor(hours / 24)} days`;
  if (hours >= 2) return `${hours} hours`;
  return ms > 0 ? 'under 2 hours' : 'moments';
}
