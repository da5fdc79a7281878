// The closing row of a form in a dialog: submit the form, or cancel it.
export function SubmitCancelButtons({ onCancel, submitLabel = 'Submit' }: { onCancel: () => void; submitLabel?: string }) {
  return (
    <div className="row">
      <button type="submit" className="primary">
        {submitLabel}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
