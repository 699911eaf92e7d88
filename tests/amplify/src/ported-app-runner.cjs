// Runs the ported app (tests/amplify/ported-app/app.ts, compiled to CommonJS) in this process, on one platform:
//   node ported-app-runner.cjs <amplify|offgrid> <compiled app dir> <config JSON>
// The only platform-specific part is here, and it is what an app has outside its code: Amplify's
// `Amplify.configure(awsExports)` with a sign-in token provider, or Offgrid's server address and credentials.
// Prints the app's report as one JSON line on stdout.
const { request } = require('node:https');
const { join } = require('node:path');
const { format } = require('node:util');

const [platform, appDir, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
// stdout carries the report; both libraries' logging goes to stderr.
for (const level of ['log', 'info', 'debug', 'warn']) console[level] = (...args) => process.stderr.write(`${format(...args)}\n`);

// PORTED_APP_TRACE=1: print every refused HTTP request and its answer (how a stalled sync is found).
if (process.env.PORTED_APP_TRACE === '1') {
  const original = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const res = await original(url, init);
    if (res.status >= 400) process.stderr.write(`TRACE ${res.status} ${init?.body}\n${await res.clone().text()}\n`);
    return res;
  };
}
if (platform === 'amplify') {
  // What a browser gives Amplify.
  require('./browser-globals.cjs');
  const { Amplify } = require('aws-amplify');
  const { decodeJWT } = require('aws-amplify/auth');
  Amplify.configure(
    {
      aws_project_region: 'us-east-1',
      aws_appsync_graphqlEndpoint: config.url,
      aws_appsync_region: 'us-east-1',
      aws_appsync_authenticationType: 'AMAZON_COGNITO_USER_POOLS',
      aws_appsync_apiKey: config.apiKey,
    },
    { Auth: { tokenProvider: { getTokens: async () => ({ accessToken: decodeJWT(config.token), idToken: decodeJWT(config.token) }) } } },
  );
} else {
  // Offgrid: the server and both credentials (each model syncs with the one its @auth rules call for).
  const { DataStore } = require('@offgrid/core/amplify');
  DataStore.configure({ sync: { url: config.url, auth: { apiKey: config.apiKey, token: () => config.token }, webSocketImpl: require('ws') } });
}

function remote(query, as = 'apiKey') {
  const headers = as === 'user' ? { authorization: config.token } : { 'x-api-key': config.apiKey };
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query });
    const req = request(config.url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const { runBlogApp } = require(join(appDir, 'app.js'));
const partial = {};
// A step that never ends: report how far the app got, then stop.
setTimeout(() => {
  process.stdout.write(`${JSON.stringify({ error: `the app did not finish; it got as far as: ${Object.keys(partial).join(', ')}`, report: partial })}\n`);
  process.exit(1);
}, Number(process.env.PORTED_APP_TIMEOUT_MS ?? 120_000)).unref();
// The event loop emptied with the app still waiting (Amplify waiting for an `online` that never comes, say):
// report how far it got instead of ending without a word.
process.on('beforeExit', () => {
  process.stdout.write(`${JSON.stringify({ error: `the app stopped waiting with nothing left to run; it got as far as: ${Object.keys(partial).join(', ')}`, report: partial })}\n`);
  process.exit(1);
});
runBlogApp({ remote, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }, partial).then(
  (report) => {
    process.stdout.write(`${JSON.stringify({ report })}\n`);
    process.exit(0);
  },
  (error) => {
    process.stdout.write(`${JSON.stringify({ error: String(error?.stack ?? error) })}\n`);
    process.exit(1);
  },
);
