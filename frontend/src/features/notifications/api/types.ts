import type { Schemas } from '@/types/api'

/** One event in the notification centre. */
export type Notification = Schemas['Notification']

/** A channel as its owner sees it: the target masked, secrets never. */
export type NotificationChannel = Schemas['NotificationChannel']

/** The answer that creates a channel: a webhook's signing secret, shown only then. */
export type NotificationChannelCreated = Schemas['NotificationChannelCreated']

export type NotificationChannelInput = Schemas['NotificationChannelCreateRequest']

export type NotificationChannelKind = Schemas['NotificationChannelKindEnum']

export type Delivery = Schemas['Delivery']

export type NotificationPreference = Schemas['Preference']
