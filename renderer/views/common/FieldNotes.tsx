// What follows a form control: its help and its error, each under the id the control's
// aria-describedby names.

/** The error shown next to a form field. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {message}
    </p>
  );
}

/** The field's help text (when it has one), then its error. */
export function FieldNotes({ helpId, help, errorId, error }: { helpId: string; help?: string; errorId: string; error?: string }) {
  return (
    <>
      {help ? (
        <p id={helpId} className="help">
          {help}
        </p>
      ) : null}
      <FieldError id={errorId} message={error} />
    </>
  );
}
