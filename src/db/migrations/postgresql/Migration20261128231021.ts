import { Migration } from '@mikro-orm/migrations';

export class Migration20261128231021 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "rule_set" ("id" uuid not null, "version" int not null, "state" text check ("state" in ('draft', 'published', 'retired')) not null, "name" varchar(200) not null, "document" jsonb not null, "created_at" timestamptz not null, "created_by" varchar(200) null, "updated_at" timestamptz not null, "published_at" timestamptz null, "published_by" varchar(200) null, "retired_at" timestamptz null, constraint "rule_set_pkey" primary key ("id"));`);
    this.addSql(`alter table "rule_set" add constraint "rule_set_version_unique" unique ("version");`);
    this.addSql(`create index "rule_set_state_index" on "rule_set" ("state");`);
    // At most one live ruleset, enforced by the database itself.
    this.addSql(`create unique index "rule_set_one_published" on "rule_set" ("state") where "state" = 'published';`);

    this.addSql(`alter table "appeal" add column "complaint_about_id" uuid null, add column "forward_due_at" timestamptz null, add column "forwarded_at" timestamptz null;`);
    this.addSql(`alter table "appeal" add constraint "appeal_complaint_about_id_foreign" foreign key ("complaint_about_id") references "agency" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "appeal_forward_due_at_index" on "appeal" ("forward_due_at");`);

    this.addSql(`alter table "assignment" add column "returned_at" timestamptz null, add column "return_reason" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "rule_set" cascade;`);

    this.addSql(`alter table "appeal" drop constraint "appeal_complaint_about_id_foreign";`);

    this.addSql(`drop index "appeal_forward_due_at_index";`);
    this.addSql(`alter table "appeal" drop column "complaint_about_id", drop column "forward_due_at", drop column "forwarded_at";`);

    this.addSql(`alter table "assignment" drop column "returned_at", drop column "return_reason";`);
  }

}
