// The launch form: which template on which cluster, the values typed, and the errors to show
// next to each field (ours from the cluster's limits, or the agent's when it refused).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FieldValues, SessionView } from '../../main/api';
import { initialValues, validateForm, type FieldErrors, type FieldValue } from '../logic/form-validation';
import { ApiCallError, errorMessage } from '../transport/api-call-error';
import type { CatalogState } from './catalog-store';
import type { SessionsState } from './sessions-store';

export interface LaunchState {
  cluster?: string;
  templateId?: string;
  values: FieldValues;
  /** Fields whose errors are shown: changed ones, or all after a launch was tried. */
  shown: Record<string, boolean>;
  serverErrors: FieldErrors;
  formError?: string;
  submitting: boolean;
  choose(cluster: string, templateId: string, given?: FieldValues): void;
  close(): void;
  setValue(name: string, value: FieldValue): void;
  errors(): FieldErrors;
  submit(): Promise<SessionView | null>;
}

export function createLaunchStore(catalog: StoreApi<CatalogState>, sessions: StoreApi<SessionsState>): StoreApi<LaunchState> {
  const templateOf = (cluster?: string, templateId?: string) =>
    cluster && templateId ? catalog.getState().templates[cluster]?.find((t) => t.id === templateId) : undefined;
  return createStore<LaunchState>((set, get) => ({
    values: {},
    shown: {},
    serverErrors: {},
    submitting: false,
    choose(cluster, templateId, given) {
      const template = templateOf(cluster, templateId);
      const values = initialValues(template?.fields ?? [], catalog.getState().info[cluster], given);
      // A relaunch shows at once what no longer fits the cluster.
      const shown = given ? Object.fromEntries(Object.keys(given).map((k) => [k, true])) : {};
      set({ cluster, templateId, values, shown, serverErrors: {}, formError: undefined, submitting: false });
    },
    close() {
      set({ cluster: undefined, templateId: undefined, values: {}, shown: {}, serverErrors: {}, formError: undefined });
    },
    setValue(name, value) {
      const serverErrors = { ...get().serverErrors };
      delete serverErrors[name];
      set({ values: { ...get().values, [name]: value }, shown: { ...get().shown, [name]: true }, serverErrors, formError: undefined });
    },
    errors() {
      const { cluster, templateId, values, shown, serverErrors } = get();
      const template = templateOf(cluster, templateId);
      if (!template || !cluster) return {};
      const all = validateForm(template.fields, values, catalog.getState().info[cluster]);
      const visible: FieldErrors = {};
      for (const [name, message] of Object.entries(all)) if (shown[name]) visible[name] = message;
      return { ...visible, ...serverErrors };
    },
    async submit() {
      const { cluster, templateId, values } = get();
      const template = templateOf(cluster, templateId);
      if (!cluster || !template) return null;
      set({ shown: Object.fromEntries(template.fields.map((f) => [f.name, true])) });
      const problems = validateForm(template.fields, values, catalog.getState().info[cluster]);
      if (Object.keys(problems).length) return null;
      set({ submitting: true, formError: undefined });
      try {
        const session = await sessions.getState().launch(cluster, template.id, values);
        get().close();
        return session;
      } catch (error) {
        const field = error instanceof ApiCallError && error.field ? error.field.replace(/^values\./, '') : undefined;
        if (field && template.fields.some((f) => f.name === field)) set({ serverErrors: { [field]: errorMessage(error) } });
        else set({ formError: errorMessage(error) });
        return null;
      } finally {
        set({ submitting: false });
      }
    },
  }));
}
