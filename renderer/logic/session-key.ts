// One name for a session across clusters: agent ids are unique per cluster only.
export function sessionKey(session: { cluster: string; id: string }): string {
  return `${session.cluster}/${session.id}`;
}
