import type { ElectronLike, MenuItemTemplate, TrayLike } from './electron-like';

export interface TrayMenuActions {
  open: () => void;
  setSendingPaused: (paused: boolean) => void;
  quit: () => void;
}

/**
 * The tray menu. `sendingPaused` is the engine's account-wide pause switch as last read; null while the engine
 * is not reachable, when the checkbox cannot honestly show a state and is disabled.
 */
export function trayMenuTemplate(sendingPaused: boolean | null, actions: TrayMenuActions): MenuItemTemplate[] {
  return [
    { label: 'Open', click: actions.open },
    {
      label: 'Pause all sending',
      type: 'checkbox',
      checked: sendingPaused === true,
      enabled: sendingPaused !== null,
      click: () => actions.setSendingPaused(sendingPaused !== true),
    },
    { type: 'separator' },
    { label: 'Quit', click: actions.quit },
  ];
}

/** The tray icon that stays when every window is closed: the way back in, the pause switch, and Quit. */
export class TrayIcon {
  private readonly tray: TrayLike;

  constructor(
    private readonly electron: Pick<ElectronLike, 'Tray' | 'Menu'>,
    icon: string,
    private readonly actions: TrayMenuActions,
    platform: NodeJS.Platform,
  ) {
    this.tray = new electron.Tray(icon);
    this.tray.setToolTip('Action Plans');
    // Windows users expect a click on the icon to open the app; macOS and Linux show the menu instead.
    if (platform === 'win32') this.tray.on('click', actions.open);
    this.showSendingState(null);
  }

  showSendingState(paused: boolean | null): void {
    this.tray.setContextMenu(this.electron.Menu.buildFromTemplate(trayMenuTemplate(paused, this.actions)));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
