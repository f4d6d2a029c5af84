import '@/lib/zod-setup'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from '@/app/app'
import { Providers } from '@/app/providers'
import { createQueryClient } from '@/lib/query-client'
import './index.css'

const queryClient = createQueryClient()
const root = document.getElementById('root')
if (root === null) throw new Error('The page has no #root element.')

createRoot(root).render(
  <StrictMode>
    <Providers queryClient={queryClient}>
      <App />
    </Providers>
  </StrictMode>,
)
