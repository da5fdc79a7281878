import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScontrolJob } from '../../../agent/scontrol-parser';
import { parseSinfo, parseTimeLimit } from '../../../agent/sinfo-parser';
import { describePendingReason, parseSqueue } from '../../../agent/squeue-parser';

// Recorded on the test cluster (Slurm 22.05.8) with the formats the agent asks for.
const squeueOutput = [
  '241|RUNNING|None|node01|2026-11-23T00:41:04|2026-11-23T00:47:04|porthole-20261123-004104-d4qap',
  '242|PENDING|Resources||N/A|N/A|porthole-20261123-004200-abcde',
  '243|CANCELLED|None|node01|2026-11-23T00:41:04|2026-11-23T00:41:15|a|job|name',
  '',
].join('\n');

describe('squeue --format parser', () => {
  it('reads one row per job with state, reason, node and times', () => {
    const rows = parseSqueue(squeueOutput);
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[0], {
      jobId: '241',
      state: 'RUNNING',
      reason: 'None',
      nodes: 'node01',
      startTime: new Date('2026-11-23T00:41:04').toISOString(),
      endTime: new Date('2026-11-23T00:47:04').toISOString(),
      name: 'porthole-20261123-004104-d4qap',
    });
    assert.equal(rows[1].nodes, '');
    assert.equal(rows[1].startTime, undefined);
  });

  it('keeps a job name that holds the separator', () => {
    assert.equal(parseSqueue(squeueOutput)[2].name, 'a|job|name');
  });

  it('refuses a line it cannot read instead of guessing', () => {
    assert.throws(() => parseSqueue('garbage line\n'), /cannot read/);
  });

  it('says the pending reason in words and keeps Slurm’s word', () => {
    assert.match(describePendingReason('Resources'), /^Waiting for resources.*\(Slurm: Resources\)$/);
    assert.match(describePendingReason('SomethingNew'), /Slurm: SomethingNew/);
  });
});

describe('scontrol show job parser', () => {
  it('reads the state, exit code and node of a finished job', () => {
    const job = parseScontrolJob(`JobId=250 JobName=porthole-x
   UserId=porthole(1001) GroupId=porthole(1001) MCS_label=N/A
   JobState=TIMEOUT Reason=TimeLimit Dependency=(null)
   RunTime=00:01:09 TimeLimit=00:01:00 TimeMin=N/A
   StartTime=2026-11-23T00:50:00 EndTime=2026-11-23T00:51:09 Deadline=N/A
   NodeList=node01 BatchHost=node01
   ExitCode=0:15`);
    assert.equal(job?.state, 'TIMEOUT');
    assert.equal(job?.nodes, 'node01');
    assert.equal(job?.exitCode, '0:15');
    assert.equal(job?.reason, 'TimeLimit');
  });

  it('gives nothing for output without a job', () => {
    assert.equal(parseScontrolJob('slurm_load_jobs error: Invalid job id specified'), undefined);
  });
});

describe('sinfo parser', () => {
  it('reads partitions with limits and GPUs, default marked by *', () => {
    const partitions = parseSinfo('cpu*|infinite|1|64|65536|gpu:fake:1|up\ngpu|2-00:00:00|1|64|65536|gpu:fake:1|up\n');
    assert.equal(partitions[0].name, 'cpu');
    assert.equal(partitions[0].isDefault, true);
    assert.equal(partitions[0].maxTimeMinutes, null);
    assert.equal(partitions[1].maxTimeMinutes, 2880);
    assert.equal(partitions[1].gpusPerNode, 1);
    assert.equal(partitions[1].gpuType, 'fake');
  });

  it('reads every time-limit form Slurm prints', () => {
    assert.equal(parseTimeLimit('UNLIMITED'), null);
    assert.equal(parseTimeLimit('30'), 30);
    assert.equal(parseTimeLimit('4:00:00'), 240);
    assert.equal(parseTimeLimit('1-12'), 2160);
  });
});
