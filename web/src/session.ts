/**
 * Signing in: Cognito's own JSON API (InitiateAuth, RespondToAuthChallenge) called with fetch,
 * USER_PASSWORD_AUTH over TLS. The same calls reach Cognito on AWS and cognito-local here; the
 * Amplify or cognito-identity-js libraries would add ~100 KB for the SRP handshake alone.
 * The ID token is the API's Bearer token (it carries the tenant and the staff id).
 */
export interface ConsoleConfig {
  /** Cognito's endpoint: `https://cognito-idp.<region>.amazonaws.com/` on AWS. */
  cognitoEndpoint: string;
  clientId: string;
}

let config: Promise<ConsoleConfig> | undefined;
/** Delivered beside the app (`/console/config.json`): at deploy on AWS, by the runtime locally. */
export const consoleConfig = () => {
  config ??= fetch(`${import.meta.env.BASE_URL}config.json`).then((r) => {
    if (!r.ok) throw new Error(`config.json: ${r.status}`);
    return r.json() as Promise<ConsoleConfig>;
  });
  return config;
};

const STORAGE_KEY = 'aftersales.session';

interface Tokens {
  idToken: string;
  refreshToken?: string;
  username: string;
}

export const signedIn = (): Tokens | undefined => {
  const saved = sessionStorage.getItem(STORAGE_KEY);
  return saved ? (JSON.parse(saved) as Tokens) : undefined;
};

export const signOut = () => sessionStorage.removeItem(STORAGE_KEY);

export class SignInError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What Cognito answers: tokens, a challenge, or an error (`__type` and `message`). */
interface CognitoAnswer {
  AuthenticationResult?: { IdToken: string; RefreshToken?: string };
  ChallengeName?: string;
  Session?: string;
  __type?: string;
  message?: string;
}

async function cognito(action: string, body: object): Promise<CognitoAnswer> {
  const { cognitoEndpoint } = await consoleConfig();
  const response = await fetch(cognitoEndpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as CognitoAnswer;
  if (!response.ok) {
    const code = (answer.__type ?? 'SignInFailed').split('#').pop()!;
    throw new SignInError(code, answer.message ?? response.statusText);
  }
  return answer;
}

/** What signing in asked for next: nothing (signed in), or a new password (first sign-in). */
export type SignInStep = { done: true } | { done: false; session: string; username: string };

function keep(result: CognitoAnswer, username: string): SignInStep {
  const tokens = result.AuthenticationResult!;
  sessionStorage.setItem(
    STORAGE_KEY,
    JSON.stringify({ idToken: tokens.IdToken, refreshToken: tokens.RefreshToken, username }),
  );
  return { done: true };
}

export async function signIn(username: string, password: string): Promise<SignInStep> {
  const { clientId } = await consoleConfig();
  const result = await cognito('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  if (result.ChallengeName === 'NEW_PASSWORD_REQUIRED')
    return { done: false, session: result.Session!, username };
  if (!result.AuthenticationResult)
    throw new SignInError(String(result.ChallengeName), `Cognito asks for ${result.ChallengeName}`);
  return keep(result, username);
}

/** An invited person's first sign-in: the temporary password is replaced by their own. */
export async function setFirstPassword(step: { session: string; username: string }, password: string) {
  const { clientId } = await consoleConfig();
  const result = await cognito('RespondToAuthChallenge', {
    ChallengeName: 'NEW_PASSWORD_REQUIRED',
    ClientId: clientId,
    Session: step.session,
    ChallengeResponses: { USERNAME: step.username, NEW_PASSWORD: password },
  });
  return keep(result, step.username);
}

/** A new ID token from the refresh token (ID tokens last an hour); false when that is gone too. */
export async function refresh(): Promise<boolean> {
  const tokens = signedIn();
  if (!tokens?.refreshToken) return false;
  try {
    const { clientId } = await consoleConfig();
    const result = await cognito('InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: clientId,
      AuthParameters: { REFRESH_TOKEN: tokens.refreshToken },
    });
    const fresh = result.AuthenticationResult;
    if (!fresh) return false;
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ ...tokens, idToken: fresh.IdToken }));
    return true;
  } catch {
    return false;
  }
}
