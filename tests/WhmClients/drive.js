'use strict';
// Drives a WHM server (here: the WhmAdmin sample) with cpanel-lib, a third-party WHM client from the npm registry,
// used unchanged through its documented options. One JSON line per call on standard output: what the client handed
// back (error and result), the HTTP status and content type it received, whether that is what WHM answers, and why not.
// Exit code: 0 every call answered as WHM does, 1 at least one did not, 2 bad usage.
//
//   WHM_TOKEN=<token> node drive.js <base url> [user]        (or WHM_URL / WHM_USER instead of the arguments)
//
// The token is read from the environment only (never an argument: process lists show those) and never printed;
// neither is the token api_token_create returns.

const diagnostics = require('node:diagnostics_channel');
const cpanel = require('cpanel-lib');

const baseUrl = process.argv[2] || process.env.WHM_URL;
const user = process.argv[3] || process.env.WHM_USER || 'root';
const token = process.env.WHM_TOKEN;
if (!baseUrl || !token) {
  process.stderr.write('usage: WHM_TOKEN=<API token of the user> node drive.js <base url, e.g. http://127.0.0.1:5000> [user, default root]\n');
  process.exit(2);
}

const callTimeoutMs = Number(process.env.WHM_DRIVE_TIMEOUT_MS || 30000);
const account = process.env.WHM_DRIVE_ACCOUNT || 'drive' + Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 6).padEnd(6, 'x');
const domain = `${account}.example.com`;
const reason = 'Unpaid invoice 42';
const contactEmail = `ops@${domain}`;
const limitedName = 'drive-limited';
const renamedName = 'drive-renamed';
const whmVersion = /^11\.\d+\.\d+\.\d+$/;
const accessDenied = { apiversion: '2', error: 'Access denied', data: { reason: 'Access denied', result: '0' }, type: 'text' };

// The client does not expose the HTTP status; Node's own diagnostics channel shows it without touching the client.
let lastResponse = null;
diagnostics.channel('http.client.response.finish').subscribe(({ response }) => {
  lastResponse = { status: response.statusCode, type: String(response.headers['content-type'] || '').split(';')[0] };
});

function client(name, secret) {
  const url = new URL(baseUrl);
  const secure = url.protocol === 'https:';
  return cpanel.createClient({
    host: url.hostname,
    port: Number(url.port || (secure ? 443 : 80)),
    secure,
    ignoreCertError: process.env.WHM_INSECURE === '1',
    username: name,
    accessKey: secret, // the client sends "Authorization: WHM <username>:<accessKey>"; WHM takes an API token there
  });
}

function call(whm, fn, params) {
  return new Promise((resolve) => {
    lastResponse = null;
    const timer = setTimeout(() => resolve({ error: `no answer within ${callTimeoutMs} ms`, http: lastResponse }), callTimeoutMs);
    whm.call(fn, params, (err, res) => {
      clearTimeout(timer);
      resolve({ error: err == null ? null : String(err.message || err), result: res === undefined ? null : res, http: lastResponse });
    });
  });
}

function redact(value) {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'token' && typeof v === 'string' ? `<redacted, ${v.length} chars>` : redact(v)]));
  }
  return value;
}

// Each check returns a list of problems (empty: the call answered as WHM does).
const problems = [];
function expectHttp(outcome, status, type) {
  if (outcome.error) problems.push(`the client reported an error: ${outcome.error}`);
  if (!outcome.http) return problems.push('no HTTP response');
  if (outcome.http.status !== status) problems.push(`HTTP ${outcome.http.status}, WHM answers ${status}`);
  if (type && outcome.http.type !== type) problems.push(`Content-Type ${outcome.http.type}, WHM answers ${type}`);
}
function expect(condition, what) {
  if (!condition) problems.push(what);
}
const api1 = (o, command, result) => {
  const m = o.result && o.result.metadata;
  expect(m && m.command === command && m.version === 1, `an API 1 envelope for ${command}`);
  expect(m && m.result === result, `metadata.result ${result} (got ${m && m.result}: ${m && m.reason})`);
  return (o.result && o.result.data) || {};
};
const api0List = (o) => {
  const r = o.result && Array.isArray(o.result.result) && o.result.result[0];
  expect(r && r.status === 1, r ? `result[0].status 1 (got ${r.status}: ${r.statusmsg})` : 'API 0: {"result":[{"status":1,…}]}');
};
const accounts = (o) => (o.result && (o.result.acct || (o.result.data && o.result.data.acct))) || [];

