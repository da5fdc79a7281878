// A Writable over an open SFTP file handle that keeps several WRITE requests outstanding, as
// ssh2's fastPut does for a local file: one write at a time waits a round trip per chunk, which
// over SSH is most of the time. Back-pressure holds: a caller's write is called back only while
// fewer than `maxInFlight` requests wait for their answer, so no more than about
// chunkBytes × maxInFlight bytes are ever held, whatever the file's size.
import { Writable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';

export interface PipelineShape {
  /** Bytes per WRITE request; OpenSSH's sftp-server takes up to 256 KiB. */
  chunkBytes: number;
  maxInFlight: number;
}

export const UPLOAD_PIPELINE: PipelineShape = { chunkBytes: 64 * 1024, maxInFlight: 32 };

type Callback = (error?: Error | null) => void;

export class PipelinedSftpWriter extends Writable {
  /** Bytes the server has acknowledged. */
  written = 0;
  private position = 0;
  private inFlight = 0;
  private failure: Error | null = null;
  private waitingWrite: Callback | null = null;
  private waitingFinal: Callback | null = null;

  constructor(
    private readonly sftp: SFTPWrapper,
    private readonly handle: Buffer,
    private readonly shape: PipelineShape = UPLOAD_PIPELINE,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: Callback): void {
    if (this.failure) return callback(this.failure);
    for (let offset = 0; offset < chunk.length; offset += this.shape.chunkBytes)
      this.send(chunk.subarray(offset, offset + this.shape.chunkBytes));
    if (this.inFlight < this.shape.maxInFlight) callback();
    else this.waitingWrite = callback;
  }

  override _final(callback: Callback): void {
    if (this.failure || this.inFlight === 0) callback(this.failure);
    else this.waitingFinal = callback;
  }

  private send(piece: Buffer): void {
    const at = this.position;
    this.position += piece.length;
    this.inFlight += 1;
    this.sftp.write(this.handle, piece, 0, piece.length, at, (error?: Error | null) => this.settled(piece.length, error));
  }

  private settled(bytes: number, error?: Error | null): void {
    this.inFlight -= 1;
    if (error) this.failure ??= error;
    else {
      this.written += bytes;
      this.emit('acknowledged', this.written);
    }
    const write = this.waitingWrite;
    if (write && (this.failure || this.inFlight < this.shape.maxInFlight)) {
      this.waitingWrite = null;
      write(this.failure);
    }
    const final = this.waitingFinal;
    if (final && (this.failure || this.inFlight === 0)) {
      this.waitingFinal = null;
      final(this.failure);
    }
  }
}
