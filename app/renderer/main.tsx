/** The renderer's entry: pick the transport, load the UI preferences, follow the service, draw the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { pickClient } from './client.ts';
import { AppProvider } from './context.tsx';
import { PageImages } from './lib/page-images.ts';
import { UiDatabase } from './prefs/db.ts';
import { loadPrefs } from './prefs/prefs.ts';
import { ServiceStore } from './state/service-store.ts';
import { applyTheme, resolveTheme } from './theme.ts';
import './styles/theme.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/queue.css';
import './styles/library.css';
import './styles/panels.css';
import './styles/editor.css';
import './styles/editor-panels.css';

async function start(): Promise<void> {
  const { client, transport } = pickClient();
  const db = new UiDatabase();
  const store = new ServiceStore(client);
  store.start();
  const images = new PageImages(client);
  store.eventHooks.add((event) => {
    if (event.type === 'document-deleted') images.forget(event.documentId);
  });
  const prefs = await loadPrefs(db);
  applyTheme(resolveTheme(prefs.theme)); // before the first paint
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <AppProvider client={client} transport={transport} store={store} db={db} images={images} initialPrefs={prefs}>
        <App />
      </AppProvider>
    </StrictMode>,
  );
}

void start();
