import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionDetails, Provider } from 'oidc-provider';
import { escapeHtml, readBody, sendHtml } from './http';

/** The one account of the reference authorization server. */
export const DEMO_ACCOUNT = { username: 'alice', password: 'wonderland', name: 'Alice Liddell' } as const;

/** Where oidc-provider sends the browser when it needs a person (`interactions.url`). */
export const INTERACTION_PREFIX = '/interaction/';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)} · MCP Lab reference AS</title>
<style>body{font:15px system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#111}
h1{font-size:1.3rem}label{display:block;margin:.6rem 0}input[type=text],input[type=password]{width:100%;padding:.4rem}
button{padding:.45rem 1rem;margin-right:.5rem}.err{color:#b91c1c}.muted{color:#555;font-size:.85rem}
code{background:#f3f4f6;padding:0 .2rem}</style></head><body>${body}</body></html>`;

function loginPage(uid: string, clientName: string, error?: string): string {
  return page(
    'Sign in',
    `<h1>Sign in to continue to ${escapeHtml(clientName)}</h1>
${error ? `<p class="err" role="alert" data-testid="as-login-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${INTERACTION_PREFIX}${uid}/login" data-testid="as-login-form">
<label>Username <input type="text" name="username" autocomplete="username" autofocus data-testid="as-username"></label>
<label>Password <input type="password" name="password" autocomplete="current-password" data-testid="as-password"></label>
<button type="submit" data-testid="as-login-submit">Sign in</button></form>
<p class="muted">Demo account: <code>${DEMO_ACCOUNT.username}</code> / <code>${DEMO_ACCOUNT.password}</code></p>`,
  );
}

function consentPage(uid: string, clientName: string, details: InteractionDetails): string {
  const resources = Object.entries(details.prompt.details.missingResourceScopes ?? {});
  const oidc = details.prompt.details.missingOIDCScope ?? [];
  const boxes = resources
    .flatMap(([resource, scopes]) =>
      scopes.map(
        (s) => `<label><input type="checkbox" name="scope" value="${escapeHtml(s)}" checked
data-testid="as-scope-${escapeHtml(s)}"> <code>${escapeHtml(s)}</code> at ${escapeHtml(resource)}</label>`,
      ),
    )
    .join('\n');
  return page(
    'Authorize',
    `<h1>${escapeHtml(clientName)} wants to access your account</h1>
<p>Signed in as <strong>${escapeHtml(details.session?.accountId ?? '')}</strong>.</p>
<form method="post" action="${INTERACTION_PREFIX}${uid}/consent" data-testid="as-consent">
${boxes || '<p>No new permissions: the client asks to continue.</p>'}
${oidc.length ? `<p class="muted">Also: ${oidc.map(escapeHtml).join(', ')}</p>` : ''}
<button type="submit" name="decision" value="approve" data-testid="as-approve">Allow</button>
<button type="submit" name="decision" value="deny" data-testid="as-deny">Deny</button></form>`,
  );
}

/**
 * Records consent as an oidc-provider Grant: every OIDC scope asked for, and each resource's
 * scopes that the person left ticked (`chosen`, all when undefined); unticked ones are rejected so
 * oidc-provider does not ask again.
 */
export async function saveGrant(
  provider: Provider,
  details: InteractionDetails,
  chosen?: ReadonlySet<string>,
): Promise<string> {
  const accountId = details.session?.accountId ?? DEMO_ACCOUNT.username;
  const clientId = details.params.client_id ?? '';
  const existing = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = details.prompt.details;
  if (missingOIDCScope?.length) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims?.length) grant.addOIDCClaims(missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missingResourceScopes ?? {})) {
    const granted = scopes.filter((s) => !chosen || chosen.has(s));
    const rejected = scopes.filter((s) => !granted.includes(s));
    if (granted.length) grant.addResourceScope(resource, granted.join(' '));
    if (rejected.length) grant.rejectResourceScope(resource, rejected.join(' '));
  }
  return grant.save();
}

/** Finishes whatever the interaction asks (login, then consent) as the demo account, approving all. */
export async function approveAsDemoAccount(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login')
    return provider.interactionFinished(req, res, { login: { accountId: DEMO_ACCOUNT.username } });
  const grantId = await saveGrant(provider, details);
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

async function clientNameOf(provider: Provider, details: InteractionDetails): Promise<string> {
  const id = details.params.client_id ?? '';
  return (await provider.Client.find(id))?.clientName ?? id;
}

/**
 * The login and consent pages (`GET /interaction/:uid`, `POST …/login`, `POST …/consent`). With
 * `autoApprove` the GET approves as the demo account at once. Returns false for other paths.
 */
export async function handleInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  autoApprove: boolean,
): Promise<boolean> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (!path.startsWith(INTERACTION_PREFIX)) return false;
  const [uid = '', action = ''] = path.slice(INTERACTION_PREFIX.length).split('/');
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (req.method === 'GET' && !action) {
      if (autoApprove) await approveAsDemoAccount(provider, req, res);
      else {
        const name = await clientNameOf(provider, details);
        sendHtml(
          res,
          200,
          details.prompt.name === 'login' ? loginPage(uid, name) : consentPage(uid, name, details),
        );
      }
      return true;
    }
    if (req.method !== 'POST' || (action !== 'login' && action !== 'consent')) {
      sendHtml(res, 404, page('Not found', '<h1>Not found</h1>'));
      return true;
    }
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    if (action === 'login') {
      if (form.get('username') !== DEMO_ACCOUNT.username || form.get('password') !== DEMO_ACCOUNT.password) {
        const name = await clientNameOf(provider, details);
        sendHtml(res, 200, loginPage(uid, name, 'Wrong username or password.'));
        return true;
      }
      await provider.interactionFinished(req, res, { login: { accountId: DEMO_ACCOUNT.username } });
      return true;
    }
    const chosen = new Set(form.getAll('scope'));
    const asked = Object.values(details.prompt.details.missingResourceScopes ?? {}).flat();
    if (form.get('decision') !== 'approve' || (asked.length > 0 && chosen.size === 0)) {
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The user denied the request.' },
        { mergeWithLastSubmission: false },
      );
      return true;
    }
    const grantId = await saveGrant(provider, details, chosen);
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  } catch {
    sendHtml(
      res,
      400,
      page(
        'Sign-in expired',
        '<h1>This sign-in page has expired</h1><p>It was opened in another browser, used already, or took too long. Start again from the client.</p>',
      ),
    );
  }
  return true;
}
