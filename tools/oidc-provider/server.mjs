// A real OpenID provider on loopback for the dashboard's browser tests: panva/oidc-provider with its own login and
// consent forms (devInteractions: any password is accepted; the login is the subject). One provider per council
// issuer, each on its own port. Access tokens are RS256 JWTs for the API's audience, carrying the scopes granted,
// the account's name and the council claim. Started by tests/Apportionment.Dashboard.Tests (DashboardWorld):
//
//   node server.mjs '<json>'   with json = { "redirectUri": "http://127.0.0.1:5000/dashboard/",
//     "audience": "apportionment", "scope": "statements:read agreements:approve", "accessTokenTtl": 300,
//     "issuers": [{ "port": 5101, "accounts": { "alice": { "name": "Alice Smith", "council": "MDDC" } } }] }
//
// Prints "ready <issuer>" per issuer once it listens; stops when stdin closes (so it dies with the test process).
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2]);

function providerFor({ port, accounts }) {
  const issuer = `http://127.0.0.1:${port}`;
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const account = (id) => ({ name: id, ...(accounts[id] ?? {}) });
  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'dashboard',
      token_endpoint_auth_method: 'none',
      application_type: 'web',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [config.redirectUri],
      post_logout_redirect_uris: [config.redirectUri],
    }],
    jwks: { keys: [{ ...key, use: 'sig', alg: 'RS256', kid: `test-${port}` }] },
    cookies: { keys: [`cookie-key-${port}`] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name'], council: ['council'] },
    // The profile claims go into the ID token (there is no user info call: the dashboard connects to nothing else).
    conformIdTokenClaims: false,
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, name: account(id).name, council: account(id).council }) }),
    extraTokenClaims: (_ctx, token) => ({ name: account(token.accountId).name, council: account(token.accountId).council }),
    ttl: { AccessToken: config.accessTokenTtl, IdToken: config.accessTokenTtl, Session: 3600, Grant: 3600, Interaction: 600 },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => config.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: config.scope,
          audience: config.audience,
          accessTokenFormat: 'jwt',
          accessTokenTTL: config.accessTokenTtl,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  // The built-in pages import a web font; drop it so nothing leaves the machine during a test.
  provider.use(async (ctx, next) => {
    await next();
    if (typeof ctx.body === 'string') ctx.body = ctx.body.replace(/@import url\([^)]*\);/g, '');
  });
  return new Promise((resolve) => {
    const server = provider.listen(port, '127.0.0.1', () => {
      process.stdout.write(`ready ${issuer}\n`);
      resolve(server);
    });
  });
}

const servers = await Promise.all(config.issuers.map(providerFor));
process.stdin.resume();
process.stdin.on('end', () => {
  servers.forEach((s) => s.close());
  process.exit(0);
});
