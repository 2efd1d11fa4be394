import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/**
 * The operator's command for tenants (`npm run tenant -- <command> …`), against a deployed stage
 * with the operator's own AWS credentials (`--stage dev|prod`, reading the stack's outputs), or
 * against the local runtime (`--local`, reading what `npm start` wrote to `.local/`). Every
 * command says how it is used with `--help`; bad input is one line and exit 2, a refusal (a rule
 * of deleting, an id that is not there) one line and exit 1.
 */

interface Command {
  summary: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; help: string }>;
  run(values: Record<string, string | boolean | undefined>): Promise<void>;
}

class UsageError extends Error {}

const where = {
  stage: { type: 'string', help: 'the deployed stage to work on (dev or prod)' },
  local: { type: 'boolean', help: 'work on the local runtime (npm start) instead' },
  'local-dir': { type: 'string', help: 'the local runtime’s data directory (default .local)' },
} as const;
const tenantId = { id: { type: 'string', help: 'the tenant’s id' } } as const;
const subject = {
  request: { type: 'string', help: 'a service request’s id (sr_…)' },
  feedback: { type: 'string', help: 'a feedback case’s id (fb_…)' },
} as const;

const required = (values: Record<string, unknown>, name: string): string => {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`Give --${name}`);
  return value;
};
const subjectOf = (values: Record<string, unknown>) => {
  if (typeof values.request === 'string') return { kind: 'request' as const, id: values.request };
  if (typeof values.feedback === 'string') return { kind: 'feedback' as const, id: values.feedback };
  throw new UsageError('Give --request <id> or --feedback <id>');
};

/** The adapters, imported once the environment says where the stage is (they read it when first used). */
const operator = () => import('../operator/tenants.ts');

