// The slice of React's scheduler (it ships no types) the key queue uses to
// hand out keys in order with React's own pending work.
declare module 'scheduler' {
  export type Task = unknown;
  export const unstable_NormalPriority: number;
  export function unstable_scheduleCallback(priority: number, callback: () => void): Task;
  export function unstable_cancelCallback(task: Task): void;
}
