import { Migration } from '@mikro-orm/migrations';

export class Migration20261129011700 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`job_slot\` (\`key\` text not null, \`job\` text not null, \`instance\` text not null, \`claimed_at\` datetime not null, \`finished_at\` datetime null, \`expires_at\` datetime not null, primary key (\`key\`));`);
    this.addSql(`create index \`job_slot_job_finished_at_index\` on \`job_slot\` (\`job\`, \`finished_at\`);`);
    this.addSql(`create index \`job_slot_expires_at_index\` on \`job_slot\` (\`expires_at\`);`);

    this.addSql(`create table \`reconcile_report\` (\`id\` text not null, \`started_at\` datetime not null, \`finished_at\` datetime null, \`counts\` json not null, \`skipped\` json not null, primary key (\`id\`));`);
    this.addSql(`create index \`reconcile_report_started_at_index\` on \`reconcile_report\` (\`started_at\`);`);

    this.addSql(`create table \`reconcile_item\` (\`id\` text not null, \`report_id\` text not null, \`side\` text check (\`side\` in ('ucc', 'agency')) not null, \`agency_id\` text null, \`appeal_id\` text null, \`external_ref\` text null, \`kind\` text check (\`kind\` in ('missing_here', 'missing_there', 'status_mismatch')) not null, \`ours\` text null, \`theirs\` text null, \`repair\` text null, \`detail\` text not null, constraint \`reconcile_item_report_id_foreign\` foreign key(\`report_id\`) references \`reconcile_report\`(\`id\`) on delete cascade on update cascade, constraint \`reconcile_item_agency_id_foreign\` foreign key(\`agency_id\`) references \`agency\`(\`id\`) on delete set null on update cascade, constraint \`reconcile_item_appeal_id_foreign\` foreign key(\`appeal_id\`) references \`appeal\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`reconcile_item_report_id_index\` on \`reconcile_item\` (\`report_id\`);`);
    this.addSql(`create index \`reconcile_item_agency_id_index\` on \`reconcile_item\` (\`agency_id\`);`);
    this.addSql(`create index \`reconcile_item_appeal_id_index\` on \`reconcile_item\` (\`appeal_id\`);`);
    this.addSql(`create index \`reconcile_item_report_id_kind_index\` on \`reconcile_item\` (\`report_id\`, \`kind\`);`);

    this.addSql(`create table \`ucc_message\` (\`id\` text not null, \`seq\` integer not null, \`appeal_id\` text not null, \`status_event_id\` text null, \`idempotency_key\` text not null, \`msg_id\` text not null, \`kind\` text check (\`kind\` in ('receipt', 'answer')) not null, \`content\` json not null, \`state\` text check (\`state\` in ('pending', 'in_flight', 'delivered', 'dead')) not null, \`attempts\` integer not null, \`outages\` integer not null, \`trying_since\` datetime not null, \`next_attempt_at\` datetime not null, \`lease_owner\` text null, \`lease_until\` datetime null, \`last_attempt_at\` datetime null, \`last_error_code\` text null, \`last_error\` text null, \`delivered_at\` datetime null, \`dead_at\` datetime null, \`dead_reason\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`ucc_message_appeal_id_foreign\` foreign key(\`appeal_id\`) references \`appeal\`(\`id\`) on delete cascade on update cascade, constraint \`ucc_message_status_event_id_foreign\` foreign key(\`status_event_id\`) references \`status_event\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`ucc_message_seq_unique\` on \`ucc_message\` (\`seq\`);`);
    this.addSql(`create index \`ucc_message_appeal_id_index\` on \`ucc_message\` (\`appeal_id\`);`);
    this.addSql(`create unique index \`ucc_message_idempotency_key_unique\` on \`ucc_message\` (\`idempotency_key\`);`);
    this.addSql(`create unique index \`ucc_message_msg_id_unique\` on \`ucc_message\` (\`msg_id\`);`);
    this.addSql(`create index \`ucc_message_state_seq_index\` on \`ucc_message\` (\`state\`, \`seq\`);`);
    this.addSql(`create index \`ucc_message_appeal_id_created_at_index\` on \`ucc_message\` (\`appeal_id\`, \`created_at\`);`);
    this.addSql(`create index \`ucc_message_status_event_id_index\` on \`ucc_message\` (\`status_event_id\`);`);

    this.addSql(`alter table \`job_run\` add column \`slot\` text null;`);
  }

}
