/** Child process for the cross-process first-use test: opens the store given in argv and prints the active kid. */
import { IssuerKeys } from '../../../lti-tool/src/keys/issuer-keys.ts';
import { SecretBox } from '../../../lti-tool/src/keys/secret-box.ts';
import { openStore } from '../../../lti-tool/src/store/open-store.ts';

const [dataDir, databaseUrl, secret] = process.argv.slice(2) as [string, string, string];
const store = await openStore({ databaseUrl, dataDir });
const keys = new IssuerKeys({ issuerDid: 'did:web:issuer.example', repository: store.keys, secretBox: new SecretBox({ secret, source: 'test' }) });
process.stdout.write((await keys.activeSigningKey()).kid);
await store.close();
