#!/usr/bin/env node
// The load generator: `node bench/loadgen/cli.mjs <scenario> --target <base url> --tokens <file>`.
// It speaks only the Discord v10 gateway and REST protocol, so it can be pointed at any compatible
// server. It writes one JSON object per line on stdout: `phase` markers (so an observer can sample
// the server at the right moments), `progress`, and a final `result` with what was asked next to
// what was achieved.
import { parseArgs } from 'node:util';
import { readTokens } from './common.mjs';
import { idleCapacity, identifyRamp } from './scenarios/sessions.mjs';
import { endToEnd, fanout } from './scenarios/messaging.mjs';
import { compression, resume } from './scenarios/connection.mjs';
import { voiceLatency } from './voice.mjs';

const USAGE = `Usage: node bench/loadgen/cli.mjs <scenario> --target <url> --tokens <file> [options]

Scenarios and their options:
  identify     --count N --concurrency C             N distinct users IDENTIFY as fast as allowed
  idle         --count N --concurrency C --hold S    N sessions held with heartbeats for S seconds
  fanout       --count N --rates 25,50,100 --step S --repeats R [--channel ID]
  e2e          --rate R --seconds S --repeats N [--channel ID]
  resume       --missed N --repeats R [--channel ID]
  compression  --messages N --repeats R [--channel ID]
  voice        --count N --impulses I --interval MS --warmup MS --steady S --repeats R [--channel ID]
               N users join a voice channel (Hearth's WebRTC mesh extension); the first speaks

The tokens file has one Authorization value per line ("Bot <token>" for bots); lines starting
with # are ignored. Without --channel, the first text channel in the first session's READY is used.
`;

const OPTIONS = /** @type {const} */ ({
  target: { type: 'string' },
  tokens: { type: 'string' },
  channel: { type: 'string' },
  count: { type: 'string', default: '100' },
  concurrency: { type: 'string', default: '50' },
  hold: { type: 'string', default: '10' },
  rates: { type: 'string', default: '25,50,100,200' },
  step: { type: 'string', default: '5' },
  rate: { type: 'string', default: '10' },
  seconds: { type: 'string', default: '10' },
  repeats: { type: 'string', default: '3' },
  missed: { type: 'string', default: '100' },
  messages: { type: 'string', default: '1000' },
  impulses: { type: 'string', default: '30' },
  interval: { type: 'string', default: '400' },
  warmup: { type: 'string', default: '2000' },
  steady: { type: 'string', default: '5' },
  help: { type: 'boolean' },
});

/**
 * A positive number from a flag, or a clear error naming the flag.
 * @param {Record<string, unknown>} values
 * @param {string} name
 */
function positive(values, name) {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got "${values[name]}"`);
  return value;
}

async function main() {
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: OPTIONS, allowPositionals: true, strict: true });
  const scenario = positionals[0];
  if (values.help || !scenario) {
    process.stdout.write(USAGE);
    return;
  }
  if (!values.target || !values.tokens) throw new Error('--target and --tokens are required');
  const target = values.target;
  const tokens = readTokens(values.tokens);
  const channelId = values.channel;
  const count = positive(values, 'count');
  const concurrency = positive(values, 'concurrency');
  const repeats = positive(values, 'repeats');
  switch (scenario) {
    case 'identify':
      return identifyRamp({ target, tokens, count, concurrency });
    case 'idle':
      return idleCapacity({ target, tokens, count, concurrency, holdSeconds: positive(values, 'hold') });
    case 'fanout': {
      const rates = String(values.rates).split(',').map(Number);
      if (rates.some((r) => !Number.isFinite(r) || r <= 0)) throw new Error(`--rates must be positive numbers, got "${values.rates}"`);
      return fanout({ target, tokens, channelId, count, rates, stepSeconds: positive(values, 'step'), repeats, concurrency });
    }
    case 'e2e':
      return endToEnd({ target, tokens, channelId, rate: positive(values, 'rate'), seconds: positive(values, 'seconds'), repeats });
    case 'resume':
      return resume({ target, tokens, channelId, missed: positive(values, 'missed'), repeats });
    case 'compression':
      return compression({ target, tokens, channelId, messages: positive(values, 'messages'), repeats });
    case 'voice':
      return voiceLatency({ target, tokens, channelId, count, impulses: positive(values, 'impulses'), intervalMs: positive(values, 'interval'), warmupMs: positive(values, 'warmup'), steadySeconds: positive(values, 'steady'), repeats });
    default:
      throw new Error(`Unknown scenario "${scenario}". Run with --help for the list.`);
  }
}

main().then(
  // Sockets may linger in their closing handshake; the report is complete, so end now.
  () => process.exit(0),
  (error) => {
    process.stderr.write(`loadgen: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