let failed = 0;
async function step(name, whm, fn, params, check) {
  const outcome = await call(whm, fn, params);
  problems.length = 0;
  try {
    check(outcome);
  } catch (e) {
    problems.push(`unexpected answer: ${e.message}`);
  }
  if (problems.length) failed++;
  const line = { call: name, function: fn, http: outcome.http, error: outcome.error, result: redact(outcome.result), ok: problems.length === 0 };
  if (problems.length) line.problems = [...problems];
  process.stdout.write(JSON.stringify(line) + '\n');
  return outcome;
}

async function main() {
  const root = client(user, token);

  // Read calls, as the client's README shows them (no api.version: WHM API 0), and once in API 1.
  await step('version', root, 'version', {}, (o) => {
    expectHttp(o, 200);
    expect(whmVersion.test(o.result && o.result.version), `res.version is a cPanel build string (got ${JSON.stringify(o.result && o.result.version)})`);
  });
  await step('version api.version=1', root, 'version', { 'api.version': 1 }, (o) => {
    expectHttp(o, 200);
    const data = api1(o, 'version', 1);
    expect(whmVersion.test(data.version), `data.version is a cPanel build string (got ${JSON.stringify(data.version)})`);
  });
  await step('listaccts', root, 'listaccts', {}, (o) => {
    expectHttp(o, 200);
    expect(o.result && o.result.status === 1 && Array.isArray(o.result.acct), 'API 0: {"acct":[…],"status":1,…}');
    const users = accounts(o).map((a) => a.user);
    expect(!users.includes('root'), 'root is never listed');
    expect(users.includes('reseller'), 'the seeded reseller is listed');
  });

  // Account calls.
  await step('createacct', root, 'createacct', { username: account, domain }, (o) => {
    expectHttp(o, 200);
    api0List(o);
  });
  await step('listaccts search', root, 'listaccts', { 'api.version': 1, search: account, searchtype: 'user' }, (o) => {
    expectHttp(o, 200);
    api1(o, 'listaccts', 1);
    const list = accounts(o);
    expect(list.length === 1, `one account matches user ${account} (got ${list.length})`);
    const a = list[0] || {};
    expect(a.user === account && a.domain === domain, `the entry has user ${account} and domain ${domain}`);
    expect(a.owner === user && a.suspended === 0, `owner ${user}, suspended 0`);
  });
  await step('suspendacct', root, 'suspendacct', { user: account, reason }, (o) => {
    expectHttp(o, 200);
    api0List(o);
  });
  await step('suspendacct again', root, 'suspendacct', { user: account, reason }, (o) => {
    expectHttp(o, 200);
    api0List(o); // WHM: suspending a suspended account is still result 1
  });
  await step('listaccts want suspended', root, 'listaccts', { search: account, searchtype: 'user', want: 'user,suspended,suspendreason' }, (o) => {
    expectHttp(o, 200);
    expect(o.result && o.result.status === 1, 'API 0 status 1');
    const a = accounts(o)[0] || {};
    expect(a.suspended === 1 && a.suspendreason === reason, `suspended 1 with suspendreason "${reason}"`);
    expect(Object.keys(a).every((k) => ['user', 'suspended', 'suspendreason'].includes(k)), `only the wanted fields (got ${Object.keys(a)})`);
  });
  await step('unsuspendacct', root, 'unsuspendacct', { user: account }, (o) => {
    expectHttp(o, 200);
    api0List(o);
  });
  await step('modifyacct', root, 'modifyacct', { 'api.version': 1, user: account, contactemail: contactEmail }, (o) => {
    expectHttp(o, 200);
    api1(o, 'modifyacct', 1); // only user is required
  });
  await step('listaccts want email', root, 'listaccts', { search: account, searchtype: 'user', want: 'user,email,suspended' }, (o) => {
    expectHttp(o, 200);
    const a = accounts(o)[0] || {};
    expect(a.email === contactEmail && a.suspended === 0, `email ${contactEmail}, suspended 0 (got ${a.email}, ${a.suspended})`);
  });
  await step('setacls', root, 'setacls', { 'api.version': 1, reseller: account, 'acl-list-accts': 1, 'acl-create-acct': 1 }, (o) => {
    expectHttp(o, 200);
    const data = api1(o, 'setacls', 1);
    const acl = Array.isArray(data.acl) ? data.acl : Object.keys(data.acl || {}).filter((k) => Number(data.acl[k]) === 1);
    expect(acl.includes('list-accts') && acl.includes('create-acct'), `data.acl holds list-accts and create-acct (got ${JSON.stringify(data.acl)})`);
  });
  await step('removeacct', root, 'removeacct', { username: account }, (o) => {
    expectHttp(o, 200);
    api0List(o); // WHM takes user or username
  });
  await step('listaccts after removeacct', root, 'listaccts', { 'api.version': 1, search: account, searchtype: 'user' }, (o) => {
    expectHttp(o, 200);
    api1(o, 'listaccts', 1);
    expect(!('data' in (o.result || {})), 'no match: result 1 and no data');
  });
  await step('unknown function', root, 'no_such_function', { 'api.version': 1 }, (o) => {
    expect(!o.error, `the client reported an error: ${o.error}`);
    api1(o, 'no_such_function', 0);
  });

  // The five token calls (API 1 only: they answer the API 1 envelope with or without api.version).
  let limited = null;
  await step('api_token_create', root, 'api_token_create', { token_name: limitedName, 'acl-1': 'list-accts' }, (o) => {
    expectHttp(o, 200);
    const data = api1(o, 'api_token_create', 1);
    expect(data.name === limitedName, `data.name ${limitedName}`);
    expect(typeof data.token === 'string' && data.token.length > 0, 'data.token holds the new token');
    limited = typeof data.token === 'string' ? data.token : null;
  });
  const limitedClient = client(user, limited || 'missing');
  await step('listaccts with the limited token', limitedClient, 'listaccts', {}, (o) => {
    expectHttp(o, 200);
    expect(o.result && o.result.status === 1, 'API 0 status 1: the token holds list-accts');
  });
  await step('createacct with the limited token', limitedClient, 'createacct', { username: account + 'b', domain: `b.${domain}` }, (o) => {
    expectHttp(o, 403);
    expect(o.result && o.result.status === 0 && o.result.statusmsg === 'Permission Denied', 'API 0: {"status":0,"statusmsg":"Permission Denied"}');
  });
  await step('api_token_list', root, 'api_token_list', { 'api.version': 1 }, (o) => {
    expectHttp(o, 200);
    const data = api1(o, 'api_token_list', 1);
    const t = (data.tokens || {})[limitedName] || {};
    expect(t.name === limitedName, `tokens["${limitedName}"] is listed`);
    expect(t.acls && t.acls['list-accts'] === 1 && t.acls['create-acct'] === 0, 'its acls map list-accts to 1 and create-acct to 0');
  });
  await step('api_token_update', root, 'api_token_update', { 'api.version': 1, token_name: limitedName, new_name: renamedName }, (o) => {
    expectHttp(o, 200);
    const data = api1(o, 'api_token_update', 1);
    expect(data.name === renamedName, `data.name ${renamedName}`);
  });
  await step('api_token_get_details', root, 'api_token_get_details', { 'api.version': 1, token: limited || 'missing' }, (o) => {
    expectHttp(o, 200);
    const data = api1(o, 'api_token_get_details', 1);
    expect(data.name === renamedName, `data.name ${renamedName}`);
    expect(Array.isArray(data.acls) && data.acls.includes('list-accts'), 'data.acls lists list-accts');
  });
  await step('api_token_revoke', root, 'api_token_revoke', { 'api.version': 1, token_name: renamedName }, (o) => {
    expectHttp(o, 200);
    api1(o, 'api_token_revoke', 1);
  });

  // Refused credentials: WHM's 403 text/plain cpanelresult, identical for every reason.
  const refused = (o) => {
    expectHttp(o, 403, 'text/plain');
    expect(JSON.stringify(o.result && o.result.cpanelresult) === JSON.stringify(accessDenied), 'the cpanelresult "Access denied" body');
  };
  await step('version with the revoked token', limitedClient, 'version', {}, refused);
  const wrong = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0'); // a digit: wrong in any letter case
  await step('version with a bad token', client(user, wrong), 'version', {}, refused);

  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  process.stderr.write(`drive.js: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
