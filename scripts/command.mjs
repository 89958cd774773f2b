// What the operator commands (backup, restore) share: a refusal or failure is one clear
// message and exit status 1, never a stack trace.
export async function runCommand(failure, body) {
	try {
		await body();
	} catch (err) {
		const message = err instanceof Error ? err.message : String(err);
		process.stderr.write(`防控 Fangkong ${failure}：${message}\n`);
		process.exit(1);
	}
}
