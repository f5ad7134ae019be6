// Reference Better-Auth server for the gateway auth benchmark.
// Usage: node reference-server.mjs [port]; prints "BETTER-AUTH-READY <port>" once listening
// and exits when stdin closes, so it never outlives the harness that started it.
import { createServer } from "node:http";
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { toNodeHandler } from "better-auth/node";
import { bearer, jwt } from "better-auth/plugins";

const port = Number(process.argv[2] ?? 3000);
const host = "127.0.0.1";

const auth = betterAuth({
  database: memoryAdapter({ user: [], session: [], account: [], verification: [], jwks: [] }),
  emailAndPassword: { enabled: true },
  plugins: [jwt(), bearer()],
  secret: process.env.BETTER_AUTH_SECRET ?? "streamops-benchmark-secret-not-for-production",
  baseURL: `http://${host}:${port}`,
  // Disabled so the benchmark measures raw throughput, not the limiter.
  rateLimit: { enabled: false },
  logger: { level: "error" },
});

createServer(toNodeHandler(auth)).listen(port, host, () => {
  console.log(`BETTER-AUTH-READY ${port}`);
});

process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
process.on("SIGTERM", () => process.exit(0));
