import type { Client } from 'aedes';

interface MqttPacketParser {
  packet: { cmd?: string; length: number };
  _parseLength(): boolean;
  _emitError(err: Error): void;
}

/**
 * Closes a connection as soon as a packet's fixed header announces more than `maxBytes` (the Remaining
 * Length, MQTT 3.1.1 §2.2.3), before its body is buffered: aedes has no such limit of its own, and
 * without one a client could make the broker hold up to 256 MB per connection.
 *
 * It wraps `_parseLength` of the client's mqtt-packet 9 parser (aedes 1.x, `client._parser`); a test in
 * broker/test checks that an oversized packet is refused, so an upgrade that changes this is caught.
 */
export function guardPacketSize(client: Client, maxBytes: number, onTooLarge: (bytes: number, cmd: string) => void): void {
  const parser = (client as unknown as { _parser?: MqttPacketParser })._parser;
  if (!parser || typeof parser._parseLength !== 'function') throw new Error('aedes client has no mqtt-packet parser: the packet size guard needs updating for this aedes version');
  const parseLength = parser._parseLength.bind(parser);
  parser._parseLength = function guardedParseLength(this: MqttPacketParser): boolean {
    const done = parseLength();
    if (done && this.packet.length > maxBytes) {
      onTooLarge(this.packet.length, this.packet.cmd ?? 'packet');
      this._emitError(new Error(`${this.packet.cmd ?? 'packet'} of ${this.packet.length} bytes is larger than the broker's limit of ${maxBytes} bytes`));
      return false;
    }
    return done;
  };
}
