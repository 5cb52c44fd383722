// `npm run operator:create -- --email someone@example.org`: makes that account an operator of this Chorus (creating it
// when there is none) and prints a one-time sign-in link, valid for a day, where they choose a password; they then
// turn on two-factor sign-in, which operators must use. Run it again for a new link.
import { parseArgs } from 'node:util';
import { readConfigOrExit } from '../config/read-config.ts';
import { createPasswordHasher } from '../src/security/password.ts';
import { createDatabase } from '../src/storage/database.ts';
import { runMigrations } from '../src/storage/run-migrations.ts';
import { createOperator } from '../src/use-cases/operators/create-operator.ts';

const { values } = parseArgs({ options: { email: { type: 'string' } } });
if (values.email === undefined) {
  console.error('Usage: npm run operator:create -- --email someone@example.org');
  process.exit(2);
}
const config = readConfigOrExit();
const db = createDatabase(config.DATABASE_URL, { max: 2 });
try {
  await runMigrations(db);
  const outcome = await createOperator(db, createPasswordHasher(config.PASSWORD_HASH_COST), config.PUBLIC_URL, values.email);
  if (outcome.kind !== 'done') {
    console.error(`${outcome.message}.`);
    process.exitCode = 1;
  } else {
    const made = outcome.value;
    console.log(`${made.promoted ? 'The account' : 'A new account'} for ${values.email.trim()} is now an operator.`);
    console.log(`Its one-time sign-in link (works once, until ${made.expiresAt.toISOString()}):`);
    console.log(made.signInUrl);
  }
} finally {
  await db.destroy();
}
