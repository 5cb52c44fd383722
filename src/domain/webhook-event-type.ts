/** The events an endpoint can ask for, in the order the pages list them. */
export const webhookEventTypes = [
  'pledge.created',
  'pledge.withdrawn',
  'campaign.goal_reached',
  'campaign.launched',
  'campaign.missed_goal',
  'delivery.sent',
  'delivery.failed',
] as const;

/** An event an endpoint can ask for. */
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** The event "send a test event" sends: to the one endpoint asked, whatever it subscribed to. */
export const webhookTestEventType = 'webhook.test';

/** Any event type a webhook request can carry. */
export type SentWebhookEventType = WebhookEventType | typeof webhookTestEventType;

/** What each event means, as the pages and the OpenAPI document say it. */
export const webhookEventMeanings: Readonly<Record<WebhookEventType, string>> = {
  'pledge.created': 'a supporter pledged (a renewal of the same account is not a new pledge)',
  'pledge.withdrawn': 'a supporter withdrew their pledge before the launch',
  'campaign.goal_reached': 'the campaign reached its goal (again after a raised goal)',
  'campaign.launched': 'every pledged post has its outcome: the launch is over',
  'campaign.missed_goal': 'the launch time came with the goal missed: nothing was posted',
  'delivery.sent': 'pledged posts went out (many in one event)',
  'delivery.failed': 'pledged posts failed for good (many in one event)',
};

/** Whether a text names an event an endpoint can ask for. */
export function isWebhookEventType(value: string): value is WebhookEventType {
  return (webhookEventTypes as readonly string[]).includes(value);
}
