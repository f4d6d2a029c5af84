import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { notificationKeys } from '@/features/notifications/api/query-keys'
import type {
  Delivery,
  Notification,
  NotificationChannel,
  NotificationChannelCreated,
  NotificationChannelInput,
  NotificationPreference,
} from '@/features/notifications/api/types'
import type { Paginated } from '@/types/paginated'

export function notificationsQueryOptions() {
  return queryOptions({
    queryKey: notificationKeys.list,
    queryFn: async ({ signal }) => (await api.get<Paginated<Notification>>('/api/notifications/?limit=30', { signal })).results,
    meta: { errorMessage: 'Could not load your notifications' },
  })
}

export function useNotifications(enabled = true) {
  return useQuery({ ...notificationsQueryOptions(), enabled })
}

export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: async ({ signal }) => (await api.get<{ unread: number }>('/api/notifications/unread-count/', { signal })).unread,
  })
}

export function useMarkRead() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (ids?: number[]) => api.post<{ marked: number }>('/api/notifications/mark-read/', ids === undefined ? {} : { ids }),
    meta: { errorMessage: 'Could not mark the notifications read' },
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  })
}

export function useNotificationChannels() {
  return useQuery({
    queryKey: notificationKeys.channels,
    queryFn: async ({ signal }) => (await api.get<Paginated<NotificationChannel>>('/api/notification-channels/?limit=100', { signal })).results,
    meta: { errorMessage: 'Could not load your notification channels' },
  })
}

export function useCreateChannel() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: NotificationChannelInput) => api.post<NotificationChannelCreated>('/api/notification-channels/', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.channels }),
  })
}

export function useUpdateChannel() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, changes }: { id: number; changes: Partial<NotificationChannelInput> & { paused?: boolean; enabled?: boolean } }) =>
      api.patch<NotificationChannel>(`/api/notification-channels/${id}/`, changes),
    meta: { errorMessage: 'Could not change the channel' },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.channels }),
  })
}

export function useDeleteChannel() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/notification-channels/${id}/`),
    meta: { errorMessage: 'Could not remove the channel' },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.channels }),
  })
}

export function useTestChannel() {
  return useMutation({
    mutationFn: (id: number) => api.post<Delivery>(`/api/notification-channels/${id}/test/`),
    meta: { errorMessage: 'Could not send the test' },
  })
}

export function usePreferences() {
  return useQuery({
    queryKey: notificationKeys.preferences,
    queryFn: ({ signal }) => api.get<NotificationPreference>('/api/notification-preferences/', { signal }),
    meta: { errorMessage: 'Could not load your notification preferences' },
  })
}

export function useUpdatePreferences() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (changes: Partial<Pick<NotificationPreference, 'quiet_start' | 'quiet_end' | 'timezone'>>) =>
      api.patch<NotificationPreference>('/api/notification-preferences/', changes),
    onSuccess: (data) => queryClient.setQueryData(notificationKeys.preferences, data),
  })
}
