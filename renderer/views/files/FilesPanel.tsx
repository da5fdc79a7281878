// The Files panel of the viewer: what the session's files folder holds (name, size, time), a
// Download button for each file, and Upload files (the same as dropping them on the viewer).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RemoteFileEntry } from '../../../main/api';
import { byteSize } from '../../logic/byte-sizes';
import type { ApiLink } from '../../transport/link';
import { errorMessage } from '../../transport/api-call-error';

export interface FilesPanelProps {
  link: ApiLink;
  target: { cluster: string; id: string };
  /** Changes after each finished upload, so the list is read again. */
  uploadsDone: number;
  upload: (files: File[]) => void;
  download: (name: string, size: number) => void;
}

export function FilesPanel({ link, target, uploadsDone, upload, download }: FilesPanelProps) {
  const chooser = useRef<HTMLInputElement>(null);
  const [listing, setListing] = useState<{ folder: string; entries: RemoteFileEntry[] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = useCallback(() => {
    link.call('files.list', target.cluster, target.id).then(
      (result) => {
        setListing(result);
        setProblem(null);
      },
      (error: unknown) => setProblem(errorMessage(error)),
    );
  }, [link, target]);
  useEffect(refresh, [refresh, uploadsDone]);

  return (
    <div className="panel files-panel" role="group" aria-label="Files">
      <p className="files-folder">
        {listing ? (
          <>
            Files go to <code>{listing.folder}</code> on the cluster. Drop files or folders on the desktop, or:
          </>
        ) : (
          'Reading the files folder…'
        )}
      </p>
      <button type="button" onClick={() => chooser.current?.click()}>
        Upload files
      </button>
      <input
        ref={chooser}
        hidden
        type="file"
        multiple
        onChange={(event) => {
          upload([...(event.target.files ?? [])]);
          event.target.value = '';
        }}
      />
      <button type="button" onClick={refresh}>
        Refresh
      </button>
      {problem ? <p role="alert">{problem}</p> : null}
      {listing && !listing.entries.length ? <p>The folder is empty.</p> : null}
      {listing?.entries.length ? (
        <table aria-label="Files in the session's folder">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Size</th>
              <th scope="col">Modified</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {listing.entries.map((entry) => (
              <tr key={entry.name}>
                <td>{entry.kind === 'folder' ? `${entry.name}/` : entry.name}</td>
                <td>{entry.kind === 'file' ? byteSize(entry.size) : ''}</td>
                <td>{new Date(entry.modifiedAt).toLocaleString()}</td>
                <td>
                  {entry.kind === 'file' ? (
                    <button type="button" aria-label={`Download ${entry.name}`} onClick={() => download(entry.name, entry.size)}>
                      Download
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
