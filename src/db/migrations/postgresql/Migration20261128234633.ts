import { Migration } from '@mikro-orm/migrations';

export class Migration20261128234633 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "delivery" ("id" uuid not null, "assignment_id" uuid not null, "appeal_id" uuid not null, "agency_id" uuid not null, "adapter_kind" text check ("adapter_kind" in ('api', 'sev-ovv', 'trembita', 'webhook')) not null, "idempotency_key" varchar(100) not null, "state" text check ("state" in ('pending', 'in_flight', 'delivered', 'dead', 'cancelled')) not null, "priority" boolean not null, "attempts" int not null, "outages" int not null, "trying_since" timestamptz not null, "next_attempt_at" timestamptz not null, "lease_owner" varchar(100) null, "lease_until" timestamptz null, "last_attempt_at" timestamptz null, "last_error_code" varchar(64) null, "last_error" text null, "receipt" jsonb null, "delivered_at" timestamptz null, "dead_at" timestamptz null, "dead_reason" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "delivery_pkey" primary key ("id"));`);
    this.addSql(`alter table "delivery" add constraint "delivery_assignment_id_unique" unique ("assignment_id");`);
    this.addSql(`alter table "delivery" add constraint "delivery_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "delivery_state_next_attempt_at_index" on "delivery" ("state", "next_attempt_at");`);
    this.addSql(`create index "delivery_agency_id_state_index" on "delivery" ("agency_id", "state");`);

    this.addSql(`alter table "delivery" add constraint "delivery_assignment_id_foreign" foreign key ("assignment_id") references "assignment" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "delivery" add constraint "delivery_appeal_id_foreign" foreign key ("appeal_id") references "appeal" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "delivery" add constraint "delivery_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "delivery" cascade;`);
  }

}
