import { Migration } from '@mikro-orm/migrations';

/**
 * SQLite only: agency_appeal_count, how many copies each body has of appeals in each state, kept by
 * triggers on assignment (whose appeal_status the triggers of Migration20261129070000 keep equal to
 * the appeal's state). A body's inbox total is then a sum of at most eleven rows instead of a walk over
 * its copies' index: counting 25,000 open appeals that way took over 1 ms of SQLite's time on every
 * inbox request, more than the rest of the page's statements together. The counts change in the same
 * transaction as the copies, so they are never stale. A copy whose appeal_status is not set yet
 * counts under '' until it is. Deliberately outside the entities: the database alone writes it
 * (test/migrations.test.ts checks the counts against the copies after every kind of change).
 */
export class Migration20261129120000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`agency_appeal_count\` (\`agency_id\` text not null, \`appeal_status\` text not null, \`n\` integer not null, primary key (\`agency_id\`, \`appeal_status\`)) without rowid;`);
    this.addSql(`insert into \`agency_appeal_count\` (\`agency_id\`, \`appeal_status\`, \`n\`) select \`agency_id\`, coalesce(\`appeal_status\`, ''), count(*) from \`assignment\` group by 1, 2;`);
    const add = (row: 'new') => `insert into agency_appeal_count (agency_id, appeal_status, n) values (${row}.agency_id, coalesce(${row}.appeal_status, ''), 1)
      on conflict (agency_id, appeal_status) do update set n = n + 1;`;
    const remove = (row: 'old') => `update agency_appeal_count set n = n - 1 where agency_id = ${row}.agency_id and appeal_status = coalesce(${row}.appeal_status, '');`;
    this.addSql(`create trigger \`assignment_count_insert\` after insert on \`assignment\`
  begin
    ${add('new')}
  end;`);
    this.addSql(`create trigger \`assignment_count_delete\` after delete on \`assignment\`
  begin
    ${remove('old')}
  end;`);
    this.addSql(`create trigger \`assignment_count_update\` after update of agency_id, appeal_status on \`assignment\`
  when old.agency_id is not new.agency_id or old.appeal_status is not new.appeal_status
  begin
    ${remove('old')}
    ${add('new')}
  end;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists `assignment_count_update`;');
    this.addSql('drop trigger if exists `assignment_count_delete`;');
    this.addSql('drop trigger if exists `assignment_count_insert`;');
    this.addSql('drop table if exists `agency_appeal_count`;');
  }

}
