import { Migration } from '@mikro-orm/migrations';

export class Migration20261128231021 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`rule_set\` (\`id\` text not null, \`version\` integer not null, \`state\` text check (\`state\` in ('draft', 'published', 'retired')) not null, \`name\` text not null, \`document\` json not null, \`created_at\` datetime not null, \`created_by\` text null, \`updated_at\` datetime not null, \`published_at\` datetime null, \`published_by\` text null, \`retired_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create unique index \`rule_set_version_unique\` on \`rule_set\` (\`version\`);`);
    this.addSql(`create index \`rule_set_state_index\` on \`rule_set\` (\`state\`);`);
    // At most one live ruleset, enforced by the database itself.
    this.addSql(`create unique index \`rule_set_one_published\` on \`rule_set\` (\`state\`) where \`state\` = 'published';`);

    this.addSql(`alter table \`appeal\` add column \`complaint_about_id\` text null constraint \`appeal_complaint_about_id_foreign\` references \`agency\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`appeal\` add column \`forward_due_at\` datetime null;`);
    this.addSql(`alter table \`appeal\` add column \`forwarded_at\` datetime null;`);
    this.addSql(`create index \`appeal_complaint_about_id_index\` on \`appeal\` (\`complaint_about_id\`);`);
    this.addSql(`create index \`appeal_forward_due_at_index\` on \`appeal\` (\`forward_due_at\`);`);

    this.addSql(`alter table \`assignment\` add column \`returned_at\` datetime null;`);
    this.addSql(`alter table \`assignment\` add column \`return_reason\` text null;`);

  }

}
