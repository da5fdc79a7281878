// One field of a template's form, its control chosen by type and bounded by the cluster.
import { useId } from 'react';
import type { ClusterInfo, FieldValues, TemplateField } from '../../../main/api';
import type { FieldValue } from '../../logic/form-validation';
import {
  accountChoices,
  chosenPartition,
  formAccount,
  formWallLimit,
  numberBounds,
  partitionChoices,
  qosChoices,
} from '../../logic/form-bounds';
import { FieldNotes } from '../common/FieldNotes';

interface FormFieldProps {
  field: TemplateField;
  fields: TemplateField[];
  values: FieldValues;
  info?: ClusterInfo;
  error?: string;
  onChange: (value: FieldValue) => void;
}

function partitionLimits(p: ClusterInfo['partitions'][number]): string {
  const gpus = p.gpusPerNode ? `, ${p.gpusPerNode} GPU${p.gpusPerNode > 1 ? 's' : ''}${p.gpuType ? ` ${p.gpuType}` : ''}` : '';
  const time =
    p.maxTimeMinutes === null
      ? 'no time limit'
      : `up to ${Math.floor(p.maxTimeMinutes / 60)} h${p.maxTimeMinutes % 60 ? ` ${p.maxTimeMinutes % 60} min` : ''}`;
  return `${p.cpusPerNode} CPUs, ${Math.floor(p.memoryMbPerNode / 1024)} GB${gpus}, ${time}`;
}

export function FormField({ field, fields, values, info, error, onChange }: FormFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const value = values[field.name];
  let help = field.help;
  let control;
  const common = {
    id,
    name: field.name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': [error ? errorId : '', help !== undefined ? helpId : ''].filter(Boolean).join(' ') || undefined,
  };
  switch (field.type) {
    case 'number': {
      const bounds = numberBounds(field, chosenPartition(fields, values, info), formWallLimit(values, info));
      const range = [bounds.min !== undefined ? `from ${bounds.min}` : '', bounds.max !== undefined ? `to ${bounds.max}` : '']
        .filter(Boolean)
        .join(' ');
      const whose = bounds.wallLimitOf
        ? ` (the MaxWall of ${bounds.wallLimitOf})`
        : bounds.limitedBy
          ? ` on partition ${bounds.limitedBy}`
          : '';
      if (range) help = [field.help, `Allowed: ${range}${whose}.`].filter(Boolean).join(' ');
      common['aria-describedby'] = [error ? errorId : '', help ? helpId : ''].filter(Boolean).join(' ') || undefined;
      control = (
        <input
          {...common}
          type="number"
          inputMode="numeric"
          min={bounds.min}
          max={bounds.max}
          step={field.step ?? 'any'}
          value={typeof value === 'number' && !Number.isNaN(value) ? value : ''}
          onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
        />
      );
      break;
    }
    case 'string':
      control = (
        <input
          {...common}
          type="text"
          maxLength={field.maxLength}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    case 'select':
      control = (
        <select {...common} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
          {field.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
      break;
    case 'partition': {
      const choices = partitionChoices(field, info, values);
      const known = choices.some((p) => p.name === value);
      // Spelled out under the field too: a closed select cuts its text short in a narrow column.
      const chosen = choices.find((p) => p.name === value);
      if (chosen) help = [field.help, `Per node: ${partitionLimits(chosen)}.`].filter(Boolean).join(' ');
      common['aria-describedby'] = [error ? errorId : '', help ? helpId : ''].filter(Boolean).join(' ') || undefined;
      control = (
        <select {...common} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)}>
          {!known && value !== undefined ? <option value={String(value)}>{String(value)} (not on this cluster)</option> : null}
          {choices.map((p) => (
            <option key={p.name} value={p.name}>
              {`${p.name} (${partitionLimits(p)})`}
            </option>
          ))}
        </select>
      );
      break;
    }
    case 'account': {
      const choices = accountChoices(info);
      if (choices.length === 0) help = [field.help, 'This cluster keeps no accounts: Slurm chooses.'].filter(Boolean).join(' ');
      common['aria-describedby'] = [error ? errorId : '', help ? helpId : ''].filter(Boolean).join(' ') || undefined;
      control = (
        <select {...common} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} disabled={choices.length === 0}>
          {value !== undefined && !choices.some((a) => a.name === value) ? (
            <option value={String(value)}>{String(value)} (not yours)</option>
          ) : null}
          {choices.map((a) => (
            <option key={a.name} value={a.name}>
              {a.isDefault ? `${a.name} (default)` : a.name}
            </option>
          ))}
        </select>
      );
      break;
    }
    case 'qos': {
      const choices = qosChoices(values, info);
      const account = formAccount(values, info);
      const limits = (name: string) => {
        const minutes = info?.qos?.find((q) => q.name === name)?.maxWallMinutes;
        return minutes == null ? name : `${name} (up to ${minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`})`;
      };
      if (account) help = [field.help, `QOS that account ${account.name} allows.`].filter(Boolean).join(' ');
      common['aria-describedby'] = [error ? errorId : '', help ? helpId : ''].filter(Boolean).join(' ') || undefined;
      control = (
        <select {...common} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} disabled={choices.length === 0}>
          {value !== undefined && !choices.includes(String(value)) ? (
            <option value={String(value)}>{String(value)} (not allowed)</option>
          ) : null}
          {choices.map((name) => (
            <option key={name} value={name}>
              {limits(name)}
            </option>
          ))}
        </select>
      );
      break;
    }
    case 'boolean':
      return (
        <div className="field checkbox">
          <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <label htmlFor={id}>{field.label}</label>
          <FieldNotes helpId={helpId} help={help} errorId={errorId} error={error} />
        </div>
      );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{field.label}</label>
      {control}
      <FieldNotes helpId={helpId} help={help} errorId={errorId} error={error} />
    </div>
  );
}
