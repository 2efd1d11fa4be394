import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CognitoError } from 'cognito-local/lib/errors.js';
import { DefaultConfig } from 'cognito-local/lib/server/config.js';
import { Router } from 'cognito-local/lib/server/Router.js';
import { createServer as createCognitoApp } from 'cognito-local/lib/server/server.js';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService.js';
import { CryptoService } from 'cognito-local/lib/services/crypto.js';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb.js';
import {
  DateClock,
  LambdaService,
  MessagesService,
  TriggersService,
} from 'cognito-local/lib/services/index.js';
import { ConsoleMessageSender } from 'cognito-local/lib/services/messageDelivery/consoleMessageSender.js';
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery.js';
import { otp } from 'cognito-local/lib/services/otp.js';
import { JwtTokenGenerator } from 'cognito-local/lib/services/tokenGenerator.js';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService.js';
import { passwordShortfalls, STAFF_PASSWORD_POLICY } from '#domain/staff-password.ts';
import { keepIdleConnections } from './activity.ts';

/**
 * The Cognito stand-in: cognito-local (npm), served in-process on our own port with its state in
 * the runtime's data directory. Its `createDefaultServer` keeps state in `./.cognito` and listens
 * on 9229, which two runtimes side by side (tests) cannot share; this is the same assembly of its
 * parts with the directory and the port ours. Its tokens are issued by its own URL, so a verifier
 * reads the issuer and the keys from where it runs, as it reads Cognito's on AWS.
 */
export interface LocalCognito {
  url: string;
  close(): Promise<void>;
}

/** cognito-local logs through pino (its own dependency, taken from where it is installed): silenced. */
function silentLogger() {
  const fromCognitoLocal = createRequire(createRequire(import.meta.url).resolve('cognito-local'));
  const pino = fromCognitoLocal('pino') as (options: { level: string }) => never;
  return pino({ level: 'silent' });
}

/** Why a password does not meet the pool's policy, in Cognito's words; undefined if it does. */
function passwordPolicyProblem(password: string): string | undefined {
  const words = {
    length: `at least ${STAFF_PASSWORD_POLICY.minimumLength} characters`,
    lowercase: 'a lowercase character',
    uppercase: 'an uppercase character',
    number: 'a numeric character',
    symbol: 'a symbol character',
  };
  const missing = passwordShortfalls(password).map((shortfall) => words[shortfall]);
  return missing.length > 0
    ? `Password does not conform to policy: it needs ${missing.join(', ')}`
    : undefined;
}

/** The parts of a Cognito request the checks read. */
type CognitoRequest = {
  ClientId?: string;
  Password?: string;
  TemporaryPassword?: string;
  ProposedPassword?: string;
  AuthParameters?: { USERNAME?: string };
  ChallengeResponses?: { NEW_PASSWORD?: string };
};
type Target = (ctx: unknown, request: CognitoRequest) => Promise<unknown>;
type LocalUserPool = {
  getUserByUsername(ctx: unknown, username: string): Promise<{ Enabled?: boolean } | null>;
};
type CognitoRouter = (target: string) => Target;
/** Answered 400 with `__type: code`, as Cognito answers (cognito-local's own error class). */
const CognitoRefusal = CognitoError as unknown as new (code: string, message: string) => Error;

/**
 * The staff pool as infra/constructs/staff-pool.ts deploys it, where cognito-local differs (#32):
 * no one signs themselves up (staff are invited), a disabled user cannot sign in, and a password
 * must meet the pool's policy (domain/staff-password.ts).
 */
function asDeployed(
  router: CognitoRouter,
  cognito: { getUserPoolForClientId(ctx: unknown, id: string): Promise<LocalUserPool> },
): CognitoRouter {
  const newPassword = (request: CognitoRequest) =>
    request.Password ??
    request.TemporaryPassword ??
    request.ProposedPassword ??
    request.ChallengeResponses?.NEW_PASSWORD;
  return (target) => {
    const next = router(target);
    return async (ctx, request) => {
      if (target === 'SignUp')
        throw new CognitoRefusal('NotAuthorizedException', 'SignUp is not permitted for this user pool');
      if (
        [
          'AdminCreateUser',
          'AdminSetUserPassword',
          'ChangePassword',
          'RespondToAuthChallenge',
          'ConfirmForgotPassword',
        ].includes(target)
      ) {
        const password = newPassword(request);
        const problem = typeof password === 'string' ? passwordPolicyProblem(password) : undefined;
        if (problem) throw new CognitoRefusal('InvalidPasswordException', problem);
      }
      if (target === 'InitiateAuth' && request.AuthParameters?.USERNAME) {
        const pool = await cognito.getUserPoolForClientId(ctx, request.ClientId ?? '');
        const user = await pool.getUserByUsername(ctx, request.AuthParameters.USERNAME);
        if (user && user.Enabled === false)
          throw new CognitoRefusal('NotAuthorizedException', 'User is disabled.');
      }
      return next(ctx, request);
    };
  };
}

export async function startLocalCognito(options: { dataDir: string; port: number }): Promise<LocalCognito> {
  const server: Server = createServer();
  keepIdleConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const logger = silentLogger();
  const ctx = { logger };
  const directory = join(options.dataDir, 'cognito');
  const config = {
    ...DefaultConfig,
    TokenConfig: { IssuerDomain: url },
    ServerConfig: { ...DefaultConfig.ServerConfig, port: 0, hostname: '127.0.0.1' },
  };
  const clock = new DateClock();
  const dataStores = new StormDBDataStoreFactory(directory);
  const cognito = await new CognitoServiceFactoryImpl(
    directory,
    dataStores,
    new UserPoolServiceFactoryImpl(clock, dataStores),
  ).create(ctx, config.UserPoolDefaults);
  const triggers = new TriggersService(
    clock,
    cognito,
    // No triggers are configured: its Lambda client is never called.
    new LambdaService(config.TriggerFunctions, undefined as never),
    new CryptoService(config.KMSConfig),
  );
  const services = {
    clock,
    cognito,
    config,
    messages: new MessagesService(triggers, new MessageDeliveryService(new ConsoleMessageSender())),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
    triggers,
  };
  const app = createCognitoApp(
    asDeployed(Router(services) as unknown as CognitoRouter, cognito) as unknown as ReturnType<typeof Router>,
    logger,
    config.ServerConfig,
    services,
  );
  server.on('request', app.application);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
