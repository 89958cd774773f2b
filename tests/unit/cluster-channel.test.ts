import { spawn } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterChannel } from '../../server/cluster/channel.ts';
import { startRedis, type RedisServer } from '../helpers/backing.ts';
import { testPostgres } from '../helpers/database.ts';
import { until } from '../helpers/collab-client.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The channel between instances, over a real Redis (project `postgres`, where Redis is at hand). */
describe.skipIf(!testPostgres())('cluster channel', () => {
	let redis: RedisServer;
	const channels: ClusterChannel[] = [];
	const join = async () => {
		const c = await ClusterChannel.connect(redis.url);
		channels.push(c);
		return c;
	};

	beforeAll(async () => {
		redis = await startRedis();
	});
	afterAll(async () => {
		for (const c of channels) await c.close();
		await redis.stop();
	});

	it('runs a fanned-out call here at once and on every other instance, once each', async () => {
		const [a, b] = [await join(), await join()];
		const calls = { a: [] as string[], b: [] as string[] };
		const target = (who: 'a' | 'b') => ({ closeUser: (id: string) => calls[who].push(id), other: () => who });
		const onA = a.fanOut('test-calls', target('a'), ['closeUser']);
		b.fanOut('test-calls', target('b'), ['closeUser']);
		onA.closeUser('user-1');
		expect(calls.a).toEqual(['user-1']);
		await until(() => calls.b.length === 1, 'the call reaches b');
		expect(calls.b).toEqual(['user-1']);
		expect(onA.other()).toBe('a'); // methods not listed stay local
		await new Promise((r) => setTimeout(r, 200));
		expect(calls.a).toEqual(['user-1']); // its own message is not replayed
	});

	it('tells when a peer process dies, and not while Redis stalls', async () => {
		const watcher = await join();
		const gone: string[] = [];
		watcher.onPeerGone((id) => gone.push(id));
		// A peer in a process of its own, killed without a word.
		const script = `const { ClusterChannel } = await import('./server/cluster/channel.ts'); await ClusterChannel.connect(process.argv[1]); console.log('joined'); setInterval(() => {}, 1000);`;
		const peer = spawn(process.execPath, ['--input-type=module', '-e', script, redis.url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'silent' } });
		const admin = new Redis(redis.url);
		try {
			let out = '';
			peer.stdout!.on('data', (d) => (out += d));
			await until(() => out.includes('joined'), 'the peer joins');
			// Redis stalls longer than the silence that means "gone": nobody hears anybody, and
			// nobody is declared gone, neither during the stall nor for a few heartbeats after it.
			await admin.call('CLIENT', 'PAUSE', '5000', 'WRITE');
			await new Promise((r) => setTimeout(r, 7000));
			expect(gone).toEqual([]);
			peer.kill('SIGKILL');
			await until(() => gone.length === 1, 'the dead peer is noticed', 15_000);
		} finally {
			peer.kill('SIGKILL');
			admin.disconnect();
		}
	});
});
