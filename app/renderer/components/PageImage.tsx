/** A page picture from the service, fetched when shown (see ../lib/page-images.ts). */
import { useEffect, useState, type ReactNode } from 'react';
import { useApp } from '../context.tsx';

export function PageImage(props: { documentId: number; page: number; maxSide: number; alt: string; className?: string }): ReactNode {
  const { images } = useApp();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const { documentId, page, maxSide } = props;
  useEffect(() => {
    let live = true;
    setUrl(null);
    setFailed(false);
    images.url(documentId, page, maxSide).then(
      (u) => live && setUrl(u),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [images, documentId, page, maxSide]);
  if (!url) return <span className={`page-image placeholder ${failed ? 'failed' : ''} ${props.className ?? ''}`} role="img" aria-label={props.alt} aria-busy={!failed} />;
  return <img className={`page-image ${props.className ?? ''}`} src={url} alt={props.alt} decoding="async" />;
}
