import { timingSafeEqual } from 'node:crypto';
import { Authorizer, type AuthorizerRequest } from 'sls-ts';

/**
 * Guards the admin namespace (config/routes.ts): `Authorization: Bearer <ADMIN_TOKEN>`. API Gateway
 * runs it before StatsController, whose functions never see a request without the token.
 */
export default class AdminAuthorizer extends Authorizer {
  // API Gateway answers 401 itself, without invoking this, to a header that is not a bearer token.
  static override validation = '^Bearer [-0-9a-zA-Z._~+/]+=*$';
  // API Gateway caches the answer per token for a minute: a rotated token stops working within it.
  static override ttl = 60;

  authorize(request: AuthorizerRequest) {
    const expected = process.env.ADMIN_TOKEN;
    // A missing variable is the deployment's fault, not the caller's: a 500 with this in the logs.
    if (!expected) throw new Error('ADMIN_TOKEN is not set: add it to .env.<stage>');
    const sent = Buffer.from(request.token ?? '');
    const wanted = Buffer.from(`Bearer ${expected}`);
    // Constant-time, so response times do not reveal how much of the token was right.
    if (sent.length === wanted.length && timingSafeEqual(sent, wanted)) return this.allow('admin', { role: 'admin' });
    return this.deny('anonymous');
  }
}
