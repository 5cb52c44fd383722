// Runs before `npm start` (and as `npm run setup`): makes a fresh machine ready.
// 1. Outside production, writes a .env for this machine when there is none, with new random secrets.
// 2. Creates the database DATABASE_URL names, if Postgres does not have it yet.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { loadEnvFile } from '../config/load-env-file.ts';

const envFile = '.env';

if (!existsSync(envFile) && process.env.NODE_ENV !== 'production' && process.env.DATABASE_URL === undefined) {
  const lines = [
    '# Written by `npm run setup` for this machine. Keep it out of version control.',
    'DATABASE_URL=postgres://postgres@127.0.0.1:5432/chorus',
    'REDIS_URL=redis://127.0.0.1:6379',
    'PORT=3000',
    'PUBLIC_URL=http://127.0.0.1:3000',
    `TOKEN_ENCRYPTION_KEY=${randomBytes(32).toString('base64')}`,
    'TOKEN_ENCRYPTION_KEY_ID=k1',
    `SESSION_SECRET=${randomBytes(32).toString('base64url')}`,
    '# Leave X_CLIENT_ID and X_CLIENT_SECRET out to use the built-in sandbox X network.',
    '# Leave SMTP_URL out to send mail to the built-in sandbox mail server (its page: http://127.0.0.1:4040/);',
    '# set it (smtps://user:password@smtp.example.org:465) and MAIL_FROM to send real mail.',
    '',
  ];
  writeFileSync(envFile, lines.join('\n'), { mode: 0o600 });
  console.log('setup: wrote .env with new secrets for this machine');
}

loadEnvFile(envFile);
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl !== undefined) {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`create database "${name.replaceAll('"', '""')}"`);
      console.log(`setup: created database ${name}`);
    }
  } catch (error) {
    // Not fatal: on a managed Postgres the database exists and this role may not see `postgres`.
    console.warn(`setup: could not check database ${name}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
