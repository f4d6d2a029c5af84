import { useId, type InputHTMLAttributes, type Ref } from 'react'
import { cn } from '@/lib/cn'

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string
  /** Error messages shown beside the field and announced with it. */
  errors?: readonly string[]
  hint?: string
  ref?: Ref<HTMLInputElement>
}

export function TextField({ label, errors = [], hint, className, ref, ...props }: TextFieldProps) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const invalid = errors.length > 0
  const describedBy = [hint === undefined ? null : hintId, invalid ? errorId : null].filter(Boolean).join(' ')

  return (
    <div className={cn('flex flex-col gap-1.5', className)}>
      <label htmlFor={id} className="text-sm font-medium text-slate-200">
        {label}
      </label>
      <input
        id={id}
        ref={ref}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        className={cn(
          'h-10 w-full rounded-lg border bg-slate-950/60 px-3 text-sm text-slate-100 placeholder:text-slate-500',
          'transition-colors focus:border-cyan-400 focus:outline-none focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-cyan-400',
          'disabled:opacity-60',
          invalid ? 'border-rose-400/80' : 'border-white/15 hover:border-white/25',
        )}
        {...props}
      />
      {hint === undefined ? null : (
        <p id={hintId} className="text-xs text-slate-400">
          {hint}
        </p>
      )}
      {invalid ? (
        <p id={errorId} className="text-xs font-medium text-rose-300">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  )
}
