// The pool's HTTPS gateway: tus uploads, jobs, events, and the operator's health and metrics.
import { access, constants } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { API_PREFIX, UPLOADS_PATH, type PoolStatus } from '../../contracts/cloud-api';
import { ModelCatalog } from '../../contracts/models';
import { measuredSpeed, queueLoad, usedTodaySec } from '../db/jobs';
import type { Caller } from '../db/tenants';
import { liveWorkers } from '../job-status';
import { Authenticator } from './auth';
import { OperatorAccess } from './operator-access';
import type { GatewayContext } from './context';
import { HttpError } from './http-error';
import { jobRoutes } from './jobs-routes';
import { Limits } from './limits';
import { gatewayMetrics } from './metrics';
import { RedisLocker } from './redis-locker';
import { redisConnection } from '../queues';
import { TENANT_HEADER, uploadServer, uploadStore } from './uploads';

export const POOL_VERSION = '1';

export interface GatewayOptions {
  tls: { key: string; cert: string };
  /** The model catalog the desktop uses: jobs may ask for its Whisper models. */
  catalogPath: string;
}

export interface Gateway {
  app: FastifyInstance;
  close(): Promise<void>;
}

const callers = new WeakMap<FastifyRequest, Caller>();

/** Routes anyone may call: liveness, and the two that decide for themselves what the caller may see. */
const OPEN_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

const FRAMEWORK_REFUSAL: Record<number, string> = {
  400: 'The request could not be read.',
  404: 'There is nothing here.',
  405: 'This method is not allowed here.',
  413: 'The request is too large.',
  415: 'This content type is not accepted here.',
};

