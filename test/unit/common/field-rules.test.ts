// The launch form and the agent judge a value by the same rules: each case is given to both,
// and both must accept it or both refuse it. The cases are where they used to disagree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { numberProblem, textProblem } from '../../../agent/common/field-rules';
import { parseTemplateFile } from '../../../agent/template-schema';
import { validateValues } from '../../../agent/template-values';
import type { TemplateField } from '../../../main/api';
import { validateField } from '../../../renderer/logic/form-validation';

/** What the form says of `value` (null: fine) and whether the agent takes it. */
function judge(field: TemplateField, value: number | string): { form: string | null; agentAccepts: boolean } {
  const template = parseTemplateFile(JSON.stringify({ id: 'case', name: 'Case', kind: 'vnc', fields: [field] }), 'case');
  const form = validateField(field, value, [field], { [field.name]: value }, undefined);
  let agentAccepts = true;
  try {
    validateValues(template, { [field.name]: value });
  } catch {
    agentAccepts = false;
  }
  return { form, agentAccepts };
}

function assertBothAccept(field: TemplateField, value: number | string): void {
  assert.deepEqual(judge(field, value), { form: null, agentAccepts: true }, `${JSON.stringify(value)} for ${JSON.stringify(field)}`);
}

function assertBothRefuse(field: TemplateField, value: number | string, formWords: RegExp): void {
  const { form, agentAccepts } = judge(field, value);
  assert.equal(agentAccepts, false, `the agent took ${JSON.stringify(value)}`);
  assert.match(form ?? '(the form took it)', formWords);
}

describe('a step of 0.5', () => {
  const hours: TemplateField = { name: 'hours', type: 'number', label: 'Hours', min: 0.5, max: 8, step: 0.5 };

  it('takes halves', () => {
    for (const value of [0.5, 1, 2.5, 8]) assertBothAccept(hours, value);
  });

  it('refuses what is between two steps, and the form says the step', () => {
    // The form used to check only whole-number steps, so it let 1.25 through to the agent.
    assertBothRefuse(hours, 1.25, /^Hours must be a multiple of 0\.5$/);
  });
});

describe('a whole-number step', () => {
  const cpus: TemplateField = { name: 'cpus', type: 'number', label: 'CPUs', min: 1, max: 64, step: 1 };
  const pairs: TemplateField = { name: 'gpus', type: 'number', label: 'GPUs', min: 0, max: 8, step: 2 };

  it('says "a whole number" for a step of 1, as before', () => {
    assertBothRefuse(cpus, 1.5, /^CPUs must be a whole number$/);
  });

  it('refuses a whole number off a larger step (the form used to take 3 for a step of 2)', () => {
    assertBothAccept(pairs, 4);
    assertBothRefuse(pairs, 3, /^GPUs must be a multiple of 2$/);
  });
});

describe('a pattern is read with the u flag by both', () => {
  const name: TemplateField = { name: 'title', type: 'string', label: 'Title', pattern: '\\p{L}+' };
  const oneCharacter: TemplateField = { name: 'mark', type: 'string', label: 'Mark', pattern: '.' };

  it('takes letters of any script for \\p{L} (without u the form refused even "abc")', () => {
    for (const value of ['abc', 'Ærøskøbing', 'Ελλάδα']) assertBothAccept(name, value);
    assertBothRefuse(name, 'abc1', /^Title does not have the expected form \(\\p\{L\}\+\)$/);
  });

  it('counts a character outside the BMP as one character (without u, "." saw two halves)', () => {
    assertBothAccept(oneCharacter, '𝄞');
    assertBothRefuse(oneCharacter, '𝄞𝄞', /expected form/);
  });

  it('refuses a pattern that does not compile: the agent does not load the template, the form takes no value and does not throw', () => {
    const broken: TemplateField = { name: 'title', type: 'string', label: 'Title', pattern: '(' };
    assert.throws(() => judge(broken, 'anything'), /fields\.0\.pattern: field 'title': pattern "\(" is not a valid regular expression/);
    assert.match(validateField(broken, 'anything', [broken], { title: 'anything' }, undefined) ?? '(the form took it)', /expected form/);
  });
});

describe('text the agent never takes, the form no longer lets through', () => {
  const free: TemplateField = { name: 'note', type: 'string', label: 'Note' };

  it('control characters, except new lines and tabs', () => {
    assertBothAccept(free, 'two\nlines\tand a tab');
    assertBothRefuse(free, 'bell\u0007', /^Note may not hold control characters/);
  });

  it('a lone surrogate', () => {
    assertBothRefuse(free, 'half \ud834', /^Note holds a broken Unicode character/);
  });

  it('more than 1024 characters when the template sets no limit', () => {
    assertBothAccept(free, 'a'.repeat(1024));
    assertBothRefuse(free, 'a'.repeat(1025), /^Note may have at most 1024 characters$/);
  });
});

describe('the rules alone', () => {
  it('meets a step within float dust (0.3 is three steps of 0.1)', () => {
    assert.equal(numberProblem(0.3, { step: 0.1 }), null);
  });

  it('names the first rule broken', () => {
    assert.deepEqual(numberProblem(0, { min: 1, max: 4, step: 1 }), { kind: 'below-min', min: 1 });
    assert.deepEqual(numberProblem(5, { min: 1, max: 4 }), { kind: 'above-max', max: 4 });
    assert.deepEqual(textProblem('abcd', { maxLength: 3, pattern: 'x' }), { kind: 'too-long', maxLength: 3 });
  });
});
