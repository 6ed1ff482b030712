import { Migration } from '@mikro-orm/migrations';

export class Migration20261129022319 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "assignment_note" ("id" uuid not null, "assignment_id" uuid not null, "appeal_id" uuid not null, "principal_id" uuid null, "author_name" varchar(200) not null, "text" text not null, "created_at" timestamptz not null, constraint "assignment_note_pkey" primary key ("id"));`);
    this.addSql(`create index "assignment_note_assignment_id_created_at_index" on "assignment_note" ("assignment_id", "created_at");`);

    this.addSql(`alter table "assignment_note" add constraint "assignment_note_assignment_id_foreign" foreign key ("assignment_id") references "assignment" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "assignment_note" add constraint "assignment_note_appeal_id_foreign" foreign key ("appeal_id") references "appeal" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "assignment_note" cascade;`);
  }

}
