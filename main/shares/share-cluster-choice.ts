// Which of this app's clusters opens a share link: the link names Slurm's ClusterName (not the
// owner's name for the cluster in their app), so the watcher's own cluster is found by the
// ClusterName its agent reports. Pure: the caller gathers what each cluster reports.
import { PortholeError } from '../errors';

export interface ClusterCandidate {
  /** The cluster's name in this app. */
  name: string;
  /** What its agent reports (cluster.info); absent when it is not connected, so not known. */
  slurm?: { clusterName: string; user: string };
}

/**
 * The cluster to open a share of Slurm cluster `clusterName` made for `user` through. `chosen`
 * is the person's pick when several fit. Throws an error a person can act on otherwise.
 */
export function chooseShareCluster(link: { clusterName: string; user: string }, candidates: ClusterCandidate[], chosen?: string): string {
  const matching = candidates.filter((c) => c.slurm?.clusterName === link.clusterName);
  if (chosen !== undefined) {
    const pick = candidates.find((c) => c.name === chosen);
    if (!pick) throw new PortholeError(`There is no cluster '${chosen}'; choose one of: ${names(candidates)}`, { field: 'cluster' });
    if (!pick.slurm)
      throw new PortholeError(`Cluster '${chosen}' is not connected: connect it first, then open the share`, { field: 'cluster' });
    if (pick.slurm.clusterName !== link.clusterName)
      throw new PortholeError(
        `Cluster '${chosen}' is Slurm cluster '${pick.slurm.clusterName}', and this share is on '${link.clusterName}'` +
          (matching.length ? `; choose one of: ${names(matching)}` : ''),
        { field: 'cluster' },
      );
    return pick.name;
  }
  if (matching.length === 1) return matching[0].name;
  if (matching.length > 1) {
    // The same Slurm cluster added twice (two logins): the one signed in as the link's user is meant.
    const asUser = matching.filter((c) => c.slurm?.user === link.user);
    if (asUser.length === 1) return asUser[0].name;
    throw new PortholeError(`Several of your clusters are Slurm cluster '${link.clusterName}' (${names(matching)}): choose one`, {
      field: 'cluster',
    });
  }
  const offline = candidates.filter((c) => !c.slurm);
  if (offline.length)
    throw new PortholeError(
      `None of your connected clusters is Slurm cluster '${link.clusterName}', which this share is on. ` +
        `Connect the one that is (not connected now: ${names(offline)}), then open the share again.`,
      { field: 'link' },
    );
  throw new PortholeError(
    `None of your clusters is Slurm cluster '${link.clusterName}', which this share is on` +
      (candidates.length ? ` (yours: ${candidates.map((c) => `${c.name} is '${c.slurm?.clusterName}'`).join(', ')})` : '') +
      `. Add it in Clusters, signing in as ${link.user}.`,
    { field: 'link' },
  );
}

function names(candidates: ClusterCandidate[]): string {
  return candidates.map((c) => c.name).join(', ');
}
