import { useEffect } from 'react'

export const PRODUCT_NAME = 'Quantum Trader'

export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title === null ? PRODUCT_NAME : `${title} · ${PRODUCT_NAME}`
  }, [title])
}
