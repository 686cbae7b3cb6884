import type { FactoryOAuthOptions } from '../engine/connection/factory-types';
import { discoverTools } from '../engine/connection/tool-discovery';
import { messageOf } from '../engine/errors';
import { countMatches, describeCount } from './counts';
import type { RunContext } from './run-context';
import type { ConsentChoice, Step } from './types';

type StepOf<K extends Step['do']> = Extract<Step, { do: K }>;
type Outcome = { expect?: 'ok' | 'error'; error?: string; withinMs?: number };

/** A short name of a step for failure sentences: `step 3 (call echo on dcr ×100)`. */
export function stepLabel(step: Step, index: string): string {
  const on = 'server' in step ? ` on ${step.server}` : '';
  const what =
    step.do === 'call'
      ? `call ${step.tool}${on}${step.times && step.times > 1 ? ` ×${step.times}` : ''}`
      : step.do === 'knob' || step.do === 'mark' || step.do === 'switchUser'
        ? `${step.do} ${'name' in step ? step.name : 'user' in step ? step.user : step.server}`
        : `${step.do}${on}`;
  return `step ${index} (${what})`;
}

/**
 * Checks how a step's operations ended against what it expects: every one fine (default), or
 * every one failed with the expected text, within the time allowed on the scenario clock.
 */
function judge(ctx: RunContext, label: string, step: Outcome, errors: string[], total: number, ms: number) {
  ctx.stepErrors.push(...errors);
  const want = step.expect ?? 'ok';
  if (want === 'ok' && errors.length)
    ctx.failures.push(
      total > 1
        ? `${label}: ${errors.length} of ${total} operations failed; the first said: ${errors[0]}`
        : `${label} failed: ${errors[0]}`,
    );
  if (want === 'error') {
    if (errors.length < total)
      ctx.failures.push(
        `${label} was expected to fail, but ${total - errors.length} of ${total} operation(s) succeeded.`,
      );
    const text = step.error?.toLowerCase();
    const off = text ? errors.find((e) => !e.toLowerCase().includes(text)) : undefined;
    if (off !== undefined)
      ctx.failures.push(`${label} failed, but not with "${step.error}": the error said: ${off}`);
  }
  if (step.withinMs !== undefined && ms > step.withinMs)
    ctx.failures.push(
      `${label} took ${Math.round(ms)} ms on the scenario clock; at most ${step.withinMs} ms allowed.`,
    );
}

/** Runs `ops` and judges them; returns the values of those that succeeded. */
async function measured<T>(ctx: RunContext, label: string, step: Outcome, ops: Array<() => Promise<T>>) {
  const start = ctx.env.clock.now();
  const settled = await Promise.allSettled(ops.map((op) => op()));
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [messageOf(s.reason)] : []));
  judge(ctx, label, step, errors, ops.length, ctx.env.clock.now() - start);
  return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
}

function oauthOptions(
  ctx: RunContext,
  tab: number,
  choice: ConsentChoice,
  mode?: 'blocking' | 'returnEarly',
): FactoryOAuthOptions {
  return {
    ...(mode === 'returnEarly' ? { returnOnOAuth: true } : {}),
    oauthStart: (url, info) => ctx.desk.present(url, tab, choice, info),
  };
}

async function connect(ctx: RunContext, step: StepOf<'connect'>, label: string): Promise<void> {
  const tab = ctx.tab(step.tab);
  const identity = ctx.identityOf(step);
  const { config } = ctx.server(step.server);
  const key = ctx.connectionKey(tab.n, identity, config.name);
  const oauth =
    step.oauth === false ? undefined : oauthOptions(ctx, tab.n, step.consent ?? ctx.consent, step.mode);
  const op = () =>
    tab.manager.get(config, identity, oauth).then(
      (conn) => void ctx.connections.set(key, conn),
      (e: unknown) => {
        ctx.connections.set(key, 'error');
        throw e;
      },
    );
  if (!step.background) {
    await measured(ctx, label, step, [op]);
    return;
  }
  // In the background: go on once it settles or once a person has an authorization request in front of them.
  const asked = ctx.desk.presentations.length;
  let done = false;
  const run = measured(ctx, label, step, [op]).finally(() => {
    done = true;
  });
  ctx.background.push(run);
  const until = Date.now() + 5_000;
  while (!done && ctx.desk.presentations.length === asked && Date.now() < until)
    await new Promise((r) => setTimeout(r, 5));
}

async function call(ctx: RunContext, step: StepOf<'call'>, label: string): Promise<void> {
  const tab = ctx.tab(step.tab);
  const identity = ctx.identityOf(step);
  const { config } = ctx.server(step.server);
  const times = step.times ?? 1;
  await ctx.withConsent(step.consent, async () => {
    for (let r = 0; r < (step.repeat ?? 1); r++) {
      const results = await measured(
        ctx,
        label,
        step,
        Array.from({ length: times }, () => async () => {
          const conn = await tab.manager.get(config, identity, oauthOptions(ctx, tab.n, ctx.consent));
          const result = (await conn.callTool(step.tool, step.args ?? {})) as {
            isError?: boolean;
            content?: Array<{ text?: string }>;
          };
          if (result.isError)
            throw new Error(`Tool ${step.tool} returned an error: ${result.content?.[0]?.text ?? ''}`);
          return result;
        }),
      );
      const text = step.resultIncludes;
      const miss = text ? results.find((res) => !JSON.stringify(res).includes(text)) : undefined;
      if (miss !== undefined)
        ctx.failures.push(
          `${label}: a result did not contain "${text}": ${JSON.stringify(miss).slice(0, 200)}`,
        );
    }
  });
}

