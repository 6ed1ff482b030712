import { Migration } from '@mikro-orm/migrations';

export class Migration20261129071454 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "assignment" add column "answer_text" text null, add column "answered_at" timestamptz null, add column "answer_result" text check ("answer_result" in ('resolved_positively', 'refused', 'explained', 'returned_to_author', 'forwarded_by_competence', 'not_subject_to_consideration')) null, add column "extension_reason" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "assignment" drop column "answer_text", drop column "answered_at", drop column "answer_result", drop column "extension_reason";`);
  }

}
