import { contextBridge, ipcRenderer } from 'electron';
import type { DesktopBridge } from '@shared/bridge';
import { ENGINE_PORT_MESSAGE, IPC } from '@shared/bridge';

/** The UI window's bridge: which shell it runs in, opening links outside, and its port to the engine. */
const desktop: DesktopBridge = {
  shell: 'desktop',
  async openExternal(url) {
    await ipcRenderer.invoke(IPC.openExternal, url);
  },
};
contextBridge.exposeInMainWorld('desktop', desktop);

ipcRenderer.on(IPC.enginePort, (event) => window.postMessage(ENGINE_PORT_MESSAGE, '*', event.ports));
