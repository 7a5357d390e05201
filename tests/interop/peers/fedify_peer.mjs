// Fedify as an independent peer of Townhall's interop tier (tests/interop/test_fedify.py).
//
// One HTTPS server on FEDIFY_ADDRESS:443 for https://FEDIFY_HOST: an actor `fedi` served by
// Fedify itself (WebFinger, actor, key, inbox), plus a control API under /_control/ through
// which the test makes Fedify look things up and send activities. Every request Fedify sends
// is recorded (method, URL, signature scheme, answer) so that a test can tell an RFC 9421
// signature from a draft-cavage one, and see whether Fedify had to knock twice.
//
// Environment: FEDIFY_HOST, FEDIFY_ADDRESS, TLS_CERT, TLS_KEY; NODE_EXTRA_CA_CERTS trusts the
// harness's certificate authority.
import { readFileSync } from "node:fs";
import { createServer } from "node:https";

import { createFederation, generateCryptoKeyPair, MemoryKvStore } from "@fedify/fedify";
import { Activity, Endpoints, Person } from "@fedify/fedify/vocab";

const host = process.env.FEDIFY_HOST;
const address = process.env.FEDIFY_ADDRESS;
const origin = `https://${host}`;
const IDENTIFIER = "fedi";

// Every request Fedify makes goes through the global fetch: record each one.
const sent = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const request = new Request(input, init);
  const headers = request.headers;
  const scheme = headers.has("signature-input")
    ? "rfc9421"
    : headers.has("signature")
      ? "draft-cavage"
      : "unsigned";
  const entry = {
    method: request.method,
    url: request.url,
    scheme,
    accept: headers.get("accept"),
    signatureInput: headers.get("signature-input"),
    status: null,
  };
  sent.push(entry);
  try {
    const response = await realFetch(request);
    entry.status = response.status;
    return response;
  } catch (error) {
    entry.status = `error: ${error}`;
    throw error;
  }
};

const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const received = [];

const federation = createFederation({
  kv: new MemoryKvStore(),
  allowPrivateAddress: true, // the peers live on 127.0.0.x with .test names
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== IDENTIFIER) return null;
    const actorKeys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fedify interop peer",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: actorKeys[0].cryptographicKey,
      assertionMethods: actorKeys.map((pair) => pair.multikey),
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === IDENTIFIER ? [keys] : []));

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Activity, async (_ctx, activity) => {
    received.push(await activity.toJsonLd({ format: "compact" }));
  });

function context() {
  return federation.createContext(new URL(origin), undefined);
}

async function lookup(body) {
  const ctx = context();
  const options = body.signed
    ? { documentLoader: await ctx.getDocumentLoader({ identifier: IDENTIFIER }) }
    : {};
  const found = await ctx.lookupObject(body.target, options);
  if (found == null) return { found: null };
  return { found: await found.toJsonLd({ format: "compact" }) };
}

async function webfinger(body) {
  return { jrd: await context().lookupWebFinger(body.resource) };
}

async function send(body) {
  const ctx = context();
  const documentLoader = await ctx.getDocumentLoader({ identifier: IDENTIFIER });
  const recipient = await ctx.lookupObject(body.recipient, { documentLoader });
  if (recipient == null) throw new Error(`cannot look up the recipient ${body.recipient}`);
  const activity = await Activity.fromJsonLd(body.activity, {
    documentLoader: ctx.documentLoader,
    contextLoader: ctx.contextLoader,
  });
  await ctx.sendActivity({ identifier: IDENTIFIER }, recipient, activity, { immediate: true });
  return { sent: true };
}

const controls = {
  "POST /_control/lookup": lookup,
  "POST /_control/webfinger": webfinger,
  "POST /_control/send": send,
  "GET /_control/requests": async () => ({ requests: sent }),
  "GET /_control/received": async () => ({ received }),
  "GET /_control/actor": async () => ({ id: context().getActorUri(IDENTIFIER).href }),
};

async function readBody(message) {
  const chunks = [];
  for await (const chunk of message) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function handle(message, reply) {
  const body = await readBody(message);
  const url = new URL(message.url, origin);
  const control = controls[`${message.method} ${url.pathname}`];
  let response;
  if (control) {
    try {
      const input = body.length ? JSON.parse(body.toString("utf8")) : {};
      response = Response.json({ ok: true, ...(await control(input)) });
    } catch (error) {
      response = Response.json({ ok: false, error: String(error?.stack ?? error) });
    }
  } else {
    const request = new Request(url, {
      method: message.method,
      headers: Object.entries(message.headers).flatMap(([name, value]) =>
        Array.isArray(value) ? value.map((one) => [name, one]) : [[name, value]],
      ),
      body: ["GET", "HEAD"].includes(message.method) ? undefined : body,
    });
    response = await federation.fetch(request, { contextData: undefined });
  }
  reply.writeHead(response.status, Object.fromEntries(response.headers));
  reply.end(Buffer.from(await response.arrayBuffer()));
}

const server = createServer(
  { cert: readFileSync(process.env.TLS_CERT), key: readFileSync(process.env.TLS_KEY) },
  (message, reply) => {
    handle(message, reply).catch((error) => {
      reply.writeHead(500, { "content-type": "text/plain" });
      reply.end(String(error?.stack ?? error));
    });
  },
);
server.listen(443, address, () => console.log(`fedify peer listening on ${origin}`));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
