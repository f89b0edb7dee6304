// A local OpenID provider for Fiilis's sign-in tests and the demo sign-in (`make oidc-demo`).
//
// It is the certified `oidc-provider` package with its built-in development sign-in form
// (any password; the "login" field names one of the users below), one registered client
// and a handful of people. Everything comes from the environment:
//
//   OIDC_PROVIDER_PORT      port on 127.0.0.1 (required)
//   OIDC_PROVIDER_ISSUER    issuer to announce (default http://127.0.0.1:<port>)
//   OIDC_CLIENT_ID / OIDC_CLIENT_SECRET / OIDC_REDIRECT_URI / OIDC_POST_LOGOUT_URI
//   OIDC_PROVIDER_USERS     JSON {"login": {"email": ..., "email_verified": true}, ...}
//   OIDC_PROVIDER_CLOCK_SKEW  seconds added to the provider's clock (tests of expired tokens)
//   OIDC_PROVIDER_ID_TOKEN_TTL  lifetime of an ID token in seconds (default 3600)
//
// Prints "listening <issuer>" once it accepts connections.
import Provider from 'oidc-provider';

const env = process.env;
const port = Number(env.OIDC_PROVIDER_PORT);
if (!port) {
  console.error('OIDC_PROVIDER_PORT is required');
  process.exit(2);
}
const skew = Number(env.OIDC_PROVIDER_CLOCK_SKEW || 0) * 1000;
if (skew) {
  const realNow = Date.now;
  Date.now = () => realNow() + skew;
}
const issuer = env.OIDC_PROVIDER_ISSUER || `http://127.0.0.1:${port}`;
const users = JSON.parse(env.OIDC_PROVIDER_USERS || JSON.stringify({
  official: { email: 'official@hel.fi', email_verified: true, name: 'Olli Official' },
  admin: { email: 'admin@hel.fi', email_verified: true, name: 'Aino Admin' },
  artist: { email: 'artist@example.org', email_verified: true, name: 'Arja Artist' },
  unverified: { email: 'official@hel.fi', email_verified: false, name: 'Not Verified' },
  stranger: { email: 'stranger@hel.fi', email_verified: true, name: 'Sanna Stranger' },
}));

const provider = new Provider(issuer, {
  clients: [{
    client_id: env.OIDC_CLIENT_ID || 'fiilis',
    client_secret: env.OIDC_CLIENT_SECRET || 'fiilis-demo-secret',
    redirect_uris: [env.OIDC_REDIRECT_URI || 'http://127.0.0.1:5000/login/oidc/callback'],
    post_logout_redirect_uris: [env.OIDC_POST_LOGOUT_URI || 'http://127.0.0.1:5000/login'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  // PKCE for every client, not only public ones.
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // The city's providers put the e-mail in the ID token; so does this one.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  ttl: { IdToken: Number(env.OIDC_PROVIDER_ID_TOKEN_TTL || 3600) },
  cookies: { keys: ['fiilis-local-provider-only'] },
  // Fiilis is the city's own service: no consent screen after signing in.
  async loadExistingGrant(ctx) {
    const { client, session } = ctx.oidc;
    const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const user = users[id];
    if (!user) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...user }; } };
  },
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
