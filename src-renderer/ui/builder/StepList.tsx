import type { DragEndEvent } from '@dnd-kit/core';
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors } from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useState } from 'react';
import type { StepInput } from '@shared/model/plan';
import { Button, Field } from '../components/ui';
import type { BuilderEnv } from './env';
import { kindInfo, stepSummary, timingSummary } from './kinds';
import { StepEditor } from './StepEditor';
import { TimingEditor } from './TimingEditor';

export interface StepListProps {
  steps: StepInput[];
  env: BuilderEnv;
  onChange: (steps: StepInput[]) => void;
  onDelete: (index: number) => void;
}

/**
 * The plan's steps in order. Reorder by dragging the handle, by keyboard on the handle
 * (Space to pick up, arrows to move, Space to drop — dnd-kit's sortable keyboard sensor), or with
 * Alt+↑ / Alt+↓ anywhere inside a step.
 */
export function StepList({ steps, env, onChange, onDelete }: StepListProps) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const move = (from: number, to: number) => {
    if (to < 0 || to >= steps.length || from === to) return;
    onChange(arrayMove(steps, from, to));
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over) return;
    move(
      steps.findIndex((s) => s.id === active.id),
      steps.findIndex((s) => s.id === over.id),
    );
  };
  const label = (id: string | number) => `step ${steps.findIndex((s) => s.id === id) + 1}`;
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{
        announcements: {
          onDragStart: ({ active }) => `Picked up ${label(active.id)}. Use the arrow keys to move it, Space to drop, Escape to cancel.`,
          onDragOver: ({ active, over }) =>
            over
              ? `${label(active.id)} is over position ${steps.findIndex((s) => s.id === over.id) + 1}.`
              : `${label(active.id)} is not over a step.`,
          onDragEnd: ({ over }) => (over ? `Dropped at position ${steps.findIndex((s) => s.id === over.id) + 1}.` : 'Dropped.'),
          onDragCancel: () => 'Reordering cancelled.',
        },
        screenReaderInstructions: {
          draggable: 'To reorder a step, press Space to pick it up, the arrow keys to move it, and Space to drop it.',
        },
      }}
    >
      <SortableContext items={steps.map((s) => s.id)} strategy={verticalListSortingStrategy} disabled={env.readOnly}>
        <ol className="steps">
          {steps.map((step, i) => (
            <SortableStep
              key={step.id}
              step={step}
              index={i}
              count={steps.length}
              env={env}
              onChange={(patch) => onChange(steps.map((s, j) => (j === i ? ({ ...s, ...patch } as StepInput) : s)))}
              onMove={(by) => move(i, i + by)}
              onDelete={() => onDelete(i)}
            />
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}

function SortableStep({
  step,
  index,
  count,
  env,
  onChange,
  onMove,
  onDelete,
}: {
  step: StepInput;
  index: number;
  count: number;
  env: BuilderEnv;
  onChange: (patch: Partial<StepInput>) => void;
  onMove: (by: -1 | 1) => void;
  onDelete: () => void;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: step.id });
  const [open, setOpen] = useState(true);
  const info = kindInfo(step.kind);
  const n = index + 1;
  const kindIssue = env.issues[`steps.${index}.kind`];
  const stepIssues = Object.entries(env.issues).filter(([path]) => path.startsWith(`steps.${index}.`));
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={`card step${isDragging ? ' dragging' : ''}${stepIssues.length ? ' step-invalid' : ''}`}
      aria-label={`Step ${n}`}
      onKeyDown={(e) => {
        if (!e.altKey || env.readOnly) return;
        if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
          e.preventDefault();
          onMove(e.key === 'ArrowUp' ? -1 : 1);
        }
      }}
    >
      <div className="step-head">
        <button
          type="button"
          className="drag-handle"
          ref={setActivatorNodeRef}
          aria-label={`Reorder step ${n}`}
          disabled={env.readOnly}
          {...attributes}
          {...listeners}
        >
          ⠿
        </button>
        <span className="step-num" aria-hidden="true">
          {n}
        </span>
        <span className={`kind-icon kind-${info.group.replace(/ /g, '-').toLowerCase()}`} aria-hidden="true">
          {info.icon}
        </span>
        <div className="step-title">
          <strong>{step.name || info.label}</strong>
          <span className="small muted">
            {timingSummary(step.timing)} · {stepSummary(step)}
          </span>
        </div>
        <div className="row-actions">
          <Button tone="ghost" aria-label={`Move step ${n} up`} disabled={index === 0 || env.readOnly} onClick={() => onMove(-1)}>
            ↑
          </Button>
          <Button tone="ghost" aria-label={`Move step ${n} down`} disabled={index === count - 1 || env.readOnly} onClick={() => onMove(1)}>
            ↓
          </Button>
          <Button tone="ghost" aria-expanded={open} aria-label={`${open ? 'Collapse' : 'Expand'} step ${n}`} onClick={() => setOpen(!open)}>
            {open ? '▾' : '▸'}
          </Button>
          <Button tone="ghost" aria-label={`Delete step ${n}`} disabled={env.readOnly} onClick={onDelete}>
            Delete
          </Button>
        </div>
      </div>
      {kindIssue ? (
        <p className="banner banner-error" role="alert">
          {kindIssue}. Keep it in a draft for later, or delete this step to save.
        </p>
      ) : null}
      {open ? (
        <fieldset className="step-body" disabled={env.readOnly}>
          <legend className="sr-only">Step {n} settings</legend>
          <div className="form-row">
            <TimingEditor
              timing={step.timing}
              label={`step ${n}`}
              error={env.issues[`steps.${index}.timing`]}
              onChange={(timing) => onChange({ timing })}
            />
          </div>
          <div className="form-row">
            <Field label="Step name (optional)">
              {(p) => (
                <input {...p} value={step.name ?? ''} placeholder={info.label} onChange={(e) => onChange({ name: e.target.value })} />
              )}
            </Field>
            <label className="check">
              <input type="checkbox" checked={step.notifyMe ?? false} onChange={(e) => onChange({ notifyMe: e.target.checked })} />
              Notify me when it runs
            </label>
          </div>
          <StepEditor step={step} index={index} env={env} onChange={onChange} />
        </fieldset>
      ) : null}
    </li>
  );
}
