// Applies site.json's and agent.json's choices to the template catalog, as one pure step after
// loading: which built-in and site templates are shown, and each field's default, limits and
// options. The catalog is what `templates.list` gives the launch form and what a launch is
// checked against, so the form and the agent follow the same limits with no change to either.
// The site may set any value; a user may only narrow what the site (or the template) allows.
import type { AgentConfig, OverrideLayer } from './agent-config';
import type { FieldOverride } from './config-schemas';
import { BadInputError } from './errors';
import { configError } from './json-locations';
import type { BrokenTemplate, TemplateProblem } from './protocol';
import type { TemplateCatalog } from './template-loader';
import type { Template, TemplateFile } from './template-schema';

type Field = TemplateFile['fields'][number];

export function applySiteChoices(
  catalog: TemplateCatalog,
  config: Pick<AgentConfig, 'templatesShown' | 'overrideLayers'>,
): TemplateCatalog {
  const broken: BrokenTemplate[] = [];
  const templates = new Map<string, Template>();
  for (const [id, template] of catalog.templates) {
    if (template.source !== 'user' && config.templatesShown && !config.templatesShown.includes(id)) continue;
    try {
      templates.set(id, config.overrideLayers.reduce(overrideTemplate, template));
    } catch (error) {
      // A mistake in agent.json stops the user's agent with its reason (as any bad agent.json
      // does); one in site.json leaves the template out for everyone, as a broken template is.
      if (!(error instanceof OverrideError) || error.who === 'user') throw error;
      broken.push({ id, source: template.source, problems: [error.problem] });
    }
  }
  for (const layer of config.overrideLayers) {
    for (const id of Object.keys(layer.overrides)) {
      if (!catalog.templates.has(id)) {
        const problem = { ...layer.located.place(['overrides', id]), message: `overrides.${id}: there is no template '${id}'` };
        broken.push({ id, source: layer.who === 'site' ? 'site' : 'user', problems: [problem] });
      }
    }
  }
  return { templates, broken: [...catalog.broken, ...broken] };
}

/** An override that cannot apply, whose file it is in, and where in it (for the broken template's card). */
class OverrideError extends BadInputError {
  readonly who: OverrideLayer['who'];
  readonly problem: TemplateProblem;
  constructor(layer: OverrideLayer, path: string[], given: unknown, allowed: string) {
    const error = configError(layer.located, path, given, allowed);
    super(error.field, error.given, error.allowed);
    this.who = layer.who;
    // The card shows the file, line and column apart: the message starts at the key.
    this.problem = { ...layer.located.place(path), message: error.message.slice(error.message.indexOf(': ') + 2) };
  }
}

function overrideTemplate(template: Template, layer: OverrideLayer): Template {
  const override = layer.overrides[template.file.id];
  if (!override) return template;
  return overrideFields(overrideIdle(template, layer, override.idle), layer, override.fields);
}

/** A site sets a template's idle stop; a user may turn it on or make it shorter, never longer or off. */
function overrideIdle(template: Template, layer: OverrideLayer, idle: { minutes: number } | undefined): Template {
  if (!idle) return template;
  const before = template.file.idle?.minutes;
  if (layer.who === 'user' && before !== undefined && idle.minutes > before)
    throw new OverrideError(
      layer,
      ['overrides', template.file.id, 'idle', 'minutes'],
      idle.minutes,
      `agent.json may make the idle stop shorter, not longer: the site stops this template's desktops after ${before} minutes`,
    );
  return { ...template, file: { ...template.file, idle } };
}

function overrideFields(template: Template, layer: OverrideLayer, fieldOverrides: Record<string, FieldOverride>): Template {
  const names = template.file.fields.map((f) => f.name);
  for (const name of Object.keys(fieldOverrides)) {
    if (!names.includes(name))
      throw new OverrideError(
        layer,
        ['overrides', template.file.id, 'fields', name],
        name,
        `template '${template.file.id}' has no such field; its fields are: ${names.join(', ')}`,
      );
  }
  const fields = template.file.fields.map((field) => {
    const override = fieldOverrides[field.name];
    return override ? overrideField(field, override, layer, ['overrides', template.file.id, 'fields', field.name]) : field;
  });
  return { ...template, file: { ...template.file, fields } };
}

function overrideField(field: Field, override: FieldOverride, layer: OverrideLayer, path: string[]): Field {
  const refuse = (key: string, given: unknown, allowed: string): never => {
    throw new OverrideError(layer, [...path, key], given, allowed);
  };
  // What the user may not go beyond: the field as the site (or the template) left it.
  const widen = (key: string, given: unknown, previous: unknown): never =>
    refuse(key, given, `agent.json may narrow the site's limits, not widen them: the site allows ${JSON.stringify(previous)} here`);
  const changed: Record<string, unknown> = { ...field };
  if (override.min !== undefined || override.max !== undefined) {
    if (field.type !== 'number')
      refuse(override.min !== undefined ? 'min' : 'max', override.min ?? override.max, 'min and max are for number fields');
    const number = field as Extract<Field, { type: 'number' }>;
    if (override.min !== undefined) {
      if (layer.who === 'user' && number.min !== undefined && override.min < number.min) widen('min', override.min, number.min);
      changed.min = override.min;
    }
    if (override.max !== undefined) {
      if (layer.who === 'user' && number.max !== undefined && override.max > number.max) widen('max', override.max, number.max);
      changed.max = override.max;
    }
    if (changed.min !== undefined && changed.max !== undefined && (changed.min as number) > (changed.max as number))
      refuse(override.max !== undefined ? 'max' : 'min', override.max ?? override.min, `at least min (${changed.min})`);
  }
  if (override.options !== undefined) {
    if (field.type !== 'select') refuse('options', override.options, 'options are for select fields');
    const offered = (field as Extract<Field, { type: 'select' }>).options;
    override.options.forEach((value, index) => {
      if (offered.some((option) => option.value === value)) return;
      const allowed = offered.map((option) => option.value);
      if (layer.who === 'user') widen(`options.${index}`, value, allowed);
      refuse(`options.${index}`, value, `one of the template's options: ${allowed.join(', ')}`);
    });
    changed.options = offered.filter((option) => override.options!.includes(option.value));
  }
  if (override.default !== undefined) changed.default = override.default;
  const result = changed as Field;
  const defaultProblem = result.default === undefined ? undefined : describeDefaultProblem(result);
  if (defaultProblem && override.default !== undefined) refuse('default', override.default, defaultProblem);
  if (defaultProblem) {
    const key = override.max !== undefined ? 'max' : override.min !== undefined ? 'min' : 'options';
    refuse(key, override[key], `limits that keep the default (${JSON.stringify(result.default)}) allowed, or a default of its own too`);
  }
  return result;
}

/** Why a field's default does not fit its own type, limits or options; undefined when it does. */
function describeDefaultProblem(field: Field): string | undefined {
  const value = field.default;
  switch (field.type) {
    case 'number':
      if (typeof value !== 'number') return 'a number';
      if (field.min !== undefined && value < field.min) return `a default of at least ${field.min} (the field's min)`;
      if (field.max !== undefined && value > field.max) return `a default of at most ${field.max} (the field's max)`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'select':
      return field.options.some((option) => option.value === value)
        ? undefined
        : `a default among the options: ${field.options.map((option) => option.value).join(', ')}`;
    default:
      return typeof value === 'string' ? undefined : 'a text value';
  }
}
