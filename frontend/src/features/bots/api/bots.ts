import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { botKeys } from '@/features/bots/api/query-keys'
import type {
  Bot,
  BotAction,
  BotCreateRequest,
  KillRequest,
  KillSwitch,
  KillSwitchSetRequest,
  PatchedBotUpdateRequest,
  Position,
  Tick,
} from '@/features/bots/api/types'
import { api } from '@/lib/api-client'
import type { Paginated } from '@/types/paginated'

export function getBots(signal?: AbortSignal): Promise<Paginated<Bot>> {
  return api.get<Paginated<Bot>>('/api/bots/?limit=200', { signal })
}

export function useBots() {
  return useQuery({ queryKey: botKeys.list, queryFn: ({ signal }) => getBots(signal), meta: { errorMessage: 'Could not load your bots' } })
}

export function useBot(id: number | null) {
  return useQuery({
    queryKey: botKeys.detail(id ?? 0),
    queryFn: ({ signal }) => api.get<Bot>(`/api/bots/${id ?? 0}/`, { signal }),
    enabled: id !== null,
  })
}

export function useBotTicks(id: number | null, limit = 50) {
  return useQuery({
    queryKey: [...botKeys.ticks(id ?? 0), limit],
    queryFn: ({ signal }) => api.get<Paginated<Tick>>(`/api/bots/${id ?? 0}/ticks/?limit=${limit}`, { signal }),
    enabled: id !== null,
  })
}

export function getPositions(openOnly: boolean, signal?: AbortSignal): Promise<Position[]> {
  return api.get<Position[]>(`/api/positions/${openOnly ? '?open=true' : ''}`, { signal })
}

export function usePositions({ openOnly = false }: { openOnly?: boolean } = {}) {
  return useQuery({
    queryKey: [...botKeys.positions, { openOnly }],
    queryFn: ({ signal }) => getPositions(openOnly, signal),
    meta: { errorMessage: 'Could not load your positions' },
  })
}

function useInvalidateBots() {
  const queryClient = useQueryClient()
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: botKeys.all }),
      queryClient.invalidateQueries({ queryKey: botKeys.positions }),
      queryClient.invalidateQueries({ queryKey: botKeys.killSwitches }),
    ])
}

export function useCreateBot() {
  const invalidate = useInvalidateBots()
  return useMutation({ mutationFn: (body: BotCreateRequest) => api.post<Bot>('/api/bots/', body), onSettled: invalidate })
}

export function useUpdateBot() {
  const invalidate = useInvalidateBots()
  return useMutation({
    mutationFn: ({ id, changes }: { id: number; changes: PatchedBotUpdateRequest }) => api.patch<Bot>(`/api/bots/${id}/`, changes),
    onSettled: invalidate,
  })
}

export function useBotAction() {
  const invalidate = useInvalidateBots()
  return useMutation({
    mutationFn: ({ id, action }: { id: number; action: BotAction }) => api.post<Bot>(`/api/bots/${id}/${action}/`),
    onSettled: invalidate,
  })
}

export function useKillBot() {
  const invalidate = useInvalidateBots()
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: KillRequest }) => api.post<Bot>(`/api/bots/${id}/kill/`, body),
    onSettled: invalidate,
  })
}

export function useLiveOptIn() {
  const invalidate = useInvalidateBots()
  return useMutation({
    mutationFn: ({ id, confirmation }: { id: number; confirmation: string }) => api.post<Bot>(`/api/bots/${id}/live-opt-in/`, { confirmation }),
    onSettled: invalidate,
  })
}

export function useKillSwitches() {
  return useQuery({
    queryKey: botKeys.killSwitches,
    queryFn: async ({ signal }) => {
      const body = await api.get<KillSwitch[] | Paginated<KillSwitch>>('/api/kill-switches/', { signal })
      return Array.isArray(body) ? body : body.results
    },
    meta: { errorMessage: 'Could not load the kill switches' },
  })
}

export function useSetKillSwitch() {
  const invalidate = useInvalidateBots()
  return useMutation({ mutationFn: (body: KillSwitchSetRequest) => api.post<KillSwitch>('/api/kill-switches/', body), onSettled: invalidate })
}
