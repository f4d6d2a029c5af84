/** Django REST framework's limit/offset page. */
export interface Paginated<T> {
  count: number
  next: string | null
  previous: string | null
  results: T[]
}
