import { Migration } from '@mikro-orm/migrations';

export class Migration20261128212204 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "agency" ("id" uuid not null, "code" varchar(16) not null, "name" varchar(500) not null, "short_name" varchar(200) null, "kind" text check ("kind" in ('oblast_administration', 'oblast_department', 'district_administration', 'city_council', 'hromada_council', 'central_body', 'utility', 'contact_center')) not null, "parent_id" uuid null, "territories" jsonb not null, "adapter_kind" text check ("adapter_kind" in ('api', 'sev-ovv', 'trembita', 'webhook')) not null default 'api', "adapter_settings" jsonb not null, "code_is_placeholder" boolean not null default false, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "agency_pkey" primary key ("id"));`);
    this.addSql(`alter table "agency" add constraint "agency_code_unique" unique ("code");`);

    this.addSql(`create table "applicant" ("id" uuid not null, "last_name" varchar(200) null, "first_name" varchar(200) null, "patronymic" varchar(200) null, "phone" varchar(32) null, "email" varchar(320) null, "address" text null, "categories" jsonb not null, "social_status" varchar(16) null, "sex" text check ("sex" in ('male', 'female')) null, "non_disclosure" boolean not null default false, "co_authors" jsonb not null, "identity_key" varchar(64) null, constraint "applicant_pkey" primary key ("id"));`);
    this.addSql(`create index "applicant_phone_index" on "applicant" ("phone");`);
    this.addSql(`create index "applicant_identity_key_index" on "applicant" ("identity_key");`);

    this.addSql(`create table "appeal" ("id" uuid not null, "registration_number" varchar(64) null, "source" text check ("source" in ('gov_hotline_1545', 'regional_hotline', 'direct_line', 'web', 'other')) not null, "external_id" varchar(128) null, "received_at" timestamptz not null, "kind" text check ("kind" in ('proposal', 'application', 'complaint')) not null, "subject" text check ("subject" in ('individual', 'collective', 'anonymous')) not null, "receipt_sign" text check ("receipt_sign" in ('primary', 'repeated', 'duplicate', 'recurring', 'mass')) not null, "receipt_form" text check ("receipt_form" in ('post', 'phone', 'personal', 'authorised_person', 'authorities', 'media', 'other_bodies')) null, "topic_code" varchar(16) not null, "territory_code" varchar(19) null, "summary" text not null, "applicant_id" uuid null, "priority" boolean not null default false, "urgent" boolean not null default false, "status" text check ("status" in ('registered', 'routed', 'sent', 'delivered', 'under_consideration', 'extended', 'answered', 'closed', 'returned', 'forwarded', 'not_subject')) not null, "due_at" timestamptz not null, "result" text check ("result" in ('resolved_positively', 'refused', 'explained', 'returned_to_author', 'forwarded_by_competence', 'not_subject_to_consideration')) null, "flags" jsonb not null, "duplicate_of_id" uuid null, "repeat_of_id" uuid null, "mass_of_id" uuid null, "text_fingerprint" varchar(64) null, "direct_line_session" varchar(128) null, "direct_line_agency_id" uuid null, "direct_line_official" varchar(300) null, "origin" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, constraint "appeal_pkey" primary key ("id"));`);
    this.addSql(`alter table "appeal" add constraint "appeal_applicant_id_unique" unique ("applicant_id");`);
    this.addSql(`create index "appeal_received_at_id_index" on "appeal" ("received_at", "id");`);
    this.addSql(`create index "appeal_status_index" on "appeal" ("status");`);
    this.addSql(`create index "appeal_topic_code_index" on "appeal" ("topic_code");`);
    this.addSql(`create index "appeal_territory_code_index" on "appeal" ("territory_code");`);
    this.addSql(`create index "appeal_due_at_index" on "appeal" ("due_at");`);
    this.addSql(`create index "appeal_text_fingerprint_received_at_index" on "appeal" ("text_fingerprint", "received_at");`);
    this.addSql(`alter table "appeal" add constraint "appeal_source_external_id_unique" unique ("source", "external_id");`);

    this.addSql(`create table "assignment" ("id" uuid not null, "appeal_id" uuid not null, "agency_id" uuid not null, "role" text check ("role" in ('responsible', 'co_executor', 'for_information')) not null, "status" text check ("status" in ('registered', 'routed', 'sent', 'delivered', 'under_consideration', 'extended', 'answered', 'closed', 'returned', 'forwarded', 'not_subject')) not null, "rule_set_version" int null, "rule_id" varchar(128) null, "reason" text null, "agency_reg_number" varchar(64) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "assignment_pkey" primary key ("id"));`);
    this.addSql(`create index "assignment_agency_id_status_index" on "assignment" ("agency_id", "status");`);
    this.addSql(`alter table "assignment" add constraint "assignment_appeal_id_agency_id_unique" unique ("appeal_id", "agency_id");`);

    this.addSql(`create table "attachment" ("id" uuid not null, "appeal_id" uuid not null, "file_name" varchar(300) not null, "mime_type" varchar(100) not null, "size" int not null, "content" bytea not null, constraint "attachment_pkey" primary key ("id"));`);

    this.addSql(`create table "audit_entry" ("id" uuid not null, "principal_id" uuid null, "principal_name" varchar(200) not null, "action" varchar(64) not null, "appeal_id" uuid null, "fields" jsonb not null, "purpose" varchar(200) null, "at" timestamptz not null, constraint "audit_entry_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_entry_appeal_id_index" on "audit_entry" ("appeal_id");`);
    this.addSql(`create index "audit_entry_at_index" on "audit_entry" ("at");`);

    this.addSql(`create table "job_run" ("id" uuid not null, "job" varchar(64) not null, "instance" varchar(128) not null, "started_at" timestamptz not null, "finished_at" timestamptz null, "outcome" text check ("outcome" in ('running', 'succeeded', 'failed')) not null, "counts" jsonb not null, "error" text null, constraint "job_run_pkey" primary key ("id"));`);
    this.addSql(`create index "job_run_job_started_at_index" on "job_run" ("job", "started_at");`);

    this.addSql(`create table "local_topic" ("id" uuid not null, "key" varchar(200) not null, "local_topic" varchar(200) not null, "topic_code" varchar(16) not null, "updated_at" timestamptz not null, constraint "local_topic_pkey" primary key ("id"));`);
    this.addSql(`alter table "local_topic" add constraint "local_topic_key_unique" unique ("key");`);

    this.addSql(`create table "principal" ("id" uuid not null, "name" varchar(200) not null, "role" text check ("role" in ('admin', 'operator', 'agency', 'integration', 'auditor')) not null, "agency_id" uuid null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, constraint "principal_pkey" primary key ("id"));`);
    this.addSql(`alter table "principal" add constraint "principal_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "status_event" ("id" uuid not null, "appeal_id" uuid not null, "assignment_id" uuid null, "origin" text check ("origin" in ('gateway', 'agency', 'ucc', 'operator')) not null, "event" text check ("event" in ('register', 'route', 'send', 'deliver', 'accept', 'extend', 'answer', 'close', 'rework', 'return', 'forward', 'reject', 'reopen')) not null, "from_state" text check ("from_state" in ('registered', 'routed', 'sent', 'delivered', 'under_consideration', 'extended', 'answered', 'closed', 'returned', 'forwarded', 'not_subject')) null, "state" text check ("state" in ('registered', 'routed', 'sent', 'delivered', 'under_consideration', 'extended', 'answered', 'closed', 'returned', 'forwarded', 'not_subject')) not null, "result" text check ("result" in ('resolved_positively', 'refused', 'explained', 'returned_to_author', 'forwarded_by_competence', 'not_subject_to_consideration')) null, "note" text null, "occurred_at" timestamptz not null, "recorded_at" timestamptz not null, "external_event_id" varchar(200) null, constraint "status_event_pkey" primary key ("id"));`);
    this.addSql(`alter table "status_event" add constraint "status_event_external_event_id_unique" unique ("external_event_id");`);
    this.addSql(`create index "status_event_appeal_id_occurred_at_index" on "status_event" ("appeal_id", "occurred_at");`);

    this.addSql(`create table "sync_cursor" ("name" varchar(128) not null, "cursor" text not null, "updated_at" timestamptz not null, constraint "sync_cursor_pkey" primary key ("name"));`);

    this.addSql(`alter table "agency" add constraint "agency_parent_id_foreign" foreign key ("parent_id") references "agency" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "appeal" add constraint "appeal_applicant_id_foreign" foreign key ("applicant_id") references "applicant" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "appeal" add constraint "appeal_duplicate_of_id_foreign" foreign key ("duplicate_of_id") references "appeal" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "appeal" add constraint "appeal_repeat_of_id_foreign" foreign key ("repeat_of_id") references "appeal" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "appeal" add constraint "appeal_mass_of_id_foreign" foreign key ("mass_of_id") references "appeal" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "appeal" add constraint "appeal_direct_line_agency_id_foreign" foreign key ("direct_line_agency_id") references "agency" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "assignment" add constraint "assignment_appeal_id_foreign" foreign key ("appeal_id") references "appeal" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "assignment" add constraint "assignment_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade;`);

    this.addSql(`alter table "attachment" add constraint "attachment_appeal_id_foreign" foreign key ("appeal_id") references "appeal" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "principal" add constraint "principal_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "status_event" add constraint "status_event_appeal_id_foreign" foreign key ("appeal_id") references "appeal" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "status_event" add constraint "status_event_assignment_id_foreign" foreign key ("assignment_id") references "assignment" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "agency" drop constraint "agency_parent_id_foreign";`);

    this.addSql(`alter table "appeal" drop constraint "appeal_direct_line_agency_id_foreign";`);

    this.addSql(`alter table "assignment" drop constraint "assignment_agency_id_foreign";`);

    this.addSql(`alter table "principal" drop constraint "principal_agency_id_foreign";`);

    this.addSql(`alter table "appeal" drop constraint "appeal_applicant_id_foreign";`);

    this.addSql(`alter table "appeal" drop constraint "appeal_duplicate_of_id_foreign";`);

    this.addSql(`alter table "appeal" drop constraint "appeal_repeat_of_id_foreign";`);

    this.addSql(`alter table "appeal" drop constraint "appeal_mass_of_id_foreign";`);

    this.addSql(`alter table "assignment" drop constraint "assignment_appeal_id_foreign";`);

    this.addSql(`alter table "attachment" drop constraint "attachment_appeal_id_foreign";`);

    this.addSql(`alter table "status_event" drop constraint "status_event_appeal_id_foreign";`);

    this.addSql(`alter table "status_event" drop constraint "status_event_assignment_id_foreign";`);

    this.addSql(`drop table if exists "agency" cascade;`);

    this.addSql(`drop table if exists "applicant" cascade;`);

    this.addSql(`drop table if exists "appeal" cascade;`);

    this.addSql(`drop table if exists "assignment" cascade;`);

    this.addSql(`drop table if exists "attachment" cascade;`);

    this.addSql(`drop table if exists "audit_entry" cascade;`);

    this.addSql(`drop table if exists "job_run" cascade;`);

    this.addSql(`drop table if exists "local_topic" cascade;`);

    this.addSql(`drop table if exists "principal" cascade;`);

    this.addSql(`drop table if exists "status_event" cascade;`);

    this.addSql(`drop table if exists "sync_cursor" cascade;`);
  }

}
