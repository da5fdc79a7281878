// Sessions, templates and cluster limits as the Api gives them, for the renderer's unit tests.
import type { ClusterInfo, SessionView, TemplateField } from '../../../main/api';

export function session(overrides: Partial<SessionView> = {}): SessionView {
  return {
    id: 's1',
    cluster: 'hpc1',
    templateId: 'vnc-desktop',
    templateName: 'VNC desktop',
    kind: 'vnc',
    state: 'queued',
    jobId: '101',
    values: { partition: 'cpu', hours: 2 },
    submittedAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

export const clusterInfo: ClusterInfo = {
  clusterName: 'hpc1',
  slurmVersion: '22.05.8',
  user: 'ada',
  accounts: [],
  qos: [],
  partitions: [
    { name: 'cpu', isDefault: true, maxTimeMinutes: 240, nodes: 4, cpusPerNode: 8, memoryMbPerNode: 16384, gpusPerNode: 0, state: 'up' },
    {
      name: 'gpu',
      isDefault: false,
      maxTimeMinutes: 120,
      nodes: 1,
      cpusPerNode: 16,
      memoryMbPerNode: 65536,
      gpusPerNode: 2,
      gpuType: 'a100',
      state: 'up',
    },
    { name: 'long', isDefault: false, maxTimeMinutes: null, nodes: 1, cpusPerNode: 4, memoryMbPerNode: 8192, gpusPerNode: 0, state: 'up' },
  ],
};

export const desktopFields: TemplateField[] = [
  { name: 'partition', type: 'partition', label: 'Partition' },
  { name: 'hours', type: 'number', label: 'Hours', default: 1, min: 1, max: 24 },
  { name: 'cpus', type: 'number', label: 'CPUs', default: 2, min: 1, max: 64, step: 1 },
  { name: 'memoryGb', type: 'number', label: 'Memory (GB)', default: 4, min: 1, max: 512 },
  {
    name: 'geometry',
    type: 'select',
    label: 'Screen size',
    default: '1280x800',
    options: [
      { value: '1280x800', label: '1280 × 800' },
      { value: '1920x1080', label: '1920 × 1080' },
    ],
  },
  { name: 'title', type: 'string', label: 'Title', pattern: '[a-z0-9-]*', maxLength: 12 },
  { name: 'fullscreen', type: 'boolean', label: 'Start full screen' },
];
