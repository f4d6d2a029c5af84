/** The public entry of the notifications feature. */
export { notificationKeys } from '@/features/notifications/api/query-keys'
export { NotificationBell } from '@/features/notifications/components/notification-bell'
export { NotificationSettings } from '@/features/notifications/components/notification-settings'
