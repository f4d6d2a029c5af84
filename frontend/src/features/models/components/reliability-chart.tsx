import type { Reliability } from '@/features/models/api/types'

const CLASSES = [
  { name: 'BUY', color: '#34d399' },
  { name: 'HOLD', color: '#94a3b8' },
  { name: 'SELL', color: '#f87171' },
] as const

const SIZE = 220
const PAD = 28

function x(value: number): number {
  return PAD + value * (SIZE - 2 * PAD)
}

function y(value: number): number {
  return SIZE - PAD - value * (SIZE - 2 * PAD)
}

/**
 * Reliability diagram of the out-of-sample probabilities: per class, the mean predicted
 * probability of each bin against how often the class happened there. On the diagonal, the
 * probabilities mean what they say.
 */
export function ReliabilityChart({ reliability }: { reliability: Reliability }) {
  return (
    <figure className="space-y-2">
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} className="h-56 w-56" role="img" aria-label="Reliability diagram: predicted probability against observed frequency per class">
        <rect x={PAD} y={PAD} width={SIZE - 2 * PAD} height={SIZE - 2 * PAD} fill="none" stroke="rgba(255,255,255,0.15)" />
        <line x1={x(0)} y1={y(0)} x2={x(1)} y2={y(1)} stroke="rgba(255,255,255,0.35)" strokeDasharray="4 4" />
        {[0, 0.5, 1].map((tick) => (
          <g key={tick} className="fill-slate-400 text-[9px]">
            <text x={x(tick)} y={SIZE - PAD + 12} textAnchor="middle">
              {tick}
            </text>
            <text x={PAD - 6} y={y(tick) + 3} textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        <text x={SIZE / 2} y={SIZE - 4} textAnchor="middle" className="fill-slate-400 text-[9px]">
          predicted
        </text>
        <text x={8} y={SIZE / 2} textAnchor="middle" transform={`rotate(-90 8 ${SIZE / 2})`} className="fill-slate-400 text-[9px]">
          observed
        </text>
        {CLASSES.map(({ name, color }) => {
          const points = reliability[name]
          return (
            <g key={name} data-class={name}>
              <polyline fill="none" stroke={color} strokeWidth={1.5} points={points.map((point) => `${x(point.predicted)},${y(point.observed)}`).join(' ')} />
              {points.map((point) => (
                <circle key={point.bin} cx={x(point.predicted)} cy={y(point.observed)} r={Math.min(2 + Math.sqrt(point.rows) / 8, 5)} fill={color}>
                  <title>{`${name}: predicted ${point.predicted.toFixed(3)}, observed ${point.observed.toFixed(3)} over ${point.rows} candles`}</title>
                </circle>
              ))}
            </g>
          )
        })}
      </svg>
      <figcaption className="flex gap-3 text-xs text-slate-400">
        {CLASSES.map(({ name, color }) => (
          <span key={name} className="flex items-center gap-1">
            <span className="inline-block h-2 w-2 rounded-full" style={{ backgroundColor: color }} aria-hidden="true" />
            {name}
          </span>
        ))}
        <span>dashed: perfect calibration</span>
      </figcaption>
    </figure>
  )
}
