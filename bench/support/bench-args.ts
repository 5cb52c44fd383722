import { parseArgs } from 'node:util';

/** Reads `--name value` integer arguments, with defaults. */
export function intArgs<K extends string>(defaults: Record<K, number>): Record<K, number> {
  const options = Object.fromEntries(Object.keys(defaults).map((name) => [name, { type: 'string' as const }]));
  const { values } = parseArgs({ options, allowPositionals: false, strict: false });
  const result = { ...defaults };
  for (const name of Object.keys(defaults) as K[]) {
    const given = values[name];
    if (typeof given === 'string') {
      const parsed = Number(given);
      if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a whole number`);
      result[name] = parsed;
    }
  }
  return result;
}

/** Prints one benchmark's figures as one line of JSON. */
export function report(benchmark: string, figures: Record<string, unknown>): void {
  console.log(JSON.stringify({ benchmark, date: new Date().toISOString(), ...figures }));
}
