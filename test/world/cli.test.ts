// `imlight world sample|zones|show|doors` in-process through commander, on the sample world and on a
// teleport table the test makes with a missing door, a wrong location and an unknown zone.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { registerWorldCommands } from '../../src/cli/commands/world.js';
import type { ObjectToolsIo } from '../../src/cli/commands/wad.js';
import { SAMPLE_TELEPORTS } from '../../src/world/index.js';

interface Run { out: string[]; err: string[]; exitCode: number }

async function run(args: string[]): Promise<Run> {
  const result: Run = { out: [], err: [], exitCode: 0 };
  const io: ObjectToolsIo = { out: (l) => result.out.push(l), err: (l) => result.err.push(l), isTTY: false, setExitCode: (c) => { result.exitCode = c; } };
  const program = new Command('imlight').exitOverride();
  registerWorldCommands(program, io);
  await program.parseAsync(args, { from: 'user' });
  return result;
}

describe('imlight world', () => {
  let dir: string;
  let install: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'imlight-world-cli-'));
    install = join(dir, 'sample');
    const r = await run(['world', 'sample', '--out', install]);
    assert.equal(r.exitCode, 0, r.err.join('\n'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('zones lists the three zone archives with sizes', async () => {
    const r = await run(['world', 'zones', '--client-dir', install, '--json']);
    const rows = JSON.parse(r.out[0]!) as Array<{ zone: string; archive: string; size: number }>;
    assert.deepEqual(rows.map((z) => z.zone), ['Sample/Cellar', 'Sample/Hub', 'Sample/Meadow']);
    assert.ok(rows.every((z) => z.size > 0));
  });

  it('show prints a zone as JSON with objects by template and doors with destinations', async () => {
    const r = await run(['world', 'show', 'Sample/Hub', '--client-dir', install, '--json']);
    assert.equal(r.exitCode, 0, r.err.join('\n'));
    const report = JSON.parse(r.out.join('')) as { objectsByTemplate: Array<{ objectName: string }>; doors: Array<{ key: string; destination: string }> };
    assert.ok(report.objectsByTemplate.some((o) => o.objectName === 'Sample_NPC_Headmaster'));
    assert.deepEqual(report.doors.map((d) => [d.key, d.destination]), [
      ['Hub_Door_ToMeadow', 'Sample/Meadow @ Target location (Meadow Hub Exit)'],
      ['Hub_Door_ToCellar', 'Sample/Cellar @ Target location (Cellar Hub Exit)'],
    ]);
    const text = await run(['world', 'show', 'Sample/Meadow', '--client-dir', install]);
    assert.ok(text.out.some((l) => l.includes('MeadowBeetles: every 10 s, max 3')));
  });

  it('doors check lists doors without a rule and rules naming what does not exist', async () => {
    const table = join(dir, 'teleports.tsv');
    const lines = SAMPLE_TELEPORTS.split('\n').filter((l) => !l.includes('Hub_Door_ToCellar'));
    lines.push('Sample/Hub\tdoor\tHub_Door_ToMeadow_Old\tSample/Meadow\tStart', 'Sample/Cellar\tdoor\tCellar_Door_ToHub_B\tSample/Nowhere\t',
      'Sample/Meadow\tdoor\tMeadow_Door_ToHub_B\tSample/Hub\tNo Such Place');
    await writeFile(table, `${lines.join('\n')}\n`);
    const r = await run(['world', 'doors', 'check', '--client-dir', install, '--teleports', table]);
    assert.equal(r.exitCode, 1);
    assert.ok(r.out.includes('no destination: Sample/Hub door Hub_Door_ToCellar'), r.out.join('\n'));
    assert.ok(r.out.some((l) => /no door "Hub_Door_ToMeadow_Old" in Sample\/Hub/.test(l)));
    assert.ok(r.out.some((l) => /destination zone Sample\/Nowhere does not exist/.test(l)));
    assert.ok(r.out.some((l) => /no location "No Such Place" in Sample\/Hub/.test(l)));
    const clean = await run(['world', 'doors', 'check', '--client-dir', install]);
    assert.equal(clean.exitCode, 0, clean.out.join('\n'));
  });

  it('doors propose suggests commented rules for TeleportTo triggers without one', async () => {
    const empty = join(dir, 'empty.tsv');
    await writeFile(empty, '# nothing yet\n');
    const r = await run(['world', 'doors', 'propose', '--client-dir', install, '--teleports', empty]);
    assert.ok(r.out.includes('# Sample/Meadow\ttrigger\tTeleportToHub\tSample/Hub\tTarget location (Hub Meadow Exit)'), r.out.join('\n'));
  });

  it('a malformed teleport table names file and line', async () => {
    const bad = join(dir, 'bad.tsv');
    await writeFile(bad, '# header\nSample/Hub\tportal\tX\tSample/Meadow\t\n');
    const r = await run(['world', 'show', 'Sample/Hub', '--client-dir', install, '--teleports', bad]);
    assert.equal(r.exitCode, 1);
    assert.match(r.err.join('\n'), /bad\.tsv:2: unknown kind "portal"/);
  });
});
