/** Bare Hocuspocus 4 (no extensions: no auth, no storage, no checks), the benchmark's baseline. */
import { Server } from '@hocuspocus/server';

const server = new Server({ port: Number(process.env.PORT), address: '127.0.0.1', quiet: true });
await server.listen();
process.stdout.write('ready\n');
