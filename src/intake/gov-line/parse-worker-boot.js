// Worker entry: workers start without the main thread's TypeScript loader, so register it here.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