async function listTools(ctx: RunContext, step: StepOf<'listTools'>, label: string): Promise<void> {
  const tab = ctx.tab(step.tab);
  const { config } = ctx.server(step.server);
  const identity = ctx.identityOf(step);
  const [list] = await measured(ctx, label, step, [
    async () => (await tab.manager.get(config, identity, oauthOptions(ctx, tab.n, ctx.consent))).listTools(),
  ]);
  if (list && step.tools !== undefined && !countMatches(list.tools.length, step.tools))
    ctx.failures.push(`${label} listed ${list.tools.length} tools; expected ${describeCount(step.tools)}.`);
}

async function discover(ctx: RunContext, step: StepOf<'discover'>, label: string): Promise<void> {
  const tab = ctx.tab(step.tab);
  const { config } = ctx.server(step.server);
  const [found] = await measured(ctx, label, step, [
    () =>
      discoverTools(tab.engine.deps, config, ctx.identityOf(step), {
        oauthStart: (url) => ctx.desk.offer(url, tab.n),
      }),
  ]);
  if (!found) return;
  await found.connection?.close();
  if (step.tools !== undefined && !countMatches(found.tools.length, step.tools))
    ctx.failures.push(`${label} found ${found.tools.length} tools; expected ${describeCount(step.tools)}.`);
  if (step.oauthRequired !== undefined && found.oauthRequired !== step.oauthRequired)
    ctx.failures.push(
      `${label} reported oauthRequired ${found.oauthRequired}; expected ${step.oauthRequired}.`,
    );
}

/** The token store key of a step's identity and server. */
function credentialKey(ctx: RunContext, step: { server: string; user?: string; tenant?: string }) {
  const identity = ctx.identityOf(step);
  return { tenant: identity.tenant, user: identity.user.id, server: ctx.server(step.server).config.name };
}

async function expireToken(ctx: RunContext, step: StepOf<'expireToken'>, label: string): Promise<void> {
  const tab = ctx.tab(step.tab);
  const key = credentialKey(ctx, step);
  const at = step.at ?? 'both';
  if (at !== 'store') {
    const live = ctx.connections.get(ctx.connectionKey(tab.n, ctx.identityOf(step), key.server));
    const token =
      (live !== 'error' ? live?.accessToken : undefined) ??
      (await tab.engine.tokenStore.getTokens(key).catch(() => undefined))?.access_token;
    if (!token || !ctx.world.expireToken(token))
      ctx.failures.push(`${label}: there was no access token the authorization server knows to expire.`);
  }
  if (at !== 'server') await tab.engine.tokenStore.expireAccess(key);
}

/** Runs one step; failures become sentences on the context, never exceptions. */
export async function runStep(ctx: RunContext, step: Step, index: string): Promise<void> {
  const label = stepLabel(step, index);
  try {
    switch (step.do) {
      case 'connect':
        return await connect(ctx, step, label);
      case 'call':
        return await call(ctx, step, label);
      case 'listTools':
        return await listTools(ctx, step, label);
      case 'discover':
        return await discover(ctx, step, label);
      case 'disconnect': {
        const identity = ctx.identityOf(step);
        const { config } = ctx.server(step.server);
        await ctx.tab(step.tab).manager.close(config, identity);
        return;
      }
      case 'advanceClock':
        return ctx.world.advanceClock(step.ms);
      case 'expireToken':
        return await expireToken(ctx, step, label);
      case 'corruptToken': {
        const corrupted = await ctx.tab(step.tab).engine.tokenStore.corruptAccess(credentialKey(ctx, step));
        if (!corrupted) ctx.failures.push(`${label}: there was no stored access token to corrupt.`);
        return;
      }
      case 'deleteRefresh':
        return await ctx.tab(step.tab).engine.tokenStore.delete(credentialKey(ctx, step), 'refresh');
      case 'revoke':
        return ctx.world.revokeAllTokens(ctx.server(step.server).mock);
      case 'knob':
        return ctx.world.setKnobs(ctx.server(step.server).mock, step.patch);
      case 'reload':
        return ctx.reload(step.tab);
      case 'secondTab':
        return void ctx.openTab();
      case 'switchUser':
        ctx.identity = { tenant: step.tenant ?? ctx.identity.tenant, user: { id: step.user } };
        return;
      case 'consent': {
        const open = ctx.desk.open;
        if (!open) return void ctx.failures.push(`${label}: no consent page was open to answer.`);
        await ctx.desk
          .answer(open, {
            decision: step.decision ?? 'approve',
            ...(step.scopes ? { scopes: step.scopes } : {}),
          })
          .catch((e: unknown) => judge(ctx, label, {}, [messageOf(e)], 1, 0));
        return;
      }
      case 'settle':
        await Promise.allSettled(ctx.background.splice(0));
        return;
      case 'parallel':
        await Promise.all(step.steps.map((s, i) => runStep(ctx, s, `${index}.${i + 1}`)));
        return;
      case 'mark':
        return ctx.mark(step.name);
    }
  } catch (e) {
    ctx.failures.push(`${label} could not run: ${messageOf(e)}`);
  }
}
