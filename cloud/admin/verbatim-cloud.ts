// The operator's command line: tenants, tokens, and the dead-letter view of failed jobs.
// `verbatim-cloud help` lists the commands; it reads VERBATIM_DATABASE_URL like the pool itself.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { configFromEnv } from '../config';
import { failedJobs } from '../db/jobs';
import { migrate } from '../db/migrations';
import { createTenant, createToken, findTenant, listTenants, listTokens, revokeToken } from '../db/tenants';

const USAGE = `verbatim-cloud — operate a Verbatim pool

  tenants create NAME [--quota-minutes N]   make a tenant (quota: audio minutes per UTC day)
  tenants list                              tenants, their live tokens and jobs
  tokens create --tenant NAME [--label L]   make an API token; it is shown this once only
  tokens list --tenant NAME                 a tenant's tokens, by prefix
  tokens revoke PREFIX                      stop a token working (within 5 s)
  jobs failed [--limit N]                   the dead-letter view: failed jobs and why
  migrate                                   bring the database schema up to date

Reads VERBATIM_DATABASE_URL (postgres://…).`;

class UsageError extends Error {}

export async function runAdmin(argv: readonly string[], out: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { tenant: { type: 'string' }, label: { type: 'string' }, 'quota-minutes': { type: 'string' }, limit: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [group, action, argument] = positionals;
  if (values.help || !group || group === 'help') {
    out(USAGE);
    return 0;
  }
  const config = configFromEnv(env);
  const db = new pg.Pool({ connectionString: config.databaseUrl, max: 2 });
  try {
    await migrate(db);
    const tenantNamed = async (name: string | undefined) => {
      if (!name) throw new UsageError('Say which tenant: --tenant NAME.');
      const tenant = await findTenant(db, name);
      if (!tenant) throw new UsageError(`There is no tenant "${name}" (verbatim-cloud tenants list).`);
      return tenant;
    };
    switch (`${group} ${action ?? ''}`.trim()) {
      case 'tenants create': {
        if (!action || !argument) throw new UsageError('Name the tenant: tenants create NAME.');
        const minutes = values['quota-minutes'] === undefined ? config.defaultQuotaSec / 60 : Number(values['quota-minutes']);
        if (!Number.isFinite(minutes) || minutes <= 0) throw new UsageError('--quota-minutes must be a positive number.');
        const tenant = await createTenant(db, argument, minutes * 60);
        out(`tenant ${tenant.name} (${tenant.id}), ${Math.round(tenant.quotaAudioSecPerDay / 60)} audio minutes a day`);
        return 0;
      }
      case 'tenants list':
        for (const tenant of await listTenants(db)) out(`${tenant.name}\t${Math.round(tenant.quotaAudioSecPerDay / 60)} min/day\t${tenant.tokens} tokens\t${tenant.jobs} jobs`);
        return 0;
      case 'tokens create': {
        const tenant = await tenantNamed(values.tenant);
        const { token, prefix } = await createToken(db, tenant.id, values.label ?? null);
        out(token);
        out(`(token ${prefix} for ${tenant.name}: it is not stored and will not be shown again)`);
        return 0;
      }
      case 'tokens list':
        for (const token of await listTokens(db, (await tenantNamed(values.tenant)).id)) {
          out(`${token.prefix}\t${token.label ?? ''}\tcreated ${token.createdAt.toISOString()}${token.revokedAt ? `\trevoked ${token.revokedAt.toISOString()}` : ''}`);
        }
        return 0;
      case 'tokens revoke':
        if (!argument) throw new UsageError('Give the token\'s prefix: tokens revoke PREFIX.');
        if (!(await revokeToken(db, argument))) throw new UsageError(`No live token has the prefix "${argument}".`);
        out(`revoked ${argument}`);
        return 0;
      case 'jobs failed': {
        const rows = await failedJobs(db, Number(values.limit) || 50);
        if (rows.length === 0) out('no failed jobs');
        for (const row of rows) out(`${row.id}\t${row.tenantName}\t${row.finishedAt?.toISOString() ?? ''}\tattempts ${row.attempts}\t${row.errorCode}: ${row.errorMessage}`);
        return 0;
      }
      case 'migrate':
        out(`schema at version ${await migrate(db)}`);
        return 0;
      default:
        throw new UsageError(`Unknown command "${positionals.join(' ')}".\n\n${USAGE}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      out(error.message);
      return 2;
    }
    throw error;
  } finally {
    await db.end();
  }
}
