import { useExchanges } from '@/features/markets'
import { PageHeader } from '@/components/page-header'
import { NotificationSettings } from '@/features/notifications'
import { ExchangeAccountForm } from '@/features/settings/components/exchange-account-form'
import { ExchangeAccountList } from '@/features/settings/components/exchange-account-list'
import { SecurityActivity } from '@/features/settings/components/security-activity'
import { SignInList } from '@/features/settings/components/sign-in-list'
import { CheckboxField } from '@/components/ui/checkbox-field'
import { Panel } from '@/components/ui/panel'
import { SelectField } from '@/components/ui/select-field'
import { setPreferences, usePreferences } from '@/lib/preferences'

export function SettingsPage() {
  const preferences = usePreferences()
  const exchanges = useExchanges()
  return (
    <>
      <PageHeader title="Settings" description="Your exchange keys, where you are signed in, and how this dashboard behaves." />
      <div className="grid gap-6 xl:grid-cols-5">
        <Panel className="p-4 sm:p-5 xl:col-span-3" aria-labelledby="accounts-title">
          <h2 id="accounts-title" className="text-base font-semibold text-white">
            Exchange accounts
          </h2>
          <ExchangeAccountList />
          <div className="mt-6 border-t border-white/10 pt-6">
            <ExchangeAccountForm />
          </div>
        </Panel>
        <Panel className="p-4 sm:p-5 xl:col-span-2" aria-labelledby="preferences-title">
          <h2 id="preferences-title" className="text-base font-semibold text-white">
            Preferences
          </h2>
          <p className="mt-1 rounded-lg bg-amber-400/10 px-3 py-2 text-xs text-amber-200">
            Saved in this browser only: these toasts belong to this dashboard. Notifications sent elsewhere are set up under Notification channels.
          </p>
          <div className="mt-4 space-y-5">
            <SelectField
              label="Default exchange"
              hint="The dashboard opens on this exchange’s first market."
              value={preferences.defaultExchange}
              onChange={(event) => setPreferences({ defaultExchange: event.target.value })}
              options={[{ value: '', label: 'First available market' }, ...(exchanges.data ?? []).map((item) => ({ value: item.ccxt_id, label: `${item.name}${item.is_demo ? ' (demo)' : ''}` }))]}
            />
            <fieldset className="space-y-3">
              <legend className="text-sm font-medium text-slate-200">Notifications</legend>
              <CheckboxField
                label="Finished backtests"
                description="A toast when a backtest finishes or fails."
                checked={preferences.notifyBacktests}
                onChange={(event) => setPreferences({ notifyBacktests: event.target.checked })}
              />
              <CheckboxField
                label="New BUY and SELL signals"
                description="A toast for each signal while the Signals page is open."
                checked={preferences.notifySignals}
                onChange={(event) => setPreferences({ notifySignals: event.target.checked })}
              />
              <CheckboxField
                label="Live connection lost"
                description="A toast when real-time updates stop, and when they are back."
                checked={preferences.notifyConnection}
                onChange={(event) => setPreferences({ notifyConnection: event.target.checked })}
              />
            </fieldset>
          </div>
        </Panel>
        <Panel className="p-4 sm:p-5 xl:col-span-3" aria-labelledby="sign-ins-title">
          <h2 id="sign-ins-title" className="text-base font-semibold text-white">
            Sessions and API tokens
          </h2>
          <p className="mt-1 text-sm text-slate-400">Where you are signed in. Revoke anything you do not recognise.</p>
          <SignInList />
        </Panel>
        <Panel className="p-4 sm:p-5 xl:col-span-2" aria-labelledby="activity-title">
          <h2 id="activity-title" className="text-base font-semibold text-white">
            Security activity
          </h2>
          <p className="mt-1 text-sm text-slate-400">Sign-ins, failed sign-ins, lockouts and changes to your keys.</p>
          <SecurityActivity />
        </Panel>
        <Panel className="p-4 sm:p-5 xl:col-span-5" aria-labelledby="channels-title">
          <h2 id="channels-title" className="text-base font-semibold text-white">
            Notification channels
          </h2>
          <p className="mt-1 text-xs text-slate-400">Fills, rejections, halts and kill switches sent to a webhook, Telegram, Discord, e-mail and more.</p>
          <div className="mt-4">
            <NotificationSettings />
          </div>
        </Panel>
      </div>
    </>
  )
}