const commands: Record<string, Command> = {
  create: {
    summary: 'a new tenant with default terms and calendar, and its first admin API key (shown once)',
    usage:
      'create --id acme --name "Acme Co." --admin-email ops@acme.example [--admin-name …] [--language zh-CN|en] [--time-zone Asia/Shanghai]',
    options: {
      ...tenantId,
      name: { type: 'string', help: 'the merchant’s name, as customers see it' },
      'admin-email': { type: 'string', help: 'the first admin’s address (on the escalation ladder)' },
      'admin-name': { type: 'string', help: 'the first admin’s name' },
      language: { type: 'string', help: 'zh-CN (default) or en' },
      'time-zone': { type: 'string', help: 'an IANA zone (default Asia/Shanghai)' },
    },
    async run(values) {
      const { createTenantWithAdmin, newTenantSchema } = await operator();
      const input = {
        tenantId: required(values, 'id'),
        name: required(values, 'name'),
        adminEmail: required(values, 'admin-email'),
        adminName: values['admin-name'] as string | undefined,
        language: values.language as 'zh-CN' | 'en' | undefined,
        timeZone: values['time-zone'] as string | undefined,
      };
      const checked = newTenantSchema.safeParse(input);
      if (!checked.success) {
        const option: Record<string, string> = {
          tenantId: 'id',
          adminEmail: 'admin-email',
          adminName: 'admin-name',
          timeZone: 'time-zone',
        };
        throw new UsageError(
          checked.error.issues
            .map((issue) => `--${option[String(issue.path[0])] ?? String(issue.path[0])} ${issue.message}`)
            .join('; '),
        );
      }
      const created = await createTenantWithAdmin(checked.data);
      console.log(`Tenant ${created.tenantId} created.`);
      console.log(`Its admin API key (shown once, keep it safe): ${created.apiKey}`);
    },
  },
  list: {
    summary: 'every tenant, with when it was created and whether it is suspended',
    usage: 'list',
    options: {},
    async run() {
      for (const tenant of await (await operator()).listTenants())
        console.log(
          `${tenant.tenantId}\t${tenant.name}\tcreated ${tenant.createdAt}${tenant.suspendedAt ? `\tSUSPENDED ${tenant.suspendedAt}` : ''}`,
        );
    },
  },
  suspend: {
    summary: 'stops every key, signed link and webhook of a tenant at once; its data is kept',
    usage: 'suspend --id acme',
    options: tenantId,
    async run(values) {
      const id = required(values, 'id');
      await (await operator()).suspendTenant(id);
      console.log(`Tenant ${id} suspended: its keys, links and webhooks stop working; its data is kept.`);
    },
  },
  resume: {
    summary: 'undoes suspend',
    usage: 'resume --id acme',
    options: tenantId,
    async run(values) {
      const id = required(values, 'id');
      await (await operator()).resumeTenant(id);
      console.log(`Tenant ${id} resumed.`);
    },
  },
  delete: {
    summary:
      'deletes a tenant for good, 30 days after its suspension and once no contract must be kept (12.1): its items, pending wake-ups, staff sign-ins and sending domain',
    usage: 'delete --id acme --confirm acme',
    options: { ...tenantId, confirm: { type: 'string', help: 'the tenant’s id again' } },
    async run(values) {
      const id = required(values, 'id');
      if (values.confirm !== id)
        throw new UsageError(`Deleting is for good: repeat the tenant id with --confirm ${id}`);
      const deleted = await (await operator()).deleteTenant(id);
      console.log(
        `Tenant ${id} deleted: ${deleted.deletedItems} items, ${deleted.wakeUpsCancelled} pending wake-ups, ${deleted.signInsRemoved} staff sign-ins${deleted.sendingDomainRemoved ? ', its sending domain' : ''}.`,
      );
    },
  },
  lifecycles: {
    summary:
      'the lifecycles the reconciler watches (one per open request and case): where each stands, its next look, its restarts; --abandoned for those it declared abandoned',
    usage: 'lifecycles --id acme [--abandoned]',
    options: { ...tenantId, abandoned: { type: 'boolean', help: 'only those declared abandoned' } },
    async run(values) {
      const found = await (await operator()).listLifecycles(required(values, 'id'), {
        abandoned: values.abandoned === true,
      });
      for (const l of found)
        console.log(
          [
            l.kind,
            l.id,
            l.status,
            `look at ${l.lookAt}`,
            `wake-up ${l.wakeUpAt ?? 'none'}`,
            `${l.restarts} restart(s)`,
            ...(l.abandonedAt ? [`ABANDONED ${l.abandonedAt}`] : []),
          ].join('\t'),
        );
      console.log(`${found.length} lifecycle(s).`);
    },
  },
  'restart-lifecycle': {
    summary:
      'starts a burst now for one request or case (unless it is parked and on time), or for every abandoned one of the tenant',
    usage: 'restart-lifecycle --id acme (--request sr_… | --feedback fb_… | --all-abandoned)',
    options: {
      ...tenantId,
      ...subject,
      'all-abandoned': { type: 'boolean', help: 'every lifecycle of the tenant declared abandoned' },
    },
    async run(values) {
      const id = required(values, 'id');
      const ops = await operator();
      const outcome =
        values['all-abandoned'] === true
          ? await ops.restartAbandonedLifecycles(id)
          : await ops.restartLifecycle(id, subjectOf(values).kind, subjectOf(values).id);
      if (outcome.parked > 0 && outcome.restarted + outcome.started === 0)
        console.log('Its lifecycle is parked until its next wake-up: nothing to restart.');
      else console.log(`Restarted: ${outcome.restarted + outcome.started} lifecycle(s).`);
      if (outcome.failures > 0) {
        console.error(`${outcome.failures} could not be started (see the reconciler's log); try again.`);
        process.exitCode = 1;
      }
    },
  },
  'lifecycle-history': {
    summary: 'every burst of one request’s or case’s lifecycle, and its next wake-up',
    usage: 'lifecycle-history --id acme (--request sr_… | --feedback fb_…)',
    options: { ...tenantId, ...subject },
    async run(values) {
      const { kind, id } = subjectOf(values);
      const history = await (await operator()).lifecycleHistory(required(values, 'id'), kind, id);
      for (const event of history.timeline) {
        const details = event.details ? ` ${JSON.stringify(event.details)}` : '';
        console.log(`${event.at}\t${event.type}\t${event.actor}${details}`);
      }
      console.log(
        `${history.status}, generation ${history.generation}; next wake-up: ${
          history.nextWakeUp ? `${history.nextWakeUp.at} (${history.nextWakeUp.schedule})` : 'none'
        }${history.reconcilerStarts ? `; ${history.reconcilerStarts} restart(s) by the reconciler since ${history.reconcilerSince}` : ''}${
          history.abandonedAt ? `; ABANDONED ${history.abandonedAt}` : ''
        }`,
      );
    },
  },
};

