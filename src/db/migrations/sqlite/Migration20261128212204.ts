import { Migration } from '@mikro-orm/migrations';

export class Migration20261128212204 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`agency\` (\`id\` text not null, \`code\` text not null, \`name\` text not null, \`short_name\` text null, \`kind\` text check (\`kind\` in ('oblast_administration', 'oblast_department', 'district_administration', 'city_council', 'hromada_council', 'central_body', 'utility', 'contact_center')) not null, \`parent_id\` text null, \`territories\` json not null, \`adapter_kind\` text check (\`adapter_kind\` in ('api', 'sev-ovv', 'trembita', 'webhook')) not null default 'api', \`adapter_settings\` json not null, \`code_is_placeholder\` integer not null default false, \`active\` integer not null default true, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`agency_parent_id_foreign\` foreign key(\`parent_id\`) references \`agency\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`agency_code_unique\` on \`agency\` (\`code\`);`);
    this.addSql(`create index \`agency_parent_id_index\` on \`agency\` (\`parent_id\`);`);

    this.addSql(`create table \`applicant\` (\`id\` text not null, \`last_name\` text null, \`first_name\` text null, \`patronymic\` text null, \`phone\` text null, \`email\` text null, \`address\` text null, \`categories\` json not null, \`social_status\` text null, \`sex\` text check (\`sex\` in ('male', 'female')) null, \`non_disclosure\` integer not null default false, \`co_authors\` json not null, \`identity_key\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`applicant_phone_index\` on \`applicant\` (\`phone\`);`);
    this.addSql(`create index \`applicant_identity_key_index\` on \`applicant\` (\`identity_key\`);`);

    this.addSql(`create table \`appeal\` (\`id\` text not null, \`registration_number\` text null, \`source\` text check (\`source\` in ('gov_hotline_1545', 'regional_hotline', 'direct_line', 'web', 'other')) not null, \`external_id\` text null, \`received_at\` datetime not null, \`kind\` text check (\`kind\` in ('proposal', 'application', 'complaint')) not null, \`subject\` text check (\`subject\` in ('individual', 'collective', 'anonymous')) not null, \`receipt_sign\` text check (\`receipt_sign\` in ('primary', 'repeated', 'duplicate', 'recurring', 'mass')) not null, \`receipt_form\` text check (\`receipt_form\` in ('post', 'phone', 'personal', 'authorised_person', 'authorities', 'media', 'other_bodies')) null, \`topic_code\` text not null, \`territory_code\` text null, \`summary\` text not null, \`applicant_id\` text null, \`priority\` integer not null default false, \`urgent\` integer not null default false, \`status\` text check (\`status\` in ('registered', 'routed', 'sent', 'delivered', 'under_consideration', 'extended', 'answered', 'closed', 'returned', 'forwarded', 'not_subject')) not null, \`due_at\` datetime not null, \`result\` text check (\`result\` in ('resolved_positively', 'refused', 'explained', 'returned_to_author', 'forwarded_by_competence', 'not_subject_to_consideration')) null, \`flags\` json not null, \`duplicate_of_id\` text null, \`repeat_of_id\` text null, \`mass_of_id\` text null, \`text_fingerprint\` text null, \`direct_line_session\` text null, \`direct_line_agency_id\` text null, \`direct_line_official\` text null, \`origin\` json not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`version\` integer not null default 1, constraint \`appeal_applicant_id_foreign\` foreign key(\`applicant_id\`) references \`applicant\`(\`id\`) on delete set null on update cascade, constraint \`appeal_duplicate_of_id_foreign\` foreign key(\`duplicate_of_id\`) references \`appeal\`(\`id\`) on delete set null on update cascade, constraint \`appeal_repeat_of_id_foreign\` foreign key(\`repeat_of_id\`) references \`appeal\`(\`id\`) on delete set null on update cascade, constraint \`appeal_mass_of_id_foreign\` foreign key(\`mass_of_id\`) references \`appeal\`(\`id\`) on delete set null on update cascade, constraint \`appeal_direct_line_agency_id_foreign\` foreign key(\`direct_line_agency_id\`) references \`agency\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`appeal_applicant_id_unique\` on \`appeal\` (\`applicant_id\`);`);
    this.addSql(`create index \`appeal_duplicate_of_id_index\` on \`appeal\` (\`duplicate_of_id\`);`);
    this.addSql(`create index \`appeal_repeat_of_id_index\` on \`appeal\` (\`repeat_of_id\`);`);
    this.addSql(`create index \`appeal_mass_of_id_index\` on \`appeal\` (\`mass_of_id\`);`);
    this.addSql(`create index \`appeal_direct_line_agency_id_index\` on \`appeal\` (\`direct_line_agency_id\`);`);
    this.addSql(`create index \`appeal_received_at_id_index\` on \`appeal\` (\`received_at\`, \`id\`);`);
    this.addSql(`create index \`appeal_status_index\` on \`appeal\` (\`status\`);`);
    this.addSql(`create index \`appeal_topic_code_index\` on \`appeal\` (\`topic_code\`);`);
    this.addSql(`create index \`appeal_territory_code_index\` on \`appeal\` (\`territory_code\`);`);
    this.addSql(`create index \`appeal_due_at_index\` on \`appeal\` (\`due_at\`);`);
    this.addSql(`create index \`appeal_text_fingerprint_received_at_index\` on \`appeal\` (\`text_fingerprint\`, \`received_at\`);`);
    this.addSql(`create unique index \`appeal_source_external_id_unique\` on \`appeal\` (\`source\`, \`external_id\`);`);

    this.addSql(`create table \`assignment\` (\`id\` text not null, \`appeal_id\` text not null, \`agency_id\` text not null, \`role\` text check (\`role\` in ('responsible', 'co_executor', 'for_information')) not null, \`status\` text check (\`status\` in ('registered', 'routed', 'sent', 'delivered', 'under_consideration', 'extended', 'answered', 'closed', 'returned', 'forwarded', 'not_subject')) not null, \`rule_set_version\` integer null, \`rule_id\` text null, \`reason\` text null, \`agency_reg_number\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`assignment_appeal_id_foreign\` foreign key(\`appeal_id\`) references \`appeal\`(\`id\`) on delete cascade on update cascade, constraint \`assignment_agency_id_foreign\` foreign key(\`agency_id\`) references \`agency\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`assignment_appeal_id_index\` on \`assignment\` (\`appeal_id\`);`);
    this.addSql(`create index \`assignment_agency_id_index\` on \`assignment\` (\`agency_id\`);`);
    this.addSql(`create index \`assignment_agency_id_status_index\` on \`assignment\` (\`agency_id\`, \`status\`);`);
    this.addSql(`create unique index \`assignment_appeal_id_agency_id_unique\` on \`assignment\` (\`appeal_id\`, \`agency_id\`);`);

    this.addSql(`create table \`attachment\` (\`id\` text not null, \`appeal_id\` text not null, \`file_name\` text not null, \`mime_type\` text not null, \`size\` integer not null, \`content\` blob not null, constraint \`attachment_appeal_id_foreign\` foreign key(\`appeal_id\`) references \`appeal\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`attachment_appeal_id_index\` on \`attachment\` (\`appeal_id\`);`);

    this.addSql(`create table \`audit_entry\` (\`id\` text not null, \`principal_id\` text null, \`principal_name\` text not null, \`action\` text not null, \`appeal_id\` text null, \`fields\` json not null, \`purpose\` text null, \`at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`audit_entry_appeal_id_index\` on \`audit_entry\` (\`appeal_id\`);`);
    this.addSql(`create index \`audit_entry_at_index\` on \`audit_entry\` (\`at\`);`);

    this.addSql(`create table \`job_run\` (\`id\` text not null, \`job\` text not null, \`instance\` text not null, \`started_at\` datetime not null, \`finished_at\` datetime null, \`outcome\` text check (\`outcome\` in ('running', 'succeeded', 'failed')) not null, \`counts\` json not null, \`error\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`job_run_job_started_at_index\` on \`job_run\` (\`job\`, \`started_at\`);`);

    this.addSql(`create table \`local_topic\` (\`id\` text not null, \`key\` text not null, \`local_topic\` text not null, \`topic_code\` text not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`local_topic_key_unique\` on \`local_topic\` (\`key\`);`);

    this.addSql(`create table \`principal\` (\`id\` text not null, \`name\` text not null, \`role\` text check (\`role\` in ('admin', 'operator', 'agency', 'integration', 'auditor')) not null, \`agency_id\` text null, \`token_hash\` text not null, \`created_at\` datetime not null, \`revoked_at\` datetime null, constraint \`principal_agency_id_foreign\` foreign key(\`agency_id\`) references \`agency\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`principal_agency_id_index\` on \`principal\` (\`agency_id\`);`);
    this.addSql(`create unique index \`principal_token_hash_unique\` on \`principal\` (\`token_hash\`);`);

    this.addSql(`create table \`status_event\` (\`id\` text not null, \`appeal_id\` text not null, \`assignment_id\` text null, \`origin\` text check (\`origin\` in ('gateway', 'agency', 'ucc', 'operator')) not null, \`event\` text check (\`event\` in ('register', 'route', 'send', 'deliver', 'accept', 'extend', 'answer', 'close', 'rework', 'return', 'forward', 'reject', 'reopen')) not null, \`from_state\` text check (\`from_state\` in ('registered', 'routed', 'sent', 'delivered', 'under_consideration', 'extended', 'answered', 'closed', 'returned', 'forwarded', 'not_subject')) null, \`state\` text check (\`state\` in ('registered', 'routed', 'sent', 'delivered', 'under_consideration', 'extended', 'answered', 'closed', 'returned', 'forwarded', 'not_subject')) not null, \`result\` text check (\`result\` in ('resolved_positively', 'refused', 'explained', 'returned_to_author', 'forwarded_by_competence', 'not_subject_to_consideration')) null, \`note\` text null, \`occurred_at\` datetime not null, \`recorded_at\` datetime not null, \`external_event_id\` text null, constraint \`status_event_appeal_id_foreign\` foreign key(\`appeal_id\`) references \`appeal\`(\`id\`) on delete cascade on update cascade, constraint \`status_event_assignment_id_foreign\` foreign key(\`assignment_id\`) references \`assignment\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`status_event_appeal_id_index\` on \`status_event\` (\`appeal_id\`);`);
    this.addSql(`create index \`status_event_assignment_id_index\` on \`status_event\` (\`assignment_id\`);`);
    this.addSql(`create unique index \`status_event_external_event_id_unique\` on \`status_event\` (\`external_event_id\`);`);
    this.addSql(`create index \`status_event_appeal_id_occurred_at_index\` on \`status_event\` (\`appeal_id\`, \`occurred_at\`);`);

    this.addSql(`create table \`sync_cursor\` (\`name\` text not null, \`cursor\` text not null, \`updated_at\` datetime not null, primary key (\`name\`));`);
  }

}
