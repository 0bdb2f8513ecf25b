import { startGitServer } from '../test/helpers/git-server';

/** The bench's git server in a process of its own, so the crawler's memory is measured alone. */
const server = await startGitServer();
process.stdout.write(`${JSON.stringify({ url: server.url, root: server.root })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
