import { Migration } from '@mikro-orm/migrations';

export class Migration20261129011701 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "job_slot" ("key" varchar(200) not null, "job" varchar(64) not null, "instance" varchar(128) not null, "claimed_at" timestamptz not null, "finished_at" timestamptz null, "expires_at" timestamptz not null, constraint "job_slot_pkey" primary key ("key"));`);
    this.addSql(`create index "job_slot_job_finished_at_index" on "job_slot" ("job", "finished_at");`);
    this.addSql(`create index "job_slot_expires_at_index" on "job_slot" ("expires_at");`);

    this.addSql(`create table "reconcile_report" ("id" uuid not null, "started_at" timestamptz not null, "finished_at" timestamptz null, "counts" jsonb not null, "skipped" jsonb not null, constraint "reconcile_report_pkey" primary key ("id"));`);
    this.addSql(`create index "reconcile_report_started_at_index" on "reconcile_report" ("started_at");`);

    this.addSql(`create table "reconcile_item" ("id" uuid not null, "report_id" uuid not null, "side" text check ("side" in ('ucc', 'agency')) not null, "agency_id" uuid null, "appeal_id" uuid null, "external_ref" varchar(200) null, "kind" text check ("kind" in ('missing_here', 'missing_there', 'status_mismatch')) not null, "ours" varchar(32) null, "theirs" varchar(32) null, "repair" varchar(64) null, "detail" text not null, constraint "reconcile_item_pkey" primary key ("id"));`);
    this.addSql(`create index "reconcile_item_report_id_kind_index" on "reconcile_item" ("report_id", "kind");`);

    this.addSql(`create table "ucc_message" ("id" uuid not null, "seq" int not null, "appeal_id" uuid not null, "status_event_id" uuid null, "idempotency_key" varchar(100) not null, "msg_id" varchar(36) not null, "kind" text check ("kind" in ('receipt', 'answer')) not null, "content" jsonb not null, "state" text check ("state" in ('pending', 'in_flight', 'delivered', 'dead')) not null, "attempts" int not null, "outages" int not null, "trying_since" timestamptz not null, "next_attempt_at" timestamptz not null, "lease_owner" varchar(100) null, "lease_until" timestamptz null, "last_attempt_at" timestamptz null, "last_error_code" varchar(64) null, "last_error" text null, "delivered_at" timestamptz null, "dead_at" timestamptz null, "dead_reason" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "ucc_message_pkey" primary key ("id"));`);
    this.addSql(`alter table "ucc_message" add constraint "ucc_message_seq_unique" unique ("seq");`);
    this.addSql(`alter table "ucc_message" add constraint "ucc_message_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`alter table "ucc_message" add constraint "ucc_message_msg_id_unique" unique ("msg_id");`);
    this.addSql(`create index "ucc_message_state_seq_index" on "ucc_message" ("state", "seq");`);
    this.addSql(`create index "ucc_message_appeal_id_created_at_index" on "ucc_message" ("appeal_id", "created_at");`);
    this.addSql(`create index "ucc_message_status_event_id_index" on "ucc_message" ("status_event_id");`);

    this.addSql(`alter table "reconcile_item" add constraint "reconcile_item_report_id_foreign" foreign key ("report_id") references "reconcile_report" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "reconcile_item" add constraint "reconcile_item_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "reconcile_item" add constraint "reconcile_item_appeal_id_foreign" foreign key ("appeal_id") references "appeal" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "ucc_message" add constraint "ucc_message_appeal_id_foreign" foreign key ("appeal_id") references "appeal" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "ucc_message" add constraint "ucc_message_status_event_id_foreign" foreign key ("status_event_id") references "status_event" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "job_run" add column "slot" varchar(200) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "reconcile_item" drop constraint "reconcile_item_report_id_foreign";`);

    this.addSql(`drop table if exists "job_slot" cascade;`);

    this.addSql(`drop table if exists "reconcile_report" cascade;`);

    this.addSql(`drop table if exists "reconcile_item" cascade;`);

    this.addSql(`drop table if exists "ucc_message" cascade;`);

    this.addSql(`alter table "job_run" drop column "slot";`);
  }

}
