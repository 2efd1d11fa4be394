import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { workflowCatalog } from '../../workflows/catalog.ts';

/**
 * The operator's command for tenants:
 *
 *   npm run tenant -- create  --stage dev --id acme --name "Acme Co." --admin-email ops@acme.example
 *   npm run tenant -- list    --stage dev
 *   npm run tenant -- suspend --stage dev --id acme      (every key, link and webhook stops; data kept)
 *   npm run tenant -- resume  --stage dev --id acme
 *   npm run tenant -- delete  --stage dev --id acme --confirm acme   (when the retention rules allow)
 *   npm run tenant -- restart-lifecycle --stage dev --id acme --request sr_…   (or --feedback fb_…)
 *   npm run tenant -- lifecycle-history --stage dev --id acme --request sr_…   (every burst, the next wake-up)
 *
 * `--stage` reads the deployed stack's outputs (CloudFormation) and uses the operator's own AWS
 * credentials; `--local` works on the local runtime (`npm start`) instead.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    stage: { type: 'string' },
    local: { type: 'boolean', default: false },
    'dynamodb-endpoint': { type: 'string', default: 'http://127.0.0.1:8000' },
    'sfn-endpoint': { type: 'string', default: 'http://127.0.0.1:8083' },
    id: { type: 'string' },
    name: { type: 'string' },
    'admin-email': { type: 'string' },
    'admin-name': { type: 'string' },
    language: { type: 'string' },
    'time-zone': { type: 'string' },
    confirm: { type: 'string' },
    request: { type: 'string' },
    feedback: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const command = positionals[0];
if (!command)
  fail(
    'Usage: npm run tenant -- create|list|suspend|resume|delete|restart-lifecycle|lifecycle-history (--stage dev | --local) …',
  );

/** Where the adapters find the table and the state machines: the environment they read (functions/adapters/config.ts). */
if (values.local) {
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: values['dynamodb-endpoint'],
    AWS_ENDPOINT_URL_SFN: values['sfn-endpoint'],
    TABLE_NAME: 'aftersales',
    ...Object.fromEntries(
      Object.values(workflowCatalog).map((w) => [
        w.arnVariable,
        `arn:aws:states:us-east-1:000000000000:stateMachine:${w.stateMachineName}`,
      ]),
    ),
  });
} else {
  if (values.stage !== 'dev' && values.stage !== 'prod')
    fail('Give --stage dev|prod (a deployed stack), or --local');
  const stackName = `AfterSales-${values.stage}`;
  const { Stacks } = await new CloudFormationClient({}).send(
    new DescribeStacksCommand({ StackName: stackName }),
  );
  const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  if (!outputs.TableName) fail(`${stackName} has no TableName output: is it deployed?`);
  Object.assign(process.env, {
    TABLE_NAME: outputs.TableName,
    SERVICE_REQUEST_STATE_MACHINE_ARN: outputs.ServiceRequestStateMachineArn,
    FEEDBACK_CASE_STATE_MACHINE_ARN: outputs.FeedbackCaseStateMachineArn,
  });
}

// The adapters read the environment when first used: imported only now.
const operator = await import('../operator/tenants.ts');
const id = () => values.id ?? fail('Give --id <tenant id>');
const subjectKind = () =>
  values.request ? 'request' : values.feedback ? 'feedback' : fail('Give --request <id> or --feedback <id>');
const subjectId = () => (values.request ?? values.feedback)!;

switch (command) {
  case 'create': {
    const created = await operator.createTenantWithAdmin({
      tenantId: id(),
      name: values.name ?? fail('Give --name "<the merchant’s name>"'),
      adminEmail: values['admin-email'] ?? fail('Give --admin-email <address>'),
      adminName: values['admin-name'],
      language: values.language === 'en' ? 'en' : 'zh-CN',
      timeZone: values['time-zone'],
    });
    console.log(`Tenant ${created.tenantId} created.`);
    console.log(`Its admin API key (shown once, keep it safe): ${created.apiKey}`);
    break;
  }
  case 'list':
    for (const tenant of await operator.listTenants())
      console.log(
        `${tenant.tenantId}\t${tenant.name}\tcreated ${tenant.createdAt}${tenant.suspendedAt ? `\tSUSPENDED ${tenant.suspendedAt}` : ''}`,
      );
    break;
  case 'suspend':
    await operator.suspendTenant(id());
    console.log(`Tenant ${id()} suspended: its keys, links and webhooks stop working; its data is kept.`);
    break;
  case 'resume':
    await operator.resumeTenant(id());
    console.log(`Tenant ${id()} resumed.`);
    break;
  case 'delete': {
    if (values.confirm !== id()) fail(`Deleting is for good: repeat the tenant id with --confirm ${id()}`);
    const { deletedItems } = await operator.deleteTenant(id());
    console.log(`Tenant ${id()} deleted (${deletedItems} items).`);
    break;
  }
  case 'restart-lifecycle': {
    const outcome = await operator.restartLifecycle(id(), subjectKind(), subjectId());
    console.log(
      outcome.parked > 0
        ? 'Its lifecycle is parked until its next wake-up: nothing to restart.'
        : `Restarted: ${outcome.restarted + outcome.started} lifecycle(s).`,
    );
    break;
  }
  case 'lifecycle-history': {
    const history = await operator.lifecycleHistory(id(), subjectKind(), subjectId());
    for (const event of history.timeline) {
      const details = event.details ? ` ${JSON.stringify(event.details)}` : '';
      console.log(`${event.at}\t${event.type}\t${event.actor}${details}`);
    }
    console.log(
      `${history.status}, generation ${history.generation}; next wake-up: ${
        history.nextWakeUp ? `${history.nextWakeUp.at} (${history.nextWakeUp.schedule})` : 'none'
      }${history.reconcilerStarts ? `; ${history.reconcilerStarts} start(s) by the reconciler since it last parked` : ''}`,
    );
    break;
  }
  default:
    fail(`Unknown command ${command}`);
}
