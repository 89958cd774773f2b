/**
 * Propagation of one writer's keystrokes to readers on its own instance and on a second one
 * (PostgreSQL and Redis started here). Prints a table; asserts nothing.   npm run bench:scale
 */
import { KEYSTROKES, READER_COUNT, TYPING_MS, twoInstances } from './scale/two-instances.ts';

const { one, two } = await twoInstances();
const ms = (v: number) => v.toFixed(2);
console.log(`\nPropagation of a keystroke from 1 writer on instance A (${KEYSTROKES} keystrokes, one every ${TYPING_MS} ms; ms)\n`);
console.log('| readers | samples | p50 | p99 | p50 ratio | p99 ratio |');
console.log('|---|---:|---:|---:|---:|---:|');
console.log(`| ${READER_COUNT} on A (one instance) | ${one.n} | ${ms(one.p50)} | ${ms(one.p99)} | 1.00× | 1.00× |`);
console.log(`| ${READER_COUNT} on B (other instance, via Redis) | ${two.n} | ${ms(two.p50)} | ${ms(two.p99)} | ${(two.p50 / one.p50).toFixed(2)}× | ${(two.p99 / one.p99).toFixed(2)}× |`);
const ratio = two.p99 / one.p99;
console.log(`\nGoal, p99 on B within 2× of one instance: ${ratio <= 2 ? 'met' : 'missed'} (${ratio.toFixed(2)}×)\n`);
