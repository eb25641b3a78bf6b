// The swarm's report as text: a summary, the errors by kind, and a table of step latencies.
import type { SwarmProgress, SwarmReport } from './swarm.js';

export function formatProgress(p: SwarmProgress): string {
  return `${(p.elapsedMs / 1000).toFixed(1)}s bots ${p.started} active ${p.active} journeys ${p.journeysCompleted} ok / ${p.journeysFailed} failed, actions ${p.actions}, errors ${p.errors}`;
}

export function formatReport(report: SwarmReport): string {
  const lines: string[] = [];
  lines.push(`target ${report.target}: ${report.bots} bots, ${(report.durationMs / 1000).toFixed(1)} s`);
  lines.push(`journeys completed ${report.journeysCompleted}, failed ${report.journeysFailed} (${report.journeysPerSec} completed/s)`);
  lines.push(`actions: move ${report.actions.move}, chat ${report.actions.chat}, zone ${report.actions.zone}`);
  const errors = Object.entries(report.errors);
  lines.push(errors.length === 0 ? 'errors: none' : 'errors by kind:');
  for (const [kind, count] of errors) lines.push(`  ${String(count).padStart(7)}  ${kind}`);
  const header = ['step', 'count', 'errors', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'];
  const rows = Object.entries(report.steps).map(([step, s]) => [step, String(s.count), String(s.errors), s.p50Ms.toFixed(1), s.p90Ms.toFixed(1), s.p99Ms.toFixed(1), s.maxMs.toFixed(1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const row = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  lines.push(row(header));
  for (const r of rows) lines.push(row(r));
  return lines.join('\n');
}
