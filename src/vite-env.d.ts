/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The reference real stack's MCP URL the playground offers as a preset (default http://localhost:3002/mcp). */
  readonly VITE_LAB_REFERENCE_URL?: string;
  /** The MCP Apps sandbox proxy origin for static hosting (default: localhost <-> 127.0.0.1, same port). */
  readonly VITE_LAB_SANDBOX_ORIGIN?: string;
}
