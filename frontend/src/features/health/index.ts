/** The public entry of the health feature: other features and the app import only from here. */
export { HealthPanel } from '@/features/health/components/health-panel'
