import { queryOptions, useMutation, useQuery } from '@tanstack/react-query'
import { modelKeys } from '@/features/models/api/query-keys'
import type { ModelDetail, ModelSummary, TuneAccepted, TuneRequest } from '@/features/models/api/types'
import { api } from '@/lib/api-client'
import type { Paginated } from '@/types/paginated'

export async function getModels(signal?: AbortSignal): Promise<ModelSummary[]> {
  const page = await api.get<Paginated<ModelSummary>>('/api/models/?limit=200', { signal })
  return page.results
}

export function modelsQueryOptions() {
  return queryOptions({
    queryKey: modelKeys.all,
    queryFn: ({ signal }) => getModels(signal),
    meta: { errorMessage: 'Could not load the models' },
  })
}

export function useModels() {
  return useQuery(modelsQueryOptions())
}

export function getModel(id: number, signal?: AbortSignal): Promise<ModelDetail> {
  return api.get<ModelDetail>(`/api/models/${id}/`, { signal })
}

export function modelQueryOptions(id: number | null) {
  return queryOptions({
    queryKey: modelKeys.detail(id ?? 0),
    queryFn: ({ signal }) => getModel(id ?? 0, signal),
    enabled: id !== null,
  })
}

export function useModel(id: number | null) {
  return useQuery(modelQueryOptions(id))
}

export function tuneModel(request: TuneRequest): Promise<TuneAccepted> {
  return api.post<TuneAccepted>('/api/models/tune/', request)
}

export function useTuneModel() {
  return useMutation({ mutationFn: tuneModel })
}
