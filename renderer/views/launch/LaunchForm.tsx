// The form of one template on one cluster, generated from its fields; Launch starts it and
// switches to Sessions, where the new session is already listed.
import { useApp, useAppStore } from '../app-context';
import { requestNotificationPermission } from '../../notifications/session-notifier';
import { FormField } from './FormField';
import type { ClusterInfo, TemplateSummary } from '../../../main/api';
import { effectiveDefaultQos } from '../../../agent/common/accounting-rules';
import { formAccount, partitionChoices, resourceOf } from '../../logic/form-bounds';
import type { LaunchState } from '../../stores/launch-store';

/** A new QOS or account may bring a tighter MaxWall: the time fields then say so at once, not at Launch. */
function showTimeProblems(fields: TemplateSummary['fields'], launch: LaunchState): void {
  for (const field of fields) {
    const resource = resourceOf(field.name);
    if ((resource === 'hours' || resource === 'minutes') && launch.values[field.name] !== undefined)
      launch.setValue(field.name, launch.values[field.name]);
  }
}

/** Another account may not allow the QOS or partition chosen for the last one: take the new one's default, or its first. */
function followAccount(fields: TemplateSummary['fields'], launch: LaunchState, info: ClusterInfo | undefined): void {
  const account = formAccount(launch.values, info);
  const qosField = fields.find((f) => f.type === 'qos');
  if (qosField && account && !account.qos.includes(String(launch.values[qosField.name]))) {
    const qos = effectiveDefaultQos(account);
    if (qos !== undefined) launch.setValue(qosField.name, qos);
  }
  const partitionField = fields.find((f) => f.type === 'partition');
  if (partitionField?.type === 'partition') {
    const open = partitionChoices(partitionField, info, launch.values);
    if (open.length && !open.some((p) => p.name === launch.values[partitionField.name]))
      launch.setValue(partitionField.name, (open.find((p) => p.isDefault) ?? open[0]).name);
  }
}

export function LaunchForm() {
  const app = useApp();
  const cluster = useAppStore(
    (a) => a.launch,
    (s) => s.cluster,
  );
  const templateId = useAppStore(
    (a) => a.launch,
    (s) => s.templateId,
  );
  const values = useAppStore(
    (a) => a.launch,
    (s) => s.values,
  );
  const submitting = useAppStore(
    (a) => a.launch,
    (s) => s.submitting,
  );
  const formError = useAppStore(
    (a) => a.launch,
    (s) => s.formError,
  );
  // Recomputed when values or shown flags change (both replace the state object).
  useAppStore(
    (a) => a.launch,
    (s) => s.shown,
  );
  useAppStore(
    (a) => a.launch,
    (s) => s.serverErrors,
  );
  const template = useAppStore(
    (a) => a.catalog,
    (s) => (cluster ? s.templates[cluster]?.find((t) => t.id === templateId) : undefined),
  );
  const info = useAppStore(
    (a) => a.catalog,
    (s) => (cluster ? s.info[cluster] : undefined),
  );
  if (!cluster || !template) return null;
  const launch = app.launch.getState();
  const errors = launch.errors();

  return (
    <form
      className="card form"
      aria-label={`Launch ${template.name}`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        requestNotificationPermission();
        void launch.submit().then((session) => {
          if (session) app.ui.getState().show('sessions');
        });
      }}
    >
      <h3>
        {template.name} <span className="muted">on {cluster}</span>
      </h3>
      <p className="muted">{template.description}</p>
      {info ? null : <p className="muted">Reading the limits of {cluster}…</p>}
      <div className="grid-2">
        {template.fields.map((field) => (
          <FormField
            key={field.name}
            field={field}
            fields={template.fields}
            values={values}
            info={info}
            error={errors[field.name]}
            onChange={(value) => {
              launch.setValue(field.name, value);
              if (field.type === 'account') followAccount(template.fields, app.launch.getState(), info);
              if (field.type === 'account' || field.type === 'qos') showTimeProblems(template.fields, app.launch.getState());
            }}
          />
        ))}
      </div>
      {formError ? (
        <p className="error-text" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" disabled={submitting}>
          {submitting ? 'Launching…' : 'Launch'}
        </button>
        <button type="button" onClick={() => launch.close()}>
          Back to templates
        </button>
      </div>
    </form>
  );
}
