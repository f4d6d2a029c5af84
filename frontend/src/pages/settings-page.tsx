import { FeatureUnavailable } from '@/components/feature-unavailable'
import { SettingsIcon } from '@/components/icons'

export function SettingsPage() {
  return (
    <FeatureUnavailable
      title="Settings"
      summary="Exchange connections, API keys and preferences."
      description="Exchange accounts, API keys and notification preferences will be managed here once settings are available."
      icon={<SettingsIcon className="size-6" />}
    />
  )
}
