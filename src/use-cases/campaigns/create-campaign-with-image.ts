import type { ChorusContext } from '../../chorus-context.ts';
import { describeImageProblem, optionalImageProblems } from '../../domain/campaign-image-rules.ts';
import type { Campaign } from '../../storage/database.ts';
import { done, invalidFields, type Outcome } from '../use-case-outcome.ts';
import { saveUploadedImage, type ImageUpload } from './campaign-image.ts';
import type { NewCampaignInput } from './campaign-input.ts';
import type { OrganiserActor } from '../organisations/audit-actor.ts';
import { createCampaign } from './create-campaign.ts';

/** The image fields of the new-campaign form: the file (or none) and its description. */
export interface NewCampaignImage {
  readonly upload: ImageUpload;
  readonly alt: string;
}

/**
 * Creates a campaign from the new-campaign form, with its image when the organiser chose one. The image and its
 * description are checked first, by the same rules as an upload to an existing campaign, so a refused image
 * creates nothing; then the campaign is created (`createCampaign`) and the image saved (`saveUploadedImage`).
 */
export async function createCampaignWithImage(
  ctx: ChorusContext,
  actor: OrganiserActor,
  input: NewCampaignInput,
  image: NewCampaignImage,
): Promise<Outcome<Campaign>> {
  const problems = Object.entries(optionalImageProblems(image.upload, image.alt));
  if (problems.length > 0)
    return invalidFields(Object.fromEntries(problems.map(([field, problem]) => [field, describeImageProblem(problem)])));
  const created = await createCampaign(ctx, actor, input);
  // No file (and so no description): a campaign without an image, which can be added later from Edit.
  if (created.kind !== 'done' || image.upload.kind === 'no-file') return created;
  const saved = await saveUploadedImage(ctx, actor, created.value.id, image.upload, image.alt);
  switch (saved.kind) {
    case 'saved':
      return done(saved.campaign);
    // Checked above by the same rules, and a campaign just created is still editable, by its creator (an owner or
    // editor of its organisation): the campaign stands, and the image can be added from Edit.
    case 'refused':
    case 'too-late':
    case 'denied':
      return done(created.value);
  }
}
