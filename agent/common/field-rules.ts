// The rules a launch form's value must meet, one set for the form (which answers at once, next
// to the field) and the agent (the boundary, which decides). Each side words the problem its
// own way; what counts as a problem is decided here only.

export interface NumberRule {
  min?: number;
  max?: number;
  /** Values are whole multiples of `step` (counted from 0). */
  step?: number;
}

export interface TextRule {
  /** Characters, as JavaScript counts them (UTF-16 code units); 1024 when the template says none. */
  maxLength?: number;
  /** A regular expression the whole value must match, read with the `u` flag (\p{L}, astral characters). */
  pattern?: string;
}

export const DEFAULT_TEXT_MAX_LENGTH = 1024;

export type NumberProblem = { kind: 'off-step'; step: number } | { kind: 'below-min'; min: number } | { kind: 'above-max'; max: number };

export type TextProblem =
  | { kind: 'control-character' }
  | { kind: 'broken-unicode' }
  | { kind: 'too-long'; maxLength: number }
  | { kind: 'no-match'; pattern: string };

// Division leaves float dust (0.3 / 0.1 is 2.9999999999999996): a step is met within it.
const STEP_TOLERANCE = 1e-9;

/** The first rule a finite number breaks, or null when it meets them all. */
export function numberProblem(value: number, rule: NumberRule): NumberProblem | null {
  if (rule.step !== undefined && Math.abs(value / rule.step - Math.round(value / rule.step)) > STEP_TOLERANCE)
    return { kind: 'off-step', step: rule.step };
  if (rule.min !== undefined && value < rule.min) return { kind: 'below-min', min: rule.min };
  if (rule.max !== undefined && value > rule.max) return { kind: 'above-max', max: rule.max };
  return null;
}

// No control characters in text: NUL cannot be passed to a program at all, and the others only
// ever arrive by accident or attack. Newline and tab are text and are kept.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/;
// A lone UTF-16 surrogate cannot be written as UTF-8: it would reach the script changed.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first rule a text value breaks, or null when it meets them all. */
export function textProblem(value: string, rule: TextRule): TextProblem | null {
  if (CONTROL_CHARACTERS.test(value)) return { kind: 'control-character' };
  if (LONE_SURROGATE.test(value)) return { kind: 'broken-unicode' };
  const maxLength = rule.maxLength ?? DEFAULT_TEXT_MAX_LENGTH;
  if (value.length > maxLength) return { kind: 'too-long', maxLength };
  if (rule.pattern !== undefined && !matchesWhole(rule.pattern, value)) return { kind: 'no-match', pattern: rule.pattern };
  return null;
}

/** Whether `pattern` (with the `u` flag) matches all of `value`; a pattern that does not compile matches nothing. */
function matchesWhole(pattern: string, value: string): boolean {
  let expression: RegExp;
  try {
    expression = new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    // A template's broken pattern must not crash the form or the agent: no value can meet it.
    return false;
  }
  return expression.test(value);
}
