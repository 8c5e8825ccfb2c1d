import { createConnection } from "node:net";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/**
 * Neon's serverless driver (inside @vercel/postgres) speaks the Postgres protocol over a WebSocket.
 * This relay forwards each WebSocket to a TCP Postgres, so the Vercel path can be tested against
 * the local server (`neonConfig.wsProxy` points at it). Loopback only; tests start and stop it.
 */
export async function startWsRelay(): Promise<{ port: number; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  const sockets = new Set<WebSocket>();
  wss.on("connection", (ws, req) => {
    sockets.add(ws);
    const address = new URL(req.url ?? "/", "http://relay").searchParams.get("address") ?? "";
    const [host, port] = address.split(":");
    if (host !== "127.0.0.1" && host !== "localhost") return ws.close(1008, "loopback only");
    const tcp = createConnection({ host: "127.0.0.1", port: Number(port) });
    ws.binaryType = "nodebuffer";
    ws.on("message", (data) => tcp.write(data as Buffer));
    tcp.on("data", (chunk) => ws.send(chunk));
    const end = () => {
      tcp.destroy();
      ws.close();
      sockets.delete(ws);
    };
    ws.on("close", end);
    ws.on("error", end);
    tcp.on("close", end);
    tcp.on("error", end);
  });
  await new Promise<void>((resolve) => wss.once("listening", resolve));
  return {
    port: (wss.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}
