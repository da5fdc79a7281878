// zod for the agent: its mini API, which checks the same things as the full one at a fraction
// of the size, with the English messages that the full API carries by default and mini leaves
// out. Only what the agent's schemas use is passed on, by name: `import { z } from 'zod/mini'`
// kept zod's whole namespace, every language and the JSON Schema tools with it (430 of the
// agent's 630 KB), and Node compiles the whole file at every connect before the agent can say
// hello. Use it as `import * as z from './zod'`.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export {
  _default,
  array,
  boolean,
  discriminatedUnion,
  enum,
  gte,
  int,
  literal,
  lte,
  maxLength,
  minLength,
  number,
  object,
  optional,
  positive,
  record,
  regex,
  strictObject,
  string,
  superRefine,
  union,
} from 'zod/mini';
export type { infer, input, output, ZodMiniType } from 'zod/mini';
