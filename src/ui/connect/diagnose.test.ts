import { expect, it } from 'vitest';
import { diagnose } from './diagnose';

// UI-DX1: connection failures read as a plain sentence with the fix, never just "Failed to fetch".
it('UI-DX1: CORS, network, wrong path and non-MCP answers each get a sentence with the fix', () => {
  expect(
    diagnose(
      'Failed to reach https://x.example/mcp: the server at https://x.example does not allow cross-origin requests from this page (CORS)',
      'https://x.example/mcp',
    ),
  ).toMatch(/does not allow cross-origin requests.*Access-Control-Expose-Headers/);
  expect(diagnose('fetch failed', 'https://down.example/mcp')).toMatch(
    /^Could not reach https:\/\/down\.example: /,
  );
  expect(diagnose('srv answered HTTP 404: Not Found', 'https://x.example/api')).toMatch(
    /answered 404: check the path/,
  );
  expect(diagnose('Unexpected content type: text/html', 'https://x.example/')).toMatch(
    /did not answer like an MCP server/,
  );
  expect(diagnose('something else', 'https://x.example/mcp')).toBe('something else');
  expect(diagnose('fetch failed', 'not a url')).toMatch(/^Could not reach not a url/);
});
