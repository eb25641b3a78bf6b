// One process at scale (issue 22, a first form): one game server process filled with players dealt
// over 100 zones of a generated world, each player moving once a second, the bots in a process of
// their own. The world is generated and EMPTY: zones with no data (any valid path is a zone when no
// zone data is configured) and no creatures; the players stand spread over a square of each zone
// and walk about in it, with the default interest range. The server is a standalone game server
// (the bots' one-time keys are written to its store: no login server in the process), so the fill
// rate reported is the rate of attaches, not of logins. Each stage starts a fresh server with more
// players; per stage: server CPU, RSS per player, move -> receive p99, attaches per second; the
// player count at which p99 first passes 100 ms.
//
//   npm run bench:process [-- --stages 1000,2000,5000,10000 --zones 100 --seconds 10 --rate 1]
import { loadavg } from 'node:os';
import { DEFAULT_GAME_SETTINGS } from '../src/servers/game/game-settings.js';
import { arg, printRows, runZone, type RunReport } from './kit/zone-run.js';

function stages(): number[] {
  const at = process.argv.indexOf('--stages');
  const text = at >= 0 ? process.argv[at + 1]! : (process.env.IMLIGHT_BENCH_STAGES ?? '1000,2000,5000,10000');
  return text.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 1);
}

async function main(): Promise<void> {
  const zones = arg('zones', 100);
  const seconds = arg('seconds', 10);
  const rate = arg('rate', 1);
  const half = arg('half', 4000);
  const runs: { players: number; report: RunReport; load: number }[] = [];
  for (const players of stages()) {
    const load = loadavg()[0]!;
    const report = await runZone({
      kind: 'imlight', players, zones, rate, tickMs: DEFAULT_GAME_SETTINGS.moveTickMs, warmupMs: 2000, measureMs: seconds * 1000, botProcesses: 1,
      interestRange: DEFAULT_GAME_SETTINGS.renderDistance, perMove: false, spreadHalf: half, walk: { half, step: 25 },
    });
    runs.push({ players, report, load });
    printRows(`process: ${players} players over ${zones} generated empty zones, ${rate} move/s each (load average before ${load.toFixed(2)})`, [
      ['moves/s sent / deliveries/s', `${report.movesPerSec} / ${report.deliveriesPerSec}`],
      ['move -> receive p50 / p99 (ms)', `${report.p50Ms} / ${report.p99Ms}`],
      ['server CPU (% of one core)', String(report.serverCpuPercent)],
      ['server RSS (MiB) / per player (KiB)', `${report.rssMb} / ${((report.rssMb * 1024) / players).toFixed(1)}`],
      ['attaches per second while filling', (players / report.attachS).toFixed(0)],
    ]);
  }
  const last = runs[runs.length - 1]!;
  const crossing = runs.find((run) => run.report.p99Ms > 100);
  console.log(JSON.stringify({
    players: last.players, zones, world: 'generated, empty zones (no creatures)', rate,
    moveP99Ms: last.report.p99Ms, serverCpuPercent: last.report.serverCpuPercent, bytesPerPlayer: Math.round((last.report.rssMb * 2 ** 20) / last.players),
    attachesPerSec: Math.round(last.players / last.report.attachS), p99CrossesAtPlayers: crossing?.players ?? null, loadAverage: Number(last.load.toFixed(2)),
    stages: runs.map(({ players, report }) => ({ players, p99Ms: report.p99Ms, serverCpuPercent: report.serverCpuPercent, rssMb: report.rssMb })),
  }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
