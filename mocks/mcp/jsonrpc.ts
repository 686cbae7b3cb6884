/** JSON-RPC 2.0 shapes and the standard error codes the mock MCP server answers with. */

export type JsonRpcId = string | number;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id: JsonRpcId;
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export type JsonRpcResponse =
  | { jsonrpc: '2.0'; id: JsonRpcId; result: unknown }
  | { jsonrpc: '2.0'; id: JsonRpcId | null; error: JsonRpcErrorObject };

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** MCP: resource not found (spec 2025-06-18 §resources). */
export const RESOURCE_NOT_FOUND = -32002;

/** An error a method throws to answer with a JSON-RPC error object. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export function rpcError(
  id: JsonRpcId | null,
  code: number,
  message: string,
  data?: unknown,
): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: { code, message, ...(data !== undefined ? { data } : {}) } };
}

export type Classified =
  | { kind: 'request'; msg: JsonRpcRequest }
  | { kind: 'notification'; msg: JsonRpcNotification }
  | { kind: 'response' }
  | { kind: 'invalid'; id: JsonRpcId | null; why: string };

/** Classifies one parsed JSON value as a JSON-RPC message, or says why it is not one. */
export function classify(value: unknown): Classified {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { kind: 'invalid', id: null, why: 'A JSON-RPC message must be an object.' };
  const v = value as Record<string, unknown>;
  const id = typeof v.id === 'string' || typeof v.id === 'number' ? v.id : null;
  if (v.jsonrpc !== '2.0') return { kind: 'invalid', id, why: 'jsonrpc must be "2.0".' };
  if ('result' in v || 'error' in v) return { kind: 'response' };
  if (typeof v.method !== 'string') return { kind: 'invalid', id, why: 'method must be a string.' };
  if (
    v.params !== undefined &&
    (typeof v.params !== 'object' || v.params === null || Array.isArray(v.params))
  )
    return { kind: 'invalid', id, why: 'params must be an object.' };
  if (!('id' in v)) return { kind: 'notification', msg: v as unknown as JsonRpcNotification };
  if (id === null) return { kind: 'invalid', id: null, why: 'id must be a string or a number.' };
  return { kind: 'request', msg: v as unknown as JsonRpcRequest };
}
