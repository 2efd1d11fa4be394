import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
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

export async function startLocalCognito(options: { dataDir: string; port: number }): Promise<LocalCognito> {
  const server: Server = createServer();
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
  const app = createCognitoApp(Router(services), logger, config.ServerConfig, services);
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
