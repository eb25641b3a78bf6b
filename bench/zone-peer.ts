// Zone against its peer (issue 22): the same N bots moving `rate` times a second, once in one
// Imlight zone and once in one room of Colyseus 0.16 (@colyseus/core with @colyseus/ws-transport;
// the bots use colyseus.js), same machine, same run. The Colyseus room relays like the zone: the
// last move of each client per tick, all of them in one message to everyone (with --per-move 1
// every move goes out at once, as a plain `broadcast`). Each server runs alone in its own process;
// its CPU per delivered move, its RSS and the move-to-receive latency are reported with the ratios.
// Every player count runs both servers back to back; the last line is the largest count.
//
//   npm run bench:zone-peer [-- --players 500,1000 --seconds 10 --rate 5 --tick 50 --per-move 0]
import { loadavg } from 'node:os';
import { DEFAULT_GAME_SETTINGS } from '../src/servers/game/game-settings.js';
import { arg, printRows, runZone, type RunReport } from './kit/zone-run.js';

function counts(): number[] {
  const at = process.argv.indexOf('--players');
  const text = at >= 0 ? process.argv[at + 1]! : (process.env.IMLIGHT_BENCH_PLAYERS ?? '500,1000');
  return text.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 1);
}

function summary(report: RunReport): { p99Ms: number; p50Ms: number; cpuUsPerDelivery: number; rssMb: number; deliveriesPerSec: number; serverCpuPercent: number } {
  const { p50Ms, p99Ms, cpuUsPerDelivery, rssMb, deliveriesPerSec, serverCpuPercent } = report;
  return { p99Ms, p50Ms, cpuUsPerDelivery, rssMb, deliveriesPerSec, serverCpuPercent };
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 10);
  const rate = arg('rate', 5);
  const tickMs = arg('tick', 50);
  const perMove = arg('per-move', 0) === 1;
  // Imlight at its default interest range (everyone at the origin: all in range), as a server runs out of the box.
  const base = { rate, tickMs, warmupMs: 2000, measureMs: seconds * 1000, walk: undefined, botProcesses: 1, interestRange: DEFAULT_GAME_SETTINGS.renderDistance, perMove, spreadHalf: 0 };
  let last: object | undefined;
  for (const players of counts()) {
    const load = loadavg();
    const imlight = await runZone({ ...base, kind: 'imlight', players });
    const colyseus = await runZone({ ...base, kind: 'colyseus', players });
    const ratios = {
      p99: Number((colyseus.p99Ms / imlight.p99Ms).toFixed(2)),
      cpuPerDelivery: Number((colyseus.cpuUsPerDelivery / imlight.cpuUsPerDelivery).toFixed(2)),
      rss: Number((colyseus.rssMb / imlight.rssMb).toFixed(2)),
    };
    const row = (name: string, pick: (r: RunReport) => string): [string, string] => [name, `${pick(imlight)} | ${pick(colyseus)}`];
    printRows(`zone peer: ${players} bots, ${rate} moves/s each, ${seconds} s measured; Imlight | Colyseus (${perMove ? 'a broadcast per move' : `one batch per ${tickMs} ms tick`}); load before ${load.map((l) => l.toFixed(2)).join(' ')}`, [
      row('moves/s sent', (r) => String(r.movesPerSec)),
      row('deliveries/s', (r) => String(r.deliveriesPerSec)),
      row('move -> receive p50 (ms)', (r) => String(r.p50Ms)),
      row('move -> receive p99 (ms)', (r) => String(r.p99Ms)),
      row('server CPU (% of one core)', (r) => String(r.serverCpuPercent)),
      row('server CPU per delivery (us)', (r) => String(r.cpuUsPerDelivery)),
      row('server RSS (MiB, end / peak)', (r) => `${r.rssMb} / ${r.peakRssMb}`),
      row('attach of all bots (s)', (r) => String(r.attachS)),
      ['Colyseus / Imlight: p99, CPU per delivery, RSS', `${ratios.p99}x, ${ratios.cpuPerDelivery}x, ${ratios.rss}x`],
    ]);
    last = { players, rate, tickMs, seconds, colyseusRelay: perMove ? 'per-move' : 'per-tick', loadAverage: Number(load[0]!.toFixed(2)), imlight: summary(imlight), colyseus: summary(colyseus), ratios };
  }
  console.log(JSON.stringify(last));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
