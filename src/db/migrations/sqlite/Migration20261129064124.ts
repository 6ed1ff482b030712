import { Migration } from '@mikro-orm/migrations';

export class Migration20261129064124 extends Migration {

  override async up(): Promise<void> {
    // SQLite adds a NOT NULL column only with a default: rebuild the table instead, existing principals
    // taking their creation time as their last change. No table references principal.
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(`create table \`principal__temp_alter\` (\`id\` text not null, \`name\` text not null, \`role\` text check (\`role\` in ('admin', 'operator', 'agency', 'integration', 'auditor')) not null, \`agency_id\` text null, \`token_hash\` text not null, \`created_at\` datetime not null, \`revoked_at\` datetime null, \`changed_at\` datetime not null, constraint \`principal_agency_id_foreign\` foreign key(\`agency_id\`) references \`agency\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`principal__temp_alter\` select \`id\`, \`name\`, \`role\`, \`agency_id\`, \`token_hash\`, \`created_at\`, \`revoked_at\`, \`created_at\` from \`principal\`;`);
    this.addSql(`drop table \`principal\`;`);
    this.addSql(`alter table \`principal__temp_alter\` rename to \`principal\`;`);
    this.addSql(`create index \`principal_agency_id_index\` on \`principal\` (\`agency_id\`);`);
    this.addSql(`create unique index \`principal_token_hash_unique\` on \`principal\` (\`token_hash\`);`);
    this.addSql(`pragma foreign_keys = on;`);
  }

}
