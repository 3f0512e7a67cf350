/** The `microcred` command line: verify, issue and key management, sharing keys and issuer id with the running tool. */
import { parseArgs } from 'node:util';
import { processIo, type CliIo } from './cli/io.ts';
import { issueCommand } from './cli/issue-command.ts';
import { keysCommand } from './cli/keys-command.ts';
import { platformCommand } from './cli/platform-command.ts';
import { revokeCommand } from './cli/revoke-command.ts';
import { verifyCommand } from './cli/verify-command.ts';

const USAGE = `Usage:
  microcred verify <file|url|-> [--json]        verify a credential (VC-JWT, JSON with a proof, OB 2.0, or a baked PNG/SVG)
           [--documents <dir>] [--offline]      use <dir>/map.json (URL or DID -> file) before the network; fetch nothing
           [--trust <list.json|url>]...          trusted-issuer lists (microcred format or DCC issuer registry)
           [--recipient <email|name>]           check a hashed recipient against this email or name
  microcred issue --definition <def.json> --learner <learner.json> [--grade <grade>] [--json]
                                                sign one credential with the issuer key, print the VC-JWT
  microcred keys generate [--alg EdDSA|ES256|RS256]
  microcred keys list
  microcred keys rotate [--alg EdDSA|ES256|RS256]
  microcred platform add --issuer <url> --client-id <id> --deployment-id <id> [--deployment-id <id> ...]
                         --auth-url <url> --token-url <url> --jwks-url <url> [--name <name>]
                                                register an LTI 1.3 platform (LMS) by hand
  microcred platform list
  microcred revoke <credential-id|url> --reason "<why>"
                                                revoke an issued credential (its status list changes at once)

Environment: PUBLIC_URL (issuer id), DATABASE_URL (default: SQLite under ./data), DATA_DIR, MICROCRED_KEY_SECRET.
Exit codes: 0 success / verified, 1 checked and not verified, 2 bad input or usage.`;

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        definition: { type: 'string' },
        learner: { type: 'string' },
        grade: { type: 'string' },
        alg: { type: 'string' },
        documents: { type: 'string' },
        offline: { type: 'boolean', default: false },
        trust: { type: 'string', multiple: true },
        recipient: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        issuer: { type: 'string' },
        'client-id': { type: 'string' },
        'deployment-id': { type: 'string', multiple: true },
        'auth-url': { type: 'string' },
        'token-url': { type: 'string' },
        'jwks-url': { type: 'string' },
        name: { type: 'string' },
        reason: { type: 'string' },
      },
    });
  } catch (error) {
    io.err(`microcred: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  switch (command) {
    case 'verify':
      return verifyCommand({ input: rest[0], json: values.json, documents: values.documents, offline: values.offline, trust: values.trust, recipient: values.recipient }, io);
    case 'revoke':
      return revokeCommand({ credential: rest[0], reason: values.reason }, io);
    case 'issue':
      return issueCommand({ definition: values.definition, learner: values.learner, grade: values.grade, json: values.json }, io);
    case 'keys':
      return keysCommand({ action: rest[0], alg: values.alg }, io);
    case 'platform':
      return platformCommand(
        {
          action: rest[0],
          issuer: values.issuer,
          clientId: values['client-id'],
          deploymentIds: values['deployment-id'],
          authUrl: values['auth-url'],
          tokenUrl: values['token-url'],
          jwksUrl: values['jwks-url'],
          name: values.name,
        },
        io,
      );
    default:
      io.err(`microcred: unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}
