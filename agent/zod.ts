// zod for the agent: its mini API, which checks the same things as the full one at a fraction
// of the size (full zod was 450 of the agent's 1.1 MB, parsed at every connect), with the
// English messages that the full API carries by default and mini leaves out.
import { z } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// Only English: z.locales would bring every language along.
z.config(en());

export { z };
