/**
 * The demo's sign-in: a JWT given as `?token=` (with `OFFGRID_JWT_SECRET` set for `offgrid serve`, mint one
 * with `offgrid token --sub alice`). Without it the app syncs with the API key only and shows no account control.
 * The store reads the token before every request, so signing out is setting it to nothing.
 */
let token: string | undefined = new URLSearchParams(globalThis.location?.search ?? '').get('token') ?? undefined;

export const session = {
  /** True when the page was opened with a token: the app shows who is signed in and a sign-out button. */
  usesAccounts: token !== undefined,
  token: (): string | undefined => token,
  signIn(next: string): void {
    token = next.trim() || undefined;
  },
  signOut(): void {
    token = undefined;
  },
  /** The token's subject, read (not verified) for display. */
  subject(): string | undefined {
    try {
      return token ? (JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string }).sub : undefined;
    } catch {
      return undefined;
    }
  },
};
