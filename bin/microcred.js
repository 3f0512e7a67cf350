#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx microcred` works from a clone without a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../lti-tool/src/cli.ts');
const { processIo } = await import('../lti-tool/src/cli/io.ts');
process.exitCode = await runCli(process.argv.slice(2), processIo());
