import { DemoBadge } from '@/components/demo-badge'
import { Badge } from '@/components/ui/badge'
import { formatDateTime, formatNumber } from '@/lib/format'
import { sentimentLabel, type FeedItem } from '@/features/sentiment/lib/sentiment'

export function ScoreBadge({ score }: { score: number | null }) {
  if (score === null) return <Badge tone="neutral">Not scored</Badge>
  const label = sentimentLabel(score)
  const tone = score >= 0.05 ? 'success' : score <= -0.05 ? 'danger' : 'neutral'
  return (
    <Badge tone={tone}>
      <span className="sr-only">{label.text}, score </span>
      {score >= 0 ? '+' : ''}
      {formatNumber(score, 2)}
    </Badge>
  )
}

export function SentimentFeed({ items, label }: { items: readonly FeedItem[]; label: string }) {
  // One label for a feed made only of demo items; per item when they are mixed.
  const allDemo = items.length > 0 && items.every((item) => item.isDemo)
  return (
    <>
      {allDemo ? (
        <p className="mb-1 flex items-center gap-2 text-xs text-slate-400">
          <DemoBadge /> Generated headlines and posts, not real news.
        </p>
      ) : null}
    <ul aria-label={label} className="divide-y divide-white/5">
      {items.map((item) => (
        <li key={item.key} className="flex items-start gap-3 py-3" data-feed-kind={item.kind}>
          <div className="min-w-0 flex-1">
            {item.url === null ? (
              <p className="line-clamp-3 text-sm text-slate-200">{item.title}</p>
            ) : (
              <a href={item.url} target="_blank" rel="noreferrer noopener" className="line-clamp-3 text-sm text-slate-100 hover:text-cyan-300 hover:underline">
                {item.title}
              </a>
            )}
            <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-400">
              <span>{item.kind === 'news' ? 'News' : 'Post'}</span>
              <span aria-hidden="true">·</span>
              <span>{item.meta}</span>
              <span aria-hidden="true">·</span>
              <time dateTime={item.time}>{formatDateTime(item.time)}</time>
              <DemoBadge show={item.isDemo && !allDemo} />
            </p>
          </div>
          <ScoreBadge score={item.score} />
        </li>
      ))}
    </ul>
    </>
  )
}
