import { RouterProvider } from '@tanstack/react-router'
import { useState } from 'react'
import { createAppRouter } from '@/app/router'

/** The app: one router over the route tree (auth gate, shell and pages live in the routes). */
export function App() {
  const [router] = useState(createAppRouter)
  return <RouterProvider router={router} />
}
