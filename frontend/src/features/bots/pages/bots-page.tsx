import { getRouteApi } from '@tanstack/react-router'
import { useState } from 'react'
import { PageHeader } from '@/components/page-header'
import { EmptyLine, ErrorBlock, LoadingBlock } from '@/components/query-state'
import { Button } from '@/components/ui/button'
import { Panel } from '@/components/ui/panel'
import { useBots } from '@/features/bots/api/bots'
import { BotDetail } from '@/features/bots/components/bot-detail'
import { BotForm } from '@/features/bots/components/bot-form'
import { BotsList } from '@/features/bots/components/bots-list'
import { KillSwitchControl } from '@/features/bots/components/kill-switch-control'
import type { BotsSearch } from '@/features/bots/lib/search'

const botsRoute = getRouteApi('/bots')

export function BotsPage() {
  const search = botsRoute.useSearch()
  const navigate = botsRoute.useNavigate()
  const bots = useBots()
  const [creating, setCreating] = useState(false)
  const setSearch = (change: Partial<BotsSearch>) => void navigate({ search: (current) => ({ ...current, ...change }) })
  const list = bots.data?.results ?? []

  return (
    <>
      <PageHeader
        title="Bots"
        description="Bots trade a market on each closed candle with a rule or a model, inside their risk profile. New bots trade on a paper account; live trading needs an opt-in."
        actions={<KillSwitchControl scope="user" />}
      />
      <div className="grid gap-6 xl:grid-cols-5">
        <div className="flex min-w-0 flex-col gap-6 xl:col-span-2">
          <Panel className="p-4 sm:p-5" aria-labelledby="bots-title">
            <div className="mb-3 flex items-center justify-between gap-2">
              <h2 id="bots-title" className="text-base font-semibold text-white">
                Your bots
              </h2>
              <Button size="sm" variant={creating ? 'ghost' : 'primary'} onClick={() => setCreating((value) => !value)}>
                {creating ? 'Close the form' : 'New bot'}
              </Button>
            </div>
            {bots.isPending ? <LoadingBlock label="Loading your bots…" /> : null}
            {bots.isError ? <ErrorBlock title="Could not load your bots" error={bots.error} onRetry={() => void bots.refetch()} /> : null}
            {bots.data === undefined ? null : list.length === 0 ? (
              <EmptyLine>No bots yet. Create one: it starts on a paper account.</EmptyLine>
            ) : (
              <BotsList bots={list} selectedId={search.bot ?? null} onOpen={(bot) => setSearch({ bot })} />
            )}
          </Panel>
          {creating ? (
            <Panel className="p-4 sm:p-5">
              <BotForm
                onDone={(bot) => {
                  setCreating(false)
                  setSearch({ bot: bot.id })
                }}
              />
            </Panel>
          ) : null}
        </div>
        <div className="flex min-w-0 flex-col gap-6 xl:col-span-3">
          <Panel className="p-4 sm:p-5">
            {search.bot === undefined ? (
              <EmptyLine>Choose a bot to see its position, decisions and orders.</EmptyLine>
            ) : (
              <BotDetail key={search.bot} id={search.bot} onClose={() => setSearch({ bot: undefined })} />
            )}
          </Panel>
        </div>
      </div>
    </>
  )
}
