import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import type { JsonRpcMessage, SandboxFrame } from './sandbox-host';

/**
 * An MCP transport over the sandbox proxy, for `AppBridge`. It exists before the frame does, so the
 * bridge is connected before the view loads; messages sent meanwhile wait and go out in order.
 */
export class SandboxTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  #frame: SandboxFrame | undefined;
  readonly #waiting: JsonRpcMessage[] = [];
  #closed = false;

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) throw new Error('The app view is closed.');
    const m = message as JsonRpcMessage;
    if (this.#frame) this.#frame.post(m);
    else this.#waiting.push(m);
  }

  /** The frame is created after the bridge connected; waiting messages go out now. */
  attach(frame: SandboxFrame): void {
    this.#frame = frame;
    for (const m of this.#waiting.splice(0)) frame.post(m);
  }

  /** A message from the view (already checked by the proxy and by `createSandboxFrame`). */
  receive(message: JsonRpcMessage): void {
    if (!this.#closed) this.onmessage?.(message as JSONRPCMessage);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#frame?.destroy();
    this.onclose?.();
  }
}
