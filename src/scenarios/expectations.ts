import type { MockRequestLogEntry } from '../../mocks/world';
import { TimelineModel } from '../engine/timeline/model';
import type { Decision, Presentation } from './consent-desk';
import {
  countMatches,
  describeCount,
  entryLabel,
  entryMatches,
  parseRequestPattern,
  type RequestPattern,
  times,
} from './counts';
import type { Mark, RunContext } from './run-context';
import type { Count, Expectations, PhaseExpectations } from './types';

/** A stretch of the run: what the mocks answered, what the engine recorded, who was asked. */
interface Phase {
  name: string;
  log: MockRequestLogEntry[];
  model: TimelineModel;
  presentations: Presentation[];
  decisions: Decision[];
}

/** From `from` up to `to` (the next mark), or to the end. */
function phaseFrom(ctx: RunContext, name: string, from: Mark, to?: Mark): Phase {
  return {
    name,
    log: ctx.world.log.slice(from.log, to?.log),
    model: new TimelineModel(ctx.timeline.slice(from.events, to?.events)),
    presentations: ctx.desk.presentations.slice(from.presentations, to?.presentations),
    decisions: ctx.desk.decisions.slice(from.decisions, to?.decisions),
  };
}

/** The mark made after `name`, if any (marks are made in step order, so map order is run order). */
function nextMark(ctx: RunContext, name: string): Mark | undefined {
  const names = [...ctx.marks.keys()];
  const next = names[names.indexOf(name) + 1];
  return next === undefined ? undefined : ctx.marks.get(next);
}

/** `dcr/token:refresh_token@200 ×2, dcr/token:authorization_code@200` */
function summarizeLog(entries: MockRequestLogEntry[]): string {
  if (!entries.length) return 'none';
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(entryLabel(e), (counts.get(entryLabel(e)) ?? 0) + 1);
  return [...counts].map(([l, n]) => (n > 1 ? `${l} ×${n}` : l)).join(', ');
}

function checkRequests(phase: Phase, requests: Record<string, Count>, out: string[]) {
  for (const [label, want] of Object.entries(requests)) {
    const p = parseRequestPattern(label);
    const hits = phase.log.filter((e) => entryMatches(e, p));
    if (!countMatches(hits.length, want))
      out.push(
        `${phase.name}: expected ${describeCount(want)} request(s) matching "${label}", but the mocks answered ${hits.length} (${summarizeLog(hits)}).`,
      );
  }
}

function checkOrder(phase: Phase, order: string[], out: string[]) {
  const patterns: RequestPattern[] = order.map(parseRequestPattern);
  let i = 0;
  let k = 0;
  for (const e of phase.log) {
    const p = patterns[k];
    if (p && entryMatches(e, p)) k++;
    i++;
  }
  if (k < patterns.length)
    out.push(
      `${phase.name}: expected the requests ${order.map((o) => `"${o}"`).join(' → ')} in this order; ${
        k === 0 ? `"${order[0]}" never came` : `"${order[k]}" never came after "${order[k - 1]}"`
      } (the mocks saw ${i} requests: ${phase.log.map(entryLabel).join(', ') || 'none'}).`,
    );
}

function checkConsent(phase: Phase, want: NonNullable<PhaseExpectations['consent']>, out: string[]) {
  const asked = phase.presentations.filter((p) => p.kind === 'consent');
  const distinct = (ps: Presentation[]) => new Set(ps.map((p) => p.state)).size;
  const numbers: Array<[string, Count | undefined, number]> = [
    ['a person to be asked', want.asked, distinct(asked)],
    ['approvals', want.approved, phase.decisions.filter((d) => d.decision === 'approve').length],
    ['denials', want.denied, phase.decisions.filter((d) => d.decision === 'deny').length],
    [
      'authorization links handed out without asking',
      want.offered,
      distinct(phase.presentations.filter((p) => p.kind === 'offer')),
    ],
  ];
  for (const [what, count, n] of numbers)
    if (count !== undefined && !countMatches(n, count))
      out.push(`${phase.name}: expected ${what} ${describeCount(count)} time(s), but it was ${times(n)}.`);
  if (want.lastScope) {
    const last = asked.at(-1)?.scope ?? [];
    const a = [...last].sort().join(' ');
    const b = [...want.lastScope].sort().join(' ');
    if (a !== b)
      out.push(
        `${phase.name}: expected the last authorization request to ask for scope "${b}", but it asked for "${a || '(nothing)'}".`,
      );
  }
  const lastUrl = asked.at(-1)?.url;
  for (const [name, value] of Object.entries(want.lastParams ?? {})) {
    const got = lastUrl ? new URL(lastUrl).searchParams.get(name) : null;
    if (got !== value)
      out.push(
        `${phase.name}: expected the last authorization request to carry ${name}=${value}, but it ${
          got === null ? `had no ${name}` : `carried ${name}=${got}`
        }.`,
      );
  }
}

