/** git's pkt-line framing: 4 hex digits of length (including themselves), then the payload. */
export const FLUSH = Buffer.from('0000');
export const DELIM = Buffer.from('0001');

export function pktLine(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from((payload.length + 4).toString(16).padStart(4, '0')), payload]);
}

export type Packet = { kind: 'data'; payload: Buffer } | { kind: 'flush' | 'delim' | 'end' };

/** Splits a buffer of pkt-lines; payloads are views into the input (no copies). */
export function* readPackets(buffer: Buffer): Generator<Packet> {
  let pos = 0;
  while (pos + 4 <= buffer.length) {
    const hex = buffer.toString('latin1', pos, pos + 4);
    if (!/^[0-9a-f]{4}$/i.test(hex)) throw new Error('malformed pkt-line');
    const length = parseInt(hex, 16);
    if (length < 4) {
      pos += 4;
      yield { kind: length === 0 ? 'flush' : length === 1 ? 'delim' : 'end' };
      continue;
    }
    if (pos + length > buffer.length) throw new Error('truncated pkt-line');
    yield { kind: 'data', payload: buffer.subarray(pos + 4, pos + length) };
    pos += length;
  }
}

/** Capabilities of a protocol v2 advertisement ("fetch=shallow filter" → fetch: "shallow filter"). */
export function parseV2Capabilities(advertisement: Buffer | null): { version: 1 | 2; capabilities: Map<string, string> } {
  const capabilities = new Map<string, string>();
  if (advertisement === null) return { version: 1, capabilities };
  let version: 1 | 2 = 1;
  try {
    for (const packet of readPackets(advertisement)) {
      if (packet.kind !== 'data') continue;
      const line = packet.payload.toString('utf8').replace(/\n$/, '');
      if (line === 'version 2') version = 2;
      else if (version === 2) {
        const eq = line.indexOf('=');
        capabilities.set(eq < 0 ? line : line.slice(0, eq), eq < 0 ? '' : line.slice(eq + 1));
      }
    }
  } catch {
    return { version: 1, capabilities };
  }
  return { version, capabilities };
}

/**
 * Capabilities of a protocol v0/v1 advertisement: after the first ref's NUL
 * ("<oid> HEAD\0multi_ack side-band-64k shallow filter …").
 */
export function parseV1Capabilities(advertisement: Buffer | null): Set<string> {
  if (advertisement === null) return new Set();
  try {
    for (const packet of readPackets(advertisement)) {
      if (packet.kind !== 'data') continue;
      const nul = packet.payload.indexOf(0);
      if (nul < 0) continue;
      return new Set(packet.payload.subarray(nul + 1).toString('utf8').trim().split(' ').filter(Boolean));
    }
  } catch {
    // a malformed advertisement offers nothing
  }
  return new Set();
}
