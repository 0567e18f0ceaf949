/** A minimal DNS server over UDP for the lookup test: A records from a map, empty answers otherwise (RFC 1035 §4). */
import * as dgram from "node:dgram";

export interface DnsServer {
  queries: number;
  close(): Promise<void>;
}

function questionEnd(message: Buffer): number {
  let offset = 12;
  while (message[offset] !== 0) offset += message[offset] + 1;
  return offset + 5; // zero label, QTYPE, QCLASS
}

function questionName(message: Buffer): string {
  const labels: string[] = [];
  let offset = 12;
  while (message[offset] !== 0) {
    labels.push(message.toString("ascii", offset + 1, offset + 1 + message[offset]));
    offset += message[offset] + 1;
  }
  return labels.join(".").toLowerCase();
}

export async function startDnsServer(address: string, records: Record<string, string>): Promise<DnsServer> {
  const socket = dgram.createSocket("udp4");
  const server: DnsServer = { queries: 0, close: () => new Promise((resolve) => socket.close(() => resolve())) };
  socket.on("message", (query, peer) => {
    server.queries++;
    const end = questionEnd(query);
    const type = query.readUInt16BE(end - 4);
    const name = questionName(query);
    const ip = records[name];
    const answer = type === 1 && ip ? Buffer.concat([Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4]), Buffer.from(ip.split(".").map(Number))]) : Buffer.alloc(0);
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(0x8180 | (ip ? 0 : 3), 2); // response, recursion available; NXDOMAIN when unknown
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answer.length > 0 ? 1 : 0, 6);
    socket.send(Buffer.concat([header, query.subarray(12, end), answer]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(53, address, resolve));
  return server;
}
