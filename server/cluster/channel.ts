import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { connectRedis } from './redis.ts';
import { errorFields, log } from '../log.ts';

const CHANNEL = 'fangkong:cluster';
/** How often an instance says it is alive, and how long silence means it is gone. */
const HEARTBEAT_MS = 1000;
const GONE_AFTER_MS = 3500;

const Message = z.object({ from: z.string(), topic: z.string(), payload: z.unknown() });
type Handler = (payload: unknown) => void;

/**
 * What every Fangkong instance sharing one Redis says to the others: calls to replay
 * (revocations, inbox signals) and heartbeats, on one pub/sub channel. An instance ignores its
 * own messages: it has already done locally what it publishes.
 */
export class ClusterChannel {
	readonly instanceId = `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
	readonly redisUrl: string;
	private pub: Redis;
	private sub: Redis;
	private handlers = new Map<string, Handler[]>();
	private peers = new Map<string, number>();
	/** When our own last heartbeat came back through Redis. */
	private echoedAt = 0;
	private peerGone: ((id: string) => void)[] = [];
	private timer: NodeJS.Timeout;

	private constructor(url: string) {
		this.redisUrl = url;
		this.pub = connectRedis(url, 'cluster-pub');
		this.sub = connectRedis(url, 'cluster-sub');
		this.sub.on('message', (_channel: string, raw: string) => this.receive(raw));
		this.timer = setInterval(() => this.beat(), HEARTBEAT_MS);
		this.timer.unref();
	}

	/** Connected and subscribed: from then on nothing published by another instance is missed. */
	static async connect(url: string): Promise<ClusterChannel> {
		const channel = new ClusterChannel(url);
		await channel.sub.subscribe(CHANNEL);
		// The others answer at once, so this instance knows them before their next heartbeat.
		channel.publish('hello', null);
		log.info('joined the cluster', { instance: channel.instanceId });
		return channel;
	}

	/** A new connection to the same Redis, for a component that needs its own. */
	redis(role: string, options?: { waitForReconnect?: boolean }): Redis {
		return connectRedis(this.redisUrl, role, options);
	}

	on(topic: string, handler: Handler) {
		this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
	}

	publish(topic: string, payload: unknown) {
		const message = JSON.stringify({ from: this.instanceId, topic, payload });
		this.pub.publish(CHANNEL, message).catch((err) => log.error('cluster message not sent', { topic, ...errorFields(err) }));
	}

	/**
	 * The same object whose `methods` also run on every other instance: each call runs here at
	 * once and is published; the others replay it on their own copy when it arrives. Arguments
	 * must survive JSON.
	 */
	fanOut<T extends object, K extends keyof T & string>(topic: string, local: T, methods: readonly K[]): T {
		const Call = z.object({ method: z.enum(methods as unknown as [K, ...K[]]), args: z.array(z.unknown()) });
		const run = (method: K, args: unknown[]) => (local[method] as (...a: unknown[]) => unknown).apply(local, args);
		const wrappers = new Map<string | symbol, (...args: unknown[]) => unknown>(
			methods.map((method) => [
				method,
				(...args: unknown[]) => {
					const result = run(method, args);
					this.publish(topic, { method, args });
					return result;
				}
			])
		);
		this.on(topic, (payload) => {
			const call = Call.safeParse(payload);
			if (!call.success) return log.warn('unreadable cluster call', { topic });
			run(call.data.method, call.data.args);
		});
		return new Proxy(local, {
			get(target, prop) {
				const wrapper = wrappers.get(prop);
				if (wrapper) return wrapper;
				const value = Reflect.get(target, prop, target);
				return typeof value === 'function' ? value.bind(target) : value;
			}
		});
	}

	/** Called with an instance's id once it has gone silent (stopped, killed, cut off). */
	onPeerGone(listener: (id: string) => void) {
		this.peerGone.push(listener);
	}

	async close() {
		clearInterval(this.timer);
		this.publish('bye', null);
		await this.sub.quit().catch(() => {});
		await this.pub.quit().catch(() => {});
	}

	private beat() {
		this.publish('alive', null);
		const now = Date.now();
		// A peer's silence means something only while our own messages get through: when Redis
		// stalls, everyone is silent, and a peer that dies during the stall is noticed after it.
		if (now - this.echoedAt >= GONE_AFTER_MS) return;
		for (const [id, seen] of this.peers) {
			if (now - seen < GONE_AFTER_MS) continue;
			this.peers.delete(id);
			this.gone(id);
		}
	}

	private gone(id: string) {
		log.warn('cluster peer gone', { peer: id });
		for (const listener of this.peerGone) listener(id);
	}

	private receive(raw: string) {
		let message: z.infer<typeof Message>;
		try {
			message = Message.parse(JSON.parse(raw));
		} catch {
			return log.warn('unreadable cluster message');
		}
		if (message.from === this.instanceId) {
			this.echoedAt = Date.now();
			return;
		}
		if (message.topic === 'bye') {
			// A clean stop: its edits were all relayed, nothing to recover.
			this.peers.delete(message.from);
			return;
		}
		this.peers.set(message.from, Date.now());
		if (message.topic === 'hello') this.publish('alive', null);
		for (const handler of this.handlers.get(message.topic) ?? []) {
			try {
				handler(message.payload);
			} catch (err) {
				log.error('cluster message failed', { topic: message.topic, ...errorFields(err) });
			}
		}
	}
}
