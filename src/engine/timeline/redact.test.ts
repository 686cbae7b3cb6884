import { describe, expect, it } from 'vitest';
import { mask, Redactor } from './redact';

describe('Redactor.text: secrets in free text', () => {
  it('T7: a secret URL parameter inside any text is masked before the engine could register it', () => {
    const r = new Redactor();
    const code = 'code_AbCdEfGhIjKlMnOp';
    const json = JSON.stringify({ redirectTo: `http://localhost:3999/cb?code=${code}&state=s1&iss=x` });
    const out = r.body(json, 'application/json');
    expect(out).not.toContain(code);
    expect(out).toContain(`?code=${mask(code)}&state=s1`);
    expect(r.text(`see #access_token=${code}`)).toBe(`see #access_token=${mask(code)}`);
  });

  it('T7: a secret JSON member inside text (a truncated body, an error message) is masked', () => {
    const r = new Redactor();
    const token = 'at_0123456789abcdef';
    expect(r.text(`{"access_token":"${token}","token_type":"Bearer","refresh_tok`)).not.toContain(token);
    expect(r.text(`error: {\\"refresh_token\\": \\"${token}\\"}`)).not.toContain(token);
  });

  it('T7: names that merely contain a secret field name, and numbers, are left alone', () => {
    const r = new Redactor();
    expect(r.text('?code_challenge=abc123&xcode=1&state=zz')).toBe('?code_challenge=abc123&xcode=1&state=zz');
    expect(r.text('{"code":-32600,"message":"Invalid Request"}')).toBe(
      '{"code":-32600,"message":"Invalid Request"}',
    );
  });

  it('T7: masking is stable: an already masked value is not masked again', () => {
    const r = new Redactor();
    const url = 'https://as.example/cb?code=abcdefghijklmnop&state=1';
    const once = r.url(url);
    expect(once).toContain(`code=${mask('abcdefghijklmnop')}`);
    expect(r.text(once)).toBe(once);
    const form = r.body('grant_type=authorization_code&code=abcdefghijklmnop&code_verifier=vvvvvvvvvvvv', '');
    expect(form).toBe(
      `grant_type=authorization_code&code=${mask('abcdefghijklmnop')}&code_verifier=${mask('vvvvvvvvvvvv')}`,
    );
    expect(r.text(form)).toBe(form);
  });
});
