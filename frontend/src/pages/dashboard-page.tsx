import { HealthPanel } from '@/components/health-panel'
import { PageHeader } from '@/components/page-header'

export function DashboardPage() {
  return (
    <>
      <PageHeader title="Dashboard" description="The state of your Quantum Trader deployment at a glance." />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <HealthPanel />
        </div>
      </div>
    </>
  )
}
