import { useId, type InputHTMLAttributes } from 'react'
import { cn } from '@/lib/cn'

export function CheckboxField({ label, description, className, ...props }: Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'> & { label: string; description?: string }) {
  const id = useId()
  return (
    <div className={cn('flex items-start gap-3', className)}>
      <input
        id={id}
        type="checkbox"
        aria-describedby={description === undefined ? undefined : `${id}-description`}
        className="mt-0.5 size-4 shrink-0 rounded border-white/20 bg-slate-950 accent-cyan-400"
        {...props}
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium text-slate-200">
          {label}
        </label>
        {description === undefined ? null : (
          <p id={`${id}-description`} className="text-xs text-slate-400">
            {description}
          </p>
        )}
      </div>
    </div>
  )
}
