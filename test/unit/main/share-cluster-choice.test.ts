// Which of the watcher's clusters opens a share link: found by Slurm's ClusterName, which the
// link names, never by the name either person gave the cluster in their app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PortholeError } from '../../../main/errors';
import { chooseShareCluster, type ClusterCandidate } from '../../../main/shares/share-cluster-choice';

const link = { clusterName: 'hpc1', user: 'bob' };
const hpc1 = (name: string, user = 'bob'): ClusterCandidate => ({ name, slurm: { clusterName: 'hpc1', user } });
const other: ClusterCandidate = { name: 'viz', slurm: { clusterName: 'viz', user: 'bob' } };

function refusal(run: () => unknown): PortholeError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PortholeError, String(error));
    return error;
  }
  assert.fail('no error');
}

test('the one cluster whose Slurm ClusterName is the link’s is chosen, whatever it is called here', () => {
  assert.equal(chooseShareCluster(link, [other, hpc1('work'), { name: 'offline' }]), 'work');
});

test('of the same Slurm cluster added twice, the one signed in as the link’s user is chosen', () => {
  assert.equal(chooseShareCluster(link, [hpc1('as-alice', 'alice'), hpc1('as-bob')]), 'as-bob');
});

test('several that fit equally: the person is asked to choose, and the choice is taken', () => {
  const error = refusal(() => chooseShareCluster(link, [hpc1('a'), hpc1('b')]));
  assert.equal(error.field, 'cluster');
  assert.match(error.message, /Several of your clusters are Slurm cluster 'hpc1' \(a, b\): choose one/);
  assert.equal(chooseShareCluster(link, [hpc1('a'), hpc1('b')], 'b'), 'b');
});

test('a chosen cluster of another Slurm cluster, an unknown one or one not connected is refused, naming it', () => {
  assert.match(
    refusal(() => chooseShareCluster(link, [other, hpc1('a')], 'viz')).message,
    /'viz' is Slurm cluster 'viz'.*choose one of: a/,
  );
  assert.match(refusal(() => chooseShareCluster(link, [other], 'nope')).message, /no cluster 'nope'; choose one of: viz/);
  assert.match(refusal(() => chooseShareCluster(link, [{ name: 'off' }], 'off')).message, /'off' is not connected/);
});

test('no connected cluster fits: the message names the ones to connect, or says to add the cluster', () => {
  const offline = refusal(() => chooseShareCluster(link, [other, { name: 'uni' }]));
  assert.equal(offline.field, 'link');
  assert.match(offline.message, /None of your connected clusters is Slurm cluster 'hpc1'.*not connected now: uni/);
  const none = refusal(() => chooseShareCluster(link, [other]));
  assert.match(none.message, /None of your clusters is Slurm cluster 'hpc1'.*viz is 'viz'.*Add it in Clusters, signing in as bob/);
});
