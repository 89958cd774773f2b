import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../server/http/client-address.ts';

const event = (socket: string, forwardedFor?: string) => ({
	request: new Request('http://fangkong.test/api/auth/login', { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }),
	getClientAddress: () => socket
});

describe('clientAddress', () => {
	it('is the socket’s peer unless proxies are trusted', () => {
		expect(clientAddress(event('192.0.2.1', '203.0.113.5'), 0)).toBe('192.0.2.1');
		expect(clientAddress(event('::ffff:192.0.2.1'), 0)).toBe('192.0.2.1');
	});

	it('behind one proxy, is the entry that proxy appended (the last), not what the client wrote', () => {
		expect(clientAddress(event('10.0.0.2', '203.0.113.5'), 1)).toBe('203.0.113.5');
		expect(clientAddress(event('10.0.0.2', '198.51.100.1, 203.0.113.5'), 1)).toBe('203.0.113.5');
		expect(clientAddress(event('10.0.0.2', '198.51.100.1, 203.0.113.5, 10.0.0.9'), 2)).toBe('203.0.113.5');
	});

	it('falls back to the socket when the header is missing, short or not an address', () => {
		expect(clientAddress(event('10.0.0.2'), 1)).toBe('10.0.0.2');
		expect(clientAddress(event('10.0.0.2', '203.0.113.5'), 2)).toBe('10.0.0.2');
		expect(clientAddress(event('10.0.0.2', 'unknown'), 1)).toBe('10.0.0.2');
	});

	it('reads the forms proxies write', () => {
		expect(clientAddress(event('10.0.0.2', '203.0.113.5:4711'), 1)).toBe('203.0.113.5');
		expect(clientAddress(event('10.0.0.2', '[2001:db8::1]:4711'), 1)).toBe('2001:db8::1');
		expect(clientAddress(event('10.0.0.2', '2001:db8::1'), 1)).toBe('2001:db8::1');
	});
});
