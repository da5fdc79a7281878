// Entry point of dist/agent.cjs (being written: see issue 4).
import { AGENT_PROTOCOL_VERSION } from './protocol';

process.stdout.write(JSON.stringify({ protocolVersion: AGENT_PROTOCOL_VERSION }) + '\n');
