// The Add cluster form: Name, Host, User, Port, Identity file, Jump host, with errors next to
// each field (ours first, then main's when it refuses). A field's error goes as soon as the
// field is corrected: an error shown next to a value that no longer has it misleads.
import { useId, useState, type FormEvent } from 'react';
import { EMPTY_CLUSTER_FORM, formFieldOf, parseClusterForm, type ClusterFormInput } from '../../logic/cluster-form';
import { ApiCallError, errorMessage } from '../../transport/api-call-error';
import { useApp } from '../app-context';
import { FieldNotes } from '../common/FieldNotes';

const FIELDS: { key: keyof ClusterFormInput; label: string; placeholder: string; help?: string }[] = [
  { key: 'name', label: 'Name', placeholder: 'hpc1' },
  {
    key: 'host',
    label: 'Host',
    placeholder: 'login.hpc.example.org',
    help: 'A host name, or an alias from ~/.ssh/config; several login nodes separated by commas',
  },
  { key: 'user', label: 'User', placeholder: 'your user name on the cluster' },
  { key: 'port', label: 'Port', placeholder: '22' },
  { key: 'identityFile', label: 'Identity file', placeholder: '~/.ssh/id_ed25519' },
  { key: 'jumpHost', label: 'Jump host', placeholder: 'user@gateway:22', help: 'Optional, as in ssh -J' },
];

export function AddClusterForm({ onAdded }: { onAdded?: (name: string) => void }) {
  const app = useApp();
  const id = useId();
  const [input, setInput] = useState<ClusterFormInput>(EMPTY_CLUSTER_FORM);
  const [errors, setErrors] = useState<Partial<Record<keyof ClusterFormInput, string>>>({});
  const [formError, setFormError] = useState<string>();
  const [saving, setSaving] = useState(false);

  function edit(key: keyof ClusterFormInput, value: string) {
    const next = { ...input, [key]: value };
    setInput(next);
    // Only a field that shows an error is re-checked: one not yet filled in is not scolded
    // while the person is still typing elsewhere. Main's error for the field goes with the edit.
    const { [key]: shown, ...others } = errors;
    const recheck = parseClusterForm(next).errors?.[key];
    setErrors(shown && recheck ? { ...others, [key]: recheck } : others);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseClusterForm(input);
    setFormError(undefined);
    if (parsed.errors) return setErrors(parsed.errors);
    setErrors({});
    setSaving(true);
    try {
      const view = await app.clusters.getState().add(parsed.config);
      setInput(EMPTY_CLUSTER_FORM);
      onAdded?.(view.config.name);
    } catch (error) {
      const field = error instanceof ApiCallError ? formFieldOf(error.field) : undefined;
      if (field) setErrors({ [field]: errorMessage(error) });
      else setFormError(errorMessage(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="card form" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)} noValidate>
      <h3 id={`${id}-title`}>Add a cluster</h3>
      <div className="grid-2">
        {FIELDS.map((field) => {
          const inputId = `${id}-${field.key}`;
          const errorId = `${inputId}-error`;
          const helpId = `${inputId}-help`;
          const describedBy = [errors[field.key] ? errorId : '', field.help ? helpId : ''].filter(Boolean).join(' ') || undefined;
          return (
            <div className="field" key={field.key}>
              <label htmlFor={inputId}>{field.label}</label>
              <input
                id={inputId}
                name={field.key}
                value={input[field.key]}
                placeholder={field.placeholder}
                inputMode={field.key === 'port' ? 'numeric' : undefined}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={errors[field.key] ? true : undefined}
                aria-describedby={describedBy}
                onChange={(e) => edit(field.key, e.target.value)}
              />
              <FieldNotes helpId={helpId} help={field.help} errorId={errorId} error={errors[field.key]} />
            </div>
          );
        })}
      </div>
      {formError ? (
        <p className="error-text" role="alert">
          {formError}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={saving}>
        Add cluster
      </button>
    </form>
  );
}
