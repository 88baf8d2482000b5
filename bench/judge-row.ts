// Turns a scenario's runs into one result row: wall and RSS summaries, and each target judged.
import type { RunOutcome, Scenario, Target } from './scenario.js';
import { type Summary, summarize } from './stats.js';

export interface Judged {
  target: string;
  measured: string;
  ok: boolean;
}

export interface RowResult {
  scenario: Scenario;
  wall: Summary;
  /** peak RSS in MB (10^6 bytes) */
  rssMb?: Summary;
  judged: Judged[];
  notes: string[];
  /** runs that were not what the scenario claims to measure: the row is invalid */
  problems: string[];
}

const ms = (v: number) => `${Math.round(v)} ms`;
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(Math.round(v))} ms`;

export function judgeRow(scenario: Scenario, outcomes: RunOutcome[], baseline?: Summary): RowResult {
  const wall = summarize(outcomes.map((o) => o.sample.wallMs));
  const rss = outcomes.flatMap((o) =>
    o.sample.maxRssKb === undefined ? [] : [(o.sample.maxRssKb * 1024) / 1e6],
  );
  const rssMb = rss.length ? summarize(rss) : undefined;
  const judged = scenario.targets.map((t) => judge(t, outcomes, rssMb, baseline));
  return {
    scenario,
    wall,
    ...(rssMb ? { rssMb } : {}),
    judged,
    notes: tally(outcomes.flatMap((o) => o.notes ?? [])),
    problems: tally(outcomes.flatMap((o) => (o.problem ? [o.problem] : []))),
  };
}

function judge(t: Target, outcomes: RunOutcome[], rss: Summary | undefined, base?: Summary): Judged {
  switch (t.kind) {
    case 'over-baseline': {
      const target =
        t.waitMs === undefined
          ? `≤ bare node + ${t.ms} ms (median)`
          : `≤ bare node + ${t.waitMs} ms wait + ${t.ms - t.waitMs} ms (median)`;
      // Paired: each run minus the bare-node run made just before it, so load drifting over the
      // bench (other work on the machine) shifts both alike.
      const deltas = outcomes.flatMap((o) => {
        const b = o.baselineMs ?? base?.median;
        return b === undefined ? [] : [o.sample.wallMs - b];
      });
      if (deltas.length === 0) return { target, measured: 'no baseline measured', ok: false };
      const d = summarize(deltas);
      // The same pairs as ratios: what compares across machines and load.
      const ratio = summarize(
        outcomes.flatMap((o) => {
          const b = o.baselineMs ?? base?.median;
          return b ? [o.sample.wallMs / b] : [];
        }),
      );
      return {
        target,
        measured: `${signed(d.median)} over node, ${ratio.median.toFixed(2)}× bare node (p90 ${signed(d.p90)}, max ${signed(d.max)})`,
        ok: d.median <= t.ms,
      };
    }
    case 'peak-rss': {
      const target = `peak RSS < ${t.mb} MB (every run)`;
      if (!rss) return { target, measured: 'no RSS probe output', ok: false };
      return { target, measured: `max ${rss.max.toFixed(1)} MB`, ok: rss.max < t.mb };
    }
    case 'over-timeout': {
      const d = summarize(outcomes.map((o) => o.sample.wallMs - t.timeoutMs));
      return {
        target: `≤ timeout + ${t.slackMs} ms (every run)`,
        measured: `overshoot median ${signed(d.median)}, max ${signed(d.max)}`,
        ok: d.max <= t.slackMs,
      };
    }
    case 'wall': {
      const d = summarize(outcomes.map((o) => o.sample.wallMs));
      return {
        target: `wall ≤ ${t.ms} ms (median)`,
        measured: `${ms(d.median)} (max ${ms(d.max)})`,
        ok: d.median <= t.ms,
      };
    }
    case 'launcher-overhead': {
      const target = `launcher overhead < ${t.ms} ms (median)`;
      const values = outcomes.flatMap((o) => (o.agentMs === undefined ? [] : [o.sample.wallMs - o.agentMs]));
      if (values.length === 0) return { target, measured: 'agent run time not captured', ok: false };
      const agent = summarize(outcomes.flatMap((o) => (o.agentMs === undefined ? [] : [o.agentMs])));
      const d = summarize(values);
      return {
        target,
        measured: `${ms(d.median)} (p90 ${ms(d.p90)}, max ${ms(d.max)}); agent itself median ${ms(agent.median)}`,
        ok: d.median < t.ms,
      };
    }
  }
}

/** Distinct lines, with "(N×)" where a line repeats, in first-seen order. */
function tally(lines: string[]): string[] {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([l, n]) => (n > 1 ? `${l} (${n}×)` : l));
}
