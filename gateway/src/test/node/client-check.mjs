// Better-Auth's own client (better-auth 1.7.25, Node 20) against a server that claims compatibility.
// Usage: node client-check.mjs <baseURL e.g. http://127.0.0.1:3999> [email]
// Flow: sign-up -> sign-in -> getSession -> token (/api/auth/token) [+ jwks + local JWT verify]
//       -> signOut -> getSession (expect null).
// Node has no cookie jar, so the bearer-plugin flow is used: the session token is read from
// the `set-auth-token` response header and sent as `Authorization: Bearer <token>`.
// Every request also carries `Origin: <baseURL origin>`.
// Prints one JSON line per step: {step, ok, status, detail}; exits 1 on the first failure.
import { createAuthClient } from "better-auth/client";
import { jwtClient } from "better-auth/client/plugins";
import { createLocalJWKSet, jwtVerify, decodeJwt } from "jose";

const base = process.argv[2] || "http://127.0.0.1:3999";
const origin = new URL(base).origin;
const email = process.argv[3] || `check-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const password = "correct horse battery staple";
const name = "Client Check";

let bearerToken = null; // value of the last set-auth-token header
let lastStatus = null;

const client = createAuthClient({
  baseURL: base, // "/api/auth" is appended when the URL has no path
  plugins: [jwtClient()],
  fetchOptions: {
    headers: { origin },
    auth: { type: "Bearer", token: () => bearerToken ?? undefined },
    onResponse(ctx) { lastStatus = ctx.response.status; },
    onSuccess(ctx) {
      const t = ctx.response.headers.get("set-auth-token");
      if (t) bearerToken = t;
    },
  },
});

function emit(step, ok, detail) {
  console.log(JSON.stringify({ step, ok, status: lastStatus, detail }));
  if (!ok) process.exit(1);
}
async function run(step, fn, check) {
  lastStatus = null;
  let res;
  try { res = await fn(); } catch (e) { emit(step, false, { exception: String(e?.message || e) }); }
  if (res?.error) emit(step, false, { error: res.error });
  let verdict;
  try { verdict = await check(res?.data, res); } catch (e) { verdict = { ok: false, why: String(e?.message || e) }; }
  emit(step, verdict.ok, verdict.detail ?? verdict.why ?? null);
  return res?.data;
}
const isDate = (d) => d instanceof Date && !isNaN(d); // client's JSON parser revives ISO-8601 strings into Date

// 1. sign-up
const up = await run("sign-up", () => client.signUp.email({ name, email, password }), (d) => ({
  ok: !!d?.user?.id && d.user.email === email.toLowerCase() && d.user.name === name && d.user.emailVerified === false
    && isDate(d.user.createdAt) && typeof d.token === "string" && !!bearerToken,
  detail: { userId: d?.user?.id, email: d?.user?.email, hasToken: typeof d?.token === "string", gotSetAuthToken: !!bearerToken },
}));
const userId = up.user.id;

// 2. sign-in (fresh session)
bearerToken = null;
const si = await run("sign-in", () => client.signIn.email({ email, password }), (d) => ({
  ok: d?.user?.id === userId && typeof d.token === "string" && d.redirect === false && !!bearerToken
    && bearerToken.split(".")[0] === d.token,
  detail: { userId: d?.user?.id, redirect: d?.redirect, bearerIsSignedToken: bearerToken?.split(".")[0] === d?.token },
}));

// 3. getSession
let headerJwt = null;
await run("get-session", () => client.getSession({ fetchOptions: { onSuccess(ctx) { headerJwt = ctx.response.headers.get("set-auth-jwt"); } } }), (d) => ({
  ok: d?.user?.id === userId && d?.session?.userId === userId && d.session.token === si.token && isDate(d.session.expiresAt),
  detail: { sessionId: d?.session?.id, userId: d?.user?.id, expiresAt: d?.session?.expiresAt, gotSetAuthJwt: !!headerJwt },
}));

// 4. JWT via GET /api/auth/token (client proxy: client.token())
const tok = await run("token", () => client.token(), (d) => {
  const c = d?.token ? decodeJwt(d.token) : {};
  return { ok: typeof d?.token === "string" && c.sub === userId, detail: { sub: c.sub, iss: c.iss, aud: c.aud, exp_minus_iat: c.exp - c.iat } };
});

// 5. JWKS via jwt client plugin + verify the JWT locally (EdDSA)
await run("jwks+verify", () => client.jwks(), async (d) => {
  const { payload, protectedHeader } = await jwtVerify(tok.token, createLocalJWKSet(d), { issuer: origin, audience: origin });
  return { ok: payload.sub === userId, detail: { keys: d.keys.length, alg: protectedHeader.alg, kid: protectedHeader.kid } };
});

// 6. sign-out
const tokenBeforeSignOut = bearerToken;
await run("sign-out", () => client.signOut(), (d) => ({ ok: d?.success === true, detail: d }));

// 7. getSession with the (now revoked) token -> expect null
bearerToken = tokenBeforeSignOut;
await run("get-session-after-sign-out", () => client.getSession(), (d) => ({ ok: d === null, detail: { data: d } }));

console.log(JSON.stringify({ step: "done", ok: true, status: null, detail: { email } }));
