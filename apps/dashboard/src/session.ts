/**
 * Who is signed in. Session storage, not local storage: the admin token is a long-lived
 * secret and should not outlive the tab; a player's session token likewise.
 */
const ADMIN_KEY = 'ttfd.adminToken';
const PLAYER_KEY = 'ttfd.playerSession';

export type Role = 'admin' | 'player' | 'guest';

type Listener = () => void;
const listeners = new Set<Listener>();
const changed = () => listeners.forEach((listener) => listener());

export const session = {
  role(): Role {
    if (sessionStorage.getItem(ADMIN_KEY)) return 'admin';
    if (sessionStorage.getItem(PLAYER_KEY)) return 'player';
    return 'guest';
  },
  isAdmin(): boolean {
    return this.role() === 'admin';
  },
  bearer(): string | null {
    return sessionStorage.getItem(ADMIN_KEY) ?? sessionStorage.getItem(PLAYER_KEY);
  },
  signInAdmin(token: string): void {
    sessionStorage.removeItem(PLAYER_KEY);
    sessionStorage.setItem(ADMIN_KEY, token);
    changed();
  },
  signInPlayer(token: string): void {
    sessionStorage.removeItem(ADMIN_KEY);
    sessionStorage.setItem(PLAYER_KEY, token);
    changed();
  },
  signOut(): void {
    sessionStorage.removeItem(ADMIN_KEY);
    sessionStorage.removeItem(PLAYER_KEY);
    changed();
  },
  /** The server refused the stored token: forget it and say so on the sign-in page. */
  expired(): void {
    sessionStorage.setItem('ttfd.signInNotice', 'Your session ended: please sign in again.');
    this.signOut();
  },
  takeNotice(): string | null {
    const notice = sessionStorage.getItem('ttfd.signInNotice');
    sessionStorage.removeItem('ttfd.signInNotice');
    return notice;
  },
  onChange(listener: Listener): void {
    listeners.add(listener);
  },
};
