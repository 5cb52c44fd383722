// The containers' health check: `node scripts/check-health.ts <port>` exits 0 when http://127.0.0.1:<port>/health
// answers 200 within 5 s, else 1. The images have no curl, and an npm script would keep signals from Node.
const port = Number(process.argv[2]);
try {
  const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(5000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
