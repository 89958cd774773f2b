import { Worker, type Transferable } from 'node:worker_threads';
import { errorFields, log } from '../log.ts';

/** A request to a worker and its answer, matched by `id`. */
export type Request = { id: number; op: string; args: unknown[] };
export type Reply = { id: number; value?: unknown; error?: string };

type Waiting = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/**
 * Calls into one worker thread: `call(op, ...args)` resolves with the worker's answer. A worker
 * that dies fails the calls it held and is started again on the next call, so one crash costs
 * the callers a retry, not the server.
 */
export class WorkerClient {
	private worker: Worker | null = null;
	private next = 1;
	private waiting = new Map<number, Waiting>();
	private idle: (() => void) | null = null;
	private closed = false;
	private readonly url: URL;
	private readonly workerData: unknown;
	private readonly name: string;

	constructor(url: URL, workerData: unknown, name: string) {
		this.url = url;
		this.workerData = workerData;
		this.name = name;
	}

	call<T>(op: string, args: unknown[] = [], transfer: Transferable[] = []): Promise<T> {
		if (this.closed) return Promise.reject(new Error(`${this.name} is closed`));
		const worker = this.worker ?? this.start();
		const id = this.next++;
		return new Promise<T>((resolve, reject) => {
			this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
			worker.postMessage({ id, op, args } satisfies Request, transfer);
		});
	}

	/** Stops the worker once the calls already made are answered; later calls are refused. */
	async close() {
		this.closed = true;
		if (this.waiting.size > 0) await new Promise<void>((resolve) => (this.idle = resolve));
		await this.worker?.terminate();
		this.worker = null;
	}

	private settle(id: number): Waiting | undefined {
		const w = this.waiting.get(id);
		this.waiting.delete(id);
		if (this.waiting.size === 0) this.idle?.();
		return w;
	}

	private start(): Worker {
		const worker = new Worker(this.url, { workerData: this.workerData, name: this.name });
		// Keeps no process alive by itself: the server's sockets and timers do that.
		worker.unref();
		worker.on('message', (reply: Reply) => {
			const w = this.settle(reply.id);
			if (reply.error !== undefined) w?.reject(new Error(reply.error));
			else w?.resolve(reply.value);
		});
		const fail = (err: Error) => {
			if (this.worker !== worker) return;
			this.worker = null;
			if (!this.closed) log.error('document worker stopped', { worker: this.name, ...errorFields(err) });
			for (const id of [...this.waiting.keys()]) this.settle(id)?.reject(err);
		};
		worker.on('error', fail);
		worker.on('exit', (code) => fail(new Error(`${this.name} exited with code ${code}`)));
		this.worker = worker;
		return worker;
	}
}

/** Worker side: answers each request with what `handle` returns (or throws). */
export function answer(port: { postMessage(m: Reply, t?: Transferable[]): void }, id: number, run: () => unknown) {
	try {
		const value = run();
		port.postMessage({ id, value }, transferables(value));
	} catch (err) {
		port.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
	}
}

/**
 * Bytes in an answer (a state, a section's JSON; at the top or one object down) travel to the
 * other thread by moving their memory, not copying it: the worker must not keep them.
 */
function transferables(value: unknown, depth = 0): Transferable[] {
	if (value instanceof Uint8Array) return value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? [value.buffer as ArrayBuffer] : [];
	if (depth > 1 || typeof value !== 'object' || value === null) return [];
	return Object.values(value).flatMap((v) => transferables(v, depth + 1));
}
