#!/usr/bin/env node
// Runs the TypeScript sources through tsx: one code path for `npm start`, the CLI and the tests.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
await main(process.argv);
