import { useId, type Ref, type SelectHTMLAttributes } from 'react'
import { cn } from '@/lib/cn'

export interface SelectOption {
  value: string
  label: string
  disabled?: boolean
}

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> {
  label: string
  options: readonly SelectOption[]
  errors?: readonly string[]
  hint?: string
  hideLabel?: boolean
  ref?: Ref<HTMLSelectElement>
}

export function SelectField({ label, options, errors = [], hint, hideLabel = false, className, ref, ...props }: SelectFieldProps) {
  const id = useId()
  const invalid = errors.length > 0
  const describedBy = [hint === undefined ? null : `${id}-hint`, invalid ? `${id}-error` : null].filter(Boolean).join(' ')
  return (
    <div className={cn('flex flex-col gap-1.5', className)}>
      <label htmlFor={id} className={hideLabel ? 'sr-only' : 'text-sm font-medium text-slate-200'}>
        {label}
      </label>
      <select
        id={id}
        ref={ref}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        className={cn(
          'h-10 w-full rounded-lg border bg-slate-950/60 px-3 text-sm text-slate-100',
          'focus:border-cyan-400 focus:outline-none focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-cyan-400 disabled:opacity-60',
          invalid ? 'border-rose-400/80' : 'border-white/15 hover:border-white/25',
        )}
        {...props}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
      {hint === undefined ? null : (
        <p id={`${id}-hint`} className="text-xs text-slate-400">
          {hint}
        </p>
      )}
      {invalid ? (
        <p id={`${id}-error`} className="text-xs font-medium text-rose-300">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  )
}
