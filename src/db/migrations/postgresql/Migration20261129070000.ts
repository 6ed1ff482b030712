import { Migration } from '@mikro-orm/migrations';

/**
 * assignment.appeal_status: the appeal's state on each of its copies, kept by triggers, so that a body's
 * count of its appeals in given states reads the (agency_id, appeal_status) index alone.
 */
export class Migration20261129070000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "assignment" add column "appeal_status" text null check ("appeal_status" in ('registered', 'routed', 'sent', 'delivered', 'under_consideration', 'extended', 'answered', 'closed', 'returned', 'forwarded', 'not_subject'));`);
    this.addSql(`update "assignment" set "appeal_status" = "appeal"."status" from "appeal" where "appeal"."id" = "assignment"."appeal_id";`);
    this.addSql(`create index "assignment_agency_id_appeal_status_index" on "assignment" ("agency_id", "appeal_status");`);
    // A new copy, or a copy moved to another appeal, takes that appeal's state.
    this.addSql(`create or replace function assignment_appeal_status_fill() returns trigger language plpgsql as \$\$
begin
  new.appeal_status := (select status from appeal where id = new.appeal_id);
  return new;
end \$\$;`);
    this.addSql(`create trigger assignment_appeal_status_fill before insert or update of appeal_id, appeal_status on "assignment"
  for each row execute function assignment_appeal_status_fill();`);
    // The appeal's state changes: every copy follows.
    this.addSql(`create or replace function appeal_status_to_assignments() returns trigger language plpgsql as \$\$
begin
  update assignment set appeal_status = new.status where appeal_id = new.id;
  return null;
end \$\$;`);
    this.addSql(`create trigger appeal_status_to_assignments after update of status on "appeal"
  for each row when (old.status is distinct from new.status) execute function appeal_status_to_assignments();`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists appeal_status_to_assignments on "appeal";');
    this.addSql('drop function if exists appeal_status_to_assignments();');
    this.addSql('drop trigger if exists assignment_appeal_status_fill on "assignment";');
    this.addSql('drop function if exists assignment_appeal_status_fill();');
    this.addSql('drop index if exists "assignment_agency_id_appeal_status_index";');
    this.addSql('alter table "assignment" drop column "appeal_status";');
  }

}