export async function buildGateway(context: GatewayContext, options: GatewayOptions): Promise<Gateway> {
  const { config, db, redis } = context;
  const whisperModels = ModelCatalog.parse(JSON.parse(readFileSync(options.catalogPath, 'utf8'))).models.filter((model) => model.kind === 'whisper');
  const app = Fastify({
    https: options.tls,
    loggerInstance: context.log,
    // Job ids in logs follow a request from upload to result; the request id ties one request's lines.
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 64 * 1024,
    // Event streams never end by themselves: on shutdown they are closed, and clients resume elsewhere with Last-Event-ID.
    forceCloseConnections: true,
  }) as unknown as FastifyInstance;
  const metrics = gatewayMetrics(context);
  const auth = new Authenticator(db);
  const operator = new OperatorAccess(config.metricsToken, config.operatorAddresses);
  const limits = new Limits(config, db, redis);
  const locker = new RedisLocker(redisConnection(config.redisUrl, 'gateway-locks'), redisConnection(config.redisUrl, 'gateway-lock-release'));
  await locker.start();
  const store = uploadStore(config, redis);
  const tus = uploadServer(context, store, locker);
  const callerOf = (request: FastifyRequest): Caller => {
    const caller = callers.get(request);
    if (!caller) throw new HttpError(401, 'unauthorized', 'Send your pool token as "Authorization: Bearer vbt_…".');
    return caller;
  };

  app.addHook('onRequest', async (request) => {
    setTenantHeader(request, null);
    // The route the router matched, not the URL as sent: percent-escapes, absolute-form targets and the like are
    // already decoded into it, so no spelling of a path reaches a route without passing here.
    const route = request.routeOptions.url;
    if (route !== undefined && OPEN_ROUTES.has(route)) return;
    // tus clients ask which options the server has before they authenticate; the answer holds nothing of anyone's.
    if (request.method === 'OPTIONS' && (route === UPLOADS_PATH || route === `${UPLOADS_PATH}/*`)) return;
    const caller = await auth.caller(request);
    // An upload's chunks and offset checks are bounded by its size, not rationed: a 4 GB file is 500 chunks.
    const uploadTraffic = route === `${UPLOADS_PATH}/*` && (request.method === 'PATCH' || request.method === 'HEAD');
    if (!uploadTraffic) await limits.request(caller);
    callers.set(request, caller);
    setTenantHeader(request, caller.tenant.id);
    request.log = request.log.child({ tenant: caller.tenant.name, token: caller.tokenPrefix });
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) return reply.code(error.status).headers(error.headers).send({ error: { code: error.code, message: error.message } });
    if (error instanceof ZodError) {
      const issue = error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      return reply.code(400).send({ error: { code: 'invalid-request', message: `${where}${issue?.message ?? 'invalid request'}` } });
    }
    // Fastify's own refusals (a body it cannot parse, a content type it does not take): said in our words, not the parser's.
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return reply.code(status).send({ error: { code: 'bad-request', message: FRAMEWORK_REFUSAL[status] ?? 'The request could not be read.' } });
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'The pool could not answer; try again.' } });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: { code: 'not-found', message: 'There is nothing here.' } }));

  // tus reads the request stream itself: Fastify must leave uploads unparsed.
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));
  const tusHandler = async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
    reply.hijack();
    await tus.handle(request.raw, reply.raw);
  };
  app.all(UPLOADS_PATH, tusHandler);
  app.all(`${UPLOADS_PATH}/*`, tusHandler);

  jobRoutes(app, { context, store, limits, whisperModels, callerOf });

  app.get(`${API_PREFIX}/pool`, async (request): Promise<PoolStatus> => {
    const caller = callerOf(request);
    const queue = context.transcribe.name;
    const [load, speed, workers, used] = await Promise.all([queueLoad(db, queue), measuredSpeed(db, queue), liveWorkers(redis, queue), usedTodaySec(db, caller.tenant.id)]);
    return {
      version: POOL_VERSION,
      tenant: caller.tenant.name,
      workers,
      queued: load.queued,
      running: load.running,
      audioSecPerSec: speed,
      waitSec: speed ? load.audioAheadSec / (speed * Math.max(1, workers)) : load.queued + load.running === 0 ? 0 : null,
      quota: { audioSecPerDay: caller.tenant.quotaAudioSecPerDay, usedTodaySec: used },
      maxUploadBytes: config.maxUploadBytes,
    };
  });

  app.get('/healthz', async () => ({ ok: true }));
  // Operators see which part is failing; the world sees only whether the pool is ready (the reasons are logged).
  app.get('/readyz', async (request, reply) => {
    const checks = await Promise.all([
      check('redis', async () => (await redis.ping()) === 'PONG'),
      check('postgres', async () => (await db.query('SELECT 1')).rowCount === 1),
      check('storage', async () => (await access(config.storageDir, constants.W_OK), true)),
      check('workers', async () => (await liveWorkers(redis, context.transcribe.name)) > 0),
    ]);
    const ready = checks.every((item) => item.ok);
    if (!ready) request.log.warn({ checks }, 'not ready');
    return reply.code(ready ? 200 : 503).send(operator.allows(request) ? { ready, checks } : { ready });
  });
  app.get('/metrics', async (request, reply) => {
    if (!operator.allows(request)) {
      throw new HttpError(401, 'unauthorized', config.metricsToken ? "The metrics need the operator's metrics token." : 'The metrics are served to this machine only; set VERBATIM_METRICS_TOKEN to read them from elsewhere.');
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return {
    app,
    close: async () => {
      await app.close();
      await locker.close();
      await locker.redis.quit().catch(() => undefined);
    },
  };
}

/** tus reads the raw request's headers (rawHeaders too): the tenant goes into both, and a client's own value never survives. */
function setTenantHeader(request: FastifyRequest, tenantId: string | null): void {
  const raw = request.raw;
  delete raw.headers[TENANT_HEADER];
  const kept: string[] = [];
  for (let index = 0; index + 1 < raw.rawHeaders.length; index += 2) {
    if (raw.rawHeaders[index]!.toLowerCase() !== TENANT_HEADER) kept.push(raw.rawHeaders[index]!, raw.rawHeaders[index + 1]!);
  }
  if (tenantId) {
    raw.headers[TENANT_HEADER] = tenantId;
    kept.push(TENANT_HEADER, tenantId);
  }
  raw.rawHeaders.splice(0, raw.rawHeaders.length, ...kept);
}

async function check(name: string, probe: () => Promise<boolean>): Promise<{ name: string; ok: boolean; error?: string }> {
  try {
    const ok = await Promise.race([probe(), new Promise<boolean>((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2_000))]);
    return ok ? { name, ok } : { name, ok, error: name === 'workers' ? 'no pool worker has sent a heartbeat in the last 15 s' : 'unexpected answer' };
  } catch (error) {
    return { name, ok: false, error: (error as Error).message };
  }
}
