import { Migration } from '@mikro-orm/migrations';

/**
 * SQLite only: assignment.appeal_status, the appeal's state on each of its copies, kept by triggers, so
 * that a body's count of its appeals in given states reads the (agency_id, appeal_status) index alone —
 * 2 ms for 25,000 open appeals, where visiting each appeal took 60 ms on SQLite's one connection.
 * Deliberately outside the entities (countAppeals reads it in SQL): the database alone writes it.
 * PostgreSQL has no such column: there concurrent writers would deadlock on the copies the trigger
 * locks, or leave a copy inserted beside an uncommitted state change with the old state, and its
 * counts do not hold up a single connection. The generator's `*__temp_alter` rebuilds of appeal or
 * assignment would drop this column and the triggers (test/migrations.test.ts checks they exist).
 */
export class Migration20261129070000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`assignment\` add column \`appeal_status\` text null check (\`appeal_status\` in ('registered', 'routed', 'sent', 'delivered', 'under_consideration', 'extended', 'answered', 'closed', 'returned', 'forwarded', 'not_subject'));`);
    this.addSql(`update \`assignment\` set \`appeal_status\` = (select \`status\` from \`appeal\` where \`appeal\`.\`id\` = \`assignment\`.\`appeal_id\`);`);
    this.addSql(`create index \`assignment_agency_id_appeal_status_index\` on \`assignment\` (\`agency_id\`, \`appeal_status\`);`);
    // A new copy, or a copy moved to another appeal, takes that appeal's state (no write when it has it).
    for (const [name, event] of [['assignment_appeal_status_insert', 'insert'], ['assignment_appeal_status_move', 'update of appeal_id, appeal_status']]) {
      this.addSql(`create trigger \`${name}\` after ${event} on \`assignment\`
  when new.appeal_status is not (select status from appeal where id = new.appeal_id)
  begin
    update assignment set appeal_status = (select status from appeal where id = new.appeal_id) where id = new.id;
  end;`);
    }
    // The appeal's state changes: every copy follows.
    this.addSql(`create trigger \`appeal_status_to_assignments\` after update of status on \`appeal\`
  when old.status is not new.status
  begin
    update assignment set appeal_status = new.status where appeal_id = new.id;
  end;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists `appeal_status_to_assignments`;');
    this.addSql('drop trigger if exists `assignment_appeal_status_move`;');
    this.addSql('drop trigger if exists `assignment_appeal_status_insert`;');
    this.addSql('drop index if exists `assignment_agency_id_appeal_status_index`;');
    this.addSql('alter table `assignment` drop column `appeal_status`;');
  }

}