function help(name?: string): string {
  const command = name ? commands[name] : undefined;
  if (command) {
    const options = Object.entries({ ...command.options, ...where }).map(
      ([option, spec]) => `  --${option}${spec.type === 'string' ? ' <value>' : ''}\t${spec.help}`,
    );
    return [
      `npm run tenant -- ${command.usage} (--stage dev|prod | --local)`,
      '',
      command.summary,
      '',
      ...options,
    ].join('\n');
  }
  return [
    'npm run tenant -- <command> … (--stage dev|prod | --local)',
    '',
    ...Object.entries(commands).map(([commandName, c]) => `  ${commandName}\t${c.summary}`),
    '',
    'npm run tenant -- <command> --help says how a command is used.',
  ].join('\n');
}

/** Where the adapters find the stage: the environment they read (functions/adapters/config.ts). */
async function useStage(values: Record<string, unknown>): Promise<void> {
  if (values.local) {
    const file = join(String(values['local-dir'] ?? '.local'), 'operator-environment.json');
    let environment: Record<string, string>;
    try {
      environment = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new UsageError(
        `${file} not found: is the local runtime (npm start) running with that data directory?`,
      );
    }
    Object.assign(process.env, environment);
    return;
  }
  if (values.stage !== 'dev' && values.stage !== 'prod')
    throw new UsageError('Give --stage dev|prod (a deployed stack), or --local');
  const stackName = `AfterSales-${values.stage}`;
  const { Stacks } = await new CloudFormationClient({}).send(
    new DescribeStacksCommand({ StackName: stackName }),
  );
  const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  if (!outputs.TableName) throw new UsageError(`${stackName} has no TableName output: is it deployed?`);
  Object.assign(process.env, {
    TABLE_NAME: outputs.TableName,
    SERVICE_REQUEST_STATE_MACHINE_ARN: outputs.ServiceRequestStateMachineArn,
    FEEDBACK_CASE_STATE_MACHINE_ARN: outputs.FeedbackCaseStateMachineArn,
    STAFF_USER_POOL_ID: outputs.StaffUserPoolId,
    WAKE_UP_SCHEDULE_GROUP: outputs.WakeUpScheduleGroup,
  });
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help(name === 'help' ? rest[0] : undefined));
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`Unknown command ${name}: ${Object.keys(commands).join(', ')}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(help(name));
    return 0;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options: { ...command.options, ...where }, strict: true }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (npm run tenant -- ${name} --help)`);
  }
  await useStage(values);
  await command.run(values);
  return 0;
}

try {
  process.exitCode = (await main(process.argv.slice(2))) || process.exitCode;
} catch (error) {
  if (error instanceof UsageError) {
    console.error(error.message);
    process.exitCode = 2;
  } else if ((error as Error).constructor?.name === 'OperatorRefusal') {
    console.error((error as Error).message);
    process.exitCode = 1;
  } else {
    // Anything else (AWS credentials, a network error): its message, one line; the stack with DEBUG=1.
    console.error(process.env.DEBUG ? error : `${(error as Error).name}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
