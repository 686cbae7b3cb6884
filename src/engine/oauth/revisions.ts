import type { AuthRevision } from './types';

/**
 * Where the authorization spec revisions differ for a client (mcp-auth-requirements.md, "Revision
 * deltas"). The engine reads behaviour from this table instead of comparing dates in code.
 */
export interface RevisionProfile {
  /** 06+: Protected Resource Metadata (DISC-2). 03: AS metadata at the MCP origin (ASM-1). */
  prm: boolean;
  /** 11+: `resource_metadata` from the challenge beats path-based discovery (DISC-3). */
  challengeMetadataFirst: boolean;
  /** 11+: OIDC discovery besides RFC 8414 (ASM-2). */
  oidc: boolean;
  /** 11+: refuse an AS whose metadata lists no S256 (PKCE-3). */
  requirePkceMetadata: boolean;
  /** 06+: RFC 8707 `resource` in authorization and token requests (RES-1). */
  resourceIndicator: boolean;
  /** 11+: CIMD client ids (REG-2). */
  cimd: boolean;
  /** 07: send `application_type` in DCR (REG-5). */
  applicationType: boolean;
  /** 07: metadata `issuer` must equal the issuer (ASM-4); the engine also applies it to 11 (the SDK does). */
  metadataIssuerCheck: boolean;
  /** 07: RFC 9207 `iss` on the authorization response (AR-2). */
  issCheck: boolean;
  /** 07: step-up asks for the union of granted and challenged scopes (SCP-4); 11 asks for the challenge. */
  scopeUnion: boolean;
}

export const REVISIONS: Record<AuthRevision, RevisionProfile> = {
  '2025-03-26': {
    prm: false,
    challengeMetadataFirst: false,
    oidc: false,
    requirePkceMetadata: false,
    resourceIndicator: false,
    cimd: false,
    applicationType: false,
    metadataIssuerCheck: false,
    issCheck: false,
    scopeUnion: false,
  },
  '2025-06-18': {
    prm: true,
    challengeMetadataFirst: false,
    oidc: false,
    requirePkceMetadata: false,
    resourceIndicator: true,
    cimd: false,
    applicationType: false,
    metadataIssuerCheck: false,
    issCheck: false,
    scopeUnion: false,
  },
  '2025-11-25': {
    prm: true,
    challengeMetadataFirst: true,
    oidc: true,
    requirePkceMetadata: true,
    resourceIndicator: true,
    cimd: true,
    applicationType: false,
    metadataIssuerCheck: true,
    issCheck: true,
    scopeUnion: true,
  },
  '2026-07-28': {
    prm: true,
    challengeMetadataFirst: true,
    oidc: true,
    requirePkceMetadata: true,
    resourceIndicator: true,
    cimd: true,
    applicationType: true,
    metadataIssuerCheck: true,
    issCheck: true,
    scopeUnion: true,
  },
};

/** The MCP protocol version sent while discovering (ASM-1 SHOULD for 03). */
export function protocolVersionFor(revision: AuthRevision): string {
  return revision === '2026-07-28' ? '2025-11-25' : revision;
}
