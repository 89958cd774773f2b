// Some packages list optional platform binaries that the registry does not serve for every
// platform (e.g. @lix-js/sdk 0.17.0 has only linux-x64). `npm install` then writes a lock that
// names optional dependencies it has no entry for, and `npm ci` refuses that lock. This drops
// such names from the lock's optionalDependencies. Run it after `npm install` changes the lock.
import fs from 'node:fs';

export function danglingOptionals(lock) {
	const out = [];
	for (const [path, entry] of Object.entries(lock.packages ?? {})) {
		for (const name of Object.keys(entry.optionalDependencies ?? {})) {
			const base = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
			if (!lock.packages[base] && !lock.packages[`node_modules/${name}`]) out.push({ path, name });
		}
	}
	return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const file = new URL('../package-lock.json', import.meta.url);
	const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
	const dangling = danglingOptionals(lock);
	for (const { path, name } of dangling) delete lock.packages[path].optionalDependencies[name];
	if (dangling.length) fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
	console.log(dangling.length ? `pruned ${dangling.map((d) => d.name).join(', ')}` : 'lock ok');
}
