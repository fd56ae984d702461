import pino from 'pino';
import { loadConfig } from './config.js';
import { startServer } from './start.js';

const config = loadConfig();
const server = await startServer(config, {
  logger: pino({ level: config.logLevel }),
  onSeeded: (summary) => {
    // Printed once, on the first start of an empty database: the accounts a new user signs in with.
    const lines = [
      '',
      `Demo organisation created: ${summary.people} people in ${summary.units} units.`,
      'Demo accounts (demo only — change or disable them before real use):',
      ...summary.accounts.map((a) => `  ${a.username.padEnd(14)} ${a.password.padEnd(14)} ${a.role.padEnd(12)} ${a.scopeUnitName}`),
      '',
    ];
    console.log(lines.join('\n'));
  },
});
console.log(`Muster is running at http://localhost:${config.port} (database: ${server.ctx.database.kind})`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
  });
}
