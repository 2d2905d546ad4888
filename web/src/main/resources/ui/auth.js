// Signing in, when the archive demands tokens: OAuth 2.0 authorization code flow with PKCE (RFC 7636, S256) as a
// public client, against the provider /ui/config.json names; its endpoints come from the issuer's discovery document.
// The access token lives in this module's memory only (never localStorage or sessionStorage): a reload signs in
// again, which the provider's own session makes a quick round trip. Only the PKCE verifier and the state survive
// the redirect, in sessionStorage, and are removed when the provider answers.

const PENDING = 'stratus.signin';
/** A token refused this soon after signing in is not expired: signing in again would loop. */
const FRESH_MS = 60_000;

let config = null;
let token = null;
let signedInAt = 0;

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function random(n) {
  return base64url(crypto.getRandomValues(new Uint8Array(n)));
}

/** This page without query or fragment: where the provider sends the user back (register it with the provider). */
function redirectUri() {
  return location.origin + location.pathname;
}

async function discovery() {
  const issuer = config.issuer.replace(/\/$/, '');
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`the sign-in provider ${config.issuer} did not answer (${response.status})`);
  const doc = await response.json();
  if (doc.issuer !== config.issuer) throw new Error(`the provider names itself ${doc.issuer}, not ${config.issuer}`);
  return doc;
}

/** Off to the provider's sign-in page; never resolves (the page is left). */
export async function signIn() {
  const verifier = random(32);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = random(16);
  const { authorization_endpoint: endpoint } = await discovery();
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, hash: location.hash }));
  const params = new URLSearchParams({
    response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), scope: config.scopes, state,
    code_challenge: challenge, code_challenge_method: 'S256',
  });
  location.assign(`${endpoint}?${params}`);
  return new Promise(() => {});
}

/** The provider sent the user back: the code is exchanged for a token, and the address cleaned of it. */
async function finish(params) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', location.pathname + (pending?.hash ?? ''));
  if (params.has('error')) {
    throw new Error(`sign-in refused: ${params.get('error')} ${params.get('error_description') ?? ''}`.trim());
  }
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('this sign-in answer was not asked for by this page (its state differs): reload to sign in again');
  }
  const { token_endpoint: endpoint } = await discovery();
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
      client_id: config.clientId, code_verifier: pending.verifier,
    }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || typeof answer.access_token !== 'string') {
    throw new Error(`the provider gave no token: ${answer.error ?? response.status} ${answer.error_description ?? ''}`.trim());
  }
  token = answer.access_token;
  signedInAt = Date.now();
}

/**
 * Called once before anything else: reads whether the archive wants a sign-in, completes one the provider answers,
 * or starts one (the page is left). Resolves when requests may be made.
 */
export async function ready() {
  const response = await fetch('/ui/config.json');
  if (!response.ok) throw new Error(`the browser's settings could not be read (${response.status})`);
  config = (await response.json()).auth;
  if (!config) return;
  const params = new URLSearchParams(location.search);
  if (params.has('code') || params.has('error')) await finish(params);
  else await signIn();
}

/** Whether requests carry a token. */
export function enabled() {
  return config !== null;
}

/** The Authorization header value, or null when the archive demands none. */
export function bearer() {
  return token ? `Bearer ${token}` : null;
}

/**
 * The archive refused the token (401): sign in again (the page is left), unless it was only just issued, which
 * means the provider's tokens do not suit this archive; then false, and the refusal is shown.
 */
export async function refused() {
  if (!config || Date.now() - signedInAt < FRESH_MS) return false;
  return signIn();
}
