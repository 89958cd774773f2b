// `npm start`: plain JavaScript, so that an older Node runs it too and gets Node 24 by itself.
import { underNode24 } from './node24.mjs';

await underNode24(import.meta.url);
await import('../server/main.ts');
