import { Migration } from '@mikro-orm/migrations';

export class Migration20261129022318 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`assignment_note\` (\`id\` text not null, \`assignment_id\` text not null, \`appeal_id\` text not null, \`principal_id\` text null, \`author_name\` text not null, \`text\` text not null, \`created_at\` datetime not null, constraint \`assignment_note_assignment_id_foreign\` foreign key(\`assignment_id\`) references \`assignment\`(\`id\`) on delete cascade on update cascade, constraint \`assignment_note_appeal_id_foreign\` foreign key(\`appeal_id\`) references \`appeal\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`assignment_note_assignment_id_index\` on \`assignment_note\` (\`assignment_id\`);`);
    this.addSql(`create index \`assignment_note_appeal_id_index\` on \`assignment_note\` (\`appeal_id\`);`);
    this.addSql(`create index \`assignment_note_assignment_id_created_at_index\` on \`assignment_note\` (\`assignment_id\`, \`created_at\`);`);

  }

}
