// Zone benchmark (issues 7 and 22): bots in one zone of one game server, each moving `rate` times a
// second. Two runs, same machine, same run of the script:
//   1. all see all: --players bots (default 500) standing at the zone's origin, all within range of
//      each other, so every move goes to every other bot (the baseline);
//   2. interest: --spread-players bots (default 2,000) spread over a square of the zone and walking
//      about in it, with the default interest range (game.renderDistance, 5,000 world units): each
//      gets the moves of those within range, and NEWOBJECT/REMOVEOBJECT as others come and go.
// Reported for each: deliveries per second (MSG_SERVERMOVE messages the bots receive), the latency
// from a bot's MSG_CLIENTMOVE to another bot receiving it (p50/p99), the server's CPU (its own
// process) and CPU per delivery, and its memory. The bots run in a child process of their own.
//
//   npm run bench:zone [-- --players 500 --spread-players 2000 --half 7000 --step 25 --seconds 10 --rate 5 --tick 50]
//   (or IMLIGHT_BENCH_PLAYERS, IMLIGHT_BENCH_SECONDS, ...)
import { loadavg } from 'node:os';
import { DEFAULT_GAME_SETTINGS } from '../src/servers/game/game-settings.js';
import { arg, printRows, runZone, type RunReport } from './kit/zone-run.js';

function rows(report: RunReport): [string, string][] {
  return [
    ['moves/s sent', String(report.movesPerSec)],
    ['deliveries/s', String(report.deliveriesPerSec)],
    ['shown / hidden per second (NEWOBJECT / REMOVEOBJECT)', `${report.showsPerSec} / ${report.hidesPerSec}`],
    ['move -> receive p50 / p99 (ms)', `${report.p50Ms} / ${report.p99Ms}`],
    ['server CPU (% of one core)', String(report.serverCpuPercent)],
    ['server CPU per delivery (us)', String(report.cpuUsPerDelivery)],
    ['server RSS (MiB, end / peak)', `${report.rssMb} / ${report.peakRssMb}`],
    ['attach of all bots (s)', String(report.attachS)],
  ];
}

function brief(report: RunReport): object {
  const { players, movesPerSec, deliveriesPerSec, showsPerSec, hidesPerSec, p50Ms, p99Ms, serverCpuPercent, cpuUsPerDelivery, rssMb } = report;
  return { players, movesPerSec, deliveriesPerSec, showsPerSec, hidesPerSec, p50Ms, p99Ms, serverCpuPercent, cpuUsPerDelivery, rssMb };
}

async function main(): Promise<void> {
  const players = arg('players', 500);
  const spreadPlayers = arg('spread-players', 2000);
  const half = arg('half', 7000);
  const step = arg('step', 25);
  const seconds = arg('seconds', 10);
  const rate = arg('rate', 5);
  // 50 ms, the server's default: batching alone delays a move by up to one tick.
  const tickMs = arg('tick', 50);
  const range = DEFAULT_GAME_SETTINGS.renderDistance;
  const base = { kind: 'imlight' as const, rate, tickMs, warmupMs: 2000, measureMs: seconds * 1000, botProcesses: 1, interestRange: range, perMove: false };
  const loadBefore = loadavg()[0]!;
  const all = await runZone({ ...base, players, spreadHalf: 0, walk: undefined });
  printRows(`zone, all see all: ${players} bots at one spot, ${rate} moves/s each, ${seconds} s measured (load average before ${loadBefore.toFixed(2)})`, rows(all));
  const spreadLoad = loadavg()[0]!;
  const spread = await runZone({ ...base, players: spreadPlayers, spreadHalf: half, walk: { half, step } });
  printRows(`zone, interest: ${spreadPlayers} bots walking in a square of ${2 * half * 4} world units, range ${range} (load average before ${spreadLoad.toFixed(2)})`, rows(spread));
  const ratio = Number((spread.cpuUsPerDelivery / all.cpuUsPerDelivery).toFixed(2));
  console.log(`  CPU per delivery, interest / all see all: ${ratio}x`);
  console.log(JSON.stringify({
    tickMs, rate, seconds, rangeWorldUnits: range, squareWorldUnits: 2 * half * 4, loadAverage: Number(loadBefore.toFixed(2)),
    allSeeAll: brief(all), interest: brief(spread), cpuPerDeliveryRatio: ratio,
  }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
