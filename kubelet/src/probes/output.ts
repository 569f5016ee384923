/**
 * A bounded output collector for probe runners: keeps at most `limit` bytes (the kubelet keeps
 * 10 KiB of probe output) and renders them as text.
 */
export const MAX_PROBE_OUTPUT = 10 * 1024;

export class BoundedOutput {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly limit = MAX_PROBE_OUTPUT) {}

  write(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const room = this.limit - this.size;
    if (room <= 0) return;
    const part = buf.length > room ? buf.subarray(0, room) : buf;
    this.chunks.push(part);
    this.size += part.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Error text for probe output, never throwing on odd values. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
