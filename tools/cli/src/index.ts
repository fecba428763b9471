export { dot, mermaid, parseArgs, run, USAGE } from "./main";
export { formatPlan, plan, tasksOf, type DurationProfile, type PhaseDescription, type Plan } from "./plan";
export { record } from "./record";
export { phasedSchedule, schedule, sequentialSeconds, type Schedule, type ScheduledTask, type Task } from "./schedule";
export { formatTimeline, ganttHtml, readEvents, timeline, type Step, type Timeline } from "./timeline";
