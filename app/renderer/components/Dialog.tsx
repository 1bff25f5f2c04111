/**
 * A modal dialog on the native `<dialog>` element: the browser keeps focus inside it, Escape closes it, and focus
 * returns to what opened it. Shown while mounted.
 */
import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; footer: ReactNode; onSubmit?: () => void; wide?: boolean; describedBy?: string }): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // The latest onClose, without reopening the dialog each time the parent renders a new function.
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    const cancel = (event: Event) => {
      event.preventDefault();
      onClose.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      dialog.close();
      opener?.focus?.();
    };
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit?.();
  };
  return (
    <dialog ref={ref} className={props.wide ? 'dialog wide' : 'dialog'} aria-labelledby={titleId} aria-describedby={props.describedBy}>
      <form method="dialog" onSubmit={submit}>
        <header className="dialog-head">
          <h2 id={titleId}>{props.title}</h2>
        </header>
        <div className="dialog-body">{props.children}</div>
        <footer className="dialog-foot">{props.footer}</footer>
      </form>
    </dialog>
  );
}

/** A yes/no question before something that cannot be undone. */
export function ConfirmDialog(props: { title: string; body: string; confirm: string; cancel: string; onConfirm: () => void; onClose: () => void }): ReactNode {
  const bodyId = useId();
  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      onSubmit={props.onConfirm}
      describedBy={bodyId}
      footer={
        <>
          <button type="button" className="button" onClick={props.onClose} autoFocus>
            {props.cancel}
          </button>
          <button type="submit" className="button danger">
            {props.confirm}
          </button>
        </>
      }
    >
      <p id={bodyId}>{props.body}</p>
    </Dialog>
  );
}
