// Share image: how long a render takes (in this process, and a first request through the route, which renders and
// stores it), and the requests per second and p99 of a cached image through the real route against a bare Fastify
// route answering the same PNG bytes as a constant, loaded from this (second) process.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shareCard } from '../src/domain/share-card.ts';
import { createDatabase } from '../src/storage/database.ts';
import { renderShareCard } from '../src/use-cases/share-image/render-share-card.ts';
import { freePort } from '../test/support/free-port.ts';
import { intArgs, report } from './support/bench-args.ts';
import { createBenchDatabase } from './support/bench-database.ts';
import { answers, startChild } from './support/child-process.ts';
import { chorusEnvironment } from './support/chorus-environment.ts';
import { loadUrl, median } from './support/load.ts';
import { seedCampaign } from './support/seed-campaign.ts';

const args = intArgs({ pledges: 1000, renders: 10, campaigns: 5, connections: 50, seconds: 5, rounds: 3 });

function medianMs(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.floor(sorted.length / 2)] ?? Number.NaN).toFixed(1));
}

// Renders in this process: the first pays for loading the fonts and the shaper; the median is the steady cost.
const card = shareCard(
  {
    title: 'Our Health Heroes',
    organiser: 'Skills for Health',
    state: 'collecting',
    supporters: 189,
    goal: 100,
    reach: 513_782,
    launchAt: new Date(Date.now() + 86_400_000),
  },
  new Date(),
);
const renderMs: number[] = [];
for (let i = 0; i < args.renders; i++) {
  const started = performance.now();
  await renderShareCard({ ...card, supporters: String(189 + i) }, null, 'chorus.example.org/s/Ab3dEf');
  renderMs.push(performance.now() - started);
}

const database = await createBenchDatabase();
try {
  const db = createDatabase(database.url, { max: 2 });
  const slugs: string[] = [];
  for (let i = 0; i < args.campaigns; i++)
    slugs.push((await seedCampaign(db, { pledges: args.pledges, launchAt: new Date(Date.now() + 30 * 86_400_000) })).slug);
  await db.destroy();

  const port = await freePort();
  const api = await startChild(
    'src/api.ts',
    chorusEnvironment(database.url, port),
    answers(`http://127.0.0.1:${port}/api/v1/openapi.json`),
  );
  const imageUrl = (slug: string) => `http://127.0.0.1:${port}/c/${slug}/share-image.png`;
  // A first request per campaign renders its image (the API process's first also loads the fonts).
  const firstRequestMs: number[] = [];
  for (const slug of slugs) {
    const started = performance.now();
    const response = await fetch(imageUrl(slug));
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`share image answered ${response.status}`);
    firstRequestMs.push(performance.now() - started);
  }
  const cachedUrl = imageUrl(slugs[0] ?? '');
  const png = Buffer.from(await (await fetch(cachedUrl)).arrayBuffer());
  const pngFile = join(tmpdir(), `chorus-share-image-bench-${process.pid}.png`);
  await writeFile(pngFile, png);
  const ceilingPort = await freePort();
  const ceiling = await startChild('bench/ceilings/constant-server.ts', { PORT: String(ceilingPort), CONSTANT_PNG_FILE: pngFile }, (out) =>
    out.includes('listening'),
  );
  const ceilingUrl = `http://127.0.0.1:${ceilingPort}/constant.png`;
  for (const url of [cachedUrl, ceilingUrl]) await loadUrl(url, args.connections, 1);
  const rounds: { chorus: Awaited<ReturnType<typeof loadUrl>>; ceiling: Awaited<ReturnType<typeof loadUrl>> }[] = [];
  for (let round = 0; round < args.rounds; round++)
    rounds.push({
      chorus: await loadUrl(cachedUrl, args.connections, args.seconds),
      ceiling: await loadUrl(ceilingUrl, args.connections, args.seconds),
    });
  await ceiling.stop();
  await api.stop();
  const cached = median(rounds.map((r) => r.chorus));
  const constant = median(rounds.map((r) => r.ceiling));
  report('share-image', {
    pledges: args.pledges,
    pngBytes: png.length,
    render: { firstMs: Number((renderMs[0] ?? Number.NaN).toFixed(1)), medianMs: medianMs(renderMs.slice(1)) },
    firstRequest: { firstMs: Number((firstRequestMs[0] ?? Number.NaN).toFixed(1)), medianMs: medianMs(firstRequestMs.slice(1)) },
    cached: { ...cached, ceiling: constant, ratio: Number((cached.requestsPerSecond / constant.requestsPerSecond).toFixed(3)) },
  });
} finally {
  await database.drop();
}
