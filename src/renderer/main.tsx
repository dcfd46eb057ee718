/**
 * Renderer entry: builds the bridge (desktop preload or in-page client core), the stores, and
 * mounts the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { StateMirror } from '../client/state/mirror.js';
import { resolveBridge } from './app/bridge.js';
import { selectRememberedChannelId, UiStore } from './app/ui-store.js';
import { AppContext } from './app/hooks.js';
import { App } from './app/App.js';
import { installVoiceFeature } from './features/voice/install.js';
import { VoiceContext } from './features/voice/voice-context.js';
import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/chat.css';
import './styles/panels.css';
import './styles/voice.css';

const bridge = resolveBridge();
const store = new StateMirror(bridge);
const ui = new UiStore();
// The channel the layout will open: its newest page is fetched alongside the gateway connection.
const expectedChannelId = selectRememberedChannelId(ui.getState());
if (expectedChannelId) void bridge.expectChannel(expectedChannelId);
const voice = installVoiceFeature({ bridge, store, platform: window.hearth ? 'desktop' : 'web' });

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <AppContext.Provider value={{ bridge, store, ui }}>
      <VoiceContext.Provider value={voice}>
        <App />
      </VoiceContext.Provider>
    </AppContext.Provider>
  </StrictMode>,
);
