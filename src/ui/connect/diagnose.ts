/**
 * Connection failures as a plain sentence with the fix, never "Failed to fetch".
 */
export function diagnose(error: string, url: string): string {
  let origin = url;
  try {
    origin = new URL(url).origin;
  } catch {
    /* keep the raw URL */
  }
  if (/cors|cross-origin/i.test(error))
    return `The server at ${origin} does not allow cross-origin requests from this page. It must answer with Access-Control-Allow-Origin and expose WWW-Authenticate and Mcp-Session-Id (Access-Control-Expose-Headers). (${error})`;
  if (
    /mixed content/i.test(error) ||
    (typeof location !== 'undefined' && location.protocol === 'https:' && url.startsWith('http:'))
  )
    return `This page is https and ${origin} is http: the browser blocks such requests (mixed content). Use an https URL. (${error})`;
  if (/HTTP 404/.test(error))
    return `${url} answered 404: check the path (MCP servers often live at /mcp or /sse). (${error})`;
  if (/HTTP 405|Unexpected content type|not valid JSON|text\/html/i.test(error))
    return `${url} did not answer like an MCP server: is this the MCP endpoint, not a web page? (${error})`;
  if (/fetch failed|network|unreachable|ENOTFOUND|ECONNREFUSED/i.test(error))
    return `Could not reach ${origin}: the server is down, the name does not resolve, or the network dropped the connection. (${error})`;
  return error;
}
