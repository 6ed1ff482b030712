export { Agency, type IAgency } from './agency.js';
export { Appeal, type IAppeal } from './appeal.js';
export { Applicant, type IApplicant } from './applicant.js';
export { Assignment, type IAssignment } from './assignment.js';
export { AuditEntry, type IAuditEntry } from './audit-entry.js';
export { type IJobRun, JobRun } from './job-run.js';
export { type IPrincipal, Principal } from './principal.js';
export { type IStatusEvent, StatusEvent } from './status-event.js';