function checkTimeline(phase: Phase, want: PhaseExpectations, out: string[]) {
  const seen = new Set(phase.model.ruleIdsSeen());
  for (const id of want.ruleIds ?? [])
    if (!seen.has(id)) out.push(`${phase.name}: expected rule ${id} on the timeline; it never appeared.`);
  for (const id of want.absentRuleIds ?? [])
    if (seen.has(id)) out.push(`${phase.name}: rule ${id} appeared on the timeline; it should not have.`);
  for (const t of want.timeline ?? []) {
    const text = t.text.toLowerCase();
    const n = phase.model.events.filter(
      (e) =>
        e.summary.toLowerCase().includes(text) &&
        (t.lane === undefined || e.lane === t.lane) &&
        (t.ruleId === undefined || e.ruleIds.includes(t.ruleId)),
    ).length;
    const count = t.count ?? { min: 1 };
    if (!countMatches(n, count))
      out.push(
        `${phase.name}: expected ${describeCount(count)} timeline event(s) saying "${t.text}"${
          t.ruleId ? ` with rule ${t.ruleId}` : ''
        }, but there were ${n}.`,
      );
  }
}

function checkPhase(phase: Phase, want: PhaseExpectations, out: string[]) {
  if (want.requests) checkRequests(phase, want.requests, out);
  if (want.order) checkOrder(phase, want.order, out);
  if (want.consent) checkConsent(phase, want.consent, out);
  checkTimeline(phase, want, out);
}

async function checkFinal(ctx: RunContext, want: Expectations, out: string[]) {
  for (const c of want.connections ?? []) {
    const identity = ctx.identityOf(c);
    const tab = c.tab ?? 1;
    const rec = ctx.connections.get(ctx.connectionKey(tab, identity, ctx.server(c.server).config.name));
    const state = rec === undefined ? 'none' : rec === 'error' ? 'error' : rec.state;
    if (state !== c.state)
      out.push(
        `Expected ${c.server} (tab ${tab}, ${identity.tenant}/${identity.user.id}) to end ${c.state}, but it is ${state}.`,
      );
  }
  if (want.stored?.length) {
    const all = await ctx.tab(1).engine.tokenStore.list();
    for (const s of want.stored) {
      const identity = ctx.identityOf(s);
      const name = ctx.server(s.server).config.name;
      const who = `${identity.tenant}/${identity.user.id} on ${name}`;
      const cred = all.find(
        (c) => c.key.tenant === identity.tenant && c.key.user === identity.user.id && c.key.server === name,
      );
      const has = {
        access: !!cred?.access,
        refresh: !!cred?.refresh && !cred.refresh.rejected,
        client: !!cred?.client,
      };
      for (const kind of ['access', 'refresh', 'client'] as const)
        if (s[kind] !== undefined && s[kind] !== has[kind])
          out.push(
            `Expected the token store ${s[kind] ? 'to hold' : 'not to hold'} a usable ${kind} record for ${who}.`,
          );
      if (s.clientVia && cred?.client?.obtainedVia !== s.clientVia)
        out.push(
          `Expected the client of ${who} to be obtained via ${s.clientVia}, not ${cred?.client?.obtainedVia ?? '(none)'}.`,
        );
    }
  }
  for (const s of want.sessions ?? []) {
    const sessions = [...ctx.world.mcpServer(ctx.server(s.server).mock).sessions.values()];
    if (!sessions.length) out.push(`Expected MCP sessions at ${s.server}, but the mock saw none.`);
    const off = sessions.filter((x) => {
      const ext = (x.clientCapabilities as { extensions?: Record<string, unknown> }).extensions ?? {};
      return s.extension in ext !== s.advertised;
    });
    if (off.length)
      out.push(
        `Expected the client ${s.advertised ? 'to advertise' : 'not to advertise'} ${s.extension} in every session at ${s.server}; ${off.length} of ${sessions.length} session(s) ${s.advertised ? 'lacked' : 'carried'} it.`,
      );
  }
  for (const text of want.errors ?? [])
    if (!ctx.stepErrors.some((e) => e.toLowerCase().includes(text.toLowerCase())))
      out.push(
        `Expected a step to fail with "${text}"; ${
          ctx.stepErrors.length ? `the errors were: ${ctx.stepErrors.join(' | ')}` : 'no step failed'
        }.`,
      );
}

/** Every expectation of the scenario, as sentences for those that do not hold. */
export async function evaluate(ctx: RunContext, want: Expectations): Promise<string[]> {
  const out: string[] = [];
  checkPhase(phaseFrom(ctx, 'Whole run', { log: 0, events: 0, presentations: 0, decisions: 0 }), want, out);
  for (const [name, phase] of Object.entries(want.after ?? {})) {
    const mark = ctx.marks.get(name);
    if (!mark) out.push(`Expectations name the mark "${name}", but no step made it.`);
    else checkPhase(phaseFrom(ctx, `After "${name}"`, mark, nextMark(ctx, name)), phase, out);
  }
  await checkFinal(ctx, want, out);
  return out;
}
