import { Migration } from '@mikro-orm/migrations';

export class Migration20261129064124 extends Migration {

  override async up(): Promise<void> {
    // Existing principals take their creation time as their last change.
    this.addSql(`alter table "principal" add column "changed_at" timestamptz null;`);
    this.addSql(`update "principal" set "changed_at" = "created_at";`);
    this.addSql(`alter table "principal" alter column "changed_at" set not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "principal" drop column "changed_at";`);
  }

}
