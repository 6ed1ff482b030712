import { Migration } from '@mikro-orm/migrations';

export class Migration20261128234633 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`delivery\` (\`id\` text not null, \`assignment_id\` text not null, \`appeal_id\` text not null, \`agency_id\` text not null, \`adapter_kind\` text check (\`adapter_kind\` in ('api', 'sev-ovv', 'trembita', 'webhook')) not null, \`idempotency_key\` text not null, \`state\` text check (\`state\` in ('pending', 'in_flight', 'delivered', 'dead', 'cancelled')) not null, \`priority\` integer not null, \`attempts\` integer not null, \`outages\` integer not null, \`trying_since\` datetime not null, \`next_attempt_at\` datetime not null, \`lease_owner\` text null, \`lease_until\` datetime null, \`last_attempt_at\` datetime null, \`last_error_code\` text null, \`last_error\` text null, \`receipt\` json null, \`delivered_at\` datetime null, \`dead_at\` datetime null, \`dead_reason\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`delivery_assignment_id_foreign\` foreign key(\`assignment_id\`) references \`assignment\`(\`id\`) on delete cascade on update cascade, constraint \`delivery_appeal_id_foreign\` foreign key(\`appeal_id\`) references \`appeal\`(\`id\`) on delete cascade on update cascade, constraint \`delivery_agency_id_foreign\` foreign key(\`agency_id\`) references \`agency\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`delivery_assignment_id_index\` on \`delivery\` (\`assignment_id\`);`);
    this.addSql(`create unique index \`delivery_assignment_id_unique\` on \`delivery\` (\`assignment_id\`);`);
    this.addSql(`create index \`delivery_appeal_id_index\` on \`delivery\` (\`appeal_id\`);`);
    this.addSql(`create index \`delivery_agency_id_index\` on \`delivery\` (\`agency_id\`);`);
    this.addSql(`create unique index \`delivery_idempotency_key_unique\` on \`delivery\` (\`idempotency_key\`);`);
    this.addSql(`create index \`delivery_state_next_attempt_at_index\` on \`delivery\` (\`state\`, \`next_attempt_at\`);`);
    this.addSql(`create index \`delivery_agency_id_state_index\` on \`delivery\` (\`agency_id\`, \`state\`);`);

  }

}
