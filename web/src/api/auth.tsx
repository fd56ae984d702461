import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { MeResponse } from '../../../src/contracts/auth.js';
import type { Permission } from '../../../src/contracts/vocab.js';
import { changeLocale, currentLocale, type Locale } from '../i18n/i18n.js';
import { api, ApiError, setCsrfToken } from './api-client.js';

export type AuthState = {
  me: MeResponse | null;
  loading: boolean;
  can: (p: Permission) => boolean;
  signIn: (username: string, password: string) => Promise<MeResponse>;
  signOut: () => Promise<void>;
  setLocale: (l: Locale) => Promise<void>;
};

const AuthContext = createContext<AuthState | null>(null);
export const ME_KEY = ['auth', 'me'] as const;

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const meQuery = useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      try {
        return await api.get<MeResponse>('/auth/me');
      } catch (e) {
        // "Not signed in" is a state, not an error.
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
  const me = meQuery.data ?? null;
  const syncedFor = useRef<string | null>(null);

  useEffect(() => {
    setCsrfToken(me?.csrfToken ?? '');
    // The language saved on the account wins once per session; later switches are the user's own.
    if (me && syncedFor.current !== me.userId) {
      syncedFor.current = me.userId;
      if (me.locale !== currentLocale()) void changeLocale(me.locale);
    }
  }, [me]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const result = await api.post<MeResponse>('/auth/login', { username, password });
      setCsrfToken(result.csrfToken);
      // Drop the previous user's data but keep the session query itself, which AuthProvider observes.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      qc.setQueryData(ME_KEY, result);
      return result;
    },
    [qc],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } finally {
      syncedFor.current = null;
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      qc.setQueryData(ME_KEY, null);
    }
  }, [qc]);

  const setLocale = useCallback(
    async (l: Locale) => {
      await changeLocale(l);
      // Cached lists carry server-localised labels; refetch them in the new language.
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      if (me) {
        await api.put('/auth/me/locale', { locale: l });
        qc.setQueryData<MeResponse | null>(ME_KEY, (old) => (old ? { ...old, locale: l } : old));
      }
    },
    [me, qc],
  );

  const value = useMemo<AuthState>(
    () => ({
      me,
      loading: meQuery.isLoading,
      can: (p) => !!me?.permissions.includes(p),
      signIn,
      signOut,
      setLocale,
    }),
    [me, meQuery.isLoading, signIn, signOut, setLocale],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** For pages behind the sign-in gate, where `me` is known to be present. */
export function useMe(): MeResponse {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a session');
  return me;
}
