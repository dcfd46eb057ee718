import { useState } from 'react';
import type { UserSettingsTab } from '../../app/ui-store.js';
import { useServices } from '../../app/hooks.js';
import { Modal } from '../../components/Modal.js';
import { Tabs, type Tab } from '../../components/Tabs.js';
import { voiceSlots } from '../voice/voice-slots.js';
import { AppSettingsTab } from '../desktop/AppSettingsTab.js';
import { AccountTab } from './AccountTab.js';
import { AppearanceTab } from './AppearanceTab.js';
import { DevicesTab } from './DevicesTab.js';
import { NotificationsTab } from './NotificationsTab.js';

export interface Props {
  initialTab?: UserSettingsTab | undefined;
}

/** User settings: account, devices signed in, appearance, notifications, voice when the voice feature is present, and the app (idle, desktop options, updates). */
export function UserSettingsModal({ initialTab }: Props) {
  const { ui } = useServices();
  const [tab, setTab] = useState<UserSettingsTab>(initialTab ?? 'account');
  const VoiceTab = voiceSlots.settingsTab;
  const tabs: Tab<UserSettingsTab>[] = [
    { id: 'account', label: 'My Account' },
    { id: 'devices', label: 'Devices' },
    { id: 'appearance', label: 'Appearance' },
    { id: 'notifications', label: 'Notifications' },
    ...(VoiceTab ? [{ id: 'voice' as const, label: 'Voice & Video' }] : []),
    { id: 'app', label: 'App Settings' },
  ];
  return (
    <Modal title="User Settings" wide onClose={() => ui.closeModal()}>
      <Tabs<UserSettingsTab> label="User settings" tabs={tabs} current={tab} onChange={setTab}>
        {tab === 'account' && <AccountTab />}
        {tab === 'devices' && <DevicesTab />}
        {tab === 'appearance' && <AppearanceTab />}
        {tab === 'notifications' && <NotificationsTab />}
        {tab === 'voice' && VoiceTab && <VoiceTab />}
        {tab === 'app' && <AppSettingsTab />}
      </Tabs>
    </Modal>
  );
}
