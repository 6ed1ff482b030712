import { Migration } from '@mikro-orm/migrations';

/**
 * The body's own work on its copy: its last answer (text, time, result) and the reason of its last
 * extension. Nullable columns need only `add column` (no table rebuild, which would drop
 * assignment.appeal_status and its triggers, see Migration20261129070000).
 */
export class Migration20261129071454 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`assignment\` add column \`answer_text\` text null;`);
    this.addSql(`alter table \`assignment\` add column \`answered_at\` datetime null;`);
    this.addSql(`alter table \`assignment\` add column \`answer_result\` text null check (\`answer_result\` in ('resolved_positively', 'refused', 'explained', 'returned_to_author', 'forwarded_by_competence', 'not_subject_to_consideration'));`);
    this.addSql(`alter table \`assignment\` add column \`extension_reason\` text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`assignment\` drop column \`extension_reason\`;`);
    this.addSql(`alter table \`assignment\` drop column \`answer_result\`;`);
    this.addSql(`alter table \`assignment\` drop column \`answered_at\`;`);
    this.addSql(`alter table \`assignment\` drop column \`answer_text\`;`);
  }

}
